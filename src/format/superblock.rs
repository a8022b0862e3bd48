//! Superblock version 0. Spec notes: `spec-notes/superblock.md`.

use super::field::UNDEF_ADDR;
use super::snod;

/// Encoded size of a version 0 superblock with 8-byte offsets and lengths.
pub const SIZE: u64 = 96;
/// Group Leaf Node K: a symbol table node holds up to 2K entries.
pub const GROUP_LEAF_K: u16 = 4;
/// Group Internal Node K: a group B-tree node holds up to 2K children.
pub const GROUP_INTERNAL_K: u16 = 16;

/// The format signature that opens every HDF5 file.
pub const SIGNATURE: [u8; 8] = [0x89, b'H', b'D', b'F', b'\r', b'\n', 0x1a, b'\n'];

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
        let mut v = Vec::with_capacity(SIZE as usize);
        v.extend_from_slice(&SIGNATURE);
        // Versions: superblock, free-space storage, root symbol table entry,
        // reserved, shared header message format; then sizes of offsets and
        // lengths, reserved.
        v.extend_from_slice(&[0, 0, 0, 0, 0, 8, 8, 0]);
        v.extend_from_slice(&GROUP_LEAF_K.to_le_bytes());
        v.extend_from_slice(&GROUP_INTERNAL_K.to_le_bytes());
        v.extend_from_slice(&0u32.to_le_bytes()); // file consistency flags
        v.extend_from_slice(&0u64.to_le_bytes()); // base address
        v.extend_from_slice(&UNDEF_ADDR.to_le_bytes()); // free-space info
        v.extend_from_slice(&self.eof.to_le_bytes());
        v.extend_from_slice(&UNDEF_ADDR.to_le_bytes()); // driver information block
        let root = snod::Entry {
            name_offset: 0,
            object_header: self.root_object_header,
            cache: snod::Cache::Group {
                btree: self.root_btree,
                heap: self.root_heap,
            },
        };
        snod::encode_entry(&mut v, &root);
        let mut out = [0u8; SIZE as usize];
        for (dst, src) in out.iter_mut().zip(&v) {
            *dst = *src;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// The superblock of h5py 3.16's one-dataset file (`x.h5`, 2060 bytes).
    #[test]
    fn h5py_superblock() {
        let sb = Superblock {
            eof: 2060,
            root_object_header: 0x60,
            root_btree: 0x88,
            root_heap: 0x2a8,
        };
        let want = hex(
            "894844460d0a1a0a 0000000000080800 0400100000000000 0000000000000000 \
             ffffffffffffffff 0c08000000000000 ffffffffffffffff 0000000000000000 \
             6000000000000000 0100000000000000 8800000000000000 a802000000000000",
        );
        assert_eq!(sb.encode().to_vec(), want);
        // The entry part is exactly one symbol table entry.
        assert_eq!(SIZE, 56 + snod::ENTRY_SIZE);
    }
}
