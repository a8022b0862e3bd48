//! Reading while writing: a Python process reopens the file in a loop (at
//! least 500 opens, every 10th with pyfive, the rest with h5py) while a
//! `DatasetWriter` streams into it with a commit every few rows. The loop
//! starts before the file exists and waits for its path. Each open reads
//! the committed row count, the last committed rows and labels, an earlier
//! row and the class names (variable-length strings, replaced by a longer
//! list every few commits), checks them against the generator, and checks
//! that the row count never decreases; zero errors are allowed. Variants:
//! contiguous fixed-size data (its progress attribute gives the committed
//! rows), and chunked unlimited data with shuffle + deflate + Fletcher32.
//! The writer's reader grace period is set to 500 ms, shorter than the
//! stream, so spare space is reused many times while readers read
//! (`H5SINK_READERS_GRACE_MS` overrides it, for experiments: with 0 the
//! readers fail). Also: a new file leaves no temporary name behind.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;

const ROW_LEN: usize = 16;
/// Declared rows of the fixed-size variant (never reached in practice).
const FIXED_ROWS: usize = 100_000;
const BATCH: usize = 3;
const MIN_OPENS: usize = 500;
const PYFIVE_EVERY: usize = 10;
const GRACE: Duration = Duration::from_millis(500);

/// Row `r` (tests/oracle/readers_check.py has the same generator).
fn row_values(r: usize) -> impl Iterator<Item = f32> {
    (0..ROW_LEN).map(move |c| ((r * 31 + c) % 1000) as f32 * 0.5)
}

fn label(r: usize) -> i64 {
    r as i64 * 3 - 7
}

fn class_name(i: usize) -> String {
    if i % 3 == 0 {
        format!("klasse-{i}-ü")
    } else {
        format!("class {i}")
    }
}

/// What the reader process printed in its STATS line.
struct Stats {
    json: String,
}

impl Stats {
    fn get(&self, key: &str) -> u64 {
        let at = self
            .json
            .find(&format!("\"{key}\": "))
            .unwrap_or_else(|| panic!("{key} missing in {}", self.json));
        let rest = &self.json[at + key.len() + 4..];
        let end = rest.find([',', '}']).unwrap();
        rest[..end].trim().parse::<f64>().unwrap() as u64
    }
}

/// Stream into `dir/stream.h5` while the reader loop runs; returns the
/// reader's statistics, the rows written, the commits and the file length.
fn stream_while_reading(dir: &Path, unlimited: bool) -> (Stats, usize, usize, u64) {
    let path = dir.join("stream.h5");
    let mode = if unlimited { "unlimited" } else { "fixed" };
    let script = common::repo_root().join("tests/oracle/readers_check.py");
    let python = std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(python)
        .arg(script)
        .arg(&path)
        .args([
            mode,
            &ROW_LEN.to_string(),
            &MIN_OPENS.to_string(),
            dir.to_str().unwrap(),
            &PYFIVE_EVERY.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run python3 (scripts/test.sh installs h5py, numpy and pyfive)");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.next().and_then(|l| l.ok()).unwrap_or_default();
    assert_eq!(
        ready, "READY",
        "the reader did not start (exit status 3: oracle missing)"
    );
    // The reader is polling for the path before the file exists.
    std::thread::sleep(Duration::from_millis(30));
    assert!(!path.exists());

    let b = if unlimited {
        h5sink::DatasetWriter::<f32>::builder(&path, &[ROW_LEN])
            .unlimited()
            .chunk(&[64, ROW_LEN])
            .shuffle()
            .deflate(4)
            .fletcher32()
    } else {
        h5sink::DatasetWriter::<f32>::builder(&path, &[FIXED_ROWS, ROW_LEN])
    };
    let grace = std::env::var("H5SINK_READERS_GRACE_MS")
        .map_or(GRACE, |ms| Duration::from_millis(ms.parse().unwrap()));
    let mut w = b.buf_size(1000).reader_grace(grace).create().unwrap();
    let enough = dir.join("enough");
    let start = Instant::now();
    let (mut r, mut commits, mut names) = (0, 0, 0);
    // Stream until the reader has its opens and the spare space of the
    // first commits has been reused a few times over.
    while !(enough.exists() && start.elapsed() > 3 * GRACE) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the reader is stuck"
        );
        let rows: Vec<f32> = (r..r + BATCH).flat_map(row_values).collect();
        let labels: Vec<i64> = (r..r + BATCH).map(label).collect();
        w.add(&rows, &labels).unwrap();
        r += BATCH;
        if commits % 20 == 0 {
            names += 1;
            let list: Vec<String> = (0..names).map(class_name).collect();
            w.store_class_labels(&list).unwrap(); // commits
        } else {
            w.flush().unwrap();
        }
        commits += 1;
        std::thread::sleep(Duration::from_micros(300));
    }
    w.close().unwrap();
    let len = std::fs::metadata(&path).unwrap().len();
    // The reader's last open must see exactly the rows written.
    std::fs::write(dir.join("closed.tmp"), r.to_string()).unwrap();
    std::fs::rename(dir.join("closed.tmp"), dir.join("closed")).unwrap();
    let mut out = Vec::new();
    for l in lines.map_while(Result::ok) {
        println!("reader: {l}");
        out.push(l);
    }
    let status = child.wait().unwrap();
    let json = out
        .iter()
        .find_map(|l| l.strip_prefix("STATS "))
        .unwrap_or_else(|| panic!("no STATS line from the reader ({status})"))
        .to_string();
    assert!(status.success(), "the reader failed ({status}): {json}");
    (Stats { json }, r, commits, len)
}

fn check(unlimited: bool) {
    let dir = common::out_dir(if unlimited {
        "readers_unlimited"
    } else {
        "readers_fixed"
    });
    let (stats, rows, commits, len) = stream_while_reading(&dir, unlimited);
    println!(
        "{rows} rows in {commits} commits, file {len} bytes; reader: {}",
        stats.json
    );
    assert_eq!(stats.get("errors"), 0);
    assert!(stats.get("opens") > MIN_OPENS as u64);
    assert!(stats.get("pyfive_opens") >= (MIN_OPENS / PYFIVE_EVERY) as u64);
    assert_eq!(stats.get("final_rows"), rows as u64);
    assert_eq!(stats.get("class_names"), commits.div_ceil(20) as u64);
    // The opens really did interleave with the commits.
    assert!(
        stats.get("distinct_row_counts") >= 100,
        "the reader saw only {} row counts",
        stats.get("distinct_row_counts")
    );
}

#[test]
fn readers_of_a_contiguous_stream_see_whole_commits() {
    check(false);
}

#[test]
fn readers_of_a_chunked_filtered_stream_see_whole_commits() {
    check(true);
}

/// A new file is written under a hidden temporary name and named once
/// valid: afterwards only its name is in the directory; a second create of
/// the same path is refused and leaves nothing behind either.
#[test]
fn new_files_leave_no_temporary_names() {
    let dir = tempfile::tempdir().unwrap();
    let names = || {
        let mut v: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    let path = dir.path().join("a.h5");
    let f = h5sink::File::create(&path).unwrap();
    assert_eq!(names(), ["a.h5"], "named as soon as create returns");
    assert!(matches!(
        h5sink::File::create(&path),
        Err(h5sink::Error::Exists { .. })
    ));
    assert!(matches!(
        h5sink::DatasetWriter::<f32>::create(&path, &[4, 2]),
        Err(h5sink::Error::Exists { .. })
    ));
    f.close().unwrap();
    let w = h5sink::DatasetWriter::<f32>::create(dir.path().join("b.h5"), &[4, 2]).unwrap();
    assert_eq!(names(), ["a.h5", "b.h5"]);
    w.close().unwrap();
    let f = h5sink::File::open(dir.path().join("b.h5")).unwrap();
    assert_eq!(f.member_names().unwrap(), ["images", "labels"]);
}
