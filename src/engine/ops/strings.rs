//! Transactions on variable-length strings: whole datasets (contiguous,
//! compact or chunked) and appends to growing string datasets. Spec notes:
//! `spec-notes/global-heap.md`, `spec-notes/chunked-layout.md`.

use crate::engine::model::NodeId;
use crate::engine::ops::data::{append_with, path, row_span};
use crate::engine::ops::tree::dataset;
use crate::engine::state::State;
use crate::engine::txn::Engine;
use crate::engine::{chunk_io, heap_io};
use crate::error::{Error, Result};

/// Refuse a string with an embedded NUL: readers end strings there, so it
/// would read back cut short (h5py refuses it too).
pub(crate) fn check_nul<S: AsRef<str>>(object: &str, strings: &[S]) -> Result<()> {
    match strings.iter().position(|s| s.as_ref().contains('\0')) {
        None => Ok(()),
        Some(index) => Err(Error::NulInString {
            object: crate::error::clip(object),
            index,
        }),
    }
}

impl Engine {
    /// Write every element of string dataset `id`.
    pub fn write_strings<S: AsRef<str>>(&self, id: NodeId, strings: &[S]) -> Result<()> {
        self.txn(|io, st| {
            let d = dataset(st, id)?;
            crate::engine::ops::vds::refuse_virtual(st, id, d, "write_strings")?;
            let count: u64 = d.shape.iter().product();
            if strings.len() as u64 != count {
                return Err(Error::StringCount {
                    dataset: path(st, id),
                    expected: count,
                    got: strings.len(),
                });
            }
            check_nul(&path(st, id), strings)?;
            if strings.is_empty() {
                return Ok(());
            }
            if let Some(c) = &d.chunked {
                let n = row_span(st, id, d, 0, strings.len())?;
                if let Some(band) = c.sealed_band(0, n) {
                    return Err(chunk_io::sealed(0, n, band));
                }
                let refs = heap_io::store_refs(io, st, strings)?;
                return chunk_io::write_rows(io, st, id, 0, &refs);
            }
            // Compact storage keeps the references in the header; contiguous
            // storage gets a new data block after the heap collections.
            let compact = d.compact.is_some();
            let stored = heap_io::store(io, st, strings, !compact)?;
            let old = match st.tree.dataset_mut(id) {
                Some(d) => {
                    match d.compact.as_mut() {
                        Some(data) => *data = stored.refs,
                        None => d.address = stored.refs_at,
                    }
                    std::mem::replace(&mut d.block, stored.block)
                }
                None => stored.block,
            };
            // The committed state may refer to the old strings (compact ones
            // live in the header, so their dataset id says nothing).
            if compact {
                st.retire(old);
            } else {
                st.release(id, old);
            }
            st.touch();
            Ok(())
        })
    }

    /// Append rows of strings to growing string dataset `id`; the first new
    /// row.
    pub fn append_strings<S: AsRef<str>>(&self, id: NodeId, strings: &[S]) -> Result<u64> {
        self.txn(|io, st| {
            check_nul(&path(st, id), strings)?;
            append_with(st, id, strings.len(), |st, start, n| {
                if n > 0 {
                    store_rows(io, st, id, start, strings)?;
                }
                Ok(())
            })
        })
    }
}

/// Strings of rows from `start` into a chunked dataset's chunks, through the
/// global heap.
fn store_rows<S: AsRef<str>>(
    io: &crate::engine::io::Io,
    st: &mut State,
    id: NodeId,
    start: u64,
    strings: &[S],
) -> Result<()> {
    let refs = heap_io::store_refs(io, st, strings)?;
    chunk_io::write_rows(io, st, id, start, &refs)
}
