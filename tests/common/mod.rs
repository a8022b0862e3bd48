//! Shared helpers for integration tests that check h5sink's files with real
//! HDF5 readers (the oracle harness in `tests/oracle/`).
//!
//! A test writes one or more HDF5 files with h5sink into [`out_dir`], describes
//! each with a [`Manifest`] (objects, dtypes, shapes and how the data was
//! generated), then calls [`run_oracles`] once for the directory: h5py, pyfive
//! and h5dump read every file back and compare it with the manifest and with
//! an h5py-written twin. Data is generated with [`ramp`] (numbers, `bool`,
//! [`F16`]) or [`ramp_bytes`] / [`values_bytes`] (any [`Dtype`]: enums,
//! fixed strings, compounds), which `tests/oracle/check.py` reproduces bit
//! for bit. Attributes: [`Manifest::root_attr`], [`Manifest::attr`]; dataset
//! options: [`Manifest::fill`], [`Manifest::compact`], and chunked layout:
//! [`Manifest::chunks`], [`Manifest::maxshape`], [`Manifest::shuffle`],
//! [`Manifest::deflate`], [`Manifest::fletcher32`].
//!
//! Use from a test file with `mod common;`. Not every test uses every helper.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

// ---------------------------------------------------------------- ramp data

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

/// An IEEE half-precision float, as its bits (manifest dtype "f16"); no
/// `half` crate: [`f16_bits`] converts.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Debug)]
pub struct F16(pub u16);

impl F16 {
    /// `v` rounded to the nearest f16 (ties to even), as numpy does.
    pub fn from_f64(v: f64) -> Self {
        F16(f16_bits(v))
    }
    /// The exact value.
    pub fn to_f64(self) -> f64 {
        f16_to_f64(self.0)
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

/// Bits of the IEEE binary16 value nearest to `v` (round half to even;
/// overflow to infinity; a NaN keeps its sign and the top 10 payload bits,
/// forced non-zero), exactly numpy's `np.float16(v)` for a Python float.
pub fn f16_bits(v: f64) -> u16 {
    let b = v.to_bits();
    let sign = ((b >> 48) & 0x8000) as u16;
    let exp = ((b >> 52) & 0x7ff) as i32;
    let man = b & ((1u64 << 52) - 1);
    if exp == 0x7ff {
        if man == 0 {
            return sign | 0x7c00;
        }
        let payload = (man >> 42) as u16;
        return sign | 0x7c00 | if payload == 0 { 1 } else { payload };
    }
    let e = exp - 1023; // unbiased exponent of a normal f64
    if e > 15 {
        return sign | 0x7c00;
    }
    // Round `full >> shift` to nearest, ties to even.
    let round = |full: u64, shift: u32| -> u32 {
        let q = (full >> shift) as u32;
        let rem = full & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        if rem > half || (rem == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    if e >= -14 {
        // Normal f16: 10 of the 52 mantissa bits; a carry may reach the
        // exponent (and infinity), which is the right result.
        let h = (((e + 15) as u32) << 10) + round(man, 42);
        return sign | h as u16;
    }
    if exp == 0 {
        return sign; // f64 zero or subnormal: far below f16's smallest subnormal
    }
    // f16 subnormal: units of 2^-24; value = full * 2^(e - 52).
    let full = (1u64 << 52) | man;
    let shift = (28 - e) as u32; // >= 43
    if shift > 53 {
        return sign; // below half the smallest subnormal
    }
    sign | round(full, shift) as u16
}

/// The exact value of f16 bits.
pub fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let man = f64::from(h & 0x3ff);
    sign * match exp {
        0 => man * 2f64.powi(-24),
        31 if man == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + man / 1024.0) * 2f64.powi(exp - 15),
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

// ---------------------------------------------------------------- dtypes

/// Manifest dtype name of variable-length UTF-8 strings.
pub const VLEN_STR: &str = "vlen_str";

/// Every dtype name the harness accepts ([`Dtype::Named`]).
pub const DTYPES: &[&str] = &[
    "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f16", "f32", "f64", "bool", VLEN_STR,
];

/// A manifest dtype (schema: `tests/oracle/README.md`).
#[derive(Clone, Debug, PartialEq)]
pub enum Dtype {
    /// One of [`DTYPES`]: "u8" ... "f64", "f16", "bool", "vlen_str".
    Named(&'static str),
    /// Null-padded ASCII string of this many bytes (numpy `S<n>`).
    FixedAscii(u32),
    /// Null-padded UTF-8 string of this many bytes (`string_dtype('utf-8', n)`).
    FixedUtf8(u32),
    /// Enumeration over an integer base ("u8" ... "i64"): (name, value) pairs.
    Enum {
        base: &'static str,
        members: Vec<(String, i64)>,
    },
    /// Packed struct: (name, dtype) members, offsets the running sum of sizes.
    Compound(Vec<(String, Dtype)>),
    /// Fixed-size array of a base type, row-major dims; only inside compounds.
    Array(Box<Dtype>, Vec<u64>),
}

impl From<&'static str> for Dtype {
    fn from(name: &'static str) -> Self {
        Dtype::Named(name)
    }
}

impl Dtype {
    /// `Dtype::Enum` from `&str` names.
    pub fn enumeration(base: &'static str, members: &[(&str, i64)]) -> Self {
        Dtype::Enum {
            base,
            members: members.iter().map(|&(n, v)| (n.to_string(), v)).collect(),
        }
    }

    /// `Dtype::Compound` from `&str` names.
    pub fn compound(members: &[(&str, Dtype)]) -> Self {
        Dtype::Compound(
            members
                .iter()
                .map(|(n, d)| (n.to_string(), d.clone()))
                .collect(),
        )
    }

    /// `Dtype::Array`.
    pub fn array(base: impl Into<Dtype>, dims: &[u64]) -> Self {
        Dtype::Array(Box::new(base.into()), dims.to_vec())
    }

    /// Bytes per element in the file (packed; a vlen string reference is 16).
    pub fn size(&self) -> usize {
        match self {
            Dtype::Named(n) => match *n {
                "u8" | "i8" | "bool" => 1,
                "u16" | "i16" | "f16" => 2,
                "u32" | "i32" | "f32" => 4,
                "u64" | "i64" | "f64" => 8,
                VLEN_STR => 16,
                other => panic!("unknown manifest dtype {other:?}"),
            },
            Dtype::FixedAscii(n) | Dtype::FixedUtf8(n) => *n as usize,
            Dtype::Enum { base, .. } => Dtype::Named(base).size(),
            Dtype::Compound(m) => m.iter().map(|(_, d)| d.size()).sum(),
            Dtype::Array(base, dims) => base.size() * dims.iter().product::<u64>() as usize,
        }
    }

    /// Leaves of one element: compound members depth-first, array elements
    /// expanded row-major; every other type is one leaf.
    pub fn leaf_count(&self) -> u64 {
        match self {
            Dtype::Compound(m) => m.iter().map(|(_, d)| d.leaf_count()).sum(),
            Dtype::Array(base, dims) => base.leaf_count() * dims.iter().product::<u64>(),
            _ => 1,
        }
    }

    /// Whether `Data::Ramp` can describe it (not strings).
    pub fn is_rampable(&self) -> bool {
        match self {
            Dtype::Named(n) => *n != VLEN_STR,
            Dtype::FixedAscii(_) | Dtype::FixedUtf8(_) => false,
            Dtype::Enum { .. } => true,
            Dtype::Compound(m) => m.iter().all(|(_, d)| d.is_rampable()),
            Dtype::Array(base, _) => base.is_rampable(),
        }
    }

    /// Whether `Data::Strings` can describe it.
    pub fn is_string(&self) -> bool {
        matches!(
            self,
            Dtype::Named(VLEN_STR) | Dtype::FixedAscii(_) | Dtype::FixedUtf8(_)
        )
    }

    fn is_vlen(&self) -> bool {
        *self == Dtype::Named(VLEN_STR)
    }

    /// Panics unless check.py would accept this dtype (`inner`: inside a
    /// compound or array).
    fn validate(&self, inner: bool) {
        match self {
            Dtype::Named(n) => {
                assert!(DTYPES.contains(n), "unknown manifest dtype {n:?}");
                assert!(
                    !(inner && *n == VLEN_STR),
                    "vlen_str inside a compound or array is not supported by the harness"
                );
            }
            Dtype::FixedAscii(n) | Dtype::FixedUtf8(n) => {
                assert!(*n >= 1, "fixed string of 0 bytes")
            }
            Dtype::Enum { base, members } => {
                let (lo, hi) = int_range(base);
                assert!(!members.is_empty(), "enum without members");
                for (k, (n, v)) in members.iter().enumerate() {
                    assert!(!n.is_empty(), "enum member without a name");
                    assert!(
                        (lo..=hi).contains(&i128::from(*v)),
                        "enum value {v} does not fit {base}"
                    );
                    assert!(
                        members[..k].iter().all(|(m, w)| m != n && w != v),
                        "enum member names and values must be unique"
                    );
                }
            }
            Dtype::Compound(m) => {
                assert!(!m.is_empty(), "compound without members");
                for (k, (n, d)) in m.iter().enumerate() {
                    assert!(!n.is_empty(), "compound member without a name");
                    assert!(
                        m[..k].iter().all(|(o, _)| o != n),
                        "compound member {n:?} twice"
                    );
                    d.validate(true);
                }
            }
            Dtype::Array(base, dims) => {
                assert!(inner, "an array dtype is only allowed inside a compound");
                assert!(
                    !dims.is_empty() && dims.iter().all(|&d| d >= 1),
                    "array dims"
                );
                assert!(!matches!(**base, Dtype::Array(..)), "array of arrays");
                base.validate(true);
            }
        }
    }

    /// Appends the manifest JSON of this dtype.
    pub fn write_json(&self, out: &mut String) {
        match self {
            Dtype::Named(n) => json_str(n, out),
            Dtype::FixedAscii(n) => {
                let _ = write!(out, "{{\"fixed_ascii\": {n}}}");
            }
            Dtype::FixedUtf8(n) => {
                let _ = write!(out, "{{\"fixed_utf8\": {n}}}");
            }
            Dtype::Enum { base, members } => {
                let _ = write!(out, "{{\"enum\": {{\"base\": \"{base}\", \"members\": [");
                for (k, (n, v)) in members.iter().enumerate() {
                    out.push_str(if k == 0 { "[" } else { ", [" });
                    json_str(n, out);
                    let _ = write!(out, ", {v}]");
                }
                out.push_str("]}}");
            }
            Dtype::Compound(m) => {
                out.push_str("{\"compound\": [");
                for (k, (n, d)) in m.iter().enumerate() {
                    out.push_str(if k == 0 { "[" } else { ", [" });
                    json_str(n, out);
                    out.push_str(", ");
                    d.write_json(out);
                    out.push(']');
                }
                out.push_str("]}");
            }
            Dtype::Array(base, dims) => {
                out.push_str("{\"array\": [");
                base.write_json(out);
                let _ = write!(out, ", {dims:?}]}}");
            }
        }
    }
}

fn int_range(name: &str) -> (i128, i128) {
    let bits: u32 = name[1..]
        .parse()
        .unwrap_or_else(|_| panic!("not an integer dtype: {name:?}"));
    match name.as_bytes()[0] {
        b'u' => (0, (1i128 << bits) - 1),
        b'i' => (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1),
        _ => panic!("not an integer dtype: {name:?}"),
    }
}

// ------------------------------------------------------------ JSON values

/// A JSON value for `Data::Values` elements and fill values: numbers,
/// booleans, strings (vlen and fixed strings, enum member names), arrays
/// (a compound record in member order, an array member as nested lists).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Bool(bool),
    /// Any integer of the integer dtypes (u64 and i64 alike).
    Int(i128),
    /// A float; NaN and the infinities are written as Python's json reads
    /// them (`NaN`, `Infinity`, `-Infinity`).
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
}

impl From<bool> for Json {
    fn from(v: bool) -> Self {
        Json::Bool(v)
    }
}
macro_rules! json_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Json {
            fn from(v: $t) -> Self {
                Json::Int(i128::from(v))
            }
        }
    )*};
}
json_int!(u8, i8, u16, i16, u32, i32, u64, i64);
impl From<f64> for Json {
    fn from(v: f64) -> Self {
        Json::Num(v)
    }
}
impl From<f32> for Json {
    fn from(v: f32) -> Self {
        Json::Num(f64::from(v))
    }
}
impl From<&str> for Json {
    fn from(v: &str) -> Self {
        Json::Str(v.to_string())
    }
}
impl From<String> for Json {
    fn from(v: String) -> Self {
        Json::Str(v)
    }
}
impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(v: Vec<T>) -> Self {
        Json::Arr(v.into_iter().map(Into::into).collect())
    }
}

impl Json {
    /// `Json::Arr` of anything convertible.
    pub fn arr<T: Into<Json>>(items: impl IntoIterator<Item = T>) -> Self {
        Json::Arr(items.into_iter().map(Into::into).collect())
    }

    /// Appends the JSON text.
    pub fn write_json(&self, out: &mut String) {
        match self {
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => {
                let _ = write!(out, "{i}");
            }
            // `{:?}` is the shortest text that reads back as the same f64,
            // and keeps "-0.0" and a '.' or exponent (so Python reads a float).
            Json::Num(f) if f.is_finite() => {
                let _ = write!(out, "{f:?}");
            }
            Json::Num(f) if f.is_nan() => out.push_str("NaN"),
            Json::Num(f) => out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" }),
            Json::Str(s) => json_str(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (k, v) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
        }
    }
}

// ------------------------------------------------------- generators (bytes)

/// Appends the raw file bytes (little-endian, packed) of the ramp element
/// whose leaves take the raw values from `xs` (leaf j of element i gets
/// `ramp_u64(i * L + j, seed)`, see [`ramp_bytes`]).
fn ramp_element(dtype: &Dtype, xs: &mut impl Iterator<Item = u64>, out: &mut Vec<u8>) {
    match dtype {
        Dtype::Compound(m) => m.iter().for_each(|(_, d)| ramp_element(d, xs, out)),
        Dtype::Array(base, dims) => {
            for _ in 0..dims.iter().product::<u64>() {
                ramp_element(base, xs, out);
            }
        }
        Dtype::Enum { base, members } => {
            let x = xs.next().unwrap();
            let v = members[(x % members.len() as u64) as usize].1;
            int_bytes(i128::from(v), base, out);
        }
        Dtype::Named(n) => {
            let x = xs.next().unwrap();
            match *n {
                "u8" | "i8" => out.push(x as u8),
                "u16" | "i16" => out.extend_from_slice(&(x as u16).to_le_bytes()),
                "u32" | "i32" => out.extend_from_slice(&(x as u32).to_le_bytes()),
                "u64" | "i64" => out.extend_from_slice(&x.to_le_bytes()),
                "f16" => F16::ramp(x).extend_le(out),
                "f32" => f32::ramp(x).extend_le(out),
                "f64" => f64::ramp(x).extend_le(out),
                "bool" => bool::ramp(x).extend_le(out),
                other => panic!("no ramp for dtype {other:?}"),
            }
        }
        other => panic!("no ramp for dtype {other:?} (strings need Data::Strings or Data::Values)"),
    }
}

/// Raw file bytes of ramp elements `start .. start + n` of any rampable
/// dtype (numbers, bool, f16, enums, compounds and arrays of them): leaf j
/// (depth-first, array elements row-major) of element i gets
/// `ramp_u64(i * L + j, seed)` cast to the leaf's type, L leaves per
/// element; an enum leaf is the value of member `x mod members`.
pub fn ramp_bytes(dtype: &Dtype, start: u64, n: usize, seed: u64) -> Vec<u8> {
    let leaves = dtype.leaf_count();
    let mut out = Vec::with_capacity(n * dtype.size());
    let mut xs = (start.wrapping_mul(leaves)..).map(|k| ramp_u64(k, seed));
    for _ in 0..n {
        ramp_element(dtype, &mut xs, &mut out);
    }
    out
}

fn int_bytes(v: i128, base: &str, out: &mut Vec<u8>) {
    let (lo, hi) = int_range(base);
    assert!((lo..=hi).contains(&v), "{v} does not fit {base}");
    let width = base[1..].parse::<usize>().unwrap() / 8;
    out.extend_from_slice(&(v as u128).to_le_bytes()[..width]);
}

fn json_f64(v: &Json) -> f64 {
    match v {
        Json::Num(f) => *f,
        Json::Int(i) => *i as f64, // rounds to nearest, like Python's float(int)
        other => panic!("{other:?} is not a number"),
    }
}

/// Appends the raw file bytes of one element given as JSON (as check.py's
/// `json_element` reads a "values" entry or a "fill").
pub fn element_bytes(dtype: &Dtype, v: &Json, out: &mut Vec<u8>) {
    match (dtype, v) {
        (Dtype::Named("bool"), Json::Bool(b)) => out.push(*b as u8),
        (Dtype::Named("f16"), v) => out.extend_from_slice(&f16_bits(json_f64(v)).to_le_bytes()),
        (Dtype::Named("f32"), v) => out.extend_from_slice(&(json_f64(v) as f32).to_le_bytes()),
        (Dtype::Named("f64"), v) => out.extend_from_slice(&json_f64(v).to_le_bytes()),
        (Dtype::Named(n), Json::Int(i)) if n.starts_with(['u', 'i']) => int_bytes(*i, n, out),
        (Dtype::FixedAscii(n) | Dtype::FixedUtf8(n), Json::Str(s)) => {
            let n = *n as usize;
            assert!(
                s.len() <= n,
                "{s:?} is {} UTF-8 bytes, more than {n}",
                s.len()
            );
            out.extend_from_slice(s.as_bytes());
            out.resize(out.len() + n - s.len(), 0);
        }
        (Dtype::Enum { base, members }, Json::Str(name)) => {
            let v = members
                .iter()
                .find(|(m, _)| m == name)
                .unwrap_or_else(|| panic!("{name:?} is not a member of {members:?}"))
                .1;
            int_bytes(i128::from(v), base, out);
        }
        (Dtype::Enum { base, .. }, Json::Int(i)) => int_bytes(*i, base, out),
        (Dtype::Compound(m), Json::Arr(items)) => {
            assert_eq!(m.len(), items.len(), "record {items:?} for {m:?}");
            for ((_, d), x) in m.iter().zip(items) {
                element_bytes(d, x, out);
            }
        }
        (Dtype::Array(base, dims), v) => nested_bytes(base, dims, v, out),
        (d, v) => panic!("{v:?} is not an element of {d:?}"),
    }
}

fn nested_bytes(base: &Dtype, dims: &[u64], v: &Json, out: &mut Vec<u8>) {
    match v {
        Json::Arr(items) if items.len() as u64 == dims[0] => {
            for x in items {
                if dims.len() == 1 {
                    element_bytes(base, x, out);
                } else {
                    nested_bytes(base, &dims[1..], x, out);
                }
            }
        }
        other => panic!("{other:?} is not an array of dims {dims:?}"),
    }
}

/// Raw file bytes of elements given as JSON.
pub fn values_bytes(dtype: &Dtype, values: &[Json]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * dtype.size());
    for v in values {
        element_bytes(dtype, v, &mut out);
    }
    out
}

/// The full row-major raw contents (file format: little-endian, packed) a
/// dataset of any non-vlen dtype must read back as: the written elements of
/// `data`, then the fill value (zeros without one) for the rest.
pub fn expected_bytes(dtype: &Dtype, shape: &[u64], data: &Data, fill: Option<&Json>) -> Vec<u8> {
    assert!(
        !dtype.is_vlen(),
        "expected_bytes for vlen_str; use expected_strings"
    );
    let n: u64 = shape.iter().product();
    let written = data.written(shape) as usize;
    let mut out = match data {
        Data::Null => Vec::new(),
        Data::Ramp { seed } | Data::RampRows { seed, .. } => ramp_bytes(dtype, 0, written, *seed),
        Data::Strings(s) => values_bytes(
            dtype,
            &s.iter().map(|s| Json::from(s.as_str())).collect::<Vec<_>>(),
        ),
        Data::Values(v) | Data::ValuesRows { values: v, .. } => values_bytes(dtype, v),
    };
    let one = match fill {
        Some(f) => values_bytes(dtype, std::slice::from_ref(f)),
        None => vec![0; dtype.size()],
    };
    for _ in written as u64..n {
        out.extend_from_slice(&one);
    }
    out
}

/// The full row-major contents of a vlen_str dataset (never written: "").
pub fn expected_strings(shape: &[u64], data: &Data) -> Vec<String> {
    let n: u64 = shape.iter().product();
    let mut out: Vec<String> = match data {
        Data::Null => Vec::new(),
        Data::Strings(s) => s.clone(),
        Data::Values(v) | Data::ValuesRows { values: v, .. } => v
            .iter()
            .map(|x| match x {
                Json::Str(s) => s.clone(),
                other => panic!("{other:?} is not a string"),
            })
            .collect(),
        other => panic!("{other:?} for a vlen_str dataset"),
    };
    out.resize(n as usize, String::new());
    out
}

// ---------------------------------------------------------------- manifests

/// What a dataset (or attribute) holds, as far as the oracles need to know.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// Every element is `ramp` of its flat index (compounds: of their
    /// leaves, see [`ramp_bytes`]).
    Ramp { seed: u64 },
    /// Only rows `[0, rows_written)` (first dimension) were written, with
    /// ramp values of their flat index in the whole array; the rest read as
    /// the fill value (0 without one). Datasets only.
    RampRows { seed: u64, rows_written: u64 },
    /// Strings (vlen or fixed-length), row-major, one per element.
    Strings(Vec<String>),
    /// Explicit elements, row-major, one per element (any dtype).
    Values(Vec<Json>),
    /// Explicit elements of rows `[0, rows_written)` only; the rest read as
    /// the fill value. Datasets only.
    ValuesRows {
        values: Vec<Json>,
        rows_written: u64,
    },
    /// Never written: reads as the fill value, or zeros / empty strings.
    /// Datasets only.
    Null,
}

impl Data {
    /// How many elements (row-major from the first) were written.
    pub fn written(&self, shape: &[u64]) -> u64 {
        let n: u64 = shape.iter().product();
        let row: u64 = shape.iter().skip(1).product();
        match self {
            Data::Null => 0,
            Data::RampRows { rows_written, .. } | Data::ValuesRows { rows_written, .. } => {
                rows_written * row
            }
            _ => n,
        }
    }

    fn rows_written(&self) -> Option<u64> {
        match self {
            Data::RampRows { rows_written, .. } | Data::ValuesRows { rows_written, .. } => {
                Some(*rows_written)
            }
            _ => None,
        }
    }

    /// Panics unless check.py would accept `self` for this dtype and shape.
    fn validate(&self, dtype: &Dtype, shape: &[u64], what: &str) {
        if let Some(r) = self.rows_written() {
            assert!(
                !shape.is_empty() && r <= shape[0],
                "{what}: rows_written {r} out of range for shape {shape:?}"
            );
        }
        let k = self.written(shape);
        match self {
            Data::Ramp { .. } | Data::RampRows { .. } => assert!(
                dtype.is_rampable(),
                "{what}: no ramp for {dtype:?} (use Data::Strings or Data::Values)"
            ),
            Data::Strings(s) => {
                assert!(dtype.is_string(), "{what}: string data for {dtype:?}");
                assert_eq!(
                    s.len() as u64,
                    k,
                    "{what}: {} strings for {k} elements",
                    s.len()
                );
            }
            Data::Values(v) | Data::ValuesRows { values: v, .. } => {
                assert_eq!(
                    v.len() as u64,
                    k,
                    "{what}: {} values for {k} elements",
                    v.len()
                );
                if !dtype.is_vlen() {
                    values_bytes(dtype, v); // panics on an invalid element
                }
            }
            Data::Null => {}
        }
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Data::Ramp { seed } => {
                let _ = write!(out, "{{\"gen\": \"ramp\", \"seed\": {seed}}}");
            }
            Data::RampRows { seed, rows_written } => {
                let _ = write!(
                    out,
                    "{{\"gen\": \"ramp\", \"seed\": {seed}, \"rows_written\": {rows_written}}}"
                );
            }
            Data::Strings(strings) => {
                out.push_str("{\"strings\": [");
                for (i, s) in strings.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    json_str(s, out);
                }
                out.push_str("]}");
            }
            Data::Values(values) | Data::ValuesRows { values, .. } => {
                out.push_str("{\"values\": ");
                Json::Arr(values.clone()).write_json(out);
                if let Some(r) = self.rows_written() {
                    let _ = write!(out, ", \"rows_written\": {r}");
                }
                out.push('}');
            }
            Data::Null => out.push_str("null"),
        }
    }
}

/// One attribute of the root group, a group or a dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub name: String,
    pub dtype: Dtype,
    /// `[]` is a scalar.
    pub shape: Vec<u64>,
    /// `Ramp`, `Strings` or `Values` (an attribute always holds a value).
    pub data: Data,
}

impl Attr {
    fn write_json(&self, out: &mut String) {
        out.push_str("{\"name\": ");
        json_str(&self.name, out);
        out.push_str(", \"dtype\": ");
        self.dtype.write_json(out);
        let _ = write!(out, ", \"shape\": {:?}, \"data\": ", self.shape);
        self.data.write_json(out);
        out.push('}');
    }

    /// What it must read back as: raw bytes, or (len u32 LE, UTF-8) records
    /// for vlen strings (the crosscheck format).
    pub fn expected_bytes(&self) -> Vec<u8> {
        if self.dtype.is_vlen() {
            strings_bytes(&expected_strings(&self.shape, &self.data))
        } else {
            expected_bytes(&self.dtype, &self.shape, &self.data, None)
        }
    }
}

/// (u32 LE byte length, UTF-8 bytes) per string.
pub fn strings_bytes(strings: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in strings {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out
}

/// Chunked layout of a dataset: the manifest keys `chunks`, `maxshape` and
/// `filters` (see [`Manifest::chunks`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Storage {
    /// The chunk shape; `None`: not chunked.
    pub chunks: Option<Vec<u64>>,
    /// Per dimension the maximum size, `None` = unlimited; `None` here:
    /// the shape (not written to the manifest).
    pub maxshape: Option<Vec<Option<u64>>>,
    pub shuffle: bool,
    /// The gzip level, 0..=9.
    pub deflate: Option<u32>,
    pub fletcher32: bool,
}

impl Storage {
    fn has_filters(&self) -> bool {
        self.shuffle || self.deflate.is_some() || self.fletcher32
    }

    /// Panics unless check.py would accept these options for a dataset of
    /// `shape` (`compact`: the dataset also asked for compact layout).
    fn validate(&self, path: &str, shape: &[u64], compact: bool) {
        let rank = shape.len();
        let maxshape: Vec<Option<u64>> = match &self.maxshape {
            Some(m) => {
                assert_eq!(m.len(), rank, "{path}: maxshape {m:?} for shape {shape:?}");
                for (i, (&d, &mx)) in shape.iter().zip(m).enumerate() {
                    assert!(
                        mx.map_or(true, |mx| mx >= d),
                        "{path}: maxshape {m:?} is below shape {shape:?} in dimension {i}"
                    );
                }
                m.clone()
            }
            None => shape.iter().map(|&d| Some(d)).collect(),
        };
        match &self.chunks {
            Some(c) => {
                assert!(!compact, "{path}: chunked and compact at once");
                assert!(rank > 0, "{path}: a scalar dataset cannot be chunked");
                assert_eq!(c.len(), rank, "{path}: chunks {c:?} for shape {shape:?}");
                for (i, (&c_i, &mx)) in c.iter().zip(&maxshape).enumerate() {
                    assert!(c_i >= 1, "{path}: chunk dimension {i} is 0");
                    assert!(
                        mx.map_or(true, |mx| c_i <= mx),
                        "{path}: chunk dimension {i} ({c_i}) exceeds the fixed maximum \
                         {mx:?} (libhdf5 refuses it)"
                    );
                }
                assert!(
                    c.iter().map(|&x| u128::from(x)).product::<u128>() < 1 << 32,
                    "{path}: a chunk must hold fewer than 2^32 elements"
                );
            }
            None => {
                assert!(
                    maxshape.iter().zip(shape).all(|(&mx, &d)| mx == Some(d)),
                    "{path}: maxshape other than the shape needs chunks()"
                );
                assert!(!self.has_filters(), "{path}: filters need chunks()");
            }
        }
    }

    /// Appends `, "chunks": [..], "maxshape": [..], "filters": {..}` (what is
    /// set; filters in h5py's pipeline order).
    fn write_json(&self, out: &mut String) {
        if let Some(c) = &self.chunks {
            let _ = write!(out, ", \"chunks\": {c:?}");
        }
        if let Some(m) = &self.maxshape {
            out.push_str(", \"maxshape\": [");
            for (k, d) in m.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                match d {
                    Some(d) => {
                        let _ = write!(out, "{d}");
                    }
                    None => out.push_str("null"),
                }
            }
            out.push(']');
        }
        if self.has_filters() {
            let mut items = Vec::new();
            if self.shuffle {
                items.push("\"shuffle\": true".to_string());
            }
            if let Some(level) = self.deflate {
                items.push(format!("\"deflate\": {level}"));
            }
            if self.fletcher32 {
                items.push("\"fletcher32\": true".to_string());
            }
            let _ = write!(out, ", \"filters\": {{{}}}", items.join(", "));
        }
    }
}

#[derive(Clone, Debug)]
enum Object {
    Group {
        path: String,
        attrs: Vec<Attr>,
    },
    Dataset {
        path: String,
        dtype: Dtype,
        shape: Vec<u64>,
        data: Data,
        fill: Option<Json>,
        compact: bool,
        storage: Storage,
        attrs: Vec<Attr>,
    },
}

impl Object {
    fn path(&self) -> &str {
        match self {
            Object::Group { path, .. } | Object::Dataset { path, .. } => path,
        }
    }
    fn attrs_mut(&mut self) -> &mut Vec<Attr> {
        match self {
            Object::Group { attrs, .. } | Object::Dataset { attrs, .. } => attrs,
        }
    }
}

fn check_attr(attrs: &[Attr], a: &Attr, owner: &str) {
    assert!(!a.name.is_empty(), "attribute without a name on {owner:?}");
    assert!(
        attrs.iter().all(|b| b.name != a.name),
        "attribute {:?} twice on {owner:?}",
        a.name
    );
    assert!(
        !matches!(
            a.data,
            Data::Null | Data::RampRows { .. } | Data::ValuesRows { .. }
        ),
        "attribute {:?}: an attribute always holds a full value",
        a.name
    );
    a.dtype.validate(false);
    a.data.validate(&a.dtype, &a.shape, &a.name);
}

/// Describes one HDF5 file for `tests/oracle/check.py` (schema: see
/// `tests/oracle/README.md`). Paths are relative to the root group, without
/// a leading '/', and every group (root excluded) must be listed before its
/// members -- list everything in the file, in creation order.
#[derive(Clone, Debug)]
pub struct Manifest {
    name: String,
    file: String,
    twin: bool,
    root_attrs: Vec<Attr>,
    objects: Vec<Object>,
}

impl Manifest {
    /// A scenario called `name` (unique within its directory), whose file is
    /// `<name>.h5` beside the manifest.
    pub fn new(name: &str) -> Self {
        Manifest {
            name: name.to_string(),
            file: format!("{name}.h5"),
            twin: true,
            root_attrs: Vec::new(),
            objects: Vec::new(),
        }
    }

    /// Scenario name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the HDF5 file of this scenario must be written.
    pub fn h5_path(&self, dir: &Path) -> PathBuf {
        dir.join(&self.file)
    }

    /// Adds a group.
    pub fn group(&mut self, path: &str) -> &mut Self {
        self.objects.push(Object::Group {
            path: path.to_string(),
            attrs: Vec::new(),
        });
        self
    }

    /// Adds a dataset; `dtype` is a [`Dtype`] or one of the names in
    /// [`DTYPES`]; `shape` `[]` is a scalar (its final shape, for a dataset
    /// that was resized or appended to). Options for the dataset just added:
    /// [`Manifest::fill`], [`Manifest::compact`], [`Manifest::chunks`] and
    /// the other chunked-layout options.
    pub fn dataset(
        &mut self,
        path: &str,
        dtype: impl Into<Dtype>,
        shape: &[u64],
        data: Data,
    ) -> &mut Self {
        let dtype = dtype.into();
        dtype.validate(false);
        data.validate(&dtype, shape, path);
        self.objects.push(Object::Dataset {
            path: path.to_string(),
            dtype,
            shape: shape.to_vec(),
            data,
            fill: None,
            compact: false,
            storage: Storage::default(),
            attrs: Vec::new(),
        });
        self
    }

    /// [`Manifest::dataset`] with the dtype taken from the element type.
    pub fn dataset_of<T: Ramp>(&mut self, path: &str, shape: &[u64], data: Data) -> &mut Self {
        self.dataset(path, T::DTYPE, shape, data)
    }

    fn last_dataset(&mut self) -> (&Dtype, &mut Option<Json>, &mut bool) {
        match self.objects.last_mut() {
            Some(Object::Dataset {
                dtype,
                fill,
                compact,
                ..
            }) => (dtype, fill, compact),
            _ => panic!("fill() / compact() apply to the dataset added last"),
        }
    }

    fn last_storage(&mut self, what: &str) -> (&[u64], &mut Storage) {
        match self.objects.last_mut() {
            Some(Object::Dataset { shape, storage, .. }) => (shape, storage),
            _ => panic!("{what}() applies to the dataset added last"),
        }
    }

    /// Gives the dataset added last the chunked layout with this chunk shape
    /// (one entry per dimension, each at least 1; a chunk may reach past the
    /// shape, not past a fixed maximum). The twin passes `chunks=`.
    pub fn chunks(&mut self, chunks: &[u64]) -> &mut Self {
        let (shape, storage) = self.last_storage("chunks");
        assert_eq!(
            chunks.len(),
            shape.len(),
            "chunks {chunks:?} for shape {shape:?}"
        );
        assert!(
            chunks.iter().all(|&c| c >= 1),
            "chunks {chunks:?}: every dimension >= 1"
        );
        storage.chunks = Some(chunks.to_vec());
        self
    }

    /// The maximum shape of the dataset added last (`None` = unlimited);
    /// needs [`Manifest::chunks`] unless it equals the shape. A dataset that
    /// was grown (resize / append) is described by its final shape and this.
    pub fn maxshape(&mut self, maxshape: &[Option<u64>]) -> &mut Self {
        let (shape, storage) = self.last_storage("maxshape");
        assert_eq!(
            maxshape.len(),
            shape.len(),
            "maxshape {maxshape:?} for shape {shape:?}"
        );
        storage.maxshape = Some(maxshape.to_vec());
        self
    }

    /// Gzip (deflate) at `level` (0..=9) in the filter pipeline of the
    /// (chunked) dataset added last.
    pub fn deflate(&mut self, level: u32) -> &mut Self {
        assert!(level <= 9, "deflate level {level} (0..=9)");
        self.last_storage("deflate").1.deflate = Some(level);
        self
    }

    /// The shuffle filter in the pipeline of the (chunked) dataset added
    /// last (before deflate, as h5py orders them).
    pub fn shuffle(&mut self) -> &mut Self {
        self.last_storage("shuffle").1.shuffle = true;
        self
    }

    /// The Fletcher-32 checksum filter in the pipeline of the (chunked)
    /// dataset added last (last in the pipeline, as h5py orders it).
    pub fn fletcher32(&mut self) -> &mut Self {
        self.last_storage("fletcher32").1.fletcher32 = true;
        self
    }

    /// Gives the dataset added last a user fill value (numbers, bool as 0 /
    /// 1, an enum's integer value); its unwritten elements read as it. Other
    /// dtypes: [`Manifest::fill_value`].
    pub fn fill(&mut self, value: f64) -> &mut Self {
        let (dtype, _, _) = self.last_dataset();
        let v = match dtype {
            Dtype::Named("f16" | "f32" | "f64") => Json::Num(value),
            Dtype::Named("bool") => {
                assert!(value == 0.0 || value == 1.0, "bool fill {value}");
                Json::Bool(value == 1.0)
            }
            Dtype::Named(n) if n.starts_with(['u', 'i']) => {
                assert!(value.fract() == 0.0, "integer fill {value}");
                Json::Int(value as i128)
            }
            Dtype::Enum { .. } => {
                assert!(value.fract() == 0.0, "enum fill {value}");
                Json::Int(value as i128)
            }
            other => panic!("fill({value}) for {other:?}; use fill_value"),
        };
        self.fill_value(v)
    }

    /// Gives the dataset added last a user fill value, as one JSON element
    /// (any dtype but vlen_str).
    pub fn fill_value(&mut self, value: Json) -> &mut Self {
        let (dtype, fill, _) = self.last_dataset();
        assert!(!dtype.is_vlen(), "no fill value for vlen_str");
        values_bytes(dtype, std::slice::from_ref(&value)); // panics if invalid
        *fill = Some(value);
        self
    }

    /// Gives the dataset added last the compact layout (data in the object
    /// header).
    pub fn compact(&mut self) -> &mut Self {
        *self.last_dataset().2 = true;
        self
    }

    /// Adds an attribute to the root group.
    pub fn root_attr(
        &mut self,
        name: &str,
        dtype: impl Into<Dtype>,
        shape: &[u64],
        data: Data,
    ) -> &mut Self {
        self.attr("", name, dtype, shape, data)
    }

    /// Adds an attribute to the group or dataset `obj_path` (listed before;
    /// `""` is the root group).
    pub fn attr(
        &mut self,
        obj_path: &str,
        name: &str,
        dtype: impl Into<Dtype>,
        shape: &[u64],
        data: Data,
    ) -> &mut Self {
        let a = Attr {
            name: name.to_string(),
            dtype: dtype.into(),
            shape: shape.to_vec(),
            data,
        };
        let attrs = if obj_path.is_empty() {
            &mut self.root_attrs
        } else {
            self.objects
                .iter_mut()
                .find(|o| o.path() == obj_path)
                .unwrap_or_else(|| panic!("attribute {name:?} of {obj_path:?}: no such object yet"))
                .attrs_mut()
        };
        check_attr(attrs, &a, obj_path);
        attrs.push(a);
        self
    }

    /// Skips the h5py-twin comparison for this scenario (the other oracles
    /// still run). Use when h5sink deliberately lays the file out differently
    /// from h5py's defaults.
    pub fn no_twin(&mut self) -> &mut Self {
        self.twin = false;
        self
    }

    /// The manifest as JSON text.
    pub fn to_json(&self) -> String {
        let mut j = String::from("{\n  \"name\": ");
        json_str(&self.name, &mut j);
        j.push_str(",\n  \"file\": ");
        json_str(&self.file, &mut j);
        let _ = write!(j, ",\n  \"twin\": {},", self.twin);
        if !self.root_attrs.is_empty() {
            j.push_str("\n  \"root_attrs\": ");
            write_attrs(&self.root_attrs, &mut j);
            j.push(',');
        }
        j.push_str("\n  \"objects\": [");
        for (k, o) in self.objects.iter().enumerate() {
            j.push_str(if k == 0 { "\n    " } else { ",\n    " });
            j.push_str("{\"path\": ");
            json_str(o.path(), &mut j);
            match o {
                Object::Group { attrs, .. } => {
                    j.push_str(", \"kind\": \"group\"");
                    if !attrs.is_empty() {
                        j.push_str(", \"attrs\": ");
                        write_attrs(attrs, &mut j);
                    }
                }
                Object::Dataset {
                    path,
                    dtype,
                    shape,
                    data,
                    fill,
                    compact,
                    storage,
                    attrs,
                } => {
                    storage.validate(path, shape, *compact);
                    j.push_str(", \"kind\": \"dataset\", \"dtype\": ");
                    dtype.write_json(&mut j);
                    let _ = write!(j, ", \"shape\": {shape:?}, \"data\": ");
                    data.write_json(&mut j);
                    if let Some(f) = fill {
                        j.push_str(", \"fill\": ");
                        f.write_json(&mut j);
                    }
                    if *compact {
                        j.push_str(", \"layout\": \"compact\"");
                    }
                    storage.write_json(&mut j);
                    if !attrs.is_empty() {
                        j.push_str(", \"attrs\": ");
                        write_attrs(attrs, &mut j);
                    }
                }
            }
            j.push('}');
        }
        j.push_str("\n  ]\n}\n");
        j
    }

    /// Writes `<dir>/<name>.json`; returns its path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        let path = dir.join(format!("{}.json", self.name));
        std::fs::write(&path, self.to_json())
            .unwrap_or_else(|e| panic!("cannot write manifest {}: {e}", path.display()));
        path
    }

    /// Writes what the Rust generators say every dataset and attribute
    /// holds, for `tests/oracle/crosscheck.py`: `<dir>/<name>.expect/<k>.bin`
    /// for the k-th object when it is a dataset, `<k>.attr<j>.bin` for its
    /// j-th attribute, `root.attr<j>.bin` for the root's; raw file bytes,
    /// vlen strings as (u32 LE length, UTF-8) records.
    pub fn write_expect(&self, dir: &Path) {
        let edir = dir.join(format!("{}.expect", self.name));
        std::fs::create_dir_all(&edir).unwrap();
        let put = |file: String, bytes: Vec<u8>| std::fs::write(edir.join(file), bytes).unwrap();
        for (j, a) in self.root_attrs.iter().enumerate() {
            put(format!("root.attr{j}.bin"), a.expected_bytes());
        }
        for (k, o) in self.objects.iter().enumerate() {
            let attrs = match o {
                Object::Group { attrs, .. } => attrs,
                Object::Dataset {
                    dtype,
                    shape,
                    data,
                    fill,
                    attrs,
                    ..
                } => {
                    let bytes = if dtype.is_vlen() {
                        strings_bytes(&expected_strings(shape, data))
                    } else {
                        expected_bytes(dtype, shape, data, fill.as_ref())
                    };
                    put(format!("{k}.bin"), bytes);
                    attrs
                }
            };
            for (j, a) in attrs.iter().enumerate() {
                put(format!("{k}.attr{j}.bin"), a.expected_bytes());
            }
        }
    }
}

fn write_attrs(attrs: &[Attr], out: &mut String) {
    out.push('[');
    for (k, a) in attrs.iter().enumerate() {
        out.push_str(if k == 0 { "\n      " } else { ",\n      " });
        a.write_json(out);
    }
    out.push(']');
}

/// Appends `s` as a JSON string literal: `"` and `\` are escaped, control
/// characters become `\u00XX`, everything else (non-ASCII too) is raw UTF-8.
pub fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ------------------------------------------------------------------ running

/// Root of the h5sink repository.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty `target/oracle-out/<test_name>` (honours CARGO_TARGET_DIR).
pub fn out_dir(test_name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_relative() {
                repo_root().join(p)
            } else {
                p
            }
        })
        .unwrap_or_else(|| repo_root().join("target"));
    let dir = target.join("oracle-out").join(test_name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot clear {}: {e}", dir.display()));
    }
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The Python interpreter: $H5SINK_PYTHON, else `python3` from PATH.
fn python() -> String {
    std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Runs `python3 <repo>/<script> <args...>`, prints its output, and panics
/// unless it exits 0. Exit status 3 means an oracle is missing: that is a
/// test failure too, never a skip.
pub fn run_python_script(script: &str, args: &[&std::ffi::OsStr]) {
    let script_path = repo_root().join(script);
    let out = Command::new(python())
        .arg(&script_path)
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} {}: {e}. Run scripts/test.sh, which installs the oracles.",
                python(),
                script
            )
        });
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    match out.status.code() {
        Some(0) => {}
        Some(3) => panic!(
            "{script}: HDF5 oracles missing (h5py, numpy, pyfive or h5dump; see above). \
             Run scripts/test.sh, which installs them."
        ),
        code => panic!("{script} failed (exit status {code:?}); see its output above"),
    }
}

/// Checks every manifest in `dir` with h5py, pyfive, h5dump and an h5py twin
/// (one Python process for the whole directory); panics on any failure.
pub fn run_oracles(dir: &Path) {
    run_python_script("tests/oracle/check.py", &[dir.as_os_str()]);
}

// ------------------------------------------- generators vs. check.py (test)

/// Manifests (and their `.expect` files, see [`Manifest::write_expect`])
/// covering every generator and manifest feature: attributes everywhere,
/// every dtype, ramp / strings / values / null, rows_written, fill values,
/// compact and chunked layout (chunks, maxshape, filters), JSON escaping in
/// names. `tests/oracle/crosscheck.py DIR`
/// recomputes every expected byte with check.py and compares.
pub fn write_generator_scenarios(dir: &Path) {
    let color = Dtype::enumeration("i8", &[("RED", 0), ("GREEN", 1), ("BLUE", 2)]);
    let e_u64 = Dtype::enumeration("u64", &[("A", 0), ("B", i64::MAX), ("C", 7)]);
    let e_i16 = Dtype::enumeration("i16", &[("LO", -32768), ("HI", 32767), ("Z", 0)]);
    let inner = Dtype::compound(&[("a", "u8".into()), ("b", "i16".into())]);
    let record = Dtype::compound(&[
        ("x", "f32".into()),
        ("y", "f32".into()),
        ("label", "i64".into()),
        ("hist", Dtype::array("f32", &[4])),
        ("inner", inner.clone()),
    ]);
    let everything = Dtype::compound(&[
        ("u8", "u8".into()),
        ("i16", "i16".into()),
        ("u32", "u32".into()),
        ("i64", "i64".into()),
        ("u64", "u64".into()),
        ("f16", "f16".into()),
        ("f32", "f32".into()),
        ("f64", "f64".into()),
        ("ok", "bool".into()),
        ("color", color.clone()),
        ("big", e_u64.clone()),
        ("m", Dtype::array("i16", &[2, 3])),
        ("pts", Dtype::array(inner.clone(), &[2])),
        ("flags", Dtype::array("bool", &[3])),
        (
            "deep",
            Dtype::compound(&[("e", e_i16.clone()), ("r", record.clone())]),
        ),
    ]);
    let strings = Dtype::compound(&[
        ("tag", Dtype::FixedAscii(3)),
        ("utag", Dtype::FixedUtf8(6)),
        ("n", "u16".into()),
    ]);

    // Every rampable dtype, full / partial / null / scalar / wrapping seeds.
    let mut m = Manifest::new("ramps");
    m.group("g");
    let rampable: Vec<(&str, Dtype)> = vec![
        ("bool", "bool".into()),
        ("f16", "f16".into()),
        ("f32", "f32".into()),
        ("i8", "i8".into()),
        ("u64", "u64".into()),
        ("color", color.clone()),
        ("e_u64", e_u64.clone()),
        ("e_i16", e_i16.clone()),
        ("record", record.clone()),
        ("everything", everything.clone()),
    ];
    for (name, dt) in &rampable {
        m.dataset(
            &format!("g/{name}"),
            dt.clone(),
            &[7, 3],
            Data::Ramp { seed: 3 },
        );
        m.dataset(
            &format!("g/{name}_wrap"),
            dt.clone(),
            &[50],
            Data::Ramp { seed: u64::MAX - 5 },
        );
        m.dataset(
            &format!("g/{name}_hi"),
            dt.clone(),
            &[],
            Data::Ramp { seed: 1 << 63 },
        );
        m.dataset(
            &format!("g/{name}_rows"),
            dt.clone(),
            &[5, 2],
            Data::RampRows {
                seed: 9,
                rows_written: 2,
            },
        );
        m.dataset(&format!("g/{name}_null"), dt.clone(), &[3], Data::Null);
    }
    m.dataset("f16_long", "f16", &[5000], Data::Ramp { seed: 0 });
    m.write(dir);
    m.write_expect(dir);

    // Explicit values, including f16 rounding: every value below is checked
    // against numpy's float16 conversion.
    let mut m = Manifest::new("values");
    let mut tricky = vec![
        0.1,
        65504.0,
        65519.0,
        65520.0,
        1e-8,
        6e-8,
        -0.0,
        2.980_232_238_769_531_2e-8,
        8.940_696_716_308_594e-8,
        1.0,
        -2.5,
        1e300,
        -1e300,
        6.097_555_160_522_461e-5,
        6.103_515_625e-5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        5e-324,
    ];
    // Exact midpoints between neighbouring f16 values (ties to even) and
    // their f64 neighbours, over the whole range.
    for h in (0u16..0x7c00).step_by(97) {
        let (a, b) = (f16_to_f64(h), f16_to_f64(h + 1));
        let mid = (a + b) / 2.0;
        tricky.extend([
            mid,
            f64::from_bits(mid.to_bits() + 1),
            f64::from_bits(mid.to_bits() - 1),
            -mid,
        ]);
    }
    m.dataset(
        "f16",
        "f16",
        &[tricky.len() as u64],
        Data::Values(tricky.iter().map(|&v| Json::Num(v)).collect()),
    );
    m.dataset(
        "f32",
        "f32",
        &[tricky.len() as u64],
        Data::Values(tricky.iter().map(|&v| Json::Num(v)).collect()),
    );
    m.dataset(
        "f64",
        "f64",
        &[tricky.len() as u64],
        Data::Values(tricky.iter().map(|&v| Json::Num(v)).collect()),
    );
    m.dataset(
        "ints",
        "i64",
        &[4],
        Data::Values(vec![
            i64::MIN.into(),
            i64::MAX.into(),
            (-1i64).into(),
            0i64.into(),
        ]),
    );
    m.dataset(
        "u64",
        "u64",
        &[2],
        Data::Values(vec![u64::MAX.into(), (1u64 << 63).into()]),
    );
    m.dataset(
        "int_as_f16",
        "f16",
        &[2],
        Data::Values(vec![Json::Int(65519), Json::Int(-3)]),
    );
    m.dataset(
        "bool",
        "bool",
        &[3],
        Data::Values(vec![true.into(), false.into(), true.into()]),
    );
    m.dataset(
        "color",
        color.clone(),
        &[3],
        Data::Values(vec!["BLUE".into(), 0i8.into(), "GREEN".into()]),
    );
    m.dataset(
        "ascii",
        Dtype::FixedAscii(4),
        &[3],
        Data::Strings(vec!["".into(), "abcd".into(), "x\"\\".into()]),
    );
    m.dataset(
        "utf8",
        Dtype::FixedUtf8(7),
        &[2, 1],
        Data::Values(vec!["ü€".into(), "漢字".into()]),
    );
    m.dataset(
        "vlen",
        VLEN_STR,
        &[3],
        Data::ValuesRows {
            values: vec!["a\u{1}".into(), "ß".into()],
            rows_written: 2,
        },
    );
    let rec = |x: f32, l: i64| {
        Json::arr([
            Json::from(x),
            Json::from(-x),
            Json::from(l),
            Json::arr([0.5, 1.5, 2.5, 3.5]),
            Json::arr([Json::from(255u8), Json::from(-7i16)]),
        ])
    };
    m.dataset(
        "record",
        record.clone(),
        &[2],
        Data::Values(vec![rec(1.25, -3), rec(0.1, i64::MAX)]),
    );
    m.dataset(
        "record_rows",
        record.clone(),
        &[3],
        Data::ValuesRows {
            values: vec![rec(2.0, 1)],
            rows_written: 1,
        },
    );
    m.fill_value(rec(-1.0, 42));
    m.dataset(
        "strings",
        strings.clone(),
        &[2],
        Data::Values(vec![
            Json::arr([Json::from("ab"), Json::from("ü€"), Json::from(7u16)]),
            Json::arr([Json::from(""), Json::from(""), Json::from(0u16)]),
        ]),
    );
    m.write(dir);
    m.write_expect(dir);

    // Fill values and compact layout.
    let mut m = Manifest::new("fill_compact");
    m.dataset(
        "i32",
        "i32",
        &[4, 2],
        Data::RampRows {
            seed: 1,
            rows_written: 1,
        },
    )
    .fill(-7.0);
    m.dataset("u64", "u64", &[3], Data::Null)
        .fill_value(u64::MAX.into());
    m.dataset("f16", "f16", &[3], Data::Null).fill(0.1);
    m.dataset("f32", "f32", &[3], Data::Null)
        .fill(-1.5)
        .compact();
    m.dataset("bool", "bool", &[2], Data::Null).fill(1.0);
    m.dataset(
        "color",
        color.clone(),
        &[4],
        Data::RampRows {
            seed: 2,
            rows_written: 3,
        },
    )
    .fill(2.0);
    m.dataset("color_name", color.clone(), &[2], Data::Null)
        .fill_value("GREEN".into());
    m.dataset("ascii", Dtype::FixedAscii(3), &[2], Data::Null)
        .fill_value("zz".into());
    m.dataset(
        "everything",
        everything.clone(),
        &[2],
        Data::Ramp { seed: 5 },
    )
    .compact();
    m.dataset("scalar", "i16", &[], Data::Null)
        .fill(-1.0)
        .compact();
    m.dataset("plain", "u8", &[2], Data::Null).compact();
    m.write(dir);
    m.write_expect(dir);

    // Chunked layout: chunk shapes, maxshape (unlimited, fixed, grown),
    // every filter, fill values and partial writes in chunks.
    let mut m = Manifest::new("chunked");
    m.dataset("edge", "i32", &[7, 5], Data::Ramp { seed: 1 })
        .chunks(&[3, 2]);
    m.dataset(
        "all_filters",
        record.clone(),
        &[10],
        Data::RampRows {
            seed: 2,
            rows_written: 7,
        },
    )
    .chunks(&[4])
    .shuffle()
    .deflate(9)
    .fletcher32()
    .fill_value(rec(0.5, -1));
    m.dataset("grown", "u16", &[5, 3], Data::Ramp { seed: 3 })
        .chunks(&[2, 3])
        .maxshape(&[None, Some(3)]);
    m.dataset("empty", "f64", &[0, 4], Data::Null)
        .chunks(&[8, 4])
        .maxshape(&[None, Some(6)])
        .deflate(0);
    m.dataset(
        "names",
        VLEN_STR,
        &[3],
        Data::Strings(vec!["a".into(), "ü".into(), "".into()]),
    )
    .chunks(&[2])
    .fletcher32();
    m.dataset("same_max", "u8", &[4], Data::Null)
        .maxshape(&[Some(4)])
        .fill(7.0);
    m.no_twin(); // h5py refuses fletcher32 for vlen strings
    m.write(dir);
    m.write_expect(dir);

    // Attributes on the root, groups and datasets; names that JSON escapes.
    let mut m = Manifest::new("attrs \"q\" \\ ü");
    m.root_attr("units", VLEN_STR, &[], Data::Strings(vec!["kelvin".into()]))
        .root_attr(
            "names",
            VLEN_STR,
            &[2, 2],
            Data::Strings(vec!["a".into(), "\u{7f}x".into(), "ü".into(), "".into()]),
        )
        .root_attr("count", "i64", &[], Data::Values(vec![3i64.into()]))
        .root_attr("none", "f32", &[0], Data::Values(vec![]))
        .root_attr("größe \"\\", "u8", &[3], Data::Ramp { seed: 1 });
    m.group("g \u{1}");
    m.attr(
        "g \u{1}",
        "everything",
        everything.clone(),
        &[2],
        Data::Ramp { seed: 8 },
    )
    .attr(
        "g \u{1}",
        "color",
        color.clone(),
        &[],
        Data::Values(vec!["RED".into()]),
    )
    .attr("g \u{1}", "half", "f16", &[4], Data::Ramp { seed: 2 })
    .attr(
        "g \u{1}",
        "label",
        Dtype::FixedUtf8(8),
        &[],
        Data::Strings(vec!["漢".into()]),
    );
    m.dataset("g \u{1}/x", "f64", &[2], Data::Ramp { seed: 4 });
    m.attr(
        "g \u{1}/x",
        "rec",
        record.clone(),
        &[],
        Data::Values(vec![rec(3.0, 3)]),
    )
    .attr(
        "g \u{1}/x",
        "strings",
        strings.clone(),
        &[1],
        Data::Values(vec![Json::arr([
            Json::from("x"),
            Json::from("y"),
            Json::from(1u16),
        ])]),
    );
    m.attr("", "late_root", "bool", &[2], Data::Ramp { seed: 3 });
    m.no_twin();
    m.write(dir);
    m.write_expect(dir);
}

/// The Rust generators and manifest writer agree with check.py for every
/// dtype, attributes, values, fill values, compact and chunked layout. Every test
/// crate includes this module; the test runs in `tests/oracle_selftest.rs`
/// only (elsewhere it returns at once).
#[test]
fn generators_match_python() {
    if env!("CARGO_CRATE_NAME") != "oracle_selftest" {
        return;
    }
    // f16 conversion: known values (numpy), and every finite f16 round-trips.
    assert_eq!(f16_bits(0.1), 0x2e66);
    assert_eq!(f16_bits(65504.0), 0x7bff);
    assert_eq!(f16_bits(65519.0), 0x7bff);
    assert_eq!(f16_bits(65520.0), 0x7c00);
    assert_eq!(f16_bits(-0.0), 0x8000);
    assert_eq!(f16_bits(6e-8), 1);
    assert_eq!(f16_bits(2f64.powi(-25)), 0, "tie to even");
    assert_eq!(f16_bits(3.0 * 2f64.powi(-25)), 2, "tie to even");
    assert_eq!(f16_bits(f64::NAN), 0x7e00);
    assert_eq!(f16_bits(f64::NEG_INFINITY), 0xfc00);
    for h in 0..=u16::MAX {
        if h & 0x7c00 != 0x7c00 || h & 0x3ff == 0 {
            assert_eq!(
                f16_bits(f16_to_f64(h)),
                h,
                "f16 {h:#06x} does not round-trip"
            );
        }
    }
    assert_eq!(F16::ramp(0).to_f64(), -500.0);
    assert_eq!(F16::ramp(2000).to_f64(), 500.0);
    assert_eq!(ramp::<bool>(0, 3, 0), vec![false, true, false]);

    let dir = out_dir("generators_match_python");
    write_generator_scenarios(&dir);
    run_python_script("tests/oracle/crosscheck.py", &[dir.as_os_str()]);
}

/// Write one scenario: create `<name>.h5` in `dir` with h5sink, let `build`
/// fill it and describe it in the manifest, close, and write the manifest.
#[allow(dead_code)]
pub fn scenario(dir: &Path, name: &str, build: impl FnOnce(&h5sink::File, &mut Manifest)) {
    let mut m = Manifest::new(name);
    let f = h5sink::File::create(m.h5_path(dir)).unwrap();
    build(&f, &mut m);
    f.close().unwrap();
    m.write(dir);
}

/// In-memory storage that stops after `limit` writes (`write_at` and
/// `set_len` count), like a killed process: every later write fails.
#[derive(Clone)]
pub struct StopAfter {
    /// The bytes written so far.
    pub inner: h5sink::MemStorage,
    /// Writes attempted so far.
    pub ops: std::sync::Arc<std::sync::atomic::AtomicU64>,
    limit: u64,
}

impl StopAfter {
    /// A storage that accepts `limit` writes.
    pub fn new(limit: u64) -> Self {
        StopAfter {
            inner: h5sink::MemStorage::new(),
            ops: Default::default(),
            limit,
        }
    }

    /// Writes attempted so far.
    pub fn writes(&self) -> u64 {
        self.ops.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn admit(&self) -> std::io::Result<()> {
        let n = self.ops.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if n > self.limit {
            return Err(std::io::Error::other("stopped by the test"));
        }
        Ok(())
    }
}

impl h5sink::Storage for StopAfter {
    fn write_at(&self, offset: u64, data: &[u8]) -> std::io::Result<()> {
        self.admit()?;
        self.inner.write_at(offset, data)
    }
    fn set_len(&self, len: u64) -> std::io::Result<()> {
        self.admit()?;
        self.inner.set_len(len)
    }
    fn len(&self) -> std::io::Result<u64> {
        self.inner.len()
    }
    fn sync(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        PathBuf::from("<stop-after>")
    }
}
