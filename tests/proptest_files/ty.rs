//! The type-erased element type of a dataset or attribute (`Ty`), the list
//! the generator picks from, and generated elements and vlen strings.

use super::strings::long_string;
use super::types::{Gen, Leaves};
use crate::common::ramp_u64;

/// Type-erased element type of a dataset or attribute.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Ty {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F32,
    F64,
    Bool,
    #[cfg(feature = "half")]
    F16,
    A1,
    A7,
    U12,
    Vlen,
    Color,
    Level,
    Point,
    Det,
    Track,
}

pub(crate) const TYS: &[Ty] = &[
    Ty::U8,
    Ty::I8,
    Ty::U16,
    Ty::I16,
    Ty::U32,
    Ty::I32,
    Ty::U64,
    Ty::I64,
    Ty::F32,
    Ty::F64,
    Ty::Bool,
    #[cfg(feature = "half")]
    Ty::F16,
    Ty::A1,
    Ty::A7,
    Ty::U12,
    Ty::Vlen,
    Ty::Vlen,
    Ty::Color,
    Ty::Level,
    Ty::Point,
    Ty::Det,
    Ty::Track,
];

/// Element `i` of data `seed`.
pub(crate) fn element<T: Gen>(i: u64, seed: u64) -> T {
    T::gen(&mut Leaves::of(i, T::LEAVES, seed))
}

pub(crate) fn elements<T: Gen>(n: u64, seed: u64) -> Vec<T> {
    (0..n).map(|i| element(i, seed)).collect()
}

pub(crate) fn vlen_strings(n: u64, seed: u64) -> Vec<String> {
    (0..n).map(|i| long_string(ramp_u64(i, seed))).collect()
}
