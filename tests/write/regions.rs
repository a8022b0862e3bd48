//! Regions: one process creates a file and hands out row ranges of a
//! contiguous dataset as text tokens (`Dataset::region`); worker processes
//! (this test binary re-run as children) write their rows with
//! `RegionWriter`. h5py reads every row exactly; a worker killed with
//! SIGKILL leaves its unwritten rows as the fill value and everything else
//! exact. Refusals are in tests/write/region_refusals.rs.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use h5sink::RegionWriter;

use crate::common;
use crate::common::{python, Data, Dtype, Manifest};

/// The value of row `r`, column `c` (an integer below 2^24: exact in f32,
/// and recomputed by numpy in the checks).
fn value(r: u64, c: u64) -> f32 {
    ((r * 7919 + c * 31) % 1_000_003) as f32
}

/// The numpy twin of [`value`] for rows `r` (a column) and columns `c`.
const NP_VALUE: &str = "((r * 7919 + c * 31) % 1000003).astype(np.float32)";

/// A directory in memory when there is one (the files are 401 MB).
fn scratch() -> tempfile::TempDir {
    tempfile::tempdir_in("/dev/shm").unwrap_or_else(|_| tempfile::tempdir().unwrap())
}

/// The child: a worker writing its region, in batches, when the parent
/// re-executes this binary with the token.
#[test]
fn region_child() {
    let (Ok(path), Ok(token)) = (
        std::env::var("H5SINK_REGION_PATH"),
        std::env::var("H5SINK_REGION_TOKEN"),
    ) else {
        return;
    };
    let num = |k: &str| std::env::var(k).unwrap().parse::<u64>().unwrap();
    let (cols, batch, pause) = (
        num("H5SINK_REGION_COLS"),
        num("H5SINK_REGION_BATCH"),
        num("H5SINK_REGION_PAUSE_MS"),
    );
    let w = RegionWriter::<f32>::open(&path, &token).unwrap();
    let (start, rows) = (w.region().start(), w.region().rows());
    let mut buf = Vec::with_capacity((batch * cols) as usize);
    let mut first = 0;
    while first < rows {
        let n = batch.min(rows - first);
        buf.clear();
        match std::env::var("H5SINK_REGION_SEED") {
            // The oracle harness's ramp of the rows' flat indices.
            Ok(seed) => buf.extend(common::ramp::<f32>(
                (start + first) * cols,
                (n * cols) as usize,
                seed.parse().unwrap(),
            )),
            Err(_) => {
                for r in start + first..start + first + n {
                    buf.extend((0..cols).map(|c| value(r, c)));
                }
            }
        }
        w.write_rows(first, &buf).unwrap();
        first += n;
        println!("FLUSHED {first}");
        std::thread::sleep(Duration::from_millis(pause));
    }
    w.finish(false).unwrap();
}

/// Start a worker for `token` on `path`.
fn spawn(path: &Path, token: &str, cols: u64, batch: u64, pause_ms: u64) -> Child {
    spawn_seeded(path, token, cols, batch, pause_ms, None)
}

/// [`spawn`], writing the ramp of `seed` (when given) instead of [`value`].
fn spawn_seeded(
    path: &Path,
    token: &str,
    cols: u64,
    batch: u64,
    pause_ms: u64,
    seed: Option<u64>,
) -> Child {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    if let Some(seed) = seed {
        cmd.env("H5SINK_REGION_SEED", seed.to_string());
    }
    let name = common::kill::test_path(module_path!(), "region_child");
    cmd.args(["--exact", &name, "--nocapture", "--test-threads=1"])
        .env("H5SINK_REGION_PATH", path)
        .env("H5SINK_REGION_TOKEN", token)
        .env("H5SINK_REGION_COLS", cols.to_string())
        .env("H5SINK_REGION_BATCH", batch.to_string())
        .env("H5SINK_REGION_PAUSE_MS", pause_ms.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

fn wait_ok(mut child: Child) {
    let status = child.wait().unwrap();
    assert!(status.success(), "worker failed: {status}");
}

#[test]
fn eight_processes_write_every_row_of_a_401_mb_dataset() {
    const ROWS: u64 = 4000;
    const COLS: u64 = 25088;
    let dir = scratch();
    let path = dir.path().join("shared.h5");
    let file = h5sink::File::create(&path).unwrap();
    let ds = file
        .new_dataset::<f32>()
        .shape(&[ROWS, COLS])
        .create("features")
        .unwrap();
    let regions: Vec<_> = (0..8).map(|i| ds.region(i * 500, 500).unwrap()).collect();
    let id = regions[0].file_id().to_owned();
    assert!(regions.iter().all(|r| r.file_id() == id));
    let workers: Vec<Child> = regions
        .iter()
        .map(|r| spawn(&path, &r.to_string(), COLS, 50, 0))
        .collect();
    // The creator goes on with metadata while the workers write: its
    // commits never touch the data block.
    file.new_dataset::<i64>()
        .shape(&[3])
        .create("labels")
        .unwrap()
        .write_raw(&[1i64, 2, 3])
        .unwrap();
    file.flush().unwrap();
    for w in workers {
        wait_ok(w);
    }
    file.new_attr_builder()
        .with_str("done")
        .create("status")
        .unwrap();
    file.close().unwrap();

    // h5sink reads rows of every region back.
    let back = h5sink::File::open(&path).unwrap();
    let ds = back.dataset("features").unwrap();
    for r in [0, 499, 500, 2345, 3999] {
        let row = ds.read_rows::<f32>(r, 1).unwrap();
        assert!(
            row.iter().zip(0..).all(|(&v, c)| v == value(r, c)),
            "row {r}"
        );
    }
    drop(back);
    let out = python(
        &format!(
            r#"
import h5py, numpy as np
with h5py.File("shared.h5", "r") as f:
    d = f["features"]
    assert d.shape == (4000, 25088) and d.dtype == np.float32 and d.chunks is None
    assert f.attrs["status"] == "done" and list(f["labels"][:]) == [1, 2, 3]
    assert f["features"].attrs["h5sink_region_id"] == b"{id}"
    got = d[...]
c = np.arange(25088, dtype=np.int64)[None, :]
for lo in range(0, 4000, 500):
    r = np.arange(lo, lo + 500, dtype=np.int64)[:, None]
    assert np.array_equal(got[lo:lo + 500], {NP_VALUE}), lo
print("rows exact", got.shape[0])
"#
        ),
        dir.path(),
    );
    assert_eq!(out.trim(), "rows exact 4000");
}

#[test]
fn a_killed_worker_leaves_fill_values_and_every_other_row_exact() {
    const COLS: u64 = 1024;
    const PER: u64 = 100;
    const BATCH: u64 = 4;
    const KILLED: u64 = 5;
    let dir = scratch();
    let path = dir.path().join("killed.h5");
    let file = h5sink::File::create(&path).unwrap();
    let ds = file
        .new_dataset::<f32>()
        .shape(&[8 * PER, COLS])
        .fill_value(-1.5)
        .create("x")
        .unwrap();
    let tokens: Vec<String> = (0..8)
        .map(|i| ds.region(i * PER, PER).unwrap().to_string())
        .collect();
    let mut workers: Vec<Child> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let pause = if i as u64 == KILLED { 10 } else { 0 };
        workers.push(spawn(&path, t, COLS, BATCH, pause));
    }
    // Kill the slow one after its first batches, mid-way.
    let mut victim = workers.remove(KILLED as usize);
    let mut lines = BufReader::new(victim.stdout.take().unwrap()).lines();
    // The harness may print lines of its own before the first batch.
    let first = lines.find_map(|l| l.ok().filter(|l| l.contains("FLUSHED ")));
    assert!(first.unwrap().ends_with(&format!("FLUSHED {BATCH}")));
    std::thread::sleep(Duration::from_millis(25));
    victim.kill().unwrap();
    victim.wait().unwrap();
    let done = lines
        .map_while(Result::ok)
        .filter_map(|l| {
            l.split_once("FLUSHED ")
                .and_then(|(_, n)| n.trim().parse::<u64>().ok())
        })
        .last()
        .unwrap_or(BATCH);
    assert!(done < PER, "the worker finished before it was killed");
    for w in workers {
        wait_ok(w);
    }
    file.close().unwrap();

    // h5sink: rows before `done` exact, rows after the batch in flight fill.
    let back = h5sink::File::open(&path).unwrap();
    let got = back.dataset("x").unwrap().read_raw::<f32>().unwrap();
    for r in 0..8 * PER {
        let row = &got[(r * COLS) as usize..((r + 1) * COLS) as usize];
        let exact = (0..COLS).all(|c| row[c as usize] == value(r, c));
        let fill = row.iter().all(|&v| v == -1.5);
        let k = r.checked_sub(KILLED * PER).filter(|&k| k < PER);
        match k {
            None => assert!(exact, "row {r}"),
            Some(k) if k < done => assert!(exact, "row {r}"),
            Some(k) if k >= done + BATCH => assert!(fill, "row {r}"),
            Some(_) => {} // in flight when killed: checked per value by h5py
        }
    }
    drop(back);
    let out = python(
        &format!(
            r#"
import h5py, numpy as np
with h5py.File("killed.h5", "r") as f:
    got = f["x"][...]
    assert f["x"].fillvalue == -1.5
r = np.arange(800, dtype=np.int64)[:, None]
c = np.arange({COLS}, dtype=np.int64)[None, :]
want = {NP_VALUE}
lo, done, batch = {KILLED} * {PER}, {done}, {BATCH}
mine = np.zeros(800, bool); mine[lo:lo + {PER}] = True
assert np.array_equal(got[~mine], want[~mine])
assert np.array_equal(got[lo:lo + done], want[lo:lo + done])
flight = slice(lo + done, lo + done + batch)
assert np.all((got[flight] == want[flight]) | (got[flight] == -1.5))
assert np.all(got[lo + done + batch:lo + {PER}] == -1.5)
print("exact", int((~mine).sum()) + done, "fill", {PER} - done - batch)
"#
        ),
        dir.path(),
    );
    assert!(out.starts_with("exact "), "{out}");
    println!(
        "killed worker: {done} of {PER} rows reported; h5py: {}",
        out.trim()
    );
}

/// Regions written by worker processes, read by every oracle (h5py, pyfive,
/// jsfive, h5wasm, h5dump) and compared with an h5py-written twin: a
/// dataset filled by 8 workers, and one whose last rows were never handed
/// out (they read as its fill value), with the region id attribute.
#[test]
fn region_files_read_by_every_oracle() {
    const COLS: u64 = 256;
    let dir = common::out_dir("regions");
    let mut m = Manifest::new("regions");
    let path = m.h5_path(&dir);
    let f = h5sink::File::create(&path).unwrap();
    let full = f
        .new_dataset::<f32>()
        .shape(&[8 * 64, COLS])
        .create("full")
        .unwrap();
    let part = f
        .new_dataset::<f32>()
        .shape(&[100, COLS])
        .fill_value(-1.5)
        .create("partial")
        .unwrap();
    let mut workers = Vec::new();
    let mut ids = Vec::new();
    for (ds, seed, regions) in [
        (&full, 11, (0..8).map(|i| (i * 64, 64)).collect::<Vec<_>>()),
        (&part, 12, vec![(0, 32), (32, 32)]),
    ] {
        for (start, rows) in regions {
            let token = ds.region(start, rows).unwrap();
            workers.push(spawn_seeded(
                &path,
                &token.to_string(),
                COLS,
                16,
                0,
                Some(seed),
            ));
            ids.push((ds.name().to_owned(), token.file_id().to_owned()));
        }
    }
    for w in workers {
        wait_ok(w);
    }
    f.close().unwrap();
    let id = |name: &str| ids.iter().find(|(n, _)| n == name).unwrap().1.clone();
    m.dataset_of::<f32>("full", &[8 * 64, COLS], Data::Ramp { seed: 11 });
    m.attr(
        "full",
        "h5sink_region_id",
        Dtype::FixedAscii(32),
        &[],
        Data::Strings(vec![id("/full")]),
    );
    m.dataset_of::<f32>(
        "partial",
        &[100, COLS],
        Data::RampRows {
            seed: 12,
            rows_written: 64,
        },
    )
    .fill(-1.5);
    m.attr(
        "partial",
        "h5sink_region_id",
        Dtype::FixedAscii(32),
        &[],
        Data::Strings(vec![id("/partial")]),
    );
    m.write(&dir);
    common::run_oracles(&dir);
}
