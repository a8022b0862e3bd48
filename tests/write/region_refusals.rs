//! Regions refused: a worker given another file's token, the wrong
//! element type, rows outside its region or a token edited by hand gets a
//! specific error and writes nothing; datasets that cannot hand out regions
//! are refused and the file stays byte for byte; a dataset h5py created but
//! never allocated gets its data block (holding its fill value) at its
//! first region. The worker processes are in tests/write/regions.rs.

use std::path::Path;

use h5sink::{Error, RegionError, RegionWriter};

use crate::common::python;

/// The value of row `r`, column `c`, as in tests/write/regions.rs.
fn value(r: u64, c: u64) -> f32 {
    ((r * 7919 + c * 31) % 1_000_003) as f32
}

/// The numpy twin of [`value`] for rows `r` (a column) and columns `c`.
const NP_VALUE: &str = "((r * 7919 + c * 31) % 1000003).astype(np.float32)";

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir_in("/dev/shm").unwrap_or_else(|_| tempfile::tempdir().unwrap())
}
#[test]
fn another_files_token_a_wrong_type_or_rows_outside_write_nothing() {
    let dir = scratch();
    let (a, b) = (dir.path().join("a.h5"), dir.path().join("b.h5"));
    let make = |p: &Path| {
        let f = h5sink::File::create(p).unwrap();
        let ds = f.new_dataset::<f32>().shape(&[40, 16]).create("x").unwrap();
        let token = ds.region(10, 10).unwrap().to_string();
        f.close().unwrap();
        token
    };
    let (ta, tb) = (make(&a), make(&b));
    // Two files of one structure: their tokens differ in the file id only.
    let id_end = "h5sink-region:v1:".len() + 32;
    assert!(ta[..id_end] != tb[..id_end] && ta[id_end..] == tb[id_end..]);
    let before = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

    let e = RegionWriter::<f32>::open(&b, &ta).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Region(RegionError::FileMismatch {
                what: "file id",
                ..
            })
        ),
        "{e}"
    );
    assert!(e
        .to_string()
        .contains("is not the file of the region token: its file id is"));
    for e in [
        RegionWriter::<i32>::open(&a, &ta).unwrap_err(),
        RegionWriter::<f64>::open(&a, &ta).unwrap_err(),
    ] {
        assert!(
            matches!(&e, Error::TypeMismatch { expected, .. } if expected == "f32"),
            "{e}"
        );
    }
    let w = RegionWriter::<f32>::open(&a, &ta).unwrap();
    for first in [10, 9, u64::MAX] {
        let e = w.write_rows(first, &[1.0; 32]).unwrap_err();
        assert!(
            matches!(
                &e,
                Error::Region(RegionError::OutsideRegion {
                    rows: 10,
                    start: 10,
                    ..
                })
            ),
            "{e}"
        );
    }
    assert!(matches!(
        w.write_rows(0, &[1.0; 8]),
        Err(Error::PartialRow { .. })
    ));
    w.finish(true).unwrap();
    // Tokens edited by hand: rows past the dataset, another address, junk.
    let edited = ta.replace(":10:10:64:", ":35:10:64:");
    let e = RegionWriter::<f32>::open(&a, &edited).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Region(RegionError::FileMismatch {
                what: "row count",
                ..
            })
        ),
        "{e}"
    );
    let r: h5sink::Region = ta.parse().unwrap();
    let addr = ta.split(':').nth(4).unwrap();
    let moved = ta.replace(&format!(":{addr}:"), ":8:");
    let e = RegionWriter::<f32>::open(&a, &moved).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Region(RegionError::FileMismatch {
                what: "data address",
                ..
            })
        ),
        "{e}"
    );
    for junk in [
        "",
        "h5sink-region:v2",
        &ta[..ta.len() - 4],
        &ta.replace("/x", "/x y"),
    ] {
        let e = RegionWriter::<f32>::open(&a, junk).unwrap_err();
        assert!(
            matches!(&e, Error::Region(RegionError::BadToken { .. })),
            "{junk}: {e}"
        );
    }
    assert_eq!(r.dataset(), "/x");
    assert_eq!(
        before,
        (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap())
    );
}

#[test]
fn datasets_that_cannot_hand_out_regions_are_refused_and_nothing_changes() {
    let dir = scratch();
    let path = dir.path().join("kinds.h5");
    let f = h5sink::File::create(&path).unwrap();
    f.new_dataset::<f32>()
        .shape(&[8, 2])
        .chunk(&[4, 2])
        .create("chunked")
        .unwrap();
    f.new_dataset::<f32>()
        .shape(&[8, 2])
        .compact()
        .create("compact")
        .unwrap();
    f.new_dataset::<f32>().create("scalar").unwrap();
    f.new_dataset::<f32>()
        .shape(&[0, 2])
        .create("empty")
        .unwrap();
    f.new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[3])
        .create("names")
        .unwrap();
    f.new_dataset::<f32>()
        .shape(&[8, 2])
        .create("plain")
        .unwrap();
    let taken = f
        .new_dataset::<f32>()
        .shape(&[8, 2])
        .create("taken")
        .unwrap();
    taken
        .new_attr_builder()
        .with_scalar(&7i32)
        .create("h5sink_region_id")
        .unwrap();
    f.close().unwrap();
    let before = std::fs::read(&path).unwrap();
    let f = h5sink::File::open_rw(&path).unwrap();
    for (name, why) in [
        ("chunked", "it is chunked"),
        ("compact", "it is compact"),
        ("scalar", "it is a scalar"),
        ("empty", "holds no bytes"),
        ("names", "hold file addresses"),
        ("taken", "h5sink_region_id is not a scalar of 32 hex digits"),
    ] {
        let e = f.dataset(name).unwrap().region(0, 0).unwrap_err();
        assert!(
            matches!(&e, Error::Region(RegionError::Unfit { .. })),
            "{name}: {e}"
        );
        assert!(e.to_string().contains(why), "{name}: {e}");
    }
    let plain = f.dataset("plain").unwrap();
    let e = plain.region(4, 5).unwrap_err();
    assert!(
        matches!(
            e,
            Error::RowsOutOfRange {
                start: 4,
                end: 9,
                rows: 8,
                ..
            }
        ),
        "{e}"
    );
    f.close().unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a refused region() changed the file"
    );
    let ro = h5sink::File::open(&path).unwrap();
    let e = ro.dataset("plain").unwrap().region(0, 8).unwrap_err();
    assert!(matches!(e, Error::ReadOnly { .. }), "{e}");
}

#[test]
fn an_h5py_dataset_never_allocated_gets_its_block_with_fill_then_rows() {
    let dir = scratch();
    python(
        r#"
import h5py
with h5py.File("h5py.h5", "w") as f:
    f.create_dataset("x", shape=(100, 10), dtype="f4", fillvalue=7.0)
    assert f["x"].id.get_offset() is None  # libhdf5 allocates contiguous data late
"#,
        dir.path(),
    );
    let path = dir.path().join("h5py.h5");
    let f = h5sink::File::open_rw(&path).unwrap();
    let token = f.dataset("x").unwrap().region(20, 30).unwrap().to_string();
    let w = RegionWriter::<f32>::open(&path, &token).unwrap();
    let rows: Vec<f32> = (20..50)
        .flat_map(|r| (0..10).map(move |c| value(r, c)))
        .collect();
    w.write_rows(0, &rows).unwrap();
    w.finish(false).unwrap();
    f.close().unwrap();
    let out = python(
        &format!(
            r#"
import h5py, numpy as np
with h5py.File("h5py.h5", "r") as f:
    got = f["x"][...]
    assert f["x"].attrs["h5sink_region_id"] == b"{}"
r = np.arange(100, dtype=np.int64)[:, None]
c = np.arange(10, dtype=np.int64)[None, :]
want = np.full((100, 10), 7.0, np.float32)
want[20:50] = ({NP_VALUE})[20:50]
assert np.array_equal(got, want)
print("ok")
"#,
            &token["h5sink-region:v1:".len().."h5sink-region:v1:".len() + 32]
        ),
        dir.path(),
    );
    assert_eq!(out.trim(), "ok");
}

/// `examples/region_worker.rs`, whose `copy` is run here on in-memory input.
#[path = "../../examples/region_worker.rs"]
#[allow(dead_code)]
mod region_worker;

#[test]
fn the_example_worker_copies_raw_rows_and_refuses_too_many() {
    let dir = scratch();
    let path = dir.path().join("worker.h5");
    let f = h5sink::File::create(&path).unwrap();
    let x = f
        .new_dataset::<i16>()
        .shape(&[10, 3])
        .fill_value(-1)
        .create("x")
        .unwrap();
    let token = x.region(2, 5).unwrap().to_string();
    let p = path.to_str().unwrap();
    let rows: Vec<u8> = (0..12i16).flat_map(|v| v.to_le_bytes()).collect();
    assert_eq!(
        region_worker::copy(p, &token, true, &rows[..]).unwrap(),
        (4, 5)
    );
    let e = region_worker::copy(p, &token, false, &[0u8; 36][..]).unwrap_err();
    assert!(
        e.to_string().contains("outside the region of 5 rows"),
        "{e}"
    );
    let e = region_worker::copy(p, &token, false, &[0u8; 3][..]).unwrap_err();
    assert!(e.to_string().contains("ended inside a row"), "{e}");
    f.close().unwrap();
    let back = h5sink::File::open(&path)
        .unwrap()
        .dataset("x")
        .unwrap()
        .read_raw::<i16>()
        .unwrap();
    let mut want = vec![-1i16; 30];
    want[6..18].copy_from_slice(&(0..12).collect::<Vec<i16>>());
    assert_eq!(back, want);
}
