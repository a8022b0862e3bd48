//! Transactions that move rows: writes into contiguous, compact and chunked
//! datasets, appends and resizes. Each checks everything against the
//! dataset's current shape under the lock before it changes anything.

use crate::engine::chunk_io;
use crate::engine::model::{DatasetMeta, NodeId};
use crate::engine::ops::pieces::{self, After};
use crate::engine::ops::tree::dataset;
use crate::engine::ops::vds::refuse_virtual;
use crate::engine::state::State;
use crate::engine::txn::Engine;
use crate::error::{Error, Result};
use crate::types::convert::Source;

impl Engine {
    /// The current shape of dataset `id` (also after the file closed).
    pub fn shape(&self, id: NodeId) -> Vec<u64> {
        self.read(|st| {
            st.tree
                .dataset(id)
                .map(|d| d.shape.clone())
                .unwrap_or_default()
        })
    }

    /// Write `src` (`values` elements, in the file's element format or
    /// converted to it) as whole rows from row `start`. Rows of contiguous
    /// datasets go to the file after the lock is released, so threads write
    /// disjoint rows at once.
    pub fn write_rows(
        &self,
        id: NodeId,
        start: u64,
        values: usize,
        src: &Source<'_>,
    ) -> Result<()> {
        let after = self.txn_streaming(|io, st| {
            let d = dataset(st, id)?;
            refuse_virtual(st, id, d, "write_rows")?;
            if d.shape.is_empty() {
                return Err(Error::BadShape {
                    dataset: path(st, id),
                    reason: "a scalar dataset has no rows; use write_scalar".into(),
                });
            }
            let n = row_span(st, id, d, start, values)?;
            if n == 0 || src.is_empty() {
                return Ok(After::Nothing);
            }
            let offset = start * d.row_len() * d.elem();
            place(io, st, id, start, n, offset, src)
        })?;
        pieces::finish(self.io(), after, src)
    }

    /// Write every element of dataset `id` (`values` of them in `src`).
    pub fn write_all(
        &self,
        id: NodeId,
        values: usize,
        src: &Source<'_>,
        call: &'static str,
    ) -> Result<()> {
        let after = self.txn_streaming(|io, st| {
            let d = dataset(st, id)?;
            refuse_virtual(st, id, d, call)?;
            let count: u64 = d.shape.iter().product();
            if values as u64 != count {
                return Err(Error::BadShape {
                    dataset: path(st, id),
                    reason: if call == "write_scalar" {
                        format!("write_scalar writes one value, but the dataset holds {count} elements; use write_raw or write_rows")
                    } else {
                        format!("{call} needs all {count} elements, got {values}")
                    },
                });
            }
            if src.is_empty() {
                return Ok(After::Nothing);
            }
            let rows = d.shape.first().copied().unwrap_or(1);
            place(io, st, id, 0, rows, 0, src)
        })?;
        pieces::finish(self.io(), after, src)
    }

    /// Append whole rows to chunked dataset `id`, growing its first
    /// dimension; the first new row. Checked whole before the shape grows.
    pub fn append_rows(&self, id: NodeId, values: usize, src: &Source<'_>) -> Result<u64> {
        self.txn_streaming(|io, st| {
            append_with(st, id, values, |st, start, n| {
                if n > 0 && !src.is_empty() {
                    pieces::chunks(io, st, id, start, n, src)?;
                }
                Ok(())
            })
        })
    }

    /// Grow chunked dataset `id` to `new` (within its maximum shape; no
    /// dimension may shrink).
    pub fn resize(&self, id: NodeId, new: Vec<u64>) -> Result<()> {
        self.txn(|_, st| {
            check_resize(st, id, &new)?;
            if let Some(d) = st.tree.dataset_mut(id) {
                d.shape = new;
            }
            st.touch();
            Ok(())
        })
    }
}

/// The path of node `id`, for messages (clipped: names may be huge).
pub(crate) fn path(st: &State, id: NodeId) -> String {
    crate::error::clip(&st.tree.path(id))
}

/// Send `n` rows from row `start` (at byte `offset` of a contiguous block)
/// to their place: into chunks, the compact data or the staged image under
/// the lock, or the file address to write them at after it.
fn place(
    io: &crate::engine::io::Io,
    st: &mut State,
    id: NodeId,
    start: u64,
    n: u64,
    offset: u64,
    src: &Source<'_>,
) -> Result<After> {
    let chunked = dataset(st, id)?
        .chunked
        .as_ref()
        .map(|c| c.sealed_band(start, n));
    match chunked {
        Some(Some(band)) => Err(chunk_io::sealed(start, n, band)),
        Some(None) => pieces::chunks(io, st, id, start, n, src).map(|()| After::Nothing),
        None => pieces::contiguous(io, st, id, offset, src),
    }
}

/// Rows `values` elements make from `start` on, checked against the
/// dataset's shape: whole rows only, and within the first dimension.
pub(crate) fn row_span(
    st: &State,
    id: NodeId,
    d: &DatasetMeta,
    start: u64,
    values: usize,
) -> Result<u64> {
    let row_len = d.row_len();
    let n = match (values as u64).checked_rem(row_len) {
        Some(0) => values as u64 / row_len,
        None if values == 0 => 0,
        _ => {
            return Err(Error::PartialRow {
                dataset: path(st, id),
                values,
                row_len,
            })
        }
    };
    let end = start.saturating_add(n);
    let rows = d.shape.first().copied().unwrap_or(1);
    if end > rows {
        return Err(Error::RowsOutOfRange {
            dataset: path(st, id),
            start,
            end,
            rows,
        });
    }
    Ok(n)
}

/// Grow chunked dataset `id` by the whole rows `values` elements make, after
/// checking the new shape and that no new row falls in a sealed chunk;
/// returns the first new row and the row count.
pub(crate) fn grow_rows(st: &mut State, id: NodeId, values: usize) -> Result<(u64, u64)> {
    let d = dataset(st, id)?;
    let row_len = d.row_len();
    if d.chunked.is_some() && (row_len == 0 || values as u64 % row_len != 0) {
        return Err(Error::PartialRow {
            dataset: path(st, id),
            values,
            row_len,
        });
    }
    let start = d.shape.first().copied().unwrap_or(0);
    let n = (values as u64).checked_div(row_len).unwrap_or(0);
    let mut grown = d.shape.clone();
    if let Some(first) = grown.first_mut() {
        *first = start.saturating_add(n);
    }
    check_resize(st, id, &grown)?;
    if let Some(band) = d.chunked.as_ref().and_then(|c| c.sealed_band(start, n)) {
        return Err(chunk_io::sealed(start, n, band));
    }
    if let Some(d) = st.tree.dataset_mut(id) {
        d.shape = grown;
    }
    st.touch();
    Ok((start, n))
}

/// Whether dataset `id` may take shape `new`.
fn check_resize(st: &State, id: NodeId, new: &[u64]) -> Result<()> {
    let d = dataset(st, id)?;
    refuse_virtual(st, id, d, "resize")?;
    let bad = |reason: String| Error::BadShape {
        dataset: path(st, id),
        reason,
    };
    let Some(c) = &d.chunked else {
        return Err(bad("only chunked datasets with a maximum shape can be resized (use .resizable() or .max_shape())".into()));
    };
    if d.dtype.known().is_none() && d.dtype.holds_addresses() {
        // Its new elements would be fill values whose references h5sink
        // cannot vouch for (spec-notes/datatype.md, "What the loader keeps").
        return Err(bad(format!(
            "its elements ({}) hold file addresses, which h5sink does not write: it cannot be resized",
            d.dtype.describe()
        )));
    }
    if new.len() != d.shape.len() {
        return Err(bad(format!(
            "the new shape {new:?} has {} dimensions, the dataset {}",
            new.len(),
            d.shape.len()
        )));
    }
    for (i, ((&n, &old), max)) in new.iter().zip(&d.shape).zip(&c.max).enumerate() {
        if n < old {
            return Err(bad(format!(
                "dimension {i} cannot shrink from {old} to {n}"
            )));
        }
        if let Some(m) = max.filter(|&m| n > m) {
            return Err(bad(format!(
                "dimension {i} cannot grow to {n}, beyond its maximum {m}"
            )));
        }
    }
    crate::types::shape_bytes_of(new, d.dtype.element_size())?;
    Ok(())
}

/// [`grow_rows`], then `write(st, start, n)` of the new rows; if the write
/// fails (a malformed partly filled chunk read back, say), the dataset
/// keeps its old shape and the state its dirty flag: a failed append leaves
/// no rows behind. Returns the first new row.
pub(crate) fn append_with(
    st: &mut State,
    id: NodeId,
    values: usize,
    write: impl FnOnce(&mut State, u64, u64) -> Result<()>,
) -> Result<u64> {
    let dirty = st.is_dirty();
    let (start, n) = grow_rows(st, id, values)?;
    if let Err(e) = write(st, start, n) {
        if let Some(first) = st.tree.dataset_mut(id).and_then(|d| d.shape.first_mut()) {
            *first = start;
        }
        st.restore_dirty(dirty);
        return Err(e);
    }
    Ok(start)
}
