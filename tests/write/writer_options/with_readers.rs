//! `DatasetWriter` options whose files the readers check: direct and
//! buffered adds, `/`-path keys, fletcher32 + fill value, compact,
//! `labels(false)` with `add_rows`, `add_array`.

use crate::common::{out_dir, ramp, run_oracles, Data, Json, Manifest, VLEN_STR};
use h5sink::{DatasetWriter, Error, ROWS_WRITTEN_ATTR};
use std::path::Path;

/// Rows of 65536 f32 (256 KiB): adds of 4 rows or more are 1 MiB and go
/// straight to the file; smaller ones are buffered. Interleaved, with a
/// flush in between, every row lands at its place.
fn case_direct_and_buffered(dir: &Path) {
    let mut m = Manifest::new("direct_and_buffered");
    let (rows, cols) = (40u64, 65536usize);
    assert_eq!(
        4 * cols * 4,
        DatasetWriter::<f32>::DIRECT_ADD_BYTES,
        "4 rows are one direct add"
    );
    let mut w = DatasetWriter::<f32>::builder(m.h5_path(dir), &[rows, cols as u64])
        .buf_size(16)
        .create()
        .unwrap();
    let mut r = 0u64;
    for (i, n) in [1usize, 5, 2, 4, 3, 1, 8, 2, 6, 1, 7]
        .into_iter()
        .enumerate()
    {
        let data = ramp::<f32>(r * cols as u64, n * cols, 11);
        w.add(&data, &ramp::<i64>(r, n, 12)).unwrap();
        r += n as u64;
        assert_eq!(w.len(), r);
        if i == 4 {
            w.flush().unwrap();
        }
    }
    assert_eq!(r, rows);
    w.close().unwrap();
    m.dataset_of::<f32>("images", &[rows, cols as u64], Data::Ramp { seed: 11 })
        .dataset_of::<i64>("labels", &[rows], Data::Ramp { seed: 12 })
        .fill(-1.0);
    m.write(dir);
}

/// `/`-path keys: the groups are created; h5py reads `train/images`,
/// `train/labels` and `train/label_names`.
fn case_path_keys(dir: &Path) {
    let mut m = Manifest::new("path_keys");
    let mut w = DatasetWriter::<u16>::builder(m.h5_path(dir), &[12, 5])
        .data_key("train/images")
        .labels_key("/train/labels")
        .label_names_key("train/label_names")
        .buf_size(5)
        .create()
        .unwrap();
    for r in (0..12u64).step_by(3) {
        w.add(&ramp::<u16>(r * 5, 15, 3), &ramp::<i64>(r, 3, 4))
            .unwrap();
    }
    w.store_class_labels(&["zero", "one", "twö"]).unwrap();
    w.close().unwrap();
    m.group("train")
        .dataset_of::<u16>("train/images", &[12, 5], Data::Ramp { seed: 3 })
        .dataset_of::<i64>("train/labels", &[12], Data::Ramp { seed: 4 })
        .fill(-1.0)
        .dataset(
            "train/label_names",
            VLEN_STR,
            &[3],
            Data::Strings(vec!["zero".into(), "one".into(), "twö".into()]),
        );
    m.write(dir);
}

/// Chunked with fletcher32 and a fill value: rows never added read as it
/// (every chunk is written, the last one in part, so pyfive reads it too).
fn case_fletcher32_fill(dir: &Path) {
    let mut m = Manifest::new("fletcher32_fill");
    let mut w = DatasetWriter::<f32>::builder(m.h5_path(dir), &[16, 6])
        .chunk(&[4, 6])
        .fletcher32()
        .fill_value(-1.5)
        .buf_size(5)
        .create()
        .unwrap();
    w.add(&ramp::<f32>(0, 7 * 6, 5), &ramp::<i64>(0, 7, 6))
        .unwrap();
    w.add(&ramp::<f32>(7 * 6, 6 * 6, 5), &ramp::<i64>(7, 6, 6))
        .unwrap();
    w.close().unwrap();
    m.dataset_of::<f32>(
        "images",
        &[16, 6],
        Data::RampRows {
            seed: 5,
            rows_written: 13,
        },
    )
    .chunks(&[4, 6])
    .fletcher32()
    .fill(-1.5)
    .attr(
        "images",
        ROWS_WRITTEN_ATTR,
        "u64",
        &[],
        Data::Values(vec![Json::Int(13)]),
    )
    .dataset_of::<i64>(
        "labels",
        &[16],
        Data::RampRows {
            seed: 6,
            rows_written: 13,
        },
    )
    .fill(-1.0);
    m.write(dir);
}

/// Contiguous data with a fill value, and compact data.
fn case_fill_and_compact(dir: &Path) {
    let mut m = Manifest::new("contiguous_fill");
    let mut w = DatasetWriter::<i32>::builder(m.h5_path(dir), &[10, 3])
        .fill_value(7)
        .create()
        .unwrap();
    w.add(&ramp::<i32>(0, 4 * 3, 9), &ramp::<i64>(0, 4, 10))
        .unwrap();
    w.close().unwrap();
    m.dataset_of::<i32>(
        "images",
        &[10, 3],
        Data::RampRows {
            seed: 9,
            rows_written: 4,
        },
    )
    .fill(7.0)
    .attr(
        "images",
        ROWS_WRITTEN_ATTR,
        "u64",
        &[],
        Data::Values(vec![Json::Int(4)]),
    )
    .dataset_of::<i64>(
        "labels",
        &[10],
        Data::RampRows {
            seed: 10,
            rows_written: 4,
        },
    )
    .fill(-1.0);
    m.write(dir);

    let mut m = Manifest::new("compact");
    let mut w = DatasetWriter::<u8>::builder(m.h5_path(dir), &[16, 4])
        .compact()
        .buf_size(6)
        .create()
        .unwrap();
    for (r, n) in [(0u64, 5usize), (5, 7), (12, 4)] {
        w.add(&ramp::<u8>(r * 4, n * 4, 13), &ramp::<i64>(r, n, 14))
            .unwrap();
    }
    w.close().unwrap();
    m.dataset_of::<u8>("images", &[16, 4], Data::Ramp { seed: 13 })
        .compact()
        .dataset_of::<i64>("labels", &[16], Data::Ramp { seed: 14 })
        .fill(-1.0);
    m.write(dir);
}

/// `labels(false)`: rows only, no labels dataset; contiguous and unlimited.
fn case_no_labels(dir: &Path) {
    let mut m = Manifest::new("no_labels");
    let mut w = DatasetWriter::<f64>::builder(m.h5_path(dir), &[9, 2])
        .labels(false)
        .buf_size(4)
        .create()
        .unwrap();
    let refused = w.add(&ramp::<f64>(0, 2, 1), &[0]);
    assert!(
        matches!(refused, Err(Error::InvalidArgument { what: "add", .. })),
        "{refused:?}"
    );
    assert!(refused.unwrap_err().to_string().contains("add_rows"));
    for r in [0u64, 3, 5] {
        let n = if r == 3 { 2 } else { 3 + (r as usize / 5) };
        w.add_rows(&ramp::<f64>(r * 2, n * 2, 1)).unwrap();
    }
    assert_eq!(w.len(), 9);
    w.close().unwrap();
    m.dataset_of::<f64>("images", &[9, 2], Data::Ramp { seed: 1 });
    m.write(dir);

    let mut m = Manifest::new("no_labels_unlimited");
    let mut w = DatasetWriter::<i16>::builder(m.h5_path(dir), &[3])
        .unlimited()
        .chunk(&[4, 3])
        .deflate(5)
        .shuffle()
        .labels(false)
        .buf_size(4)
        .create()
        .unwrap();
    for r in 0..5u64 {
        w.add_rows(&ramp::<i16>(r * 6, 6, 2)).unwrap();
    }
    w.close().unwrap();
    m.dataset_of::<i16>("images", &[10, 3], Data::Ramp { seed: 2 })
        .chunks(&[4, 3])
        .maxshape(&[None, Some(3)])
        .shuffle()
        .deflate(5);
    m.write(dir);
}

/// `add_array`: standard-layout batches without a copy, others copied.
#[cfg(feature = "ndarray")]
fn case_add_array(dir: &Path) {
    let mut m = Manifest::new("add_array");
    let mut w = DatasetWriter::<f32>::builder(m.h5_path(dir), &[6, 2, 3])
        .buf_size(4)
        .create()
        .unwrap();
    let a = ndarray::Array3::from_shape_vec((2, 2, 3), ramp::<f32>(0, 12, 15)).unwrap();
    w.add_array(&a, &ramp::<i64>(0, 2, 16)).unwrap();
    // Rows 2..6 built transposed (axes reversed), then viewed row-major.
    let t = ndarray::Array3::from_shape_fn((3, 2, 4), |(k, j, i)| {
        ramp::<f32>(((2 + i) * 6 + j * 3 + k) as u64, 1, 15)[0]
    });
    let view = t.view().reversed_axes();
    assert!(!view.is_standard_layout());
    w.add_array(&view, &ramp::<i64>(2, 4, 16)).unwrap();
    let bad = w.add_array(&ndarray::Array2::<f32>::zeros((1, 6)), &[0]);
    assert!(matches!(bad, Err(Error::BadShape { .. })), "{bad:?}");
    w.close().unwrap();
    m.dataset_of::<f32>("images", &[6, 2, 3], Data::Ramp { seed: 15 })
        .dataset_of::<i64>("labels", &[6], Data::Ramp { seed: 16 })
        .fill(-1.0);
    m.write(dir);
}

#[test]
fn writer_options_with_real_readers() {
    let dir = out_dir("writer_options");
    case_direct_and_buffered(&dir);
    case_path_keys(&dir);
    case_fletcher32_fill(&dir);
    case_fill_and_compact(&dir);
    case_no_labels(&dir);
    #[cfg(feature = "ndarray")]
    case_add_array(&dir);
    run_oracles(&dir);
}
