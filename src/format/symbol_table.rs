//! Symbol Table message. Spec notes: `spec-notes/symbol-table.md`.

/// Body of a Symbol Table message: the group's B-tree and local heap addresses.
pub fn encode(btree: u64, heap: u64) -> Vec<u8> {
    let _ = (btree, heap);
    todo!()
}
