//! Issue 11's corpus: files h5py wrote (tests/oracle/corpus_files.py:
//! every numeric type, bool, fixed and variable-length strings, compound,
//! enum, array, f16, big-endian numbers, scalars, ranks 0-5, zero-length
//! dimensions, compact, contiguous and chunked storage with each filter
//! h5sink decodes and their combinations, fill values, resizable datasets,
//! nested groups with many members, attributes of every kind, types no
//! Rust type names, files from h5py's low-level API).
//!
//! For each file: `File::open` lists what h5py's visititems lists and
//! reads every dataset and attribute as h5py reads it (or refuses the read
//! with `TypeMismatch` for types no Rust type names); then `File::open_rw`
//! on a copy adds a dataset, an attribute and rows to every resizable
//! dataset of a type the test names, and one Python process checks with
//! h5py, pyfive and `h5dump -p` that old and new content reads correctly
//! and untouched objects dump the same. Files outside the subset are
//! `Unsupported` and untouched; files holding references open read-only
//! and `open_rw` refuses them (a commit moves object headers).

use std::path::Path;
use std::process::Command;

use h5sink::{Attribute, Dataset, Element, Error, File, Group};

#[path = "corpus/change.rs"]
mod change;
#[path = "corpus/file_types.rs"]
mod file_types;
#[path = "corpus/manifest.rs"]
mod manifest;
#[path = "corpus/types.rs"]
mod types;

use manifest::{hex, strings_text, Manifest, Val};
use types::{dispatch, Op};

/// Run tests/oracle/corpus.py with `args` (h5py, pyfive and h5dump are
/// oracles: missing is a failure).
fn corpus_py(args: &[&str]) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/corpus.py");
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 with h5py is an oracle of this test: run scripts/test.sh to install it");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    print!("{}", String::from_utf8_lossy(&out.stdout));
}

/// Every object below `g`: (path, kind, shape), as the manifest has them.
fn listing(g: &Group, out: &mut Vec<(String, String, String)>) {
    for name in g.member_names().unwrap() {
        let path = if g.name() == "/" {
            format!("/{name}")
        } else {
            format!("{}/{name}", g.name())
        };
        if let Ok(sub) = g.group(&name) {
            out.push((path, "group".into(), "-".into()));
            listing(&sub, out);
        } else {
            let d = g.dataset(&name).unwrap();
            out.push((path, "dataset".into(), format!("{:?}", d.shape())));
        }
    }
}

/// What holds a value: a dataset, or an attribute.
enum Holder {
    Ds(Dataset),
    At(Attribute),
}

/// Read a value as `T`: its bytes.
struct Read<'a>(&'a Holder);

impl Op for Read<'_> {
    type Out = Result<Vec<u8>, Error>;
    fn run<T: Element>(self) -> Self::Out {
        let v: Vec<T> = match self.0 {
            Holder::Ds(d) => d.read_raw()?,
            Holder::At(a) => a.read_raw()?,
        };
        Ok(T::encode(&v).into_owned())
    }
}

fn attr_names(f: &File, path: &str) -> Vec<String> {
    let mut names = if path == "/" {
        f.attr_names().unwrap()
    } else if let Ok(g) = f.group(path) {
        g.attr_names().unwrap()
    } else {
        f.dataset(path).unwrap().attr_names().unwrap()
    };
    names.sort();
    names
}

fn holder(f: &File, v: &Val) -> Holder {
    let Some(name) = &v.attr else {
        return Holder::Ds(f.dataset(&v.path).unwrap());
    };
    Holder::At(if v.path == "/" {
        f.attr(name).unwrap()
    } else if let Ok(g) = f.group(&v.path) {
        g.attr(name).unwrap()
    } else {
        f.dataset(&v.path).unwrap().attr(name).unwrap()
    })
}

/// Check one value against the manifest.
fn check_val(f: &File, v: &Val, file: &str) {
    let what = format!("{file}: {} {:?} ({})", v.path, v.attr, v.rtype);
    let h = holder(f, v);
    let shape = match &h {
        Holder::Ds(d) => d.shape(),
        Holder::At(a) => a.shape().to_vec(),
    };
    assert_eq!(format!("{shape:?}"), v.shape, "{what}");
    let count = shape.iter().product::<u64>() as usize;
    match v.rtype.as_str() {
        "vstr" => {
            let got = match &h {
                Holder::Ds(d) => d.read_strings(),
                Holder::At(a) => a.read_strings(),
            };
            let got = got.unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(got.len(), count, "{what}");
            assert_eq!(strings_text(&got), v.data, "{what}");
        }
        "none" => {
            // No Rust type names it: every read is refused, naming its type.
            for rt in ["u1", "i4", "f8", "b1", "S4", "point"] {
                match dispatch(rt, Read(&h)).unwrap() {
                    Err(Error::TypeMismatch { expected, .. }) => {
                        assert!(!expected.is_empty(), "{what}")
                    }
                    other => panic!("{what}: read as {rt}: {other:?}"),
                }
            }
        }
        rt => {
            let got = dispatch(rt, Read(&h))
                .unwrap_or_else(|| panic!("{what}: unknown type name"))
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(hex(&got), v.data, "{what}");
        }
    }
}

/// `File::open` lists and reads the file as its manifest says.
fn check_open(path: &Path, m: &Manifest, file: &str) {
    let f = File::open(path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut got = Vec::new();
    listing(&f, &mut got);
    got.sort();
    let mut want = m.objs.clone();
    want.sort();
    assert_eq!(got, want, "{file}: listing");
    for (p, names) in &m.attrs {
        assert_eq!(
            attr_names(&f, p).join(","),
            *names,
            "{file}: attributes of {p}"
        );
    }
    for v in &m.vals {
        check_val(&f, v, file);
    }
    f.close().unwrap();
}

#[test]
fn h5py_corpus_opens_reads_and_takes_changes() {
    // H5SINK_CORPUS_DIR keeps the files (for looking at a failure).
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("H5SINK_CORPUS_DIR").map(std::path::PathBuf::from);
    let d = keep.as_deref().unwrap_or(dir.path());
    corpus_py(&["make", d.to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().into_string().unwrap();
            n.strip_suffix(".manifest").map(String::from)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 30, "{} corpus files", names.len());
    let read_only = std::fs::read_to_string(d.join("read_only.txt")).unwrap();
    for name in &names {
        let m =
            Manifest::parse(&std::fs::read_to_string(d.join(format!("{name}.manifest"))).unwrap());
        let orig = d.join(format!("{name}.h5"));
        check_open(&orig, &m, name);
        if read_only.lines().any(|n| n == name) {
            // References are header addresses, and a commit moves headers.
            let before = std::fs::read(&orig).unwrap();
            match File::open_rw(&orig) {
                Err(Error::Unsupported { detail, .. }) => {
                    assert!(detail.contains("reference"), "{name}: {detail}")
                }
                other => panic!("{name}: expected Unsupported, got {other:?}"),
            }
            assert_eq!(std::fs::read(&orig).unwrap(), before, "{name} changed");
            continue;
        }
        let new = d.join(format!("{name}.new.h5"));
        std::fs::copy(&orig, &new).unwrap();
        let f = File::open_rw(&new).unwrap_or_else(|e| panic!("{name}: open_rw: {e}"));
        let changes = change::change(&f, &m);
        f.close().unwrap();
        std::fs::write(d.join(format!("{name}.changes")), changes).unwrap();
        // h5sink reads its own change back.
        let f = File::open(&new).unwrap();
        let added = f.dataset("h5sink_added").unwrap();
        assert_eq!(added.read_raw::<i32>().unwrap(), [1, 2, 3, 4], "{name}");
    }
    let unsupported = std::fs::read_to_string(d.join("unsupported.txt")).unwrap();
    for name in unsupported.lines() {
        let p = d.join(format!("{name}.h5"));
        let before = std::fs::read(&p).unwrap();
        for r in [File::open(&p), File::open_rw(&p)] {
            match r {
                Err(Error::Unsupported { detail, .. }) => assert!(!detail.is_empty()),
                other => panic!("{name}: expected Unsupported, got {other:?}"),
            }
        }
        assert_eq!(std::fs::read(&p).unwrap(), before, "{name} changed");
    }
    corpus_py(&["check", d.to_str().unwrap()]);
}
