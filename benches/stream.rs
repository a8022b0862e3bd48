//! Streaming benchmark: h5sink's `DatasetWriter` against two floors, plain
//! positional writes of the same bytes, in the same run.
//!
//! 4000 x 25088 f32 rows (plus one i64 label each) arrive in `add` calls of
//! 32 rows (3.2 MB each). Floor "copy": the batch is copied into a 1000-row
//! buffer and full buffers are written with `pwrite`, what a hand-written
//! buffered streamer does. Floor "direct": each add's rows are `pwrite`n
//! straight to their place, no copy (labels collected, written every 1000
//! rows), the real floor. `DatasetWriter` writes adds of 1 MiB or more
//! directly too (`DatasetWriter::DIRECT_ADD_BYTES`), so the direct floor is
//! the one to match. Each run is a fresh child process, so its peak resident
//! memory (VmHWM) is its own.
//!
//! ```text
//! cargo bench --bench stream                       # files in /dev/shm
//! H5SINK_BENCH_DIR=/tmp RUNS=7 cargo bench --bench stream
//! H5SINK_BENCH_DIR=/tmp DURABLE=1 cargo bench --bench stream
//! ```
//!
//! `DURABLE=1` adds a third side, the same writer with durable commits
//! (`DatasetWriterBuilder::durable`: fsync before and after each commit's
//! superblock switch, and after each buffer flush), against a floor that
//! `fsync`s after each buffer it writes: the price of power-loss safety.

use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const ROWS: usize = 4000;
const FEATURES: usize = 25088;
const BATCH: usize = 32;
const BUF_ROWS: usize = 1000;

fn batch() -> (Vec<f32>, Vec<i64>) {
    let rows = (0..BATCH * FEATURES)
        .map(|i| ((i % 97) as f32 - 60.0).max(0.0) * 0.125)
        .collect();
    (rows, (0..BATCH as i64).collect())
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn run_h5sink(path: &Path, durable: bool) -> f64 {
    let (rows, labels) = batch();
    let t = Instant::now();
    let mut b = h5sink::DatasetWriter::<f32>::builder(path, &[ROWS, FEATURES])
        .data_key("features")
        .buf_size(BUF_ROWS);
    if durable {
        b = b.durable();
    }
    let mut w = b.create().unwrap();
    for _ in 0..ROWS / BATCH {
        w.add(&rows, &labels).unwrap();
    }
    w.close().unwrap();
    t.elapsed().as_secs_f64()
}

/// Each add's rows `pwrite`n at their place; labels written every buffer.
fn run_direct(path: &Path) -> f64 {
    let (rows, labels) = batch();
    let t = Instant::now();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .unwrap();
    let data_at = 4096u64;
    let labels_at = data_at + (ROWS * FEATURES * 4) as u64;
    let mut lbuf: Vec<i64> = Vec::with_capacity(BUF_ROWS);
    let mut labels_written = 0usize;
    for b in 0..ROWS / BATCH {
        f.write_all_at(
            bytemuck::cast_slice(&rows),
            data_at + (b * BATCH * FEATURES * 4) as u64,
        )
        .unwrap();
        lbuf.extend_from_slice(&labels);
        if lbuf.len() >= BUF_ROWS {
            f.write_all_at(
                bytemuck::cast_slice(&lbuf),
                labels_at + (labels_written * 8) as u64,
            )
            .unwrap();
            labels_written += lbuf.len();
            lbuf.clear();
        }
    }
    if !lbuf.is_empty() {
        f.write_all_at(
            bytemuck::cast_slice(&lbuf),
            labels_at + (labels_written * 8) as u64,
        )
        .unwrap();
    }
    drop(f);
    t.elapsed().as_secs_f64()
}

fn run_plain(path: &Path, sync: bool) -> f64 {
    let (rows, labels) = batch();
    let t = Instant::now();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .unwrap();
    let data_at = 4096u64;
    let labels_at = data_at + (ROWS * FEATURES * 4) as u64;
    let mut buf: Vec<f32> = Vec::with_capacity(BUF_ROWS * FEATURES);
    let mut lbuf: Vec<i64> = Vec::with_capacity(BUF_ROWS);
    let mut written = 0usize;
    let mut flush = |buf: &mut Vec<f32>, lbuf: &mut Vec<i64>| {
        f.write_all_at(
            bytemuck::cast_slice(buf),
            data_at + (written * FEATURES * 4) as u64,
        )
        .unwrap();
        f.write_all_at(bytemuck::cast_slice(lbuf), labels_at + (written * 8) as u64)
            .unwrap();
        if sync {
            f.sync_all().unwrap();
        }
        written += lbuf.len();
        buf.clear();
        lbuf.clear();
    };
    for _ in 0..ROWS / BATCH {
        let mut i = 0;
        while i < BATCH {
            let take = (BUF_ROWS - lbuf.len()).min(BATCH - i);
            buf.extend_from_slice(&rows[i * FEATURES..(i + take) * FEATURES]);
            lbuf.extend_from_slice(&labels[i..i + take]);
            i += take;
            if lbuf.len() == BUF_ROWS {
                flush(&mut buf, &mut lbuf);
            }
        }
    }
    if !lbuf.is_empty() {
        flush(&mut buf, &mut lbuf);
    }
    drop(f);
    t.elapsed().as_secs_f64()
}

fn child(mode: &str, dir: &Path, run: usize) -> (f64, u64) {
    let out = Command::new(std::env::current_exe().unwrap())
        .env("H5SINK_BENCH_CHILD", mode)
        .env(
            "H5SINK_BENCH_FILE",
            dir.join(format!("bench-{mode}-{run}.h5")),
        )
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace();
    let secs: f64 = it.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        panic!(
            "child failed: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let kib: u64 = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    (secs, kib)
}

fn main() {
    if let Ok(mode) = std::env::var("H5SINK_BENCH_CHILD") {
        let path = PathBuf::from(std::env::var("H5SINK_BENCH_FILE").unwrap());
        let _ = std::fs::remove_file(&path);
        let secs = match mode.as_str() {
            "h5sink" => run_h5sink(&path, false),
            "durable" => run_h5sink(&path, true),
            "plain-sync" => run_plain(&path, true),
            "direct" => run_direct(&path),
            _ => run_plain(&path, false),
        };
        std::fs::remove_file(&path).unwrap();
        println!("{secs} {}", peak_rss_kib());
        return;
    }
    let dir =
        PathBuf::from(std::env::var("H5SINK_BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()));
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let bytes = (ROWS * FEATURES * 4 + ROWS * 8) as f64;
    let gbs = |s: f64| bytes / s / 1e9;
    println!("streaming {ROWS} x {FEATURES} f32 + i64 labels ({:.0} MB) in adds of {BATCH} rows, buffer {BUF_ROWS} rows, into {}", bytes / 1e6, dir.display());
    let (mut hs, mut ps, mut ds) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ratios, mut dratios) = (Vec::new(), Vec::new());
    let (mut peak, mut peak_p, mut peak_d) = (0, 0, 0);
    // One untimed round first: the first process to touch the filesystem
    // after a while is consistently slower, whichever side it runs.
    child("plain", &dir, usize::MAX);
    child("direct", &dir, usize::MAX);
    child("h5sink", &dir, usize::MAX);
    let order = ["h5sink", "plain", "direct"];
    for run in 0..runs {
        // Rotate the order so no side always runs on a warmer machine.
        let mut got = [(0.0, 0); 3];
        for k in 0..3 {
            let i = (run + k) % 3;
            got[i] = child(order[i], &dir, run);
        }
        let [(h, hk), (p, pk), (d, dk)] = got;
        hs.push(h);
        ps.push(p);
        ds.push(d);
        peak = peak.max(hk);
        peak_p = peak_p.max(pk);
        peak_d = peak_d.max(dk);
        ratios.push(h / p);
        dratios.push(h / d);
        println!("run {run}: h5sink {h:.3} s ({:.2} GB/s), pwrite with copy {p:.3} s, pwrite direct {d:.3} s; h5sink/copy {:.3}, h5sink/direct {:.3}; peak RSS h5sink {} MiB, copy {} MiB, direct {} MiB", gbs(h), h / p, h / d, hk / 1024, pk / 1024, dk / 1024);
    }
    if std::env::var("DURABLE").is_ok_and(|v| v == "1") {
        let mut sync_ratios = Vec::new();
        for run in 0..runs {
            let ((d, _), (p, _)) = if run % 2 == 0 {
                let d = child("durable", &dir, run);
                (d, child("plain-sync", &dir, run))
            } else {
                let p = child("plain-sync", &dir, run);
                (child("durable", &dir, run), p)
            };
            sync_ratios.push(p / d);
            println!("durable run {run}: h5sink durable {:.2} GB/s, pwrite + fsync per buffer {:.2} GB/s, ratio {:.3}", gbs(d), gbs(p), p / d);
        }
        sync_ratios.sort_by(|a, b| a.total_cmp(b));
        println!(
            "durable: median per-run ratio {:.3}",
            sync_ratios[sync_ratios.len() / 2]
        );
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let (mh, mp, md) = (median(&mut hs), median(&mut ps), median(&mut ds));
    let buffer_mib = (BUF_ROWS * FEATURES * 4) as f64 / 1048576.0;
    println!(
        "median: h5sink {mh:.3} s ({:.2} GB/s), pwrite with copy {mp:.3} s ({:.2} GB/s), pwrite direct {md:.3} s ({:.2} GB/s)",
        gbs(mh),
        gbs(mp),
        gbs(md)
    );
    println!(
        "time ratios (lower is better): h5sink/direct median-of-medians {:.3}, median per-run {:.3}; h5sink/copy median-of-medians {:.3}, median per-run {:.3}",
        mh / md,
        median(&mut dratios),
        mh / mp,
        median(&mut ratios)
    );
    println!(
        "peak RSS: h5sink {} MiB, pwrite with copy {} MiB (its buffer {buffer_mib:.0} MiB), pwrite direct {} MiB",
        peak / 1024,
        peak_p / 1024,
        peak_d / 1024
    );
}
