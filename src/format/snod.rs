//! Symbol table nodes (`SNOD`) and symbol table entries. Spec notes: `spec-notes/snod.md`.
//!
//! # Examples
//!
//! A group's members: names go into the group's local heap, one entry per
//! member (sorted by name) into a node, which the group's B-tree points at.
//!
//! ```
//! use h5sink::format::{local_heap::LocalHeap, snod, superblock::GROUP_LEAF_K};
//!
//! let mut heap = LocalHeap::new();
//! let entry = snod::Entry {
//!     name_offset: heap.add(b"x"),
//!     object_header: 0x320,
//!     cache: snod::Cache::None, // a dataset
//! };
//! let mut node = Vec::new();
//! snod::encode_node(&mut node, GROUP_LEAF_K, &[entry])?;
//! assert_eq!(node.len() as u64, snod::node_size(GROUP_LEAF_K)); // 328
//! assert_eq!(node[..8], *b"SNOD\x01\x00\x01\x00"); // version 1, 1 symbol
//! assert_eq!(node[8..16], 8u64.to_le_bytes()); // "x" at heap offset 8
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::field::{self, len64};
use crate::error::{Error, Result};

mod decode;
pub use decode::{decode_entry, decode_node};

/// Encoded size of one symbol table entry with 8-byte offsets.
///
/// # Examples
///
/// Every entry is this long, whatever it caches; a node is 8 bytes of header
/// plus 2K entry slots:
///
/// ```
/// use h5sink::format::snod::{encode_entry, node_size, Cache, Entry, ENTRY_SIZE};
///
/// let mut out = Vec::new();
/// encode_entry(&mut out, &Entry { name_offset: 8, object_header: 0x320, cache: Cache::None });
/// assert_eq!(out.len() as u64, ENTRY_SIZE);
/// let cache = Cache::Group { btree: 0x348, heap: 0x568 };
/// encode_entry(&mut out, &Entry { name_offset: 16, object_header: 0x400, cache });
/// assert_eq!(out.len() as u64, 2 * ENTRY_SIZE);
/// assert_eq!(node_size(4), 8 + 8 * ENTRY_SIZE);
/// ```
pub const ENTRY_SIZE: u64 = 40;

/// Bytes before the first entry: signature, version, reserved, symbol count.
const NODE_HEADER_SIZE: u64 = 8;

/// What an entry caches about its object.
///
/// # Examples
///
/// The cache type is the u32 at byte 16 of the entry, and the scratch pad
/// (bytes 24..40) holds the group's B-tree and heap, or zeros:
///
/// ```
/// use h5sink::format::snod::{encode_entry, Cache, Entry};
///
/// let entry = |cache| Entry { name_offset: 8, object_header: 0x320, cache };
/// let (mut dataset, mut group) = (Vec::new(), Vec::new());
/// encode_entry(&mut dataset, &entry(Cache::None));
/// encode_entry(&mut group, &entry(Cache::Group { btree: 0x348, heap: 0x568 }));
/// assert_eq!(dataset[16..20], 0u32.to_le_bytes());
/// assert!(dataset[24..].iter().all(|&b| b == 0));
/// assert_eq!(group[16..20], 1u32.to_le_bytes());
/// assert_eq!(group[24..32], 0x348u64.to_le_bytes());
/// assert_eq!(group[32..40], 0x568u64.to_le_bytes());
/// ```
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
    /// A soft link (cache type 2): the link value's offset in the group's
    /// local heap; the entry's object header address is then undefined.
    SymbolicLink {
        /// Heap offset of the link value (the target path).
        link_offset: u32,
    },
}

/// One symbol table entry.
///
/// # Examples
///
/// Group `g` in the root of an h5py 3.16 file, byte for byte:
///
/// ```
/// use h5sink::format::snod::{encode_entry, Cache, Entry};
///
/// let g = Entry {
///     name_offset: 8,
///     object_header: 0x320,
///     cache: Cache::Group { btree: 0x348, heap: 0x568 },
/// };
/// let mut out = Vec::new();
/// encode_entry(&mut out, &g);
/// assert_eq!(out[..8], 8u64.to_le_bytes()); // name offset in the parent's heap
/// assert_eq!(out[8..16], 0x320u64.to_le_bytes()); // object header
/// assert_eq!(out[16..24], [1, 0, 0, 0, 0, 0, 0, 0]); // cache type 1, reserved
/// assert_eq!(out[24..], [0x48, 3, 0, 0, 0, 0, 0, 0, 0x68, 5, 0, 0, 0, 0, 0, 0]);
/// ```
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
///
/// # Examples
///
/// The superblock's last 40 bytes are the root's entry, built by this
/// function (name offset 0, cache type 1):
///
/// ```
/// use h5sink::format::snod::{encode_entry, Cache, Entry};
/// use h5sink::format::superblock::Superblock;
///
/// let sb = Superblock { eof: 1188, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
/// let cache = Cache::Group { btree: 0x88, heap: 0x2a8 };
/// let mut out = sb.encode()[..56].to_vec();
/// encode_entry(&mut out, &Entry { name_offset: 0, object_header: 0x60, cache });
/// assert_eq!(out, sb.encode());
/// ```
pub fn encode_entry(out: &mut Vec<u8>, entry: &Entry) {
    out.extend_from_slice(&entry.name_offset.to_le_bytes());
    out.extend_from_slice(&entry.object_header.to_le_bytes());
    let (cache_type, scratch) = match entry.cache {
        Cache::None => (0u32, [0u64, 0]),
        Cache::Group { btree, heap } => (1, [btree, heap]),
        Cache::SymbolicLink { link_offset } => (2, [u64::from(link_offset), 0]),
    };
    out.extend_from_slice(&cache_type.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // reserved
    for word in scratch {
        out.extend_from_slice(&word.to_le_bytes());
    }
}

/// Encoded size of a symbol table node holding up to 2K entries.
///
/// # Examples
///
/// Nodes are always written at full size, so an empty one is as long as a
/// full one; with h5py's leaf K of 4 that is 328 bytes:
///
/// ```
/// use h5sink::format::snod::{encode_node, node_size};
///
/// assert_eq!(node_size(4), 328);
/// let mut out = Vec::new();
/// encode_node(&mut out, 4, &[])?;
/// assert_eq!(out.len() as u64, node_size(4));
/// assert_eq!(node_size(1), 8 + 2 * 40);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn node_size(leaf_k: u16) -> u64 {
    NODE_HEADER_SIZE + 2 * u64::from(leaf_k) * ENTRY_SIZE
}

/// Append a symbol table node at full size holding `entries` (sorted by name) to `out`.
///
/// More than 2K entries is an error; unused entry slots are zero.
///
/// # Examples
///
/// With leaf K = 4, 8 entries fill the node and a ninth is refused:
///
/// ```
/// use h5sink::format::snod::{encode_node, Cache, Entry};
///
/// let e = Entry { name_offset: 8, object_header: 0x320, cache: Cache::None };
/// let mut out = Vec::new();
/// encode_node(&mut out, 4, &[e; 8])?;
/// assert_eq!(out[6..8], 8u16.to_le_bytes()); // number of symbols
/// assert!(matches!(
///     encode_node(&mut out, 4, &[e; 9]),
///     Err(h5sink::Error::FieldOverflow { value: 9, max: 8, .. })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode_node(out: &mut Vec<u8>, leaf_k: u16, entries: &[Entry]) -> Result<()> {
    let capacity = 2 * u64::from(leaf_k);
    let n = len64(entries.len());
    if n > capacity {
        return Err(Error::FieldOverflow {
            field: "symbol table node entries (2 x group leaf K)",
            value: n,
            max: capacity,
        });
    }
    let count = field::u16_field("symbol table node entries", n)?;
    out.extend_from_slice(b"SNOD");
    out.push(1); // version
    out.push(0); // reserved
    out.extend_from_slice(&count.to_le_bytes());
    for entry in entries {
        encode_entry(out, entry);
    }
    // Unused slots: capacity - n entries of zeros (at most 131070 * 40 bytes).
    let unused = usize::try_from((capacity - n) * ENTRY_SIZE).unwrap_or(0);
    out.resize(out.len() + unused, 0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// h5py 3.16, group `g` in the root: cache type 1 with [B-tree][heap].
    #[test]
    fn group_entry() {
        let mut out = Vec::new();
        let cache = Cache::Group {
            btree: 0x348,
            heap: 0x568,
        };
        encode_entry(
            &mut out,
            &Entry {
                name_offset: 8,
                object_header: 0x320,
                cache,
            },
        );
        let want = hex("0800000000000000 2003000000000000 01000000 00000000 \
             4803000000000000 6805000000000000");
        assert_eq!(out, want);
    }

    /// h5py 3.16 SNOD of the one-dataset file (`x` at heap offset 8, header 0x320).
    #[test]
    fn one_dataset_node() {
        let mut out = vec![0xEE];
        let e = Entry {
            name_offset: 8,
            object_header: 0x320,
            cache: Cache::None,
        };
        encode_node(&mut out, 4, &[e]).unwrap();
        assert_eq!(out.len(), 1 + 328);
        assert_eq!(node_size(4), 328);
        let want = hex("534e4f44 01 00 0100 0800000000000000 2003000000000000");
        assert_eq!(&out[1..25], &want[..]);
        assert!(out[25..].iter().all(|&b| b == 0));
    }

    #[test]
    fn full_and_overfull() {
        let e = Entry {
            name_offset: 8,
            object_header: 1,
            cache: Cache::None,
        };
        let mut out = Vec::new();
        encode_node(&mut out, 4, &[e; 8]).unwrap();
        assert_eq!(len64(out.len()), node_size(4));
        assert_eq!(&out[6..8], &[8, 0]);
        assert!(encode_node(&mut Vec::new(), 4, &[e; 9]).is_err());
        assert!(encode_node(&mut Vec::new(), 0, &[e]).is_err());
        let mut empty = Vec::new();
        encode_node(&mut empty, 1, &[]).unwrap();
        assert_eq!(len64(empty.len()), node_size(1));
    }
}
