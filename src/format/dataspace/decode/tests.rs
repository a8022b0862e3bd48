//! Dataspace decoder tests. Spec notes: `spec-notes/dataspace.md`.

use super::*;
use crate::format::dataspace::{encode, encode_with_max};
use crate::format::{hex, hostile};

fn dec(b: &[u8]) -> Result<Dataspace> {
    Dataspace::decode(b, 0)
}

#[test]
fn round_trips_encode() {
    let shapes: [&[u64]; 7] = [
        &[],
        &[0],
        &[3],
        &[2, 3, 4],
        &[u64::MAX - 1],
        &[1; 32],
        &[7, 0, 9],
    ];
    for dims in shapes {
        let got = dec(&encode(dims).unwrap()).unwrap();
        if dims.is_empty() {
            assert_eq!(got, Dataspace::Scalar);
        } else {
            let max = Some(dims.iter().map(|&d| Some(d)).collect());
            assert_eq!(
                got,
                Dataspace::Simple {
                    dims: dims.to_vec(),
                    max
                }
            );
        }
        assert_eq!(got.dims(), dims);
    }
}

#[test]
fn round_trips_encode_with_max() {
    let cases: [(&[u64], &[Option<u64>]); 5] = [
        (&[10, 5], &[None, Some(5)]),
        (&[3, 4], &[None, None]),
        (&[0], &[None]),
        (&[1], &[Some(u64::MAX - 1)]),
        (&[2, 2, 2], &[Some(2), None, Some(9)]),
    ];
    for (dims, max) in cases {
        let got = dec(&encode_with_max(dims, max).unwrap()).unwrap();
        let want = Dataspace::Simple {
            dims: dims.to_vec(),
            max: Some(max.to_vec()),
        };
        assert_eq!(got, want);
    }
}

/// h5py 3.16 with `libver='latest'` (HDF5 2.0): version 2 messages.
#[test]
fn h5py_version_2() {
    assert_eq!(dec(&hex("02000000")).unwrap(), Dataspace::Scalar);
    assert_eq!(dec(&hex("02000002")).unwrap(), Dataspace::Null);
    // shape (3,), fixed
    let got = dec(&hex("02010101 0300000000000000 0300000000000000")).unwrap();
    assert_eq!(
        got,
        Dataspace::Simple {
            dims: vec![3],
            max: Some(vec![Some(3)])
        }
    );
    // shape (10, 5), maxshape (None, 5)
    let got = dec(&hex(
        "02020101 0a00000000000000 0500000000000000 ffffffffffffffff 0500000000000000",
    ))
    .unwrap();
    assert_eq!(
        got,
        Dataspace::Simple {
            dims: vec![10, 5],
            max: Some(vec![None, Some(5)])
        }
    );
    assert_eq!(got.points(), Some(50));
}

/// h5py 3.16 default format: a scalar and a (1,) vector, version 1.
#[test]
fn h5py_version_1() {
    assert_eq!(dec(&hex("0100000000000000")).unwrap(), Dataspace::Scalar);
    let got = dec(&hex("0101010000000000 0100000000000000 0100000000000000")).unwrap();
    assert_eq!(got.points(), Some(1));
}

#[test]
fn version_1_without_max() {
    let got = dec(&hex("0101000000000000 0500000000000000")).unwrap();
    assert_eq!(
        got,
        Dataspace::Simple {
            dims: vec![5],
            max: None
        }
    );
}

#[test]
fn refusals() {
    let perm = dec(&hex("0101020000000000 0500000000000000"));
    assert!(matches!(perm, Err(Error::Unsupported { .. })), "{perm:?}");
    for bad in [
        "0301000000000000 0500000000000000",                  // version 3
        "0021000000000000",                                   // version 0
        "0121000000000000",                                   // rank 33
        "0101040000000000 0500000000000000",                  // unknown flag
        "02010000 0500000000000000",                          // v2 scalar with a rank
        "02010002 0500000000000000",                          // v2 null with a rank
        "02000001",                                           // v2 simple with rank 0
        "02010003 0500000000000000",                          // type 3
        "02010201 0500000000000000 0500000000000000",         // v2 perm bit
        "0101010000000000 0500000000000000 0400000000000000", // max < dim
    ] {
        let got = dec(&hex(bad));
        assert!(
            matches!(got, Err(Error::Malformed { .. })),
            "{bad}: {got:?}"
        );
    }
    let e = dec(&hex("0121000000000000")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dataspace message at offset 1 is malformed: rank 33 is above 32"
    );
}

#[test]
fn hostile_bytes() {
    for body in [
        encode(&[]).unwrap(),
        encode(&[2, 3, 4]).unwrap(),
        encode_with_max(&[10, 5], &[None, Some(5)]).unwrap(),
        hex("02020101 0a00000000000000 0500000000000000 ffffffffffffffff 0500000000000000"),
        hex("02000002"),
    ] {
        hostile::check(&body, dec);
    }
}
