//! End-to-end tests of `h5sink pack`: .npy files written here (format 1.0,
//! 2.0, 3.0; both byte orders; Fortran order) and CSV files, packed by the
//! binary, read back with h5py. h5py must be installed: these tests fail,
//! never skip, without it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_h5sink");

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("h5sink-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A `.npy` file: `descr`, `shape`, the raw data bytes, format `version` (1, 2, 3).
fn npy_bytes(version: u8, descr: &str, fortran: bool, shape: &[u64], data: &[u8]) -> Vec<u8> {
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

fn write_npy(path: &Path, version: u8, descr: &str, fortran: bool, shape: &[u64], data: &[u8]) {
    std::fs::write(path, npy_bytes(version, descr, fortran, shape, data)).unwrap();
}

fn f32_data(vals: impl IntoIterator<Item = f32>, big: bool) -> Vec<u8> {
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

fn i64_data(vals: impl IntoIterator<Item = i64>, big: bool) -> Vec<u8> {
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

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
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
fn fails(dir: &Path, args: &[&str], want: &[&str]) -> String {
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
fn py(dir: &Path, code: &str) {
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

#[test]
fn features_labels_class_names_attrs() {
    let d = tmp("tutorial");
    let n = 100u64;
    write_npy(
        &d.join("feat.npy"),
        1,
        "<f4",
        false,
        &[n, 7],
        &f32_data((0..n * 7).map(|i| i as f32 * 0.5), false),
    );
    write_npy(
        &d.join("labels.npy"),
        2,
        ">i8",
        false,
        &[n],
        &i64_data((0..n as i64).map(|i| i % 4), true),
    );
    std::fs::write(d.join("names.txt"), "cat\ndog\nhorse\nschiff ⛵\n").unwrap();
    let out = ok(
        &d,
        &[
            "pack",
            "out.h5",
            "features=feat.npy",
            "labels=labels.npy",
            "--class-names",
            "names.txt",
            "--attr",
            "epochs=12",
            "--attr",
            "lr=0.25",
            "--attr",
            "model=vgg16",
            "--attr",
            "note=nan",
        ],
    );
    assert!(
        out.starts_with("h5sink: 100 rows, 3 datasets -> out.h5: "),
        "{out}"
    );
    assert!(
        out.contains("MB/s") && out.trim().lines().count() == 1,
        "{out}"
    );
    assert!(!d.join("out.h5.partial").exists());
    py(
        &d,
        r#"
f = h5py.File('out.h5', 'r')
assert sorted(f) == ['features', 'label_names', 'labels'], list(f)
x = f['features']
assert x.dtype == np.dtype('<f4') and x.shape == (100, 7) and x.chunks is None
assert (x[()] == np.arange(700, dtype='f4').reshape(100, 7) * 0.5).all()
y = f['labels']
assert y.dtype == np.dtype('<i8') and (y[()] == np.arange(100) % 4).all()
names = [s.decode() for s in f['label_names'][()]]
assert names == ['cat', 'dog', 'horse', 'schiff ⛵'], names
assert h5py.check_string_dtype(f['label_names'].dtype).encoding == 'utf-8'
a = f.attrs
assert a['epochs'] == 12 and a['epochs'].dtype == np.int64
assert a['lr'] == 0.25 and a['lr'].dtype == np.float64
assert a['model'] == 'vgg16' and a['note'] == 'nan'
"#,
    );
}

/// Every dtype, both byte orders, all three format versions, groups from paths.
#[test]
fn every_dtype_and_byte_order() {
    let d = tmp("dtypes");
    let shape = [5u64, 3];
    let n = 15u64;
    let kinds: &[(&str, usize)] = &[
        ("b1", 1),
        ("u1", 1),
        ("i1", 1),
        ("u2", 2),
        ("i2", 2),
        ("u4", 4),
        ("i4", 4),
        ("u8", 8),
        ("i8", 8),
        ("f2", 2),
        ("f4", 4),
        ("f8", 8),
    ];
    let mut args = vec!["pack".to_string(), "out.h5".into()];
    let mut checks = String::from("f = h5py.File('out.h5', 'r')\n");
    for (k, &(t, size)) in kinds.iter().enumerate() {
        for (order, big) in [("<", false), (">", true)] {
            let version = [1u8, 2, 3][k % 3];
            let descr = if size == 1 {
                format!("|{t}")
            } else {
                format!("{order}{t}")
            };
            let mut data = Vec::new();
            for i in 0..n {
                let le: Vec<u8> = match t {
                    "b1" => vec![u8::from(i % 3 == 0)],
                    "f2" => f16_bits(i as f32).to_le_bytes().to_vec(),
                    "f4" => (i as f32).to_le_bytes().to_vec(),
                    "f8" => (i as f64).to_le_bytes().to_vec(),
                    _ => i.to_le_bytes()[..size].to_vec(),
                };
                let mut e = le;
                if big {
                    e.reverse();
                }
                data.extend(e);
            }
            let file = format!("{t}_{}.npy", if big { "be" } else { "le" });
            write_npy(&d.join(&file), version, &descr, false, &shape, &data);
            let name = format!("v{version}/{t}/{}", if big { "be" } else { "le" });
            args.push(format!("{name}={file}"));
            let expect = if t == "b1" {
                "(np.arange(15) % 3 == 0)".to_string()
            } else {
                format!("np.arange(15).astype('<{t}')")
            };
            let dt = if t == "b1" {
                "'?'".to_string()
            } else {
                format!("'<{t}'")
            };
            checks += &format!(
                "x = f['{name}']\nassert x.dtype == np.dtype({dt}), ('{name}', x.dtype)\n\
                 assert x.shape == (5, 3)\nassert (x[()] == {expect}.reshape(5, 3)).all(), ('{name}', x[()])\n"
            );
        }
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = ok(&d, &a);
    assert!(
        out.contains("15 rows") || out.contains("5 rows, 24 datasets"),
        "{out}"
    );
    py(&d, &checks);
}

/// float16 bits of a small integer-valued f32 (exact in f16).
fn f16_bits(x: f32) -> u16 {
    if x == 0.0 {
        return 0;
    }
    let b = x.to_bits();
    let exp = ((b >> 23) & 0xff) as i32 - 127 + 15;
    let mant = (b >> 13) & 0x3ff;
    ((exp as u32) << 10 | mant) as u16
}

#[test]
fn fortran_order() {
    let d = tmp("fortran");
    write_npy(
        &d.join("v.npy"),
        1,
        "<f4",
        true,
        &[4],
        &f32_data([1.0, 2.0, 3.0, 4.0], false),
    );
    write_npy(
        &d.join("col.npy"),
        1,
        "<f4",
        true,
        &[4, 1],
        &f32_data([1.0, 2.0, 3.0, 4.0], false),
    );
    write_npy(
        &d.join("m.npy"),
        1,
        "<f4",
        true,
        &[2, 2],
        &f32_data([1.0, 2.0, 3.0, 4.0], false),
    );
    ok(&d, &["pack", "out.h5", "v=v.npy", "col=col.npy"]);
    py(&d, "f = h5py.File('out.h5')\nassert list(f['v'][()]) == [1, 2, 3, 4]\nassert f['col'].shape == (4, 1) and list(f['col'][:, 0]) == [1, 2, 3, 4]");
    fails(
        &d,
        &["pack", "bad.h5", "v=v.npy", "m=m.npy"],
        &["m=m.npy", "Fortran-ordered", "[2, 2]"],
    );
}

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

/// Several 4 MiB blocks per dataset, big-endian, format 2.0.
#[test]
fn many_blocks() {
    let d = tmp("blocks");
    let (n, c) = (3001u64, 1000u64);
    write_npy(
        &d.join("feat.npy"),
        2,
        ">f4",
        false,
        &[n, c],
        &f32_data((0..n * c).map(|i| (i % 1013) as f32), true),
    );
    write_npy(
        &d.join("labels.npy"),
        3,
        "<i8",
        false,
        &[n],
        &i64_data((0..n as i64).map(|i| i * 3), false),
    );
    let out = ok(
        &d,
        &["pack", "out.h5", "features=feat.npy", "labels=labels.npy"],
    );
    assert!(out.contains(" 3001 rows, 2 datasets"), "{out}");
    py(
        &d,
        r#"
f = h5py.File('out.h5')
x = f['features'][()]
assert x.shape == (3001, 1000) and (x.ravel() == np.arange(3001000) % 1013).all()
assert (f['labels'][()] == np.arange(3001) * 3).all()
"#,
    );
}

#[test]
fn bad_npy_files() {
    let d = tmp("bad");
    let good = npy_bytes(
        1,
        "<f4",
        false,
        &[4, 2],
        &f32_data((0..8).map(|i| i as f32), false),
    );
    std::fs::write(d.join("good.npy"), &good).unwrap();
    std::fs::write(d.join("trunc.npy"), &good[..good.len() - 3]).unwrap();
    std::fs::write(d.join("trunchead.npy"), &good[..40]).unwrap();
    std::fs::write(d.join("tiny.npy"), b"\x93NU").unwrap();
    let mut magic = good.clone();
    magic[1] = b'X';
    std::fs::write(d.join("magic.npy"), &magic).unwrap();
    let mut ver = good.clone();
    ver[6] = 9;
    std::fs::write(d.join("version.npy"), &ver).unwrap();
    let mut garbage = good.clone();
    garbage[10..20].copy_from_slice(b"<<garbage>");
    std::fs::write(d.join("header.npy"), &garbage).unwrap();
    let mut extra = good.clone();
    extra.extend_from_slice(&[0; 5]);
    std::fs::write(d.join("extra.npy"), &extra).unwrap();
    write_npy(&d.join("complex.npy"), 1, "<c8", false, &[4], &[0; 32]);
    write_npy(&d.join("strings.npy"), 1, "<U3", false, &[4], &[0; 48]);
    write_npy(
        &d.join("labels5.npy"),
        1,
        "<i8",
        false,
        &[5],
        &i64_data(0..5, false),
    );
    std::fs::write(d.join("names.txt"), "a\nb\n").unwrap();

    let case = |input: &str, want: &[&str]| {
        let arg = format!("features={input}");
        fails(
            &d,
            &["pack", "out.h5", &arg, "--class-names", "names.txt"],
            want,
        );
    };
    case(
        "trunc.npy",
        &[
            "features=trunc.npy",
            "truncated",
            "32 bytes of data",
            "29 bytes",
        ],
    );
    case("trunchead.npy", &["trunchead.npy", "truncated .npy header"]);
    case("tiny.npy", &["tiny.npy", "not a .npy file", "too short"]);
    case("magic.npy", &["magic.npy", "wrong magic"]);
    case(
        "version.npy",
        &["version.npy", "unsupported .npy format version 9.0"],
    );
    case("header.npy", &["header.npy", "bad .npy header"]);
    case(
        "extra.npy",
        &["extra.npy", "5 unexpected bytes after the data"],
    );
    case("complex.npy", &["complex.npy", "unsupported dtype \"<c8\""]);
    case("strings.npy", &["strings.npy", "unsupported dtype \"<U3\""]);
    case("missing.npy", &["missing.npy", "cannot open"]);
    fails(
        &d,
        &["pack", "out.h5", "features=good.npy", "labels=labels5.npy"],
        &[
            "row counts differ",
            "features=good.npy has 4 rows",
            "labels=labels5.npy has 5 rows",
        ],
    );
    // And the good file alone works.
    ok(&d, &["pack", "out.h5", "features=good.npy"]);
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
            String::from_utf8_lossy(&o.stderr).contains("usage: h5sink pack"),
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
