//! Fill value decoder tests. Spec notes: `spec-notes/fill-value.md`.

use super::*;
use crate::format::fill_value::{encode_default, encode_old, encode_user};
use crate::format::{hex, hostile};

fn dec(b: &[u8]) -> Result<FillValue> {
    FillValue::decode(b, 0)
}

const ALLOCS: [AllocTime; 3] = [AllocTime::Early, AllocTime::Late, AllocTime::Incremental];
const TIMES: [FillTime; 3] = [FillTime::OnAlloc, FillTime::Never, FillTime::IfSet];

#[test]
fn round_trips() {
    for alloc in ALLOCS {
        for time in TIMES {
            let got = dec(&encode_default(alloc, time)).unwrap();
            assert_eq!(
                got,
                FillValue {
                    alloc,
                    time,
                    fill: Fill::Default
                }
            );
            for value in [
                vec![1],
                vec![0; 4],
                (0..=255).collect::<Vec<u8>>(),
                vec![7; 65520],
            ] {
                let got = dec(&encode_user(alloc, time, &value).unwrap()).unwrap();
                assert_eq!(
                    got,
                    FillValue {
                        alloc,
                        time,
                        fill: Fill::Value(value.clone())
                    }
                );
                assert_eq!(decode_old(&encode_old(&value), 0).unwrap(), value);
            }
        }
    }
    assert!(decode_old(&encode_old(&[]), 0).unwrap().is_empty());
}

/// h5py 3.16: the default-format messages (version 2) and HDF5 2.0's
/// version 3 under `libver='latest'`.
#[test]
fn h5py_bodies() {
    let got = dec(&hex("02020201 04000000 ffffffff")).unwrap();
    assert_eq!(got.fill, Fill::Value(vec![0xff; 4]));
    assert_eq!(decode_old(&hex("04000000 ffffffff"), 0).unwrap(), [0xff; 4]);
    let got = dec(&hex("0203020100000000")).unwrap();
    assert_eq!(
        (got.alloc, got.fill),
        (AllocTime::Incremental, Fill::Default)
    );
    let got = dec(&hex("030a")).unwrap();
    assert_eq!(
        got,
        FillValue {
            alloc: AllocTime::Late,
            time: FillTime::IfSet,
            fill: Fill::Default
        }
    );
    assert_eq!(dec(&hex("030b")).unwrap().alloc, AllocTime::Incremental);
    assert_eq!(dec(&hex("0309")).unwrap().alloc, AllocTime::Early);
    let got = dec(&hex("032b 04000000 07000000")).unwrap();
    assert_eq!(got.fill, Fill::Value(vec![7, 0, 0, 0]));
}

/// Versions 1 and 2 with "not defined" (hand-made: libhdf5 2.0 does not
/// write version 1).
#[test]
fn undefined() {
    assert_eq!(dec(&hex("02020200")).unwrap().fill, Fill::Undefined);
    assert_eq!(dec(&hex("0102020000000000")).unwrap().fill, Fill::Undefined);
    assert_eq!(
        dec(&hex("01020201 02000000 0102")).unwrap().fill,
        Fill::Value(vec![1, 2])
    );
    assert_eq!(dec(&hex("031a")).unwrap().fill, Fill::Undefined);
}

#[test]
fn refusals() {
    let got = dec(&hex("02000201 00000000"));
    assert!(matches!(got, Err(Error::Unsupported { .. })), "{got:?}");
    for bad in [
        "00020201", "04020201", "02040201", "02020301", "02020202", "033a", "034a", "030e",
    ] {
        let got = dec(&hex(bad));
        assert!(
            matches!(got, Err(Error::Malformed { .. })),
            "{bad}: {got:?}"
        );
    }
    // A size larger than the body: refused before copying.
    let got = dec(&hex("02020201 ffffffff 00"));
    assert!(matches!(got, Err(Error::Malformed { .. })), "{got:?}");
}

#[test]
fn hostile_bytes() {
    hostile::check(
        &encode_user(AllocTime::Late, FillTime::IfSet, &[1, 2, 3]).unwrap(),
        dec,
    );
    hostile::check(&encode_default(AllocTime::Late, FillTime::IfSet), dec);
    hostile::check(&hex("032b 04000000 07000000"), dec);
    hostile::check(&hex("030a"), dec);
    hostile::check(&encode_old(&[1, 2, 3]), |b| decode_old(b, 0));
}
