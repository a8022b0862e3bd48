//! Bitshuffle (filter 32008): within blocks of elements, bit `k` of byte `j`
//! of every element is gathered into one bit plane (plane `8 j + k`, one bit
//! per element, element `i` at bit `i % 8` of byte `i / 8`); elements past
//! the last multiple of 8 are copied unchanged. With compression, each
//! block's planes are one LZ4 block or zstd frame after its size (u32
//! big-endian), behind a header of the chunk size (u64 big-endian) and the
//! block size in bytes (u32 big-endian). Spec notes:
//! `spec-notes/bitshuffle.md`.

use super::bit_transpose::{transpose_block, untranspose_block};
use super::lz4::{be32, be64};
use crate::error::Result;

/// Bitshuffle's target block size in bytes, before rounding.
const TARGET_BLOCK_BYTES: usize = 8192;
/// The smallest default block, in elements.
const MIN_DEFAULT_BLOCK: usize = 128;
/// Compression codes of the client data.
pub(crate) const NONE: u32 = 0;
pub(crate) const ZSTD: u32 = 3;

/// The block size in elements for a setting of the client data (0: the
/// default, 8192 bytes worth rounded down to a multiple of 8, at least 128).
pub(crate) fn block_elems(setting: u32, elem: usize) -> usize {
    if setting != 0 {
        return setting as usize;
    }
    (TARGET_BLOCK_BYTES / elem.max(1) / 8 * 8).max(MIN_DEFAULT_BLOCK)
}

/// The blocks of a chunk of `n` elements: (first element, element count),
/// each a multiple of 8; the elements after them are copied unchanged.
fn blocks(n: usize, block: usize) -> impl Iterator<Item = (usize, usize)> {
    let whole = n / 8 * 8;
    (0..whole)
        .step_by(block.max(8))
        .map(move |at| (at, block.min(whole - at)))
}

/// Bitshuffle `chunk` (elements of `s` bytes) without compression: the same
/// length, block by block.
pub(crate) fn shuffle(chunk: &[u8], s: usize, block: usize) -> Vec<u8> {
    let mut out = super::buffers::filled(chunk.len(), 0);
    let mut done = 0;
    for (at, len) in blocks(chunk.len() / s.max(1), block) {
        let r = at * s..(at + len) * s;
        transpose_block(&chunk[r.clone()], s, &mut out[r]);
        done = (at + len) * s;
    }
    out[done..].copy_from_slice(&chunk[done..]);
    out
}

/// Undo [`shuffle`].
pub(crate) fn unshuffle(data: &[u8], s: usize, block: usize) -> Vec<u8> {
    let mut out = data.to_vec();
    for (at, len) in blocks(data.len() / s.max(1), block) {
        let r = at * s..(at + len) * s;
        untranspose_block(&data[r.clone()], s, &mut out[r]);
    }
    out
}

/// The filter's write direction for client data `(s, setting, compression,
/// level)`.
///
/// # Errors
///
/// [`crate::Error::Unsupported`] when the inner codec's feature is off.
pub(crate) fn compress(
    chunk: &[u8],
    s: usize,
    setting: u32,
    compression: u32,
    level: u32,
) -> Result<Vec<u8>> {
    let block = block_elems(setting, s);
    if compression == NONE {
        return Ok(shuffle(chunk, s, block));
    }
    let n = chunk.len() / s;
    let nblocks = n / block + 1;
    let mut out = super::buffers::take(chunk.len() + chunk.len() / 255 + 16 + 20 * nblocks);
    out.extend_from_slice(&(chunk.len() as u64).to_be_bytes());
    out.extend_from_slice(&((block * s) as u32).to_be_bytes());
    let done = super::scratch::with_scratch(block * s, |planes| -> Result<usize> {
        let mut done = 0;
        for (at, len) in blocks(n, block) {
            let r = at * s..(at + len) * s;
            let size_at = out.len();
            out.extend_from_slice(&[0; 4]);
            if compression == ZSTD {
                let p = &mut planes[..len * s];
                transpose_block(&chunk[r], s, p);
                out.extend_from_slice(&super::zstd::frame(p, level)?);
            } else {
                // Transposed straight into the LZ4 compressor's input.
                super::lz4::block_filled_fast(len * s, &mut out, 1, |p| {
                    transpose_block(&chunk[r], s, p)
                })?;
            }
            let z = out.len() - size_at - 4;
            out[size_at..size_at + 4].copy_from_slice(&(z as u32).to_be_bytes());
            done = at + len;
        }
        Ok(done)
    })?;
    out.extend_from_slice(&chunk[done * s..]);
    Ok(out)
}

/// Undo [`compress`]; the chunk must be `expected` bytes.
pub(crate) fn decompress(
    data: &[u8],
    expected: usize,
    s: usize,
    setting: u32,
    compression: u32,
) -> std::result::Result<Vec<u8>, String> {
    if compression == NONE {
        if data.len() != expected {
            return Err(format!(
                "bitshuffled chunk is {} bytes, expected {expected}",
                data.len()
            ));
        }
        return Ok(unshuffle(data, s, block_elems(setting, s)));
    }
    let total = be64(data, 0)?;
    if total != expected as u64 {
        return Err(format!(
            "bitshuffle header says {total} bytes, expected {expected}"
        ));
    }
    let block_bytes = be32(data, 8)? as usize;
    if s == 0 || block_bytes == 0 || block_bytes % (8 * s) != 0 {
        return Err(format!(
            "bitshuffle block of {block_bytes} bytes for {s}-byte elements"
        ));
    }
    let mut out = vec![0u8; expected];
    let mut at = 12usize;
    let mut done = 0;
    for (first, len) in blocks(expected / s, block_bytes / s) {
        let size = be32(data, at)? as usize;
        at += 4;
        let z = data.get(at..at.saturating_add(size)).ok_or_else(|| {
            format!(
                "bitshuffle block of {size} bytes at byte {at} runs past the chunk's {} bytes",
                data.len()
            )
        })?;
        at += size;
        let planes = if compression == ZSTD {
            super::zstd::unframe(z, len * s)?
        } else {
            super::lz4::unblock(z, len * s)?
        };
        untranspose_block(&planes, s, &mut out[first * s..(first + len) * s]);
        done = first + len;
    }
    let rest = &mut out[done * s..];
    let tail = data.get(at..at + rest.len()).ok_or_else(|| {
        format!(
            "bitshuffled chunk of {} bytes ends before its last {} bytes",
            data.len(),
            rest.len()
        )
    })?;
    rest.copy_from_slice(tail);
    Ok(out)
}

#[cfg(all(test, feature = "bitshuffle", feature = "zstd"))]
pub(crate) mod tests;
