//! End-to-end tests of `h5sink pack --append`: rows appended to resizable
//! datasets of a file pack made and of a file h5py made (read back exactly
//! by h5py), new datasets added, and every refusal: a one-line error, and
//! the file byte for byte as it was.

use crate::common::*;
use std::path::Path;

/// Run h5sink, expect exit `code` and an error naming every string of `want`.
fn refused(dir: &Path, args: &[&str], code: i32, want: &[&str]) {
    let o = run(dir, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "h5sink {args:?}: {err}");
    for w in want {
        assert!(
            err.contains(w),
            "h5sink {args:?}: stderr lacks {w:?}: {err}"
        );
    }
}

fn f32_npy(d: &Path, name: &str, shape: &[u64], from: u64) {
    let n: u64 = shape.iter().product();
    let data = f32_data((from..from + n).map(|i| i as f32), false);
    write_npy(&d.join(name), 1, "<f4", false, shape, &data);
}

#[test]
fn append_to_a_file_pack_made() {
    let d = tmp("append-own");
    f32_npy(&d, "f0.npy", &[50, 4], 0);
    write_npy(
        &d.join("l0.npy"),
        1,
        "<i8",
        false,
        &[50],
        &i64_data(0..50, false),
    );
    let csv0: String = (0..50).map(|i| format!("0.5,{i}\n")).collect();
    std::fs::write(d.join("c0.csv"), format!("a,b\n{csv0}")).unwrap();
    std::fs::write(d.join("names.txt"), "cat\ndog\n").unwrap();
    let base = [
        "--resizable",
        "--chunk",
        "16",
        "--deflate",
        "4",
        "--shuffle",
    ];
    let mut args = vec!["pack", "out.h5", "x=f0.npy", "y=l0.npy", "c=c0.csv"];
    args.extend(base);
    args.extend(["--class-names", "names.txt", "--attr", "seed=7"]);
    ok(&d, &args);

    // 30 more rows (completing a partly filled chunk), big-endian labels, a
    // CSV of integers into the float64 dataset c, a new dataset, and the
    // same class names and attribute (kept).
    f32_npy(&d, "f1.npy", &[30, 4], 200);
    let be = i64_data(50..80, true);
    write_npy(&d.join("l1.npy"), 2, ">i8", false, &[30], &be);
    let csv: String = (0..30).map(|i| format!("{i},{}\n", -i)).collect();
    std::fs::write(d.join("c1.csv"), format!("a,b\n{csv}")).unwrap();
    let out = ok(
        &d,
        &[
            "pack",
            "--append",
            "out.h5",
            "x=f1.npy",
            "y=l1.npy",
            "c=c1.csv",
            "g/new=l1.npy",
            "--class-names",
            "names.txt",
            "--attr",
            "seed=7",
            "--resizable",
        ],
    );
    assert!(
        out.contains("30 rows appended to 3 datasets, 1 datasets created"),
        "{out}"
    );
    py(
        &d,
        r#"
f = h5py.File('out.h5')
x = f['x']
assert x.dtype == np.dtype('<f4') and x.maxshape == (None, 4) and x.chunks == (16, 4)
assert x.compression == 'gzip' and x.shuffle
want = np.concatenate([np.arange(200), np.arange(200, 320)]).astype('f4').reshape(80, 4)
assert (x[()] == want).all(), x[()]
assert (f['y'][()] == np.arange(80)).all() and f['y'].dtype == np.dtype('<i8')
c = f['c']
assert c.dtype == np.dtype('<f8') and c.shape == (80, 2)
assert list(c.attrs['column_names']) == ['a', 'b']
assert (c[:50, 0] == 0.5).all() and (c[:50, 1] == np.arange(50)).all()
assert (c[50:, 0] == np.arange(30)).all() and (c[50:, 1] == -np.arange(30)).all()
assert (f['g/new'][()] == np.arange(50, 80)).all() and f['g/new'].maxshape == (None,)
assert [s.decode() for s in f['label_names'][()]] == ['cat', 'dog']
assert f.attrs['seed'] == 7
"#,
    );
}

#[test]
fn append_to_a_file_h5py_made() {
    let d = tmp("append-h5py");
    py(
        &d,
        r#"
f = h5py.File('h5py.h5', 'w')
f.create_dataset('feat', data=np.arange(21, dtype='<u2').reshape(7, 3), maxshape=(None, 3), chunks=(4, 3), compression='gzip')
f.create_dataset('mask', data=np.array([True, False, True]), maxshape=(10,), chunks=(2,))
f.attrs['source'] = 'h5py'
"#,
    );
    let u16s: Vec<u8> = (100u16..115).flat_map(u16::to_le_bytes).collect();
    write_npy(&d.join("feat.npy"), 1, "<u2", false, &[5, 3], &u16s);
    write_npy(&d.join("mask.npy"), 1, "|b1", false, &[5], &[0, 1, 1, 0, 1]);
    ok(
        &d,
        &[
            "pack",
            "h5py.h5",
            "--append",
            "feat=feat.npy",
            "mask=mask.npy",
            "--attr",
            "source=h5py",
        ],
    );
    py(
        &d,
        r#"
f = h5py.File('h5py.h5')
want = np.concatenate([np.arange(21), np.arange(100, 115)]).reshape(12, 3)
assert f['feat'].dtype == np.dtype('<u2') and (f['feat'][()] == want).all(), f['feat'][()]
assert list(f['mask'][()]) == [True, False, True, False, True, True, False, True]
assert f.attrs['source'] == 'h5py'
"#,
    );
    // The mask can grow to 10 rows: 8 are there, 5 more do not fit.
    refused(
        &d,
        &["pack", "--append", "h5py.h5", "mask=mask.npy"],
        1,
        &[
            "mask=mask.npy",
            "dataset /mask",
            "room for 2 more rows (maximum 10), the input has 5",
        ],
    );
}

#[test]
fn refused_appends_leave_the_file_byte_identical() {
    let d = tmp("append-refused");
    f32_npy(&d, "f.npy", &[4, 3], 0);
    write_npy(
        &d.join("l.npy"),
        1,
        "<i8",
        false,
        &[4],
        &i64_data(0..4, false),
    );
    std::fs::write(d.join("names.txt"), "cat\ndog\n").unwrap();
    ok(
        &d,
        &[
            "pack",
            "out.h5",
            "x=f.npy",
            "y=l.npy",
            "--resizable",
            "--class-names",
            "names.txt",
            "--attr",
            "seed=7",
        ],
    );
    ok(
        &d,
        &["pack", "--append", "out.h5", "fixed=f.npy", "g/h=l.npy"],
    ); // contiguous
    py(&d, "f = h5py.File('out.h5', 'a')\nf.create_dataset('f64', data=np.zeros(4), maxshape=(None,))\nf.create_dataset('cols', data=np.zeros((1, 2)), maxshape=(None, 2))\nf['cols'].attrs['column_names'] = ['p', 'q']");
    let before = std::fs::read(d.join("out.h5")).unwrap();

    f32_npy(&d, "wide.npy", &[4, 5], 0);
    write_npy(&d.join("f8.npy"), 1, "<f8", false, &[4, 3], &[0; 96]);
    write_npy(
        &d.join("two.npy"),
        1,
        "<i8",
        false,
        &[2],
        &i64_data(0..2, false),
    );
    write_npy(
        &d.join("scalar.npy"),
        1,
        "<f4",
        false,
        &[],
        &f32_data([1.0], false),
    );
    std::fs::write(d.join("other.txt"), "cat\nemu\n").unwrap();
    std::fs::write(d.join("big.csv"), "1\n9007199254740993\n2\n3\n").unwrap();
    std::fs::write(d.join("hdr.csv"), "p,r\n1,2\n3,4\n5,6\n7,8\n").unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["x=f8.npy"],
            "cannot append to dataset /x: element type differs (dataset: f32, input: f64)",
        ),
        (
            &["y=f.npy"],
            "element type differs (dataset: i64, input: f32)",
        ),
        (
            &["x=wide.npy"],
            "row shape differs (dataset rows: (3), input rows: (5))",
        ),
        (
            &["fixed=f.npy"],
            "dataset /fixed: not resizable (shape (4, 3), maximum shape (4, 3))",
        ),
        (&["x=scalar.npy"], "the input is a scalar"),
        (&["g=l.npy"], "/g is a group, not a dataset"),
        (&["y/z=l.npy"], "/y is a dataset, not a group"),
        (
            &["new=l.npy", "new/z=l.npy"],
            "new is also a group of new/z=l.npy",
        ),
        (&["x=f.npy", "y=two.npy"], "row counts differ"),
        (
            &["f64=big.csv"],
            "the integer 9007199254740993 (in magnitude) is not exact in float64",
        ),
        (
            &["cols=hdr.csv"],
            "CSV header [\"p\", \"r\"] differs from its column_names [\"p\", \"q\"]",
        ),
        (
            &["y=l.npy", "--class-names", "other.txt"],
            "label_names exists and holds other names",
        ),
        (
            &["y=l.npy", "--attr", "seed=8"],
            "--attr seed: the root attribute seed exists with another value",
        ),
        (
            &["y=l.npy", "--attr", "seed=7.0"],
            "--attr seed: the root attribute seed exists",
        ),
    ];
    for (inputs, want) in cases {
        // A valid input first: nothing is written before every input is checked.
        let mut args = vec!["pack", "--append", "out.h5", "new1=l.npy"];
        args.extend(inputs.iter());
        refused(&d, &args, 1, &["h5sink: error: ", want]);
        assert!(
            std::fs::read(d.join("out.h5")).unwrap() == before,
            "{args:?} changed the file"
        );
    }
    // A failure while writing, after x got its rows: a zero-width input
    // cannot be resizable (HDF5 wants chunk dims within a fixed maximum of
    // 0), which only creating the dataset finds out. The file is cut back.
    write_npy(&d.join("empty.npy"), 1, "<f4", false, &[4, 0], &[]);
    refused(
        &d,
        &[
            "pack",
            "--append",
            "out.h5",
            "x=f.npy",
            "w=empty.npy",
            "--resizable",
        ],
        1,
        &["w=empty.npy: ", "chunk dimension", "(out.h5 is as it was)"],
    );
    assert!(std::fs::read(d.join("out.h5")).unwrap() == before);
    // The command line: --append with --force or --keep-partial.
    refused(
        &d,
        &["pack", "--append", "out.h5", "y=l.npy", "--force"],
        2,
        &["--force"],
    );
    refused(
        &d,
        &["pack", "--append", "out.h5", "y=l.npy", "--keep-partial"],
        2,
        &["--keep-partial"],
    );
    assert!(std::fs::read(d.join("out.h5")).unwrap() == before);

    // A missing OUT.h5: a clear error, and no file is created.
    refused(
        &d,
        &["pack", "--append", "missing.h5", "y=l.npy"],
        1,
        &[
            "missing.h5: cannot append",
            "--append adds to an existing file",
        ],
    );
    assert!(!d.join("missing.h5").exists() && !d.join("missing.h5.partial").exists());
    // Not HDF5: the library's error, the file untouched.
    std::fs::write(d.join("text.h5"), b"not hdf5 at all").unwrap();
    refused(
        &d,
        &["pack", "--append", "text.h5", "y=l.npy"],
        1,
        &["text.h5"],
    );
    assert_eq!(
        std::fs::read(d.join("text.h5")).unwrap(),
        b"not hdf5 at all"
    );
    // Without --append an existing file is still refused, naming --append.
    refused(
        &d,
        &["pack", "out.h5", "y=l.npy"],
        1,
        &["out.h5 exists; use --force", "--append"],
    );
}
