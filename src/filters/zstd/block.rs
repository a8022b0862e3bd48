//! Frames and blocks (RFC 8878, 3.1.1 and 3.1.1.2): the frame header with
//! its content size, then blocks of at most 128 KiB, each stored raw, as
//! one repeated byte (RLE) or compressed, whichever is smallest. No
//! checksum is written.

use super::find::Finder;
use super::matcher::Out;
use super::{literals, sequences};

/// zstd's frame magic number, little-endian.
pub(super) const MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// The largest block (Block_Maximum_Size with any window of 128 KiB+).
pub(super) const MAX_BLOCK: usize = 128 << 10;
/// Inputs up to this size are single-segment frames (the window is the
/// whole content); larger ones declare a window of this size.
const MAX_SINGLE: u64 = 1 << 27;
/// Block types (Block_Type).
const RAW: u32 = 0;
const RLE: u32 = 1;
const COMPRESSED: u32 = 2;

/// The frame header: magic, descriptor, window (multi-segment only) and
/// the content size in the fewest bytes that hold it.
fn header(size: u64, out: &mut Vec<u8>) {
    out.extend_from_slice(&MAGIC);
    let single = size <= MAX_SINGLE;
    let flag: u8 = match size {
        s if s < 256 && single => 0,
        s if (256..65_536 + 256).contains(&s) => 1,
        s if s <= u64::from(u32::MAX) => 2,
        _ => 3,
    };
    out.push(flag << 6 | u8::from(single) << 5);
    if !single {
        // Exponent 27 - 10, mantissa 0: a 128 MiB window.
        out.push(17 << 3);
    }
    match flag {
        0 => out.push(size as u8),
        1 => out.extend_from_slice(&((size - 256) as u16).to_le_bytes()),
        2 => out.extend_from_slice(&(size as u32).to_le_bytes()),
        _ => out.extend_from_slice(&size.to_le_bytes()),
    }
}

fn block_header(last: bool, kind: u32, size: usize, out: &mut Vec<u8>) {
    let h = u32::from(last) | kind << 1 | (size as u32) << 3;
    out.extend_from_slice(&h.to_le_bytes()[..3]);
}

/// One frame of `data` compressed at `level` (1 to 22).
pub(super) fn frame(data: &[u8], level: u32) -> Vec<u8> {
    let mut out = crate::filters::buffers::take(data.len() / 2 + 32);
    header(data.len() as u64, &mut out);
    if data.is_empty() {
        block_header(true, RAW, 0, &mut out);
        return out;
    }
    let window = data.len().min(MAX_SINGLE as usize);
    let mut finder = Finder::new(level, window, data.len());
    let mut reps = [1, 4, 8];
    let mut start = 0;
    let mut body = Vec::new();
    while start < data.len() {
        let end = (start + MAX_BLOCK).min(data.len());
        let last = end == data.len();
        let raw = &data[start..end];
        if literals::is_run(raw) {
            block_header(last, RLE, raw.len(), &mut out);
            out.push(raw[0]);
            // Matches into this block stay valid: enter it all the same.
            finder.block(data, start, end, &mut Out::new(reps, 0));
            start = end;
            continue;
        }
        let mut found = Out::new(reps, end - start);
        finder.block(data, start, end, &mut found);
        body.clear();
        literals::section(&found.lits, &mut body);
        sequences::section(&found.seqs, &mut body);
        if body.len() < raw.len() {
            block_header(last, COMPRESSED, body.len(), &mut out);
            out.extend_from_slice(&body);
            reps = found.reps;
        } else {
            // The decoder keeps its repeat offsets over a raw block.
            block_header(last, RAW, raw.len(), &mut out);
            out.extend_from_slice(raw);
        }
        start = end;
    }
    out
}
