//! Round trips of our frames through the `ruzstd` decoder: edge inputs,
//! every level, and random inputs of many sizes.

use super::block::MAX_BLOCK;
use super::{frame, unframe};

/// A xorshift generator for reproducible test data.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Float32 data like the benchmark's: half zeros, the rest multiples of 1/256.
pub(super) fn features(n: usize, seed: u64) -> Vec<u8> {
    let mut r = Rng(seed);
    (0..n / 4)
        .flat_map(|_| {
            let v = ((r.next() >> 40) as f32 / (1u64 << 24) as f32) * 8.0 - 4.0;
            ((v.max(0.0) * 256.0).round() / 256.0).to_le_bytes()
        })
        .collect()
}

/// Inputs that exercise every block and section kind.
pub(super) fn edge_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut r = Rng(0x1234_5678_9abc_def1);
    let random: Vec<u8> = (0..300_000).map(|_| r.next() as u8).collect();
    let text: Vec<u8> = b"the quick brown fox jumps over the lazy dog; "
        .iter()
        .cycle()
        .take(200_000)
        .copied()
        .collect();
    // Runs of repeated offsets: records of 12 bytes with one changing field.
    let records: Vec<u8> = (0..20_000u32)
        .flat_map(|i| {
            let mut rec = [1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
            rec[(i % 3) as usize * 4..][..4].copy_from_slice(&(i / 7).to_le_bytes());
            rec
        })
        .collect();
    let mut runs = vec![0u8; 3 * MAX_BLOCK + 17];
    runs[MAX_BLOCK + 5] = 9;
    vec![
        ("empty", vec![]),
        ("one byte", vec![42]),
        ("two bytes", vec![1, 2]),
        ("zeros", vec![0; 1 << 20]),
        ("zeros with a blip", runs),
        ("random", random.clone()),
        ("random short", random[..1000].to_vec()),
        ("text", text),
        ("records", records),
        ("features", features(98_784, 7)),
        ("block - 1", features(MAX_BLOCK - 1, 8)),
        ("block", features(MAX_BLOCK, 9)),
        ("block + 1", features(MAX_BLOCK + 1, 10)),
        ("two blocks + 9", features(2 * MAX_BLOCK + 9, 11)),
        (
            "random then copy",
            [&random[..70_000], &random[..70_000]].concat(),
        ),
    ]
}

#[test]
fn edge_inputs_round_trip_at_every_level() {
    for (name, data) in edge_inputs() {
        for level in 1..=22 {
            if data.len() > 400_000 && level > 3 && level % 4 != 0 {
                continue;
            }
            // Unoptimised builds (the wasip1 run of scripts/wasm.sh) take the
            // deep levels on small inputs only; the release run takes all.
            if cfg!(debug_assertions) && data.len() > 64 * 1024 && level > 5 {
                continue;
            }
            let z = frame(&data, level).unwrap();
            let back =
                unframe(&z, data.len()).unwrap_or_else(|e| panic!("{name} level {level}: {e}"));
            assert!(back == data, "{name} level {level}: wrong bytes");
            assert!(
                z.len() <= data.len() + 6 + 3 * (data.len() / MAX_BLOCK + 1) + 9,
                "{name}"
            );
        }
    }
}

#[test]
fn compressible_inputs_shrink() {
    for (name, data) in edge_inputs() {
        let z = frame(&data, 3).unwrap();
        match name {
            "zeros" => assert!(z.len() < 50, "{} bytes", z.len()),
            "text" | "records" => assert!(z.len() < data.len() / 10, "{name}: {}", z.len()),
            "features" => assert!(z.len() < data.len() / 3, "{}", z.len()),
            "random then copy" => assert!(z.len() < 75_000, "{}", z.len()),
            _ => {}
        }
    }
}

#[test]
fn random_inputs_decode_exactly() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..300 {
        let size = (r.next() % [40, 1000, 20_000, 300_000][round % 4]) as usize;
        // Mix random bytes, runs and copies so every code path is hit.
        let mut data = Vec::with_capacity(size);
        while data.len() < size {
            match r.next() % 4 {
                0 => data.extend((0..r.next() % 50).map(|_| r.next() as u8 % 7)),
                1 => data.extend(std::iter::repeat(r.next() as u8).take((r.next() % 300) as usize)),
                2 if data.len() > 10 => {
                    let from = (r.next() as usize) % data.len();
                    let len = (r.next() % 200) as usize;
                    for i in 0..len {
                        data.push(data[from + i % (data.len() - from)]);
                    }
                }
                _ => data.extend((0..r.next() % 20).map(|_| r.next() as u8)),
            }
        }
        data.truncate(size);
        let level = 1 + (r.next() % 22) as u32;
        let z = frame(&data, level).unwrap();
        assert_eq!(
            unframe(&z, data.len()).as_deref(),
            Ok(&data[..]),
            "round {round} level {level} size {size}"
        );
    }
}

#[test]
fn libzstd_decodes_our_frames() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    let mut r = Rng(77);
    let mut inputs = edge_inputs();
    for i in 0..40 {
        let size = (r.next() % 5000) as usize;
        let data: Vec<u8> = (0..size).map(|_| (r.next() % (2 + i)) as u8).collect();
        inputs.push(("random small", data));
    }
    for (name, data) in inputs {
        for level in 1..=22 {
            if data.len() > 100_000 && level % 3 != 0 {
                continue;
            }
            let z = frame(&data, level).unwrap();
            std::fs::write(dir.path().join(format!("{n}.raw")), &data).unwrap();
            std::fs::write(dir.path().join(format!("{n}.zst")), &z).unwrap();
            let _ = name;
            n += 1;
        }
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oracle/zstd_check.py");
    let out = std::process::Command::new(
        std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".into()),
    )
    .arg(script)
    .arg(dir.path())
    .output()
    .expect("python3 with hdf5plugin is needed (scripts/test.sh installs it)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.contains(&format!("zstd ok {n} frames")),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn levels_outside_1_to_22() {
    let data = features(5000, 3);
    let e = frame(&data, 23).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid zstd level 23: zstd levels run from 1 to 22"
    );
    // 0 is zstd's default level, 3.
    assert_eq!(frame(&data, 0).unwrap(), frame(&data, 3).unwrap());
}

#[test]
fn frame_headers_are_single_segment_with_the_size() {
    for (n, fcs) in [
        (0usize, vec![0u8]),
        (255, vec![255]),
        (256, vec![0, 0]),
        (65_791, vec![255, 255]),
        (65_792, vec![0, 1, 1, 0]),
    ] {
        let data = vec![5u8; n];
        let z = frame(&data, 1).unwrap();
        let flag = (fcs.len().trailing_zeros() as u8) << 6;
        assert_eq!(z[4], flag | 0x20, "size {n}");
        assert_eq!(z[5..5 + fcs.len()], fcs[..], "size {n}");
    }
}

#[test]
fn inputs_over_128_mib_declare_a_window() {
    // Zeros with features data near the start and a copy of it beyond the
    // 128 MiB window, which must not be matched.
    let n = (128 << 20) + 100_000;
    let mut data = vec![0u8; n];
    let f = features(60_000, 5);
    data[1000..61_000].copy_from_slice(&f);
    data[n - 70_000..n - 10_000].copy_from_slice(&f);
    let z = frame(&data, 1).unwrap();
    assert_eq!(z[4], 2 << 6, "4-byte content size, not single segment");
    assert_eq!(z[5], 17 << 3, "a 128 MiB window");
    assert_eq!(z[6..10], (n as u32).to_le_bytes());
    assert!(z.len() < 100_000, "{}", z.len());
    assert!(unframe(&z, n).unwrap() == data);
}

/// A frame of one compressed block holding only a literals section.
fn literals_frame(lits: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    super::literals::section(lits, &mut body);
    body.push(0); // no sequences
    let mut z = super::block::MAGIC.to_vec();
    z.push(2 << 6 | 0x20);
    z.extend_from_slice(&(lits.len() as u32).to_le_bytes());
    let h = 1 | 2 << 1 | (body.len() as u32) << 3;
    z.extend_from_slice(&h.to_le_bytes()[..3]);
    z.extend_from_slice(&body);
    z
}

#[test]
fn literals_sections_of_every_header_size_decode() {
    let mut r = Rng(99);
    let mut decoded = 0;
    for n in [
        2, 31, 32, 33, 300, 1023, 1024, 1025, 4095, 4096, 16_383, 16_384, 65_536, MAX_BLOCK,
    ] {
        for symbols in [2u64, 5, 40, 129, 256] {
            // Skewed: small values far more often, so Huffman pays.
            let lits: Vec<u8> = (0..n)
                .map(|_| ((r.next() % symbols) * (r.next() % symbols) / symbols) as u8)
                .collect();
            let z = literals_frame(&lits);
            if z.len() - 12 > lits.len() {
                continue; // stored raw: not a valid compressed block here
            }
            assert!(
                unframe(&z, n).unwrap() == lits,
                "{n} literals over {symbols} symbols"
            );
            decoded += 1;
        }
    }
    assert!(decoded >= 50, "{decoded}");
}

#[test]
fn frames_do_not_depend_on_earlier_frames_of_the_thread() {
    // The finders' tables are kept per thread: a frame must come out the
    // same after other frames (other levels, sizes, contents) as alone.
    let a = features(98_784, 21);
    let b = features(70_000, 22);
    for level in [1, 3, 4, 5, 9] {
        // A fresh thread's tables; wasip1 has no threads: there the frame
        // comes first on this thread (after earlier tests' frames).
        let alone = if cfg!(target_os = "wasi") {
            frame(&b, level).unwrap()
        } else {
            std::thread::spawn(move || frame(&features(70_000, 22), level).unwrap())
                .join()
                .unwrap()
        };
        for earlier in [1, 3, 5, 13] {
            frame(&a, earlier).unwrap();
            frame(&b, earlier).unwrap();
            assert_eq!(
                frame(&b, level).unwrap(),
                alone,
                "level {level} after {earlier}"
            );
        }
    }
}
