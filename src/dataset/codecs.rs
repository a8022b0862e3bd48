//! The plugin compression options of a new dataset (LZF, LZ4, bitshuffle,
//! zstd, Blosc), shared by [`DatasetBuilder`](crate::DatasetBuilder) and
//! [`DatasetWriterBuilder`](crate::DatasetWriterBuilder), and the filter
//! each becomes, with the client data hdf5plugin (or h5py, for LZF) records
//! for the same settings. Spec notes: `spec-notes/plugin-filters.md`.

use crate::error::{Error, Result};
use crate::format::filter_pipeline::Filter;

/// The compressor inside a Blosc filter.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// use h5sink::{BloscCodec, BloscShuffle, Filter};
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<f32>().shape(&[64]).blosc(BloscCodec::Zstd, 3, BloscShuffle::Byte).create("b")?;
/// assert_eq!(ds.filters(), [Filter::Blosc(BloscCodec::Zstd, 3, BloscShuffle::Byte)]);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BloscCodec {
    /// LZ4 (Blosc's compressor 1, "lz4").
    Lz4,
    /// zstd (Blosc's compressor 5, "zstd").
    Zstd,
}

/// The shuffle Blosc applies to each block before compressing it.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// use h5sink::{BloscCodec, BloscShuffle};
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<u16>().shape(&[64]).blosc(BloscCodec::Lz4, 5, BloscShuffle::Bit).create("b")?;
/// ds.write_raw(&[7u16; 64])?;
/// assert_eq!(ds.read_raw::<u16>()?, [7u16; 64]);
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BloscShuffle {
    /// No shuffle (hdf5plugin's `Blosc.NOSHUFFLE`, 0).
    None,
    /// Byte shuffle (`Blosc.SHUFFLE`, 1).
    Byte,
    /// Bit shuffle (`Blosc.BITSHUFFLE`, 2).
    Bit,
}

/// The codec options as asked; checked by [`Codecs::filter`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Codecs {
    pub lzf: bool,
    pub lz4: bool,
    pub bitshuffle: bool,
    pub zstd: Option<u8>,
    pub blosc: Option<(BloscCodec, u8, BloscShuffle)>,
}

impl Codecs {
    /// Whether any codec was asked for.
    pub fn any(&self) -> bool {
        *self != Codecs::default()
    }

    /// The names of the compression filters asked for (bitshuffle with
    /// LZ4 or zstd inside is one).
    pub fn names(&self, deflate: bool) -> Vec<&'static str> {
        let mut out = Vec::new();
        if deflate {
            out.push("deflate");
        }
        if self.lzf {
            out.push("lzf");
        }
        if self.bitshuffle {
            out.push("bitshuffle");
        } else {
            if self.lz4 {
                out.push("lz4");
            }
            if self.zstd.is_some() {
                out.push("zstd");
            }
        }
        if self.bitshuffle && self.lz4 && self.zstd.is_some() {
            out.push("lz4 and zstd inside");
        }
        if self.blosc.is_some() {
            out.push("blosc");
        }
        out
    }

    /// The plugin filter for elements of `elem` bytes in chunks of
    /// `chunk_bytes` bytes, if any was asked for.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a zstd or Blosc level out of range,
    /// `bad` (a [`Error::BadShape`]) for a chunk above Blosc's 2 GiB limit.
    pub fn filter(
        &self,
        elem: u32,
        chunk_bytes: u32,
        bad: &dyn Fn(String) -> Error,
    ) -> Result<Option<Filter>> {
        let zstd_level = |l: u8| {
            let f = Filter::Zstd {
                level: u32::from(l),
            };
            f.validate().map(|()| u32::from(l))
        };
        let f = if self.bitshuffle {
            let (compression, level) = match (self.lz4, self.zstd) {
                (_, Some(l)) => (3, zstd_level(l)?),
                (true, None) => (2, 0),
                (false, None) => (0, 0),
            };
            Filter::Bitshuffle {
                element_size: elem,
                block_size: 0,
                compression,
                level,
            }
        } else if self.lzf {
            Filter::Lzf { chunk_bytes }
        } else if self.lz4 {
            Filter::Lz4 { block_size: 0 }
        } else if let Some(l) = self.zstd {
            Filter::Zstd {
                level: zstd_level(l)?,
            }
        } else if let Some((codec, level, shuffle)) = self.blosc {
            if chunk_bytes > i32::MAX as u32 - 16 {
                return Err(bad(format!(
                    "a chunk of {chunk_bytes} bytes is above Blosc's limit of 2147483631 bytes"
                )));
            }
            Filter::Blosc {
                element_size: elem,
                chunk_bytes,
                level: u32::from(level),
                shuffle: shuffle as u32,
                codec: match codec {
                    BloscCodec::Lz4 => 1,
                    BloscCodec::Zstd => 5,
                },
            }
        } else {
            return Ok(None);
        };
        f.validate()?;
        Ok(Some(f))
    }
}

/// Refuse more than one compression filter, as h5py's `compression=`
/// takes one.
///
/// # Errors
///
/// [`Error::InvalidArgument`] naming them.
pub(crate) fn one_compressor(codecs: &Codecs, deflate: bool) -> Result<()> {
    let names = codecs.names(deflate);
    if names.len() <= 1 {
        return Ok(());
    }
    Err(Error::InvalidArgument {
        what: "compression",
        value: names.join(" + "),
        reason:
            "a dataset takes one compression filter (bitshuffle may hold lz4 or zstd, not both)",
    })
}
