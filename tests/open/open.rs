//! `File::open`: files h5sink and h5py wrote are listed exactly (groups,
//! datasets, shapes, attributes); what h5sink cannot represent is
//! `Error::Unsupported` and the file is left byte for byte; hostile bytes
//! (every truncation, bit flips) give errors, never a panic.

use h5sink::{Error, File, Group, MemStorage, VarLenUnicode};

use crate::common::python;

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    struct AB { a: i32, b: f64 }
}

/// Every path below `g` with its kind and shape, sorted: ("/a", "group", []).
fn listing(g: &Group, out: &mut Vec<(String, String)>) {
    for name in g.member_names().unwrap() {
        let path = if g.name() == "/" {
            format!("/{name}")
        } else {
            format!("{}/{name}", g.name())
        };
        if let Ok(sub) = g.group(&name) {
            out.push((path, "group".into()));
            listing(&sub, out);
        } else {
            let d = g.dataset(&name).unwrap();
            out.push((path, format!("dataset {:?}", d.shape())));
        }
    }
}

fn list(f: &File) -> Vec<(String, String)> {
    let mut out = Vec::new();
    listing(f, &mut out);
    out.sort();
    out
}

/// An h5sink file with groups, every layout, filters, strings and attributes.
fn h5sink_file() -> (Vec<u8>, Vec<(String, String)>) {
    let mem = MemStorage::new();
    let f = File::with_storage(mem.clone()).unwrap();
    let g = f.create_group("a/b/c").unwrap();
    g.new_dataset::<f64>()
        .shape(&[4, 3])
        .create("x")
        .unwrap()
        .write_raw(&[1.5; 12])
        .unwrap();
    let many = f.create_group("many").unwrap();
    for i in 0..300 {
        many.create_group(&format!("g{i:03}")).unwrap();
    }
    f.new_dataset::<i32>()
        .shape(&[5])
        .compact()
        .create("small")
        .unwrap();
    let c = f
        .new_dataset::<u16>()
        .shape(&[0, 7])
        .resizable()
        .chunk(&[3, 7])
        .shuffle()
        .deflate(4)
        .fletcher32()
        .create("grow")
        .unwrap();
    for _ in 0..10 {
        c.append_rows(&[9u16; 14]).unwrap();
    }
    f.new_dataset::<VarLenUnicode>()
        .shape(&[2])
        .create("names")
        .unwrap()
        .write_strings(&["α", "β"])
        .unwrap();
    f.new_dataset::<bool>().create("flag").unwrap();
    f.new_attr_builder()
        .with_str("h5sink")
        .create("writer")
        .unwrap();
    f.close().unwrap();
    let mut want = vec![
        ("/a".into(), "group".into()),
        ("/a/b".into(), "group".into()),
        ("/a/b/c".into(), "group".into()),
        ("/a/b/c/x".into(), "dataset [4, 3]".into()),
        ("/many".into(), "group".into()),
        ("/small".into(), "dataset [5]".into()),
        ("/grow".into(), "dataset [20, 7]".into()),
        ("/names".into(), "dataset [2]".into()),
        ("/flag".into(), "dataset []".into()),
    ];
    want.extend((0..300).map(|i| (format!("/many/g{i:03}"), "group".to_string())));
    want.sort();
    (mem.to_vec(), want)
}

fn mem_of(bytes: &[u8]) -> MemStorage {
    let m = MemStorage::new();
    h5sink::Storage::write_at(&m, 0, bytes).unwrap();
    m
}

#[test]
fn h5sink_files_list_exactly_and_refuse_changes() {
    let (bytes, want) = h5sink_file();
    let f = File::open_storage(mem_of(&bytes)).unwrap();
    assert_eq!(list(&f), want);
    assert!(matches!(f.create_group("new"), Err(Error::ReadOnly { .. })));
    let d = f.dataset("grow").unwrap();
    assert!(matches!(
        d.append_rows(&[1u16; 7]),
        Err(Error::ReadOnly { .. })
    ));
    assert_eq!(d.shape(), [20, 7], "a refused append changes nothing");
    f.close().unwrap();
}

#[test]
fn every_truncation_and_many_bit_flips_are_errors_not_panics() {
    let (bytes, _) = h5sink_file();
    for n in (0..bytes.len()).step_by(7).chain([bytes.len() - 1]) {
        let r = File::open_storage(mem_of(&bytes[..n]));
        assert!(
            r.is_err(),
            "a file cut to {n} of {} bytes opened",
            bytes.len()
        );
    }
    // Flip one bit at a time in the metadata (data bytes change no structure).
    let mut flipped = 0;
    for i in (0..bytes.len()).step_by(13) {
        let mut b = bytes.clone();
        b[i] ^= 1 << (i % 8);
        if let Ok(f) = File::open_storage(mem_of(&b)) {
            let _ = list(&f); // whatever opens must list without panicking
        }
        flipped += 1;
    }
    assert!(flipped > 100);
}

const H5PY_FILE: &str = r#"
import h5py, numpy as np
with h5py.File("py.h5", "w") as f:
    f.create_dataset("f32", data=np.arange(12, dtype="<f4").reshape(3, 4))
    g = f.create_group("grp/sub")
    g.create_dataset("i8", data=np.arange(5, dtype="<i8"))
    f.create_dataset("gz", data=np.arange(1000, dtype="<u2"), chunks=(100,), compression="gzip", shuffle=True)
    f.create_dataset("grow", shape=(0, 3), maxshape=(None, 3), dtype="<f8", chunks=(10, 3))
    f["grow"].resize((25, 3))
    f.create_dataset("s", data=np.array(["a", "bc"], dtype=h5py.string_dtype()))
    f.create_dataset("fixed", data=np.array([b"xy", b"z"], dtype="S2"))
    f.create_dataset("b", data=np.array([True, False]))
    f.create_dataset("scalar", data=3.5)
    f.attrs["note"] = "made by h5py"
    f["f32"].attrs["scale"] = np.float64(2.0)
    for i in range(40):
        f.create_group(f"many/m{i:02d}")
    out = []
    f.visititems(lambda n, o: out.append((n, "group" if isinstance(o, h5py.Group) else "dataset %s" % list(o.shape))))
with open("py.txt", "w") as t:
    for n, k in sorted(out):
        t.write(f"/{n}\t{k}\n")
with h5py.File("latest.h5", "w", libver="latest") as f:
    f.create_dataset("x", data=np.arange(3))
with h5py.File("soft.h5", "w") as f:
    f.create_dataset("x", data=np.arange(3))
    f["link"] = h5py.SoftLink("/x")
with h5py.File("compound.h5", "w") as f:
    f.create_dataset("c", data=np.zeros(2, dtype=[("a", "<i4"), ("b", "<f8")]))
"#;

#[test]
fn h5py_files_list_as_h5py_lists_them_and_others_are_unsupported_untouched() {
    let dir = tempfile::tempdir().unwrap();
    python(H5PY_FILE, dir.path());
    let f = File::open(dir.path().join("py.h5")).unwrap();
    let got: Vec<String> = list(&f)
        .into_iter()
        .map(|(p, k)| format!("{p}\t{k}"))
        .collect();
    let want: Vec<String> = std::fs::read_to_string(dir.path().join("py.txt"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(got, want);
    // Values read back through the loader equal what h5py wrote.
    let f32s: Vec<f32> = (0..12).map(|x| x as f32).collect();
    assert_eq!(f.dataset("f32").unwrap().read_raw::<f32>().unwrap(), f32s);
    let gz: Vec<u16> = (0..1000).collect();
    assert_eq!(f.dataset("gz").unwrap().read_raw::<u16>().unwrap(), gz);
    assert_eq!(
        f.dataset("gz").unwrap().read_rows::<u16>(150, 3).unwrap(),
        [150, 151, 152]
    );
    assert_eq!(
        f.dataset("grp/sub/i8").unwrap().read_raw::<i64>().unwrap(),
        [0, 1, 2, 3, 4]
    );
    assert_eq!(f.dataset("s").unwrap().read_strings().unwrap(), ["a", "bc"]);
    assert_eq!(
        f.dataset("b").unwrap().read_raw::<bool>().unwrap(),
        [true, false]
    );
    assert_eq!(
        f.dataset("scalar").unwrap().read_scalar::<f64>().unwrap(),
        3.5
    );
    assert_eq!(
        f.dataset("grow").unwrap().read_raw::<f64>().unwrap(),
        vec![0.0; 75]
    );
    // A compound opens (its type kept as the file has it) and reads as the
    // h5compound! struct of the same layout.
    let c = File::open(dir.path().join("compound.h5")).unwrap();
    let ab: Vec<AB> = c.dataset("c").unwrap().read_raw().unwrap();
    assert_eq!(
        ab.iter().map(|v| (v.a, v.b)).collect::<Vec<_>>(),
        [(0, 0.0); 2]
    );
    assert!(matches!(
        c.dataset("c").unwrap().read_raw::<f64>(),
        Err(Error::TypeMismatch { .. })
    ));
    // A soft link opens (tests/conformance/links.rs has the rest); libver='latest' does not.
    let soft = File::open(dir.path().join("soft.h5")).unwrap();
    assert_eq!(
        soft.dataset("link").unwrap().read_raw::<i64>().unwrap(),
        [0, 1, 2]
    );
    let p = dir.path().join("latest.h5");
    let before = std::fs::read(&p).unwrap();
    match File::open(&p) {
        Err(Error::Unsupported { detail, .. }) => println!("latest.h5: {detail}"),
        other => panic!("latest.h5: expected Unsupported, got {other:?}"),
    }
    assert_eq!(std::fs::read(&p).unwrap(), before, "latest.h5 changed");
}
