//! Helpers of the CLI tests: a tiny .npy writer, running the binary, h5py checks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_h5sink");

pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("h5sink-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A `.npy` file: `descr`, `shape`, the raw data bytes, format `version` (1, 2, 3).
pub fn npy_bytes(version: u8, descr: &str, fortran: bool, shape: &[u64], data: &[u8]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(u64::to_string).collect();
    let shape = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let order = if fortran { "True" } else { "False" };
    let mut dict = format!("{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape}, }}");
    let pre = if version == 1 { 10 } else { 12 };
    while (pre + dict.len() + 1) % 64 != 0 {
        dict.push(' ');
    }
    dict.push('\n');
    let mut out = b"\x93NUMPY".to_vec();
    out.extend_from_slice(&[version, 0]);
    if version == 1 {
        out.extend_from_slice(&(dict.len() as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(dict.len() as u32).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.extend_from_slice(data);
    out
}

pub fn write_npy(path: &Path, version: u8, descr: &str, fortran: bool, shape: &[u64], data: &[u8]) {
    std::fs::write(path, npy_bytes(version, descr, fortran, shape, data)).unwrap();
}

pub fn f32_data(vals: impl IntoIterator<Item = f32>, big: bool) -> Vec<u8> {
    vals.into_iter()
        .flat_map(|v| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        })
        .collect()
}

pub fn i64_data(vals: impl IntoIterator<Item = i64>, big: bool) -> Vec<u8> {
    vals.into_iter()
        .flat_map(|v| {
            if big {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        })
        .collect()
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

pub fn ok(dir: &Path, args: &[&str]) -> String {
    let o = run(dir, args);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "h5sink {args:?} failed: {err}");
    assert!(
        !err.contains('\r'),
        "a progress bar was drawn on a non-terminal stderr: {err:?}"
    );
    out.into_owned()
}

/// Run h5sink, expect exit 1, an error naming every string of `want`, and no output left.
pub fn fails(dir: &Path, args: &[&str], want: &[&str]) -> String {
    let o = run(dir, args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        o.status.code(),
        Some(1),
        "h5sink {args:?}: expected exit 1, stderr: {err}"
    );
    assert!(err.starts_with("h5sink: error: "), "{err}");
    for w in want {
        assert!(
            err.contains(w),
            "h5sink {args:?}: stderr lacks {w:?}: {err}"
        );
    }
    let out = dir.join(args[1]);
    assert!(!out.exists(), "{} left behind", out.display());
    let partial = dir.join(format!("{}.partial", args[1]));
    assert!(!partial.exists(), "{} left behind", partial.display());
    err
}

/// Run python3 with h5py and numpy imported, in `dir`.
pub fn py(dir: &Path, code: &str) {
    let full = format!("import h5py, numpy as np\n{code}");
    let o = Command::new("python3")
        .current_dir(dir)
        .args(["-c", &full])
        .output()
        .expect("python3 is needed for these tests");
    assert!(
        o.status.success(),
        "python check failed:\n{code}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}
