//! Transactions on the tree: groups, finding members, creating datasets.

use std::collections::BTreeMap;

use crate::engine::model::{DatasetMeta, Found, NodeId, NodeKind};
use crate::engine::ops::links::join;
use crate::engine::rows;
use crate::engine::space::Extent;
use crate::engine::spec::{DatasetSpec, Storage};
use crate::engine::state::State;
use crate::engine::txn::Engine;
use crate::error::{clip, Error, Result};
use crate::format::datatype::ElementType;
use crate::format::field::UNDEF_ADDR;

/// What kind of member a lookup wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    Group,
    Dataset,
}

impl Engine {
    /// Create the group at `path` below group `base` (and the groups missing
    /// on the way); its id and full path.
    pub fn create_group(&self, base: NodeId, path: &str) -> Result<(NodeId, String)> {
        self.txn(|_, st| {
            let r = st.tree.resolve(base, path)?;
            let id = st.tree.insert(r, NodeKind::Group(BTreeMap::new()))?;
            st.touch();
            Ok((id, st.tree.path(id)))
        })
    }

    /// The existing group or dataset at `path` below group `base`: its id,
    /// full path and (for a dataset) datatype.
    pub fn find(
        &self,
        base: NodeId,
        path: &str,
        want: Want,
    ) -> Result<(NodeId, String, Option<ElementType>)> {
        self.view(|_, st| {
            let group = st.tree.path(base);
            let not_found = || Error::NotFound {
                path: clip(path),
                group: clip(&group),
                kind: match want {
                    Want::Group => "group",
                    Want::Dataset => "dataset",
                },
            };
            let id = match st.tree.find_path(base, path) {
                Found::Object(id) => id,
                Found::External { file, path: target } => {
                    return Err(Error::InvalidPath {
                        path: clip(path),
                        reason: format!(
                            "it is an external link to {:?} in file {:?}; h5sink does not follow external links: open that file",
                            clip(&target),
                            clip(&file)
                        ),
                    })
                }
                Found::Dangling(_) | Found::Missing => return Err(not_found()),
            };
            // The path the object was reached by, as h5py names it.
            let name = join(&group, path);
            match (st.tree.node(id).map(|n| &n.kind), want) {
                (Some(NodeKind::Group(_)), Want::Group) => Ok((id, name, None)),
                (Some(NodeKind::Dataset(d)), Want::Dataset) => {
                    Ok((id, name, Some(d.dtype.clone())))
                }
                _ => Err(not_found()),
            }
        })
    }

    /// Names of the members of group `id`, sorted by bytes.
    pub fn member_names(&self, id: NodeId) -> Result<Vec<String>> {
        self.view(|_, st| Ok(st.tree.member_names(id)))
    }

    /// Create the dataset `spec` at `path` below group `base`: its id and
    /// full path. A contiguous dataset's data block gets its address now
    /// (fresh space at the end, which reads as zeros until written) and is
    /// filled with a non-zero fill value.
    pub fn create_dataset(
        &self,
        base: NodeId,
        path: &str,
        spec: DatasetSpec,
    ) -> Result<(NodeId, String)> {
        self.txn(|io, st| {
            let resolved = st.tree.resolve(base, path)?;
            let size = spec.size;
            let contiguous = matches!(spec.storage, Storage::Contiguous);
            // The end-of-file address must stay representable.
            if contiguous && st.space.end().checked_add(size).is_none() {
                return Err(Error::BadShape {
                    dataset: clip(path),
                    reason: format!(
                        "its {size} bytes would take the file past the 64-bit address space (the file already spans {} bytes)",
                        st.space.end()
                    ),
                });
            }
            let block = if contiguous {
                st.space.alloc_fresh(size)?
            } else {
                Extent { start: 0, len: 0 }
            };
            let address = if size == 0 || !contiguous {
                UNDEF_ADDR
            } else {
                block.start
            };
            let fill_bytes = spec
                .fill
                .clone()
                .filter(|f| contiguous && size > 0 && f.iter().any(|&b| b != 0));
            let (compact, chunked) = match spec.storage {
                Storage::Contiguous => (None, None),
                Storage::Compact(data) => (Some(data), None),
                Storage::Chunked(c) => (None, Some(Box::new(c))),
            };
            let meta = DatasetMeta {
                dtype: ElementType::Known(spec.dtype),
                shape: spec.shape,
                address,
                size,
                block,
                fill: spec.fill,
                compact,
                staged: None,
                spilled: false,
                chunked,
                virt: None,
            };
            let id = st.tree.insert(resolved, NodeKind::Dataset(meta))?;
            st.touch();
            if let Some(fill) = fill_bytes {
                rows::write_fill(io, block.start, block.len, &fill)?;
            }
            Ok((id, st.tree.path(id)))
        })
    }
}

/// Dataset `id` of the tree, or an internal error: handles only hold ids
/// of datasets.
pub(crate) fn dataset(st: &State, id: NodeId) -> Result<&DatasetMeta> {
    st.tree.dataset(id).ok_or_else(|| Error::Bug {
        what: format!("dataset handle for node {id}, which is not a dataset"),
    })
}
