//! Spec notes: `spec-notes/datatype.md`.
//! `is_supported`, `element_size` and `describe` for valid and invalid forms.

use super::*;

#[test]
fn sizes_and_support() {
    assert_eq!(
        Datatype::Int {
            size: 8,
            signed: false
        }
        .element_size(),
        8
    );
    assert_eq!(Datatype::Float { size: 4 }.element_size(), 4);
    assert!(Datatype::Float { size: 8 }.is_supported());
    assert!(!Datatype::Float { size: 3 }.is_supported());
    assert!(!Datatype::Int {
        size: 3,
        signed: true
    }
    .is_supported());
    // Unsupported sizes still encode without panicking.
    assert_eq!(Datatype::Float { size: 255 }.encode().len(), 20);
    assert_eq!(
        Datatype::Int {
            size: 255,
            signed: true
        }
        .encode()
        .len(),
        12
    );
}

#[test]
fn new_classes_supported() {
    for dt in [
        Datatype::Bool,
        AB,
        XYL,
        XHIST,
        AB16,
        Datatype::FixedString {
            size: 1,
            utf8: true,
        },
    ] {
        assert!(dt.is_supported(), "{dt:?}");
    }
    const T_ARR: Datatype = Datatype::Array {
        base: &XHIST,
        dims: &[2, 3],
    };
    assert!(T_ARR.is_supported());
    assert_eq!(T_ARR.element_size(), 120);
}

#[test]
fn enum_rules() {
    let ok = |size, signed, members: &'static [EnumMember]| {
        Datatype::Enum {
            size,
            signed,
            members,
        }
        .is_supported()
    };
    assert!(ok(1, true, &[e!("LO", -128), e!("HI", 127)]));
    assert!(!ok(1, true, &[e!("X", 128)]));
    assert!(!ok(1, true, &[e!("X", -129)]));
    assert!(ok(1, false, &[e!("X", 255)]));
    assert!(!ok(1, false, &[e!("X", 256)]));
    assert!(!ok(2, false, &[e!("X", -1)]));
    assert!(ok(8, true, &[e!("MIN", i64::MIN), e!("MAX", i64::MAX)]));
    assert!(ok(8, false, &[e!("MAX", i64::MAX)]));
    assert!(!ok(8, false, &[e!("NEG", -1)]));
    assert!(!ok(3, true, &[e!("X", 1)]), "base size 3");
    assert!(!ok(1, true, &[]), "libhdf5: datatype is not sensible");
    assert!(!ok(1, true, &[e!("A", 1), e!("A", 2)]), "name redefinition");
    assert!(
        !ok(1, true, &[e!("A", 1), e!("B", 1)]),
        "value redefinition"
    );
    assert!(!ok(1, true, &[e!("", 1)]));
    assert!(!ok(1, true, &[e!("A\0B", 1)]));
    // A value that does not fit is truncated, never a panic.
    let body = Datatype::Enum {
        size: 1,
        signed: false,
        members: &[e!("X", 0x1234)],
    }
    .encode();
    assert_eq!(body.last(), Some(&0x34));
    let body = Datatype::Enum {
        size: 8,
        signed: true,
        members: &[e!("X", -2)],
    }
    .encode();
    assert_eq!(body[body.len() - 8..], (-2i64).to_le_bytes());
}

#[test]
fn compound_rules() {
    let ok = |size, members: &'static [CompoundMember]| {
        Datatype::Compound { size, members }.is_supported()
    };
    assert!(ok(8, &[m!("a", 0, I32), m!("b", 4, F32)]));
    assert!(
        ok(9, &[m!("b", 4, F32), m!("a", 0, I32)]),
        "any order, trailing padding"
    );
    assert!(
        !ok(7, &[m!("a", 0, I32), m!("b", 4, F32)]),
        "member past the end"
    );
    assert!(!ok(8, &[m!("a", 0, I32), m!("b", 3, F32)]), "overlap");
    assert!(
        !ok(8, &[m!("a", 0, I32), m!("a", 4, F32)]),
        "duplicate name"
    );
    assert!(!ok(8, &[m!("", 0, I32)]));
    assert!(!ok(8, &[]), "libhdf5: datatype is not sensible");
    assert!(!ok(0, &[]));
    assert!(
        !ok(4, &[m!("a", 0, Datatype::Float { size: 3 })]),
        "unsupported member"
    );
    assert!(
        !ok(u32::MAX, &[m!("a", u32::MAX, I32)]),
        "offset + size overflows"
    );
}

#[test]
fn array_rules() {
    let ok = |base: &'static Datatype, dims: &'static [u32]| {
        Datatype::Array { base, dims }.is_supported()
    };
    assert!(ok(&F32, &[1; 32]));
    assert!(!ok(&F32, &[1; 33]), "libhdf5: invalid dimensionality");
    assert!(!ok(&F32, &[]));
    assert!(!ok(&F32, &[4, 0]), "libhdf5: zero-sized dimension");
    assert!(!ok(
        &Datatype::Int {
            size: 3,
            signed: true
        },
        &[2]
    ));
    const T_HUGE: Datatype = Datatype::Array {
        base: &F64,
        dims: &[65536, 65536],
    };
    assert!(!T_HUGE.is_supported());
    assert_eq!(T_HUGE.element_size(), u32::MAX);
    assert_eq!(T_HUGE.encode()[4..8], u32::MAX.to_le_bytes());
}

/// A `'static` type can refer to itself; nothing recurses without bound.
#[test]
fn cyclic_type_does_not_overflow_the_stack() {
    static CYCLE: Datatype = Datatype::Array {
        base: &CYCLE,
        dims: &[2],
    };
    assert!(!CYCLE.is_supported());
    assert_eq!(CYCLE.element_size(), u32::MAX);
    assert!(!CYCLE.encode().is_empty());
    assert!(CYCLE.describe().contains('…'));
}

#[test]
fn describe() {
    let d = |dt: Datatype| dt.describe();
    assert_eq!(d(F32), "f32");
    assert_eq!(d(Datatype::Float { size: 2 }), "f16");
    assert_eq!(
        d(Datatype::Int {
            size: 2,
            signed: false
        }),
        "u16"
    );
    assert_eq!(d(I64), "i64");
    assert_eq!(
        d(Datatype::Int {
            size: 3,
            signed: true
        }),
        "3-byte signed integer"
    );
    assert_eq!(d(Datatype::Float { size: 3 }), "3-byte float");
    assert_eq!(d(Datatype::Bool), "bool");
    assert_eq!(d(Datatype::VlenUtf8), "variable-length UTF-8 string");
    assert_eq!(
        d(Datatype::FixedString {
            size: 10,
            utf8: false
        }),
        "fixed-length ASCII string of 10 bytes"
    );
    assert_eq!(
        d(Datatype::FixedString {
            size: 1,
            utf8: true
        }),
        "fixed-length UTF-8 string of 1 byte"
    );
    assert_eq!(
        d(Datatype::Enum {
            size: 1,
            signed: true,
            members: RGB
        }),
        "enum over i8"
    );
    assert_eq!(d(AB), "enum over u8");
    assert_eq!(
        d(Datatype::Array {
            base: &F32,
            dims: &[4]
        }),
        "[f32; 4]"
    );
    assert_eq!(
        d(Datatype::Array {
            base: &I16,
            dims: &[2, 3]
        }),
        "[[i16; 3]; 2]"
    );
    assert_eq!(d(XHIST), "compound {x: f32, hist: [f32; 4]}");
    const T_NEST: Datatype = Datatype::Compound {
        size: 20,
        members: &[m!("id", 0, I32), m!("pos", 4, XYL)],
    };
    assert_eq!(
        d(T_NEST),
        "compound {id: i32, pos: compound {x: f32, y: f32, label: i64}}"
    );
}
