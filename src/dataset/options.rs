//! The options of a new dataset (shape, maximum shape, chunk shape, filters,
//! fill value, compact storage), shared by [`DatasetBuilder`] and
//! [`DatasetWriterBuilder`], and their validation into an engine
//! [`DatasetSpec`]: every bad option is an error, in both builders.
//!
//! [`DatasetBuilder`]: crate::DatasetBuilder
//! [`DatasetWriterBuilder`]: crate::DatasetWriterBuilder

use crate::engine::model::Chunked;
use crate::engine::spec::{DatasetSpec, Storage};
use crate::error::{Error, Result};
use crate::format::dataspace::MAX_RANK;
use crate::format::datatype::Datatype;
use crate::format::filter_pipeline::Filter;
use crate::format::layout;
use crate::types::{parse_dims, shape_bytes, Dim};

/// What the caller asked for; checked only by [`DatasetOptions::spec`].
#[derive(Clone, Debug, Default)]
pub(crate) struct DatasetOptions {
    pub shape: Option<std::result::Result<Vec<u64>, String>>,
    pub fill: Option<Vec<u8>>,
    pub compact: bool,
    pub chunk: Option<std::result::Result<Vec<u64>, String>>,
    /// `Some(empty)`: resizable along the first dimension.
    pub max: Option<Vec<Option<u64>>>,
    pub deflate: Option<u32>,
    pub shuffle: bool,
    pub fletcher32: bool,
    /// LZF, LZ4, bitshuffle, zstd, Blosc.
    pub codecs: super::codecs::Codecs,
}

impl DatasetOptions {
    /// Set the shape.
    pub fn set_shape<D: Dim>(&mut self, dims: &[D]) {
        self.shape = Some(parse_dims(dims));
    }

    /// Set the chunk shape.
    pub fn set_chunk<D: Dim>(&mut self, dims: &[D]) {
        self.chunk = Some(parse_dims(dims));
    }

    /// Unlimited first dimension, the others fixed at the shape's.
    pub fn set_resizable(&mut self) {
        self.max = Some(Vec::new());
    }

    /// Whether the dataset will be chunked.
    pub fn chunked(&self) -> bool {
        self.chunk.is_some()
            || self.max.is_some()
            || self.deflate.is_some()
            || self.shuffle
            || self.fletcher32
            || self.codecs.any()
    }

    /// Validate everything for a dataset of `dtype` named `name`.
    pub fn spec(mut self, dtype: Datatype, name: &str) -> Result<DatasetSpec> {
        let bad = |reason: String| Error::BadShape {
            dataset: crate::error::clip(name),
            reason,
        };
        let shape = match self.shape.take() {
            None => Vec::new(),
            Some(s) => s.map_err(bad)?,
        };
        if shape.len() > MAX_RANK {
            return Err(Error::RankTooHigh {
                rank: shape.len(),
                max: MAX_RANK,
            });
        }
        let size = shape_bytes(&shape, &dtype)?;
        let elem = u64::from(dtype.element_size());
        let storage = if let Some(c) = self.chunking(dtype, &shape, elem, &bad)? {
            Storage::Chunked(c)
        } else if self.compact {
            // Refuse now what the header could not hold at commit, before
            // allocating anything in proportion to the declared shape.
            let too_big = || {
                bad(format!("{size} bytes is too large for compact storage (at most about 64 KiB); use the default contiguous layout"))
            };
            if size > layout::MAX_COMPACT_SIZE {
                return Err(too_big());
            }
            let data = fill_pattern(self.fill.as_deref(), size)?;
            layout::compact(&data).map_err(|_| too_big())?;
            Storage::Compact(data)
        } else {
            Storage::Contiguous
        };
        Ok(DatasetSpec {
            dtype,
            shape,
            size,
            fill: self.fill,
            storage,
        })
    }

    /// The chunked layout asked for, if any.
    fn chunking(
        &self,
        dtype: Datatype,
        shape: &[u64],
        elem: u64,
        bad: &dyn Fn(String) -> Error,
    ) -> Result<Option<Chunked>> {
        let mut filters = Vec::new();
        let vlen = dtype == Datatype::VlenUtf8;
        if self.shuffle {
            // libhdf5 leaves shuffle without parameters on variable-length
            // data, and every chunk skips it.
            filters.push(if vlen {
                Filter::ShuffleSkipped
            } else {
                Filter::Shuffle {
                    element_size: elem as u32,
                }
            });
        }
        super::codecs::one_compressor(&self.codecs, self.deflate.is_some())?;
        if let Some(level) = self.deflate {
            filters.push(Filter::Deflate { level });
        }
        if self.fletcher32 {
            filters.push(Filter::Fletcher32);
        }
        if !self.chunked() {
            return Ok(None);
        }
        if shape.is_empty() {
            return Err(bad(
                "a scalar dataset cannot be chunked, filtered or resized".into(),
            ));
        }
        if self.compact {
            return Err(bad(
                "compact storage cannot be chunked, filtered or resized".into(),
            ));
        }
        if self.fletcher32 && vlen {
            // libhdf5 refuses it too ("not suitable for filters"): only
            // optional filters may apply to variable-length data.
            return Err(bad("fletcher32 cannot apply to variable-length strings: HDF5 allows only optional filters (shuffle, deflate) on them".into()));
        }
        if vlen && self.codecs.any() {
            // hdf5plugin's filters do not handle heap references alike
            // (Blosc crashes h5py 3.16): gzip is the codec for strings.
            return Err(bad("LZF, LZ4, bitshuffle, zstd and Blosc are not written on variable-length strings; use deflate".into()));
        }
        let max = match &self.max {
            Some(m) if m.is_empty() => std::iter::once(None)
                .chain(shape[1..].iter().map(|&d| Some(d)))
                .collect(),
            Some(m) => m.clone(),
            None => shape.iter().map(|&d| Some(d)).collect::<Vec<_>>(),
        };
        if max.len() != shape.len() {
            return Err(bad(format!(
                "max_shape has {} dimensions, the shape {}",
                max.len(),
                shape.len()
            )));
        }
        if let Some((i, m)) = max
            .iter()
            .zip(shape)
            .enumerate()
            .find_map(|(i, (m, &d))| m.filter(|&m| m < d).map(|m| (i, m)))
        {
            return Err(bad(format!(
                "dimension {i} is {} but its maximum is {m}",
                shape[i]
            )));
        }
        let chunk = match &self.chunk {
            Some(Ok(c)) => c.clone(),
            Some(Err(reason)) => return Err(bad(format!("chunk shape: {reason}"))),
            None => crate::filters::guess_chunk(shape, elem)?,
        };
        if chunk.len() != shape.len() || chunk.contains(&0) {
            return Err(bad(format!(
                "chunk shape {chunk:?} must have {} non-zero dimensions",
                shape.len()
            )));
        }
        if let Some((i, m)) = chunk
            .iter()
            .zip(&max)
            .enumerate()
            .find_map(|(i, (&k, m))| m.filter(|&m| k > m).map(|m| (i, m)))
        {
            return Err(bad(format!(
                "chunk dimension {i} is {} but the dataset's maximum is {m}",
                chunk[i]
            )));
        }
        // The layout message stores each chunk dimension as a u32.
        let dims = chunk
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                u32::try_from(k).map_err(|_| {
                    bad(format!(
                        "chunk dimension {i} is {k}; the chunked layout stores dimensions as 32-bit values (at most {})",
                        u32::MAX
                    ))
                })
            })
            .collect::<Result<Vec<u32>>>()?;
        let chunk_bytes = crate::format::layout::chunked::chunk_bytes(&dims, elem as u32)
            .map_err(|_| bad(format!("chunk shape {chunk:?} holds 4 GiB or more")))?;
        if let Some(f) = self.codecs.filter(elem as u32, chunk_bytes, bad)? {
            filters.insert(usize::from(self.shuffle), f);
        }
        crate::format::filter_pipeline::validate(&filters)?;
        Ok(Some(Chunked::new(chunk, max, filters)))
    }
}

/// `size` bytes of the fill value repeated (zeros without one).
fn fill_pattern(fill: Option<&[u8]>, size: u64) -> Result<Vec<u8>> {
    let n = usize::try_from(size).map_err(|_| Error::FieldOverflow {
        field: "compact data size",
        value: size,
        max: usize::MAX as u64,
    })?;
    Ok(match fill {
        Some(f) if !f.is_empty() => f.iter().copied().cycle().take(n).collect(),
        _ => vec![0; n],
    })
}
