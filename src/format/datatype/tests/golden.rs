//! Spec notes: `spec-notes/datatype.md`.
//! Golden bytes: every body below is the Datatype message h5py 3.16
//! (HDF5 2.0.0, default bounds) wrote for the numpy dtype named in the
//! comment, as found in the dataset's object header (padded to 8 there).

use super::*;

use super::golden_bytes::*;

/// `dt` encodes to `want` (h5py's body, padded to 8), and `want` decodes
/// to a type that matches `dt`.
fn golden(dt: &Datatype, want: &str) {
    assert_eq!(padded(dt), hex(want));
    let desc = super::super::decode::TypeDesc::decode(&hex(want), 0).unwrap();
    assert!(desc.matches(dt), "{desc:?} does not match {dt:?}");
    // (A compound holding a vlen string is stored by offset, so its order differs.)
    if !dt.describe().contains("variable-length") {
        assert_eq!(desc.describe(), dt.describe());
    }
}

/// Bodies h5py 3.16 wrote for numpy i1..u8 (dataset headers of a real file).
#[test]
fn integers() {
    assert_eq!(int(1, true), hex("10 08 00 00 01000000 0000 0800"));
    assert_eq!(int(1, false), hex("10 00 00 00 01000000 0000 0800"));
    assert_eq!(int(2, true), hex("10 08 00 00 02000000 0000 1000"));
    assert_eq!(int(2, false), hex("10 00 00 00 02000000 0000 1000"));
    assert_eq!(int(4, true), hex("10 08 00 00 04000000 0000 2000"));
    assert_eq!(int(4, false), hex("10 00 00 00 04000000 0000 2000"));
    assert_eq!(int(8, true), hex("10 08 00 00 08000000 0000 4000"));
    assert_eq!(int(8, false), hex("10 00 00 00 08000000 0000 4000"));
}

/// Bodies h5py 3.16 wrote for numpy f2, f4, f8.
#[test]
fn floats() {
    let f = |size| Datatype::Float { size }.encode();
    assert_eq!(
        f(2),
        hex("11 20 0f 00 02000000 0000 1000 0a 05 00 0a 0f000000")
    );
    assert_eq!(
        f(4),
        hex("11 20 1f 00 04000000 0000 2000 17 08 00 17 7f000000")
    );
    assert_eq!(
        f(8),
        hex("11 20 3f 00 08000000 0000 4000 34 0b 00 34 ff030000")
    );
}

/// h5py 3.16 `string_dtype()`: vlen string, UTF-8, base u8.
#[test]
fn vlen_utf8() {
    let want = hex("19 01 01 00 10000000 10 00 00 00 01000000 0000 0800");
    assert_eq!(Datatype::VlenUtf8.encode(), want);
    assert_eq!(Datatype::VlenUtf8.element_size(), 16);
}

/// numpy `bool`: enum over i8, FALSE = 0 then TRUE = 1 (38 bytes).
#[test]
fn bool_enum() {
    assert_eq!(Datatype::Bool.encode().len(), 38);
    golden(&Datatype::Bool, BOOL);
    const T_SPELLED: Datatype = Datatype::Enum {
        size: 1,
        signed: true,
        members: BOOL_MEMBERS,
    };
    assert_eq!(T_SPELLED.encode(), Datatype::Bool.encode());
    assert_eq!(Datatype::Bool.element_size(), 1);
}

/// numpy `S10` (null-pad ASCII) and `h5py.string_dtype('utf-8', 10)`.
#[test]
fn fixed_strings() {
    golden(
        &Datatype::FixedString {
            size: 10,
            utf8: false,
        },
        S10,
    );
    golden(
        &Datatype::FixedString {
            size: 10,
            utf8: true,
        },
        U10,
    );
    assert_eq!(
        Datatype::FixedString {
            size: 10,
            utf8: true
        }
        .element_size(),
        10
    );
}

/// Enums over i1, u2, i8: members sorted by name, values in the base size.
#[test]
fn enums() {
    let rgb = |size, signed| Datatype::Enum {
        size,
        signed,
        members: RGB,
    };
    golden(&rgb(1, true), E_I1);
    golden(&rgb(2, false), E_U2);
    const T_BIG: Datatype = Datatype::Enum {
        size: 8,
        signed: true,
        members: &[e!("NEG", -5), e!("BIG", 1 << 40)],
    };
    golden(&T_BIG, E_I8);
    // {'b': 1, 'B': 2, 'a': 3, 'é': 4}: bytewise T_ORDER B, a, b, é.
    const T_NAMES: Datatype = Datatype::Enum {
        size: 1,
        signed: false,
        members: &[e!("b", 1), e!("B", 2), e!("a", 3), e!("é", 4)],
    };
    golden(&T_NAMES, E_NAMES);
    // libhdf5 itself keeps insertion T_ORDER (low-level h5t.enum_create); only
    // the first 20 bytes agree with that file.
    assert_eq!(rgb(1, true).encode()[..20], hex(LL_ENUM)[..20]);
    assert_ne!(padded(&rgb(1, true)), hex(LL_ENUM));
}

/// Compounds without arrays are version 1 (28 zero bytes per member).
#[test]
fn compounds_v1() {
    golden(&XYL, C_PACKED);
    const T_NESTED: Datatype = Datatype::Compound {
        size: 20,
        members: &[m!("id", 0, I32), m!("pos", 4, XYL)],
    };
    golden(&T_NESTED, C_NESTED);
    const T_ALIGNED: Datatype = Datatype::Compound {
        size: 16,
        members: &[m!("a", 0, I8), m!("b", 8, F64)],
    };
    golden(&T_ALIGNED, C_ALIGNED);
    const T_MIX: Datatype = Datatype::Compound {
        size: 5,
        members: &[
            m!("b", 0, Datatype::Bool),
            m!(
                "s",
                1,
                Datatype::FixedString {
                    size: 3,
                    utf8: false
                }
            ),
            m!("e", 4, AB),
        ],
    };
    golden(&T_MIX, C_MIX);
    // Names of 7 and 8 bytes pad to 8 and 16.
    const T_LONG: Datatype = Datatype::Compound {
        size: 2,
        members: &[m!("abcdefg", 0, I8), m!("abcdefgh", 1, I8)],
    };
    golden(&T_LONG, LONGNAME);
    // Declaration T_ORDER is kept, not offset T_ORDER...
    const T_UNORDERED: Datatype = Datatype::Compound {
        size: 16,
        members: &[m!("b", 8, F64), m!("a", 0, I8)],
    };
    golden(&T_UNORDERED, UNORDERED);
    // ...unless a T_VLEN string is inside: then libhdf5 lists by offset.
    const T_WITH_VLEN: Datatype = Datatype::Compound {
        size: 32,
        members: &[m!("b", 8, Datatype::VlenUtf8), m!("a", 0, I8)],
    };
    golden(&T_WITH_VLEN, UNORDERED_V);
    const T_VLEN: Datatype = Datatype::Compound {
        size: 20,
        members: &[m!("a", 0, I32), m!("s", 4, Datatype::VlenUtf8)],
    };
    golden(&T_VLEN, C_VLEN);
}

/// An array member makes the compound version 2 (no dimension fields).
#[test]
fn compounds_with_arrays_v2() {
    golden(&XHIST, C_ARR);
    assert_eq!(XHIST.element_size(), 20);
    const T_M2D: Datatype = Datatype::Array {
        base: &I16,
        dims: &[2, 3],
    };
    assert_eq!(T_M2D.element_size(), 12);
    const T_C2D: Datatype = Datatype::Compound {
        size: 12,
        members: &[m!("m", 0, T_M2D)],
    };
    golden(&T_C2D, C_ARR2D);
    const T_S4X2: Datatype = Datatype::Array {
        base: &Datatype::FixedString {
            size: 4,
            utf8: false,
        },
        dims: &[2],
    };
    const T_ARR_STR: Datatype = Datatype::Compound {
        size: 8,
        members: &[m!("s", 0, T_S4X2)],
    };
    golden(&T_ARR_STR, ARR_STR);
    const T_NEST_ARR: Datatype = Datatype::Compound {
        size: 24,
        members: &[m!("id", 0, I32), m!("inner", 4, XHIST)],
    };
    golden(&T_NEST_ARR, NEST_ARR);
}

/// libhdf5 raises the members inserted up to the array member (nested
/// enums and compounds included) to version 2, and not those after it.
#[test]
fn version_upgrade_reaches_earlier_members_only() {
    const T_ORDER: Datatype = Datatype::Compound {
        size: 14,
        members: &[
            m!("e", 0, AB),
            m!(
                "h",
                1,
                Datatype::Array {
                    base: &F32,
                    dims: &[2]
                }
            ),
            m!("e2", 9, AB),
            m!(
                "c",
                10,
                Datatype::Compound {
                    size: 4,
                    members: &[m!("a", 0, I32)]
                }
            ),
        ],
    };
    golden(&T_ORDER, ORDER);
    const T_NEST: Datatype = Datatype::Compound {
        size: 13,
        members: &[
            m!(
                "n",
                0,
                Datatype::Compound {
                    size: 5,
                    members: &[m!("e", 0, AB), m!("x", 1, I32)]
                }
            ),
            m!(
                "h",
                5,
                Datatype::Array {
                    base: &F32,
                    dims: &[2]
                }
            ),
        ],
    };
    golden(&T_NEST, NEST);
    // The array's base compound becomes version 2 inside a compound...
    const T_ARR_OF_C: Datatype = Datatype::Compound {
        size: 12,
        members: &[m!(
            "cs",
            0,
            Datatype::Array {
                base: &AB16,
                dims: &[3]
            }
        )],
    };
    golden(&T_ARR_OF_C, ARR_OF_C);
    // ...but stays version 1 under a top-level array.
    golden(
        &Datatype::Array {
            base: &AB16,
            dims: &[3],
        },
        TOP_ARR_C,
    );
}

/// Top-level arrays: numpy `('<f4', (4,))` and an array of an enum.
#[test]
fn arrays() {
    const T_ARR: Datatype = Datatype::Array {
        base: &F32,
        dims: &[4],
    };
    golden(&T_ARR, ARR);
    assert_eq!(T_ARR.element_size(), 16);
    golden(
        &Datatype::Array {
            base: &AB,
            dims: &[2],
        },
        ARR_ENUM,
    );
}
