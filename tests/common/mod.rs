//! Shared helpers for integration tests that check h5sink's files with real
//! HDF5 readers (the oracle harness in `tests/oracle/`).
//!
//! A test writes one or more HDF5 files with h5sink into [`out_dir`], describes
//! each with a [`Manifest`] (objects, dtypes, shapes and how the data was
//! generated), then calls [`run_oracles`] once for the directory: h5py, pyfive
//! and h5dump read every file back and compare it with the manifest and with
//! an h5py-written twin. Data is generated with [`ramp`], which
//! `tests/oracle/check.py` reproduces bit for bit.
//!
//! Use from a test file with `mod common;`. Not every test uses every helper.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------- ramp data

/// Multiplier of the ramp generator (Knuth's multiplicative hash constant).
pub const RAMP_MUL: u64 = 2_654_435_761;
/// Float ramp values are `(x mod RAMP_FLOAT_MOD) * 0.25 - 1000.0`.
pub const RAMP_FLOAT_MOD: u64 = 1_000_003;

/// Raw ramp value of flat (row-major, 0-based) element index `i`:
/// `(i * 2654435761 + seed) mod 2^64`.
pub fn ramp_u64(i: u64, seed: u64) -> u64 {
    i.wrapping_mul(RAMP_MUL).wrapping_add(seed)
}

/// Element types the harness knows, with their manifest dtype name.
pub trait Ramp: Copy + Default + PartialEq + std::fmt::Debug + 'static {
    /// Manifest dtype name ("u8", "i32", "f64", ...).
    const DTYPE: &'static str;
    /// Maps a raw ramp value to this type: integers keep the low bits
    /// (two's complement for signed), floats use
    /// `f64(x mod 1000003) * 0.25 - 1000.0` cast to the type (exact for f32).
    fn ramp(x: u64) -> Self;
    /// Appends the little-endian bytes of `self` to `out`.
    fn extend_le(self, out: &mut Vec<u8>);
}

macro_rules! ramp_int {
    ($($t:ty => $name:literal),*) => {$(
        impl Ramp for $t {
            const DTYPE: &'static str = $name;
            fn ramp(x: u64) -> Self {
                x as $t // `as` truncates to the width and reinterprets the bits
            }
            fn extend_le(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
ramp_int!(u8 => "u8", i8 => "i8", u16 => "u16", i16 => "i16",
          u32 => "u32", i32 => "i32", u64 => "u64", i64 => "i64");

fn ramp_f64(x: u64) -> f64 {
    (x % RAMP_FLOAT_MOD) as f64 * 0.25 - 1000.0
}

impl Ramp for f64 {
    const DTYPE: &'static str = "f64";
    fn ramp(x: u64) -> Self {
        ramp_f64(x)
    }
    fn extend_le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Ramp for f32 {
    const DTYPE: &'static str = "f32";
    fn ramp(x: u64) -> Self {
        ramp_f64(x) as f32 // exact: a multiple of 1/4 below 2^18
    }
    fn extend_le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

/// Ramp values for flat element indices `start .. start + n` (use it to
/// produce any slab of a dataset: rows `a..b` of a `[R, C]` dataset are
/// `ramp(a * C, (b - a) * C, seed)`).
pub fn ramp<T: Ramp>(start: u64, n: usize, seed: u64) -> Vec<T> {
    (start..start + n as u64)
        .map(|i| T::ramp(ramp_u64(i, seed)))
        .collect()
}

/// The full row-major contents a dataset of `shape` must read back as, for
/// numeric `data` (`Data::Null` and unwritten rows read as zeros).
/// Panics for `Data::Strings`.
pub fn expected<T: Ramp>(shape: &[u64], data: &Data) -> Vec<T> {
    let n: u64 = shape.iter().product();
    let row: u64 = shape.iter().skip(1).product();
    let written = match *data {
        Data::Null => 0,
        Data::Ramp { .. } => n,
        Data::RampRows { rows_written, .. } => rows_written * row,
        Data::Strings(_) => panic!("expected::<{}>() called for string data", T::DTYPE),
    };
    let mut v = match *data {
        Data::Ramp { seed } | Data::RampRows { seed, .. } => ramp(0, written as usize, seed),
        _ => Vec::new(),
    };
    v.resize(n as usize, T::default());
    v
}

/// Little-endian bytes of a slice of ramp-able values.
pub fn le_bytes<T: Ramp>(values: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(std::mem::size_of_val(values));
    for &v in values {
        v.extend_le(&mut out);
    }
    out
}

// ---------------------------------------------------------------- manifests

/// Manifest dtype name of variable-length UTF-8 strings.
pub const VLEN_STR: &str = "vlen_str";

/// Every dtype name the harness accepts.
pub const DTYPES: &[&str] = &[
    "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64", VLEN_STR,
];

/// What a dataset holds, as far as the oracles need to know.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// Every element is `ramp` of its flat index.
    Ramp { seed: u64 },
    /// Only rows `[0, rows_written)` (first dimension) were written, with
    /// ramp values of their flat index in the whole array; the rest read 0.
    RampRows { seed: u64, rows_written: u64 },
    /// Variable-length strings, row-major, one per element.
    Strings(Vec<String>),
    /// Never written: reads as zeros / empty strings.
    Null,
}

#[derive(Clone, Debug)]
enum Object {
    Group(String),
    Dataset {
        path: String,
        dtype: String,
        shape: Vec<u64>,
        data: Data,
    },
}

/// Describes one HDF5 file for `tests/oracle/check.py` (schema: see
/// `tests/oracle/README.md`). Paths are relative to the root group, without
/// a leading '/', and every group (root excluded) must be listed before its
/// members -- list everything in the file, in creation order.
#[derive(Clone, Debug)]
pub struct Manifest {
    name: String,
    file: String,
    twin: bool,
    objects: Vec<Object>,
}

impl Manifest {
    /// A scenario called `name` (unique within its directory), whose file is
    /// `<name>.h5` beside the manifest.
    pub fn new(name: &str) -> Self {
        Manifest {
            name: name.to_string(),
            file: format!("{name}.h5"),
            twin: true,
            objects: Vec::new(),
        }
    }

    /// Scenario name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the HDF5 file of this scenario must be written.
    pub fn h5_path(&self, dir: &Path) -> PathBuf {
        dir.join(&self.file)
    }

    /// Adds a group.
    pub fn group(&mut self, path: &str) -> &mut Self {
        self.objects.push(Object::Group(path.to_string()));
        self
    }

    /// Adds a dataset; `dtype` is one of [`DTYPES`], `shape` `[]` is a scalar.
    pub fn dataset(&mut self, path: &str, dtype: &str, shape: &[u64], data: Data) -> &mut Self {
        assert!(DTYPES.contains(&dtype), "unknown manifest dtype {dtype:?}");
        let n: u64 = shape.iter().product();
        match &data {
            Data::Strings(s) => {
                assert_eq!(dtype, VLEN_STR, "string data for a {dtype} dataset");
                assert_eq!(
                    s.len() as u64,
                    n,
                    "{} strings for {n} elements of {path}",
                    s.len()
                );
            }
            Data::Ramp { .. } | Data::RampRows { .. } => {
                assert_ne!(dtype, VLEN_STR, "ramp data for a string dataset")
            }
            Data::Null => {}
        }
        if let Data::RampRows { rows_written, .. } = data {
            assert!(
                !shape.is_empty() && rows_written <= shape[0],
                "rows_written out of range"
            );
        }
        self.objects.push(Object::Dataset {
            path: path.to_string(),
            dtype: dtype.to_string(),
            shape: shape.to_vec(),
            data,
        });
        self
    }

    /// [`Manifest::dataset`] with the dtype taken from the element type.
    pub fn dataset_of<T: Ramp>(&mut self, path: &str, shape: &[u64], data: Data) -> &mut Self {
        self.dataset(path, T::DTYPE, shape, data)
    }

    /// Skips the h5py-twin comparison for this scenario (the other oracles
    /// still run). Use when h5sink deliberately lays the file out differently
    /// from h5py's defaults.
    pub fn no_twin(&mut self) -> &mut Self {
        self.twin = false;
        self
    }

    /// The manifest as JSON text.
    pub fn to_json(&self) -> String {
        let mut j = String::from("{\n  \"name\": ");
        json_str(&self.name, &mut j);
        j.push_str(",\n  \"file\": ");
        json_str(&self.file, &mut j);
        let _ = write!(j, ",\n  \"twin\": {},\n  \"objects\": [", self.twin);
        for (k, o) in self.objects.iter().enumerate() {
            j.push_str(if k == 0 { "\n    " } else { ",\n    " });
            match o {
                Object::Group(path) => {
                    j.push_str("{\"path\": ");
                    json_str(path, &mut j);
                    j.push_str(", \"kind\": \"group\"}");
                }
                Object::Dataset {
                    path,
                    dtype,
                    shape,
                    data,
                } => {
                    j.push_str("{\"path\": ");
                    json_str(path, &mut j);
                    let _ = write!(j, ", \"kind\": \"dataset\", \"dtype\": \"{dtype}\", \"shape\": {shape:?}, \"data\": ");
                    match data {
                        Data::Ramp { seed } => {
                            let _ = write!(j, "{{\"gen\": \"ramp\", \"seed\": {seed}}}");
                        }
                        Data::RampRows { seed, rows_written } => {
                            let _ = write!(
                                j,
                                "{{\"gen\": \"ramp\", \"seed\": {seed}, \"rows_written\": {rows_written}}}"
                            );
                        }
                        Data::Strings(strings) => {
                            j.push_str("{\"strings\": [");
                            for (i, s) in strings.iter().enumerate() {
                                if i > 0 {
                                    j.push_str(", ");
                                }
                                json_str(s, &mut j);
                            }
                            j.push_str("]}");
                        }
                        Data::Null => j.push_str("null"),
                    }
                    j.push('}');
                }
            }
        }
        j.push_str("\n  ]\n}\n");
        j
    }

    /// Writes `<dir>/<name>.json`; returns its path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(format!("{}.json", self.name));
        std::fs::write(&path, self.to_json())
            .unwrap_or_else(|e| panic!("cannot write manifest {}: {e}", path.display()));
        path
    }
}

/// Appends `s` as a JSON string literal: `"` and `\` are escaped, control
/// characters become `\u00XX`, everything else (non-ASCII too) is raw UTF-8.
pub fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ------------------------------------------------------------------ running

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
fn python() -> String {
    std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Runs `python3 <repo>/<script> <args...>`, prints its output, and panics
/// unless it exits 0. Exit status 3 means an oracle is missing: that is a
/// test failure too, never a skip.
pub fn run_python_script(script: &str, args: &[&std::ffi::OsStr]) {
    let script_path = repo_root().join(script);
    let out = Command::new(python())
        .arg(&script_path)
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} {}: {e}. Run scripts/test.sh, which installs the oracles.",
                python(),
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
