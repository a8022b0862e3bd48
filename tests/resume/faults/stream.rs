//! The stream every fault test writes (rows, labels), and running its
//! h5py check (`tests/oracle/crash_check.py`).

use std::path::{Path, PathBuf};
use std::process::Command;

// ------------------------------------------------------------ the stream

/// Row r, column c holds ((r * 31 + c) % 1000) * 0.5; label r is r * 3 - 7
/// (the values `tests/oracle/crash_check.py` expects).
fn row_values(r: usize, row_len: usize) -> impl Iterator<Item = f32> {
    (0..row_len).map(move |c| ((r * 31 + c) % 1000) as f32 * 0.5)
}

pub(crate) fn rows(from: usize, to: usize, row_len: usize) -> Vec<f32> {
    (from..to).flat_map(|r| row_values(r, row_len)).collect()
}

pub(crate) fn labels(from: usize, to: usize) -> Vec<i64> {
    (from..to).map(|r| r as i64 * 3 - 7).collect()
}

pub(crate) fn python() -> String {
    std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// Run `python3 script args`, print its output, return (success, stdout).
pub(crate) fn run_py(script: &Path, args: &[&std::ffi::OsStr]) -> (bool, String) {
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

pub(crate) fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) fn oracle(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/oracle")
        .join(name)
}
