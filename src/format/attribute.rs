//! Attribute message (version 1). Spec notes: `spec-notes/attribute.md`.

use crate::error::Result;

/// Body of a version 1 Attribute message: `name`, the encoded Datatype and
/// Dataspace message bodies, and the raw data in the file's element format.
pub fn encode(name: &str, datatype: &[u8], dataspace: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    let _ = (name, datatype, dataspace, data);
    todo!()
}
