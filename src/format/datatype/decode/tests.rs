//! Datatype decoder tests; h5py's version 1 and 2 bodies are also decoded
//! in `datatype/tests/golden.rs`. Spec notes: `spec-notes/datatype.md`.

use super::*;
use crate::format::datatype::{CompoundMember, Datatype, EnumMember};
use crate::format::{hex, hostile};
use crate::Error;

pub(super) fn dec(b: &[u8]) -> Result<TypeDesc> {
    TypeDesc::decode(b, 0)
}

pub(super) const F32: Datatype = Datatype::Float { size: 4 };
const I16: Datatype = Datatype::Int {
    size: 2,
    signed: true,
};
const U8: Datatype = Datatype::Int {
    size: 1,
    signed: false,
};
pub(super) const ARR23: Datatype = Datatype::Array {
    base: &Datatype::Array {
        base: &I16,
        dims: &[3],
    },
    dims: &[2],
};
const XY: Datatype = Datatype::Compound {
    size: 8,
    members: &[
        CompoundMember {
            name: "x",
            offset: 0,
            dtype: F32,
        },
        CompoundMember {
            name: "y",
            offset: 4,
            dtype: F32,
        },
    ],
};
const RGB: Datatype = Datatype::Enum {
    size: 2,
    signed: true,
    members: &[
        EnumMember {
            name: "RED",
            value: -1,
        },
        EnumMember {
            name: "GREEN",
            value: 300,
        },
        EnumMember {
            name: "BLUE",
            value: 0,
        },
    ],
};
const MIX: Datatype = Datatype::Compound {
    size: 64,
    members: &[
        CompoundMember {
            name: "s",
            offset: 48,
            dtype: Datatype::VlenUtf8,
        },
        CompoundMember {
            name: "a",
            offset: 0,
            dtype: ARR23,
        },
        CompoundMember {
            name: "xy",
            offset: 12,
            dtype: XY,
        },
        CompoundMember {
            name: "e",
            offset: 20,
            dtype: RGB,
        },
        CompoundMember {
            name: "ok",
            offset: 22,
            dtype: Datatype::Bool,
        },
        CompoundMember {
            name: "name",
            offset: 23,
            dtype: Datatype::FixedString {
                size: 25,
                utf8: true,
            },
        },
    ],
};

fn all_types() -> Vec<Datatype> {
    let mut v = Vec::new();
    for size in [1, 2, 4, 8] {
        v.push(Datatype::Int { size, signed: true });
        v.push(Datatype::Int {
            size,
            signed: false,
        });
    }
    for size in [2, 4, 8] {
        v.push(Datatype::Float { size });
    }
    for size in [1, 10, 65535, u32::MAX] {
        v.push(Datatype::FixedString { size, utf8: false });
        v.push(Datatype::FixedString { size, utf8: true });
    }
    v.extend([Datatype::VlenUtf8, Datatype::Bool, ARR23, XY, RGB, MIX]);
    v.push(Datatype::Array {
        base: &MIX,
        dims: &[2, 1],
    });
    v.push(Datatype::Array {
        base: &RGB,
        dims: &[7],
    });
    v
}

mod h5py;

#[test]
fn round_trips_every_datatype() {
    let types = all_types();
    for dt in &types {
        assert!(dt.is_supported(), "{dt:?}");
        let desc = dec(&dt.encode()).unwrap();
        assert!(desc.matches(dt), "{desc:?} vs {dt:?}");
        assert_eq!(desc.element_size(), dt.element_size(), "{dt:?}");
        if !matches!(dt, Datatype::Compound { .. } | Datatype::Array { .. }) {
            assert_eq!(desc.describe(), dt.describe());
        }
        for other in types.iter().filter(|o| o.encode() != dt.encode()) {
            assert!(!desc.matches(other), "{desc:?} matches {other:?}");
        }
    }
}

#[test]
fn spelled_bool_matches_both() {
    let desc = dec(&Datatype::Bool.encode()).unwrap();
    let spelled = Datatype::Enum {
        size: 1,
        signed: true,
        members: crate::format::datatype::BOOL_MEMBERS,
    };
    assert!(desc.matches(&spelled) && desc.matches(&Datatype::Bool));
    assert_eq!(desc.describe(), "bool");
}

/// A version 1 compound member with dimensions (libhdf5 1.4 style) reads
/// as an array member.
#[test]
fn version_1_member_dimensions() {
    let mut body = hex("16010000 0c000000 6d000000 00000000 00000000");
    body.extend(hex(
        "02000000 00000000 00000000 02000000 03000000 00000000 00000000",
    ));
    body.extend(I16.encode());
    assert!(dec(&body).unwrap().matches(&Datatype::Compound {
        size: 12,
        members: &[CompoundMember {
            name: "m",
            offset: 0,
            dtype: ARR23
        }],
    }));
}

#[test]
fn refusals() {
    let unsupported = [
        "11613f000800000000004000340b0034ff030000", // VAX order
        "4700000008000000",                         // reference version 4
        "1b00000008000000",                         // complex (class 11)
        "6000000004000000",                         // version 6
    ];
    for bad in unsupported {
        let got = dec(&hex(bad));
        assert!(
            matches!(got, Err(Error::Unsupported { .. })),
            "{bad}: {got:?}"
        );
    }
    let malformed = [
        "0008000004000000 00002000",             // version 0
        "1008000000000000 00002000",             // size 0
        "1008000004000000 00002100",             // 33 bits in 4 bytes
        "1008000004000000 00000000",             // precision 0
        "1303000005000000",                      // padding 3
        "1320000005000000",                      // charset 2
        "1c00000004000000",                      // class 12
        "1702000008000000",                      // reference type 2
        "1a00000004000000",                      // array version 1
        "2a00000004000000 00000000",             // array rank 0
        "2a00000008000000 01000000 00000000 00000000 1008000004000000 00002000", // zero dim
        "2a00000009000000 01000000 02000000 00000000 1008000004000000 00002000", // size
        "1600000004000000",                      // compound without members
        "1601000004000000 7800000000000000 04000000 00000000000000000000000000000000000000000000000000000000 1008000004000000 00002000", // outside
        "18010000 04000000 11201f00 04000000 00002000 17080017 7f000000 4100000000000000 00000000", // enum over float
        "18010000 02000000 10080000 04000000 00002000 4100000000000000 00000000", // enum size
        "19020000 10000000 1000000001000000 00000800", // vlen type 2
    ];
    for bad in malformed {
        let got = dec(&hex(bad));
        assert!(
            matches!(got, Err(Error::Malformed { .. })),
            "{bad}: {got:?}"
        );
    }
}

#[test]
fn huge_counts_are_refused_before_allocating() {
    // 65535 compound members and 65535 enum members in a few bytes.
    let got = dec(&hex("16ffff0010000000 7800000000000000"));
    assert!(matches!(got, Err(Error::Malformed { .. })), "{got:?}");
    let got = dec(&hex("58ffff0001000000 1000000001000000 00000800 4100 01"));
    assert!(matches!(got, Err(Error::Malformed { .. })), "{got:?}");
}

#[test]
fn nesting_is_bounded() {
    // 40 nested version 3 arrays of one u8.
    let mut body = Vec::new();
    for _ in 0..40 {
        body.extend(hex("3a000000 01000000 01 01000000"));
    }
    body.extend(U8.encode());
    let got = dec(&body);
    assert!(matches!(got, Err(Error::Unsupported { .. })), "{got:?}");
    let ok = &body[(40 - MAX_DEPTH_OK) * 13..];
    assert_eq!(dec(ok).unwrap().element_size(), 1);
}
const MAX_DEPTH_OK: usize = crate::format::datatype::MAX_DEPTH;

#[test]
fn hostile_bytes() {
    for dt in all_types() {
        hostile::check(&dt.encode(), dec);
    }
    for h in [
        "15080000040000006d79746167000000",
        "1900000010000000100800000400000000002000",
        "170100000c000000",
    ] {
        hostile::check(&hex(h), dec);
    }
}
