//! Hostile row writes: partial rows, rows out of range, wrong element type
//! or count, rows of a scalar, wrong string counts.

use super::helpers::{expect, mem, still_valid};
use h5sink::Error;

// ------------------------------------------------------------------- rows

#[test]
fn partial_row() {
    let f = mem();
    let ds = f.new_dataset::<f32>().shape(&[4, 3]).create("d").unwrap();
    expect(ds.write_rows(0, &[1.0f32; 4]), |e| {
        matches!(
            e,
            Error::PartialRow {
                values: 4,
                row_len: 3,
                ..
            }
        )
    });
    still_valid(f);
}

#[test]
fn rows_out_of_range() {
    let f = mem();
    let ds = f.new_dataset::<f32>().shape(&[4, 3]).create("d").unwrap();
    expect(ds.write_rows(3, &[1.0f32; 6]), |e| {
        matches!(
            e,
            Error::RowsOutOfRange {
                start: 3,
                end: 5,
                rows: 4,
                ..
            }
        )
    });
    expect(ds.write_rows(u64::MAX, &[1.0f32; 3]), |e| {
        matches!(e, Error::RowsOutOfRange { .. })
    });
    still_valid(f);
}

#[test]
fn wrong_element_type() {
    let f = mem();
    let ds = f.new_dataset::<f32>().shape(&[4]).create("d").unwrap();
    expect(ds.write_rows(0, &[true]), |e| {
        matches!(e, Error::TypeMismatch { .. })
    });
    expect(ds.write_rows(0, &[1e300f64]), |e| {
        matches!(e, Error::ConversionRange { .. })
    });
    expect(ds.write_strings(&["a"; 4]), |e| {
        matches!(e, Error::TypeMismatch { .. })
    });
    still_valid(f);
}

#[test]
fn rows_of_a_scalar() {
    let f = mem();
    let ds = f.new_dataset::<i32>().create("s").unwrap();
    expect(ds.write_rows(0, &[1i32]), |e| {
        matches!(e, Error::BadShape { .. })
    });
    still_valid(f);
}

#[test]
fn write_raw_wrong_count() {
    let f = mem();
    let ds = f.new_dataset::<i32>().shape(&[2, 2]).create("d").unwrap();
    expect(ds.write_raw(&[1i32; 3]), |e| {
        matches!(e, Error::BadShape { .. })
    });
    still_valid(f);
}

#[test]
fn string_count() {
    let f = mem();
    let ds = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[3])
        .create("s")
        .unwrap();
    expect(ds.write_strings(&["a", "b"]), |e| {
        matches!(
            e,
            Error::StringCount {
                expected: 3,
                got: 2,
                ..
            }
        )
    });
    still_valid(f);
}
