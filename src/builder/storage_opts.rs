//! The storage side of `DatasetBuilder`: the chunked layout asked for, and
//! fill patterns.

use crate::chunked::Chunked;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::format::filter_pipeline::Filter;
use crate::space::Extent;
use crate::types::H5Type;

use super::DatasetBuilder;

impl<T: H5Type> DatasetBuilder<T> {
    /// The chunked layout asked for, if any, checked against `shape`.
    pub(super) fn chunking(&self, name: &str, shape: &[u64], elem: u64) -> Result<Option<Chunked>> {
        let mut filters = Vec::new();
        if self.shuffle {
            // libhdf5 leaves shuffle without parameters on variable-length
            // data, and every chunk skips it.
            filters.push(
                if T::DATATYPE == crate::format::datatype::Datatype::VlenUtf8 {
                    Filter::ShuffleSkipped
                } else {
                    Filter::Shuffle {
                        element_size: elem as u32,
                    }
                },
            );
        }
        if let Some(level) = self.deflate {
            filters.push(Filter::Deflate { level });
        }
        if self.fletcher32 {
            filters.push(Filter::Fletcher32);
        }
        if self.chunk.is_none() && self.max.is_none() && filters.is_empty() {
            return Ok(None);
        }
        let bad = |reason: String| Error::BadShape {
            dataset: name.into(),
            reason,
        };
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
        if self.fletcher32 && T::DATATYPE == crate::format::datatype::Datatype::VlenUtf8 {
            // libhdf5 refuses it too ("not suitable for filters"): only
            // optional filters may apply to variable-length data.
            return Err(bad("fletcher32 cannot apply to variable-length strings: HDF5 allows only optional filters (shuffle, deflate) on them".into()));
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
        if let Some(i) = max
            .iter()
            .zip(shape)
            .position(|(m, &d)| m.is_some_and(|m| m < d))
        {
            return Err(bad(format!(
                "dimension {i} is {} but its maximum is {:?}",
                shape[i], max[i]
            )));
        }
        let chunk = match &self.chunk {
            Some(c) => c.clone(),
            None => crate::filters::guess_chunk(shape, elem)?,
        };
        if chunk.len() != shape.len() || chunk.contains(&0) {
            return Err(bad(format!(
                "chunk shape {chunk:?} must have {} non-zero dimensions",
                shape.len()
            )));
        }
        if let Some(i) = chunk
            .iter()
            .zip(&max)
            .position(|(&k, m)| m.is_some_and(|m| k > m))
        {
            return Err(bad(format!(
                "chunk dimension {i} is {} but the dataset's maximum is {:?}",
                chunk[i], max[i]
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
        crate::format::layout_chunked::chunk_bytes(&dims, elem as u32)
            .map_err(|_| bad(format!("chunk shape {chunk:?} holds 4 GiB or more")))?;
        crate::format::filter_pipeline::validate(&filters)?;
        Ok(Some(Chunked::new(chunk, max, filters)))
    }
}

/// `size` bytes of `fill` repeated (zeros without a fill).
pub(super) fn fill_pattern(fill: Option<&[u8]>, size: u64) -> Result<Vec<u8>> {
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

/// Write the fill value over a new contiguous block, 1 MiB at a time.
pub(super) fn write_fill(ds: &Dataset, block: Extent, fill: &[u8]) -> Result<()> {
    let per = (1 << 20) / fill.len().max(1);
    let chunk: Vec<u8> = fill
        .iter()
        .copied()
        .cycle()
        .take(per.max(1) * fill.len())
        .collect();
    let mut at = 0u64;
    while at < block.len {
        let n = (block.len - at).min(chunk.len() as u64) as usize;
        ds.shared().write_at(block.start + at, &chunk[..n])?;
        at += n as u64;
    }
    Ok(())
}
