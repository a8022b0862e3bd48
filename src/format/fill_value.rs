//! Fill Value message (version 2). Spec notes: `spec-notes/fill-value.md`.

/// When storage is allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocTime {
    /// At creation.
    Early = 1,
    /// When first written.
    Late = 2,
    /// Chunk by chunk.
    Incremental = 3,
}

/// When the fill value is written into allocated storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FillTime {
    /// On allocation.
    OnAlloc = 0,
    /// Never.
    Never = 1,
    /// Only if the user set one.
    IfSet = 2,
}

/// Body of a version 2 Fill Value message with the library default fill
/// (defined, size 0), as libhdf5 writes it.
pub fn encode_default(alloc: AllocTime, fill: FillTime) -> Vec<u8> {
    let _ = (alloc, fill);
    todo!()
}
