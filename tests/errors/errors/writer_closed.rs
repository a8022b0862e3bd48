//! `DatasetWriter::add` refusals, and every handle after `File::close`.

use crate::common::{ramp, Data, Manifest, VLEN_STR};
use h5sink::{DatasetWriter, Error, File, VarLenUnicode};
use std::path::Path;

/// `DatasetWriter::add`: out of range, label count and partial rows refuse
/// the whole call (`len()` unchanged, no row buffered), and a second
/// `store_class_labels` replaces the names. The writer then goes on normally.
pub(crate) fn case_writer_add(dir: &Path) {
    let mut m = Manifest::new("writer_add");
    let (rows, cols) = (10u64, 3usize);
    let data = |r: u64, n: usize| ramp::<f32>(r * cols as u64, n * cols, 7);
    let labels = |r: u64, n: usize| ramp::<i64>(r, n, 8);
    let mut w = DatasetWriter::<f32>::builder(m.h5_path(dir), &[rows, cols as u64])
        .buf_size(4)
        .create()
        .unwrap();
    w.add(&data(0, 6), &labels(0, 6)).unwrap(); // 4 written, 2 buffered
    assert_eq!(w.len(), 6);
    expect!(
        w.add(&data(6, 5), &labels(6, 5)),
        Error::RowsOutOfRange {
            start: 6,
            end: 11,
            rows: 10,
            ..
        },
        ["6..11", 10, "\"/images\""]
    );
    expect!(
        w.add(&data(6, 2), &labels(6, 3)),
        Error::LabelCount { rows: 2, labels: 3 },
        ["3 labels", "2 rows"]
    );
    let mut partial = data(6, 2);
    partial.pop();
    expect!(
        w.add(&partial, &labels(6, 2)),
        Error::PartialRow {
            values: 5,
            row_len: 3,
            ..
        },
        [5, 3, "\"/images\""]
    );
    assert_eq!(w.len(), 6, "failed calls accept no row");
    // A name with a NUL is refused before the names dataset exists: the
    // next call can still create it.
    expect!(
        w.store_class_labels(&["cat", "d\0g"]),
        Error::NulInString { index: 1, .. },
        ["NUL", "label_names"]
    );
    // A second call replaces the names (equal names are kept).
    w.store_class_labels(&["other"]).unwrap();
    w.store_class_labels(&["cat", "dog"]).unwrap();
    w.store_class_labels(&["cat", "dog"]).unwrap();
    // If a failed call had left rows in the buffer, these would be shifted.
    w.add(&data(6, 4), &labels(6, 4)).unwrap();
    assert_eq!(w.len(), 10);
    expect!(
        w.add(&data(0, 1), &labels(0, 1)),
        Error::RowsOutOfRange {
            start: 10,
            end: 11,
            ..
        },
        ["10..11"]
    );
    w.close().unwrap();
    m.dataset_of::<f32>("images", &[rows, cols as u64], Data::Ramp { seed: 7 })
        .dataset_of::<i64>("labels", &[rows], Data::Ramp { seed: 8 })
        .fill(-1.0)
        .dataset(
            "label_names",
            VLEN_STR,
            &[2],
            Data::Strings(vec!["cat".into(), "dog".into()]),
        );
    m.write(dir);
}

/// After `File::close`, every handle gets `Error::Closed` naming the call;
/// after a drop, handles keep the file open until the last one goes.
pub(crate) fn case_closed(dir: &Path) {
    let mut m = Manifest::new("closed");
    let f = File::create(m.h5_path(dir)).unwrap();
    let g = f.create_group("g").unwrap();
    let x = g.new_dataset::<i32>().shape(&[2, 2]).create("x").unwrap();
    let s = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[1])
        .create("s")
        .unwrap();
    x.write_rows(0, &ramp::<i32>(0, 4, 4)).unwrap();
    s.write_strings(&["kept"]).unwrap();
    f.close().unwrap();
    expect!(
        x.write_rows(0, &[0i32; 2]),
        Error::Closed { by: "File::close" },
        ["closed", "File::close"]
    );
    expect!(x.write_raw(&[0i32; 4]), Error::Closed { .. }, []);
    expect!(s.write_strings(&["lost"]), Error::Closed { .. }, []);
    expect!(g.create_group("h"), Error::Closed { .. }, []);
    expect!(g.new_dataset::<u8>().create("y"), Error::Closed { .. }, []);
    expect!(g.member_names(), Error::Closed { .. }, []);
    m.group("g")
        .dataset_of::<i32>("g/x", &[2, 2], Data::Ramp { seed: 4 })
        .dataset("s", VLEN_STR, &[1], Data::Strings(vec!["kept".into()]));
    m.write(dir);

    // Handles keep the file open after the File is dropped (as in
    // hdf5-metno); dropping the last handle commits and closes it.
    let mut m = Manifest::new("closed_by_drop");
    let f = File::create(m.h5_path(dir)).unwrap();
    let y = f.new_dataset::<u8>().shape(&[2]).create("y").unwrap();
    y.write_raw(&[0u8; 2]).unwrap();
    drop(f);
    y.write_raw(&ramp::<u8>(0, 2, 5)).unwrap();
    drop(y);
    m.dataset_of::<u8>("y", &[2], Data::Ramp { seed: 5 });
    m.write(dir);
}
