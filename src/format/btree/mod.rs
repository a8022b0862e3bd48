//! Version 1 B-trees (`TREE`): the node header both kinds share, with the
//! group trees (node type 0) in [`group`] and the chunk indexes (node type
//! 1) in [`chunk`]. Spec notes: `spec-notes/btree.md`.
//!
//! Every node starts with the same 24-byte header: the signature `TREE`,
//! the node type, the level (0 = leaf), the entries used (u16) and the
//! left and right sibling addresses; then keys and child addresses
//! alternate, and the node is written at full size (2K children, 2K + 1
//! keys). The kinds differ in their keys, their K and how their callers
//! build the tree, so each keeps its own body encoder.
//!
//! [`encode_group_node`] and [`group_node_size`] are also re-exported here,
//! where they lived before `group` existed.
//!
//! # Examples
//!
//! A group leaf and a chunk leaf begin alike, apart from the node type:
//!
//! ```
//! use h5sink::format::btree::{chunk, group};
//! use h5sink::format::field::UNDEF_ADDR as NONE;
//!
//! let mut g = Vec::new();
//! group::encode_group_node(&mut g, 16, 0, NONE, NONE, &[0, 8], &[0x430])?;
//! let entry = chunk::ChunkEntry { offset: vec![0], size: 40, filter_mask: 0, address: 0xda8 };
//! let mut c = Vec::new();
//! chunk::encode_tree(&[entry], &[10, 4], &[vec![0x578]], &mut c)?;
//! assert_eq!(g[..8], *b"TREE\x00\x00\x01\x00"); // type 0 (group), level 0, 1 entry
//! assert_eq!(c[..8], *b"TREE\x01\x00\x01\x00"); // type 1 (chunk), level 0, 1 entry
//! assert_eq!(g[8..24], c[8..24]); // no siblings: UNDEF twice
//! // The old paths of the group node encoder still work.
//! assert_eq!(h5sink::format::btree::group_node_size(16), group::group_node_size(16));
//! # Ok::<(), h5sink::Error>(())
//! ```

pub mod chunk;
pub mod group;

pub use group::{encode_group_node, group_node_size};

/// Signature, type, level, entries used, left and right sibling.
const NODE_HEADER_SIZE: u64 = 24;
/// Bytes of a child address (Size of Offsets).
const CHILD_SIZE: u64 = 8;

/// The header of one node: everything before its first key.
struct NodeHeader {
    /// 0: group node, 1: chunk node.
    node_type: u8,
    /// 0 for a leaf.
    level: u8,
    /// Children in use.
    entries_used: u16,
    /// Sibling addresses on the same level (UNDEF at the ends).
    left: u64,
    right: u64,
}

impl NodeHeader {
    /// Append the 24 header bytes to `out`.
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"TREE");
        out.push(self.node_type);
        out.push(self.level);
        out.extend_from_slice(&self.entries_used.to_le_bytes());
        out.extend_from_slice(&self.left.to_le_bytes());
        out.extend_from_slice(&self.right.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::field::{len64, UNDEF_ADDR};
    use crate::format::hex;

    /// h5py 3.16: the header of the one-dataset file's root B-tree.
    #[test]
    fn h5py_header() {
        let mut out = Vec::new();
        NodeHeader {
            node_type: 0,
            level: 0,
            entries_used: 1,
            left: UNDEF_ADDR,
            right: UNDEF_ADDR,
        }
        .encode(&mut out);
        assert_eq!(
            out,
            hex("54524545 00 00 0100 ffffffffffffffff ffffffffffffffff")
        );
        assert_eq!(len64(out.len()), NODE_HEADER_SIZE);
    }
}
