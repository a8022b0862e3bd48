//! Layout decoder tests. Spec notes: `spec-notes/layout.md`.

use super::*;
use crate::format::field::UNDEF_ADDR;
use crate::format::layout::{chunked::chunked_v3, compact, contiguous};
use crate::format::{hex, hostile};

const EOF: u64 = 1 << 20;

fn dec(b: &[u8]) -> Result<Layout> {
    Layout::decode(b, 0, EOF)
}

#[test]
fn round_trips() {
    for (a, s) in [
        (0x800, 12),
        (0, 1),
        (EOF - 8, 8),
        (UNDEF_ADDR, 0),
        (0x800, 0),
    ] {
        let want = if s == 0 || a == UNDEF_ADDR {
            None
        } else {
            Some(a)
        };
        let got = dec(&contiguous(a, s)).unwrap();
        assert_eq!(
            got,
            Layout::Contiguous {
                address: want,
                size: s
            }
        );
    }
    for n in [0, 1, 7, 65524] {
        let data: Vec<u8> = (0..n).map(|i| i as u8).collect();
        assert_eq!(
            dec(&compact(&data).unwrap()).unwrap(),
            Layout::Compact(data)
        );
    }
    let cases: [(u64, &[u32], u32); 5] = [
        (0x578, &[5, 5], 4),
        (UNDEF_ADDR, &[7], 1),
        (0x78e8, &[2, 3, 4], 2),
        (0, &[1; 32], 1),
        (0, &[65536, 65535], 1),
    ];
    for (btree, dims, element_size) in cases {
        let got = dec(&chunked_v3(btree, dims, element_size).unwrap()).unwrap();
        let btree = (btree != UNDEF_ADDR).then_some(btree);
        assert_eq!(
            got,
            Layout::Chunked(Chunked {
                btree,
                dims: dims.to_vec(),
                element_size
            })
        );
    }
}

/// h5py 3.16 bodies (default format, and HDF5 2.0's `libver='latest'`).
#[test]
fn h5py_bodies() {
    let got = Layout::decode(&hex("0301 0008000000000000 0c00000000000000"), 0, 0x80c).unwrap();
    assert_eq!(
        got,
        Layout::Contiguous {
            address: Some(0x800),
            size: 12
        }
    );
    let got = dec(&hex("0301ffffffffffffffff3401000000000000")).unwrap();
    assert_eq!(
        got,
        Layout::Contiguous {
            address: None,
            size: 308
        }
    );
    assert_eq!(
        dec(&hex("030002000506")).unwrap(),
        Layout::Compact(vec![5, 6])
    );
    let got = dec(&hex("03 02 02 e04d000000000000 07000000 01000000")).unwrap();
    let want = Chunked {
        btree: Some(0x4de0),
        dims: vec![7],
        element_size: 1,
    };
    assert_eq!(got, Layout::Chunked(want));
    // Versions 4 (single chunk) and 5 (extensible array) chunked layouts.
    for (body, index) in [
        ("0402000201040401ffffffffffffffff", "single chunk"),
        (
            "050200030105050404200404100affffffffffffffff",
            "extensible array",
        ),
        ("05020002010404030affffffffffffffff", "fixed array"),
    ] {
        match dec(&hex(body)) {
            Err(Error::Unsupported { detail, .. }) => assert!(detail.contains(index), "{detail}"),
            other => panic!("{body}: {other:?}"),
        }
    }
}

#[test]
fn refusals() {
    for bad in ["0101", "0201", "0301", "0601", "0403", "0503"] {
        let got = dec(&hex(bad));
        assert!(
            matches!(
                got,
                Err(Error::Unsupported { .. }) | Err(Error::Malformed { .. })
            ),
            "{bad}: {got:?}"
        );
    }
    for bad in ["0101", "0200", "0702"] {
        assert!(
            matches!(dec(&hex(bad)), Err(Error::Unsupported { .. })),
            "{bad}"
        );
    }
    for bad in [
        "0003",
        "0303",                                                // virtual in version 3
        "0304",                                                // class 4
        "0301 0000100000000000 0100000000000000",              // address = eof
        "0301 ffff0f0000000000 0200000000000000",              // data past eof
        "0301 0100000000000000 ffffffffffffffff",              // overflowing end
        "0302 01 0000000000000000 04000000",                   // dimensionality 1
        "0302 22 0000000000000000",                            // dimensionality 34
        "0302 02 0000000000000000 00000000 04000000",          // zero dim
        "0302 02 0000000000000000 01000000 00000000",          // zero element size
        "0302 03 0000000000000000 00000100 00000100 01000000", // 4 GiB chunk
        "0402 00 02 09",                                       // width 9
        "0402 00 02 01 0404 06",                               // index type 6
        "0300 0500 0102",                                      // compact data short
        "0403",                                                // virtual, truncated
        "0503 0008000000000000",                               // virtual, no index
        "0403 0000100000000000 01000000",                      // heap at eof
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
    hostile::check(&contiguous(0x800, 12), dec);
    hostile::check(&contiguous(UNDEF_ADDR, 12), dec);
    hostile::check(&compact(&[1, 2, 3, 4, 5]).unwrap(), dec);
    hostile::check(&chunked_v3(0x578, &[5, 5, 3], 4).unwrap(), dec);
}

#[test]
fn virtual_layouts() {
    // h5py 3.16: the mapping list is object 1 of the collection at 0x800.
    let got = dec(&hex("0403 0008000000000000 01000000")).unwrap();
    assert_eq!(
        got,
        Layout::Virtual {
            collection: Some(0x800),
            index: 1
        }
    );
    let none = dec(&hex("0403 ffffffffffffffff 00000000")).unwrap();
    assert_eq!(
        none,
        Layout::Virtual {
            collection: None,
            index: 0
        }
    );
    hostile::check(&crate::format::vds::layout_body(0x800, 1), dec);
}
