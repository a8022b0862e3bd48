#![cfg(test)]
//! Spec notes: `spec-notes/datatype.md`.
//! Datatype tests: shared types here, h5py's bytes in `golden`, the
//! `is_supported` / `element_size` / `describe` rules in `rules`.

use super::*;
use crate::format::hex;

pub(super) fn int(size: u8, signed: bool) -> Vec<u8> {
    Datatype::Int { size, signed }.encode()
}

/// `dt.encode()` zero-padded to 8, as it sits in a version 1 header.
pub(super) fn padded(dt: &Datatype) -> Vec<u8> {
    let mut v = dt.encode();
    v.resize(v.len().div_ceil(8) * 8, 0);
    v
}

const I8: Datatype = Datatype::Int {
    size: 1,
    signed: true,
};
const I16: Datatype = Datatype::Int {
    size: 2,
    signed: true,
};
const I32: Datatype = Datatype::Int {
    size: 4,
    signed: true,
};
const I64: Datatype = Datatype::Int {
    size: 8,
    signed: true,
};
const F32: Datatype = Datatype::Float { size: 4 };
const F64: Datatype = Datatype::Float { size: 8 };

/// A compound member (a macro, so that `&[m!(..)]` is promoted to `'static`).
macro_rules! m {
    ($name:expr, $offset:expr, $dtype:expr) => {
        CompoundMember {
            name: $name,
            offset: $offset,
            dtype: $dtype,
        }
    };
}
/// An enum member.
macro_rules! e {
    ($name:expr, $value:expr) => {
        EnumMember {
            name: $name,
            value: $value,
        }
    };
}

/// `h5py.enum_dtype({'RED': 0, 'GREEN': 1, 'BLUE': 42}, ...)`.
const RGB: &[EnumMember] = &[e!("RED", 0), e!("GREEN", 1), e!("BLUE", 42)];
/// `h5py.enum_dtype({'A': 1, 'B': 2}, basetype='u1')`.
const AB: Datatype = Datatype::Enum {
    size: 1,
    signed: false,
    members: &[e!("A", 1), e!("B", 2)],
};
/// `[('x','<f4'),('y','<f4'),('label','<i8')]`.
const XYL: Datatype = Datatype::Compound {
    size: 16,
    members: &[m!("x", 0, F32), m!("y", 4, F32), m!("label", 8, I64)],
};
/// `[('x','<f4'),('hist','<f4',(4,))]`.
const XHIST: Datatype = Datatype::Compound {
    size: 20,
    members: &[
        m!("x", 0, F32),
        m!(
            "hist",
            4,
            Datatype::Array {
                base: &F32,
                dims: &[4]
            }
        ),
    ],
};
/// `[('a','<i2'),('b','<i2')]`.
const AB16: Datatype = Datatype::Compound {
    size: 4,
    members: &[m!("a", 0, I16), m!("b", 2, I16)],
};

mod golden;
mod golden_bytes;
mod rules;
