//! Reading rows back, for every layout h5sink writes: compact data (in the
//! header), staged images of small datasets not yet on disk, contiguous
//! data blocks (space never written reads as the fill value), and chunks
//! (see [`chunk_read`](crate::engine::chunk_read)).

use crate::engine::chunk_read;
use crate::engine::io::Io;
use crate::engine::model::DatasetMeta;
use crate::error::{Error, Result};
use crate::format::field::UNDEF_ADDR;

/// The bytes of rows `start..start + count` of `d` (a scalar has one row
/// of one element), in the file's element format, in `out`: a buffer of
/// exactly that many bytes. The caller checked the range.
pub(crate) fn read_rows(
    io: &Io,
    d: &DatasetMeta,
    start: u64,
    count: u64,
    out: &mut [u8],
) -> Result<()> {
    let row_bytes = d.row_len() * d.elem();
    if let Some(c) = &d.chunked {
        fill(out, d.fill.as_deref());
        return chunk_read::read_rows(io, c, &d.shape, d.elem(), start, count, out);
    }
    let offset = start * row_bytes;
    let in_memory = d.compact.as_deref().or(d.staged.as_deref());
    if let Some(data) = in_memory {
        let from = usize::try_from(offset).unwrap_or(usize::MAX);
        let src = from
            .checked_add(out.len())
            .and_then(|to| data.get(from..to))
            .ok_or_else(|| Error::Bug {
                what: format!(
                    "{} bytes at {offset} read from in-memory data of {} bytes",
                    out.len(),
                    data.len()
                ),
            })?;
        out.copy_from_slice(src);
        return Ok(());
    }
    if out.is_empty() {
        return Ok(());
    }
    if d.address == UNDEF_ADDR {
        fill(out, d.fill.as_deref());
        return Ok(());
    }
    // The block was fresh space, filled with a non-zero fill value at
    // creation: what was never written past the end of the file is zeros.
    let at = d.address + offset;
    let eof = io.read_len()?;
    let on_disk = usize::try_from(eof.saturating_sub(at)).map_or(out.len(), |n| n.min(out.len()));
    let (present, past) = out.split_at_mut(on_disk);
    if !present.is_empty() {
        io.read_at(at, present)?;
    }
    past.fill(0);
    Ok(())
}

/// Fill `out` with the fill value `fill` (one element), or zeros.
pub(crate) fn fill(out: &mut [u8], fill: Option<&[u8]>) {
    match fill {
        Some(f) if !f.is_empty() && f.iter().any(|&b| b != 0) => {
            for (dst, &src) in out.iter_mut().zip(f.iter().cycle()) {
                *dst = src;
            }
        }
        _ => out.fill(0),
    }
}
