//! The HDF5 LZ4 filter (32004): the chunk cut into blocks, each an LZ4 block
//! (h5sink's own compressor, `lz4_block`), behind a header of the
//! chunk's size (u64 big-endian) and the block size (u32 big-endian); each
//! block is its compressed size (u32 big-endian) then its bytes, or the raw
//! block when LZ4 does not make it smaller. Also the LZ4 block primitives
//! bitshuffle and Blosc use. Spec notes: `spec-notes/lz4-filter.md`.

use crate::error::{Error, Result};
use crate::format::filter_pipeline::plugin::MAX_LZ4_BLOCK;

/// The filter's default block size (1 GiB) when its client data says 0.
pub(crate) const DEFAULT_BLOCK: u32 = 1 << 30;

/// Whether this build has an LZ4 codec.
const ON: bool = cfg!(any(
    feature = "lz4",
    feature = "bitshuffle",
    feature = "blosc"
));

/// Append one LZ4 block of `data` (no size prefix) to `out`, with LZ4's
/// default acceleration (1), as the LZ4 and bitshuffle filters call it.
///
/// # Errors
///
/// [`Error::Unsupported`] in a build without the LZ4 codec.
pub(crate) fn block_into(data: &[u8], out: &mut Vec<u8>) -> Result<()> {
    block_into_fast(data, out, 1)
}

/// [`block_into`] with acceleration `accel` (c-blosc compresses its LZ4
/// blocks with `10 - clevel`).
///
/// # Errors
///
/// [`Error::Unsupported`] in a build without the LZ4 codec.
pub(crate) fn block_into_fast(data: &[u8], out: &mut Vec<u8>, accel: u32) -> Result<()> {
    if !ON {
        return Err(off(data.len()));
    }
    super::lz4_block::block_into(data, out, accel);
    Ok(())
}

/// [`block_into_fast`] of the `n` bytes `fill` writes (straight into the
/// compressor's input, saving a copy).
///
/// # Errors
///
/// [`Error::Unsupported`] in a build without the LZ4 codec.
pub(crate) fn block_filled_fast(
    n: usize,
    out: &mut Vec<u8>,
    accel: u32,
    fill: impl FnOnce(&mut [u8]),
) -> Result<()> {
    if !ON {
        return Err(off(n));
    }
    super::lz4_block::block_into_filled(n, out, accel, fill);
    Ok(())
}

/// Append `data` to `out` as a block of the filter: its stored size (u32
/// big-endian), then one LZ4 block, or `data` itself when LZ4 does not
/// make it smaller.
fn filter_block_into(data: &[u8], out: &mut Vec<u8>) -> Result<()> {
    let at = out.len();
    out.extend_from_slice(&[0; 4]);
    block_into(data, out)?;
    if out.len() - at - 4 >= data.len() {
        out.truncate(at + 4);
        out.extend_from_slice(data);
    }
    let size = out.len() - at - 4;
    out[at..at + 4].copy_from_slice(&(size as u32).to_be_bytes());
    Ok(())
}

/// The error of a build without the LZ4 codec.
fn off(_: usize) -> Error {
    Error::Unsupported {
        structure: "filter pipeline message",
        offset: 0,
        detail: "LZ4: h5sink was built without its `lz4`, `bitshuffle` and `blosc` features"
            .to_string(),
    }
}

/// Decode one LZ4 block that must produce exactly `len` bytes. Our own
/// decoder of the block format (sequences of a token, literals, a 2-byte
/// offset and a match), checked at every step: `lz4_flex` 0.10 (the last
/// release for our MSRV) panics on some corrupt blocks.
pub(crate) fn unblock(z: &[u8], len: usize) -> std::result::Result<Vec<u8>, String> {
    if !ON {
        return Err(off(len).to_string());
    }
    let bad = |what: &str, at: usize| {
        format!(
            "corrupt LZ4 block of {} bytes: {what} at byte {at}",
            z.len()
        )
    };
    let mut out: Vec<u8> = Vec::with_capacity(len);
    let mut ip = 0usize;
    // A length: the nibble, then bytes added while they are 255.
    let more = |ip: &mut usize, mut n: usize| -> std::result::Result<usize, String> {
        if n == 15 {
            loop {
                let b = *z
                    .get(*ip)
                    .ok_or_else(|| bad("length runs past the end", *ip))?;
                *ip += 1;
                n = n.saturating_add(usize::from(b));
                if b != 255 {
                    break;
                }
            }
        }
        Ok(n)
    };
    loop {
        let token = *z.get(ip).ok_or_else(|| bad("missing token", ip))?;
        ip += 1;
        let lit = more(&mut ip, usize::from(token >> 4))?;
        let run = z
            .get(ip..ip.saturating_add(lit))
            .ok_or_else(|| bad("literals run past the end", ip))?;
        if out.len() + lit > len {
            return Err(format!(
                "LZ4 block of {} bytes gives more than {len} bytes",
                z.len()
            ));
        }
        out.extend_from_slice(run);
        ip += lit;
        if ip == z.len() {
            break;
        }
        let off = z
            .get(ip..ip + 2)
            .map(|b| usize::from(b[0]) | usize::from(b[1]) << 8)
            .ok_or_else(|| bad("offset runs past the end", ip))?;
        ip += 2;
        if off == 0 || off > out.len() {
            return Err(bad(
                &format!("offset {off} with {} bytes out", out.len()),
                ip - 2,
            ));
        }
        let m = more(&mut ip, usize::from(token & 15))?.saturating_add(4);
        if out.len().saturating_add(m) > len {
            return Err(format!(
                "LZ4 block of {} bytes gives more than {len} bytes",
                z.len()
            ));
        }
        let from = out.len() - off;
        for i in 0..m {
            out.push(out[from + i]);
        }
    }
    if out.len() != len {
        return Err(format!(
            "LZ4 block of {} bytes gives {} bytes, expected {len}",
            z.len(),
            out.len()
        ));
    }
    Ok(out)
}

/// The block size the filter uses for a chunk of `n` bytes.
fn block_size(setting: u32, n: usize) -> usize {
    let b = if setting == 0 { DEFAULT_BLOCK } else { setting };
    usize::try_from(b).unwrap_or(usize::MAX).min(n).max(1)
}

/// Compress `chunk` as the filter does with client data `[setting]`.
///
/// # Errors
///
/// [`Error::FieldOverflow`] for a block size above LZ4's input limit
/// (2 113 929 216 bytes).
pub(crate) fn compress(chunk: &[u8], setting: u32) -> Result<Vec<u8>> {
    let bs = block_size(setting, chunk.len());
    if bs > MAX_LZ4_BLOCK as usize {
        return Err(Error::FieldOverflow {
            field: "LZ4 block size",
            value: bs as u64,
            max: u64::from(MAX_LZ4_BLOCK),
        });
    }
    let mut out = super::buffers::take(super::lz4_block::bound(chunk.len()) + 16);
    out.extend_from_slice(&(chunk.len() as u64).to_be_bytes());
    // At most MAX_LZ4_BLOCK (checked above), or the whole short chunk.
    out.extend_from_slice(&(bs as u32).to_be_bytes());
    for raw in chunk.chunks(bs) {
        filter_block_into(raw, &mut out)?;
    }
    Ok(out)
}

/// Read a big-endian u32 at `at`.
pub(crate) fn be32(data: &[u8], at: usize) -> std::result::Result<u32, String> {
    data.get(at..at.saturating_add(4))
        .and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or_else(|| format!("truncated at byte {at} of {}", data.len()))
}

/// Read a big-endian u64 at `at`.
pub(crate) fn be64(data: &[u8], at: usize) -> std::result::Result<u64, String> {
    let hi = be32(data, at)?;
    let lo = be32(data, at + 4)?;
    Ok((u64::from(hi) << 32) | u64::from(lo))
}

/// Undo [`compress`]: the chunk must be exactly `expected` bytes.
pub(crate) fn decompress(data: &[u8], expected: usize) -> std::result::Result<Vec<u8>, String> {
    let total = be64(data, 0)?;
    if total != expected as u64 {
        return Err(format!(
            "LZ4 header says {total} bytes, expected {expected}"
        ));
    }
    let bs = be32(data, 8)? as usize;
    if bs == 0 && expected > 0 {
        return Err("LZ4 block size 0".to_string());
    }
    let mut out = Vec::with_capacity(expected);
    let mut at = 12usize;
    while out.len() < expected {
        let want = bs.min(expected - out.len());
        let size = be32(data, at)? as usize;
        at += 4;
        let body = data.get(at..at.saturating_add(size)).ok_or_else(|| {
            format!(
                "LZ4 block of {size} bytes at byte {at} runs past the chunk's {} bytes",
                data.len()
            )
        })?;
        at += size;
        if size == want {
            out.extend_from_slice(body);
        } else {
            out.extend_from_slice(&unblock(body, want)?);
        }
    }
    Ok(out)
}

#[cfg(all(test, feature = "lz4"))]
pub(crate) mod tests {
    use super::*;
    use crate::format::hex;

    /// hdf5plugin 7.1 `LZ4()` on float32 `arange(1000) % 7`, chunk (30, 10),
    /// chunk (0, 0): the header, one block of 44 bytes.
    const H5PLUGIN: &str = "00000000000004b0000004b00000002c11000100f107803f0000004000004040000080400000a0400000c0401b000f1c00ffffffff7b50400000a040";

    fn chunk() -> Vec<u8> {
        (0..300)
            .flat_map(|i| ((i % 7) as f32).to_le_bytes())
            .collect()
    }

    /// Incompressible bytes.
    pub(crate) fn xorshift(n: usize) -> Vec<u8> {
        let mut x = 0x9e37_79b9u32;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 7) as u8
            })
            .collect()
    }

    /// `n / 4` ReLU-like f32 made of noise: about half zeros, the rest
    /// with random low bytes.
    pub(crate) fn relu_like(n: usize) -> Vec<u8> {
        xorshift(n)
            .chunks(4)
            .flat_map(|c| match c {
                [a, b, _, d] if *d >= 128 => [*a, *b, 0x3f, 0],
                _ => [0; 4],
            })
            .collect()
    }

    #[test]
    fn header_as_hdf5plugin_writes_it() {
        let z = compress(&chunk(), 0).unwrap();
        assert_eq!(z[..12], hex(H5PLUGIN)[..12]);
        assert_eq!(decompress(&hex(H5PLUGIN), 1200).unwrap(), chunk());
        assert_eq!(decompress(&z, 1200).unwrap(), chunk());
    }

    #[test]
    fn round_trips_and_raw_blocks() {
        let noise = xorshift(5000);
        for setting in [0, 1, 7, 1024, 4999, 5000, 6000] {
            for data in [&noise[..], &chunk()[..], &[][..], &[1u8][..]] {
                let z = compress(data, setting).unwrap();
                assert_eq!(decompress(&z, data.len()).unwrap(), data, "{setting}");
            }
        }
        // Noise stays raw: 12 + 5 * (4 + 1000) bytes.
        assert_eq!(compress(&noise, 1000).unwrap().len(), 12 + 5 * 1004);
    }

    #[test]
    fn hostile_input_is_refused() {
        let z = compress(&chunk(), 100).unwrap();
        assert!(decompress(&z, 1199).is_err());
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
        let e = compress(&chunk(), MAX_LZ4_BLOCK + 1);
        assert!(e.is_ok(), "short chunks use their own size");
    }
}
