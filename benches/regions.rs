//! Region benchmark: 8 worker processes writing disjoint regions of one
//! 4000 x 25088 f32 dataset (401 MB) with `RegionWriter`, against one
//! process writing the same bytes through one region of all 4000 rows; and
//! two floors with no h5sink at all: 8 processes, then 1 process,
//! `pwrite`-ing the same rows at the same places of a plain file of the
//! same size. Every side is timed from the spawn of its first process to
//! the exit of its last (each child re-runs this binary), in batches of 32
//! rows (3.2 MB) from one reused buffer; the files are made (and the
//! regions handed out) before the clock starts. Sides rotate order each
//! round, after one untimed warm-up round.
//!
//! ```text
//! cargo bench --bench regions                  # files in /dev/shm
//! H5SINK_BENCH_DIR=/tmp ROUNDS=7 cargo bench --bench regions
//! ```
//!
//! On 2 cores, 8 processes cannot be faster than one writer: the ratios
//! show the cost of splitting the work, and the floors show how much of it
//! is the operating system's (process starts, writers of one file
//! contending) rather than h5sink's (each worker's check of the file).

use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Instant;

const ROWS: u64 = 4000;
const FEATURES: u64 = 25088;
const BATCH: u64 = 32;
const WORKERS: u64 = 8;
const ROW_BYTES: u64 = FEATURES * 4;
const BYTES: f64 = (ROWS * ROW_BYTES) as f64;
/// Where the floor's "dataset" starts in its plain file.
const FLOOR_AT: u64 = 4096;

/// The sides: name, processes, whether h5sink writes.
const SIDES: [(&str, u64, bool); 4] = [
    ("h5sink, 8 processes", WORKERS, true),
    ("h5sink, 1 process", 1, true),
    ("pwrite, 8 processes", WORKERS, false),
    ("pwrite, 1 process", 1, false),
];

fn batch() -> Vec<f32> {
    (0..BATCH * FEATURES)
        .map(|i| ((i % 97) as f32 - 60.0).max(0.0) * 0.125)
        .collect()
}

/// A child: write rows `start..start + rows` of the plain file, or the
/// region of `token` with h5sink.
fn child(path: &str, job: &str) {
    let rows = batch();
    let write = |first: u64, n: u64, put: &mut dyn FnMut(u64, &[f32])| {
        let mut r = 0;
        while r < n {
            let k = BATCH.min(n - r);
            put(first + r, &rows[..(k * FEATURES) as usize]);
            r += k;
        }
    };
    if let Some((start, n)) = job.split_once('+') {
        let (start, n): (u64, u64) = (start.parse().unwrap(), n.parse().unwrap());
        let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        write(start, n, &mut |r, v| {
            let at = FLOOR_AT + r * ROW_BYTES;
            f.write_all_at(bytemuck::cast_slice(v), at).unwrap()
        });
        return;
    }
    let w = h5sink::RegionWriter::<f32>::open(path, job).unwrap();
    write(0, w.region().rows(), &mut |r, v| {
        w.write_rows(r, v).unwrap()
    });
    w.finish(false).unwrap();
}

/// Make the side's file, start its processes, wait for them; seconds.
fn side(i: usize, dir: &Path) -> f64 {
    let (name, procs, h5sink) = SIDES[i];
    let path = dir.join(format!("h5sink-bench-regions-{i}.h5"));
    let _ = std::fs::remove_file(&path);
    let per = ROWS / procs;
    let mut file = None;
    let jobs: Vec<String> = if h5sink {
        let f = h5sink::File::create(&path).unwrap();
        let ds = f
            .new_dataset::<f32>()
            .shape(&[ROWS, FEATURES])
            .create("features")
            .unwrap();
        let tokens = (0..procs)
            .map(|p| ds.region(p * per, per).unwrap().to_string())
            .collect();
        file = Some(f);
        tokens
    } else {
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(FLOOR_AT + BYTES as u64).unwrap();
        (0..procs).map(|p| format!("{}+{per}", p * per)).collect()
    };
    let t = Instant::now();
    let children: Vec<Child> = jobs
        .iter()
        .map(|job| {
            Command::new(std::env::current_exe().unwrap())
                .env("H5SINK_REGION_BENCH_PATH", &path)
                .env("H5SINK_REGION_BENCH_JOB", job)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a child of {name} failed");
    }
    let secs = t.elapsed().as_secs_f64();
    if let Some(f) = file {
        f.close().unwrap();
        // The file's last row is row (rows per process - 1) % BATCH of a batch.
        let k = ((per - 1) % BATCH * FEATURES) as usize;
        let back = h5sink::File::open(&path).unwrap();
        let ds = back.dataset("features").unwrap();
        let last = ds.read_rows::<f32>(ROWS - 1, 1).unwrap();
        assert!(
            last == batch()[k..k + FEATURES as usize],
            "{name}: the last row differs"
        );
    }
    std::fs::remove_file(&path).unwrap();
    secs
}

/// Median seconds of one `RegionWriter::open` (the worker's check of the file).
fn open_time(dir: &Path) -> f64 {
    let path = dir.join("h5sink-bench-regions-open.h5");
    let _ = std::fs::remove_file(&path);
    let f = h5sink::File::create(&path).unwrap();
    let ds = f
        .new_dataset::<f32>()
        .shape(&[ROWS, FEATURES])
        .create("features")
        .unwrap();
    let token = ds.region(0, ROWS / WORKERS).unwrap().to_string();
    let mut t: Vec<f64> = (0..51)
        .map(|_| {
            let t = Instant::now();
            drop(h5sink::RegionWriter::<f32>::open(&path, &token).unwrap());
            t.elapsed().as_secs_f64()
        })
        .collect();
    f.close().unwrap();
    std::fs::remove_file(&path).unwrap();
    median(&mut t)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    if let (Ok(path), Ok(job)) = (
        std::env::var("H5SINK_REGION_BENCH_PATH"),
        std::env::var("H5SINK_REGION_BENCH_JOB"),
    ) {
        return child(&path, &job);
    }
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for the list
    }
    let dir =
        PathBuf::from(std::env::var("H5SINK_BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()));
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    for i in 0..SIDES.len() {
        side(i, &dir); // warm-up
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); SIDES.len()];
    for round in 0..rounds {
        for k in 0..SIDES.len() {
            let i = (round + k) % SIDES.len();
            times[i].push(side(i, &dir));
        }
        let line: Vec<String> = (0..SIDES.len())
            .map(|i| format!("{:.3}", times[i][round]))
            .collect();
        println!("round {round}: {} s", line.join(" / "));
    }
    println!(
        "\n{rounds} rounds of {:.0} MB per side, files in {}",
        BYTES / 1e6,
        dir.display()
    );
    for (i, (name, ..)) in SIDES.iter().enumerate() {
        let mut t = times[i].clone();
        let m = median(&mut t);
        println!(
            "{name:>20}: median {m:.3} s ({:.2} GB/s), range {:.3}-{:.3} s",
            BYTES / m / 1e9,
            t[0],
            t[rounds - 1]
        );
    }
    println!(
        "RegionWriter::open (checks the file): median {:.3} ms",
        open_time(&dir) * 1e3
    );
    for (a, b) in [(0, 1), (2, 3), (0, 2), (1, 3)] {
        let mut r: Vec<f64> = (0..rounds).map(|k| times[a][k] / times[b][k]).collect();
        let m = median(&mut r);
        println!(
            "time {} / {}: median {m:.2}, range {:.2}-{:.2}",
            SIDES[a].0,
            SIDES[b].0,
            r[0],
            r[rounds - 1]
        );
    }
}
