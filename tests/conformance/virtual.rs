//! Virtual datasets (`VirtualLayout`, `VirtualSource`, `Group::create_virtual`):
//! h5py reads every mapping exactly (fill for unmapped parts and for a
//! missing source file, unlimited mappings growing with their source) and
//! `h5dump -p` prints the same text as for an h5py twin
//! (tests/oracle/virtual_check.py, which also shows pyfive and jsfive cannot
//! read their values, and h5wasm reads them all). The twins are then opened with `File::open`
//! (layout, shape, type and mappings as h5sink wrote them) and changed with
//! `File::open_rw`, their virtual datasets kept as they were.

use crate::common;

use crate::common::python;
use h5sink::format::selection::Selection;
use h5sink::{Error, File, Hyperslab, Layout, VirtualLayout, VirtualSource, UNLIMITED};
use std::path::Path;

/// The sources: src_a.h5 /x (i32 5 x 4, 0..20) and grow.h5 /g (i32 3 x 4
/// from 100, chunked, rows unlimited).
fn sources(dir: &Path) {
    let f = File::create(dir.join("src_a.h5")).unwrap();
    let x = f.new_dataset::<i32>().shape(&[5, 4]).create("x").unwrap();
    x.write_raw(&(0..20).collect::<Vec<i32>>()).unwrap();
    f.close().unwrap();
    let f = File::create(dir.join("grow.h5")).unwrap();
    let g = f
        .new_dataset::<i32>()
        .shape(&[0, 4])
        .resizable()
        .chunk(&[2, 4])
        .create("g")
        .unwrap();
    g.append_rows(&(100..112).collect::<Vec<i32>>()).unwrap();
    f.close().unwrap();
}

/// h5sink's side of each scenario of virtual_check.py.
fn ours(dir: &Path, name: &str, build: impl FnOnce(&File)) {
    let f = File::create(dir.join(format!("ours_{name}.h5"))).unwrap();
    build(&f);
    f.close().unwrap();
}

fn write_all(dir: &Path) {
    let a = || VirtualSource::new("src_a.h5", "x", &[5, 4]);
    ours(dir, "rows", |f| {
        let l = VirtualLayout::new::<i32>(&[10, 4])
            .fill_value(-1i32)
            .map(a(), Hyperslab::new(&[0, 0], &[5, 4]))
            .map(
                a().slab(Hyperslab::new(&[1, 0], &[2, 4])),
                Hyperslab::new(&[7, 0], &[2, 4]),
            );
        f.create_virtual("v", &l).unwrap();
    });
    ours(dir, "strided", |f| {
        let a = f.new_dataset::<i16>().shape(&[6]).create("a").unwrap();
        a.write_raw(&[0i16, 1, 2, 3, 4, 5]).unwrap();
        let s = || VirtualSource::new(".", "a", &[6]);
        let every_other = |row, first| {
            Hyperslab::new(&[row, first], &[1, 1])
                .stride(&[1, 2])
                .count(&[1, 6])
        };
        let l = VirtualLayout::new::<i16>(&[3, 12])
            .map(s(), every_other(0, 0))
            .map(s(), every_other(1, 1))
            .map(s(), Hyperslab::new(&[2, 3], &[1, 6]));
        f.create_virtual("g/v", &l).unwrap();
    });
    ours(dir, "missing", |f| {
        let l = VirtualLayout::new::<f32>(&[4]).fill_value(7.5f32).map(
            VirtualSource::new("nosuch.h5", "/y", &[4]),
            Hyperslab::new(&[0], &[4]),
        );
        f.create_virtual("m", &l).unwrap();
    });
    ours(dir, "cube", |f| {
        let b = f.new_dataset::<u8>().shape(&[6]).create("b").unwrap();
        b.write_raw(&[1u8, 2, 3, 4, 5, 6]).unwrap();
        let target = Hyperslab::new(&[1, 0, 0], &[1, 3, 1])
            .stride(&[1, 1, 2])
            .count(&[1, 1, 2]);
        let l = VirtualLayout::new::<u8>(&[2, 3, 4])
            .fill_value(9u8)
            .map(VirtualSource::new(".", "b", &[6]), target);
        f.create_virtual("c", &l).unwrap();
    });
    ours(dir, "unlimited", |f| {
        let g = || VirtualSource::new("grow.h5", "g", &[3, 4]).max_shape(&[None, Some(4)]);
        let all_rows = Hyperslab::new(&[0, 0], &[1, 4]).count(&[UNLIMITED, 1]);
        let l = VirtualLayout::new::<i32>(&[3, 4])
            .max_shape(&[None, Some(4)])
            .fill_value(0i32)
            .map(g().slab(all_rows.clone()), all_rows);
        f.create_virtual("u", &l).unwrap();
        let column = Hyperslab::new(&[0, 1], &[1, 1]).count(&[UNLIMITED, 1]);
        let l = VirtualLayout::new::<i32>(&[8])
            .max_shape(&[None])
            .fill_value(-5i32)
            .map(
                g().slab(column),
                Hyperslab::new(&[3], &[1]).count(&[UNLIMITED]),
            );
        f.create_virtual("u1", &l).unwrap();
    });
}

#[test]
fn virtual_datasets_read_by_h5py_and_dumped_like_h5py_twins() {
    let dir = common::out_dir("virtual");
    sources(&dir);
    write_all(&dir);
    common::run_python_script("tests/oracle/virtual_check.py", &[dir.as_os_str()]);

    // The twins h5py wrote open in h5sink: same layout, shape, type and
    // mappings as h5sink's own files.
    for name in ["rows", "strided", "missing", "cube", "unlimited"] {
        let twin = File::open(dir.join(format!("twin_{name}.h5"))).unwrap();
        let ours = File::open(dir.join(format!("ours_{name}.h5"))).unwrap();
        let paths: &[&str] = match name {
            "rows" => &["v"],
            "strided" => &["g/v"],
            "missing" => &["m"],
            "cube" => &["c"],
            _ => &["u", "u1"],
        };
        for p in paths {
            let (t, o) = (twin.dataset(p).unwrap(), ours.dataset(p).unwrap());
            assert_eq!(t.layout(), Layout::Virtual, "{name} {p}");
            assert_eq!(
                (t.shape(), t.max_shape(), t.dtype()),
                (o.shape(), o.max_shape(), o.dtype()),
                "{name} {p}"
            );
            assert_eq!(t.virtual_mappings(), o.virtual_mappings(), "{name} {p}");
        }
    }
    // Their values are read by h5py, not h5sink: a specific refusal.
    let twin = File::open(dir.join("twin_cube.h5")).unwrap();
    let e = twin.dataset("c").unwrap().read_raw::<u8>().unwrap_err();
    assert!(matches!(e, Error::Unsupported { .. }), "{e}");
    assert!(e.to_string().contains("\"/c\""), "{e}");
    let twin = File::open(dir.join("twin_unlimited.h5")).unwrap();
    let m = &twin.dataset("u").unwrap().virtual_mappings()[0];
    assert_eq!((m.file.as_str(), m.dataset.as_str()), ("grow.h5", "g"));
    assert_eq!(
        m.target,
        Selection::Slab(Hyperslab::new(&[0, 0], &[1, 4]).count(&[UNLIMITED, 1]))
    );
    assert_eq!(twin.dataset("u").unwrap().max_shape(), [None, Some(4)]);

    // open_rw: a twin changed elsewhere keeps its virtual datasets.
    let path = dir.join("twin_rows.h5");
    let before = h5dump_v(&dir, "twin_rows.h5");
    let old_bytes = std::fs::read(&path).unwrap();
    let mappings = File::open(&path)
        .unwrap()
        .dataset("v")
        .unwrap()
        .virtual_mappings();
    let f = File::open_rw(&path).unwrap();
    f.create_group("added").unwrap();
    f.dataset("v")
        .unwrap()
        .new_attr_builder()
        .with_str("kept")
        .create("note")
        .unwrap_or_else(|e| panic!("{e}"));
    f.close().unwrap();
    let after = h5dump_v(&dir, "twin_rows.h5");
    // Every old byte but the superblock's is kept (the mapping list's
    // collection among them), and the dataset still names it.
    let new_bytes = std::fs::read(&path).unwrap();
    assert_eq!(new_bytes[96..old_bytes.len()], old_bytes[96..]);
    let again = File::open(&path).unwrap();
    assert_eq!(again.dataset("v").unwrap().virtual_mappings(), mappings);
    // The same text, with the new attribute after the data.
    let kept = before.strip_suffix("}\n}\n").unwrap();
    assert!(after.starts_with(kept), "{after}");
    assert!(
        after[kept.len()..].contains("ATTRIBUTE \"note\""),
        "{after}"
    );
    let out = python(
        "import h5py, numpy as np\nf = h5py.File('twin_rows.h5')\nv = f['v'][...]\nprint(v[0].tolist(), v[5].tolist(), v[8].tolist(), list(f), f['v'].attrs['note'])",
        &dir,
    );
    assert_eq!(
        out.trim(),
        "[0, 1, 2, 3] [-1, -1, -1, -1] [8, 9, 10, 11] ['added', 'v'] kept"
    );
}

/// `h5dump -p -d /v` of `name` in `dir`, file name line aside.
fn h5dump_v(dir: &Path, name: &str) -> String {
    let out = std::process::Command::new("h5dump")
        .args(["-p", "-d", "/v", name])
        .current_dir(dir)
        .output()
        .expect("h5dump (an oracle) must be installed: run scripts/test.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split_once('\n')
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_default()
}

/// Every refusal is specific, names the mapping, and creates nothing.
#[test]
fn bad_layouts_are_refused_and_change_nothing() {
    let mem = h5sink::MemStorage::new();
    let f = File::with_storage(mem.clone()).unwrap();
    let src = || VirtualSource::new("s.h5", "x", &[4, 3]);
    let rows = |start, n| Hyperslab::new(&[start, 0], &[n, 3]);
    let refused = |l: VirtualLayout, what: &str| {
        let e = match f.create_virtual("v", &l) {
            Ok(_) => panic!("accepted, though {what}"),
            Err(e) => e,
        };
        assert!(e.to_string().contains(what), "{what}: {e}");
        e
    };
    let base = || VirtualLayout::new::<f32>(&[8, 3]);
    let e = refused(base(), "maps no source");
    assert!(matches!(e, Error::BadShape { .. }));
    refused(
        base().map(src(), rows(0, 5)),
        "mapping 0 (source \"x\" in \"s.h5\"): the source selects 12 elements, the virtual slab 15",
    );
    refused(base().map(src(), rows(0, 4)).map(src(), rows(6, 4)), "mapping 1 (source \"x\" in \"s.h5\"): the virtual slab ends at 10 in dimension 0, past the extent's 8");
    refused(
        base().map(src().slab(rows(2, 4)), rows(0, 4)),
        "the source slab ends at 6 in dimension 0, past the extent's 4",
    );
    refused(
        base().map(src(), Hyperslab::new(&[0], &[12])),
        "the virtual slab has rank 1, its extent 2",
    );
    let grows = Hyperslab::new(&[0, 0], &[1, 3]).count(&[UNLIMITED, 1]);
    refused(
        base().map(src(), grows.clone()),
        "whose maximum is 8, not unlimited",
    );
    let open = || base().max_shape(&[None, Some(3)]);
    refused(
        open().map(src(), grows.clone()),
        "an unlimited slab must map onto an unlimited slab",
    );
    refused(
        open().map(
            src().max_shape(&[None, Some(3)]).slab(grows.clone()),
            Hyperslab::new(&[0, 0], &[1, 1])
                .count(&[UNLIMITED, 2])
                .stride(&[1, 1]),
        ),
        "per step",
    );
    refused(
        base().map(
            src(),
            Hyperslab::new(&[0, 0], &[2, 3])
                .stride(&[1, 1])
                .count(&[2, 1])
                .stride(&[1, 1]),
        ),
        "overlap",
    );
    refused(
        base().map(VirtualSource::new("", "x", &[4, 3]), rows(0, 4)),
        "empty or holds a NUL byte",
    );
    refused(
        base().max_shape(&[Some(4), Some(3)]).map(src(), rows(0, 4)),
        "above its maximum",
    );
    let e = refused(
        base().fill_value(1i32).map(src(), rows(0, 4)),
        "fill value of type i32",
    );
    assert!(matches!(e, Error::TypeMismatch { .. }), "{e}");
    assert!(f.member_names().unwrap().is_empty());

    // A good one; then the name is taken, and its values are not h5sink's.
    let v = f
        .create_virtual("v", &base().map(src(), rows(0, 4)))
        .unwrap();
    assert!(matches!(
        f.create_virtual("v", &base().map(src(), rows(0, 4))),
        Err(Error::DuplicateName { .. })
    ));
    for e in [
        v.write_rows(0, &[0f32; 3]).unwrap_err(),
        v.write_raw(&[0f32; 24]).unwrap_err(),
        v.resize(&[9, 3]).unwrap_err(),
        v.read_rows::<f32>(0, 1).unwrap_err(),
    ] {
        assert!(matches!(e, Error::Unsupported { .. }), "{e}");
        assert!(e.to_string().contains("\"/v\""), "{e}");
    }
    assert_eq!(
        (v.layout(), v.max_shape()),
        (Layout::Virtual, vec![Some(8), Some(3)])
    );
    // Reopened from bytes: the same description.
    f.close().unwrap();
    // Opened to change and closed unchanged: not one byte written.
    let bytes = mem.to_vec();
    File::open_rw_storage(mem.clone()).unwrap().close().unwrap();
    assert_eq!(mem.to_vec(), bytes);
    let again = File::open_storage(mem).unwrap();
    let w = again.dataset("v").unwrap();
    assert_eq!(
        (w.shape(), w.layout(), w.dtype()),
        (vec![8, 3], Layout::Virtual, v.dtype())
    );
    assert_eq!(w.virtual_mappings(), v.virtual_mappings());
}
