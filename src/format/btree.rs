//! Version 1 B-tree nodes (`TREE`). Spec notes: `spec-notes/btree.md`.

use crate::error::Result;

/// Encoded size of a group B-tree node (type 0) with 2K children.
pub fn group_node_size(k: u16) -> u64 {
    let _ = k;
    todo!()
}

/// Append one group B-tree node (type 0) at full size to `out`.
///
/// `keys.len()` must be `children.len() + 1` and `children.len() <= 2k`;
/// `left`/`right` are the sibling addresses (UNDEF at the ends).
pub fn encode_group_node(
    out: &mut Vec<u8>,
    k: u16,
    level: u8,
    left: u64,
    right: u64,
    keys: &[u64],
    children: &[u64],
) -> Result<()> {
    let _ = (out, k, level, left, right, keys, children);
    todo!()
}
