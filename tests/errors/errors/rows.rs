//! Refused row, scalar and string writes: the data stays as it was.

use crate::common::{ramp, Data, Manifest, VLEN_STR};
use h5sink::{Error, File, VarLenUnicode};
use std::path::Path;

/// Row writes: partial rows, rows out of range (nothing of the call
/// written), wrong element type, wrong element count. The rows written
/// before stay, and the rows past them still read as zeros.
pub(crate) fn case_row_writes(dir: &Path) {
    let mut m = Manifest::new("row_writes");
    let f = File::create(m.h5_path(dir)).unwrap();
    let x = f.new_dataset::<f64>().shape(&[10, 4]).create("x").unwrap();
    x.write_rows(0, &ramp::<f64>(0, 32, 5)).unwrap();
    f.flush().unwrap();

    expect!(
        x.write_rows(8, &[1.0f64; 7]),
        Error::PartialRow {
            values: 7,
            row_len: 4,
            ..
        },
        [7, 4, "\"/x\""]
    );
    // Rows 8..11 of 10: nothing of it may land in rows 8 and 9.
    expect!(
        x.write_rows(8, &[9.0f64; 12]),
        Error::RowsOutOfRange {
            start: 8,
            end: 11,
            rows: 10,
            ..
        },
        ["8..11", 10, "\"/x\""]
    );
    expect!(
        x.write_rows(u64::MAX, &[9.0f64; 4]),
        Error::RowsOutOfRange { end: u64::MAX, .. },
        [usize::MAX]
    );
    expect!(
        x.write_rows(11, &[0f64; 0]),
        Error::RowsOutOfRange {
            start: 11,
            end: 11,
            ..
        },
        ["11..11"]
    );
    expect!(
        x.write_rows(8, &[true; 8]),
        Error::TypeMismatch { .. },
        ["\"/x\"", "f64", "bool"]
    );
    expect!(
        x.write_raw(&[9.0f64; 39]),
        Error::BadShape { .. },
        [40, 39, "\"/x\""]
    );
    expect!(
        x.write_strings(&["a"]),
        Error::TypeMismatch { .. },
        ["f64", "string"]
    );
    f.close().unwrap();
    m.dataset_of::<f64>(
        "x",
        &[10, 4],
        Data::RampRows {
            seed: 5,
            rows_written: 8,
        },
    );
    m.write(dir);
}

/// `f64` values beyond `f32`'s range for an `f32` dataset, `write_rows` on a
/// scalar and a scalar value out of range or of the wrong type all leave
/// the data as it was.
pub(crate) fn case_type_and_scalar(dir: &Path) {
    let mut m = Manifest::new("type_and_scalar");
    let f = File::create(m.h5_path(dir)).unwrap();
    let v = f.new_dataset::<f32>().shape(&[3, 2]).create("v").unwrap();
    v.write_raw(&ramp::<f32>(0, 6, 8)).unwrap();
    let s = f.new_dataset::<i16>().create("s").unwrap();
    s.write_scalar(&ramp::<i16>(0, 1, 9)[0]).unwrap();
    f.flush().unwrap();
    expect!(
        v.write_rows::<f64>(0, &[0.0, 1e300]),
        Error::ConversionRange { index: 1, .. },
        ["\"/v\"", "f32", "1e300"]
    );
    expect!(
        s.write_rows(0, &[7i16]),
        Error::BadShape { .. },
        ["\"/s\"", "scalar"]
    );
    expect!(
        s.write_scalar(&40000u16),
        Error::ConversionRange { index: 0, .. },
        ["i16", "40000"]
    );
    expect!(
        s.write_scalar(&true),
        Error::TypeMismatch { .. },
        ["i16", "bool"]
    );
    f.close().unwrap();
    m.dataset_of::<f32>("v", &[3, 2], Data::Ramp { seed: 8 })
        .dataset_of::<i16>("s", &[], Data::Ramp { seed: 9 });
    m.write(dir);
}

/// A string dataset given too few or too many strings keeps its strings.
pub(crate) fn case_string_count(dir: &Path) {
    let mut m = Manifest::new("string_count");
    let f = File::create(m.h5_path(dir)).unwrap();
    let s = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[3])
        .create("names")
        .unwrap();
    s.write_strings(&["cat", "dög", ""]).unwrap();
    f.flush().unwrap();
    expect!(
        s.write_strings(&["x", "y"]),
        Error::StringCount {
            expected: 3,
            got: 2,
            ..
        },
        ["\"/names\"", 3, 2]
    );
    expect!(
        s.write_strings(&["a", "b", "c", "d"]),
        Error::StringCount {
            expected: 3,
            got: 4,
            ..
        },
        [3, 4]
    );
    expect!(
        s.write_rows(0, &[1u8]),
        Error::TypeMismatch { .. },
        ["\"/names\"", "u8"]
    );
    f.close().unwrap();
    m.dataset(
        "names",
        VLEN_STR,
        &[3],
        Data::Strings(vec!["cat".into(), "dög".into(), "".into()]),
    );
    m.write(dir);
}
