//! Chunked streaming benchmark, in the same run:
//! - deflate level 4 + shuffle, chunks (63, 392), 4000 x 25088 f32 ReLU-like
//!   features (non-negative, about half zeros): h5sink's `DatasetWriter`
//!   against h5py's tutorial writer with the same chunks and filters
//!   (throughput and file size);
//! - uncompressed chunked streaming against plain positional writes.
//!
//! ```text
//! cargo bench --bench compress          # files in /dev/shm
//! ```

use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const ROWS: usize = 4000;
const FEATURES: usize = 25088;
const BATCH: usize = 32;
const CHUNK: [usize; 2] = [63, 392];

/// ReLU-like features: xorshift noise, negative half clamped to 0, values
/// rounded to 1/256 (as quantised activations are), so they compress like
/// real CNN features rather than like noise or constants.
fn features() -> Vec<f32> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..ROWS * FEATURES)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = ((x >> 40) as f32 / (1u64 << 24) as f32) * 8.0 - 4.0;
            (v.max(0.0) * 256.0).round() / 256.0
        })
        .collect()
}

fn h5sink_run(path: &Path, data: &[f32], compress: bool) -> f64 {
    let labels: Vec<i64> = (0..BATCH as i64).collect();
    let t = Instant::now();
    let mut b = h5sink::DatasetWriter::<f32>::builder(path, &[ROWS, FEATURES])
        .data_key("features")
        .buf_size(1000)
        .chunk(&CHUNK);
    if compress {
        b = b.deflate(4).shuffle();
    }
    let mut w = b.create().unwrap();
    for batch in data.chunks(BATCH * FEATURES) {
        w.add(batch, &labels).unwrap();
    }
    w.close().unwrap();
    t.elapsed().as_secs_f64()
}

fn plain_run(path: &Path, data: &[f32]) -> f64 {
    let t = Instant::now();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .unwrap();
    let mut buf: Vec<f32> = Vec::with_capacity(1000 * FEATURES);
    let mut at = 4096u64;
    for batch in data.chunks(BATCH * FEATURES) {
        for row in batch.chunks(FEATURES) {
            buf.extend_from_slice(row);
            if buf.len() == 1000 * FEATURES {
                f.write_all_at(bytemuck::cast_slice(&buf), at).unwrap();
                at += (buf.len() * 4) as u64;
                buf.clear();
            }
        }
    }
    if !buf.is_empty() {
        f.write_all_at(bytemuck::cast_slice(&buf), at).unwrap();
    }
    t.elapsed().as_secs_f64()
}

const H5PY: &str = r#"
import os, sys, time
import numpy as np, h5py
raw, path, rows, feats, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
data = np.fromfile(raw, dtype="<f4").reshape(rows, feats)
labels = np.arange(batch, dtype=np.int64)
t = time.perf_counter()
# The tutorial's HDF5DatasetWriter, with the same chunks and filters.
db = h5py.File(path, "w")
ds = db.create_dataset("features", (rows, feats), dtype="float32", chunks=(63, 392), compression="gzip", compression_opts=4, shuffle=True)
lb = db.create_dataset("labels", (rows,), dtype="int")
buf, lbuf, idx = [], [], 0
for i in range(0, rows, batch):
    buf.extend(data[i:i + batch]); lbuf.extend(labels)
    if len(buf) >= 1000:
        ds[idx:idx + len(buf)] = buf; lb[idx:idx + len(buf)] = lbuf; idx += len(buf); buf, lbuf = [], []
if buf:
    ds[idx:idx + len(buf)] = buf; lb[idx:idx + len(buf)] = lbuf
db.close()
print(time.perf_counter() - t, os.path.getsize(path))
"#;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("compress benchmark: run it with `cargo bench --bench compress`");
        return;
    }
    let dir =
        PathBuf::from(std::env::var("H5SINK_BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()));
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let data = features();
    let raw = dir.join("h5sink-bench-features.raw");
    std::fs::write(&raw, bytemuck::cast_slice::<f32, u8>(&data)).unwrap();
    let gb = (ROWS * FEATURES * 4) as f64 / 1e9;
    let path = |n: &str| dir.join(format!("h5sink-bench-{n}-{}.h5", std::process::id()));
    let (mut best, mut best_py, mut size, mut size_py, mut best_u, mut best_plain) =
        (f64::MAX, f64::MAX, 0u64, 0u64, f64::MAX, f64::MAX);
    for run in 0..runs {
        let p = path("deflate");
        let _ = std::fs::remove_file(&p);
        let s = h5sink_run(&p, &data, true);
        size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        let _ = std::fs::remove_file(&p);
        let py = Command::new("python3")
            .args(["-c", H5PY])
            .arg(&raw)
            .arg(path("h5py"))
            .args([ROWS.to_string(), FEATURES.to_string(), BATCH.to_string()])
            .output()
            .ok()
            .and_then(|o| {
                let t = String::from_utf8_lossy(&o.stdout).to_string();
                let mut it = t.split_whitespace();
                Some((
                    it.next()?.parse::<f64>().ok()?,
                    it.next()?.parse::<u64>().ok()?,
                ))
            });
        let _ = std::fs::remove_file(path("h5py"));
        let pu = path("chunked");
        let _ = std::fs::remove_file(&pu);
        let u = h5sink_run(&pu, &data, false);
        let _ = std::fs::remove_file(&pu);
        let pp = path("plain");
        let _ = std::fs::remove_file(&pp);
        let p_s = plain_run(&pp, &data);
        let _ = std::fs::remove_file(&pp);
        best = best.min(s);
        best_u = best_u.min(u);
        best_plain = best_plain.min(p_s);
        if let Some((t, n)) = py {
            best_py = best_py.min(t);
            size_py = n;
        }
        println!(
            "run {run}: deflate+shuffle h5sink {:.3} GB/s ({size} bytes), h5py {}; uncompressed chunked {:.2} GB/s, plain pwrite {:.2} GB/s",
            gb / s,
            py.map_or("not available".into(), |(t, n)| format!("{:.3} GB/s ({n} bytes)", gb / t)),
            gb / u,
            gb / p_s
        );
    }
    let _ = std::fs::remove_file(&raw);
    println!(
        "best: deflate 4 + shuffle: h5sink {:.3} GB/s, h5py {:.3} GB/s: {:.2}x; file {:.4}x h5py's ({size} vs {size_py} bytes)",
        gb / best,
        gb / best_py,
        best_py / best,
        size as f64 / size_py as f64
    );
    println!(
        "best: uncompressed chunked h5sink {:.2} GB/s, plain pwrite {:.2} GB/s: ratio {:.3}",
        gb / best_u,
        gb / best_plain,
        best_plain / best_u
    );
}
