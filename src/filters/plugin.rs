//! Both directions of the plugin filters (LZF, LZ4, bitshuffle, zstd,
//! Blosc) for [`super::apply`] and [`super::unapply`], and the check that
//! this build has each one's codec (cargo features `lzf`, `lz4`,
//! `bitshuffle`, `zstd`, `blosc`, all on by default). Spec notes:
//! `spec-notes/plugin-filters.md`.

use super::{bitshuffle, blosc, lz4, lzf, zstd};
use crate::error::{Error, Result};
use crate::format::filter_pipeline::Filter;

/// The cargo feature a filter needs that this build lacks, if any.
fn missing_feature(f: &Filter) -> Option<&'static str> {
    let zstd_inside = matches!(
        f,
        Filter::Zstd { .. }
            | Filter::Bitshuffle {
                compression: bitshuffle::ZSTD,
                ..
            }
            | Filter::Blosc { codec: 5, .. }
    );
    let own = match f {
        Filter::Lzf { .. } => cfg!(feature = "lzf").then_some(()).ok_or("lzf"),
        Filter::Lz4 { .. } => cfg!(feature = "lz4").then_some(()).ok_or("lz4"),
        Filter::Bitshuffle { .. } => cfg!(feature = "bitshuffle")
            .then_some(())
            .ok_or("bitshuffle"),
        Filter::Blosc { .. } => cfg!(feature = "blosc").then_some(()).ok_or("blosc"),
        _ => Ok(()),
    };
    match own {
        Err(name) => Some(name),
        Ok(()) if zstd_inside && !cfg!(feature = "zstd") => Some("zstd"),
        Ok(()) => None,
    }
}

/// Refuse a pipeline with a filter whose codec this build leaves out.
///
/// # Errors
///
/// [`Error::Unsupported`] naming the filter and the cargo feature.
pub(crate) fn check_built(filters: &[Filter]) -> Result<()> {
    match filters
        .iter()
        .find_map(|f| missing_feature(f).map(|m| (f, m)))
    {
        None => Ok(()),
        Some((f, feature)) => Err(Error::Unsupported {
            structure: "filter pipeline message",
            offset: 0,
            detail: format!(
                "filter {} ({}): h5sink was built without its `{feature}` feature",
                f.id(),
                f.name().split(';').next().unwrap_or_default()
            ),
        }),
    }
}

/// Run plugin filter `f` on `data`: `Ok(None)` when the filter fails the
/// chunk (LZF that cannot shrink it) and the chunk is stored without it.
pub(crate) fn apply_one(f: &Filter, data: &[u8]) -> Result<Option<Vec<u8>>> {
    check_built(std::slice::from_ref(f))?;
    Ok(Some(match *f {
        Filter::Lzf { .. } => return Ok(lzf::compress(data)),
        Filter::Lz4 { block_size } => lz4::compress(data, block_size)?,
        Filter::Zstd { level } => zstd::frame(data, level)?,
        Filter::Bitshuffle {
            element_size,
            block_size,
            compression,
            level,
        } => bitshuffle::compress(data, element_size as usize, block_size, compression, level)?,
        Filter::Blosc {
            element_size,
            level,
            shuffle,
            codec,
            ..
        } => blosc::compress(data, element_size, level, shuffle, codec)?,
        _ => {
            return Err(Error::Bug {
                what: format!("filter {} is not a plugin filter", f.id()),
            })
        }
    }))
}

/// Undo plugin filter `f`: the result must be `expected` bytes.
pub(crate) fn unapply_one(
    f: &Filter,
    data: &[u8],
    expected: usize,
) -> std::result::Result<Vec<u8>, String> {
    check_built(std::slice::from_ref(f)).map_err(|e| e.to_string())?;
    match *f {
        Filter::Lzf { .. } => lzf::decompress(data, expected),
        Filter::Lz4 { .. } => lz4::decompress(data, expected),
        Filter::Zstd { .. } => zstd::unframe(data, expected),
        Filter::Bitshuffle {
            element_size,
            block_size,
            compression,
            ..
        } => bitshuffle::decompress(
            data,
            expected,
            element_size as usize,
            block_size,
            compression,
        ),
        Filter::Blosc { .. } => blosc::decompress(data, expected),
        _ => Err(format!("filter {} is not a plugin filter", f.id())),
    }
}

/// Whether the filter keeps the length (bitshuffle without compression).
pub(crate) fn keeps_length(f: &Filter) -> bool {
    matches!(
        f,
        Filter::Bitshuffle {
            compression: bitshuffle::NONE,
            ..
        }
    )
}
