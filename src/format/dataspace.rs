//! Dataspace message (version 1). Spec notes: `spec-notes/dataspace.md`.

use crate::error::Result;

/// Body of a Dataspace message for a fixed shape (`dims` empty = scalar).
pub fn encode(dims: &[u64]) -> Result<Vec<u8>> {
    let _ = dims;
    todo!()
}
