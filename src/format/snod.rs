//! Symbol table nodes (`SNOD`) and symbol table entries. Spec notes: `spec-notes/snod.md`.

use super::field::{self, len64};
use crate::error::{Error, Result};

/// Encoded size of one symbol table entry with 8-byte offsets.
pub const ENTRY_SIZE: u64 = 40;

/// Bytes before the first entry: signature, version, reserved, symbol count.
const NODE_HEADER_SIZE: u64 = 8;

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
    out.extend_from_slice(&entry.name_offset.to_le_bytes());
    out.extend_from_slice(&entry.object_header.to_le_bytes());
    let (cache_type, scratch) = match entry.cache {
        Cache::None => (0u32, [0u64, 0]),
        Cache::Group { btree, heap } => (1, [btree, heap]),
    };
    out.extend_from_slice(&cache_type.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // reserved
    for word in scratch {
        out.extend_from_slice(&word.to_le_bytes());
    }
}

/// Encoded size of a symbol table node holding up to 2K entries.
pub fn node_size(leaf_k: u16) -> u64 {
    NODE_HEADER_SIZE + 2 * u64::from(leaf_k) * ENTRY_SIZE
}

/// Append a symbol table node at full size holding `entries` (sorted by name) to `out`.
///
/// More than 2K entries is an error; unused entry slots are zero.
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
