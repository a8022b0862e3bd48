//! What a dataset or attribute holds: [`Data`] and [`Attr`].

use std::fmt::Write as _;

use super::super::{expected_bytes, expected_strings, json_str, strings_bytes, values_bytes};
use super::super::{Dtype, Json};

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
    pub(crate) fn validate(&self, dtype: &Dtype, shape: &[u64], what: &str) {
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

    pub(crate) fn write_json(&self, out: &mut String) {
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
    pub(crate) fn write_json(&self, out: &mut String) {
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
