//! Group B-tree nodes: version 1 B-tree nodes of type 0, whose children are
//! symbol table nodes (`SNOD`) or group nodes one level down. Spec notes:
//! `spec-notes/group-btree.md`.
//!
//! The node header is [`super`]'s; here, keys (heap offsets of names)
//! interleave with children and the node is zero-padded to full size.
//! Which names and children each node holds is the caller's plan (the
//! engine splits a group's members into `SNOD`s and levels).
//!
//! # Examples
//!
//! The root B-tree of h5py's one-dataset file: one leaf whose single child is
//! the root's `SNOD`, between the keys `""` (heap offset 0) and `"x"` (8):
//!
//! ```
//! use h5sink::format::btree::group;
//! use h5sink::format::{field::UNDEF_ADDR, superblock::GROUP_INTERNAL_K};
//!
//! let (k, none) = (GROUP_INTERNAL_K, UNDEF_ADDR); // no siblings
//! let mut out = Vec::new();
//! group::encode_group_node(&mut out, k, 0, none, none, &[0, 8], &[0x430])?;
//! assert_eq!(out.len() as u64, group::group_node_size(GROUP_INTERNAL_K)); // 544
//! assert_eq!(out[..8], *b"TREE\x00\x00\x01\x00"); // type 0, level 0, 1 entry used
//! assert_eq!(out[24..32], 0u64.to_le_bytes()); // key 0
//! assert_eq!(out[32..40], 0x430u64.to_le_bytes()); // child 0
//! assert_eq!(out[40..48], 8u64.to_le_bytes()); // key 1
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::{NodeHeader, CHILD_SIZE, NODE_HEADER_SIZE};
use crate::error::{Error, Result};
use crate::format::field::{self, len64};

/// Node type 0: the children are symbol table nodes (or group subtrees).
const GROUP_NODE: u8 = 0;
/// Bytes of a group key: one heap offset (Size of Lengths).
const GROUP_KEY_SIZE: usize = 8;

#[cfg(test)]
mod corpus_tests;
mod decode;
pub use decode::{decode_group_node, GroupNode};

/// Encoded size of a group B-tree node (type 0) with 2K children.
///
/// # Examples
///
/// 24 header bytes, 2K + 1 keys and 2K children of 8 bytes each; an empty
/// group's leaf is written at that full size too:
///
/// ```
/// use h5sink::format::{btree::group, field::UNDEF_ADDR};
///
/// assert_eq!(group::group_node_size(16), 24 + 33 * 8 + 32 * 8);
/// let mut out = Vec::new();
/// group::encode_group_node(&mut out, 16, 0, UNDEF_ADDR, UNDEF_ADDR, &[0], &[])?;
/// assert_eq!(out.len() as u64, group::group_node_size(16));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn group_node_size(k: u16) -> u64 {
    // 2K + 1 keys and 2K children of 8 bytes each: at most 24 + 8 * 262141.
    NODE_HEADER_SIZE + (4 * u64::from(k) + 1) * 8
}

/// Append one group B-tree node (type 0) at full size to `out`.
///
/// `keys.len()` must be `children.len() + 1` and `children.len() <= 2k`;
/// `left`/`right` are the sibling addresses (UNDEF at the ends).
/// A leaf (level 0) may have no children: that is how libhdf5 writes the
/// B-tree of an empty group. An internal node needs at least one child.
///
/// # Examples
///
/// A level-1 node over two sibling leaves; a wrong key count or an empty
/// internal node is refused, and nothing is appended:
///
/// ```
/// use h5sink::format::{btree::group::encode_group_node, field::UNDEF_ADDR as NONE};
/// use h5sink::Error;
///
/// let mut out = Vec::new();
/// encode_group_node(&mut out, 16, 1, NONE, NONE, &[0, 96, 200], &[0x800, 0xa20])?;
/// assert_eq!(out[4..8], [0, 1, 2, 0]); // type 0, level 1, 2 entries used
/// let bad = encode_group_node(&mut out, 16, 0, NONE, NONE, &[0, 8], &[1, 2]);
/// assert!(matches!(bad, Err(Error::InvalidArgument { what: "B-tree node key count", .. })));
/// let empty = encode_group_node(&mut out, 16, 1, NONE, NONE, &[0], &[]);
/// assert!(matches!(empty, Err(Error::InvalidArgument { .. })));
/// assert_eq!(out.len(), 544);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode_group_node(
    out: &mut Vec<u8>,
    k: u16,
    level: u8,
    left: u64,
    right: u64,
    keys: &[u64],
    children: &[u64],
) -> Result<()> {
    let key_bytes: Vec<u8> = keys.iter().flat_map(|key| key.to_le_bytes()).collect();
    let frame = Frame {
        node_type: GROUP_NODE,
        level,
        left,
        right,
        k,
    };
    encode_node(out, &frame, GROUP_KEY_SIZE, &key_bytes, children)
}

/// The fields of a node other than its keys and children.
struct Frame {
    node_type: u8,
    level: u8,
    left: u64,
    right: u64,
    /// The tree's K: a node has room for 2K children and 2K + 1 keys.
    k: u16,
}

/// Append a full-size node. `keys` holds `children.len() + 1` keys of
/// `key_size` bytes each, back to back.
fn encode_node(
    out: &mut Vec<u8>,
    frame: &Frame,
    key_size: usize,
    keys: &[u8],
    children: &[u64],
) -> Result<()> {
    let capacity = 2 * u64::from(frame.k);
    let n = len64(children.len());
    if n > capacity {
        return Err(Error::FieldOverflow {
            field: "B-tree node children (2K)",
            value: n,
            max: capacity,
        });
    }
    if n == 0 && frame.level > 0 {
        return Err(Error::InvalidArgument {
            what: "B-tree internal node child count",
            value: "0".to_string(),
            reason: "a node above level 0 needs at least one child",
        });
    }
    let whole_keys = keys.len().checked_rem(key_size) == Some(0);
    if !whole_keys || keys.len().checked_div(key_size) != Some(children.len() + 1) {
        return Err(Error::InvalidArgument {
            what: "B-tree node key count",
            value: format!("{} key bytes for {} children", keys.len(), children.len()),
            reason: "a node holds exactly one key more than it has children",
        });
    }
    let used = field::u16_field("B-tree node entries used", n)?;
    let slot = field::add("B-tree node slot size", len64(key_size), CHILD_SIZE)?;
    let unused = field::mul("B-tree node size", capacity - n, slot)?;
    let unused = usize::try_from(unused).map_err(|_| Error::FieldOverflow {
        field: "B-tree node size",
        value: unused,
        max: len64(usize::MAX),
    })?;

    NodeHeader {
        node_type: frame.node_type,
        level: frame.level,
        entries_used: used,
        left: frame.left,
        right: frame.right,
    }
    .encode(out);
    let mut key_iter = keys.chunks_exact(key_size);
    out.extend_from_slice(key_iter.next().unwrap_or_default());
    for (child, key) in children.iter().zip(key_iter) {
        out.extend_from_slice(&child.to_le_bytes());
        out.extend_from_slice(key);
    }
    out.resize(out.len().saturating_add(unused), 0);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::field::UNDEF_ADDR;
    use crate::format::hex;

    fn group(level: u8, keys: &[u64], children: &[u64]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        encode_group_node(&mut out, 16, level, UNDEF_ADDR, UNDEF_ADDR, keys, children)?;
        Ok(out)
    }

    /// h5py 3.16 root B-tree of the one-dataset file: key0 "" (0), SNOD at
    /// 0x430, key1 "x" (8); 544 bytes.
    #[test]
    fn h5py_one_child() {
        let out = group(0, &[0, 8], &[0x430]).unwrap();
        let want = hex("54524545 00 00 0100 ffffffffffffffff ffffffffffffffff \
             0000000000000000 3004000000000000 0800000000000000");
        assert_eq!(&out[..want.len()], &want[..]);
        assert!(out[want.len()..].iter().all(|&b| b == 0));
        assert_eq!(len64(out.len()), group_node_size(16));
        assert_eq!(group_node_size(16), 544);
    }

    /// h5py 3.16 empty group: a leaf with no children and key0 = 0.
    #[test]
    fn h5py_empty_group() {
        let out = group(0, &[0], &[]).unwrap();
        let want = hex("54524545 00 00 0000 ffffffffffffffff ffffffffffffffff");
        assert_eq!(&out[..24], &want[..]);
        assert!(out[24..].iter().all(|&b| b == 0));
        assert_eq!(out.len(), 544);
    }

    /// h5py 3.16 group of 9 datasets: two SNODs, keys "", d03, d08.
    #[test]
    fn h5py_two_children() {
        let out = group(0, &[0, 32, 72], &[0x838, 0x1ab0]).unwrap();
        let want = hex("0000000000000000 3808000000000000 2000000000000000 \
             b01a000000000000 4800000000000000");
        assert_eq!(&out[24..24 + want.len()], &want[..]);
        assert_eq!(out.len(), 544);
    }

    #[test]
    fn full_node_and_siblings() {
        let keys: Vec<u64> = (0..33).collect();
        let children: Vec<u64> = (100..132).collect();
        let mut out = Vec::new();
        encode_group_node(&mut out, 16, 1, 7, 9, &keys, &children).unwrap();
        assert_eq!(out.len(), 544);
        assert_eq!(&out[4..8], &[0, 1, 32, 0]);
        assert_eq!(&out[8..24], &hex("0700000000000000 0900000000000000")[..]);
        assert_eq!(&out[536..544], &32u64.to_le_bytes());
    }

    #[test]
    fn rejects_bad_shapes() {
        let keys: Vec<u64> = (0..34).collect();
        let children: Vec<u64> = (0..33).collect();
        assert!(group(0, &keys, &children).is_err()); // 33 > 2K
        assert!(group(0, &[0, 1], &[5, 6]).is_err()); // too few keys
        assert!(group(0, &[0, 1, 2], &[5]).is_err()); // too many keys
        assert!(group(0, &[], &[]).is_err()); // no keys at all
        assert!(group(1, &[0], &[]).is_err()); // empty internal node
        let mut out = Vec::new();
        assert!(encode_group_node(&mut out, 0, 0, 0, 0, &[0, 1], &[2]).is_err());
        assert!(out.is_empty(), "nothing appended on error");
    }

    /// The private framing with a wider key, as a chunk tree (type 1) will use.
    #[test]
    fn generic_key_size() {
        let frame = Frame {
            node_type: 1,
            level: 0,
            left: UNDEF_ADDR,
            right: UNDEF_ADDR,
            k: 2,
        };
        let keys = vec![0xAA; 3 * 24];
        let mut out = Vec::new();
        encode_node(&mut out, &frame, 24, &keys, &[1, 2]).unwrap();
        assert_eq!(out.len(), 24 + 5 * 24 + 4 * 8);
        assert!(encode_node(&mut out, &frame, 0, &[], &[]).is_err());
        assert!(encode_node(&mut out, &frame, 24, &keys[1..], &[1, 2]).is_err());
    }
}
