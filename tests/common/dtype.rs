//! Manifest dtypes: [`Dtype`] and the names in [`DTYPES`].

use std::fmt::Write as _;

use super::json_str;

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

    pub(crate) fn is_vlen(&self) -> bool {
        *self == Dtype::Named(VLEN_STR)
    }

    /// Panics unless check.py would accept this dtype (`inner`: inside a
    /// compound or array).
    pub(crate) fn validate(&self, inner: bool) {
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

pub(crate) fn int_range(name: &str) -> (i128, i128) {
    let bits: u32 = name[1..]
        .parse()
        .unwrap_or_else(|_| panic!("not an integer dtype: {name:?}"));
    match name.as_bytes()[0] {
        b'u' => (0, (1i128 << bits) - 1),
        b'i' => (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1),
        _ => panic!("not an integer dtype: {name:?}"),
    }
}
