//! Blosc against chunks hdf5plugin 7.1 (c-blosc 1) wrote, and round trips.
//! Spec notes: `spec-notes/blosc.md`.

use super::*;
use crate::filters::bitshuffle::tests::edge_chunk;
use crate::format::hex;

/// `Blosc(cname='lz4', clevel=5, shuffle=SHUFFLE)`: split into 4 streams.
const LZ4_SHUFFLE: &str = "02012104b0040000b004000068000000140000000c0000001f000100ff145000000000000c0000001f000100ff14500000000000160000007f80a0c00080004007004a1f000100af500000000000160000007f404040003f404007004a1f000100af500000000000";
/// `Blosc(cname='zstd', clevel=3, shuffle=BITSHUFFLE)`: 300 elements are
/// not a multiple of 8, so c-blosc leaves the block unshuffled.
const ZSTD_BIT: &str = "02019404b0040000b004000045000000140000002d00000028b52ffd60b0031d0100b8000080400000a0400000c04000803f000000400000404003001b4105e67e2a44005f";
/// `Blosc(cname='lz4', clevel=5, shuffle=NOSHUFFLE)`.
const LZ4_NONE: &str = "02012004b0040000b0040000c50000001400000042000000f01b000080400000a0400000c040000000000000803f0000004000004040000080400000a0400000c04000001e00af803f00000040000040403800dc50000000803f47000000ff290000004000004040000080400000a0400000c040000000000000803f0000004000004040000080400000a0400000c040000000000000803f38001b0f0200ae5000000000000c0000001f000100ff145000000000000c0000001f000100ff14500000000000";

#[test]
fn reads_hdf5plugin_chunks() {
    let raw = edge_chunk();
    for stored in [LZ4_SHUFFLE, ZSTD_BIT, LZ4_NONE] {
        assert_eq!(decompress(&hex(stored), 1200).unwrap(), raw);
        assert!(decompress(&hex(stored), 1196).is_err());
    }
}

#[test]
fn writes_the_same_header() {
    let raw = edge_chunk();
    for (stored, level, shuffle, codec) in [
        (LZ4_SHUFFLE, 5, 1, 1),
        (ZSTD_BIT, 3, 2, 5),
        (LZ4_NONE, 5, 0, 1),
    ] {
        let ours = compress(&raw, 4, level, shuffle, codec).unwrap();
        let theirs = hex(stored);
        // Version, codec version, type size, sizes; flags but the split bit.
        assert_eq!(
            [ours[0], ours[1], ours[3]],
            [theirs[0], theirs[1], theirs[3]]
        );
        assert_eq!(ours[2] | 0x10, theirs[2] | 0x10);
        assert_eq!(ours[4..12], theirs[4..12]);
        assert_eq!(ours[12..16], (ours.len() as u32).to_le_bytes());
        assert_eq!(decompress(&ours, 1200).unwrap(), raw);
    }
}

#[test]
fn round_trips_memcpy_and_hostile() {
    let noise = crate::filters::lz4::tests::xorshift(140_000);
    let ramp: Vec<u8> = (0u32..140_000).map(|i| (i / 1000) as u8).collect();
    for data in [&noise[..], &ramp[..], &noise[..5], &ramp[..4096]] {
        for (es, shuffle, codec) in [(4, 1, 1), (4, 2, 1), (8, 0, 5), (2, 2, 5), (300, 1, 1)] {
            let z = compress(data, es, 5, shuffle, codec).unwrap();
            assert!(z.len() <= data.len() + 16 + 4, "{} {}", z.len(), data.len());
            assert_eq!(decompress(&z, data.len()).unwrap(), data);
        }
    }
    let z = compress(&noise, 4, 5, 1, 1).unwrap();
    assert_eq!(z[2] & 0x02, 0x02); // stored raw
    let z = compress(&ramp[..4096], 4, 5, 2, 1).unwrap();
    for cut in 0..z.len() {
        assert!(decompress(&z[..cut], 4096).is_err(), "cut {cut}");
    }
    for bit in 0..z.len() * 8 {
        let mut bad = z.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        if let Ok(out) = decompress(&bad, 4096) {
            assert_eq!(out.len(), 4096);
        }
    }
}
