//! Decoding group B-tree nodes (type 0) (see `spec-notes/group-btree.md`,
//! "What we read").

use super::{GROUP_KEY_SIZE, GROUP_NODE};
use crate::error::Result;
use crate::format::btree::{decode_node_header, CHILD_SIZE};
use crate::format::reader::Reader;

/// A decoded group B-tree node: what [`encode_group_node`](super::encode_group_node) takes.
///
/// # Examples
///
/// ```
/// use h5sink::format::btree::group::{decode_group_node, encode_group_node, GroupNode};
/// use h5sink::format::field::UNDEF_ADDR;
///
/// let mut bytes = Vec::new();
/// encode_group_node(&mut bytes, 16, 0, UNDEF_ADDR, UNDEF_ADDR, &[0, 8], &[0x430])?;
/// let node = decode_group_node(&bytes, 0x88, 2060, 16)?;
/// let want = GroupNode { level: 0, left: None, right: None, keys: vec![0, 8], children: vec![0x430] };
/// assert_eq!(node, want);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupNode {
    /// 0 for a leaf, whose children are `SNOD`s; else children are nodes
    /// one level down.
    pub level: u8,
    /// Left sibling, `None` (UNDEF) at the left end of the level.
    pub left: Option<u64>,
    /// Right sibling, `None` (UNDEF) at the right end of the level.
    pub right: Option<u64>,
    /// The entries used + 1 keys: local heap offsets of names (key i is the
    /// largest name in child i - 1; key 0 is the empty name). Unchecked here.
    pub keys: Vec<u64>,
    /// The child addresses in use, each below the EOF.
    pub children: Vec<u64>,
}

/// Decode a group B-tree node at file offset `base`. `k` is the
/// superblock's Group Internal Node K (a node has at most 2K children);
/// only the keys and children in use need be in `bytes`.
///
/// Malformed: a bad node header ([`decode_node_header`]), a node type other
/// than 0, more than 2K entries, an internal node (level > 0) with no
/// entries, an undefined child or one at or past `eof`, fewer bytes than the
/// entries need.
///
/// # Examples
///
/// An internal node with a child past the end of a 4096-byte file:
///
/// ```
/// use h5sink::format::btree::group::{decode_group_node, encode_group_node};
/// use h5sink::format::field::UNDEF_ADDR as NONE;
///
/// let mut bytes = Vec::new();
/// encode_group_node(&mut bytes, 16, 1, NONE, NONE, &[0, 96, 200], &[0x800, 0x1000])?;
/// assert!(decode_group_node(&bytes, 0x88, 0x1001, 16).is_ok());
/// assert!(decode_group_node(&bytes, 0x88, 0x1000, 16).is_err());
/// assert!(decode_group_node(&bytes, 0x88, 0x1001, 1).is_ok()); // 2 children = 2K
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_group_node(bytes: &[u8], base: u64, eof: u64, k: u16) -> Result<GroupNode> {
    let mut r = Reader::new(bytes, base, "group B-tree node");
    let head = decode_node_header(&mut r, eof)?;
    if head.node_type != GROUP_NODE {
        r.seek(4)?;
        return Err(r.error(format!(
            "node type {}, expected 0 (a group B-tree)",
            head.node_type
        )));
    }
    let used = u64::from(head.entries_used);
    let capacity = 2 * u64::from(k);
    // used + 1 keys and used children.
    let needed = (used + 1) * (GROUP_KEY_SIZE as u64) + used * CHILD_SIZE;
    let left = r.remaining();
    if used > capacity || needed > left as u64 || (head.level > 0 && used == 0) {
        r.seek(6)?;
        return Err(r.error(format!(
            "{used} entries used at level {}: above 2K = {capacity}, more than the {} bytes left hold, or none in an internal node",
            head.level, left
        )));
    }
    let mut keys = Vec::with_capacity(usize::from(head.entries_used) + 1);
    let mut children = Vec::with_capacity(usize::from(head.entries_used));
    keys.push(r.u64()?);
    for _ in 0..used {
        let at = r.position();
        let Some(child) = r.address(eof)? else {
            r.seek(at)?;
            return Err(r.error("child address is undefined"));
        };
        children.push(child);
        keys.push(r.u64()?);
    }
    Ok(GroupNode {
        level: head.level,
        left: head.left,
        right: head.right,
        keys,
        children,
    })
}

#[cfg(test)]
mod tests;
