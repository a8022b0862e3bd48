//! The storage fails or tears its k-th write, for every k of a stream:
//! `Error::Io`, then `Error::Poisoned`, and every flushed row intact.

use super::stream::{labels, out_dir, rows, run_py};
use crate::common::faults;
use faults::{FailKth, Fault, INJECTED};
use h5sink::{Dataset, Error, File};
use std::path::Path;

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
