//! Conversions between number types, with libhdf5's rules: a value is
//! written into a dataset of another number type when it fits there.
//!
//! * Integer to integer: when the value is within the target's range.
//! * Integer to float: always, rounded to the nearest float (ties to even),
//!   as libhdf5 and C do (`u64::MAX` into `f32` is `1.8446744e19`); only an
//!   integer beyond `f16`'s range (65504) does not fit `f16`.
//! * Float to float: NaN and infinities as they are, finite values rounded
//!   to the nearest; a finite value that would round to infinity (beyond
//!   `f32::MAX` into `f32`) does not fit.
//! * Float to integer: truncated toward zero like libhdf5 (`-2.7` becomes
//!   `-2`), when the truncated value is within the target's range; NaN and
//!   infinities never fit (libhdf5 would clamp them silently).
//!
//! A value that does not fit is an [`Error::ConversionRange`](crate::Error::ConversionRange)
//! naming it and its position, and the call writes nothing. Each call's
//! values are all checked first, then converted and written a bounded piece
//! at a time: no copy of the whole input is made.

use std::borrow::Cow;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::format::datatype::{Datatype, ElementType};
use crate::types::{datatype_name, Element};

mod kernels;
mod rules;

pub use rules::ConvertInto;

/// Bytes of the target type converted at a time.
pub(crate) const PIECE: usize = 1 << 20;

/// A number type of the file format, as a runtime tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Num {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    #[cfg(feature = "half")]
    F16,
    F32,
    F64,
}

impl Num {
    /// The number type of `dt`, if it is one h5sink converts.
    pub(crate) fn of(dt: &Datatype) -> Option<Num> {
        Some(match *dt {
            Datatype::Int { size, signed } => match (size, signed) {
                (1, false) => Num::U8,
                (1, true) => Num::I8,
                (2, false) => Num::U16,
                (2, true) => Num::I16,
                (4, false) => Num::U32,
                (4, true) => Num::I32,
                (8, false) => Num::U64,
                (8, true) => Num::I64,
                _ => return None,
            },
            #[cfg(feature = "half")]
            Datatype::Float { size: 2 } => Num::F16,
            Datatype::Float { size: 4 } => Num::F32,
            Datatype::Float { size: 8 } => Num::F64,
            _ => return None,
        })
    }

    /// Bytes per value.
    pub(crate) fn size(self) -> usize {
        match self {
            Num::U8 | Num::I8 => 1,
            #[cfg(feature = "half")]
            Num::F16 => 2,
            Num::U16 | Num::I16 => 2,
            Num::U32 | Num::I32 | Num::F32 => 4,
            Num::U64 | Num::I64 | Num::F64 => 8,
        }
    }
}

/// Numbers of one type to be written as another: the caller's bytes and
/// the two types.
pub(crate) struct Conversion<'a> {
    src: Cow<'a, [u8]>,
    from: Num,
    to: Num,
}

impl Conversion<'_> {
    /// Number of values.
    pub(crate) fn len(&self) -> usize {
        self.src.len() / self.from.size()
    }

    /// Bytes per converted value.
    pub(crate) fn target_size(&self) -> usize {
        self.to.size()
    }

    /// The first value that does not fit the target type: its index and
    /// the value as text.
    fn misfit(&self) -> Option<(usize, String)> {
        let k = kernels::pick(self.from, self.to);
        let i = (k.misfit)(&self.src)?;
        let size = self.from.size();
        let at = self.src.get(i * size..(i + 1) * size).unwrap_or(&[]);
        Some((i, kernels::render(self.from, at)))
    }

    /// Append values `range` (indexes of values), converted, to `out`.
    /// Every value was checked to fit: none is skipped.
    pub(crate) fn convert(&self, range: Range<usize>, out: &mut Vec<u8>) {
        let size = self.from.size();
        let Some(src) = self.src.get(range.start * size..range.end * size) else {
            return;
        };
        let at = out.len();
        out.resize(at + range.len() * self.to.size(), 0);
        let k = kernels::pick(self.from, self.to);
        (k.convert)(src, &mut out[at..]);
    }

    /// All values, converted (for small data such as attributes).
    pub(crate) fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len() * self.to.size());
        self.convert(0..self.len(), &mut out);
        out
    }
}

/// Values for a write, in the element format of the target.
pub(crate) enum Source<'a> {
    /// Already in the target's format (the caller's type is the target's).
    Bytes(Cow<'a, [u8]>),
    /// Numbers of another type, every one checked to fit the target.
    Convert(Conversion<'a>),
}

impl Source<'_> {
    /// Number of values.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Source::Bytes(b) => b.is_empty(),
            Source::Convert(c) => c.len() == 0,
        }
    }
}

/// `values` for writing into `target`, the element type of `object` (a
/// dataset path or `object@attribute`): their own bytes when `T` is that
/// type, a checked conversion when both are numbers. A value that does not
/// fit is [`Error::ConversionRange`]; other types are
/// [`Error::TypeMismatch`].
pub(crate) fn prepare<'a, T: Element>(
    values: &'a [T],
    target: &Datatype,
    object: &str,
) -> Result<Source<'a>> {
    prepare_into(values, &ElementType::Known(*target), object)
}

/// [`prepare`] for an element type of the model, which may be a type read
/// from a file: `T` is stored as it is when the type accepts it
/// (`ElementType::accepts`), converted only between plain numbers.
pub(crate) fn prepare_into<'a, T: Element>(
    values: &'a [T],
    target: &ElementType,
    object: &str,
) -> Result<Source<'a>> {
    if target.accepts(&T::DATATYPE) {
        return Ok(Source::Bytes(T::encode(values)));
    }
    let mismatch = || Error::TypeMismatch {
        dataset: object.to_owned(),
        expected: target.describe(),
        got: datatype_name(&T::DATATYPE),
    };
    let Some(target) = target.known() else {
        return Err(mismatch());
    };
    let (Some(from), Some(to)) = (Num::of(&T::DATATYPE), Num::of(target)) else {
        return Err(mismatch());
    };
    let conv = Conversion {
        src: T::encode(values),
        from,
        to,
    };
    if let Some((index, value)) = conv.misfit() {
        return Err(Error::ConversionRange {
            dataset: object.to_owned(),
            index: index as u64,
            value,
            target: datatype_name(target),
        });
    }
    Ok(Source::Convert(conv))
}

#[cfg(test)]
mod tests;
