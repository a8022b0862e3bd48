//! `--compress CODEC[:LEVEL]`: the compression filter of new datasets, as
//! parsed from the command line, and the dataset option it becomes.

use h5sink::{BloscCodec, BloscShuffle, DatasetBuilder, H5Type};

/// The codecs and their level ranges, as the usage error lists them.
pub const CODECS: &str = "lz4, bslz4, bszstd[:1-22], zstd[:1-22], blosc-lz4[:0-9], \
                          blosc-zstd[:0-9], lzf, gzip[:0-9]";

/// One compression filter for the new datasets of `pack`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compress {
    /// deflate (filter 1) at a level 0-9 (`gzip`, default 4 as h5py's).
    Gzip(u8),
    /// LZF (filter 32000).
    Lzf,
    /// LZ4 (filter 32004).
    Lz4,
    /// Bitshuffle with LZ4 inside (filter 32008).
    BsLz4,
    /// Bitshuffle with zstd inside at a level 1-22 (filter 32008).
    BsZstd(u8),
    /// zstd at a level 1-22 (filter 32015, default 3 as hdf5plugin's).
    Zstd(u8),
    /// Blosc with LZ4 or zstd at a level 0-9 (default 5) and byte shuffle,
    /// hdf5plugin's `Blosc()` defaults.
    Blosc(BloscCodec, u8),
}

/// A level of `codec` in `lo..=hi`, `default` when none is given.
fn level(codec: &str, text: Option<&str>, lo: u8, hi: u8, default: u8) -> Result<u8, String> {
    let Some(t) = text else {
        return Ok(default);
    };
    match t.parse::<u8>() {
        Ok(l) if (lo..=hi).contains(&l) => Ok(l),
        _ => Err(format!(
            "{codec} level {t:?} is not an integer in {lo}-{hi}"
        )),
    }
}

/// Parse `CODEC[:LEVEL]`; an error names the value and what is allowed.
pub fn parse(v: &str) -> Result<Compress, String> {
    let (name, lvl) = match v.split_once(':') {
        Some((n, l)) => (n, Some(l)),
        None => (v, None),
    };
    let no_level = |c: Compress| match lvl {
        None => Ok(c),
        Some(l) => Err(format!("{name} takes no level (got {l:?})")),
    };
    match name {
        "gzip" => level(name, lvl, 0, 9, 4).map(Compress::Gzip),
        "lzf" => no_level(Compress::Lzf),
        "lz4" => no_level(Compress::Lz4),
        "bslz4" => no_level(Compress::BsLz4),
        "bszstd" => level(name, lvl, 1, 22, 3).map(Compress::BsZstd),
        "zstd" => level(name, lvl, 1, 22, 3).map(Compress::Zstd),
        "blosc-lz4" => level(name, lvl, 0, 9, 5).map(|l| Compress::Blosc(BloscCodec::Lz4, l)),
        "blosc-zstd" => level(name, lvl, 0, 9, 5).map(|l| Compress::Blosc(BloscCodec::Zstd, l)),
        _ => Err(format!("unknown codec {name:?} (expected {CODECS})")),
    }
}

impl Compress {
    /// Why `--shuffle` cannot go with this codec, if it cannot: bitshuffle
    /// and Blosc shuffle inside the filter already.
    pub fn shuffle_conflict(self) -> Option<&'static str> {
        match self {
            Compress::BsLz4 | Compress::BsZstd(_) => {
                Some("bitshuffle already transposes the bits of every element")
            }
            Compress::Blosc(..) => Some("Blosc already byte-shuffles every block"),
            _ => None,
        }
    }

    /// `b` with this filter.
    pub fn apply<T: H5Type>(self, b: DatasetBuilder<T>) -> DatasetBuilder<T> {
        match self {
            Compress::Gzip(l) => b.deflate(l),
            Compress::Lzf => b.lzf(),
            Compress::Lz4 => b.lz4(),
            Compress::BsLz4 => b.bitshuffle().lz4(),
            Compress::BsZstd(l) => b.bitshuffle().zstd(l),
            Compress::Zstd(l) => b.zstd(l),
            Compress::Blosc(c, l) => b.blosc(c, l, BloscShuffle::Byte),
        }
    }
}

/// The canonical `CODEC:LEVEL` text (as `--compress` takes it).
impl std::fmt::Display for Compress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Compress::Gzip(l) => write!(f, "gzip:{l}"),
            Compress::Lzf => f.write_str("lzf"),
            Compress::Lz4 => f.write_str("lz4"),
            Compress::BsLz4 => f.write_str("bslz4"),
            Compress::BsZstd(l) => write!(f, "bszstd:{l}"),
            Compress::Zstd(l) => write!(f, "zstd:{l}"),
            Compress::Blosc(BloscCodec::Lz4, l) => write!(f, "blosc-lz4:{l}"),
            Compress::Blosc(BloscCodec::Zstd, l) => write!(f, "blosc-zstd:{l}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_defaults() {
        assert_eq!(parse("gzip"), Ok(Compress::Gzip(4)));
        assert_eq!(parse("gzip:9"), Ok(Compress::Gzip(9)));
        assert_eq!(parse("zstd"), Ok(Compress::Zstd(3)));
        assert_eq!(parse("zstd:22"), Ok(Compress::Zstd(22)));
        assert_eq!(parse("bszstd:1"), Ok(Compress::BsZstd(1)));
        assert_eq!(
            parse("blosc-zstd:0"),
            Ok(Compress::Blosc(BloscCodec::Zstd, 0))
        );
        assert_eq!(parse("blosc-lz4"), Ok(Compress::Blosc(BloscCodec::Lz4, 5)));
        assert_eq!(parse("bslz4"), Ok(Compress::BsLz4));
    }

    #[test]
    fn bad_values_name_themselves() {
        for (v, want) in [
            ("zstd:0", "zstd level \"0\" is not an integer in 1-22"),
            ("zstd:23", "zstd level \"23\""),
            ("gzip:10", "gzip level \"10\" is not an integer in 0-9"),
            ("blosc-lz4:-1", "blosc-lz4 level \"-1\""),
            ("lz4:3", "lz4 takes no level (got \"3\")"),
            ("foo", "unknown codec \"foo\""),
            ("", "unknown codec \"\""),
        ] {
            let e = parse(v).unwrap_err();
            assert!(e.contains(want), "{v}: {e}");
        }
    }
}
