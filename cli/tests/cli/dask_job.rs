//! The distributed example, run for real: `examples/dask/feature_job.py` on a
//! Dask `LocalCluster` of worker processes, in both patterns (shards joined by
//! `h5sink stitch`; one planned file written through row-range tokens), with
//! h5py checking every value of the result. Python with h5py and
//! `dask.distributed` is required (scripts/test.sh installs them); a missing
//! one fails the test.

use crate::common::*;
use std::path::Path;
use std::process::Command;

fn job(mode: &str) -> String {
    let d = tmp(&format!("dask-{mode}"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/dask/feature_job.py");
    let work = d.join("job");
    let out = Command::new(std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".into()))
        .arg(&script)
        .args(["--h5sink", BIN, "--mode", mode, "--workdir"])
        .arg(&work)
        .args([
            "--rows",
            "1200",
            "--dim",
            "2048",
            "--tasks",
            "8",
            "--workers",
            "3",
        ])
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "feature_job.py --mode {mode} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&d);
    stdout
}

#[test]
fn shards_stitched_into_virtual_datasets() {
    let said = job("shards");
    assert!(said.contains("1200 x 2048 f32 by 8 tasks"), "{said}");
    assert!(said.contains("(virtual dataset)"), "{said}");
    // Three worker processes, so more than one pid wrote shards.
    assert!(!said.contains("on 1 worker"), "{said}");
}

#[test]
fn one_planned_file_written_through_region_tokens() {
    let said = job("regions");
    assert!(said.contains("1200 x 2048 f32 by 8 tasks"), "{said}");
    assert!(said.contains("(plain dataset)"), "{said}");
    assert!(!said.contains("on 1 worker"), "{said}");
}
