//! Running the oracles: output directories and the Python checkers.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::Manifest;

/// Root of the h5sink repository.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty `target/oracle-out/<test_name>` (honours CARGO_TARGET_DIR).
pub fn out_dir(test_name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_relative() {
                repo_root().join(p)
            } else {
                p
            }
        })
        .unwrap_or_else(|| repo_root().join("target"));
    let dir = target.join("oracle-out").join(test_name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot clear {}: {e}", dir.display()));
    }
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The Python interpreter: $H5SINK_PYTHON, else `python3` from PATH.
fn interpreter() -> String {
    std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Runs `python3 <repo>/<script> <args...>`, prints its output, and panics
/// unless it exits 0. Exit status 3 means an oracle is missing: that is a
/// test failure too, never a skip.
pub fn run_python_script(script: &str, args: &[&std::ffi::OsStr]) {
    let script_path = repo_root().join(script);
    let out = Command::new(interpreter())
        .arg(&script_path)
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} {}: {e}. Run scripts/test.sh, which installs the oracles.",
                interpreter(),
                script
            )
        });
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    match out.status.code() {
        Some(0) => {}
        Some(3) => panic!(
            "{script}: HDF5 oracles missing (h5py, numpy, pyfive or h5dump; see above). \
             Run scripts/test.sh, which installs them."
        ),
        code => panic!("{script} failed (exit status {code:?}); see its output above"),
    }
}

/// Checks every manifest in `dir` with h5py, pyfive, h5dump and an h5py twin
/// (one Python process for the whole directory); panics on any failure.
pub fn run_oracles(dir: &Path) {
    run_python_script("tests/oracle/check.py", &[dir.as_os_str()]);
}

/// Write one scenario: create `<name>.h5` in `dir` with h5sink, let `build`
/// fill it and describe it in the manifest, close, and write the manifest.
pub fn scenario(dir: &Path, name: &str, build: impl FnOnce(&h5sink::File, &mut Manifest)) {
    let mut m = Manifest::new(name);
    let f = h5sink::File::create(m.h5_path(dir)).unwrap();
    build(&f, &mut m);
    f.close().unwrap();
    m.write(dir);
}

/// Runs `python3 -c script` in `dir` and returns its standard output;
/// panics with its output unless it exits 0. python3 with h5py (and
/// pyfive, h5dump where a script uses them) is an oracle: missing, the
/// test fails, never skips.
pub fn python(script: &str, dir: &Path) -> String {
    let out = Command::new(interpreter())
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e}. Run scripts/test.sh, which installs the oracles.",
                interpreter()
            )
        });
    assert!(
        out.status.success(),
        "python3 failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
