//! The registered plugin filters h5sink writes, as their writers record them
//! in the Filter Pipeline message: LZF (32000, h5py's built-in filter), LZ4
//! (32004), bitshuffle (32008), zstd (32015) and Blosc (32001, hdf5plugin).
//! Ids, names (the long ones are the plugins' own strings), client data and
//! the ranges checked before a dataset is made. Spec notes:
//! `spec-notes/plugin-filters.md`.
//!
//! # Examples
//!
//! The message hdf5plugin 7.1 writes for `hdf5plugin.Bitshuffle()` (LZ4
//! inside) on float32:
//!
//! ```
//! use h5sink::format::filter_pipeline::{encode_v1, plugin, Filter};
//!
//! let bslz4 = Filter::Bitshuffle { element_size: 4, block_size: 0, compression: 2, level: 0 };
//! assert_eq!((bslz4.id(), bslz4.name()), (32008, plugin::BITSHUFFLE_NAME));
//! assert_eq!(bslz4.client_data(), [0, 4, 4, 0, 2]);
//! let body = encode_v1(&[bslz4])?;
//! // id 0x7d08, name length 64 (56 bytes and a NUL, padded), optional, 5 values
//! assert_eq!(body[8..16], [0x08, 0x7d, 64, 0, 1, 0, 5, 0]);
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::Filter;
use crate::error::{Error, Result};

/// The name h5py records for LZF.
///
/// ```
/// use h5sink::format::filter_pipeline::{plugin::LZF_NAME, Filter};
/// assert_eq!(Filter::Lzf { chunk_bytes: 1200 }.name(), LZF_NAME);
/// ```
pub const LZF_NAME: &str = "lzf";
/// The name the HDF5 LZ4 plugin records.
///
/// ```
/// use h5sink::format::filter_pipeline::{plugin::LZ4_NAME, Filter};
/// assert!(LZ4_NAME.starts_with("HDF5 lz4 filter; see https://"));
/// assert_eq!(Filter::Lz4 { block_size: 0 }.name(), LZ4_NAME);
/// ```
pub const LZ4_NAME: &str =
    "HDF5 lz4 filter; see https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md";
/// The name the bitshuffle plugin records.
///
/// ```
/// use h5sink::format::filter_pipeline::plugin::BITSHUFFLE_NAME;
/// assert!(BITSHUFFLE_NAME.starts_with("bitshuffle; see"));
/// ```
pub const BITSHUFFLE_NAME: &str = "bitshuffle; see https://github.com/kiyo-masui/bitshuffle";
/// The name the HDF5 zstd plugin records.
///
/// ```
/// use h5sink::format::filter_pipeline::{plugin::ZSTD_NAME, Filter};
/// assert_eq!(Filter::Zstd { level: 3 }.name(), ZSTD_NAME);
/// ```
pub const ZSTD_NAME: &str =
    "HDF5 zstd filter; see https://github.com/HDFGroup/hdf5_plugins/blob/master/docs/RegisteredFilterPlugins.md";
/// The name the Blosc plugin records.
///
/// ```
/// use h5sink::format::filter_pipeline::plugin::BLOSC_NAME;
/// assert_eq!(BLOSC_NAME, "blosc");
/// ```
pub const BLOSC_NAME: &str = "blosc";

/// h5py's LZF filter revision and liblzf version, its first client values.
const LZF_CD: [u32; 2] = [4, 0x105];
/// The bitshuffle version hdf5plugin 7.1 records (major, minor).
const BITSHUFFLE_CD: [u32; 2] = [0, 4];
/// Blosc's filter revision and format version, its first client values.
const BLOSC_CD: [u32; 2] = [2, 2];
/// Bitshuffle's compression codes.
const BS_NONE: u32 = 0;
const BS_LZ4: u32 = 2;
const BS_ZSTD: u32 = 3;
/// Blosc's compressor codes h5sink writes.
const BLOSC_LZ4: u32 = 1;
const BLOSC_ZSTD: u32 = 5;

/// The filter id of a plugin filter (0 for the built-in ones).
pub(super) fn id(f: &Filter) -> u16 {
    match f {
        Filter::Lzf { .. } => 32000,
        Filter::Blosc { .. } => 32001,
        Filter::Lz4 { .. } => 32004,
        Filter::Bitshuffle { .. } => 32008,
        Filter::Zstd { .. } => 32015,
        _ => 0,
    }
}

/// The recorded name of a plugin filter ("" for the built-in ones).
pub(super) fn name(f: &Filter) -> &'static str {
    match f {
        Filter::Lzf { .. } => LZF_NAME,
        Filter::Blosc { .. } => BLOSC_NAME,
        Filter::Lz4 { .. } => LZ4_NAME,
        Filter::Bitshuffle { .. } => BITSHUFFLE_NAME,
        Filter::Zstd { .. } => ZSTD_NAME,
        _ => "",
    }
}

/// The client data of a plugin filter, as its writer records it.
pub(super) fn client_data(f: &Filter) -> Vec<u32> {
    match *f {
        Filter::Lzf { chunk_bytes } => vec![LZF_CD[0], LZF_CD[1], chunk_bytes],
        Filter::Lz4 { block_size } => vec![block_size],
        Filter::Zstd { level } => vec![level],
        Filter::Bitshuffle {
            element_size,
            block_size,
            compression,
            level,
        } => {
            let mut cd = vec![BITSHUFFLE_CD[0], BITSHUFFLE_CD[1]];
            cd.extend([element_size, block_size, compression]);
            if compression == BS_ZSTD {
                cd.push(level);
            }
            cd
        }
        Filter::Blosc {
            element_size,
            chunk_bytes,
            level,
            shuffle,
            codec,
        } => {
            let mut cd = BLOSC_CD.to_vec();
            cd.extend([element_size, chunk_bytes, level, shuffle, codec]);
            cd
        }
        _ => Vec::new(),
    }
}

fn bad(what: &'static str, value: u32, reason: &'static str) -> Result<()> {
    Err(Error::InvalidArgument {
        what,
        value: value.to_string(),
        reason,
    })
}

/// The highest zstd level (zstd's `ZSTD_maxCLevel`).
const MAX_ZSTD_LEVEL: u32 = 22;
/// The most bytes one LZ4 block may hold (`LZ4_MAX_INPUT_SIZE`).
pub(crate) const MAX_LZ4_BLOCK: u32 = 0x7E00_0000;

/// Check a plugin filter's settings.
pub(super) fn validate(f: &Filter) -> Result<()> {
    match *f {
        Filter::Zstd { level }
        | Filter::Bitshuffle {
            level,
            compression: BS_ZSTD,
            ..
        } if !(1..=MAX_ZSTD_LEVEL).contains(&level) => {
            bad("zstd level", level, "zstd levels run from 1 to 22")
        }
        Filter::Lz4 { block_size } if block_size > MAX_LZ4_BLOCK => bad(
            "LZ4 block size",
            block_size,
            "an LZ4 block holds at most 2113929216 bytes",
        ),
        Filter::Bitshuffle { compression, .. }
            if ![BS_NONE, BS_LZ4, BS_ZSTD].contains(&compression) =>
        {
            bad(
                "bitshuffle compression",
                compression,
                "0 (none), 2 (LZ4) or 3 (zstd)",
            )
        }
        Filter::Bitshuffle { block_size, .. } if block_size % 8 != 0 => bad(
            "bitshuffle block size",
            block_size,
            "blocks hold a multiple of 8 elements (0 for the default)",
        ),
        Filter::Bitshuffle {
            element_size: 0, ..
        }
        | Filter::Blosc {
            element_size: 0, ..
        } => bad(
            "element size",
            0,
            "the element size must be at least 1 byte",
        ),
        Filter::Blosc { level, .. } if level > 9 => {
            bad("Blosc level", level, "Blosc levels run from 0 to 9")
        }
        Filter::Blosc { shuffle, .. } if shuffle > 2 => bad(
            "Blosc shuffle",
            shuffle,
            "0 (none), 1 (byte shuffle) or 2 (bit shuffle)",
        ),
        Filter::Blosc { codec, .. } if codec != BLOSC_LZ4 && codec != BLOSC_ZSTD => {
            bad("Blosc codec", codec, "h5sink writes 1 (lz4) or 5 (zstd)")
        }
        _ => Ok(()),
    }
}

/// The plugin filter these fields describe, when they are in the form its
/// writer records (the versions above) and valid.
pub(super) fn known(id: u16, v: &[u32]) -> Option<Filter> {
    let f = match (id, v) {
        (32000, &[a, b, chunk_bytes]) if [a, b] == LZF_CD => Filter::Lzf { chunk_bytes },
        (32004, &[block_size]) => Filter::Lz4 { block_size },
        (32004, &[]) => Filter::Lz4 { block_size: 0 },
        (32015, &[level]) => Filter::Zstd { level },
        (32008, &[a, b, element_size, block_size, compression, ref level @ ..])
            if [a, b] == BITSHUFFLE_CD && level.len() <= 1 =>
        {
            let level = level.first().copied().unwrap_or(0);
            if (compression == BS_ZSTD) != (v.len() == 6) {
                return None;
            }
            Filter::Bitshuffle {
                element_size,
                block_size,
                compression,
                level,
            }
        }
        (32001, &[a, b, element_size, chunk_bytes, level, shuffle, codec])
            if [a, b] == BLOSC_CD =>
        {
            Filter::Blosc {
                element_size,
                chunk_bytes,
                level,
                shuffle,
                codec,
            }
        }
        _ => return None,
    };
    f.validate().ok().map(|()| f)
}
