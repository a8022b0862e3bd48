//! LZF (filter 32000, built into h5py): h5sink's own compressor and
//! decompressor for the LZF format, written from its description. A
//! stream is a series of runs, each led by a control byte: below 32, a
//! literal run of `ctrl + 1` bytes follows; otherwise a back reference of
//! `ctrl >> 5` plus 2 bytes (the 3-bit length 7 takes an extra byte added
//! to it), `((ctrl & 31) << 8 | next byte) + 1` bytes back. The filter
//! stores the bare stream; a chunk LZF cannot shrink is stored raw with
//! the filter's mask bit set, as h5py's filter fails it. Spec notes:
//! `spec-notes/lzf.md`.

/// The farthest back a reference reaches.
const MAX_OFF: usize = 1 << 13;
/// The longest reference: 2 + 7 + 255 bytes.
const MAX_REF: usize = 264;
/// The longest literal run.
const MAX_LIT: usize = 32;
/// log2 of the match finder's table size.
const HLOG: u32 = 14;

use super::words::{r32, r64};

/// The table slot of the 3 bytes at the bottom of `v`.
#[inline(always)]
fn hash(v: u32) -> usize {
    ((v & 0x00FF_FFFF).wrapping_mul(2_654_435_761) >> (32 - HLOG)) as usize
}

/// Write `data[from..to]` at `op` as literal runs of at most 32 bytes;
/// returns the new `op`. `dst` has 32 bytes of room past the runs.
#[inline(always)]
fn literals(dst: &mut [u8], mut op: usize, data: &[u8], mut from: usize, to: usize) -> usize {
    while from < to {
        let run = (to - from).min(MAX_LIT);
        dst[op] = (run - 1) as u8;
        if from + MAX_LIT <= data.len() {
            // A fixed-size copy; bytes past `run` are overwritten next.
            dst[op + 1..op + 1 + MAX_LIT].copy_from_slice(&data[from..from + MAX_LIT]);
        } else {
            dst[op + 1..op + 1 + run].copy_from_slice(&data[from..from + run]);
        }
        op += 1 + run;
        from += run;
    }
    op
}

/// The length of the match at `ip` against `cand` (3 bytes known equal),
/// at most `max`.
#[inline(always)]
fn match_len(data: &[u8], ip: usize, cand: usize, max: usize) -> usize {
    let mut len = 3;
    while len + 8 <= max {
        let x = r64(data, ip + len) ^ r64(data, cand + len);
        if x != 0 {
            return len + (x.trailing_zeros() / 8) as usize;
        }
        len += 8;
    }
    while len < max && data[cand + len] == data[ip + len] {
        len += 1;
    }
    len
}

/// Compress `data`; `None` when the stream would be longer than `data`
/// (the chunk is then stored raw, its mask bit set).
pub(crate) fn compress(data: &[u8]) -> Option<Vec<u8>> {
    let n = data.len();
    // Literal runs cost 33 bytes per 32, references at most one byte per
    // byte, and a fixed-size literal copy writes up to 32 bytes past its run.
    let mut out = super::buffers::filled(n + n / MAX_LIT + 2 * (MAX_LIT + 1) + 4, 0);
    let dst = &mut out[..];
    // Positions plus one (0: empty).
    let mut table = [0u32; 1 << HLOG];
    let (mut ip, mut lit_start, mut op) = (0usize, 0usize, 0usize);
    while ip + 4 <= n {
        let v = r32(data, ip);
        let h = hash(v);
        let cand = table[h] as usize;
        table[h] = ip as u32 + 1;
        if cand == 0 || ip - (cand - 1) > MAX_OFF || (r32(data, cand - 1) ^ v) & 0x00FF_FFFF != 0 {
            ip += 1;
            continue;
        }
        let cand = cand - 1;
        let len = match_len(data, ip, cand, MAX_REF.min(n - ip));
        op = literals(dst, op, data, lit_start, ip);
        let off = ip - cand - 1;
        let l = len - 2;
        if l < 7 {
            dst[op] = ((l as u8) << 5) | (off >> 8) as u8;
            op += 1;
        } else {
            dst[op] = (7 << 5) | (off >> 8) as u8;
            dst[op + 1] = (l - 7) as u8;
            op += 2;
        }
        dst[op] = off as u8;
        op += 1;
        if op > n {
            return None;
        }
        ip += len;
        lit_start = ip;
        // Index the match's last positions for the next search.
        for p in ip - 2..ip {
            if p + 4 <= n {
                table[hash(r32(data, p))] = p as u32 + 1;
            }
        }
    }
    op = literals(dst, op, data, lit_start, n);
    if op > n {
        return None;
    }
    out.truncate(op);
    Some(out)
}

/// Decompress an LZF stream that must give exactly `expected` bytes.
pub(crate) fn decompress(z: &[u8], expected: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(expected);
    let mut ip = 0;
    let short = |ip: usize| {
        format!(
            "LZF stream of {} bytes ends inside the run at byte {ip}",
            z.len()
        )
    };
    let over = || format!("LZF stream decompresses past {expected} bytes");
    while ip < z.len() {
        let ctrl = usize::from(z[ip]);
        ip += 1;
        if ctrl < 32 {
            let run = z.get(ip..ip + ctrl + 1).ok_or_else(|| short(ip))?;
            if out.len() + run.len() > expected {
                return Err(over());
            }
            out.extend_from_slice(run);
            ip += ctrl + 1;
            continue;
        }
        let mut len = ctrl >> 5;
        if len == 7 {
            len += usize::from(*z.get(ip).ok_or_else(|| short(ip))?);
            ip += 1;
        }
        len += 2;
        let back = ((ctrl & 31) << 8 | usize::from(*z.get(ip).ok_or_else(|| short(ip))?)) + 1;
        ip += 1;
        if back > out.len() {
            return Err(format!(
                "LZF reference {back} bytes back at output byte {}",
                out.len()
            ));
        }
        if out.len() + len > expected {
            return Err(over());
        }
        let from = out.len() - back;
        for i in 0..len {
            out.push(out[from + i]);
        }
    }
    if out.len() != expected {
        return Err(format!(
            "LZF stream gives {} bytes, expected {expected}",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(all(test, feature = "lzf", feature = "lz4"))]
mod tests {
    use super::*;
    use crate::format::hex;

    fn chunk() -> Vec<u8> {
        (0..300)
            .flat_map(|i| ((i % 7) as f32).to_le_bytes())
            .collect()
    }

    /// h5py 3.16 `compression='lzf'` on float32 `arange(1000) % 7`, chunk
    /// (30, 10), chunk (0, 0) (53 bytes).
    const H5PY: &str = "010000400001803f2005034000004020030080200300a0200300c020034000e0ff1be1ff174000e2ff13e2ff134000e25b1301a040";

    #[test]
    fn reads_h5py_and_round_trips() {
        let z = hex(H5PY);
        assert_eq!(decompress(&z, 1200).unwrap(), chunk());
        assert!(decompress(&z, 1199).is_err());
        assert!(decompress(&z, 1201).is_err());
        let noise = crate::filters::lz4::tests::xorshift(5000);
        let mut mixed = noise.clone();
        mixed.extend(std::iter::repeat(3u8).take(10_000));
        mixed.extend_from_slice(&noise[..300]);
        for data in [
            chunk(),
            vec![9u8; 1 << 16],
            mixed,
            vec![1, 2, 3, 1, 2, 3, 1, 2, 3],
            vec![],
        ] {
            let z = compress(&data).unwrap();
            assert!(z.len() <= data.len());
            assert_eq!(decompress(&z, data.len()).unwrap(), data);
        }
        assert!(compress(&noise).is_none());
        assert!(compress(&[5]).is_none()); // 2 bytes: longer than 1
    }

    #[test]
    fn edge_lengths_and_long_runs() {
        let noise = crate::filters::lz4::tests::xorshift(70_000);
        let relu = crate::filters::lz4::tests::relu_like(70_000);
        for n in (0..80).chain([255, 256, 1000, 8191, 8192, 8193, 65_536, 70_000]) {
            for data in [&relu[..n], &noise[..n]] {
                if let Some(z) = compress(data) {
                    assert!(z.len() <= data.len(), "{n}");
                    assert_eq!(decompress(&z, data.len()).unwrap(), data, "{n}");
                }
            }
            let zeros = vec![0u8; n];
            if n >= 8 {
                let z = compress(&zeros).unwrap();
                assert_eq!(decompress(&z, n).unwrap(), zeros, "{n}");
            }
        }
        // Runs of references, each at most 264 bytes: 100,000 zeros take
        // 379 of them (2 + 3 bytes each) after one literal.
        let z = compress(&vec![0u8; 100_000]).unwrap();
        assert!(z.len() < 100_000 / 264 * 3 + 16, "{}", z.len());
        // Half-compressible data stays within a few per cent of its size.
        let z = compress(&relu).unwrap();
        assert!(z.len() < relu.len() * 6 / 10, "{}", z.len());
    }

    #[test]
    fn hostile_streams_are_refused() {
        let z = compress(&chunk()).unwrap();
        for cut in 0..z.len() {
            assert!(decompress(&z[..cut], 1200).is_err(), "cut {cut}");
        }
        for bit in 0..z.len() * 8 {
            let mut bad = z.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            if let Ok(out) = decompress(&bad, 1200) {
                assert_eq!(out.len(), 1200);
            }
        }
        assert!(decompress(&[0x20, 0x00], 3).is_err()); // a reference before any output
    }
}
