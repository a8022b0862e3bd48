//! The literals section of a compressed block (RFC 8878, 3.1.1.3.1): raw,
//! RLE, or Huffman-coded in one stream (up to 1023 bytes) or four, whichever
//! is smallest.

use super::huffman::Code;

/// Section types (Literals_Block_Type).
const RAW: u32 = 0;
const RLE: u32 = 1;
const COMPRESSED: u32 = 2;
/// Fewer literals than this are stored raw: a table costs more.
const MIN_HUFFMAN: usize = 32;

/// The header of a raw or RLE section of `n` bytes (n < 2^20).
fn plain_header(kind: u32, n: usize, out: &mut Vec<u8>) {
    let n = n as u32;
    if n < 32 {
        out.push((kind | n << 3) as u8);
    } else if n < 4096 {
        out.extend_from_slice(&(kind | 1 << 2 | n << 4).to_le_bytes()[..2]);
    } else {
        out.extend_from_slice(&(kind | 3 << 2 | n << 4).to_le_bytes()[..3]);
    }
}

/// Whether `raw` is one byte repeated (compared eight bytes at a time).
pub(super) fn is_run(raw: &[u8]) -> bool {
    let Some(&first) = raw.first() else {
        return true;
    };
    let word = [first; 8];
    let mut words = raw.chunks_exact(8);
    words.all(|w| w == word) && words.remainder().iter().all(|&b| b == first)
}

/// Append the literals section for `lits` (at most 128 KiB) to `out`.
pub(super) fn section(lits: &[u8], out: &mut Vec<u8>) {
    if let Some(&first) = lits.first() {
        if lits.len() > 1 && is_run(lits) {
            plain_header(RLE, lits.len(), out);
            out.push(first);
            return;
        }
    }
    if lits.len() >= MIN_HUFFMAN {
        if let Some(z) = huffman(lits) {
            out.extend_from_slice(&z);
            return;
        }
    }
    plain_header(RAW, lits.len(), out);
    out.extend_from_slice(lits);
}

/// How often each byte occurs in `data`, counted in four interleaved
/// tables (repeated bytes do not wait on one counter).
fn histogram(data: &[u8]) -> [u32; 256] {
    let mut t = [[0u32; 256]; 4];
    let mut quads = data.chunks_exact(4);
    for q in &mut quads {
        t[0][usize::from(q[0])] += 1;
        t[1][usize::from(q[1])] += 1;
        t[2][usize::from(q[2])] += 1;
        t[3][usize::from(q[3])] += 1;
    }
    for &b in quads.remainder() {
        t[0][usize::from(b)] += 1;
    }
    std::array::from_fn(|i| t[0][i] + t[1][i] + t[2][i] + t[3][i])
}

/// The Huffman-coded section, if it is smaller than the raw one.
fn huffman(lits: &[u8]) -> Option<Vec<u8>> {
    let counts = histogram(lits);
    let (code, desc) = Code::build(&counts)?;
    let n = lits.len();
    let raw_size = n + if n < 32 {
        1
    } else if n < 4096 {
        2
    } else {
        3
    };
    let single = n <= 1023;
    let estimate =
        desc.len() + (code.cost(&counts) as usize).div_ceil(8) + if single { 3 } else { 10 };
    if estimate >= raw_size {
        return None;
    }
    let mut body = desc;
    if single {
        body = code.stream(lits, body);
    } else {
        let seg = n.div_ceil(4);
        let jump = body.len();
        body.extend_from_slice(&[0; 6]);
        let mut ends = [0usize; 4];
        for (i, part) in lits.chunks(seg).enumerate() {
            body = code.stream(part, body);
            if let Some(e) = ends.get_mut(i) {
                *e = body.len();
            }
        }
        let mut prev = jump + 6;
        for i in 0..3 {
            let size = u16::try_from(ends[i] - prev).ok()?;
            body[jump + 2 * i..jump + 2 * i + 2].copy_from_slice(&size.to_le_bytes());
            prev = ends[i];
        }
    }
    let c = body.len();
    let (format, bits) = if single {
        (0u32, 10)
    } else if n < 1 << 10 && c < 1 << 10 {
        (1, 10)
    } else if n < 1 << 14 && c < 1 << 14 {
        (2, 14)
    } else if n < 1 << 18 && c < 1 << 18 {
        (3, 18)
    } else {
        return None;
    };
    let header = u64::from(COMPRESSED | format << 2) | (n as u64) << 4 | (c as u64) << (4 + bits);
    let hlen = (4 + 2 * bits as usize).div_ceil(8);
    if hlen + c >= raw_size {
        return None;
    }
    let mut out = header.to_le_bytes()[..hlen].to_vec();
    out.extend_from_slice(&body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_one_byte_repeated() {
        assert!(is_run(&[]));
        assert!(is_run(&[7; 1]));
        assert!(is_run(&[7; 8]));
        assert!(is_run(&[7; 21]));
        for len in [2, 8, 9, 16, 23] {
            for at in 0..len {
                let mut v = vec![7u8; len];
                v[at] = 6;
                assert!(!is_run(&v), "{len} {at}");
            }
        }
    }
}
