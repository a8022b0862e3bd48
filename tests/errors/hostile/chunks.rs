//! Hostile chunking and resizing: chunk shapes, 4 GiB chunks, deflate level
//! 10, maximum shapes, resizes and appends, a sealed chunk rewritten.

use super::helpers::{expect, mem, still_valid};
use h5sink::Error;

// ----------------------------------------------------- chunks and resizing

#[test]
fn chunk_larger_than_max_shape() {
    let f = mem();
    expect(
        f.new_dataset::<u8>().shape(&[10]).chunk(&[20]).create("d"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    still_valid(f);
}

#[test]
fn chunk_zero_or_wrong_rank() {
    let f = mem();
    expect(
        f.new_dataset::<u8>()
            .shape(&[10, 4])
            .chunk(&[0, 4])
            .create("a"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    expect(
        f.new_dataset::<u8>()
            .shape(&[10, 4])
            .chunk(&[5])
            .create("b"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    expect(
        f.new_dataset::<u8>()
            .shape(&[10, 4])
            .chunk(&[-5i64, 4])
            .create("c"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    still_valid(f);
}

#[test]
fn chunk_of_4_gib() {
    let f = mem();
    expect(
        f.new_dataset::<f64>()
            .shape(&[0u64, 1 << 20])
            .max_shape(&[None, Some(1 << 20)])
            .chunk(&[1u64 << 10, 1 << 20])
            .create("d"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    // 1-byte elements: a dimension past u32 (the layout's field width) is
    // refused, not clamped (fuzz finding 2: the first write allocated the
    // whole unclamped chunk).
    for k in [1u64 << 32, 1 << 33, i64::MAX as u64] {
        expect(
            f.new_dataset::<u8>()
                .shape(&[0u64])
                .resizable()
                .chunk(&[k])
                .create("u"),
            |e| matches!(e, Error::BadShape { reason, .. } if reason.contains("32-bit")),
        );
    }
    still_valid(f);
}

#[test]
fn chunking_a_scalar_or_compact_and_bad_string_appends() {
    let f = mem();
    expect(f.new_dataset::<u8>().deflate(4).create("s"), |e| {
        matches!(e, Error::BadShape { .. })
    });
    expect(
        f.new_dataset::<u8>()
            .shape(&[4])
            .compact()
            .deflate(4)
            .create("c"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    // Strings: appends need a resizable string dataset and whole rows; a
    // chunk is written once.
    let fixed = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[4])
        .create("v")
        .unwrap();
    expect(fixed.append_strings(&["a"]), |e| {
        matches!(e, Error::BadShape { .. })
    });
    let pairs = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[0, 2])
        .resizable()
        .create("pairs")
        .unwrap();
    expect(pairs.append_strings(&["k", "v", "odd"]), |e| {
        matches!(
            e,
            Error::PartialRow {
                values: 3,
                row_len: 2,
                ..
            }
        )
    });
    let numbers = f
        .new_dataset::<f32>()
        .shape(&[0])
        .resizable()
        .create("n")
        .unwrap();
    expect(numbers.append_strings(&["1.5"]), |e| {
        matches!(e, Error::TypeMismatch { .. })
    });
    let grid = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[2])
        .chunk(&[2])
        .create("grid")
        .unwrap();
    grid.write_strings(&["a", "b"]).unwrap();
    expect(grid.write_strings(&["c", "d"]), |e| {
        matches!(e, Error::InvalidArgument { what: "rows", .. })
    });
    // libhdf5 refuses a mandatory filter on variable-length data.
    expect(
        f.new_dataset::<h5sink::VarLenUnicode>()
            .shape(&[4])
            .fletcher32()
            .create("checked"),
        |e| matches!(e, Error::BadShape { reason, .. } if reason.contains("fletcher32")),
    );
    still_valid(f);
}

#[test]
fn deflate_level_10() {
    let f = mem();
    expect(
        f.new_dataset::<u8>().shape(&[4]).deflate(10).create("d"),
        |e| {
            matches!(
                e,
                Error::InvalidArgument {
                    what: "deflate level",
                    ..
                }
            )
        },
    );
    still_valid(f);
}

#[test]
fn max_shape_wrong_rank_or_below_shape() {
    let f = mem();
    expect(
        f.new_dataset::<u8>()
            .shape(&[4, 4])
            .max_shape(&[None])
            .create("a"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    expect(
        f.new_dataset::<u8>()
            .shape(&[4])
            .max_shape(&[Some(3)])
            .create("b"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    still_valid(f);
}

#[test]
fn resize_beyond_max_or_shrinking() {
    let f = mem();
    let ds = f
        .new_dataset::<u8>()
        .shape(&[4, 2])
        .max_shape(&[Some(8), Some(2)])
        .create("d")
        .unwrap();
    expect(ds.resize(&[9, 2]), |e| matches!(e, Error::BadShape { .. }));
    expect(ds.resize(&[4, 3]), |e| matches!(e, Error::BadShape { .. }));
    expect(ds.resize(&[3, 2]), |e| matches!(e, Error::BadShape { .. }));
    expect(ds.resize(&[4]), |e| matches!(e, Error::BadShape { .. }));
    assert_eq!(ds.shape(), vec![4, 2]);
    still_valid(f);
}

#[test]
fn resize_or_append_contiguous() {
    let f = mem();
    let ds = f.new_dataset::<u8>().shape(&[4]).create("d").unwrap();
    expect(ds.resize(&[5]), |e| matches!(e, Error::BadShape { .. }));
    expect(ds.append_rows(&[1u8]), |e| {
        matches!(e, Error::BadShape { .. })
    });
    still_valid(f);
}

#[test]
fn rewriting_a_sealed_chunk() {
    // h5sink writes each chunk once: rows falling in a chunk already
    // compressed and written are refused, and nothing of the call is kept.
    let f = mem();
    let ds = f
        .new_dataset::<i32>()
        .shape(&[8])
        .chunk(&[4])
        .deflate(4)
        .create("d")
        .unwrap();
    ds.write_rows(0, &[1i32; 8]).unwrap();
    f.flush().unwrap();
    expect(ds.write_rows(0, &[2i32; 4]), |e| {
        matches!(e, Error::InvalidArgument { what: "rows", .. })
    });
    expect(ds.write_rows(2, &[3i32; 4]), |e| {
        matches!(e, Error::InvalidArgument { what: "rows", .. })
    });
    still_valid(f);
}
