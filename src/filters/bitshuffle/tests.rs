//! Bitshuffle against chunks hdf5plugin 7.1 wrote, and round trips.
//! Spec notes: `spec-notes/bitshuffle.md`.

use super::*;
use crate::format::hex;

/// Chunk (90, 0) of float32 `arange(1000).reshape(100, 10) % 7`, chunks
/// (30, 10): 100 values, then 200 zeros of padding.
pub(crate) fn edge_chunk() -> Vec<u8> {
    (900..1200)
        .map(|i| if i < 1000 { (i % 7) as f32 } else { 0.0 })
        .flat_map(f32::to_le_bytes)
        .collect()
}

/// That chunk through `Bitshuffle()` (LZ4 inside): 129 bytes.
const BSLZ4: &str = "00000000000004b000002000000000611f000100fffff7720281402010080407000f150305714422914824128907001f022500057197cbe572b95c2e07001f0c250005056b003f04028124000511001e000397000f25009a71e7f3f97c3e9fcf07001f0fba00060f02000c50000000000000000000000000000000000000000000";
/// Through `Bitshuffle(cname='zstd', clevel=3)`: 119 bytes.
const BSZSTD: &str = "00000000000004b0000020000000005728b52ffd60a0036d020084020000028140201008044422914824128902000097cbe572b95c2e0c0000040281e7f3f97c3e9fcf0f0d00e081b0015745301d5214803fdc50a051ca542e69940a95cb2c0a00543043b0025800000000000000000000000000000000";

/// The bit transpose by its definition, one bit at a time.
fn naive(inp: &[u8], s: usize) -> Vec<u8> {
    let n = inp.len() / s;
    let mut out = vec![0u8; inp.len()];
    for i in 0..n {
        for j in 0..s {
            for k in 0..8 {
                if inp[i * s + j] >> k & 1 == 1 {
                    out[(j * 8 + k) * (n / 8) + i / 8] |= 1 << (i % 8);
                }
            }
        }
    }
    out
}

#[test]
fn transpose_matches_its_definition() {
    let data: Vec<u8> = (0u32..8 * 3 * 40)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
        .collect();
    for s in [1, 2, 3, 4, 8, 12] {
        let n = data.len() / s / 8 * 8;
        let block = &data[..n * s];
        let mut out = vec![0; block.len()];
        transpose_block(block, s, &mut out);
        assert_eq!(out, naive(block, s), "s {s}");
        let mut back = vec![0; block.len()];
        untranspose_block(&out, s, &mut back);
        assert_eq!(back, block);
    }
}

#[test]
fn hdf5plugin_chunks_golden() {
    let raw = edge_chunk();
    for (stored, compression) in [(BSLZ4, 2), (BSZSTD, 3)] {
        let stored = hex(stored);
        assert_eq!(decompress(&stored, 1200, 4, 0, compression).unwrap(), raw);
        let ours = compress(&raw, 4, 0, compression, 3).unwrap();
        // Same header and layout: one block of 296 elements, 4 left over.
        assert_eq!(ours[..12], stored[..12]);
        assert_eq!(ours[ours.len() - 16..], stored[stored.len() - 16..]);
        assert_eq!(decompress(&ours, 1200, 4, 0, compression).unwrap(), raw);
    }
}

#[test]
fn default_blocks_and_leftovers() {
    assert_eq!(block_elems(0, 4), 2048);
    assert_eq!(block_elems(0, 1), 8192);
    assert_eq!(block_elems(0, 8), 1024);
    assert_eq!(block_elems(0, 100), 128);
    assert_eq!(block_elems(0, 3), 2728);
    assert_eq!(block_elems(64, 4), 64);
    let data: Vec<u8> = (0u32..10_007).map(|i| (i * 7 / 3) as u8).collect();
    for s in [1, 2, 4, 8, 10_007] {
        for setting in [0, 8, 64] {
            for compression in [0, 2, 3] {
                let z = compress(&data, s, setting, compression, 1).unwrap();
                let back = decompress(&z, data.len(), s, setting, compression).unwrap();
                assert!(
                    back == data,
                    "s {s} setting {setting} compression {compression}"
                );
            }
        }
    }
}

#[test]
fn hostile_chunks_are_refused() {
    let raw = edge_chunk();
    for compression in [2, 3] {
        let z = compress(&raw, 4, 0, compression, 3).unwrap();
        for cut in 0..z.len() {
            assert!(
                decompress(&z[..cut], 1200, 4, 0, compression).is_err(),
                "cut {cut}"
            );
        }
        for bit in 0..z.len() * 8 {
            let mut bad = z.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            if let Ok(out) = decompress(&bad, 1200, 4, 0, compression) {
                assert_eq!(out.len(), 1200);
            }
        }
    }
    assert!(decompress(&raw[..1196], 1200, 4, 0, 0).is_err());
}
