//! A new dataset, fully validated: what `create_dataset` needs and nothing
//! it must still check, except what depends on the file (the path, the
//! address space left).

use crate::engine::model::Chunked;
use crate::format::datatype::Datatype;

/// How a new dataset stores its data.
#[derive(Clone, Debug)]
pub(crate) enum Storage {
    /// One data block at an address fixed at creation.
    Contiguous,
    /// The data in the object header (already filled with the fill value).
    Compact(Vec<u8>),
    /// Chunks indexed by a B-tree.
    Chunked(Chunked),
}

/// A validated dataset description.
#[derive(Clone, Debug)]
pub(crate) struct DatasetSpec {
    pub dtype: Datatype,
    pub shape: Vec<u64>,
    /// Bytes of the whole dataset (0 when a dimension is 0).
    pub size: u64,
    /// A user fill value, one element in file format.
    pub fill: Option<Vec<u8>>,
    pub storage: Storage,
}
