//! The per-value conversion rules, one implementation per pair of number
//! types (see the parent module for the rules).

use crate::types::Element;

/// A value that can be written where `T` is stored: every element type into
/// itself, and every number type (`u8` … `i64`, `f32`, `f64`, and
/// `half::f16` with feature `half`) into every other, as libhdf5 converts
/// (see [`convert_into`](Self::convert_into) for the rules).
///
/// [`DatasetWriter::add`](crate::DatasetWriter::add) takes rows of any
/// `U: ConvertInto<T>`; [`Dataset`](crate::Dataset) writes follow the same
/// rules. The trait is sealed: h5sink implements it for exactly these pairs.
///
/// ```
/// use h5sink::ConvertInto;
/// # fn main() -> h5sink::Result<()> {
/// assert_eq!(ConvertInto::<f64>::convert_into(0.1f32), Some(0.1f32 as f64)); // exact widening
/// assert_eq!(ConvertInto::<u8>::convert_into(300i32), None);                 // out of range
/// let path = std::env::temp_dir().join(format!("h5sink-doc-convert-{}.h5", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let mut w = h5sink::DatasetWriter::<f64>::create(&path, &[2, 2])?;
/// w.add(&[0.5f32, 1.5, 2.5, 3.5], &[0, 1])?; // f32 rows into an f64 dataset
/// w.close()?;
/// # std::fs::remove_file(&path).unwrap();
/// # Ok(()) }
/// ```
pub trait ConvertInto<T>: Element + sealed::Sealed<T> {
    /// `self` as a `T`, or `None` if it does not fit `T`:
    ///
    /// * integer to integer: `Some` when within `T`'s range;
    /// * integer to float: always, rounded to the nearest float (as libhdf5
    ///   and C do; `None` only beyond `f16`'s range of ±65504);
    /// * float to float: NaN and infinities kept, finite values rounded to
    ///   the nearest; `None` for a finite value that would become infinite;
    /// * float to integer: truncated toward zero (as libhdf5 does), `None`
    ///   when the truncated value is outside `T`'s range, and for NaN and
    ///   infinities.
    ///
    /// ```
    /// use h5sink::ConvertInto;
    /// assert_eq!(ConvertInto::<i64>::convert_into(-7i8), Some(-7i64));
    /// assert_eq!(ConvertInto::<u32>::convert_into(-1i64), None);
    /// assert_eq!(ConvertInto::<i16>::convert_into(-2.7f64), Some(-2)); // truncated
    /// assert_eq!(ConvertInto::<i16>::convert_into(f32::NAN), None);
    /// assert_eq!(ConvertInto::<f32>::convert_into(16_777_217i32), Some(16_777_216.0)); // rounded
    /// assert_eq!(ConvertInto::<f32>::convert_into(1e300f64), None);
    /// assert_eq!(ConvertInto::<f32>::convert_into(f64::INFINITY), Some(f32::INFINITY));
    /// assert_eq!(ConvertInto::<bool>::convert_into(true), Some(true)); // any type into itself
    /// ```
    fn convert_into(self) -> Option<T>;

    /// Append `src`, converted, to `dst` (a plain copy for `T` itself).
    /// The caller checked that every value fits.
    #[doc(hidden)]
    fn extend_into(src: &[Self], dst: &mut Vec<T>) {
        dst.extend(src.iter().filter_map(|&v| v.convert_into()));
    }
}

pub(crate) mod sealed {
    /// Implemented for the pairs h5sink converts; not nameable outside.
    pub trait Sealed<T> {}
}

impl<T: Element> sealed::Sealed<T> for T {}
impl<T: Element> ConvertInto<T> for T {
    fn convert_into(self) -> Option<T> {
        Some(self)
    }
    fn extend_into(src: &[Self], dst: &mut Vec<T>) {
        dst.extend_from_slice(src);
    }
}

/// `$m!(s, d)` for each `s` of the first list and each `d` of the second.
macro_rules! product {
    ($m:ident; [$($s:ty),*]; $ds:tt) => { $( product!(@one $m; $s; $ds); )* };
    (@one $m:ident; $s:ty; [$($d:ty),*]) => { $( $m!($s, $d); )* };
}

macro_rules! pair {
    ($s:ty, $d:ty, |$v:ident| $body:expr) => {
        impl sealed::Sealed<$d> for $s {}
        impl ConvertInto<$d> for $s {
            #[inline]
            fn convert_into(self) -> Option<$d> {
                let $v = self;
                $body
            }
        }
    };
}

macro_rules! int_int {
    ($s:ty, $d:ty) => {
        pair!($s, $d, |v| <$d>::try_from(v).ok());
    };
}
macro_rules! int_ints {
    ($($s:ty => [$($d:ty),*];)*) => { $( $( int_int!($s, $d); )* )* };
}
int_ints! {
    u8 => [i8, u16, i16, u32, i32, u64, i64];
    i8 => [u8, u16, i16, u32, i32, u64, i64];
    u16 => [u8, i8, i16, u32, i32, u64, i64];
    i16 => [u8, i8, u16, u32, i32, u64, i64];
    u32 => [u8, i8, u16, i16, i32, u64, i64];
    i32 => [u8, i8, u16, i16, u32, u64, i64];
    u64 => [u8, i8, u16, i16, u32, i32, i64];
    i64 => [u8, i8, u16, i16, u32, i32, u64];
}

// Rust's `as` from an integer to a float rounds to nearest, ties to even.
macro_rules! int_float {
    ($s:ty, $d:ty) => {
        pair!($s, $d, |v| Some(v as $d));
    };
}
product!(int_float; [u8, i8, u16, i16, u32, i32, u64, i64]; [f32, f64]);

// Truncate, then check the range: the bounds MIN and MAX + 1 are powers of
// two (or 0), exact in f64 (for 64 bits `MAX as f64` already is 2^n).
macro_rules! float_int {
    ($s:ty, $d:ty) => {
        pair!($s, $d, |v| {
            let t = f64::from(v).trunc();
            let (lo, hi) = (<$d>::MIN as f64, <$d>::MAX as f64 + 1.0);
            (t >= lo && t < hi).then_some(t as $d)
        });
    };
}
product!(float_int; [f32, f64]; [u8, i8, u16, i16, u32, i32, u64, i64]);

pair!(f32, f64, |v| Some(f64::from(v)));
pair!(f64, f32, |v| {
    let r = v as f32;
    (r.is_finite() || !v.is_finite()).then_some(r)
});

#[cfg(feature = "half")]
mod f16_pairs {
    use super::{sealed, ConvertInto};
    use half::f16;

    // From f16: through f32, which holds every f16 exactly.
    macro_rules! from_f16 {
        ($s:ty, $d:ty) => {
            pair!($s, $d, |v| ConvertInto::<$d>::convert_into(v.to_f32()));
        };
    }
    product!(from_f16; [f16]; [u8, i8, u16, i16, u32, i32, u64, i64, f64]);
    pair!(f16, f32, |v| Some(v.to_f32()));

    // Into f16: integers through f64 (exact for every value that fits
    // f16), floats rounded once.
    macro_rules! int_f16 {
        ($s:ty, $d:ty) => {
            pair!($s, $d, |v| {
                let r = f16::from_f64(v as f64);
                r.is_finite().then_some(r)
            });
        };
    }
    product!(int_f16; [u8, i8, u16, i16, u32, i32, u64, i64]; [f16]);
    pair!(f32, f16, |v| {
        let r = f16::from_f32(v);
        (r.is_finite() || !v.is_finite()).then_some(r)
    });
    pair!(f64, f16, |v| {
        let r = f16::from_f64(v);
        (r.is_finite() || !v.is_finite()).then_some(r)
    });
}
