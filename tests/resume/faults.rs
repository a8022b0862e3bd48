//! Faults: the storage fails at every write of a representative stream, a
//! real full disk (a 4 MiB tmpfs), and kill -9 of a streaming child, for
//! h5sink's `DatasetWriter` and for the h5py tutorial's `HDF5DatasetWriter`.
//!
//! Every file left behind is checked in h5py (one Python run per test) and
//! must hold every row flushed before the fault.

use crate::common::faults;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use faults::{FailKth, Fault, INJECTED};
use h5sink::{Dataset, Error, File};

// ------------------------------------------------------------ the stream

/// Row r, column c holds ((r * 31 + c) % 1000) * 0.5; label r is r * 3 - 7
/// (the values `tests/oracle/crash_check.py` expects).
fn row_values(r: usize, row_len: usize) -> impl Iterator<Item = f32> {
    (0..row_len).map(move |c| ((r * 31 + c) % 1000) as f32 * 0.5)
}

fn rows(from: usize, to: usize, row_len: usize) -> Vec<f32> {
    (from..to).flat_map(|r| row_values(r, row_len)).collect()
}

fn labels(from: usize, to: usize) -> Vec<i64> {
    (from..to).map(|r| r as i64 * 3 - 7).collect()
}

fn python() -> String {
    std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Run `python3 script args`, print its output, return (success, stdout).
fn run_py(script: &Path, args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = Command::new(python())
        .arg(script)
        .args(args)
        .output()
        .expect("python3 is needed: run scripts/test.sh");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert_ne!(
        out.status.code(),
        Some(3),
        "h5py/numpy missing: run scripts/test.sh"
    );
    (out.status.success(), stdout)
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn oracle(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/oracle")
        .join(name)
}

// ------------------------------------------------- failing the k-th write

const F_ROWS: usize = 48;
const F_LEN: usize = 512; // 48 x 512 f32 = 96 KiB: written in place (not staged)
const F_BATCH: usize = 4;
const NAMES: [&str; 3] = ["cat", "dög", ""];

/// What the file promised before the fault.
#[derive(Default, Debug)]
struct Progress {
    created: bool,
    names: bool,
    flushed: usize,
}

/// A DatasetWriter-like stream: a contiguous data set and its labels
/// (staged: small), a chunked + shuffled + deflated appended copy, string
/// attributes, an i64 attribute array, vlen class names, a group created
/// mid-stream, and a commit after every other batch.
fn scenario(
    s: FailKth,
    p: &mut Progress,
    keep_file: &mut Option<File>,
    keep_images: &mut Option<Dataset>,
) -> h5sink::Result<()> {
    let f: &File = keep_file.insert(File::with_storage(s)?);
    let images = f
        .new_dataset::<f32>()
        .shape(&[F_ROWS, F_LEN])
        .create("images")?;
    *keep_images = Some(images.clone());
    let lab = f.new_dataset::<i64>().shape(&[F_ROWS]).create("labels")?;
    let chunked = f
        .new_dataset::<f32>()
        .shape(&[0, F_LEN])
        .resizable()
        .chunk(&[3, F_LEN])
        .shuffle()
        .deflate(4)
        .create("chunked")?;
    images
        .new_attr_builder()
        .with_str("kelvin")
        .create("units")?;
    f.new_attr::<i64>()
        .shape(&[3])
        .create("ids")?
        .write(&[1i64, 2, 3])?;
    f.flush()?;
    p.created = true;
    f.new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[NAMES.len()])
        .create("label_names")?
        .write_strings(&NAMES)?;
    f.flush()?;
    p.names = true;
    let mut r = 0;
    while r < F_ROWS {
        images.write_rows(r as u64, &rows(r, r + F_BATCH, F_LEN))?;
        lab.write_rows(r as u64, &labels(r, r + F_BATCH))?;
        chunked.append_rows(&rows(r, r + F_BATCH, F_LEN))?;
        r += F_BATCH;
        if r == 5 * F_BATCH {
            f.create_group("meta/late")?
                .new_attr_builder()
                .with_str("added mid-stream")
                .create("note")?;
        }
        if r % (2 * F_BATCH) == 0 {
            f.flush()?;
            p.flushed = r;
        }
    }
    if let Some(f) = keep_file.take() {
        f.close()?;
    }
    p.flushed = F_ROWS;
    Ok(())
}

const FAULT_CHECK: &str = r#"
import json, sys
import h5py, numpy as np
def expected(n, row_len):
    r = np.arange(n)[:, None]; c = np.arange(row_len)[None, :]
    return ((r * 31 + c) % 1000).astype(np.float32) * np.float32(0.5), np.arange(n) * 3 - 7
failed = 0
cases = json.load(open(sys.argv[1]))
for case in cases:
    n, L, err = case["rows"], case["row_len"], None
    try:
        with h5py.File(case["file"], "r") as f:
            data, lab = expected(n, L)
            im, lb, ch = f["images"], f["labels"], f["chunked"]
            if im.shape != (case["total"], L) or im.dtype != np.float32: err = f"images {im.shape} {im.dtype}"
            elif lb.shape != (case["total"],) or lb.dtype != np.int64: err = f"labels {lb.shape} {lb.dtype}"
            elif not np.array_equal(im[:n], data): err = "images rows differ"
            elif not np.array_equal(lb[:n], lab): err = "labels differ"
            elif ch.shape[0] < n or ch.shape[1] != L or ch.chunks != (3, L) or ch.compression != "gzip": err = f"chunked {ch.shape} {ch.chunks}"
            elif not np.array_equal(ch[:n], data): err = "chunked rows differ"
            elif im.attrs["units"] != "kelvin" or list(f.attrs["ids"]) != [1, 2, 3]: err = "attributes differ"
            elif case["names"] and list(f["label_names"].asstr()[()]) != case["names"]: err = "label_names differ"
    except Exception as e:
        err = f"{type(e).__name__}: {e}"
    failed += err is not None
    if err is not None: print(f"{case['file']}: FAIL: {err}")
print(f"fault-check: {len(cases) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
"#;

fn assert_poisoned<T: std::fmt::Debug>(what: &str, r: h5sink::Result<T>) {
    match r {
        Err(Error::Poisoned { first, .. }) => {
            assert!(first.contains(INJECTED), "{what}: {first}")
        }
        other => panic!("{what} after the fault returned {other:?}, expected Error::Poisoned"),
    }
}

/// For every k: the k-th write fails (or is torn). The call returns
/// `Error::Io` naming the storage and the cause, nothing panics, every later
/// call returns `Error::Poisoned`, the storage sees no further write, and
/// the bytes left open in h5py with every row flushed before the fault.
#[test]
fn every_failing_write_leaves_every_flushed_row() {
    let dir = out_dir("faults_kth");
    // How many writes the whole stream makes.
    let probe = FailKth::new(Fault::Error, u64::MAX);
    let mut p = Progress::default();
    scenario(probe.clone(), &mut p, &mut None, &mut None).unwrap();
    assert_eq!(p.flushed, F_ROWS);
    let total = probe.writes();
    println!("the stream makes {total} writes");
    assert!(
        total >= 30,
        "only {total} writes: the scenario is too small"
    );
    let mut cases = Vec::new();
    for fault in [Fault::Error, Fault::Short] {
        for k in 1..=total {
            let s = FailKth::new(fault, k);
            let mut p = Progress::default();
            let (mut keep_file, mut keep_images) = (None, None);
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                scenario(s.clone(), &mut p, &mut keep_file, &mut keep_images)
            }))
            .unwrap_or_else(|_| panic!("{fault:?} at write {k}: panicked"));
            match &r {
                Err(Error::Io { path, source, .. }) => {
                    assert_eq!(path, Path::new("<fail-kth>"));
                    assert_eq!(source.to_string(), INJECTED);
                    let msg = r.as_ref().unwrap_err().to_string();
                    assert!(
                        msg.contains("<fail-kth>") && msg.contains(INJECTED),
                        "{msg}"
                    );
                }
                other => panic!("{fault:?} at write {k}: {other:?}, expected Error::Io"),
            }
            let ops = s.writes();
            if let Some(f) = keep_file.take() {
                if let Some(images) = keep_images.take() {
                    assert_poisoned("write_rows", images.write_rows(0, &rows(0, 1, F_LEN)));
                    assert_poisoned(
                        "attribute",
                        images.new_attr_builder().with_str("x").create("after"),
                    );
                }
                assert_poisoned("create_group", f.create_group("after"));
                assert_poisoned(
                    "new_dataset",
                    f.new_dataset::<u8>().shape(&[1]).create("after"),
                );
                assert_poisoned("flush", f.flush());
                assert_poisoned("sync", f.sync());
                assert_poisoned("close", f.close());
            }
            assert_eq!(
                s.writes(),
                ops,
                "{fault:?} at write {k}: h5sink wrote after the failure"
            );
            if !p.created {
                continue; // the file was never promised
            }
            let path = dir.join(format!("{fault:?}-{k}.h5"));
            std::fs::write(&path, s.to_vec()).unwrap();
            let names = if p.names {
                format!("[{}]", NAMES.map(|n| format!("\"{n}\"")).join(", "))
            } else {
                "null".into()
            };
            cases.push(format!(
                r#"{{"file": "{}", "rows": {}, "total": {F_ROWS}, "row_len": {F_LEN}, "names": {names}}}"#,
                path.display(),
                p.flushed
            ));
        }
    }
    println!("{} files to check", cases.len());
    let manifest = dir.join("cases.json");
    std::fs::write(&manifest, format!("[{}]", cases.join(",\n"))).unwrap();
    let script = dir.join("fault_check.py");
    std::fs::write(&script, FAULT_CHECK).unwrap();
    let (ok, _) = run_py(&script, &[manifest.as_os_str()]);
    assert!(ok, "some files lost flushed rows or did not open");
}

// ------------------------------------------------------- a real full disk

struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn mount_tmpfs(dir: &Path, size: &str) -> Option<Mount> {
    let _ = Command::new("umount")
        .arg(dir)
        .stderr(Stdio::null())
        .status();
    std::fs::create_dir_all(dir).unwrap();
    let st = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::inherit())
        .status();
    match st {
        Ok(s) if s.success() => Some(Mount(dir.to_path_buf())),
        _ => None,
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Stream into a DatasetWriter on a 4 MiB tmpfs until it is full. Returns
/// the case line for crash_check.py.
fn fill_disk(dir: &Path, unlimited: bool) -> String {
    const LEN: usize = 256;
    const TOTAL: usize = 8192; // 8 MiB of f32 rows: twice the disk
    let path = dir.join("full.h5");
    let b = h5sink::DatasetWriter::<f32>::builder(&path, &[TOTAL, LEN]);
    let b = if unlimited {
        h5sink::DatasetWriter::<f32>::builder(&path, &[LEN]).unlimited()
    } else {
        b
    };
    let mut w = b.buf_size(64).create().unwrap();
    w.store_class_labels(&["cat", "dög", "horse"]).unwrap();
    let mut flushed = 0;
    let mut r = 0;
    let err = loop {
        assert!(r < 4 * TOTAL, "4x the disk's size written without an error");
        let res = w
            .add(&rows(r, r + 8, LEN), &labels(r, r + 8))
            .and_then(|_| if (r + 8) % 64 == 0 { w.flush() } else { Ok(()) });
        match res {
            Ok(()) => {
                r += 8;
                if r % 64 == 0 {
                    flushed = r;
                }
            }
            Err(e) => break e,
        }
        if !unlimited && r == TOTAL {
            panic!("the whole dataset fit on a 4 MiB disk");
        }
    };
    println!(
        "full disk ({}): {err}; {flushed} rows flushed",
        if unlimited { "unlimited" } else { "fixed" }
    );
    let msg = err.to_string();
    match &err {
        Error::Io {
            path: p, source, ..
        } => {
            assert_eq!(p, &path);
            assert_eq!(source.raw_os_error(), Some(28), "not ENOSPC: {source}");
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
    assert!(
        msg.contains(&path.display().to_string()) && msg.contains("No space left"),
        "{msg}"
    );
    assert!(flushed >= 64, "nothing flushed before the disk filled");
    match w.add(&rows(r, r + 8, LEN), &labels(r, r + 8)) {
        Err(Error::Poisoned { first, kind }) => {
            assert!(first.contains("No space left"), "{first}");
            assert_eq!(
                format!("{kind:?}"),
                "StorageFull",
                "the first failure's kind is kept"
            );
        }
        other => panic!("add after ENOSPC: {other:?}"),
    }
    assert!(matches!(w.flush(), Err(Error::Poisoned { .. })));
    assert!(matches!(w.close(), Err(Error::Poisoned { .. })));
    let total = if unlimited {
        "null".into()
    } else {
        TOTAL.to_string()
    };
    format!(
        r#"{{"file": "{}", "rows": {flushed}, "total_rows": {total}, "row_len": {LEN}, "key": "images", "class_names": ["cat", "dög", "horse"]}}"#,
        path.display()
    )
}

/// A real ENOSPC: `Error::Io` naming the path and the cause; every row
/// flushed before it intact in h5py. Also shows that `set_len` reserves
/// nothing: a 64 MiB `set_len` succeeds on the 4 MiB disk.
#[test]
fn full_disk_is_an_io_error_and_keeps_flushed_rows() {
    if !is_root() {
        println!("SKIP full_disk: not root, cannot mount a tmpfs (CI runs as root)");
        return;
    }
    let base = out_dir("faults_full_disk");
    let (a, b) = (base.join("fixed"), base.join("unlimited"));
    let Some(ma) = mount_tmpfs(&a, "4m") else {
        println!("SKIP full_disk: `mount -t tmpfs` failed (no CAP_SYS_ADMIN in this container?)");
        return;
    };
    let Some(mb) = mount_tmpfs(&b, "4m") else {
        println!("SKIP full_disk: `mount -t tmpfs` failed");
        return;
    };
    // set_len reserves no blocks: a sparse 64 MiB file fits on a 4 MiB disk.
    let sparse = a.join("sparse");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(64 << 20)
        .expect("set_len of 64 MiB on a 4 MiB tmpfs");
    std::fs::remove_file(&sparse).unwrap();
    let cases = [fill_disk(&a, false), fill_disk(&b, true)];
    let manifest = base.join("cases.json");
    std::fs::write(&manifest, format!("[{}]", cases.join(",\n"))).unwrap();
    let (ok, _) = run_py(&oracle("crash_check.py"), &[manifest.as_os_str()]);
    drop((ma, mb));
    assert!(ok, "flushed rows lost on a full disk");
}

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
