//! kill -9 of a streaming child, for h5sink's `DatasetWriter` and for the
//! h5py tutorial's `HDF5DatasetWriter`: every flushed row survives.

use super::stream::{labels, oracle, out_dir, python, rows, run_py};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

// ------------------------------------------------------------- kill -9

const K_ROWS: usize = 20_000;
const K_LEN: usize = 256;
const K_BATCH: usize = 8;

fn trials() -> usize {
    std::env::var("H5SINK_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
}

/// The child: runs only when the parent re-executes this test binary.
#[test]
fn kill_child() {
    let Ok(path) = std::env::var("H5SINK_KILL_CHILD") else {
        return;
    };
    let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[K_ROWS, K_LEN])
        .buf_size(96)
        .create()
        .unwrap();
    w.store_class_labels(&["cat", "dög", "horse"]).unwrap();
    println!("FLUSHED 0");
    let mut r = 0;
    while r < K_ROWS {
        w.add(&rows(r, r + K_BATCH, K_LEN), &labels(r, r + K_BATCH))
            .unwrap();
        r += K_BATCH;
        if r % 96 == 0 {
            w.flush().unwrap();
            println!("FLUSHED {r}");
        }
        std::thread::sleep(Duration::from_micros(150));
    }
    w.close().unwrap();
    println!("FLUSHED {K_ROWS}");
}

fn rng(seed: &mut u64) -> u64 {
    *seed ^= *seed >> 12;
    *seed ^= *seed << 25;
    *seed ^= *seed >> 27;
    seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Start the child, wait for its first report (the file exists), let it
/// stream for a random time, SIGKILL it; the last reported row count.
fn kill_trial(mut cmd: Command, seed: &mut u64) -> Option<usize> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut last = None;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("FLUSHED ") {
                last = n.trim().parse::<usize>().ok();
                let _ = tx.send(());
            }
        }
        last
    });
    if rx.recv_timeout(Duration::from_secs(30)).is_ok() {
        let wait = Duration::from_millis(rng(seed) % 700);
        let start = Instant::now();
        while start.elapsed() < wait && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    let _ = child.kill(); // SIGKILL: no destructor, no flush, no close
    child.wait().unwrap();
    reader.join().unwrap()
}

fn seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1
}

/// Returns (survived, trials, killed mid-stream) from a checker's summary.
fn kill_cases(dir: &Path, results: Vec<(PathBuf, Option<usize>)>, total: &str) -> (PathBuf, usize) {
    let mut mid = 0;
    let cases: Vec<String> = results
        .into_iter()
        .map(|(path, reported)| {
            let rows = reported.expect("the child never reported its first flush");
            mid += usize::from(rows < K_ROWS);
            format!(
                r#"{{"file": "{}", "rows": {rows}, "total_rows": {total}, "row_len": {K_LEN}, "key": "images", "class_names": ["cat", "dög", "horse"]}}"#,
                path.display()
            )
        })
        .collect();
    let manifest = dir.join("cases.json");
    std::fs::write(&manifest, format!("[{}]", cases.join(",\n"))).unwrap();
    (manifest, mid)
}

/// At least 50 (H5SINK_KILL_TRIALS) kill -9 trials of a child streaming
/// through `DatasetWriter`: every file opens in h5py and holds every
/// reported row (100% survival is asserted).
#[test]
fn kill_9_trials_h5sink() {
    if std::env::var("H5SINK_KILL_CHILD").is_ok() {
        return;
    }
    let dir = out_dir("faults_kill_h5sink");
    let mut s = seed();
    println!("kill -9 trials (h5sink) seed {s}");
    let n = trials();
    let results: Vec<_> = (0..n)
        .map(|t| {
            let path = dir.join(format!("kill-{t}.h5"));
            let mut cmd = Command::new(std::env::current_exe().unwrap());
            let name = crate::common::kill::test_path(module_path!(), "kill_child");
            cmd.args(["--exact", &name, "--nocapture", "--test-threads=1"])
                .env("H5SINK_KILL_CHILD", &path);
            let r = kill_trial(cmd, &mut s);
            (path, r)
        })
        .collect();
    let (manifest, mid) = kill_cases(&dir, results, &K_ROWS.to_string());
    println!("{mid} of {n} trials killed mid-stream");
    assert!(
        mid * 2 >= n,
        "only {mid} of {n} trials were killed mid-stream"
    );
    let (ok, out) = run_py(&oracle("crash_check.py"), &[manifest.as_os_str()]);
    println!(
        "h5sink survival: {}",
        out.lines().last().unwrap_or_default()
    );
    assert!(ok, "h5sink lost reported rows (seed {s})");
}

/// The same harness against the h5py tutorial's HDF5DatasetWriter
/// (tests/oracle/tutorial_writer.py). Its survival rate is reported, not
/// asserted: the class never flushes the HDF5 file, so a kill usually leaves
/// a file h5py cannot open.
#[test]
fn kill_9_trials_h5py_tutorial() {
    let dir = out_dir("faults_kill_tutorial");
    let mut s = seed();
    println!("kill -9 trials (h5py tutorial) seed {s}");
    let n = trials();
    let script = oracle("tutorial_writer.py");
    let results: Vec<_> = (0..n)
        .map(|t| {
            let path = dir.join(format!("kill-{t}.h5"));
            let mut cmd = Command::new(python());
            cmd.arg(&script)
                .arg("child")
                .arg(&path)
                .args([K_ROWS, K_LEN, K_BATCH].map(|v| v.to_string()));
            let r = kill_trial(cmd, &mut s);
            (path, r)
        })
        .collect();
    let (manifest, mid) = kill_cases(&dir, results, &K_ROWS.to_string());
    println!("{mid} of {n} trials killed mid-stream");
    let (_, out) = run_py(&script, &["check".as_ref(), manifest.as_os_str()]);
    let summary = out
        .lines()
        .find(|l| l.starts_with("tutorial survival"))
        .expect("no summary from tutorial_writer.py check");
    println!("h5py {summary}");
}
