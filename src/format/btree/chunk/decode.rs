//! Reading a chunk B-tree (version 1 `TREE`, node type 1) from untrusted
//! bytes: [`decode_node`] for one node, [`walk`] for the whole index.
//! Spec notes: `spec-notes/chunk-btree.md` ("What we read").
//!
//! The node header is read here, privately, rather than through a
//! decoder shared with the group trees, so that both can be written in
//! parallel; a later change may unify them.
//!
//! # Examples
//!
//! Decode what [`encode_tree`](super::encode_tree) wrote:
//!
//! ```
//! use h5sink::format::btree::chunk::{decode_node, encode_tree, walk, ChunkEntry, K};
//!
//! let entry = ChunkEntry { offset: vec![0, 5], size: 100, filter_mask: 0, address: 0x1014 };
//! let mut leaf = Vec::new();
//! encode_tree(&[entry.clone()], &[5, 5, 4], &[vec![0x578]], &mut leaf)?;
//! let node = decode_node(&leaf, 0x578, 2, K, 0x2000)?;
//! assert_eq!((node.level, node.children.as_slice()), (0, &[0x1014][..]));
//! let chunks = walk(|_| Ok(leaf.clone()), 0x578, &[5, 5, 4], None, K, 0x2000, 16)?;
//! assert_eq!(chunks, [entry]);
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::{key_size, ChunkEntry, CHUNK_NODE};
use crate::error::{Error, Result};
use crate::format::dataspace::MAX_RANK;
use crate::format::field::len64;
use crate::format::reader::Reader;
use std::collections::BTreeSet;

/// What the errors name.
const STRUCTURE: &str = "chunk B-tree node";
/// Signature, type, level, entries used, two siblings.
const HEADER: u64 = 24;

/// One key of a chunk B-tree node, as stored.
///
/// # Examples
///
/// A leaf's key `i` describes its chunk `i`; its last value is 0:
///
/// ```
/// use h5sink::format::btree::chunk::{decode_node, encode_tree, ChunkEntry, ChunkKey, K};
///
/// let e = ChunkEntry { offset: vec![10], size: 40, filter_mask: 1, address: 0xda8 };
/// let mut leaf = Vec::new();
/// encode_tree(&[e], &[10, 4], &[vec![0x578]], &mut leaf)?;
/// let node = decode_node(&leaf, 0x578, 1, K, 0x1000)?;
/// assert_eq!(node.keys[0], ChunkKey { size: 40, filter_mask: 1, offset: vec![10], last: 0 });
/// // The closing key: size 0, the last offset, then the element size.
/// assert_eq!(node.keys[1], ChunkKey { size: 0, filter_mask: 0, offset: vec![10], last: 4 });
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkKey {
    /// Bytes stored for the chunk (0 in most closing keys).
    pub size: u32,
    /// Bit i set = filter i skipped.
    pub filter_mask: u32,
    /// The chunk's first element, one value per dimension.
    pub offset: Vec<u64>,
    /// The value for the element-size dimension (0 in a chunk's key).
    pub last: u64,
}

/// One decoded chunk B-tree node.
///
/// # Examples
///
/// ```
/// use h5sink::format::btree::chunk::{decode_node, encode_tree, ChunkEntry, K};
///
/// let e = ChunkEntry { offset: vec![0], size: 8, filter_mask: 0, address: 0x900 };
/// let mut leaf = Vec::new();
/// encode_tree(&[e], &[2, 4], &[vec![0x578]], &mut leaf)?;
/// let node = decode_node(&leaf, 0x578, 1, K, 0x1000)?;
/// assert_eq!((node.left, node.right), (None, None)); // no siblings
/// assert_eq!(node.keys.len(), node.children.len() + 1);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkNode {
    /// 0 for a leaf (children are chunks), else the height above the leaves.
    pub level: u8,
    /// Left sibling on the same level, if any.
    pub left: Option<u64>,
    /// Right sibling on the same level, if any.
    pub right: Option<u64>,
    /// `children.len() + 1` keys: key i and key i + 1 bound child i.
    pub keys: Vec<ChunkKey>,
    /// Child addresses: chunks in a leaf, nodes of `level - 1` otherwise.
    pub children: Vec<u64>,
}

/// Bytes of a whole chunk B-tree node of a dataset of `rank` dimensions
/// whose chunk tree has the given K (2K children, 2K + 1 keys): what a
/// caller reads for [`decode_node`] and [`walk`].
///
/// # Examples
///
/// ```
/// use h5sink::format::btree::chunk::{node_size, node_size_k, K};
/// assert_eq!(node_size_k(2, K), node_size(2)); // 2616
/// assert_eq!(node_size_k(1, 1), 24 + 3 * 24 + 2 * 8);
/// ```
pub fn node_size_k(rank: usize, k: u16) -> u64 {
    let k = u64::from(k);
    let keys = key_size(rank).saturating_mul(2 * k + 1);
    HEADER.saturating_add(keys).saturating_add(16 * k)
}

/// Decode one chunk B-tree node read at file address `base`, for a
/// dataset of `rank` dimensions, with the chunk tree's `k` (32 unless the
/// superblock says otherwise) and the file's end `eof`.
///
/// Only the used part must be present (`bytes` may be shorter than
/// [`node_size_k`]). Every address is checked below `eof`, and in a leaf
/// each chunk must end by `eof`, have a non-zero size and a last key value
/// of 0. Keys must not decrease (lexicographically, last value included).
///
/// # Errors
///
/// [`Error::Malformed`] (structure "chunk B-tree node"): a wrong signature
/// or node type (0 is a group node), more than 2K entries, too few bytes
/// for them, an undefined or out-of-file address, a bad chunk key, keys
/// out of order, or a `rank` outside 1..=32 or a `k` of 0.
///
/// # Examples
///
/// ```
/// use h5sink::format::btree::chunk::{decode_node, encode_tree, ChunkEntry, K};
///
/// let e = ChunkEntry { offset: vec![0], size: 8, filter_mask: 0, address: 0x900 };
/// let mut leaf = Vec::new();
/// encode_tree(&[e], &[2, 4], &[vec![0x578]], &mut leaf)?;
/// assert!(decode_node(&leaf, 0x578, 1, K, 0x1000).is_ok());
/// // The chunk (8 bytes at 0x900) must end inside the file.
/// let e = decode_node(&leaf, 0x578, 1, K, 0x904).unwrap_err();
/// assert!(e.to_string().contains("past the end of the file"));
/// leaf[4] = 0; // a group node
/// assert!(decode_node(&leaf, 0x578, 1, K, 0x1000).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_node(bytes: &[u8], base: u64, rank: usize, k: u16, eof: u64) -> Result<ChunkNode> {
    let mut r = Reader::new(bytes, base, STRUCTURE);
    if !(1..=MAX_RANK).contains(&rank) || k == 0 {
        return Err(r.error(format!(
            "rank {rank} and K {k}: rank must be 1..=32, K at least 1"
        )));
    }
    let header = super::super::decode_node_header(&mut r, eof)?;
    if header.node_type != CHUNK_NODE {
        return Err(Error::Malformed {
            structure: STRUCTURE,
            offset: base + 4,
            reason: format!(
                "node type {}, expected {CHUNK_NODE} (raw data chunks)",
                header.node_type
            ),
        });
    }
    let (level, left, right) = (header.level, header.left, header.right);
    let used = u64::from(header.entries_used);
    if used > 2 * u64::from(k) {
        return Err(Error::Malformed {
            structure: STRUCTURE,
            offset: base + 6,
            reason: format!("entries used {used} is above {}", 2 * u64::from(k)),
        });
    }
    let key_len = key_size(rank);
    let need = key_len.saturating_mul(used + 1).saturating_add(8 * used);
    if need > len64(r.remaining()) {
        return Err(r.error(format!(
            "{used} entries need {need} bytes of keys and children, {} present",
            r.remaining()
        )));
    }
    // Fits: need <= remaining bytes.
    let used = usize::try_from(used).unwrap_or(0);
    let mut keys: Vec<ChunkKey> = Vec::with_capacity(used + 1);
    let mut children = Vec::with_capacity(used);
    for i in 0..=used {
        let at = r.position();
        let key = read_key(&mut r, rank)?;
        if keys
            .last()
            .is_some_and(|prev| key_order(prev) > key_order(&key))
        {
            r.seek(at)?;
            return Err(r.error(format!("key {i} is below key {}", i - 1)));
        }
        keys.push(key);
        if i == used {
            break;
        }
        let Some(child) = r.address(eof)? else {
            return Err(r.error(format!("child {i} has the undefined address")));
        };
        if level == 0 {
            check_chunk(&r, keys.last(), child, eof, i)?;
        }
        children.push(child);
    }
    Ok(ChunkNode {
        level,
        left,
        right,
        keys,
        children,
    })
}

fn read_key(r: &mut Reader, rank: usize) -> Result<ChunkKey> {
    let size = r.u32()?;
    let filter_mask = r.u32()?;
    let mut offset = Vec::with_capacity(rank);
    for _ in 0..rank {
        offset.push(r.u64()?);
    }
    let last = r.u64()?;
    Ok(ChunkKey {
        size,
        filter_mask,
        offset,
        last,
    })
}

fn key_order(k: &ChunkKey) -> (&[u64], u64) {
    (&k.offset, k.last)
}

/// A leaf's key `i` and child: a stored chunk inside the file.
fn check_chunk(r: &Reader, key: Option<&ChunkKey>, address: u64, eof: u64, i: usize) -> Result<()> {
    let Some(key) = key else {
        return Ok(());
    };
    if key.size == 0 || key.last != 0 {
        return Err(r.error(format!(
            "chunk {i} has size {} and last key value {} (a chunk needs a size and 0)",
            key.size, key.last
        )));
    }
    let end = address.saturating_add(u64::from(key.size));
    if end > eof {
        return Err(r.error(format!(
            "chunk {i} at {address} of {} bytes ends past the end of the file ({eof} bytes)",
            key.size
        )));
    }
    Ok(())
}

/// Every chunk of the chunk B-tree whose root node is at `root`, in
/// offset order, as [`encode_tree`](super::encode_tree) takes them.
///
/// `read_node(address)` returns the bytes of the node there (up to
/// [`node_size_k`]`(rank, k)` of them; fewer at the end of the file is
/// fine when the used part is present). `chunk_dims` is the layout's
/// rank + 1 values (chunk sizes, then the element size); `max_dims`, when
/// given, bounds every chunk offset (the dataspace's maximum dimensions,
/// `u64::MAX` for unlimited). The walk is depth-first and bounded: at most
/// `limit` nodes are read (e.g. `eof / node_size_k(rank, k)`), none twice,
/// and each child's level is one below its parent's.
///
/// # Errors
///
/// [`Error::Malformed`]: those of [`decode_node`] and of `read_node`, a
/// node reached twice (a cycle: a child pointing to itself or to an
/// ancestor, or a shared child), a level that does not decrease by one,
/// more than `limit` nodes, chunk offsets off the chunk grid, at or past
/// `max_dims`, or not strictly increasing, and bad `chunk_dims`.
///
/// # Examples
///
/// 65 chunks: two leaves and a root, read back from the encoded bytes.
///
/// ```
/// use h5sink::format::btree::chunk::{encode_tree, node_size, walk, ChunkEntry, K};
///
/// let entries: Vec<ChunkEntry> = (0..65u64)
///     .map(|i| ChunkEntry { offset: vec![10 * i], size: 40, filter_mask: 0, address: 0x10000 + 40 * i })
///     .collect();
/// let n = node_size(1);
/// let mut tree = Vec::new();
/// encode_tree(&entries, &[10, 4], &[vec![0x800, 0x800 + n], vec![0x800 + 2 * n]], &mut tree)?;
/// let read = |at: u64| {
///     let i = ((at - 0x800) / n) as usize * n as usize;
///     Ok(tree[i..i + n as usize].to_vec())
/// };
/// let eof = 0x20000;
/// let chunks = walk(read, 0x800 + 2 * n, &[10, 4], Some(&[650]), K, eof, 3)?;
/// assert_eq!(chunks, entries);
/// // Two nodes are not enough.
/// assert!(walk(read, 0x800 + 2 * n, &[10, 4], None, K, eof, 2).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn walk(
    mut read_node: impl FnMut(u64) -> Result<Vec<u8>>,
    root: u64,
    chunk_dims: &[u64],
    max_dims: Option<&[u64]>,
    k: u16,
    eof: u64,
    limit: usize,
) -> Result<Vec<ChunkEntry>> {
    let fail = |offset: u64, reason: String| Error::Malformed {
        structure: STRUCTURE,
        offset,
        reason,
    };
    let rank = chunk_dims.len().saturating_sub(1);
    if chunk_dims.len() < 2 || chunk_dims.contains(&0) {
        return Err(fail(root, format!("chunk dimensions {chunk_dims:?}")));
    }
    if let Some(max) = max_dims.filter(|m| m.len() != rank) {
        return Err(fail(
            root,
            format!("dataspace rank {} for chunk rank {rank}", max.len()),
        ));
    }
    if root >= eof {
        return Err(fail(
            root,
            format!("root is past the end of the file ({eof} bytes)"),
        ));
    }
    let mut entries: Vec<ChunkEntry> = Vec::new();
    let mut seen = BTreeSet::new();
    // (node address, level it must have); children pushed in reverse.
    let mut stack: Vec<(u64, Option<u8>)> = vec![(root, None)];
    while let Some((at, want)) = stack.pop() {
        if !seen.insert(at) {
            return Err(fail(
                at,
                "node reached twice: the tree has a cycle or a shared child".into(),
            ));
        }
        if seen.len() > limit {
            return Err(fail(at, format!("more than {limit} nodes")));
        }
        let node = decode_node(&read_node(at)?, at, rank, k, eof)?;
        if let Some(want) = want.filter(|&w| w != node.level) {
            return Err(fail(
                at,
                format!("level {}, expected {want} below its parent", node.level),
            ));
        }
        if node.level > 0 {
            let below = node.level - 1;
            stack.extend(node.children.iter().rev().map(|&c| (c, Some(below))));
            continue;
        }
        for (key, &address) in node.keys.into_iter().zip(&node.children) {
            let grid = key.offset.iter().zip(chunk_dims).all(|(o, d)| o % d == 0);
            let inside = max_dims.map_or(true, |m| key.offset.iter().zip(m).all(|(o, m)| o < m));
            let ordered = entries.last().map_or(true, |p| p.offset < key.offset);
            if !(grid && inside && ordered) {
                return Err(fail(
                    at,
                    format!(
                        "chunk offset {:?}: {}",
                        key.offset,
                        if !grid {
                            format!("not a multiple of the chunk dims {chunk_dims:?}")
                        } else if !inside {
                            format!("outside the maximum dims {max_dims:?}")
                        } else {
                            "not above the chunk before it".to_string()
                        }
                    ),
                ));
            }
            entries.push(ChunkEntry {
                offset: key.offset,
                size: key.size,
                filter_mask: key.filter_mask,
                address,
            });
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests;
