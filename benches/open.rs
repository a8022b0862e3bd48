//! Open benchmark: a file of 5000 small datasets (50 groups x 100, every
//! tenth with two attributes) written by h5py, then opened and walked,
//! alternating in the same run: h5sink `File::open` and a walk listing
//! every dataset's shape and type, against h5py `h5py.File(path, "r")` and
//! `visititems` reading every dataset's shape and dtype (timed inside
//! Python around open and walk, so the interpreter's start is not counted).
//!
//! ```text
//! cargo bench --bench open              # file in /dev/shm, 5 rounds
//! H5SINK_BENCH_DIR=/tmp ROUNDS=9 cargo bench --bench open
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const GROUPS: usize = 50;
const PER_GROUP: usize = 100;

const MAKE: &str = r#"
import sys
import numpy as np, h5py
path, groups, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
kinds = ["<f4", "<f8", "<i8", "<u1", "<i4"]
with h5py.File(path, "w") as f:
    for g in range(groups):
        grp = f.create_group(f"g{g:02d}")
        for i in range(per):
            ds = grp.create_dataset(f"d{i:03d}", data=np.arange(16 + i % 7, dtype=kinds[i % 5]))
            if i % 10 == 0:
                ds.attrs["index"] = np.int64(i)
                ds.attrs["units"] = "m"
"#;

/// Python's open + walk: seconds, datasets seen, and the sum of their
/// element counts and of their dtype item sizes (compared with h5sink's).
const WALK: &str = r#"
import sys, time
import h5py
path = sys.argv[1]
t = time.perf_counter()
seen = []
def visit(name, obj):
    if isinstance(obj, h5py.Dataset):
        seen.append((obj.shape, obj.dtype))
with h5py.File(path, "r") as f:
    f.visititems(visit)
secs = time.perf_counter() - t
elems = sum(s[0] for s, _ in seen)
print(secs, len(seen), elems, sum(d.itemsize for _, d in seen))
"#;

/// h5sink's open + walk: seconds (open and walk), datasets, element
/// count, type sizes.
fn run_h5sink(path: &Path) -> ((f64, f64), usize, u64, u64) {
    let t = Instant::now();
    let f = h5sink::File::open(path).unwrap();
    let opened = t.elapsed().as_secs_f64();
    let mut seen = Vec::new();
    walk(&f, &mut seen);
    let secs = t.elapsed().as_secs_f64();
    let elems = seen.iter().map(|(s, _, _)| s[0]).sum();
    let sizes = seen.iter().map(|(_, _, b)| u64::from(*b)).sum();
    ((opened, secs - opened), seen.len(), elems, sizes)
}

/// Every dataset below `g`: its shape, type description and element size.
fn walk(g: &h5sink::Group, seen: &mut Vec<(Vec<u64>, String, u32)>) {
    for name in g.member_names().unwrap() {
        match g.group(&name) {
            Ok(sub) => walk(&sub, seen),
            Err(_) => {
                let d = g.dataset(&name).unwrap();
                seen.push((
                    d.shape(),
                    d.dtype_description(),
                    d.dtype().map_or(0, |t| t.element_size()),
                ));
            }
        }
    }
}

fn python(code: &str, args: &[String]) -> Option<String> {
    let out = Command::new("python3")
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("python failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn run_h5py(path: &Path) -> Option<(f64, usize, u64, u64)> {
    let text = python(WALK, &[path.display().to_string()])?;
    let mut it = text.split_whitespace();
    Some((
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
        it.next()?.parse().ok()?,
    ))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("open benchmark: run it with `cargo bench --bench open`");
        return;
    }
    let dir =
        PathBuf::from(std::env::var("H5SINK_BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()));
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let path = dir.join(format!("h5py-open-{}.h5", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let made = python(
        MAKE,
        &[
            path.display().to_string(),
            GROUPS.to_string(),
            PER_GROUP.to_string(),
        ],
    );
    if made.is_none() {
        println!("h5py is needed to write the file: pip install h5py");
        return;
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "{} datasets in {GROUPS} groups, written by h5py: {size} bytes",
        GROUPS * PER_GROUP
    );
    // One untimed round of each, so both start with the file in the page cache.
    let _ = run_h5sink(&path);
    let _ = run_h5py(&path);
    let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let ((open, walked), n, elems, sizes) = run_h5sink(&path);
        let s = open + walked;
        assert_eq!(n, GROUPS * PER_GROUP, "h5sink saw {n} datasets");
        let py = run_h5py(&path);
        if let Some((p, pn, pe, ps)) = py {
            assert_eq!((pn, pe, ps), (n, elems, sizes), "h5py and h5sink disagree");
            theirs.push(p);
            ratios.push(p / s);
        }
        ours.push(s);
        println!(
            "round {round}: h5sink {:.2} ms (open {:.2} + walk {:.2}); h5py {}",
            s * 1e3,
            open * 1e3,
            walked * 1e3,
            py.map_or("not available".into(), |(p, ..)| format!(
                "{:.2} ms ({:.1}x h5sink's time)",
                p * 1e3,
                p / s
            ))
        );
    }
    let _ = std::fs::remove_file(&path);
    println!(
        "median of {rounds}: h5sink {:.2} ms, h5py {:.2} ms; median per-round ratio h5py/h5sink {:.2} (above 1: h5sink is faster)",
        median(&mut ours) * 1e3,
        median(&mut theirs) * 1e3,
        median(&mut ratios)
    );
}
