//! End-to-end tests of `h5sink pack` on .npy files written here (format 1.0,
//! 2.0, 3.0; both byte orders; Fortran order), read back with h5py. h5py must
//! be installed: these tests fail, never skip, without it.

use crate::common::*;

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
