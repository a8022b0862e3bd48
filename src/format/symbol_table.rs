//! Symbol Table message. Spec notes: `spec-notes/symbol-table.md`.
//!
//! # Examples
//!
//! An old-style group's object header holds this single message (flags 0),
//! pointing at the group's B-tree and local heap:
//!
//! ```
//! use h5sink::format::object_header::{self, kind, Message};
//! use h5sink::format::symbol_table;
//!
//! let body = symbol_table::encode(0x88, 0x2a8);
//! let msg = Message { kind: kind::SYMBOL_TABLE, flags: 0, body: &body };
//! let mut header = Vec::new();
//! object_header::encode(&mut header, &[msg])?;
//! assert_eq!(header.len(), 40); // h5py's root group header: 0x60..0x88
//! assert_eq!(header[16..18], [0x11, 0]);
//! assert_eq!(header[24..], body[..]);
//! # Ok::<(), h5sink::Error>(())
//! ```

/// Body of a Symbol Table message: the group's B-tree and local heap addresses.
///
/// # Examples
///
/// The same two addresses, in the same order, as the scratch pad of the
/// group's symbol table entry (for the root: the superblock's last 16 bytes):
///
/// ```
/// use h5sink::format::{superblock::Superblock, symbol_table};
///
/// let body = symbol_table::encode(0x88, 0x2a8);
/// assert_eq!(body, [0x88, 0, 0, 0, 0, 0, 0, 0, 0xa8, 2, 0, 0, 0, 0, 0, 0]);
/// let sb = Superblock { eof: 1188, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
/// assert_eq!(sb.encode()[80..], body[..]);
/// ```
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
