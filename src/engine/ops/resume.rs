//! Transactions a resumed stream needs: taking an attribute away (the
//! progress record of a stream that completed), unlinking a dataset that is
//! replaced (class names that changed), and marking the chunks a stream
//! left partly written so the next rows complete them.

use crate::engine::model::{NodeId, NodeKind};
use crate::engine::txn::Engine;
use crate::error::{clip, Error, Result};

impl Engine {
    /// Remove attribute `name` of node `id`; whether it was there.
    pub fn remove_attr(&self, id: NodeId, name: &str) -> Result<bool> {
        self.txn(|_, st| {
            let node = st.tree.nodes.get_mut(id).ok_or_else(|| Error::Bug {
                what: format!("attribute removed from node {id}, which does not exist"),
            })?;
            let Some(at) = node.attrs.iter().position(|a| a.name == name) else {
                return Ok(false);
            };
            let gone = node.attrs.remove(at);
            if let Some(block) = gone.block {
                st.release(id, block);
            }
            st.touch();
            Ok(true)
        })
    }

    /// Unlink the member at `path` (below `base`) from its group: the next
    /// commit no longer writes it. Whether it was there.
    pub fn unlink(&self, base: NodeId, path: &str) -> Result<bool> {
        self.txn(|_, st| {
            let trimmed = path.trim_end_matches('/');
            let (parent, name) = match trimmed.rsplit_once('/') {
                Some((p, n)) => (if p.is_empty() { "/" } else { p }, n),
                None => (".", trimmed),
            };
            let Some(pid) = st.tree.lookup(base, parent) else {
                return Ok(false);
            };
            let removed = match st.tree.nodes.get_mut(pid).map(|n| &mut n.kind) {
                Some(NodeKind::Group(members)) => members.remove(name.as_bytes()).is_some(),
                _ => false,
            };
            if removed {
                st.touch();
            }
            Ok(removed)
        })
    }

    /// A stream recorded the first `rows` rows of chunked dataset `id` as
    /// written and stopped: the chunks from the band holding row `rows` on
    /// may be partly written (or hold rows written after the record, which
    /// the stream writes again), so the next rows complete them (read back,
    /// filled, stored anew) instead of finding them sealed.
    pub fn reopen_rows(&self, id: NodeId, rows: u64) -> Result<()> {
        self.txn(|_, st| {
            let path = clip(&st.tree.path(id));
            let d = st.tree.dataset_mut(id).ok_or_else(|| Error::Bug {
                what: format!("rows reopened in node {id} ({path}), which is not a dataset"),
            })?;
            let mut shape = d.shape.clone();
            let Some(c) = d.chunked.as_mut() else {
                return Ok(());
            };
            if let Some(first) = shape.first_mut() {
                *first = rows;
            }
            let band = rows / c.chunk.first().copied().unwrap_or(1).max(1);
            let coords: Vec<Vec<u64>> = c
                .stored
                .range(vec![band]..)
                .map(|(k, _)| k.clone())
                .collect();
            for k in coords {
                let held = c.inside(&k, &shape);
                if let Some(s) = c.stored.get_mut(&k) {
                    s.partial = Some(held);
                }
            }
            Ok(())
        })
    }
}

/// What differs between a dataset in the file and the one a writer would
/// create: (what, in the file, in the writer).
pub(crate) type Difference = (&'static str, String, String);

impl Engine {
    /// Compare dataset `id` with `spec`, the dataset a writer would create
    /// (`unlimited`: rows may differ, the first dimension must be
    /// unlimited). `None` when they agree.
    pub fn compare_spec(
        &self,
        id: NodeId,
        spec: &crate::engine::spec::DatasetSpec,
        unlimited: bool,
    ) -> Result<Option<Difference>> {
        use crate::engine::spec::Storage;
        self.view(|_, st| {
            let d = st.tree.dataset(id).ok_or_else(|| Error::Bug {
                what: format!("node {id} compared as a dataset"),
            })?;
            let differ = |what, file: String, writer: String| Ok(Some((what, file, writer)));
            if d.dtype.known() != Some(&spec.dtype) {
                return differ("element type", d.dtype.describe(), spec.dtype.describe());
            }
            let rows_aside = |s: &[u64]| s.get(1..).unwrap_or_default().to_vec();
            if unlimited {
                if rows_aside(&d.shape) != rows_aside(&spec.shape) || d.shape.is_empty() {
                    return differ(
                        "row shape",
                        format!("{:?}", rows_aside(&d.shape)),
                        format!("{:?}", rows_aside(&spec.shape)),
                    );
                }
            } else if d.shape != spec.shape {
                return differ(
                    "shape",
                    format!("{:?}", d.shape),
                    format!("{:?}", spec.shape),
                );
            }
            let layout = |compact: bool, chunked: bool| match (compact, chunked) {
                (true, _) => "compact",
                (_, true) => "chunked",
                _ => "contiguous",
            };
            let (spec_compact, spec_chunked) = match &spec.storage {
                Storage::Contiguous => (false, None),
                Storage::Compact(_) => (true, None),
                Storage::Chunked(c) => (false, Some(c)),
            };
            let (file_layout, writer_layout) = (
                layout(d.compact.is_some(), d.chunked.is_some()),
                layout(spec_compact, spec_chunked.is_some()),
            );
            if file_layout != writer_layout {
                return differ("layout", file_layout.into(), writer_layout.into());
            }
            if let (Some(f), Some(w)) = (&d.chunked, spec_chunked) {
                if f.chunk != w.chunk {
                    return differ(
                        "chunk shape",
                        format!("{:?}", f.chunk),
                        format!("{:?}", w.chunk),
                    );
                }
                if f.filters != w.filters {
                    return differ(
                        "filters",
                        format!("{:?}", f.filters),
                        format!("{:?}", w.filters),
                    );
                }
                let first_max = |m: &[Option<u64>]| m.first().copied().flatten();
                if unlimited && first_max(&f.max).is_some() {
                    return differ(
                        "maximum row count",
                        format!("{:?}", first_max(&f.max)),
                        "unlimited".into(),
                    );
                }
            }
            if d.fill != spec.fill {
                return differ(
                    "fill value",
                    format!("{:?}", d.fill),
                    format!("{:?}", spec.fill),
                );
            }
            Ok(None)
        })
    }
}
