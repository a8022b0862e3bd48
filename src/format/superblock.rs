//! Superblock: version 0 encoded, versions 0 and 1 decoded ([`decode`]). Spec notes: `spec-notes/superblock.md`.
//!
//! # Examples
//!
//! The superblock opens the file and is encoded last, once the file's length
//! (its EOF address) is known:
//!
//! ```
//! use h5sink::format::superblock::{Superblock, SIGNATURE, SIZE};
//!
//! let sb = Superblock { eof: 2060, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
//! let bytes = sb.encode();
//! assert_eq!(bytes.len() as u64, SIZE);
//! assert_eq!(bytes[..8], SIGNATURE);
//! assert_eq!(bytes[8], 0); // superblock version 0
//! assert_eq!(bytes[40..48], 2060u64.to_le_bytes()); // end-of-file address
//! ```

use super::field::UNDEF_ADDR;
use super::snod;

mod decode;
pub use decode::{decode, signature_offsets, Decoded};

/// Encoded size of a version 0 superblock with 8-byte offsets and lengths.
///
/// # Examples
///
/// The root group's header follows the superblock, at 0x60 in h5py files:
///
/// ```
/// use h5sink::format::superblock::{Superblock, SIZE};
///
/// let sb = Superblock { eof: 0, root_object_header: SIZE, root_btree: 0x88, root_heap: 0x2a8 };
/// let file = sb.encode().to_vec();
/// assert_eq!(file.len() as u64, SIZE);
/// assert_eq!(SIZE, 0x60);
/// ```
pub const SIZE: u64 = 96;
/// Group Leaf Node K: a symbol table node holds up to 2K entries.
///
/// # Examples
///
/// Stored at byte 16 of the superblock; it sizes every symbol table node
/// (8 entries of 40 bytes after an 8-byte header):
///
/// ```
/// use h5sink::format::{snod, superblock::{Superblock, GROUP_LEAF_K}};
///
/// let sb = Superblock { eof: 0, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
/// assert_eq!(sb.encode()[16..18], GROUP_LEAF_K.to_le_bytes());
/// assert_eq!(snod::node_size(GROUP_LEAF_K), 8 + 2 * 4 * 40);
/// let entry = snod::Entry { name_offset: 8, object_header: 0x420, cache: snod::Cache::None };
/// assert!(snod::encode_node(&mut Vec::new(), GROUP_LEAF_K, &[entry; 8]).is_ok());
/// assert!(snod::encode_node(&mut Vec::new(), GROUP_LEAF_K, &[entry; 9]).is_err());
/// ```
pub const GROUP_LEAF_K: u16 = 4;
/// Group Internal Node K: a group B-tree node holds up to 2K children.
///
/// # Examples
///
/// Stored at byte 18 of the superblock; it sizes every group B-tree node,
/// leaves included (32 children, 544 bytes):
///
/// ```
/// use h5sink::format::{btree::group, field::UNDEF_ADDR, superblock::{Superblock, GROUP_INTERNAL_K}};
///
/// let sb = Superblock { eof: 0, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
/// assert_eq!(sb.encode()[18..20], GROUP_INTERNAL_K.to_le_bytes());
/// assert_eq!(group::group_node_size(GROUP_INTERNAL_K), 544);
/// let (keys, children): (Vec<u64>, Vec<u64>) = ((0..34).collect(), (100..133).collect());
/// let (k, undef) = (GROUP_INTERNAL_K, UNDEF_ADDR);
/// let leaf = |out: &mut Vec<u8>, n: usize| {
///     group::encode_group_node(out, k, 0, undef, undef, &keys[..=n], &children[..n])
/// };
/// let mut out = Vec::new();
/// leaf(&mut out, 32)?; // 2K children: a full node
/// assert_eq!(out.len(), 544);
/// assert!(leaf(&mut out, 33).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const GROUP_INTERNAL_K: u16 = 16;

/// The format signature that opens every HDF5 file.
///
/// # Examples
///
/// ```
/// use h5sink::format::superblock::{Superblock, SIGNATURE};
///
/// assert_eq!(&SIGNATURE, b"\x89HDF\r\n\x1a\n");
/// let sb = Superblock { eof: 1188, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
/// assert!(sb.encode().starts_with(&SIGNATURE));
/// ```
pub const SIGNATURE: [u8; 8] = [0x89, b'H', b'D', b'F', b'\r', b'\n', 0x1a, b'\n'];

/// The fields of a version 0 superblock that vary between files.
///
/// # Examples
///
/// Where each field lands: the EOF at byte 40, the root entry's object
/// header at 64 and its cached B-tree and heap at 80 and 88:
///
/// ```
/// use h5sink::format::superblock::Superblock;
///
/// let sb = Superblock { eof: 1188, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
/// let bytes = sb.encode();
/// let word = |at: usize| bytes[at..at + 8].to_vec();
/// assert_eq!(word(40), 1188u64.to_le_bytes());
/// assert_eq!(word(64), 0x60u64.to_le_bytes());
/// assert_eq!(word(80), 0x88u64.to_le_bytes());
/// assert_eq!(word(88), 0x2a8u64.to_le_bytes());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Superblock {
    /// End-of-file address: the exact length of the file.
    pub eof: u64,
    /// Address of the root group's object header.
    pub root_object_header: u64,
    /// Address of the root group's B-tree (cached in the root entry's scratch
    /// pad). With `root_heap`, [`UNDEF_ADDR`] for
    /// a root group whose members are link messages: the entry then caches
    /// nothing (cache type 0).
    pub root_btree: u64,
    /// Address of the root group's local heap (likewise cached).
    pub root_heap: u64,
}

impl Superblock {
    /// The 96 bytes of the superblock.
    ///
    /// # Examples
    ///
    /// Its last 40 bytes are the root group's symbol table entry, which
    /// caches the root's B-tree and heap like a group's entry in a `SNOD`:
    ///
    /// ```
    /// use h5sink::format::{snod, superblock::Superblock};
    ///
    /// let (btree, heap) = (0x88, 0x2a8);
    /// let (eof, root_object_header) = (1188, 0x60);
    /// let sb = Superblock { eof, root_object_header, root_btree: btree, root_heap: heap };
    /// let root = snod::Entry {
    ///     name_offset: 0,
    ///     object_header: root_object_header,
    ///     cache: snod::Cache::Group { btree, heap },
    /// };
    /// let mut entry = Vec::new();
    /// snod::encode_entry(&mut entry, &root);
    /// assert_eq!(sb.encode()[56..], entry[..]);
    /// ```
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
            // A root whose members are link messages has no B-tree or heap
            // to cache.
            cache: if self.root_btree == UNDEF_ADDR && self.root_heap == UNDEF_ADDR {
                snod::Cache::None
            } else {
                snod::Cache::Group {
                    btree: self.root_btree,
                    heap: self.root_heap,
                }
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
