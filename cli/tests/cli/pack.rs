//! End-to-end tests of `h5sink pack`: CSV inputs, chunking and filters,
//! output safety (existing files, partial files), the command line and the
//! progress bar. Outputs are read back with h5py (required, never skipped).

use crate::common::*;
use std::process::Command;

#[test]
fn csv_files() {
    let d = tmp("csv");
    std::fs::write(
        d.join("h.csv"),
        "x, y ,z\r\n1,2,3\r\n4,5,6.5\r\n\r\n7,8,9\r\n",
    )
    .unwrap();
    std::fs::write(d.join("ints.csv"), "1,-2\n3,4\n5,9007199254740993\n").unwrap();
    std::fs::write(d.join("labels.csv"), "label\n0\n1\n2\n").unwrap();
    ok(
        &d,
        &[
            "pack",
            "out.h5",
            "data/h=h.csv",
            "ints=ints.csv",
            "labels=labels.csv",
        ],
    );
    py(
        &d,
        r#"
f = h5py.File('out.h5')
h = f['data/h']
assert h.dtype == np.dtype('<f8') and h.shape == (3, 3)
assert (h[()] == [[1, 2, 3], [4, 5, 6.5], [7, 8, 9]]).all(), h[()]
i = f['ints']
assert i.dtype == np.dtype('<i8') and (i[()] == [[1, -2], [3, 4], [5, 9007199254740993]]).all(), i[()]
l = f['labels']
assert l.shape == (3,) and l.dtype == np.dtype('<i8') and list(l[()]) == [0, 1, 2]
"#,
    );
    std::fs::write(d.join("ragged.csv"), "a,b\n1,2\n3,4\n5\n").unwrap();
    fails(
        &d,
        &["pack", "bad.h5", "r=ragged.csv"],
        &[
            "ragged.csv",
            "ragged CSV",
            "line 4 has 1 fields",
            "line 1 has 2",
        ],
    );
    std::fs::write(d.join("text.csv"), "1,2\n3,x\n").unwrap();
    fails(
        &d,
        &["pack", "bad.h5", "t=text.csv"],
        &["text.csv", "line 2, column 2", "\"x\" is not a number"],
    );
    std::fs::write(d.join("empty.csv"), "").unwrap();
    fails(
        &d,
        &["pack", "bad.h5", "e=empty.csv"],
        &["empty.csv", "empty CSV"],
    );
}

#[test]
fn chunked_and_deflated() {
    let d = tmp("chunked");
    let n = 50u64;
    write_npy(
        &d.join("feat.npy"),
        1,
        "<f4",
        false,
        &[n, 40],
        &f32_data((0..n * 40).map(|i| (i % 7) as f32), false),
    );
    write_npy(
        &d.join("labels.npy"),
        1,
        "<i8",
        false,
        &[n],
        &i64_data(0..n as i64, false),
    );
    ok(
        &d,
        &[
            "pack",
            "out.h5",
            "features=feat.npy",
            "labels=labels.npy",
            "--chunk",
            "16,8",
            "--deflate",
            "6",
            "--shuffle",
        ],
    );
    py(
        &d,
        r#"
f = h5py.File('out.h5')
x = f['features']
assert x.chunks == (16, 8) and x.compression == 'gzip' and x.compression_opts == 6 and x.shuffle
assert (x[()] == (np.arange(2000) % 7).reshape(50, 40)).all()
y = f['labels']
assert y.chunks == (16,) and (y[()] == np.arange(50)).all()
"#,
    );
    ok(&d, &["pack", "auto.h5", "features=feat.npy", "--deflate=1"]);
    py(&d, "x = h5py.File('auto.h5')['features']\nassert x.chunks is not None and x.compression == 'gzip'\nassert (x[()] == (np.arange(2000) % 7).reshape(50, 40)).all()");
}

#[test]
fn existing_output_force_and_keep_partial() {
    let d = tmp("force");
    write_npy(
        &d.join("a.npy"),
        1,
        "<i4",
        false,
        &[3],
        &[1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0],
    );
    std::fs::write(d.join("out.h5"), b"precious").unwrap();
    let o = run(&d, &["pack", "out.h5", "a=a.npy"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("out.h5 exists; use --force"));
    assert_eq!(std::fs::read(d.join("out.h5")).unwrap(), b"precious");
    ok(&d, &["pack", "out.h5", "a=a.npy", "--force"]);
    py(&d, "assert list(h5py.File('out.h5')['a'][()]) == [1, 2, 3]");

    // A failure while writing (a path through a dataset): nothing left, or,
    // with --keep-partial, the partial file.
    let err = fails(
        &d,
        &["pack", "new.h5", "a=a.npy", "a/b=a.npy"],
        &["a/b=a.npy"],
    );
    assert!(!err.contains("kept"), "{err}");
    let o = run(
        &d,
        &["pack", "new.h5", "a=a.npy", "a/b=a.npy", "--keep-partial"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("kept the partial output new.h5.partial"));
    assert!(d.join("new.h5.partial").exists() && !d.join("new.h5").exists());
    // A stale partial is refused, and removed by --force.
    let o = run(&d, &["pack", "new.h5", "a=a.npy"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("new.h5.partial exists"));
    ok(&d, &["pack", "new.h5", "a=a.npy", "--force"]);
    assert!(!d.join("new.h5.partial").exists());
}

#[test]
fn command_line_errors() {
    let d = tmp("usage");
    for args in [
        &["pack"][..],
        &["pack", "out.h5"],
        &["pack", "out.h5", "nodataset"],
        &["pack", "out.h5", "a=x.npy", "--chunk", "0,3"],
        &["pack", "out.h5", "a=x.npy", "--deflate", "10"],
        &["pack", "out.h5", "a=x.npy", "--bogus"],
        &["pack", "out.h5", "a=x.npy", "a=y.npy"],
        &["frobnicate"],
    ] {
        let o = run(&d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("--help' for usage"),
            "{args:?}"
        );
        assert!(!d.join("out.h5").exists());
    }
    let o = run(&d, &["--help"]);
    assert!(o.status.success() && String::from_utf8_lossy(&o.stdout).contains("--class-names"));
}

/// On a terminal (a pty from util-linux `script`) stderr shows a progress bar.
#[test]
fn progress_bar_on_a_terminal() {
    let d = tmp("tty");
    let n = 20_000u64;
    write_npy(
        &d.join("f.npy"),
        1,
        "<f4",
        false,
        &[n, 256],
        &f32_data((0..n * 256).map(|i| i as f32), false),
    );
    let cmd = format!("{BIN} pack out.h5 features=f.npy");
    let o = Command::new("script")
        .current_dir(&d)
        .args(["-qc", &cmd, "/dev/null"])
        .output()
        .expect("util-linux `script` is needed for the terminal test");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("\r\x1b[2K[") && text.contains("MB/s  features"),
        "{text:?}"
    );
    assert!(
        text.contains("h5sink: 20000 rows, 1 datasets -> out.h5"),
        "{text:?}"
    );
}
