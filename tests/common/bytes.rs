//! Raw file bytes (little-endian, packed) of elements of any [`Dtype`]:
//! ramp data, JSON values, and what a whole dataset must read back as.

use super::{f16_bits, int_range, ramp_u64, Data, Dtype, Json, Ramp, F16};

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

/// (u32 LE byte length, UTF-8 bytes) per string.
pub fn strings_bytes(strings: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in strings {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out
}
