//! Sample values of every element type h5sink writes, and the helpers the
//! round-trip tests share.

use std::fmt::Debug;

use crate::{Element, File, FixedAscii, FixedUnicode, MemStorage};

crate::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub enum Color: i16 { Red = -1, Green = 1, Blue = 300 }
}

crate::h5compound! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct Det { x: f32, label: i64, ok: bool, hist: [u16; 3], code: FixedAscii<4>, color: Color }
}

/// An element type with a sample value for every index; compared through
/// `Debug`, so that NaN equals NaN and -0.0 differs from 0.0.
pub trait Sample: Element + Debug {
    fn sample(i: u64) -> Self;
}

/// `n` sample values, starting at index `from`.
pub fn samples<T: Sample>(from: u64, n: u64) -> Vec<T> {
    (from..from + n).map(T::sample).collect()
}

/// Exact equality of values, by their `Debug` text (bit-exact for floats
/// other than NaN payloads).
#[track_caller]
pub fn same<T: Debug>(got: &[T], want: &[T], what: &str) {
    assert_eq!(format!("{got:?}"), format!("{want:?}"), "{what}");
}

macro_rules! ints {
    ($($t:ty),*) => {$(
        impl Sample for $t {
            fn sample(i: u64) -> Self {
                match i % 5 {
                    0 => <$t>::MIN,
                    1 => <$t>::MAX,
                    2 => 0,
                    _ => (i as $t).wrapping_mul(37 as $t),
                }
            }
        }
    )*};
}
ints!(u8, i8, u16, i16, u32, i32, u64, i64);

macro_rules! floats {
    ($($t:ty),*) => {$(
        impl Sample for $t {
            fn sample(i: u64) -> Self {
                match i % 7 {
                    0 => <$t>::MIN_POSITIVE / 4.0, // subnormal
                    1 => <$t>::MAX,
                    2 => -0.0,
                    3 => <$t>::NEG_INFINITY,
                    4 => <$t>::NAN,
                    _ => i as $t / -3.0,
                }
            }
        }
    )*};
}
floats!(f32, f64);

#[cfg(feature = "half")]
impl Sample for half::f16 {
    fn sample(i: u64) -> Self {
        match i % 5 {
            0 => half::f16::MIN_POSITIVE_SUBNORMAL,
            1 => half::f16::MAX,
            2 => half::f16::NEG_ZERO,
            3 => half::f16::NAN,
            _ => half::f16::from_f32(i as f32 / -4.0),
        }
    }
}

impl Sample for bool {
    fn sample(i: u64) -> Self {
        i % 3 == 0
    }
}

impl Sample for [u16; 3] {
    fn sample(i: u64) -> Self {
        [i as u16, u16::MAX - i as u16, 7]
    }
}

impl Sample for [[i8; 2]; 2] {
    fn sample(i: u64) -> Self {
        [[i as i8, -(i as i8)], [i8::MIN, i8::MAX]]
    }
}

impl Sample for FixedAscii<5> {
    fn sample(i: u64) -> Self {
        FixedAscii::new(["", "a", "abcde", "x y"][i as usize % 4]).unwrap()
    }
}

impl Sample for FixedUnicode<8> {
    fn sample(i: u64) -> Self {
        FixedUnicode::new(&format!("é{}", i % 1000)).unwrap()
    }
}

impl Sample for Color {
    fn sample(i: u64) -> Self {
        [Color::Red, Color::Green, Color::Blue][i as usize % 3]
    }
}

impl Sample for Det {
    fn sample(i: u64) -> Self {
        Det {
            x: f32::sample(i),
            label: i64::sample(i),
            ok: bool::sample(i),
            hist: <[u16; 3]>::sample(i),
            code: FixedAscii::new(&format!("c{}", i % 100)).unwrap(),
            color: Color::sample(i),
        }
    }
}

/// A new file in memory, its storage kept to reopen it.
pub fn new_file() -> (File, MemStorage) {
    let mem = MemStorage::new();
    (File::with_storage(mem.clone()).unwrap(), mem)
}

/// The bytes of `mem` in a fresh storage, opened read-only.
pub fn reopen(mem: &MemStorage) -> File {
    let copy = MemStorage::new();
    crate::Storage::write_at(&copy, 0, &mem.to_vec()).unwrap();
    File::open_storage(copy).unwrap()
}
