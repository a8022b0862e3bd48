//! Datatype bodies written by h5py 3.16 (HDF5 2.0). Spec notes:
//! `spec-notes/datatype.md`.

use super::{dec, ARR23, F32};
use crate::format::datatype::decode::{ByteOrder, Charset, RefKind, StringPad, TypeDesc};
use crate::format::datatype::{CompoundMember, Datatype, EnumMember};
use crate::format::{hex, hostile};

/// `TypeID.encode()` of h5py 3.16's `h5t` types (the H5Tencode buffer
/// without its 2-byte prefix).
#[test]
fn h5py_atomic_types() {
    let be_i4 = dec(&hex("100900000400000000002000")).unwrap();
    assert_eq!(be_i4.describe(), "big-endian i32");
    let TypeDesc::Int(i) = be_i4 else { panic!() };
    assert_eq!((i.order, i.signed, i.precision), (ByteOrder::Big, true, 32));
    assert_eq!(
        dec(&hex("100100000200000000001000")).unwrap().describe(),
        "big-endian u16"
    );
    let be_f8 = dec(&hex("11213f000800000000004000340b0034ff030000")).unwrap();
    assert_eq!(be_f8.describe(), "big-endian f64");
    assert!(!be_f8.matches(&Datatype::Float { size: 8 }));
    let f2 = dec(&hex("11200f0002000000000010000a05000a0f000000")).unwrap();
    assert!(f2.matches(&Datatype::Float { size: 2 }));
    let s = dec(&hex("1300000005000000")).unwrap();
    let want = TypeDesc::String {
        size: 5,
        pad: StringPad::NullTerm,
        charset: Charset::Ascii,
    };
    assert_eq!(s, want);
    assert!(!s.matches(&Datatype::FixedString {
        size: 5,
        utf8: false
    }));
    let s = dec(&hex("1302000005000000")).unwrap();
    assert_eq!(
        s.describe(),
        "fixed-length ASCII string of 5 bytes, space-padded"
    );
    // A C vlen string (memory size 8 when not in a file).
    let v = dec(&hex("1901000008000000100000000100000000000800")).unwrap();
    assert_eq!(v.describe(), "variable-length ASCII string");
    assert!(!v.matches(&Datatype::VlenUtf8));
    let seq = dec(&hex("1900000010000000100800000400000000002000")).unwrap();
    assert_eq!(seq.describe(), "variable-length sequence of i32");
    let opaque = dec(&hex("1500000007000000")).unwrap();
    assert_eq!(
        opaque,
        TypeDesc::Opaque {
            size: 7,
            tag: String::new()
        }
    );
    let tagged = dec(&hex("15080000040000006d79746167000000")).unwrap();
    assert_eq!(
        tagged,
        TypeDesc::Opaque {
            size: 4,
            tag: "mytag".into()
        }
    );
    let obj = dec(&hex("1700000008000000")).unwrap();
    assert_eq!(
        obj,
        TypeDesc::Reference {
            size: 8,
            kind: RefKind::Object
        }
    );
    let reg = dec(&hex("170100000c000000")).unwrap();
    assert_eq!(reg.describe(), "dataset region reference");
    let bits = dec(&hex("140000000200000000001000")).unwrap();
    assert_eq!(bits.describe(), "16-bit bitfield");
    // numpy ('<i2', (2, 3)): one array of dims (2, 3), version 2.
    let arr = dec(&hex(
        "2a0000000c0000000200000002000000030000000000000001000000100800000200000000001000",
    ))
    .unwrap();
    assert!(arr.matches(&ARR23));
}

/// h5py 3.16 with `libver='latest'` (HDF5 2.0 writes version 5):
/// `[('x','<f4'),('hist','<f4',(2,)),('s','S3'),('e', enum {A: 1, B: 2} over u1)]`.
#[test]
fn h5py_version_5_compound() {
    let body = hex(
        "560400001000000078000011201f000400000000002000170800177f0000006869737400045a000000\
         08000000010200000011201f000400000000002000170800177f00000073000c130100000300000065\
         000f5802000001000000100000000100000000000800410042000102",
    );
    let desc = dec(&body).unwrap();
    assert_eq!(
        desc.describe(),
        "compound {x: f32, hist: [f32; 2], s: fixed-length ASCII string of 3 bytes, e: enum over u8}"
    );
    const AB: Datatype = Datatype::Enum {
        size: 1,
        signed: false,
        members: &[
            EnumMember {
                name: "A",
                value: 1,
            },
            EnumMember {
                name: "B",
                value: 2,
            },
        ],
    };
    const T: Datatype = Datatype::Compound {
        size: 16,
        members: &[
            CompoundMember {
                name: "x",
                offset: 0,
                dtype: F32,
            },
            CompoundMember {
                name: "hist",
                offset: 4,
                dtype: Datatype::Array {
                    base: &F32,
                    dims: &[2],
                },
            },
            CompoundMember {
                name: "s",
                offset: 12,
                dtype: Datatype::FixedString {
                    size: 3,
                    utf8: false,
                },
            },
            CompoundMember {
                name: "e",
                offset: 15,
                dtype: AB,
            },
        ],
    };
    assert!(desc.matches(&T));
    hostile::check(&body, dec);
}

/// A 308-byte compound with a member at offset 300: version 1 (default
/// bounds) and version 5 (2-byte offsets) from h5py 3.16.
#[test]
fn h5py_wide_compound_offsets() {
    const T: Datatype = Datatype::Compound {
        size: 308,
        members: &[
            CompoundMember {
                name: "a",
                offset: 0,
                dtype: Datatype::Int {
                    size: 4,
                    signed: true,
                },
            },
            CompoundMember {
                name: "b",
                offset: 300,
                dtype: Datatype::Float { size: 8 },
            },
        ],
    };
    let v5 = hex("56020000340100006100000010080000040000000000200062002c0111203f000800000000004000340b0034ff030000");
    assert!(dec(&v5).unwrap().matches(&T));
    assert_eq!(T.encode(), hex("16020000340100006100000000000000000000000000000000000000000000000000000000000000000000000000000010080000040000000000200062000000000000002c0100000000000000000000000000000000000000000000000000000000000011203f000800000000004000340b0034ff030000"));
    hostile::check(&v5, dec);
}
