//! Filter pipeline decoder tests. Spec notes: `spec-notes/filter-pipeline.md`.

use super::*;
use crate::format::filter_pipeline::encode_v1;
use crate::format::{hex, hostile};

fn dec(b: &[u8]) -> Result<Vec<FilterDesc>> {
    decode(b, 0)
}

#[test]
fn round_trips() {
    let all = [
        Filter::Deflate { level: 0 },
        Filter::Deflate { level: 9 },
        Filter::Shuffle { element_size: 1 },
        Filter::Shuffle {
            element_size: u32::MAX,
        },
        Filter::ShuffleSkipped,
        Filter::Fletcher32,
    ];
    for f in all {
        assert_eq!(
            dec(&encode_v1(&[f]).unwrap()).unwrap(),
            [FilterDesc::Known(f)]
        );
    }
    assert!(dec(&encode_v1(&[]).unwrap()).unwrap().is_empty());
    let many: Vec<Filter> = all.iter().cycle().take(MAX_FILTERS).copied().collect();
    let got = dec(&encode_v1(&many).unwrap()).unwrap();
    assert_eq!(
        got,
        many.iter()
            .map(|f| FilterDesc::Known(*f))
            .collect::<Vec<_>>()
    );
}

/// h5py 3.16: version 1 (default format) and version 2 (`libver='latest'`).
#[test]
fn h5py_bodies() {
    // compression='lzf' (32000), default format.
    let v1 = hex(
        "0101000000000000 007d080001000300 6c7a660000000000 04000000 05010000 10000000 00000000",
    );
    let want = FilterDesc::Known(Filter::Lzf { chunk_bytes: 16 });
    assert_eq!(dec(&v1).unwrap(), std::slice::from_ref(&want));
    let v2 = hex("0201 007d 0400 0100 0300 6c7a6600 04000000 05010000 10000000");
    assert_eq!(dec(&v2).unwrap(), [want]);
    // shuffle + gzip 4, and fletcher32 alone.
    let v2 = hex("0202 0200 0100 0100 04000000 0100 0100 0100 04000000");
    let want = [
        Filter::Shuffle { element_size: 4 },
        Filter::Deflate { level: 4 },
    ];
    assert_eq!(dec(&v2).unwrap(), want.map(FilterDesc::Known));
    assert_eq!(
        dec(&hex("0201 0300 0000 0000")).unwrap(),
        [FilterDesc::Known(Filter::Fletcher32)]
    );
}

#[test]
fn known_ids_with_other_data_stay_raw() {
    // deflate level 10, a 2-value shuffle.
    let got = dec(&hex(
        "0202 0100 0100 0100 0a000000 0200 0000 0200 01000000 02000000",
    ))
    .unwrap();
    assert!(
        got.iter()
            .all(|f| matches!(f, FilterDesc::Other { name: None, .. })),
        "{got:?}"
    );
    assert_eq!(got[1].id(), 2);
}

#[test]
fn refusals() {
    for bad in [
        "0001000000000000",
        "0301000000000000",
        "0121000000000000",             // 33 filters
        "0201 0000 0000 0000",          // id 0
        "0201 0300 0000 ffff 00000000", // 65535 values in 4 bytes
    ] {
        let got = dec(&hex(bad));
        assert!(
            matches!(got, Err(Error::Malformed { .. })),
            "{bad}: {got:?}"
        );
    }
}

#[test]
fn hostile_bytes() {
    let all = [
        Filter::Shuffle { element_size: 8 },
        Filter::Deflate { level: 4 },
        Filter::Fletcher32,
    ];
    hostile::check(&encode_v1(&all).unwrap(), dec);
    hostile::check(
        &hex("0201 007d 0400 0100 0300 6c7a6600 04000000 05010000 10000000"),
        dec,
    );
    hostile::check(
        &hex("0202 0200 0100 0100 04000000 0100 0100 0100 04000000"),
        dec,
    );
}
