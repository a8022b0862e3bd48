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

use crate::error::Result;
use crate::format::reader::Reader;

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

/// The decoded 24-byte header of a version 1 B-tree node, as
/// [`decode_node_header`] returns it: what both node kinds share.
///
/// # Examples
///
/// The root B-tree header of h5py's one-dataset file: a group leaf (type 0,
/// level 0) with one child and no siblings:
///
/// ```
/// use h5sink::format::btree::{decode_node_header, DecodedHeader};
/// use h5sink::format::reader::Reader;
///
/// let mut bytes = b"TREE\x00\x00\x01\x00".to_vec();
/// bytes.extend_from_slice(&[0xff; 16]); // left and right: UNDEF
/// let mut r = Reader::new(&bytes, 0x88, "group B-tree node");
/// let head = decode_node_header(&mut r, 1188)?;
/// let want = DecodedHeader { node_type: 0, level: 0, entries_used: 1, left: None, right: None };
/// assert_eq!(head, want);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodedHeader {
    /// 0: group node, 1: chunk node (the only types that exist).
    pub node_type: u8,
    /// 0 for a leaf; children of a level-n node are at level n - 1.
    pub level: u8,
    /// Children in use. Not checked against the tree's 2K here: K is the
    /// caller's (group or chunk tree), so the caller checks it.
    pub entries_used: u16,
    /// Left sibling on the same level, `None` (UNDEF) at the left end.
    pub left: Option<u64>,
    /// Right sibling on the same level, `None` (UNDEF) at the right end.
    pub right: Option<u64>,
}

/// Decode the 24-byte node header at the reader's position, leaving the
/// reader at the first key, so the caller (group or chunk tree) reads its
/// keys and children from the same reader.
///
/// Malformed: a signature other than `TREE`, a node type other than 0 or
/// 1, a sibling address at or past `eof` (the file's end-of-file
/// address), fewer than 24 bytes. The entries used are returned
/// unchecked: only the caller knows the tree's K.
///
/// # Examples
///
/// A chunk node (type 1) at level 1 with a right sibling; a sibling past
/// the end of the file and a node type 2 are refused:
///
/// ```
/// use h5sink::format::btree::decode_node_header;
/// use h5sink::format::reader::Reader;
/// use h5sink::Error;
///
/// let mut bytes = b"TREE\x01\x01\x02\x00".to_vec();
/// bytes.extend_from_slice(&[0xff; 8]); // no left sibling
/// bytes.extend_from_slice(&0x800u64.to_le_bytes());
/// let head = decode_node_header(&mut Reader::new(&bytes, 0x400, "chunk B-tree node"), 4096)?;
/// assert_eq!((head.node_type, head.level, head.entries_used), (1, 1, 2));
/// assert_eq!((head.left, head.right), (None, Some(0x800)));
///
/// let e = decode_node_header(&mut Reader::new(&bytes, 0x400, "chunk B-tree node"), 0x800);
/// assert!(matches!(e, Err(Error::Malformed { offset: 0x410, .. })));
/// bytes[4] = 2;
/// let e = decode_node_header(&mut Reader::new(&bytes, 0x400, "B-tree node"), 4096).unwrap_err();
/// assert_eq!(e.to_string(), "B-tree node at offset 1028 is malformed: node type 2, expected 0 (group) or 1 (chunk)");
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_node_header(r: &mut Reader<'_>, eof: u64) -> Result<DecodedHeader> {
    r.signature(b"TREE")?;
    let at = r.position();
    let node_type = r.u8()?;
    if node_type > 1 {
        r.seek(at)?;
        return Err(r.error(format!(
            "node type {node_type}, expected 0 (group) or 1 (chunk)"
        )));
    }
    let level = r.u8()?;
    let entries_used = r.u16()?;
    let left = r.address(eof)?;
    let right = r.address(eof)?;
    Ok(DecodedHeader {
        node_type,
        level,
        entries_used,
        left,
        right,
    })
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

    fn header(node_type: u8, level: u8, entries_used: u16, left: u64, right: u64) -> Vec<u8> {
        let mut out = Vec::new();
        NodeHeader {
            node_type,
            level,
            entries_used,
            left,
            right,
        }
        .encode(&mut out);
        out
    }

    fn decode(bytes: &[u8], eof: u64) -> Result<DecodedHeader> {
        decode_node_header(&mut Reader::new(bytes, 0x88, "B-tree node"), eof)
    }

    #[test]
    fn decode_round_trips() {
        let cases = [
            (0, 0, 0, UNDEF_ADDR, UNDEF_ADDR),
            (0, 0, 1, UNDEF_ADDR, UNDEF_ADDR),
            (0, 2, 32, 0x800, UNDEF_ADDR),
            (1, 0, 64, UNDEF_ADDR, 0xff0),
            (1, 255, 65535, 0, 4095),
        ];
        let opt = |a: u64| (a != UNDEF_ADDR).then_some(a);
        for (t, level, used, left, right) in cases {
            let bytes = header(t, level, used, left, right);
            let mut r = Reader::new(&bytes, 0x88, "B-tree node");
            let got = decode_node_header(&mut r, 4096).unwrap();
            assert_eq!(r.position(), 24);
            let want = DecodedHeader {
                node_type: t,
                level,
                entries_used: used,
                left: opt(left),
                right: opt(right),
            };
            assert_eq!(got, want);
        }
    }

    #[test]
    fn decode_h5py_golden() {
        let bytes = hex("54524545 00 00 0100 ffffffffffffffff ffffffffffffffff");
        let got = decode(&bytes, 1188).unwrap();
        assert_eq!((got.node_type, got.level, got.entries_used), (0, 0, 1));
        assert_eq!((got.left, got.right), (None, None));
    }

    #[test]
    fn decode_hostile() {
        let good = header(0, 1, 3, 0x100, 0x200);
        for n in 0..good.len() {
            assert!(decode(&good[..n], 4096).is_err(), "truncated to {n}");
        }
        for bit in 0..good.len() * 8 {
            let mut b = good.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            let _ = decode(&b, 4096);
        }
        let e = decode(&good, 0x200).unwrap_err();
        assert!(
            matches!(&e, crate::Error::Malformed { offset, .. } if *offset == 0x88 + 16),
            "{e}"
        );
        let mut bad = good.clone();
        bad[..4].copy_from_slice(b"SNOD");
        assert!(matches!(
            decode(&bad, 4096),
            Err(crate::Error::Malformed { .. })
        ));
    }
}
