//! A real crash test: a child process streams rows through `DatasetWriter`,
//! reporting each completed flush on stdout, and is killed with SIGKILL at a
//! random moment. Every file left behind must open in h5py and hold every
//! reported row.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::kill::{clock_seed, rng, run_child, test_path};

const ROWS: usize = 20_000;
const ROW_LEN: usize = 256;
const BATCH: usize = 8;
const TRIALS: usize = 24;
const CLASSES: [&str; 3] = ["cat", "dög", "horse"];

fn row_values(r: usize) -> impl Iterator<Item = f32> {
    (0..ROW_LEN).map(move |c| ((r * 31 + c) % 1000) as f32 * 0.5)
}

/// The child: runs only when the parent re-executes this test binary.
#[test]
fn crash_child() {
    let Ok(path) = std::env::var("H5SINK_CRASH_CHILD") else {
        return;
    };
    let unlimited = std::env::var("H5SINK_CRASH_MODE").is_ok_and(|m| m == "unlimited");
    let mut w = if unlimited {
        // Unknown row count: chunked, compressed, appended; every flush commits.
        h5sink::DatasetWriter::<f32>::builder(&path, &[ROW_LEN])
            .unlimited()
            .deflate(4)
            .shuffle()
            .buf_size(100)
            .create()
            .unwrap()
    } else {
        h5sink::DatasetWriter::<f32>::builder(&path, &[ROWS, ROW_LEN])
            .buf_size(100)
            .create()
            .unwrap()
    };
    w.store_class_labels(&CLASSES).unwrap();
    println!("FLUSHED 0");
    let mut r = 0;
    while r < ROWS {
        let rows: Vec<f32> = (r..r + BATCH).flat_map(row_values).collect();
        let labels: Vec<i64> = (r..r + BATCH).map(|r| r as i64 * 3 - 7).collect();
        w.add(&rows, &labels).unwrap();
        r += BATCH;
        if r % 96 == 0 {
            w.flush().unwrap();
            println!("FLUSHED {r}");
        }
        std::thread::sleep(Duration::from_micros(150));
    }
    w.close().unwrap();
    println!("FLUSHED {ROWS}");
}

fn run_trial(
    dir: &Path,
    mode: &str,
    trial: usize,
    kill_after: Duration,
) -> (PathBuf, Option<usize>) {
    let path = dir.join(format!("crash-{mode}-{trial}.h5"));
    let seen = run_child(
        &test_path(module_path!(), "crash_child"),
        &[
            ("H5SINK_CRASH_CHILD", path.as_os_str()),
            ("H5SINK_CRASH_MODE", mode.as_ref()),
        ],
        Some(kill_after),
    );
    (path, seen.last().copied())
}

#[test]
fn kill_9_keeps_every_reported_row() {
    if std::env::var("H5SINK_CRASH_CHILD").is_ok() {
        return;
    }
    kill_trials("fixed");
}

/// The same with an unknown row count: chunked, deflated, appended rows.
#[test]
fn kill_9_keeps_every_reported_row_when_appending() {
    if std::env::var("H5SINK_CRASH_CHILD").is_ok() {
        return;
    }
    kill_trials("unlimited");
}

fn kill_trials(mode: &str) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("crash_kill_{mode}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut seed = clock_seed();
    println!("crash test ({mode}) seed {seed}");
    let mut cases = Vec::new();
    let mut killed_mid_stream = 0;
    for trial in 0..TRIALS {
        // The stream takes about 0.55 s in release builds; kill mostly mid-stream.
        let ms = 20 + rng(&mut seed) % 520;
        let (path, reported) = run_trial(&dir, mode, trial, Duration::from_millis(ms));
        let Some(rows) = reported else {
            // Killed before `create` returned: no promise was made about the file.
            println!("trial {trial}: killed after {ms} ms, before the file was created");
            continue;
        };
        if rows < ROWS {
            killed_mid_stream += 1;
        }
        println!("trial {trial}: killed after {ms} ms with {rows} rows reported");
        let total = if mode == "unlimited" {
            "null".to_string()
        } else {
            ROWS.to_string()
        };
        cases.push(format!(
            r#"{{"file": "{}", "rows": {rows}, "total_rows": {total}, "row_len": {ROW_LEN}, "key": "images", "class_names": ["cat", "dög", "horse"]}}"#,
            path.display()
        ));
    }
    assert!(
        cases.len() >= 20,
        "only {} of {TRIALS} trials got past create; the harness is too quick to kill",
        cases.len()
    );
    assert!(
        killed_mid_stream >= 10,
        "only {killed_mid_stream} trials were killed mid-stream"
    );
    let manifest = dir.join("cases.json");
    std::fs::write(&manifest, format!("[{}]", cases.join(",\n"))).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/crash_check.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&manifest)
        .output()
        .expect("python3 is needed: run scripts/test.sh");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "some files lost reported rows or did not open (seed {seed})"
    );
}
