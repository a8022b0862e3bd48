//! Attribute decoder tests. Spec notes: `spec-notes/attribute.md`.

use super::*;
use crate::format::attribute::encode;
use crate::format::dataspace::{self, encode_with_max};
use crate::format::datatype::Datatype;
use crate::format::{hex, hostile};

fn dec(b: &[u8]) -> Result<AttrMsg> {
    AttrMsg::decode(b, 0)
}

#[test]
fn round_trips() {
    let types = [
        Datatype::Int {
            size: 1,
            signed: false,
        },
        Datatype::Float { size: 8 },
        Datatype::FixedString {
            size: 3,
            utf8: false,
        },
        Datatype::VlenUtf8,
        Datatype::Bool,
    ];
    let shapes: [&[u64]; 5] = [&[], &[0], &[3], &[2, 3], &[1, 1, 1]];
    for dt in types {
        for dims in shapes {
            for name in ["a", "title", "é✓ name with spaces"] {
                let ds = dataspace::encode(dims).unwrap();
                let n: u64 = dims.iter().product();
                let data: Vec<u8> = (0..n * u64::from(dt.element_size()))
                    .map(|i| i as u8)
                    .collect();
                let body = encode(name, &dt.encode(), &ds, &data).unwrap();
                let a = dec(&body).unwrap();
                assert_eq!(a.name, name);
                assert!(a.datatype.matches(&dt));
                assert_eq!(a.dataspace, Dataspace::decode(&ds, 0).unwrap());
                assert_eq!(a.data, data);
                if dims.len() == 2 {
                    hostile::check(&body, dec);
                }
            }
        }
    }
    let ds = encode_with_max(&[2], &[None]).unwrap();
    let body = encode(
        "u",
        &Datatype::Int {
            size: 2,
            signed: true,
        }
        .encode(),
        &ds,
        &[1, 2, 3, 4],
    )
    .unwrap();
    assert_eq!(dec(&body).unwrap().dataspace.dims(), [2]);
}

/// h5py 3.16: version 1 (default format; `attrs['title'] = np.bytes_(b'abc')`
/// as encode writes it) and version 3 (`libver='latest'`).
#[test]
fn h5py_bodies() {
    let v3 = hex("030002000c000400006e00100800000800000000004000020000000700000000000000");
    let a = dec(&v3).unwrap();
    assert_eq!((a.name.as_str(), a.charset), ("n", Charset::Ascii));
    assert_eq!(a.data, 7i64.to_le_bytes());
    // 'é' = np.array([1.5, 2.5], dtype='<f4'), version 2 dataspace: h5py
    // writes the UTF-8 name with character set 0 (ASCII).
    let v3 = hex(
        "030003001400140000c3a90011201f000400000000002000170800177f0000000201010102000000\
         0000000002000000000000000000c03f00002040",
    );
    let a = dec(&v3).unwrap();
    assert_eq!((a.name.as_str(), a.charset), ("é", Charset::Ascii));
    assert!(a.datatype.matches(&Datatype::Float { size: 4 }));
    assert_eq!(a.data, hex("0000c03f 00002040"));
    // 's' = 'hello': a vlen string, its heap reference (length 5, GCOL 0x800, index 1).
    let v3 = hex(
        "030002001400040000730019010100100000001000000001000000000008000200000005000000\
         000800000000000001000000",
    );
    let a = dec(&v3).unwrap();
    assert!(a.datatype.matches(&Datatype::VlenUtf8));
    assert_eq!(a.data, hex("05000000 0008000000000000 01000000"));
    hostile::check(&v3, dec);
}

/// Version 2: version 3's layout without the character set (hand-made:
/// HDF5 2.0 writes version 3).
#[test]
fn version_2() {
    let body =
        hex("0200 0200 0c00 0800 6e00 100800000800000000004000 0100000000000000 0700000000000000");
    let a = dec(&body).unwrap();
    assert_eq!((a.name.as_str(), a.data.len()), ("n", 8));
}

#[test]
fn utf8_charset() {
    let mut body = hex("030002000c000400006e00100800000800000000004000020000000700000000000000");
    body[8] = 1;
    assert_eq!(dec(&body).unwrap().charset, Charset::Utf8);
}

#[test]
fn refusals() {
    let shared = hex("0201 0200 0c00 0800 6e00");
    assert!(matches!(dec(&shared), Err(Error::Unsupported { .. })));
    let not_utf8 = hex("0100 0200 0c00 0800 ff00000000000000 100800000800000000004000 00000000 0100000000000000 0700000000000000");
    assert!(
        matches!(dec(&not_utf8), Err(Error::Unsupported { .. })),
        "{:?}",
        dec(&not_utf8)
    );
    for bad in [
        "0000 0200 0c00 0800",
        "0400 0200 0c00 0800",
        "0204 0200 0c00 0800",                                     // unknown flag
        "0300 0200 0c00 0400 02 6e00",                             // charset 2
        "0200 0000 0c00 0800",                                     // empty name field
        "0200 0100 0c00 0800 00",                                  // name ""
        "0200 0200 0c00 0800 6e6e",                                // no NUL
        "0200 0300 0c00 0800 6e006e",                              // inner NUL
        "0200 0200 0c00 0800 6e00 100800000800000000004000 0100000000000000 07000000", // short data
        // (2^63, 4) elements of 8 bytes: the size overflows.
        "0200 0200 0c00 1800 6e00 100800000800000000004000 0102000000000000 0000000000000080 0400000000000000",
    ] {
        let got = dec(&hex(bad));
        assert!(matches!(got, Err(Error::Malformed { .. })), "{bad}: {got:?}");
    }
}
