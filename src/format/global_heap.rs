//! Global heap collections (`GCOL`) and variable-length references. Spec notes: `spec-notes/global-heap.md`.

use crate::error::Result;

/// The smallest collection libhdf5 accepts.
pub const MIN_COLLECTION_SIZE: u64 = 4096;

/// One planned collection: its size and which objects it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CollectionPlan {
    /// Bytes of the whole collection (at least 4096).
    pub size: u64,
    /// Index (into the packed list) of its first object.
    pub first: usize,
    /// Number of objects; object `first + i` gets heap index `i + 1`.
    pub count: usize,
}

/// Pack objects of the given byte lengths, in order, into collections.
pub fn pack(lengths: &[u64]) -> Result<Vec<CollectionPlan>> {
    let _ = lengths;
    todo!()
}

/// Append the collection `plan`, holding `objects` (exactly the plan's objects), to `out`.
pub fn encode(out: &mut Vec<u8>, plan: &CollectionPlan, objects: &[&[u8]]) -> Result<()> {
    let _ = (out, plan, objects);
    todo!()
}

/// The 16-byte variable-length element: length, collection address, object index.
pub fn vlen_ref(len: u32, collection: u64, index: u32) -> [u8; 16] {
    let _ = (len, collection, index);
    todo!()
}
