//! Superblock version 0. Spec notes: `spec-notes/superblock.md`.

use super::snod;

/// Encoded size of a version 0 superblock with 8-byte offsets and lengths.
pub const SIZE: u64 = 96;
/// Group Leaf Node K: a symbol table node holds up to 2K entries.
pub const GROUP_LEAF_K: u16 = 4;
/// Group Internal Node K: a group B-tree node holds up to 2K children.
pub const GROUP_INTERNAL_K: u16 = 16;

/// The fields of a version 0 superblock that vary between files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Superblock {
    /// End-of-file address: the exact length of the file.
    pub eof: u64,
    /// Address of the root group's object header.
    pub root_object_header: u64,
    /// Address of the root group's B-tree (cached in the root entry's scratch pad).
    pub root_btree: u64,
    /// Address of the root group's local heap (likewise cached).
    pub root_heap: u64,
}

impl Superblock {
    /// The 96 bytes of the superblock.
    pub fn encode(&self) -> [u8; SIZE as usize] {
        let _ = snod::ENTRY_SIZE;
        todo!()
    }
}
