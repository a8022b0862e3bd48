//! The test-side number types (`Num`): exact values and libhdf5's
//! conversion computed independently; the values every direction converts;
//! an in-memory file written by one call.

use h5sink::{Element, File};

/// A test-side number type: exact representation of an f64 (for sources)
/// and libhdf5's conversion of an f64 (for targets).
pub(crate) trait Num: Element + std::fmt::Debug {
    /// `v` exactly as `Self`, if it is representable.
    fn exact(v: f64) -> Option<Self>;
    /// `v` converted as libhdf5 converts (truncation toward zero for
    /// integers; rounding for floats), or `None` if it does not fit.
    fn expect(v: f64) -> Option<Self>;
}

macro_rules! int_num {
    ($($t:ty),*) => {$(
        impl Num for $t {
            fn exact(v: f64) -> Option<Self> {
                (v.fract() == 0.0).then(|| ()).and_then(|()| Self::expect(v))
            }
            fn expect(v: f64) -> Option<Self> {
                if !v.is_finite() || v.abs() > 1e30 {
                    return None;
                }
                let t = v.trunc() as i128;
                (t >= <$t>::MIN as i128 && t <= <$t>::MAX as i128).then(|| t as $t)
            }
        }
    )*};
}
int_num!(u8, i8, u16, i16, u32, i32, u64, i64);

impl Num for f32 {
    fn exact(v: f64) -> Option<Self> {
        (f64::from(v as f32) == v || v.is_nan()).then_some(v as f32)
    }
    fn expect(v: f64) -> Option<Self> {
        let r = v as f32;
        (r.is_finite() || !v.is_finite()).then_some(r)
    }
}

impl Num for f64 {
    fn exact(v: f64) -> Option<Self> {
        Some(v)
    }
    fn expect(v: f64) -> Option<Self> {
        Some(v)
    }
}

#[cfg(feature = "half")]
impl Num for half::f16 {
    fn exact(v: f64) -> Option<Self> {
        let h = half::f16::from_f64(v);
        (h.to_f64() == v || v.is_nan()).then_some(h)
    }
    fn expect(v: f64) -> Option<Self> {
        let h = half::f16::from_f64(v);
        (h.is_finite() || !v.is_finite()).then_some(h)
    }
}

/// Values tried in every direction (each source takes those it holds).
pub(crate) const VALUES: &[f64] = &[
    0.0,
    1.0,
    -1.0,
    2.5,
    -2.75,
    100.0,
    127.0,
    128.0,
    -128.0,
    -129.0,
    255.0,
    256.0,
    65504.0,
    65535.0,
    65536.0,
    70000.5,
    2147483647.0,
    -2147483648.0,
    4294967295.0,
    4294967296.0,
    9007199254740993.0,    // 2^53 + 1: not an f64, so rounds to 2^53 here already
    9223372036854775807.0, // 2^63 as an f64
    -9223372036854775808.0,
    18446744073709551615.0, // 2^64 as an f64
    1e20,
    3.4028235e38,
    1e39,
    -1e300,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
];

/// The bytes of an in-memory file with one dataset of `D` and `shape`,
/// built by `write` (which may fail: the error is returned with the bytes).
pub(crate) fn file_with<D: Element>(
    n: usize,
    write: impl FnOnce(&h5sink::Dataset) -> h5sink::Result<()>,
) -> (Vec<u8>, h5sink::Result<()>) {
    let f = File::in_memory().unwrap();
    let ds = f.new_dataset::<D>().shape(&[n as u64]).create("x").unwrap();
    let r = write(&ds);
    (f.into_bytes().unwrap(), r)
}
