//! Tests of the read direction of the filters: round trips through
//! [`crate::filters::apply`], h5py 3.16 chunks, and hostile input.
//! Spec notes: `spec-notes/filters.md`.

use super::*;
use crate::filters::{apply, deflate, fletcher32::append_checksum, shuffle::shuffle};
use crate::format::hex;

/// A deterministic xorshift byte source.
fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// Compressible bytes: small little-endian integers.
fn ramp(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| if i % 4 == 0 { (i / 4) as u8 } else { 0 })
        .collect()
}

fn kinds() -> [Filter; 6] {
    [
        Filter::Shuffle { element_size: 4 },
        Filter::Shuffle { element_size: 3 },
        Filter::Deflate { level: 1 },
        Filter::Deflate { level: 9 },
        Filter::Fletcher32,
        Filter::ShuffleSkipped,
    ]
}

/// Every pipeline of up to three filters (with repeats and in every order).
fn pipelines() -> Vec<Vec<Filter>> {
    let mut out = vec![vec![]];
    let mut last = vec![vec![]];
    for _ in 0..3 {
        let mut next = Vec::new();
        for p in &last {
            for f in kinds() {
                let mut q: Vec<Filter> = p.clone();
                q.push(f);
                next.push(q);
            }
        }
        out.extend(next.iter().cloned());
        last = next;
    }
    out
}

#[test]
fn round_trip_every_pipeline() {
    let pipes = pipelines();
    assert_eq!(pipes.len(), 1 + 6 + 36 + 216);
    for (n, seed) in [(0, 1), (1, 2), (7, 3), (100, 4), (4099, 5)] {
        for data in [noise(n, seed), ramp(n)] {
            for p in &pipes {
                let (stored, mask) = apply(p, &data).unwrap();
                match unapply(p, mask, &stored, data.len(), 0x1000) {
                    Ok(back) => assert!(back == data, "{p:?} n={n}: other bytes"),
                    Err(e) => panic!("{p:?} n={n}: {e}"),
                }
            }
        }
    }
}

#[test]
fn round_trip_large_chunk() {
    let h5py = [
        Filter::Shuffle { element_size: 8 },
        Filter::Deflate { level: 4 },
        Filter::Fletcher32,
    ];
    let data = ramp(1 << 20);
    let (stored, mask) = apply(&h5py, &data).unwrap();
    assert_eq!(unapply(&h5py, mask, &stored, data.len(), 0).unwrap(), data);
}

/// h5py 3.16, `shuffle=True, compression='gzip', compression_opts=4,
/// fletcher32=True` on `arange(50).reshape(10, 5)` int32, chunks (5, 5).
#[test]
fn h5py_gzip_shuffle_fletcher32_chunks() {
    let h5py = [
        Filter::Shuffle { element_size: 4 },
        Filter::Deflate { level: 4 },
        Filter::Fletcher32,
    ];
    let stored = [
        "785e6360646266616563e7e0e4e2e6e1e5e317101412161115139760a01e00006270012dd296770d",
        "785e939492969195935750545256515553d7d0d4d2d6d1d5d3373064a01e00003957039e7f61f63f",
    ];
    for (row, s) in stored.iter().enumerate() {
        let want: Vec<u8> = (25 * row as i32..25 * row as i32 + 25)
            .flat_map(|v| v.to_le_bytes())
            .collect();
        assert_eq!(unapply(&h5py, 0, &hex(s), 100, 0).unwrap(), want);
    }
}

/// Single-filter chunks h5py 3.16 wrote: gzip 4 on the (5, 5) int32 chunk
/// of `arange(100).reshape(10, 10)`, Fletcher-32 on 7 bytes of uint8, and
/// a shuffled (5, 5) int32 chunk.
#[test]
fn h5py_single_filter_chunks() {
    let chunk: Vec<u8> = (0..5)
        .flat_map(|r| (0..5).map(move |c| 10 * r + c))
        .flat_map(|v: i32| v.to_le_bytes())
        .collect();
    let z = hex(
        "785e0dc3b71180301000b0275480a948953154a4fde743ba534444656d636b67ef6072\
         747276717533bb5b3c3cbdbc7d7cfdfc0148440227",
    );
    assert_eq!(
        unapply(&[Filter::Deflate { level: 4 }], 0, &z, 100, 0).unwrap(),
        chunk
    );
    let odd = hex("00254a6f94b9de 4ebd55e7");
    let want: Vec<u8> = (0..7).map(|i| i * 37).collect();
    assert_eq!(unapply(&[Filter::Fletcher32], 0, &odd, 7, 0).unwrap(), want);
    let mut planes = hex("00010203040a0b0c0d0e14151617181e1f20212228292a2b2c");
    planes.resize(100, 0);
    let sh = [Filter::Shuffle { element_size: 4 }];
    assert_eq!(unapply(&sh, 0, &planes, 100, 0).unwrap(), chunk);
}

#[test]
fn checksum_mismatch_names_both_values() {
    let data = noise(64, 9);
    let stored = append_checksum(&data);
    let sum = fletcher32(&data);
    for bit in 0..stored.len() * 8 {
        let mut bad = stored.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let e = unapply(&[Filter::Fletcher32], 0, &bad, 64, 0x4242).unwrap_err();
        let Error::Malformed { offset, reason, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(*offset, 0x4242);
        assert!(reason.contains("Fletcher-32 checksum"), "{reason}");
        if bit < 64 * 8 {
            assert!(reason.contains(&format!("{sum:#010x} stored")), "{reason}");
        } else {
            assert!(
                reason.contains(&format!("{sum:#010x} computed")),
                "{reason}"
            );
        }
    }
    // Too short to hold a checksum.
    assert!(unapply(&[Filter::Fletcher32], 0, b"abc", 0, 0).is_err());
}

#[test]
fn pre_1_6_3_swapped_checksum_is_accepted() {
    let data = noise(30, 4);
    let sum = fletcher32(&data);
    let s = sum.to_le_bytes();
    let mut stored = data.clone();
    stored.extend_from_slice(&[s[1], s[0], s[3], s[2]]);
    assert_eq!(
        unapply(&[Filter::Fletcher32], 0, &stored, 30, 0).unwrap(),
        data
    );
}

#[test]
fn zip_bombs_fail_fast() {
    let d = [Filter::Deflate { level: 9 }];
    let bomb = deflate(&vec![0; 1 << 20], 9);
    assert!(bomb.len() < 2000);
    let e = unapply(&d, 0, &bomb, 1000, 7).unwrap_err();
    assert!(e.to_string().contains("inflates past 1000 bytes"), "{e}");
    // A stream of 1 GiB of zeros (about 1 MB): refused after 4097 bytes.
    // (16 MiB under wasm, where the unoptimised compressor would take
    // minutes to make the gigabyte; the refusal is the same.)
    let big = zeros_stream(if cfg!(target_family = "wasm") {
        16
    } else {
        1024
    });
    assert!(big.len() < 2_000_000, "{}", big.len());
    let t = std::time::Instant::now();
    let e = unapply(&d, 0, &big, 4 << 20, 0).unwrap_err();
    assert!(e.to_string().contains("inflates past 4194304 bytes"), "{e}");
    // A stream longer than any deflate of the expected size is refused unread.
    let e = unapply(&d, 0, &big, 4096, 0).unwrap_err();
    assert!(e.to_string().contains("expected at most 7168"), "{e}");
    assert!(cfg!(target_family = "wasm") || t.elapsed().as_secs() < 2);
    // One byte short of the real size is refused too; the exact size reads.
    let z = deflate(&ramp(5000), 6);
    assert!(unapply(&d, 0, &z, 4999, 0).is_err());
    assert_eq!(unapply(&d, 0, &z, 5000, 0).unwrap(), ramp(5000));
}

/// A zlib stream of `mib` MiB of zeros, compressed piecewise.
fn zeros_stream(mib: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let zeros = vec![0u8; 1 << 20];
    let mut c = Compress::new(Compression::new(9), true);
    let mut out = Vec::with_capacity(1 << 21);
    for i in 0..mib {
        let flush = if i + 1 == mib {
            FlushCompress::Finish
        } else {
            FlushCompress::None
        };
        let start = c.total_in();
        while c.total_in() - start < zeros.len() as u64 || flush == FlushCompress::Finish {
            let done = (c.total_in() - start) as usize;
            if out.capacity() - out.len() < 4096 {
                out.reserve(1 << 20);
            }
            let st = c.compress_vec(&zeros[done..], &mut out, flush).unwrap();
            if st == flate2::Status::StreamEnd {
                break;
            }
        }
    }
    out
}

#[test]
fn truncated_and_flipped_streams_never_panic() {
    let h5py = [
        Filter::Shuffle { element_size: 4 },
        Filter::Deflate { level: 4 },
        Filter::Fletcher32,
    ];
    let data = ramp(400);
    for p in [&h5py[..], &h5py[1..2]] {
        let (stored, mask) = apply(p, &data).unwrap();
        for cut in 0..stored.len() {
            assert!(
                unapply(p, mask, &stored[..cut], 400, 0).is_err(),
                "cut {cut}"
            );
        }
        for bit in 0..stored.len() * 8 {
            let mut bad = stored.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            if let Ok(out) = unapply(p, mask, &bad, 400, 0) {
                assert_eq!(out.len(), 400);
            }
        }
    }
    // With the checksum, every flip is caught.
    let (stored, mask) = apply(&h5py, &data).unwrap();
    for bit in 0..stored.len() * 8 {
        let mut bad = stored.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        assert!(unapply(&h5py, mask, &bad, 400, 0).is_err(), "bit {bit}");
    }
}

#[test]
fn trailing_bytes_after_the_stream_are_ignored() {
    let d = [Filter::Deflate { level: 4 }];
    let mut z = deflate(b"hello hello hello", 4);
    z.extend_from_slice(&[0xde, 0xad]);
    assert_eq!(unapply(&d, 0, &z, 17, 0).unwrap(), b"hello hello hello");
}

#[test]
fn wrong_lengths_and_impossible_pipelines() {
    let data = ramp(64);
    // No filters: the stored chunk is the chunk.
    assert!(unapply(&[], 0, &data, 63, 0).is_err());
    assert_eq!(unapply(&[], 0, &data, 64, 0).unwrap(), data);
    // Shuffle keeps the length: a stored chunk of another length is refused.
    let sh = [Filter::Shuffle { element_size: 4 }];
    assert!(unapply(&sh, 0, &shuffle(&data, 4), 60, 0).is_err());
    // Raw deflate or gzip framing is not a zlib stream.
    let raw = [0x03, 0x00];
    assert!(unapply(&[Filter::Deflate { level: 4 }], 0, &raw, 0, 0).is_err());
    // A shuffle without an element size cannot have run.
    let e = unapply(&[Filter::ShuffleSkipped], 0, &data, 64, 5).unwrap_err();
    assert!(matches!(e, Error::Malformed { offset: 5, .. }), "{e:?}");
    assert_eq!(
        unapply(&[Filter::ShuffleSkipped], 1, &data, 64, 5).unwrap(),
        data
    );
    // Mask bits past the pipeline are ignored.
    assert_eq!(
        unapply(&sh, 0xffff_fffe, &shuffle(&data, 4), 64, 0).unwrap(),
        data
    );
    // More than 32 filters.
    assert!(unapply(&[Filter::Shuffle { element_size: 1 }; 33], 0, &data, 64, 0).is_err());
    // A huge expected size allocates only what the stream produces.
    let z = deflate(&data, 4);
    let e = unapply(&[Filter::Deflate { level: 4 }], 0, &z, usize::MAX, 0).unwrap_err();
    assert!(
        e.to_string().contains("stored chunk") || e.to_string().contains("filter output"),
        "{e}"
    );
}

/// Fuzz finding 6: compressors stacked inside compressors once made the
/// bound of the innermost one grow as 5^k, and its decoder allocated that
/// bound up front (gigabytes for a 1 MiB chunk). The bound no longer
/// compounds; a real stacked pipeline still round-trips.
#[cfg(feature = "lzf")]
#[test]
fn stacked_compressors_are_bounded_not_compounded() {
    let expected = 1 << 20;
    let lens = input_lengths(&[Filter::Lzf { chunk_bytes: 0 }; 12], 0, expected, 0).unwrap();
    assert!(
        lens.iter().all(|&(len, _)| len <= stacked_cap(expected)),
        "{lens:?}"
    );
    // Junk behind twelve LZF filters: an error, quickly, without a huge allocation.
    let junk = noise(4096, 7);
    assert!(unapply(
        &[Filter::Lzf { chunk_bytes: 0 }; 12],
        0,
        &junk,
        expected,
        0x40
    )
    .is_err());
    // A stored chunk above the cap is refused before any decoding.
    let big = vec![0u8; stacked_cap(100) + 1];
    let e = unapply(&[Filter::Lzf { chunk_bytes: 0 }; 2], 0, &big, 100, 0x40).unwrap_err();
    assert!(e.to_string().contains("stored chunk"), "{e}");
    // Two compressors stacked, as a file may declare them, still decode.
    let data: Vec<u8> = (0..4000u32).flat_map(|v| (v % 97).to_le_bytes()).collect();
    let pipeline = [Filter::Lzf { chunk_bytes: 0 }, Filter::Deflate { level: 4 }];
    let (stored, mask) = apply(&pipeline, &data).unwrap();
    assert_eq!(
        unapply(&pipeline, mask, &stored, data.len(), 0).unwrap(),
        data
    );
}
