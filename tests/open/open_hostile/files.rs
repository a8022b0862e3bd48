//! The valid files the hostile edits start from: a few small ones h5sink
//! writes in memory and three h5py writes (python3 with h5py, the oracle of
//! these tests, as in `tests/open/open.rs`).

use crate::common::python;
use h5sink::{File, FixedAscii, VarLenUnicode};

/// Groups, every layout, all three filters, strings and attributes.
pub fn h5sink_mixed() -> Vec<u8> {
    let f = File::in_memory().unwrap();
    let g = f.create_group("a/b").unwrap();
    let x = g.new_dataset::<f64>().shape(&[4, 3]).create("x").unwrap();
    x.write_raw(&[1.5; 12]).unwrap();
    x.new_attr_builder()
        .with_data(&[0.5f64, 2.5])
        .create("range")
        .unwrap();
    f.new_dataset::<i32>()
        .shape(&[5])
        .compact()
        .create("small")
        .unwrap()
        .write_raw(&[1, 2, 3, 4, 5])
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
    for i in 0..4u16 {
        c.append_rows(&[i; 14]).unwrap();
    }
    f.new_dataset::<VarLenUnicode>()
        .shape(&[2])
        .create("names")
        .unwrap()
        .write_strings(&["α", "β"])
        .unwrap();
    f.new_dataset::<FixedAscii<4>>()
        .shape(&[2])
        .create("codes")
        .unwrap()
        .write_raw(&[
            FixedAscii::<4>::new("ab").unwrap(),
            FixedAscii::new("cdef").unwrap(),
        ])
        .unwrap();
    f.new_dataset::<bool>()
        .create("flag")
        .unwrap()
        .write_scalar(&true)
        .unwrap();
    f.new_attr_builder()
        .with_str("h5sink")
        .create("writer")
        .unwrap();
    f.new_attr_builder()
        .with_scalar(&7i64)
        .create("seed")
        .unwrap();
    f.into_bytes().unwrap()
}

/// A chunked dataset of 100 chunks (a two-level chunk B-tree), deflated.
pub fn h5sink_chunks() -> Vec<u8> {
    let f = File::in_memory().unwrap();
    let c = f
        .new_dataset::<u8>()
        .shape(&[0, 2])
        .resizable()
        .chunk(&[2, 2])
        .deflate(1)
        .create("many")
        .unwrap();
    let rows: Vec<u8> = (0..400u32).map(|i| (i % 251) as u8).collect();
    c.append_rows(&rows).unwrap();
    f.into_bytes().unwrap()
}

/// A contiguous dataset, a fletcher-only chunked one and a vlen string
/// attribute array: small, for every single-bit flip.
pub fn h5sink_tiny() -> Vec<u8> {
    let f = File::in_memory().unwrap();
    f.new_dataset::<u32>()
        .shape(&[3])
        .create("c")
        .unwrap()
        .write_raw(&[1u32, 2, 3])
        .unwrap();
    f.new_dataset::<i16>()
        .shape(&[4])
        .chunk(&[2])
        .fletcher32()
        .create("k")
        .unwrap()
        .write_raw(&[1i16, -2, 3, -4])
        .unwrap();
    f.new_attr_builder()
        .with_strings(&["x", "yz"])
        .create("s")
        .unwrap();
    f.into_bytes().unwrap()
}

const H5PY: &str = r#"
import h5py, numpy as np
with h5py.File("py_basic.h5", "w") as f:
    f.create_dataset("f32", data=np.arange(6, dtype="<f4").reshape(2, 3))
    f.create_group("grp").create_dataset("i8", data=np.arange(3, dtype="<i8"))
    f.attrs["note"] = "h5py"
with h5py.File("py_chunks.h5", "w") as f:
    f.create_dataset("gz", data=np.arange(60, dtype="<u2"), chunks=(20,), compression="gzip", shuffle=True, fletcher32=True)
    f["gz"].attrs["scale"] = np.float64(2.0)
with h5py.File("py_strings.h5", "w") as f:
    f.create_dataset("s", data=np.array(["a", "bc"], dtype=h5py.string_dtype()))
    f.create_dataset("fixed", data=np.array([b"xy", b"z"], dtype="S2"))
    f.create_dataset("b", data=np.array([True, False]))
    f.create_dataset("scalar", data=3.5)
"#;

/// The three h5py files, by name.
pub fn h5py_files() -> Vec<(&'static str, Vec<u8>)> {
    let dir = tempfile::tempdir().unwrap();
    python(H5PY, dir.path());
    ["py_basic.h5", "py_chunks.h5", "py_strings.h5"]
        .into_iter()
        .map(|n| (n, std::fs::read(dir.path().join(n)).unwrap()))
        .collect()
}

/// The three h5sink files: (name, bytes).
pub fn h5sink_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("h5sink_mixed.h5", h5sink_mixed()),
        ("h5sink_chunks.h5", h5sink_chunks()),
        ("h5sink_tiny.h5", h5sink_tiny()),
    ]
}

/// Every valid file: (name, bytes).
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    let mut v = h5sink_files();
    v.extend(h5py_files());
    v
}
