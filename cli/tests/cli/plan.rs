//! `h5sink plan` and `h5sink write-region` (the Dask run is in dask_job.rs):
//! tokens that workers fill, read back by h5py; refusals that leave nothing.

use crate::common::*;
use std::io::Write;
use std::process::{Command, Stdio};

fn write_region(
    dir: &std::path::Path,
    file: &str,
    token: &str,
    bytes: &[u8],
) -> std::process::Output {
    let mut c = Command::new(BIN)
        .current_dir(dir)
        .args(["write-region", file, token])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(bytes).unwrap();
    c.wait_with_output().unwrap()
}

#[test]
fn planned_rows_written_by_workers_read_in_h5py() {
    let d = tmp("plan");
    let out = ok(
        &d,
        &[
            "plan",
            "p.h5",
            "--rows",
            "6",
            "--dim",
            "3",
            "--class-names",
            "a,b",
            "0:4",
            "4:6",
        ],
    );
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.splitn(3, ' ').collect()).collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(
        (lines[0][0], lines[0][1], lines[1][1]),
        ("0:4", "features", "labels")
    );
    // Only the first range is written: rows 4..6 keep the fill values.
    let feats: Vec<u8> = (0..12).flat_map(|v| (v as f32).to_le_bytes()).collect();
    let o = write_region(&d, "p.h5", lines[0][2], &feats);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let labs: Vec<u8> = [3i64, 2, 1, 0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    assert!(write_region(&d, "p.h5", lines[1][2], &labs)
        .status
        .success());
    py(
        &d,
        "import h5py, numpy as np\n\
         f = h5py.File('p.h5', 'r')\n\
         assert f['features'][:4].ravel().tolist() == list(range(12)), f['features'][:]\n\
         assert (f['features'][4:] == 0).all()\n\
         assert f['labels'][:].tolist() == [3, 2, 1, 0, -1, -1], f['labels'][:]\n\
         assert list(f['label_names'].asstr()[:]) == ['a', 'b']\n",
    );
    // Eight rows for the two-row features range 4:6: refused, nothing written.
    let before = std::fs::read(d.join("p.h5")).unwrap();
    let o = write_region(&d, "p.h5", lines[2][2], &[0u8; 8 * 3 * 4]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("region"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(d.join("p.h5")).unwrap(), before);
}

#[test]
fn plan_refuses_bad_ranges_and_existing_files() {
    let d = tmp("plan-refuse");
    let o = run(&d, &["plan", "p.h5", "--rows", "6", "--dim", "3", "4:9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("\"4:9\""));
    assert!(!d.join("p.h5").exists());
    std::fs::write(d.join("p.h5"), b"mine").unwrap();
    let o = run(&d, &["plan", "p.h5", "--rows", "6", "--dim", "3", "0:6"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(d.join("p.h5")).unwrap(), b"mine");
}
