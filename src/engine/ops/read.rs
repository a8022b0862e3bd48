//! Transactions that read back: rows, whole datasets, attribute values and
//! strings, from every layout h5sink writes, committed or not. Each read
//! holds the engine's lock (so the space it reads cannot be reused under
//! it) and sees every write that returned before it. A failed read is
//! reported and changes nothing: the file stays writable.

use crate::engine::heap_read;
use crate::engine::io::Io;
use crate::engine::model::{Attr, NodeId};
use crate::engine::ops::data::path;
use crate::engine::ops::tree::dataset;
use crate::engine::row_read;
use crate::engine::state::State;
use crate::engine::txn::Engine;
use crate::error::{clip, Error, Result};

impl Engine {
    /// The bytes (file format) of rows `start..start + count` of dataset
    /// `id`; a scalar has one row. Allocates only those rows.
    pub fn read_rows(&self, id: NodeId, start: u64, count: u64) -> Result<Vec<u8>> {
        self.view(|io, st| read_range(io, st, id, start, Some(count)))
    }

    /// Every byte (file format) of dataset `id`, at its shape when the
    /// transaction runs.
    pub fn read_all(&self, id: NodeId) -> Result<Vec<u8>> {
        self.view(|io, st| read_range(io, st, id, 0, None))
    }

    /// Every string of string dataset `id`.
    pub fn read_strings(&self, id: NodeId) -> Result<Vec<String>> {
        self.view(|io, st| {
            let refs = read_range(io, st, id, 0, None)?;
            heap_read::resolve(io, st.open_heap.as_ref(), &refs, &st.tree.path(id))
        })
    }

    /// The value (file format) of attribute `name` of node `id`.
    pub fn read_attr(&self, id: NodeId, name: &str) -> Result<Vec<u8>> {
        self.view(|_, st| Ok(attr(st, id, name)?.data.clone()))
    }

    /// The strings of string attribute `name` of node `id`.
    pub fn read_attr_strings(&self, id: NodeId, name: &str) -> Result<Vec<String>> {
        self.view(|io, st| {
            let a = attr(st, id, name)?;
            let label = format!("{}@{}", st.tree.path(id), a.name);
            heap_read::resolve(io, st.open_heap.as_ref(), &a.data, &label)
        })
    }
}

/// Rows `start..start + count` (all rows for `None`) of dataset `id`.
fn read_range(io: &Io, st: &State, id: NodeId, start: u64, count: Option<u64>) -> Result<Vec<u8>> {
    let d = dataset(st, id)?;
    crate::engine::ops::vds::refuse_virtual(st, id, d, "reading values")?;
    let rows = d.shape.first().copied().unwrap_or(1);
    let count = count.unwrap_or(rows);
    let end = start.saturating_add(count);
    if end > rows {
        return Err(Error::RowsOutOfRange {
            dataset: path(st, id),
            start,
            end,
            rows,
        });
    }
    let mut out = buffer(st, id, start, count, d.row_len() * d.elem())?;
    row_read::read_rows(io, d, start, count, &mut out)?;
    Ok(out)
}

/// A zeroed buffer for `count` rows of `row_bytes` from row `start` of
/// dataset `id`: refused with the size when it cannot be allocated.
// `vec![0; n]` would abort on a failed allocation; `try_reserve_exact`
// turns that into an error.
#[allow(clippy::slow_vector_initialization)]
fn buffer(st: &State, id: NodeId, start: u64, count: u64, row_bytes: u64) -> Result<Vec<u8>> {
    let bytes = count.checked_mul(row_bytes);
    let len = bytes
        .and_then(|b| usize::try_from(b).ok())
        .filter(|&b| b <= isize::MAX as usize);
    let mut out = Vec::new();
    match len {
        Some(n) if out.try_reserve_exact(n).is_ok() => {
            out.resize(n, 0);
            Ok(out)
        }
        _ => Err(Error::BadShape {
            dataset: path(st, id),
            reason: format!(
                "rows {start}..{} take {} bytes ({count} rows of {row_bytes} bytes), more than memory can hold; read fewer rows at a time",
                start.saturating_add(count),
                bytes.map_or_else(|| "more than 2^64".to_string(), |b| b.to_string()),
            ),
        }),
    }
}

fn attr<'s>(st: &'s State, id: NodeId, name: &str) -> Result<&'s Attr> {
    st.tree
        .node(id)
        .and_then(|n| n.attrs.iter().find(|a| a.name == name))
        .ok_or_else(|| Error::Bug {
            what: format!("attribute {:?} of node {id} is missing", clip(name)),
        })
}
