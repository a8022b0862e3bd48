//! The read accessors in hdf5-metno's vocabulary (`dtype`,
//! `dtype_description`, `layout`, `is_chunked`, `chunk`, `max_shape`,
//! `is_resizable`, `filters`, `attr_names`, `attr`): exact values on files
//! h5sink made (live, and opened again with `File::open`) and on a file
//! h5py wrote, whose answers h5py gives too.

use h5sink::format::datatype::Datatype;
use h5sink::{Dataset, Error, File, FixedAscii, Layout, MemStorage, VarLenUnicode};

use crate::common::python;

/// Everything the accessors say about dataset `path`, on one line.
fn info(f: &File, path: &str) -> String {
    let d: Dataset = f.dataset(path).unwrap();
    assert_eq!(d.is_chunked(), d.layout() == Layout::Chunked, "{path}");
    assert_eq!(Some(d.dtype_description()), d.dtype().map(|t| t.describe()));
    format!(
        "{path}: {} {:?} {:?} chunk {:?} max {:?} resizable {} filters {:?} attrs {:?}",
        d.dtype_description(),
        d.shape(),
        d.layout(),
        d.chunk(),
        d.max_shape(),
        d.is_resizable(),
        d.filters(),
        d.attr_names().unwrap(),
    )
}

/// An h5sink file with every layout, filters, types and attributes.
fn build(f: &File) {
    let x = f.new_dataset::<f64>().shape(&[4, 3]).create("a/x").unwrap();
    x.new_attr_builder().with_str("m").create("units").unwrap();
    x.new_attr_builder()
        .with_data(&[0.5f64, 2.5])
        .create("range")
        .unwrap();
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
        .unwrap()
        .write_strings(&["α", "β"])
        .unwrap();
    f.new_dataset::<FixedAscii<10>>()
        .shape(&[1])
        .create("tag")
        .unwrap();
    f.new_dataset::<bool>().create("flag").unwrap();
    f.new_attr_builder()
        .with_str("h5sink")
        .create("writer")
        .unwrap();
    f.new_attr::<i64>()
        .create("epoch")
        .unwrap()
        .write_scalar(&12i64)
        .unwrap();
}

const H5SINK_INFO: [&str; 7] = [
    r#"a/x: f64 [4, 3] Contiguous chunk None max [Some(4), Some(3)] resizable false filters [] attrs ["range", "units"]"#,
    "small: i32 [5] Compact chunk None max [Some(5)] resizable false filters [] attrs []",
    "grow: u16 [2, 7] Chunked chunk Some([3, 7]) max [None, Some(7)] resizable true filters [Shuffle, Deflate(4), Fletcher32] attrs []",
    "bounded: u8 [2, 5] Chunked chunk Some([1, 5]) max [Some(8), Some(5)] resizable true filters [] attrs []",
    "names: variable-length UTF-8 string [2] Contiguous chunk None max [Some(2)] resizable false filters [] attrs []",
    "tag: fixed-length ASCII string of 10 bytes [1] Contiguous chunk None max [Some(1)] resizable false filters [] attrs []",
    "flag: bool [] Contiguous chunk None max [] resizable false filters [] attrs []",
];

fn check_h5sink(f: &File) {
    for want in H5SINK_INFO {
        let path = want.split(':').next().unwrap();
        assert_eq!(info(f, path), want);
    }
    assert_eq!(f.attr_names().unwrap(), ["epoch", "writer"]);
    assert!(f.group("a").unwrap().attr_names().unwrap().is_empty());
    let writer = f.attr("writer").unwrap();
    assert_eq!(writer.read_strings().unwrap(), ["h5sink"]);
    assert_eq!(writer.dtype_description(), "variable-length UTF-8 string");
    let epoch = f.attr("epoch").unwrap();
    assert_eq!(epoch.read_raw::<i64>().unwrap(), [12]);
    assert_eq!(
        epoch.dtype(),
        Some(Datatype::Int {
            size: 8,
            signed: true
        })
    );
    assert!(epoch.shape().is_empty());
    let x = f.dataset("a/x").unwrap();
    let range = x.attr("range").unwrap();
    assert_eq!(
        (range.shape(), range.read_raw::<f64>().unwrap()),
        (&[2u64][..], vec![0.5, 2.5])
    );
    assert_eq!(x.attr("units").unwrap().read_strings().unwrap(), ["m"]);
    let e = x.attr("unit").unwrap_err();
    assert!(
        matches!(&e, Error::NotFound { path, group, kind: "attribute" } if path == "unit" && group == "/a/x"),
        "{e:?}"
    );
    assert_eq!(e.to_string(), r#"no attribute named "unit" on "/a/x""#);
    let e = f.group("a").unwrap().attr("units").unwrap_err();
    assert_eq!(e.to_string(), r#"no attribute named "units" on "/a""#);
}

#[test]
fn h5sink_files_live_and_opened() {
    let mem = MemStorage::new();
    let f = File::with_storage(mem.clone()).unwrap();
    build(&f);
    check_h5sink(&f); // before any commit
    f.close().unwrap();
    let f = File::open_storage(mem.clone()).unwrap();
    check_h5sink(&f);
    // Layout accessors hold after close (as shape does); attribute
    // lookups need an open file.
    let grow = f.dataset("grow").unwrap();
    f.close().unwrap();
    assert_eq!(grow.chunk(), Some(vec![3, 7]));
    assert_eq!(grow.filters().len(), 3);
    assert!(matches!(grow.attr_names(), Err(Error::Closed { .. })));
    assert!(matches!(grow.attr("x"), Err(Error::Closed { .. })));
}

const H5PY_FILE: &str = r#"
import h5py, numpy as np
with h5py.File("py.h5", "w") as f:
    f.create_dataset("f32", data=np.arange(12, dtype="<f4").reshape(3, 4))
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    h5py.h5d.create(f.id, b"small", h5py.h5t.STD_I16LE, h5py.h5s.create_simple((4,)), dcpl)
    f.create_dataset("gz", data=np.arange(1000, dtype="<u2"), chunks=(100,),
                     compression="gzip", compression_opts=4, shuffle=True, fletcher32=True)
    f.create_dataset("grow", shape=(0, 3), maxshape=(None, 3), dtype="<f8", chunks=(10, 3))
    f["grow"].resize((25, 3))
    f.create_dataset("bounded", shape=(2, 5), maxshape=(8, 5), dtype="<i8", chunks=(1, 5))
    f.create_dataset("s", data=np.array(["a", "bc"], dtype=h5py.string_dtype()), chunks=(1,), shuffle=True)
    f.create_dataset("fixed", data=np.array([b"xy", b"z"], dtype="S2"))
    f.create_dataset("b", data=np.array([True, False]))
    f.create_dataset("scalar", data=np.uint8(7))
    f.attrs["zeta"] = "last"
    f.attrs["alpha"] = np.int64(7)
    f.attrs["Mid"] = np.array([1.5, 2.5])
    f["f32"].attrs["units"] = "m"
    f["f32"].attrs["scale"] = np.float64(2.0)
    g = f.create_group("grp")
    g.attrs["n"] = np.int32(3)
    for path in ["/", "/f32", "/grp", "/gz"]:
        print(path + "\t" + ",".join(f[path].attrs.keys()))
    for name in ["f32", "small", "gz", "grow", "bounded", "s", "fixed", "b", "scalar"]:
        d = f[name]
        print(name, d.shape, d.maxshape, d.chunks, d.compression, d.compression_opts,
              d.shuffle, d.fletcher32, d.id.get_create_plist().get_layout(), sep="\t")
"#;

const H5PY_INFO: [&str; 9] = [
    r#"f32: f32 [3, 4] Contiguous chunk None max [Some(3), Some(4)] resizable false filters [] attrs ["scale", "units"]"#,
    "small: i16 [4] Compact chunk None max [Some(4)] resizable false filters [] attrs []",
    "gz: u16 [1000] Chunked chunk Some([100]) max [Some(1000)] resizable false filters [Shuffle, Deflate(4), Fletcher32] attrs []",
    "grow: f64 [25, 3] Chunked chunk Some([10, 3]) max [None, Some(3)] resizable true filters [] attrs []",
    "bounded: i64 [2, 5] Chunked chunk Some([1, 5]) max [Some(8), Some(5)] resizable true filters [] attrs []",
    "s: variable-length UTF-8 string [2] Chunked chunk Some([1]) max [Some(2)] resizable false filters [Shuffle] attrs []",
    "fixed: fixed-length ASCII string of 2 bytes [2] Contiguous chunk None max [Some(2)] resizable false filters [] attrs []",
    "b: bool [2] Contiguous chunk None max [Some(2)] resizable false filters [] attrs []",
    "scalar: u8 [] Contiguous chunk None max [] resizable false filters [] attrs []",
];

#[test]
fn h5py_file_as_h5py_describes_it() {
    let dir = tempfile::tempdir().unwrap();
    let said = python(H5PY_FILE, dir.path());
    // h5py's own view of what the accessors must say (sorted attribute
    // names; layout 0 compact, 1 contiguous, 2 chunked).
    let h5py_said = "\
/\tMid,alpha,zeta
/f32\tscale,units
/grp\tn
/gz\t
f32\t(3, 4)\t(3, 4)\tNone\tNone\tNone\tFalse\tFalse\t1
small\t(4,)\t(4,)\tNone\tNone\tNone\tFalse\tFalse\t0
gz\t(1000,)\t(1000,)\t(100,)\tgzip\t4\tTrue\tTrue\t2
grow\t(25, 3)\t(None, 3)\t(10, 3)\tNone\tNone\tFalse\tFalse\t2
bounded\t(2, 5)\t(8, 5)\t(1, 5)\tNone\tNone\tFalse\tFalse\t2
s\t(2,)\t(2,)\t(1,)\tNone\tNone\tTrue\tFalse\t2
fixed\t(2,)\t(2,)\tNone\tNone\tNone\tFalse\tFalse\t1
b\t(2,)\t(2,)\tNone\tNone\tNone\tFalse\tFalse\t1
scalar\t()\t()\tNone\tNone\tNone\tFalse\tFalse\t1
";
    assert_eq!(said, h5py_said);
    let f = File::open(dir.path().join("py.h5")).unwrap();
    for want in H5PY_INFO {
        let path = want.split(':').next().unwrap();
        assert_eq!(info(&f, path), want);
    }
    assert_eq!(f.attr_names().unwrap(), ["Mid", "alpha", "zeta"]);
    assert_eq!(f.attr("zeta").unwrap().read_strings().unwrap(), ["last"]);
    assert_eq!(f.attr("alpha").unwrap().read_raw::<i64>().unwrap(), [7]);
    let mid = f.attr("Mid").unwrap();
    assert_eq!(
        (mid.dtype_description(), mid.shape().to_vec()),
        ("f64".to_string(), vec![2])
    );
    assert_eq!(mid.read_raw::<f64>().unwrap(), [1.5, 2.5]);
    let grp = f.group("grp").unwrap();
    assert_eq!(grp.attr_names().unwrap(), ["n"]);
    assert_eq!(grp.attr("n").unwrap().read_raw::<i32>().unwrap(), [3]);
    let scale = f.dataset("f32").unwrap().attr("scale").unwrap();
    assert_eq!(scale.read_raw::<f64>().unwrap(), [2.0]);
    let e = f.dataset("gz").unwrap().attr("scale").unwrap_err();
    assert_eq!(e.to_string(), r#"no attribute named "scale" on "/gz""#);
}
