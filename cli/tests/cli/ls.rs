//! End-to-end tests of `h5sink ls`: exact lines for a file h5sink wrote and
//! a file h5py wrote (h5py required, never skipped), and one-line errors
//! with exit 1 for a missing file, a file that is not HDF5 and a file
//! h5sink cannot read yet.

use crate::common::*;
use std::path::Path;

use h5sink::{File, FixedAscii, VarLenUnicode};

fn lines(dir: &Path, file: &str) -> Vec<String> {
    ok(dir, &["ls", file]).lines().map(String::from).collect()
}

#[test]
fn lists_an_h5sink_file() {
    let d = tmp("ls-h5sink");
    let f = File::create(d.join("made.h5")).unwrap();
    f.new_attr_builder()
        .with_str("h5sink")
        .create("writer")
        .unwrap();
    f.new_attr_builder()
        .with_scalar(&3u32)
        .create("version")
        .unwrap();
    let x = f.new_dataset::<f64>().shape(&[4, 3]).create("a/x").unwrap();
    x.new_attr_builder().with_str("m").create("units").unwrap();
    f.new_dataset::<i32>()
        .shape(&[5])
        .compact()
        .create("small")
        .unwrap();
    let grow = f
        .new_dataset::<u16>()
        .shape(&[0, 7])
        .resizable()
        .chunk(&[3, 7])
        .shuffle()
        .deflate(4)
        .fletcher32()
        .create("grow")
        .unwrap();
    grow.append_rows(&[9u16; 14]).unwrap();
    f.new_dataset::<u8>()
        .shape(&[2, 5])
        .max_shape(&[Some(8), Some(5)])
        .chunk(&[1, 5])
        .create("bounded")
        .unwrap();
    f.new_dataset::<VarLenUnicode>()
        .shape(&[2])
        .create("names")
        .unwrap();
    f.new_dataset::<FixedAscii<10>>()
        .shape(&[1])
        .create("tag")
        .unwrap();
    f.new_dataset::<bool>().create("flag").unwrap();
    f.create_group("empty").unwrap();
    f.close().unwrap();
    assert_eq!(
        lines(&d, "made.h5"),
        [
            "/         Group  2 attrs: version, writer",
            "/a        Group",
            "/a/x      Dataset {4, 3}  f64  contiguous  1 attr: units",
            "/bounded  Dataset {2/8, 5}  u8  chunked {1, 5}",
            "/empty    Group",
            "/flag     Dataset {SCALAR}  bool  contiguous",
            "/grow     Dataset {2/Inf, 7}  u16  chunked {3, 7}  shuffle, deflate(4), fletcher32",
            "/names    Dataset {2}  variable-length UTF-8 string  contiguous",
            "/small    Dataset {5}  i32  compact",
            "/tag      Dataset {1}  fixed-length ASCII string of 10 bytes  contiguous",
        ]
    );
}

#[test]
fn lists_an_h5py_file() {
    let d = tmp("ls-h5py");
    py(
        &d,
        r#"
with h5py.File("py.h5", "w") as f:
    f.attrs["zeta"] = "last"
    f.attrs["alpha"] = np.int64(7)
    f.create_dataset("features", shape=(4000, 25088), maxshape=(None, 25088), dtype="<f4",
                     chunks=(63, 392), shuffle=True, compression="gzip", compression_opts=4,
                     fletcher32=True)
    g = f.create_group("meta/deep")
    g.attrs["n"] = np.int32(3)
    g.create_dataset("labels", data=np.arange(10, dtype="<i8"))
    f.create_dataset("names", data=np.array(["a", "bc"], dtype=h5py.string_dtype()))
    f.create_dataset("fixed", data=np.array([b"xy", b"z"], dtype="S2"))
    f.create_dataset("lr", data=np.float32(0.5))
"#,
    );
    assert_eq!(
        lines(&d, "py.h5"),
        [
            "/                  Group  2 attrs: alpha, zeta",
            "/features          Dataset {4000/Inf, 25088}  f32  chunked {63, 392}  shuffle, deflate(4), fletcher32",
            "/fixed             Dataset {2}  fixed-length ASCII string of 2 bytes  contiguous",
            "/lr                Dataset {SCALAR}  f32  contiguous",
            "/meta              Group",
            "/meta/deep         Group  1 attr: n",
            "/meta/deep/labels  Dataset {10}  i64  contiguous",
            "/names             Dataset {2}  variable-length UTF-8 string  contiguous",
        ]
    );
}

/// Exit 1 and one line on stderr holding every `want`; nothing on stdout.
fn ls_fails(dir: &Path, file: &str, want: &[&str]) {
    let before = std::fs::read(dir.join(file)).ok();
    let o = run(dir, &["ls", file]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{file}: {err}");
    assert_eq!(err.lines().count(), 1, "{file}: not one line: {err}");
    assert!(
        err.starts_with(&format!("h5sink: error: cannot list {file}: ")),
        "{err}"
    );
    for w in want {
        assert!(err.contains(w), "{file}: {err:?} lacks {w:?}");
    }
    assert!(o.stdout.is_empty(), "{file}");
    assert_eq!(std::fs::read(dir.join(file)).ok(), before, "{file} changed");
}

#[test]
fn errors_are_one_line_and_exit_1() {
    let d = tmp("ls-errors");
    ls_fails(&d, "missing.h5", &["No such file"]);
    std::fs::write(d.join("text.h5"), "hello\n").unwrap();
    ls_fails(&d, "text.h5", &["no HDF5 format signature"]);
    py(
        &d,
        r#"
with h5py.File("latest.h5", "w", libver="latest") as f:
    f.create_dataset("x", data=np.arange(3))
"#,
    );
    ls_fails(&d, "latest.h5", &["not supported by h5sink"]);
    let o = run(&d, &["ls"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.ends_with("run 'h5sink ls --help' for usage\n"), "{err}");
}

#[test]
fn help_documents_the_format() {
    let d = tmp("ls-help");
    for args in [&["ls", "--help"][..], &["help", "ls"]] {
        let o = run(&d, args);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        for want in [
            "h5sink ls FILE",
            "Dataset {DIMS}  TYPE  LAYOUT[  FILTERS][  N attrs: NAME, ...]",
            "{SCALAR}",
            "20/Inf",
            "chunked {63, 392}",
            "shuffle, deflate(4), fletcher32",
            "Exit status",
        ] {
            assert!(out.contains(want), "{args:?}: help lacks {want:?}:\n{out}");
        }
    }
    let top = ok(&d, &["--help"]);
    assert!(top.contains("h5sink ls out.h5"), "{top}");
}
