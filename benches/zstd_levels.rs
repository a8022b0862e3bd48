//! Our zstd encoder against libzstd on the benchmark data: chunks (63, 392)
//! of `benches/compress.rs`'s features array (98,784 bytes each), compressed
//! one by one as the HDF5 zstd filter does, plain and 4-byte shuffled (as
//! Blosc's shuffle). Prints per-core GB/s and ratio per level, then runs
//! `benches/zstd_levels.py` for libzstd's numbers on the same chunks.
//! Run: `cargo bench --bench zstd_levels`.

mod common;

use h5sink::filters::apply;
use h5sink::format::filter_pipeline::Filter;

const FEATURES: usize = 25_088;
const CHUNK: (usize, usize) = (63, 392);
const CHUNKS: usize = 64;
const ROUNDS: usize = 5;

/// This thread's CPU time in seconds (the machine is shared: wall time
/// counts other jobs' time slices). Linux `/proc/thread-self/schedstat`.
fn cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    s.split_whitespace()
        .next()
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1e9
}

/// The first 63 rows of compress.rs's `features()` array.
fn rows() -> Vec<f32> {
    common::features(CHUNK.0)
}

fn chunks() -> Vec<Vec<u8>> {
    let a = rows();
    (0..CHUNKS)
        .map(|c| {
            (0..CHUNK.0)
                .flat_map(|r| a[r * FEATURES + c * CHUNK.1..][..CHUNK.1].to_vec())
                .flat_map(f32::to_le_bytes)
                .collect()
        })
        .collect()
}

fn main() {
    // ZSTD_INPUT=file: that file's bytes in chunks of the same size instead.
    let chunks = match std::env::var_os("ZSTD_INPUT") {
        Some(path) => {
            let bytes = std::fs::read(path).unwrap();
            let size = CHUNK.0 * CHUNK.1 * 4;
            bytes
                .chunks(size)
                .take(CHUNKS)
                .map(<[u8]>::to_vec)
                .collect()
        }
        None => chunks(),
    };
    let dir = std::env::temp_dir().join("h5sink-zstd-levels");
    std::fs::create_dir_all(&dir).unwrap();
    for old in std::fs::read_dir(&dir).unwrap().flatten() {
        std::fs::remove_file(old.path()).unwrap();
    }
    for (i, c) in chunks.iter().enumerate() {
        std::fs::write(dir.join(format!("{i}.raw")), c).unwrap();
    }
    let raw: usize = chunks.iter().map(Vec::len).sum();
    println!(
        "ours: {} chunks of {} bytes, best of {ROUNDS}, CPU time",
        chunks.len(),
        chunks[0].len()
    );
    // ZSTD_LEVELS="1 3" limits the levels (to profile one).
    let levels: Vec<u32> = std::env::var("ZSTD_LEVELS")
        .map(|v| {
            v.split_whitespace()
                .filter_map(|l| l.parse().ok())
                .collect()
        })
        .unwrap_or_else(|_| vec![1, 3, 5, 9, 19]);
    for shuffled in [false, true] {
        for &level in &levels {
            let mut pipe = vec![Filter::Zstd { level }];
            if shuffled {
                pipe.insert(0, Filter::Shuffle { element_size: 4 });
            }
            let mut best = f64::MAX;
            let mut size = 0;
            for _ in 0..ROUNDS {
                let t = cpu();
                size = chunks
                    .iter()
                    .map(|c| apply(&pipe, c).unwrap().0.len())
                    .sum();
                best = best.min(cpu() - t);
            }
            let name = if shuffled { "shuffle+zstd" } else { "zstd" };
            println!(
                "{name:>12} {level:>2}: {:.3} GB/s ratio {:.3} ({size} bytes)",
                raw as f64 / best / 1e9,
                raw as f64 / size as f64
            );
        }
    }
    if std::env::var_os("ZSTD_OURS_ONLY").is_some() {
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/zstd_levels.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(&dir)
        .output()
        .unwrap();
    print!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
