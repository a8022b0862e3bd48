//! Symbol table nodes (`SNOD`) and symbol table entries. Spec notes: `spec-notes/snod.md`.

use crate::error::Result;

/// Encoded size of one symbol table entry with 8-byte offsets.
pub const ENTRY_SIZE: u64 = 40;

/// What an entry caches about its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cache {
    /// Nothing cached (cache type 0), used for datasets.
    None,
    /// A group's B-tree and heap addresses (cache type 1).
    Group {
        /// The group's B-tree.
        btree: u64,
        /// The group's local heap.
        heap: u64,
    },
}

/// One symbol table entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Offset of the link name in the parent's local heap.
    pub name_offset: u64,
    /// Address of the object's header.
    pub object_header: u64,
    /// Cached addresses.
    pub cache: Cache,
}

/// Append one 40-byte symbol table entry to `out`.
pub fn encode_entry(out: &mut Vec<u8>, entry: &Entry) {
    let _ = (out, entry);
    todo!()
}

/// Encoded size of a symbol table node holding up to 2K entries.
pub fn node_size(leaf_k: u16) -> u64 {
    let _ = leaf_k;
    todo!()
}

/// Append a symbol table node at full size holding `entries` (sorted by name) to `out`.
pub fn encode_node(out: &mut Vec<u8>, leaf_k: u16, entries: &[Entry]) -> Result<()> {
    let _ = (out, leaf_k, entries);
    todo!()
}
