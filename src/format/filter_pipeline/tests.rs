//! Tests of the Filter Pipeline encoder: golden messages from h5py 3.16 files.
//! Spec notes: `spec-notes/filter-pipeline.md`.

use super::*;
use crate::format::hex;

const DEFLATE4: &str = "0100 0800 0100 0100 6465666c61746500 04000000 00000000";
const SHUFFLE4: &str = "0200 0800 0100 0100 73687566666c6500 04000000 00000000";
const FLETCHER: &str = "0300 1000 0000 0000 666c6574636865723332000000000000";

fn one(filter: Filter) -> Vec<u8> {
    encode_v1(&[filter]).unwrap()
}

/// h5py 3.16 `compression='gzip', compression_opts=4` (and 9).
#[test]
fn h5py_deflate() {
    let want = hex(&format!("01 01 000000000000 {DEFLATE4}"));
    assert_eq!(one(Filter::Deflate { level: 4 }), want);
    let nine = one(Filter::Deflate { level: 9 });
    assert_eq!(&nine[24..28], &[9, 0, 0, 0]);
}

/// h5py 3.16 `shuffle=True` on int32, float64 and uint8.
#[test]
fn h5py_shuffle() {
    let want = hex(&format!("01 01 000000000000 {SHUFFLE4}"));
    assert_eq!(one(Filter::Shuffle { element_size: 4 }), want);
    assert_eq!(
        &one(Filter::Shuffle { element_size: 8 })[24..28],
        &[8, 0, 0, 0]
    );
    assert_eq!(
        &one(Filter::Shuffle { element_size: 1 })[24..28],
        &[1, 0, 0, 0]
    );
}

/// h5py 3.16 `fletcher32=True`: mandatory, no client data, 16-byte name.
#[test]
fn h5py_fletcher32() {
    let want = hex(&format!("01 01 000000000000 {FLETCHER}"));
    assert_eq!(one(Filter::Fletcher32), want);
}

/// h5py 3.16 gzip 4 + shuffle + fletcher32 on int32: h5py orders them
/// shuffle, deflate, fletcher32.
#[test]
fn h5py_combination() {
    let filters = [
        Filter::Shuffle { element_size: 4 },
        Filter::Deflate { level: 4 },
        Filter::Fletcher32,
    ];
    let want = hex(&format!(
        "01 03 000000000000 {SHUFFLE4} {DEFLATE4} {FLETCHER}"
    ));
    let got = encode_v1(&filters).unwrap();
    assert_eq!(got.len(), 80);
    assert_eq!(got, want);
}

#[test]
fn empty_and_limits() {
    assert_eq!(encode_v1(&[]).unwrap(), hex("01 00 000000000000"));
    let many = vec![Filter::Fletcher32; MAX_FILTERS];
    assert_eq!(encode_v1(&many).unwrap().len(), 8 + 32 * 24);
    let too_many = vec![Filter::Fletcher32; MAX_FILTERS + 1];
    assert!(matches!(
        encode_v1(&too_many),
        Err(Error::FieldOverflow { .. })
    ));
    assert!(encode_v1(&[Filter::Deflate { level: 10 }]).is_err());
    assert!(encode_v1(&[Filter::Shuffle { element_size: 0 }]).is_err());
    for f in [
        Filter::Deflate { level: 0 },
        Filter::Shuffle { element_size: 1 },
    ] {
        assert!(f.validate().is_ok() && f.is_optional());
    }
    assert!(!Filter::Fletcher32.is_optional());
}
