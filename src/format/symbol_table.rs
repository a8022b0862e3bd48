//! Symbol Table message. Spec notes: `spec-notes/symbol-table.md`.

/// Body of a Symbol Table message: the group's B-tree and local heap addresses.
pub fn encode(btree: u64, heap: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    out.extend_from_slice(&btree.to_le_bytes());
    out.extend_from_slice(&heap.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    /// h5py 3.16 root group: B-tree at 0x88, heap at 0x2a8.
    #[test]
    fn h5py_root() {
        let want = [0x88, 0, 0, 0, 0, 0, 0, 0, 0xa8, 2, 0, 0, 0, 0, 0, 0];
        assert_eq!(super::encode(0x88, 0x2a8), want);
    }
}
