//! The conversion loops over little-endian bytes, one pair of functions per
//! pair of number types, picked once per call by a match on the two tags.

use super::{ConvertInto, Num};

/// A number read from and written to its little-endian bytes.
pub(super) trait Le: Copy + std::fmt::Debug {
    const SIZE: usize;
    fn get(b: &[u8]) -> Self;
    fn put(self, b: &mut [u8]);
}

macro_rules! le {
    ($($t:ty),*) => {$(
        impl Le for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline(always)]
            fn get(b: &[u8]) -> Self {
                match b.try_into() {
                    Ok(a) => <$t>::from_le_bytes(a),
                    Err(_) => <$t>::default(),
                }
            }
            #[inline(always)]
            fn put(self, b: &mut [u8]) {
                b.copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
le!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);
#[cfg(feature = "half")]
le!(half::f16);

/// The loops for one pair of types.
pub(super) struct Kernels {
    /// Index of the first value of the bytes that does not fit.
    pub misfit: fn(&[u8]) -> Option<usize>,
    /// Convert the values of the first bytes into the second (sized for them).
    pub convert: fn(&[u8], &mut [u8]),
}

fn misfit<S: Le + ConvertInto<D>, D: Le>(src: &[u8]) -> Option<usize> {
    src.chunks_exact(S::SIZE)
        .position(|b| S::get(b).convert_into().is_none())
}

fn convert<S: Le + ConvertInto<D>, D: Le>(src: &[u8], out: &mut [u8]) {
    for (s, d) in src.chunks_exact(S::SIZE).zip(out.chunks_exact_mut(D::SIZE)) {
        if let Some(v) = S::get(s).convert_into() {
            v.put(d);
        }
    }
}

fn show<S: Le>(b: &[u8]) -> String {
    format!("{:?}", S::get(b))
}

macro_rules! pick {
    ($from:expr, $to:expr; [$($s:ident $st:ty),*]; $ds:tt) => {
        match $from { $( Num::$s => pick!(@to $to; $st; $ds), )* }
    };
    (@to $to:expr; $st:ty; [$($d:ident $dt:ty),*]) => {
        match $to { $( Num::$d => Kernels { misfit: misfit::<$st, $dt>, convert: convert::<$st, $dt> }, )* }
    };
}

macro_rules! with_nums {
    ($m:ident!($($args:tt)*)) => {{
        #[cfg(feature = "half")]
        let r = $m!($($args)* [U8 u8, I8 i8, U16 u16, I16 i16, U32 u32, I32 i32, U64 u64, I64 i64, F16 half::f16, F32 f32, F64 f64]);
        #[cfg(not(feature = "half"))]
        let r = $m!($($args)* [U8 u8, I8 i8, U16 u16, I16 i16, U32 u32, I32 i32, U64 u64, I64 i64, F32 f32, F64 f64]);
        r
    }};
}

macro_rules! pick_all {
    ($from:expr, $to:expr; $list:tt) => {
        pick!($from, $to; $list; $list)
    };
}

macro_rules! show_one {
    ($from:expr, $b:expr; [$($s:ident $st:ty),*]) => {
        match $from { $( Num::$s => show::<$st>($b), )* }
    };
}

/// The loops converting `from` into `to`.
pub(super) fn pick(from: Num, to: Num) -> Kernels {
    with_nums!(pick_all!(from, to;))
}

/// The value of type `from` in bytes `b`, as text for a message.
pub(super) fn render(from: Num, b: &[u8]) -> String {
    with_nums!(show_one!(from, b;))
}
