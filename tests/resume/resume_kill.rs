//! `resume` after `kill -9`: a child process streams rows through a
//! `DatasetWriter` and is killed with SIGKILL at a random moment; a second
//! process resumes the file and finishes (in a third of the trials it is
//! killed too, and a third one finishes). Every final file must equal, in
//! h5py and in `h5dump -p` text (addresses aside), the file of a stream that
//! was never interrupted. Fixed-size (contiguous) and unlimited
//! (chunked, shuffle + deflate) writers, 16 trials each.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::kill::{clock_seed, rng, run_child, test_path};

const ROWS: usize = 4000;
const ROW_LEN: usize = 64;
const BATCH: usize = 7;
const TRIALS: usize = 16;
const CLASSES: [&str; 3] = ["cat", "dög", "horse"];

fn row_values(r: usize) -> impl Iterator<Item = f32> {
    (0..ROW_LEN).map(move |c| ((r * 31 + c) % 1000) as f32 * 0.5)
}

/// The child: streams (or resumes) when the parent re-executes this binary.
#[test]
fn resume_child() {
    let Ok(path) = std::env::var("H5SINK_RESUME_CHILD") else {
        return;
    };
    let unlimited = std::env::var("H5SINK_RESUME_MODE").is_ok_and(|m| m == "unlimited");
    let resume = std::env::var("H5SINK_RESUME_ROLE").is_ok_and(|m| m == "resume");
    let b = if unlimited {
        h5sink::DatasetWriter::<f32>::builder(&path, &[ROW_LEN])
            .unlimited()
            .chunk(&[50, ROW_LEN])
            .deflate(4)
            .shuffle()
    } else {
        h5sink::DatasetWriter::<f32>::builder(&path, &[ROWS, ROW_LEN])
    }
    .buf_size(40);
    let mut w = if resume {
        b.resume().unwrap()
    } else {
        b.create().unwrap()
    };
    w.store_class_labels(&CLASSES).unwrap();
    let mut r = w.len() as usize;
    println!("FLUSHED {r}");
    while r < ROWS {
        let n = BATCH.min(ROWS - r);
        let rows: Vec<f32> = (r..r + n).flat_map(row_values).collect();
        let labels: Vec<i64> = (r..r + n).map(|r| r as i64 * 3 - 7).collect();
        w.add(&rows, &labels).unwrap();
        r += n;
        std::thread::sleep(Duration::from_micros(200));
    }
    w.close().unwrap();
    println!("FLUSHED {ROWS}");
}

/// Run a child on `path` (`role` create or resume), kill it after `kill`
/// (or let it finish with `None`); the row counts it reported: where it
/// started (the rows a resume found), then 4000 if it finished.
fn run(path: &Path, mode: &str, role: &str, kill: Option<Duration>) -> Vec<usize> {
    run_child(
        &test_path(module_path!(), "resume_child"),
        &[
            ("H5SINK_RESUME_CHILD", path.as_os_str()),
            ("H5SINK_RESUME_MODE", mode.as_ref()),
            ("H5SINK_RESUME_ROLE", role.as_ref()),
        ],
        kill,
    )
}

#[test]
fn killed_streams_resume_to_the_uninterrupted_file() {
    if std::env::var("H5SINK_RESUME_CHILD").is_ok() {
        return;
    }
    let mut seed = clock_seed();
    println!("resume test seed {seed}");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("resume_kill");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut pairs = Vec::new();
    for mode in ["fixed", "unlimited"] {
        let reference = dir.join(format!("{mode}-reference.h5"));
        let t = Instant::now();
        assert_eq!(run(&reference, mode, "create", None), [0, ROWS]);
        // Kill somewhere in the stream's run time.
        let mut span = t.elapsed().as_millis().max(50) as u64;
        println!("{mode}: an uninterrupted stream takes {span} ms");
        let mut killed_mid_stream = 0;
        // Under load the child's speed varies from run to run: up to twice
        // as many trials until half of TRIALS were killed mid-stream.
        for trial in 0..2 * TRIALS {
            if trial >= TRIALS && killed_mid_stream >= TRIALS / 2 {
                break;
            }
            let path = dir.join(format!("{mode}-{trial}.h5"));
            let ms = rng(&mut seed) % span;
            let first = run(&path, mode, "create", Some(Duration::from_millis(ms)));
            if first.last() == Some(&ROWS) {
                // Finished before the kill: later kills come sooner.
                span = ms.max(50);
            }
            if first.is_empty() {
                // Killed before `create` returned: no promise was made about
                // the file; a user starts again from zero.
                println!("{mode} trial {trial}: killed after {ms} ms, before create returned");
                let _ = std::fs::remove_file(&path);
                assert_eq!(run(&path, mode, "create", None), [0, ROWS]);
                pairs.push((path, reference.clone()));
                continue;
            }
            let mut steps = vec![format!("killed after {ms} ms")];
            if rng(&mut seed) % 3 == 0 {
                let ms = rng(&mut seed) % span;
                let again = run(&path, mode, "resume", Some(Duration::from_millis(ms)));
                steps.push(format!(
                    "resumed at {:?}, killed after {ms} ms",
                    again.first()
                ));
            }
            let last = run(&path, mode, "resume", None);
            assert_eq!(last.last(), Some(&ROWS));
            let from = last.first().copied().unwrap_or(0);
            if from > 0 && from < ROWS {
                killed_mid_stream += 1;
            }
            steps.push(format!("resumed at {from} and finished"));
            println!("{mode} trial {trial}: {}", steps.join(", "));
            pairs.push((path, reference.clone()));
        }
        assert!(
            killed_mid_stream >= TRIALS / 2,
            "{mode}: only {killed_mid_stream} of {TRIALS} trials were killed mid-stream"
        );
    }
    compare(&dir, &pairs, seed);
}

/// Each file of `pairs` equals its reference in h5py (values, shapes,
/// types, attributes) and in `h5dump -p` text with addresses left out.
fn compare(dir: &Path, pairs: &[(PathBuf, PathBuf)], seed: u64) {
    let list: Vec<String> = pairs
        .iter()
        .map(|(a, b)| format!("{}\t{}", a.display(), b.display()))
        .collect();
    let cases = dir.join("pairs.txt");
    std::fs::write(&cases, list.join("\n")).unwrap();
    let script = r#"
import sys, subprocess, h5py, numpy as np
def snap(p):
    out = {}
    with h5py.File(p, "r") as f:
        def visit(n, o):
            if isinstance(o, h5py.Dataset):
                v = o[()]
                out[n] = (o.shape, str(o.dtype), v.tobytes() if v.dtype.kind != "O" else repr(list(v)))
            out[n + "@"] = sorted((k, repr(v)) for k, v in o.attrs.items())
        f.visititems(visit)
    return out
def dump(p):
    t = subprocess.run(["h5dump", "-p", p], check=True, capture_output=True, text=True).stdout
    return "\n".join(l for l in t.replace(p, "F").splitlines() if "OFFSET" not in l)
bad = 0
for line in open(sys.argv[1]).read().splitlines():
    a, b = line.split("\t")
    if snap(a) != snap(b):
        print("values differ:", a); bad += 1
    elif dump(a) != dump(b):
        print("h5dump differs:", a); bad += 1
print(f"{len(open(sys.argv[1]).read().splitlines()) - bad} equal, {bad} differ")
sys.exit(1 if bad else 0)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&cases)
        .output()
        .expect("python3 with h5py and h5dump are oracles: run scripts/test.sh");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "resumed files differ (seed {seed})");
}
