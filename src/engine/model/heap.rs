//! Bookkeeping of the global heap collection that string appends fill.
//! Spec notes: `spec-notes/global-heap.md`.

/// The last global heap collection written since the last commit, with room
/// left: later string appends fill it (rewriting it whole, in place) before
/// new collections are made. No committed state refers to it, so rewriting
/// is safe; a commit seals it.
#[derive(Debug)]
pub(crate) struct OpenCollection {
    /// File address of the collection (its size is the minimum, 4096).
    pub start: u64,
    /// Its objects, in index order (index = position + 1).
    pub objects: Vec<Vec<u8>>,
}
