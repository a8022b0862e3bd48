//! JSON values and text, for manifest values, fill values and names.

use std::fmt::Write as _;

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
