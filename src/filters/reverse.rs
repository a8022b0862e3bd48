//! The read direction of the chunk filters: [`unapply`] undoes what
//! [`super::apply`] (or libhdf5) did to a chunk, checking every step,
//! because stored chunks come from untrusted files. Spec notes:
//! `spec-notes/filters.md` ("What we read").
//!
//! Memory is bounded by the size the caller expects (a chunk's size is
//! known from its layout), never by what a stream claims: a deflate stream
//! that inflates past it is refused as soon as it does.
//!
//! # Examples
//!
//! ```
//! use h5sink::filters::{apply, reverse::unapply};
//! use h5sink::format::filter_pipeline::Filter;
//!
//! let pipeline = [Filter::Shuffle { element_size: 2 }, Filter::Deflate { level: 6 }];
//! let chunk: Vec<u8> = (0..200u16).flat_map(|v| v.to_le_bytes()).collect();
//! let (stored, mask) = apply(&pipeline, &chunk)?;
//! assert_eq!(unapply(&pipeline, mask, &stored, chunk.len(), 0x800)?, chunk);
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::fletcher32::fletcher32;
use super::shuffle::unshuffle;
use crate::error::{Error, Result};
use crate::format::filter_pipeline::{Filter, MAX_FILTERS};
use std::borrow::Cow;

/// What the errors name.
const STRUCTURE: &str = "filtered chunk";

fn malformed(address: u64, reason: String) -> Error {
    Error::Malformed {
        structure: STRUCTURE,
        offset: address,
        reason,
    }
}

/// The length of the data entering each filter, as far as it is known:
/// `(bound, exact)`; index `filters.len()` is the stored chunk.
fn input_lengths(
    filters: &[Filter],
    mask: u32,
    expected_len: usize,
    address: u64,
) -> Result<Vec<(usize, bool)>> {
    let mut lens = Vec::with_capacity(filters.len() + 1);
    let (mut len, mut exact) = (expected_len, true);
    for (i, f) in filters.iter().enumerate() {
        lens.push((len, exact));
        if mask & (1 << i) != 0 {
            continue;
        }
        match f {
            Filter::Fletcher32 => {
                len = len.checked_add(4).ok_or_else(|| {
                    malformed(address, format!("chunk size {expected_len} overflows"))
                })?;
            }
            Filter::Deflate { .. } => {
                // Generous: zlib's compressBound is n + n/4096 + ... + 13
                // and libhdf5's buffer 1.001 n + 12, but zlib-ng style
                // level 1 (zlib-rs) can take 9/8 n on random bytes.
                len = len.saturating_add(len / 2).saturating_add(1024);
                exact = false;
            }
            Filter::Shuffle { .. } | Filter::ShuffleSkipped => {}
            _ if super::plugin::keeps_length(f) => {}
            _ => {
                // Generous: LZ4 blocks of 1 byte take 5 bytes each.
                len = len.saturating_mul(5).saturating_add(1024);
                exact = false;
            }
        }
        // Not compounding: a compressor inside compressors would make the
        // bound grow as 5^k, and the decoders size their output from it
        // (fuzz finding 6). Real pipelines never come near this cap.
        len = len.min(stacked_cap(expected_len));
    }
    lens.push((len, exact));
    Ok(lens)
}

/// The largest length any filter's data may have inside one chunk's
/// pipeline: five times the chunk plus 1 KiB (an LZ4 filter with 1-byte
/// blocks, the most any codec expands, stays under it). A stored chunk or
/// an intermediate result above it is refused before anything is
/// allocated for it.
fn stacked_cap(expected_len: usize) -> usize {
    expected_len.saturating_mul(5).saturating_add(1024)
}

/// Undo a chunk's filters: run the read direction of every filter of
/// `filters` whose bit in `mask` is clear (bit i set = filter i was
/// skipped when the chunk was written), last filter first, and return the
/// chunk's raw bytes, which must be exactly `expected_len` bytes (the
/// chunk dimensions times the element size). `address` is the chunk's
/// file address, named by the errors.
///
/// - Fletcher-32: the last 4 bytes must be the checksum of the rest (as a
///   little-endian u32, or the pair-swapped value libhdf5 before 1.6.3
///   wrote, which libhdf5 still accepts); they are stripped.
/// - Deflate: the zlib stream is inflated into at most the length the
///   data had before it (exact in h5py's pipelines); bytes after the end
///   of the stream are ignored, as libhdf5 does.
/// - Shuffle: [`unshuffle`] with the filter's element size.
///
/// Mask bits above the pipeline's length are ignored.
///
/// # Errors
///
/// [`Error::Malformed`] (structure "filtered chunk", offset `address`):
/// a checksum mismatch (naming both values), a chunk shorter than its
/// checksum, a corrupt or truncated zlib stream, a stream inflating past
/// the expected size (a "zip bomb": refused without allocating beyond
/// it), output of any other length than expected, more than 32 filters,
/// or a [`Filter::ShuffleSkipped`] whose mask bit is clear (that shuffle
/// has no element size, so no writer can have run it; libhdf5 fails too).
///
/// # Examples
///
/// ```
/// use h5sink::filters::{apply, deflate, unapply};
/// use h5sink::format::filter_pipeline::Filter;
/// use h5sink::Error;
///
/// let h5py = [Filter::Shuffle { element_size: 4 }, Filter::Deflate { level: 4 }, Filter::Fletcher32];
/// let chunk: Vec<u8> = (0..25i32).flat_map(|v| v.to_le_bytes()).collect();
/// let (mut stored, mask) = apply(&h5py, &chunk)?;
/// assert_eq!(unapply(&h5py, mask, &stored, 100, 0xfb0)?, chunk);
/// // A flipped bit fails the checksum.
/// stored[3] ^= 0x10;
/// let e = unapply(&h5py, mask, &stored, 100, 0xfb0).unwrap_err();
/// assert!(matches!(e, Error::Malformed { offset: 0xfb0, .. }));
/// assert!(e.to_string().contains("Fletcher-32 checksum"));
/// // A small stream of a megabyte of zeros is refused, not inflated.
/// let bomb = deflate(&vec![0; 1 << 20], 9);
/// let e = unapply(&[Filter::Deflate { level: 9 }], 0, &bomb, 1000, 0).unwrap_err();
/// assert!(e.to_string().contains("inflates past 1000 bytes"));
/// // Skipped filters (mask bit set) are not undone.
/// assert_eq!(unapply(&[Filter::Fletcher32], 0b1, b"raw", 3, 0)?, b"raw");
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn unapply(
    filters: &[Filter],
    mask: u32,
    stored: &[u8],
    expected_len: usize,
    address: u64,
) -> Result<Vec<u8>> {
    if filters.len() > MAX_FILTERS {
        return Err(malformed(
            address,
            format!(
                "{} filters, above the limit of {MAX_FILTERS}",
                filters.len()
            ),
        ));
    }
    let lens = input_lengths(filters, mask, expected_len, address)?;
    let mut data: Cow<[u8]> = Cow::Borrowed(stored);
    check_len(&data, lens.last().copied(), address, "stored chunk")?;
    for (i, f) in filters.iter().enumerate().rev() {
        if mask & (1 << i) != 0 {
            continue;
        }
        let (bound, _) = lens.get(i).copied().unwrap_or((0, true));
        data = match *f {
            Filter::Fletcher32 => Cow::Owned(verify_fletcher32(&data, address)?.to_vec()),
            Filter::Deflate { .. } => Cow::Owned(inflate_bounded(&data, bound, address)?),
            Filter::Shuffle { element_size } => {
                let size = usize::try_from(element_size).unwrap_or(usize::MAX);
                Cow::Owned(unshuffle(&data, size))
            }
            Filter::ShuffleSkipped => {
                return Err(malformed(
                    address,
                    format!(
                    "filter {i} (shuffle, no element size) is marked as applied (mask {mask:#x})"
                ),
                ))
            }
            _ => Cow::Owned(
                super::plugin::unapply_one(f, &data, bound).map_err(|r| malformed(address, r))?,
            ),
        };
        check_len(&data, lens.get(i).copied(), address, "filter output")?;
    }
    Ok(data.into_owned())
}

/// `data` must be `bound` bytes when `exact`, else at most `bound`.
fn check_len(data: &[u8], want: Option<(usize, bool)>, address: u64, what: &str) -> Result<()> {
    let (bound, exact) = want.unwrap_or((0, true));
    let ok = if exact {
        data.len() == bound
    } else {
        data.len() <= bound
    };
    if ok {
        return Ok(());
    }
    let relation = if exact { "" } else { "at most " };
    Err(malformed(
        address,
        format!("{what} is {} bytes, expected {relation}{bound}", data.len()),
    ))
}

/// The data before its Fletcher-32 checksum, once the checksum matches.
fn verify_fletcher32(data: &[u8], address: u64) -> Result<&[u8]> {
    let Some(split) = data.len().checked_sub(4) else {
        return Err(malformed(
            address,
            format!("{} bytes, too short for a Fletcher-32 checksum", data.len()),
        ));
    };
    let (body, tail) = data.split_at(split);
    let mut sum = [0u8; 4];
    sum.copy_from_slice(tail);
    let found = u32::from_le_bytes(sum);
    let expected = fletcher32(body);
    // libhdf5 before 1.6.3 swapped the bytes of each 16-bit half.
    let swapped = ((expected & 0x00ff_00ff) << 8) | ((expected >> 8) & 0x00ff_00ff);
    if found != expected && found != swapped {
        return Err(malformed(
            address,
            format!("Fletcher-32 checksum {found:#010x} stored, {expected:#010x} computed over {split} bytes"),
        ));
    }
    Ok(body)
}

/// Inflate the zlib stream `z` into at most `limit` bytes. Memory grows
/// with what the stream actually produces, up to `limit + 1` bytes.
fn inflate_bounded(z: &[u8], limit: usize, address: u64) -> Result<Vec<u8>> {
    use flate2::{Decompress, FlushDecompress, Status};
    let cap_max = limit.saturating_add(1);
    let first = z.len().saturating_mul(4).max(1 << 16).min(cap_max);
    let mut out = Vec::with_capacity(first);
    let mut inflater = Decompress::new(true);
    // Each round that does not return grows the buffer, so at most ~64.
    for _ in 0..128 {
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let rest = z.get(consumed..).unwrap_or_default();
        let status = inflater
            .decompress_vec(rest, &mut out, FlushDecompress::Finish)
            .map_err(|e| malformed(address, format!("corrupt zlib stream: {e}")))?;
        if out.len() > limit {
            return Err(malformed(
                address,
                format!("zlib stream inflates past {limit} bytes"),
            ));
        }
        if status == Status::StreamEnd {
            return Ok(out);
        }
        if out.len() < out.capacity() {
            // Room was left: the input ran out before the stream ended.
            return Err(malformed(
                address,
                format!(
                    "zlib stream of {} bytes ends early, after {} bytes of output",
                    z.len(),
                    out.len()
                ),
            ));
        }
        let grown = out.capacity().saturating_mul(2).min(cap_max);
        out.reserve_exact(grown.saturating_sub(out.len()));
    }
    Err(malformed(
        address,
        "zlib stream made no progress".to_string(),
    ))
}

#[cfg(test)]
mod tests;
