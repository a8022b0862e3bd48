//! Hostile `DatasetWriter` options: buffer size 0, labels key, label
//! counts and overflow.

use super::helpers::{expect, tmp};
use h5sink::{DatasetWriter, Error};

// ------------------------------------------------------------ DatasetWriter

#[test]
fn writer_buf_size_0_and_labels_key() {
    let d = tmp("writer_args");
    expect(
        DatasetWriter::<f32>::builder(d.join("a.h5"), &[4, 2])
            .buf_size(0)
            .create(),
        |e| {
            matches!(
                e,
                Error::InvalidArgument {
                    what: "buf_size",
                    ..
                }
            )
        },
    );
    expect(
        DatasetWriter::<f32>::builder(d.join("b.h5"), &[4, 2])
            .data_key("labels")
            .create(),
        |e| {
            matches!(
                e,
                Error::InvalidArgument {
                    what: "data_key",
                    ..
                }
            )
        },
    );
    expect(
        DatasetWriter::<f32>::create(d.join("c.h5"), &[] as &[u64]),
        |e| matches!(e, Error::BadShape { .. }),
    );
    // `/`-paths are data keys now; malformed ones are refused.
    expect(
        DatasetWriter::<f32>::builder(d.join("e.h5"), &[4, 2])
            .data_key("a//b")
            .create(),
        |e| matches!(e, Error::InvalidPath { .. }),
    );
    for p in ["a.h5", "b.h5", "c.h5", "e.h5"] {
        assert!(!d.join(p).exists(), "{p} left behind by a refused create");
    }
}

#[test]
fn writer_label_count_and_overflow() {
    let d = tmp("writer_rows");
    let mut w = DatasetWriter::<f32>::create(d.join("w.h5"), &[4, 2]).unwrap();
    expect(w.add(&[0.0f32; 4], &[1]), |e| {
        matches!(e, Error::LabelCount { rows: 2, labels: 1 })
    });
    expect(w.add(&[0.0f32; 3], &[1]), |e| {
        matches!(e, Error::PartialRow { .. })
    });
    w.add(&[0.0f32; 6], &[1, 2, 3]).unwrap();
    expect(w.add(&[0.0f32; 4], &[1, 2]), |e| {
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
    assert_eq!(w.len(), 3);
    w.close().unwrap();
}
