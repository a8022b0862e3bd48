//! Blosc 1 (filter 32001), written from c-blosc's header description: a
//! 16-byte header (format version 2, codec format version 1, flags, type
//! size, then little-endian u32 chunk size, block size and total stored
//! size), the little-endian u32 offsets of the blocks, then each block
//! (shuffled, or bit-shuffled when it holds a multiple of 8 elements, on
//! its own) as one or more streams of a
//! little-endian u32 size and LZ4 block or zstd frame bytes (a stream as
//! long as its raw bytes is raw). A chunk that does not shrink is stored
//! raw after the header ("memcpyed"). We write one stream per block (the
//! "don't split" flag); we read split blocks too. Spec notes:
//! `spec-notes/blosc.md`.

use super::lz4::{self, be32};
use crate::error::Result;

const VERSION: u8 = 2;
const VERSION_LZ: u8 = 1;
const HEADER: usize = 16;
const F_SHUFFLE: u8 = 0x01;
const F_MEMCPY: u8 = 0x02;
const F_BITSHUFFLE: u8 = 0x04;
const F_DONT_SPLIT: u8 = 0x10;
/// Codec numbers of the header's top 3 bits.
const FMT_LZ4: u8 = 1;
const FMT_ZSTD: u8 = 4;
/// The block size we aim for.
const TARGET_BLOCK: usize = 1 << 17;

/// The client data's codec code (1 lz4, 5 zstd) as a zstd flag.
fn is_zstd(codec: u32) -> bool {
    codec == 5
}

/// Blosc's type size: the element size, or 1 above 255 (as c-blosc does).
fn typesize(element_size: u32) -> usize {
    if element_size > 255 {
        1
    } else {
        element_size.max(1) as usize
    }
}

fn le32(v: usize) -> [u8; 4] {
    (v as u32).to_le_bytes()
}

fn get_le32(d: &[u8], at: usize) -> std::result::Result<usize, String> {
    be32(d, at).map(|v| v.swap_bytes() as usize)
}

/// Compress `chunk` as Blosc with client data `(element_size, level,
/// shuffle, codec)`.
///
/// # Errors
///
/// [`crate::Error::FieldOverflow`] for a chunk of 2 GiB or more (Blosc 1
/// sizes are 31-bit), or the zstd errors of [`super::zstd::frame`].
pub(crate) fn compress(
    chunk: &[u8],
    element_size: u32,
    level: u32,
    shuffle: u32,
    codec: u32,
) -> Result<Vec<u8>> {
    let n = chunk.len();
    let max = i32::MAX as usize - HEADER;
    if n > max {
        return Err(crate::Error::FieldOverflow {
            field: "Blosc chunk size",
            value: n as u64,
            max: max as u64,
        });
    }
    let ts = typesize(element_size);
    let unit = 8 * ts;
    let block = if n <= TARGET_BLOCK {
        n.max(1)
    } else {
        (TARGET_BLOCK / unit).max(1) * unit
    };
    let fmt = if is_zstd(codec) { FMT_ZSTD } else { FMT_LZ4 };
    let mut flags = F_DONT_SPLIT | (fmt << 5);
    flags |= match shuffle {
        1 if ts > 1 => F_SHUFFLE,
        2 => F_BITSHUFFLE,
        _ => 0,
    };
    let nblocks = n.div_ceil(block);
    let mut out = super::buffers::take(n + n / 255 + 32 + HEADER + 20 * nblocks);
    out.extend_from_slice(&[VERSION, VERSION_LZ, flags, ts as u8]);
    out.extend_from_slice(&le32(n));
    out.extend_from_slice(&le32(block));
    out.extend_from_slice(&le32(0));
    let starts = out.len();
    out.resize(starts + 4 * nblocks, 0);
    super::scratch::with_scratch(block.min(n), |pre| -> Result<()> {
        for (i, raw) in chunk.chunks(block).enumerate() {
            let at = out.len();
            out[starts + 4 * i..starts + 4 * i + 4].copy_from_slice(&le32(at));
            out.extend_from_slice(&[0; 4]);
            if is_zstd(codec) {
                let pre = prefilter(raw, ts, flags, &mut pre[..raw.len()]);
                out.extend_from_slice(&super::zstd::frame(pre, level)?);
            } else {
                // As c-blosc: acceleration 10 - clevel (1 at level 9); the
                // block shuffled straight into the compressor's input.
                let accel = 10u32.saturating_sub(level);
                lz4::block_filled_fast(raw.len(), &mut out, accel, |buf| {
                    if !shuffles(raw.len(), ts, flags) {
                        buf.copy_from_slice(raw);
                    }
                    prefilter(raw, ts, flags, buf);
                })?;
            }
            let z = out.len() - at - 4;
            if z == 0 || z >= raw.len() {
                out.truncate(at + 4);
                out.extend_from_slice(prefilter(raw, ts, flags, &mut pre[..raw.len()]));
            }
            let size = out.len() - at - 4;
            out[at..at + 4].copy_from_slice(&le32(size));
            if out.len() > n + HEADER {
                break;
            }
        }
        Ok(())
    })?;
    if out.len() > n + HEADER {
        out.truncate(HEADER);
        out[2] = (flags | F_MEMCPY) & !(F_SHUFFLE | F_BITSHUFFLE);
        out.extend_from_slice(chunk);
    }
    let total = out.len();
    out[12..16].copy_from_slice(&le32(total));
    Ok(out)
}

/// Whether [`prefilter`] shuffles a block of `len` bytes (else it passes
/// the block on as it is).
fn shuffles(len: usize, ts: usize, flags: u8) -> bool {
    flags & F_SHUFFLE != 0 || (flags & F_BITSHUFFLE != 0 && (len / ts) % 8 == 0)
}

/// The block as the flags shuffle it before compression: `raw` itself,
/// or `buf` (as long as `raw`) holding it shuffled.
fn prefilter<'a>(raw: &'a [u8], ts: usize, flags: u8, buf: &'a mut [u8]) -> &'a [u8] {
    if !shuffles(raw.len(), ts, flags) {
        return raw;
    }
    if flags & F_SHUFFLE != 0 {
        super::shuffle::shuffle_into(raw, ts, buf);
    } else {
        let whole = raw.len() / ts * ts;
        super::bit_transpose::transpose_block(&raw[..whole], ts, &mut buf[..whole]);
        buf[whole..].copy_from_slice(&raw[whole..]);
    }
    buf
}

/// Undo [`compress`] (and read what c-blosc 1 writes, split blocks
/// included); the chunk must be `expected` bytes.
pub(crate) fn decompress(d: &[u8], expected: usize) -> std::result::Result<Vec<u8>, String> {
    let head = d
        .get(..HEADER)
        .ok_or_else(|| format!("Blosc chunk of {} bytes, shorter than its header", d.len()))?;
    let (version, flags, ts) = (head[0], head[2], usize::from(head[3]).max(1));
    let (n, block, total) = (get_le32(d, 4)?, get_le32(d, 8)?, get_le32(d, 12)?);
    if version == 0 || version > VERSION || n != expected || total > d.len() {
        return Err(format!(
            "Blosc header: version {version}, {n} bytes (expected {expected}), {total} stored of {}",
            d.len()
        ));
    }
    if flags & F_MEMCPY != 0 {
        return d
            .get(HEADER..HEADER + n)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| {
                format!(
                    "memcpyed Blosc chunk of {} bytes holds fewer than {n}",
                    d.len()
                )
            });
    }
    let zstd = match flags >> 5 {
        FMT_LZ4 => false,
        FMT_ZSTD => true,
        other => return Err(format!("Blosc codec {other} (h5sink reads lz4 and zstd)")),
    };
    if block == 0 {
        return Err(format!("Blosc block size {block} for {n} bytes"));
    }
    let mut out = Vec::with_capacity(n);
    for (i, at) in (0..n).step_by(block).enumerate() {
        let bsize = block.min(n - at);
        let leftover = bsize < block;
        let mut pos = get_le32(d, HEADER + 4 * i)?;
        let splits = if flags & F_DONT_SPLIT == 0 && !leftover && bsize % ts == 0 {
            ts
        } else {
            1
        };
        let part = bsize / splits;
        let mut pre = Vec::with_capacity(bsize);
        for _ in 0..splits {
            let size = get_le32(d, pos)?;
            pos += 4;
            let z = d.get(pos..pos.saturating_add(size)).ok_or_else(|| {
                format!(
                    "Blosc stream of {size} bytes at byte {pos} runs past {} bytes",
                    d.len()
                )
            })?;
            pos += size;
            if size == part {
                pre.extend_from_slice(z);
            } else if zstd {
                pre.extend_from_slice(&super::zstd::unframe(z, part)?);
            } else {
                pre.extend_from_slice(&lz4::unblock(z, part)?);
            }
        }
        out.extend_from_slice(&if flags & F_SHUFFLE != 0 {
            super::shuffle::unshuffle(&pre, ts)
        } else if flags & F_BITSHUFFLE != 0 && (bsize / ts) % 8 == 0 {
            super::bitshuffle::unshuffle(&pre, ts, bsize / ts)
        } else {
            pre
        });
    }
    Ok(out)
}

#[cfg(all(
    test,
    feature = "blosc",
    feature = "zstd",
    feature = "bitshuffle",
    feature = "lz4"
))]
mod tests;
