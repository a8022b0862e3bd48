//! Chunked layout options of a manifest dataset.

use std::fmt::Write as _;

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
    pub(crate) fn validate(&self, path: &str, shape: &[u64], compact: bool) {
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
    pub(crate) fn write_json(&self, out: &mut String) {
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
