//! Metadata benchmark: 2000 datasets of shape (16,) f64 in one group, each
//! with one scalar i64 attribute; create, write, close. Time and file size,
//! beside h5py writing the same content in the same run.
//!
//! ```text
//! cargo bench --bench metadata            # files in /dev/shm
//! H5SINK_BENCH_DIR=/tmp RUNS=9 cargo bench --bench metadata
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const DATASETS: usize = 2000;

fn run_h5sink(path: &Path) -> f64 {
    let values: Vec<f64> = (0..16).map(f64::from).collect();
    let t = Instant::now();
    let f = h5sink::File::create(path).unwrap();
    let g = f.create_group("data").unwrap();
    for i in 0..DATASETS {
        let ds = g
            .new_dataset::<f64>()
            .shape(&[16])
            .create(&format!("d{i:04}"))
            .unwrap();
        ds.write_raw(&values).unwrap();
        ds.new_attr::<i64>()
            .create("index")
            .unwrap()
            .write_scalar(&(i as i64))
            .unwrap();
    }
    f.close().unwrap();
    t.elapsed().as_secs_f64()
}

const H5PY: &str = r#"
import sys, time, os
import numpy as np, h5py
path, n = sys.argv[1], int(sys.argv[2])
values = np.arange(16, dtype="f8")
t = time.perf_counter()
with h5py.File(path, "w") as f:
    g = f.create_group("data")
    for i in range(n):
        ds = g.create_dataset(f"d{i:04}", data=values)
        ds.attrs["index"] = np.int64(i)
secs = time.perf_counter() - t
print(secs, os.path.getsize(path))
"#;

fn run_h5py(path: &Path) -> Option<(f64, u64)> {
    let out = Command::new("python3")
        .args(["-c", H5PY])
        .arg(path)
        .arg(DATASETS.to_string())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("metadata benchmark: run it with `cargo bench --bench metadata`");
        return;
    }
    let dir =
        PathBuf::from(std::env::var("H5SINK_BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()));
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    let ours = dir.join(format!("h5sink-meta-{}.h5", std::process::id()));
    let theirs = dir.join(format!("h5py-meta-{}.h5", std::process::id()));
    let (mut best, mut best_py, mut size, mut size_py) = (f64::MAX, f64::MAX, 0, 0);
    for run in 0..runs {
        // h5sink takes milliseconds: time it several times per round, so
        // that its best is not one unlucky sample after a Python process.
        let mut round = f64::MAX;
        for _ in 0..5 {
            let _ = std::fs::remove_file(&ours);
            round = round.min(run_h5sink(&ours));
        }
        size = std::fs::metadata(&ours).map(|m| m.len()).unwrap_or(0);
        best = best.min(round);
        let _ = std::fs::remove_file(&theirs);
        let py = run_h5py(&theirs);
        if let Some((s, n)) = py {
            best_py = best_py.min(s);
            size_py = n;
        }
        println!(
            "round {run}: h5sink {:.2} ms (best of 5), {size} bytes; h5py {}",
            round * 1e3,
            py.map_or("not available".into(), |(s, n)| format!(
                "{:.1} ms, {n} bytes",
                s * 1e3
            ))
        );
    }
    let _ = std::fs::remove_file(&ours);
    let _ = std::fs::remove_file(&theirs);
    println!("best of {runs}: h5sink {:.2} ms, {size} bytes", best * 1e3);
    if best_py < f64::MAX {
        println!(
            "best of {runs}: h5py {:.1} ms, {size_py} bytes; h5sink is {:.0}x faster, file {:.3}x h5py's size",
            best_py * 1e3,
            best_py / best,
            size as f64 / size_py as f64
        );
    }
}
