//! Ramp data: the deterministic element values that `tests/oracle/check.py`
//! regenerates bit for bit, for numbers, `bool` and [`F16`](super::F16).

use super::{f16_bits, Data, F16};

/// Multiplier of the ramp generator (Knuth's multiplicative hash constant).
pub const RAMP_MUL: u64 = 2_654_435_761;
/// Float ramp values are `(x mod RAMP_FLOAT_MOD) * 0.25 - 1000.0`.
pub const RAMP_FLOAT_MOD: u64 = 1_000_003;
/// f16 ramp values are `(x mod RAMP_F16_MOD) * 0.5 - 500.0` (exact in f16).
pub const RAMP_F16_MOD: u64 = 2001;

/// Raw ramp value of flat (row-major, 0-based) element index `i`:
/// `(i * 2654435761 + seed) mod 2^64`.
pub fn ramp_u64(i: u64, seed: u64) -> u64 {
    i.wrapping_mul(RAMP_MUL).wrapping_add(seed)
}

/// Element types the harness knows, with their manifest dtype name.
pub trait Ramp: Copy + Default + PartialEq + std::fmt::Debug + 'static {
    /// Manifest dtype name ("u8", "i32", "f64", ...).
    const DTYPE: &'static str;
    /// Maps a raw ramp value to this type: integers keep the low bits
    /// (two's complement for signed), floats use
    /// `f64(x mod 1000003) * 0.25 - 1000.0` cast to the type (exact for f32).
    fn ramp(x: u64) -> Self;
    /// Appends the little-endian bytes of `self` to `out`.
    fn extend_le(self, out: &mut Vec<u8>);
}

macro_rules! ramp_int {
    ($($t:ty => $name:literal),*) => {$(
        impl Ramp for $t {
            const DTYPE: &'static str = $name;
            fn ramp(x: u64) -> Self {
                x as $t // `as` truncates to the width and reinterprets the bits
            }
            fn extend_le(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
ramp_int!(u8 => "u8", i8 => "i8", u16 => "u16", i16 => "i16",
          u32 => "u32", i32 => "i32", u64 => "u64", i64 => "i64");

fn ramp_f64(x: u64) -> f64 {
    (x % RAMP_FLOAT_MOD) as f64 * 0.25 - 1000.0
}

impl Ramp for f64 {
    const DTYPE: &'static str = "f64";
    fn ramp(x: u64) -> Self {
        ramp_f64(x)
    }
    fn extend_le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Ramp for f32 {
    const DTYPE: &'static str = "f32";
    fn ramp(x: u64) -> Self {
        ramp_f64(x) as f32 // exact: a multiple of 1/4 below 2^18
    }
    fn extend_le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Ramp for bool {
    const DTYPE: &'static str = "bool";
    /// `(x & 1) == 1`.
    fn ramp(x: u64) -> Self {
        x & 1 == 1
    }
    fn extend_le(self, out: &mut Vec<u8>) {
        out.push(self as u8); // h5py's bool: an enum over int8, FALSE = 0, TRUE = 1
    }
}

impl Ramp for F16 {
    const DTYPE: &'static str = "f16";
    /// `f16(f64(x mod 2001) * 0.5 - 500.0)`, exact.
    fn ramp(x: u64) -> Self {
        F16(f16_bits((x % RAMP_F16_MOD) as f64 * 0.5 - 500.0))
    }
    fn extend_le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_le_bytes());
    }
}

/// Ramp values for flat element indices `start .. start + n` (use it to
/// produce any slab of a dataset: rows `a..b` of a `[R, C]` dataset are
/// `ramp(a * C, (b - a) * C, seed)`).
pub fn ramp<T: Ramp>(start: u64, n: usize, seed: u64) -> Vec<T> {
    (start..start + n as u64)
        .map(|i| T::ramp(ramp_u64(i, seed)))
        .collect()
}

/// The full row-major contents a dataset of `shape` must read back as, for
/// ramp data (`Data::Null` and unwritten rows read as zeros; with a fill
/// value, or for other dtypes, use [`expected_bytes`]). Panics for
/// `Data::Strings` and `Data::Values`.
pub fn expected<T: Ramp>(shape: &[u64], data: &Data) -> Vec<T> {
    let n: u64 = shape.iter().product();
    let written = match data {
        Data::Strings(_) | Data::Values(_) | Data::ValuesRows { .. } => panic!(
            "expected::<{}>() called for string or values data; use expected_bytes",
            T::DTYPE
        ),
        _ => data.written(shape),
    };
    let mut v = match *data {
        Data::Ramp { seed } | Data::RampRows { seed, .. } => ramp(0, written as usize, seed),
        _ => Vec::new(),
    };
    v.resize(n as usize, T::default());
    v
}

/// Little-endian bytes of a slice of ramp-able values.
pub fn le_bytes<T: Ramp>(values: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(std::mem::size_of_val(values));
    for &v in values {
        v.extend_le(&mut out);
    }
    out
}
