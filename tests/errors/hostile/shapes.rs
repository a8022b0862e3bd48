//! Hostile shapes: rank above 32, negative dimensions, byte sizes past u64
//! or i64::MAX, attributes and compact data too large.

use super::helpers::{expect, mem, still_valid};
use h5sink::Error;

// ----------------------------------------------------------------- shapes

#[test]
fn rank_above_32() {
    let f = mem();
    expect(f.new_dataset::<u8>().shape(&[1u64; 33]).create("d"), |e| {
        matches!(e, Error::RankTooHigh { rank: 33, max: 32 })
    });
    expect(f.new_attr::<u8>().shape(&[1u64; 33]).create("a"), |e| {
        matches!(e, Error::RankTooHigh { rank: 33, .. })
    });
    still_valid(f);
}

#[test]
fn negative_dimension() {
    let f = mem();
    expect(f.new_dataset::<u8>().shape(&[4i64, -1]).create("d"), |e| {
        matches!(e, Error::BadShape { .. })
    });
    still_valid(f);
}

#[test]
fn shape_bytes_overflow_u64() {
    let f = mem();
    expect(
        f.new_dataset::<f64>().shape(&[u64::MAX, 2]).create("d"),
        |e| {
            matches!(
                e,
                Error::ShapeOverflow {
                    element_size: 8,
                    ..
                }
            )
        },
    );
    still_valid(f);
}

#[test]
fn shape_bytes_above_i64_max() {
    let f = mem();
    // 2^60 elements of 8 bytes = 2^63 bytes: one past i64::MAX.
    expect(
        f.new_dataset::<f64>()
            .shape(&[1u64 << 30, 1 << 30])
            .create("d"),
        |e| matches!(e, Error::ShapeOverflow { .. }),
    );
    still_valid(f);
}

#[test]
fn attribute_too_large() {
    let f = mem();
    let ds = f.new_dataset::<u8>().shape(&[1]).create("d").unwrap();
    expect(ds.new_attr::<u8>().shape(&[70_000]).create("big"), |e| {
        matches!(e, Error::AttributeTooLarge { .. })
    });
    expect(
        ds.new_attr::<f64>().shape(&[1u64 << 40]).create("huge"),
        |e| matches!(e, Error::AttributeTooLarge { .. }),
    );
    // A variable-length string attribute of 100 KB is fine: its bytes live
    // in the global heap, only a 16-byte reference in the header.
    ds.new_attr_builder()
        .with_str(&"x".repeat(100_000))
        .create("s")
        .unwrap();
    still_valid(f);
}

#[test]
fn compact_too_big() {
    let f = mem();
    expect(
        f.new_dataset::<u8>()
            .shape(&[100_000])
            .compact()
            .create("d"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    expect(
        f.new_dataset::<u8>()
            .shape(&[1u64 << 50])
            .compact()
            .create("e"),
        |e| matches!(e, Error::BadShape { .. } | Error::FieldOverflow { .. }),
    );
    still_valid(f);
}
