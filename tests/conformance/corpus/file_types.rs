//! Types read from a file accept exactly the Rust types they match: a
//! compound, an enum, a big-endian number (read swapped, never written),
//! a variable-length sequence (neither read nor resized); a loaded
//! compound attribute rewritten keeps its file type.

use h5sink::{Error, File};

use super::types::{Point, Rgb};
use crate::common::python;

h5sink::h5compound! {
    /// `Point` with another member name: not the file's type.
    #[derive(Clone, Copy, Debug)]
    struct Renamed { x: f32, y: f32, id: i64 }
}

const MAKE: &str = r#"
import h5py, numpy as np
pt = np.dtype([("x", "<f4"), ("y", "<f4"), ("label", "<i8")])
rgb = h5py.enum_dtype({"Red": 0, "Green": 1, "Blue": 42}, basetype="u1")
with h5py.File("t.h5", "w") as f:
    f.create_dataset("pt", data=np.zeros(2, dtype=pt))
    f.create_dataset("rgb", data=np.array([1, 42], dtype=rgb))
    f.create_dataset("be", data=np.array([-1, 2], dtype=">i4"))
    f.create_dataset("seq", shape=(1,), maxshape=(None,), chunks=(4,), dtype=h5py.vlen_dtype("<i4"))
    f["pt"].attrs["origin"] = np.array((1.5, 2.5, 3), dtype=pt)
"#;

const CHECK: &str = r#"
import h5py
with h5py.File("t.h5", "r") as f:
    o = f["pt"].attrs["origin"]
    assert (o["x"], o["y"], o["label"]) == (7.5, -1.0, 9), o
    assert f["pt"].attrs.get_id("origin").get_type().get_nmembers() == 3
    assert f["rgb"][1] == 42
"#;

#[test]
fn file_types_accept_exactly_the_rust_types_they_match() {
    let dir = tempfile::tempdir().unwrap();
    python(MAKE, dir.path());
    let f = File::open_rw(dir.path().join("t.h5")).unwrap();

    let pt = f.dataset("pt").unwrap();
    assert_eq!(pt.read_raw::<Point>().unwrap().len(), 2);
    match pt.read_raw::<Renamed>() {
        Err(Error::TypeMismatch { expected, .. }) => {
            assert_eq!(expected, "compound {x: f32, y: f32, label: i64}")
        }
        other => panic!("{other:?}"),
    }

    let rgb = f.dataset("rgb").unwrap();
    assert_eq!(rgb.read_raw::<Rgb>().unwrap(), [Rgb::Green, Rgb::Blue]);
    assert!(matches!(
        rgb.read_raw::<u8>(),
        Err(Error::TypeMismatch { .. })
    ));

    // Big-endian numbers read into native ones, swapped; writes are refused
    // with the byte order named.
    let be = f.dataset("be").unwrap();
    assert_eq!(be.read_raw::<i32>().unwrap(), [-1, 2]);
    assert!(matches!(
        be.read_raw::<u32>(),
        Err(Error::TypeMismatch { .. })
    ));
    match be.write_raw(&[1i32, 2]) {
        Err(Error::TypeMismatch { expected, .. }) => assert_eq!(expected, "big-endian i32"),
        other => panic!("{other:?}"),
    }

    // Sequences hold heap addresses: not read, not resized.
    let seq = f.dataset("seq").unwrap();
    assert!(matches!(
        seq.read_raw::<i32>(),
        Err(Error::TypeMismatch { .. })
    ));
    match seq.resize(&[3]) {
        Err(e @ Error::BadShape { .. }) => assert!(e.to_string().contains("file addresses"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(seq.shape(), [1]);

    // A loaded compound attribute takes a value of the matching struct and
    // keeps the type the file gave it.
    let origin = pt.attr("origin").unwrap();
    assert_eq!(origin.read_raw::<Point>().unwrap()[0].x, 1.5);
    assert!(matches!(
        origin.write(&[Renamed {
            x: 0.0,
            y: 0.0,
            id: 0
        }]),
        Err(Error::TypeMismatch { .. })
    ));
    origin
        .write(&[Point {
            x: 7.5,
            y: -1.0,
            label: 9,
        }])
        .unwrap();
    f.close().unwrap();
    python(CHECK, dir.path());
}
