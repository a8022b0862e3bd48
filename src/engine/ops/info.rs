//! Transactions that describe what the model holds: a dataset's storage
//! (compact, contiguous or chunked; chunk shape, maximum shape, filters)
//! and a node's attributes (names, and the type and shape of one). Nothing
//! is read from the storage: the model has it all, for created and opened
//! files alike.

use crate::engine::model::NodeId;
use crate::engine::state::State;
use crate::engine::txn::Engine;
use crate::error::{clip, Error, Result};
use crate::format::datatype::ElementType;
use crate::format::filter_pipeline::Filter;

/// How a dataset is stored, as the model holds it.
#[derive(Clone, Debug, Default)]
pub(crate) struct StorageInfo {
    /// Its current shape.
    pub shape: Vec<u64>,
    /// Compact storage (the data in the object header).
    pub compact: bool,
    /// Chunked storage: chunk shape, maximum shape, filters.
    pub chunked: Option<ChunkInfo>,
    /// Virtual storage: the maximum shape.
    pub virtual_max: Option<Vec<Option<u64>>>,
}

/// A chunked dataset's layout.
#[derive(Clone, Debug)]
pub(crate) struct ChunkInfo {
    pub chunk: Vec<u64>,
    /// Maximum dimensions (`None` = unlimited).
    pub max: Vec<Option<u64>>,
    pub filters: Vec<Filter>,
}

impl Engine {
    /// How dataset `id` is stored, read in one look at the model (also
    /// after the file closed, like its shape). A non-dataset id (a bug)
    /// reads as an empty contiguous dataset.
    pub fn storage_info(&self, id: NodeId) -> StorageInfo {
        self.read(|st| match st.tree.dataset(id) {
            Some(d) => StorageInfo {
                shape: d.shape.clone(),
                compact: d.compact.is_some(),
                chunked: d.chunked.as_ref().map(|c| ChunkInfo {
                    chunk: c.chunk.clone(),
                    max: c.max.clone(),
                    filters: c.filters.clone(),
                }),
                virtual_max: d.virt.as_ref().map(|v| v.max.clone()),
            },
            None => StorageInfo::default(),
        })
    }

    /// Names of the attributes of node `id`, sorted by their bytes.
    pub fn attr_names(&self, id: NodeId) -> Result<Vec<String>> {
        self.view(|_, st| {
            let mut names: Vec<String> = st
                .tree
                .node(id)
                .map(|n| n.attrs.iter().map(|a| a.name.clone()).collect())
                .unwrap_or_default();
            names.sort_unstable();
            Ok(names)
        })
    }

    /// The type and shape of attribute `name` of node `id`;
    /// [`Error::NotFound`] naming both when it has none of that name.
    pub fn attr_meta(&self, id: NodeId, name: &str) -> Result<(ElementType, Vec<u64>)> {
        self.view(|_, st| {
            st.tree
                .node(id)
                .and_then(|n| n.attrs.iter().find(|a| a.name == name))
                .map(|a| (a.dtype.clone(), a.shape.clone()))
                .ok_or_else(|| missing(st, id, name))
        })
    }
}

fn missing(st: &State, id: NodeId, name: &str) -> Error {
    Error::NotFound {
        path: clip(name),
        group: clip(&st.tree.path(id)),
        kind: "attribute",
    }
}
