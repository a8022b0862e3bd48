//! Version 1 B-tree of raw-data chunks (`TREE`, node type 1): the chunk
//! index of a version 3 chunked Data Layout ([`crate::format::layout::chunked`]).
//! Spec notes: `spec-notes/chunk-btree.md`.
//!
//! The tree is built bottom-up from the sorted chunk list: leaves hold up to
//! 64 chunks, each level above holds up to 64 nodes of the level below, and
//! every level splits its items evenly (like the group trees the engine
//! plans in `src/engine/plan.rs`). Every node is written at full size,
//! after the node header shared with group trees ([`super`]).
//!
//! # Examples
//!
//! h5py's `(10, 10)` int32 with `chunks=(5, 5)`: four 100-byte chunks in
//! one leaf at 0x578, which the chunked layout message points to.
//!
//! ```
//! use h5sink::format::btree::chunk::{encode_tree, node_size, plan_levels, ChunkEntry};
//! use h5sink::format::layout::chunked::chunked_v3;
//!
//! let offsets = [[0, 0], [0, 5], [5, 0], [5, 5]];
//! let entries: Vec<ChunkEntry> = (0u64..)
//!     .zip(offsets)
//!     .map(|(i, o)| ChunkEntry {
//!         offset: o.to_vec(),
//!         size: 100,
//!         filter_mask: 0,
//!         address: 0xfb0 + 100 * i,
//!     })
//!     .collect();
//! assert_eq!(plan_levels(entries.len()), [1]);
//! let mut tree = Vec::new();
//! encode_tree(&entries, &[5, 5, 4], &[vec![0x578]], &mut tree)?;
//! assert_eq!(tree.len() as u64, node_size(2));
//! assert_eq!(tree[..8], *b"TREE\x01\x00\x04\x00"); // chunk node, leaf, 4 entries
//! let layout = chunked_v3(0x578, &[5, 5], 4)?;
//! assert_eq!(layout[3..11], 0x578u64.to_le_bytes());
//! # Ok::<(), h5sink::Error>(())
//! ```

pub mod decode;

pub use decode::{decode_node, node_size_k, walk, ChunkKey, ChunkNode};

use super::{NodeHeader, CHILD_SIZE, NODE_HEADER_SIZE};
use crate::error::{Error, Result};
use crate::format::dataspace::MAX_RANK;
use crate::format::field::{len64, UNDEF_ADDR};

/// The chunk tree's K ("Indexed Storage Internal Node K"). Superblock
/// version 0 has no field for it, so libhdf5 uses its default, 32.
///
/// # Examples
///
/// A node has room for 2K children and 2K + 1 keys (each key of rank 2
/// is 8 + 8 × 3 bytes), after its 24-byte header:
///
/// ```
/// use h5sink::format::btree::chunk::{node_size, K};
///
/// let k = u64::from(K);
/// assert_eq!(node_size(2), 24 + (2 * k + 1) * 32 + 2 * k * 8);
/// assert_eq!(node_size(2), 2616);
/// ```
pub const K: u16 = 32;
/// Children per node: 2K.
///
/// # Examples
///
/// ```
/// use h5sink::format::btree::chunk::{plan_levels, MAX_CHILDREN};
///
/// assert_eq!(plan_levels(MAX_CHILDREN), [1]); // one full leaf
/// assert_eq!(plan_levels(MAX_CHILDREN + 1), [2, 1]); // two leaves and a root
/// assert_eq!(plan_levels(MAX_CHILDREN * MAX_CHILDREN), [64, 1]);
/// ```
pub const MAX_CHILDREN: usize = 2 * K as usize;

/// Node type 1: the children are raw-data chunks (or chunk subtrees).
const CHUNK_NODE: u8 = 1;

/// One stored chunk, as the chunk index records it.
///
/// # Examples
///
/// A chunk's entry becomes a leaf key (size u32, filter mask u32, the
/// offsets and a trailing 0 as u64) followed by its address:
///
/// ```
/// use h5sink::format::btree::chunk::{encode_tree, ChunkEntry};
///
/// // Chunk (0, 5) of a (5, 5)-chunked int32 dataset, filter 0 skipped.
/// let chunk = ChunkEntry { offset: vec![0, 5], size: 100, filter_mask: 0b1, address: 0x1014 };
/// let mut leaf = Vec::new();
/// encode_tree(&[chunk], &[5, 5, 4], &[vec![0x578]], &mut leaf)?;
/// assert_eq!(leaf[24..32], [100, 0, 0, 0, 1, 0, 0, 0]);
/// assert_eq!(leaf[32..40], 0u64.to_le_bytes());
/// assert_eq!(leaf[40..48], 5u64.to_le_bytes());
/// assert_eq!(leaf[48..56], 0u64.to_le_bytes());
/// assert_eq!(leaf[56..64], 0x1014u64.to_le_bytes());
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkEntry {
    /// Coordinates of the chunk's first element, one per dimension (each a
    /// multiple of that dimension's chunk size).
    pub offset: Vec<u64>,
    /// Bytes stored for the chunk after the filters (with any checksum).
    pub size: u32,
    /// Bit i set = filter i of the pipeline was skipped for this chunk.
    pub filter_mask: u32,
    /// File address of the stored chunk.
    pub address: u64,
}

/// Bytes of one key for a dataset of `rank` dimensions: chunk size u32,
/// filter mask u32, then rank + 1 offsets of 8 bytes.
fn key_size(rank: usize) -> u64 {
    len64(rank)
        .saturating_add(1)
        .saturating_mul(8)
        .saturating_add(8)
}

/// Encoded size of one chunk B-tree node for a dataset of `rank`
/// dimensions: 24 + 65 keys + 64 child addresses. Rank 1 gives 2096
/// bytes, rank 2 gives 2616, rank 3 gives 3136 (as in h5py files).
///
/// # Examples
///
/// ```
/// use h5sink::format::btree::chunk::{encode_tree, node_size, plan_levels, ChunkEntry};
///
/// assert_eq!([node_size(1), node_size(2), node_size(3)], [2096, 2616, 3136]);
/// // 65 chunks of a 1-D dataset: two leaves and a root, each node_size(1) bytes.
/// let entries: Vec<ChunkEntry> = (0..65u64)
///     .map(|i| ChunkEntry {
///         offset: vec![10 * i],
///         size: 40,
///         filter_mask: 0,
///         address: 0x10000 + 40 * i,
///     })
///     .collect();
/// let addrs = [vec![0x800, 0x800 + 2096], vec![0x800 + 2 * 2096]];
/// assert_eq!(plan_levels(65), [2, 1]);
/// let mut out = Vec::new();
/// encode_tree(&entries, &[10, 4], &addrs, &mut out)?;
/// assert_eq!(out.len() as u64, 3 * node_size(1));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn node_size(rank: usize) -> u64 {
    let keys = key_size(rank).saturating_mul(len64(MAX_CHILDREN) + 1);
    NODE_HEADER_SIZE
        .saturating_add(keys)
        .saturating_add(len64(MAX_CHILDREN) * CHILD_SIZE)
}

/// How `n` items split into runs of at most [`MAX_CHILDREN`]: as few runs
/// as possible, lengths differing by at most one, longer runs first.
fn split_even(n: usize) -> Vec<usize> {
    let runs = n.div_ceil(MAX_CHILDREN);
    (0..runs)
        .map(|r| n / runs + usize::from(r < n % runs))
        .collect()
}

/// Number of nodes on each level of the tree indexing `n_chunks` chunks,
/// leaves first; the last level is the root (one node). No chunks, no
/// tree: an empty list (the layout then records the undefined address).
///
/// 1 to 64 chunks take one leaf; 65 take `[2, 1]`; 5000 take `[79, 2, 1]`.
///
/// # Examples
///
/// ```
/// use h5sink::format::btree::chunk::plan_levels;
///
/// assert!(plan_levels(0).is_empty()); // no chunks: the layout gets UNDEF
/// assert_eq!(plan_levels(64), [1]);
/// assert_eq!(plan_levels(65), [2, 1]);
/// assert_eq!(plan_levels(4096), [64, 1]);
/// assert_eq!(plan_levels(5000), [79, 2, 1]); // 64 × 64 < 5000: three levels
/// ```
pub fn plan_levels(n_chunks: usize) -> Vec<usize> {
    let mut levels = Vec::new();
    let mut below = n_chunks;
    while below > 0 {
        let nodes = below.div_ceil(MAX_CHILDREN);
        levels.push(nodes);
        if nodes == 1 {
            break;
        }
        below = nodes;
    }
    levels
}

/// Encode one key.
fn key(size: u32, mask: u32, offset: &[u64], last: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + 8 * offset.len());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&mask.to_le_bytes());
    for o in offset {
        out.extend_from_slice(&o.to_le_bytes());
    }
    out.extend_from_slice(&last.to_le_bytes());
    out
}

fn invalid(what: &'static str, value: String, reason: &'static str) -> Error {
    Error::InvalidArgument {
        what,
        value,
        reason,
    }
}

/// Check the chunk list and address plan against each other.
fn check(entries: &[ChunkEntry], chunk_dims: &[u64], node_addrs: &[Vec<u64>]) -> Result<()> {
    let rank = chunk_dims.len().saturating_sub(1);
    if chunk_dims.len() < 2 || rank > MAX_RANK || chunk_dims.contains(&0) {
        return Err(invalid(
            "chunk dimensions",
            format!("{chunk_dims:?}"),
            "give rank 1..=32 chunk sizes then the element size, all at least 1",
        ));
    }
    for (i, e) in entries.iter().enumerate() {
        let on_grid = e.offset.iter().zip(chunk_dims).all(|(o, d)| o % d == 0);
        if e.offset.len() != rank || !on_grid || e.size == 0 || e.address == UNDEF_ADDR {
            return Err(invalid(
                "chunk entry",
                format!("{e:?}"),
                "a chunk needs one offset per dimension on the chunk grid, a size and an address",
            ));
        }
        if i > 0 && entries[i - 1].offset >= e.offset {
            return Err(invalid(
                "chunk order",
                format!("{:?} then {:?}", entries[i - 1].offset, e.offset),
                "chunks must be sorted by offset, without duplicates",
            ));
        }
    }
    let planned = plan_levels(entries.len());
    let given: Vec<usize> = node_addrs.iter().map(Vec::len).collect();
    if given != planned {
        return Err(invalid(
            "chunk B-tree node addresses",
            format!("{given:?} nodes per level"),
            "give one address per node of plan_levels(chunks), leaves first",
        ));
    }
    Ok(())
}

/// Append every node of the chunk tree to `out`, level by level from the
/// leaves up (node `j` of the whole list at byte `j * node_size(rank)` of
/// what is appended), each at full size with its sibling links.
///
/// - `entries`: the stored chunks, sorted by offset (lexicographic).
/// - `chunk_dims`: the layout message's dimensions, rank + 1 values: the
///   chunk size of each dimension, then the element size in bytes.
/// - `node_addrs`: the file address of every node, one list per level,
///   leaves first, sized as [`plan_levels`] says.
///
/// Keys are libhdf5's: a leaf's key i describes chunk i (with a trailing
/// 0 offset); a node's last key is the next node's first key, copied
/// whole; the rightmost key has size 0 and the last chunk's offset with
/// the element size as trailing offset, which is what libhdf5 writes for
/// chunks appended in order. An internal node's key i is its child i's
/// first key. No chunks, no nodes: nothing is appended.
///
/// # Errors
///
/// [`Error::InvalidArgument`] (nothing appended) for bad chunk dimensions,
/// an entry off the chunk grid, of size 0 or at the undefined address,
/// unsorted or duplicate offsets, or node addresses that do not match the
/// plan.
///
/// # Examples
///
/// h5py 3.16's `(100,)` int32 with `chunks=(10,)`: one leaf of ten 40-byte
/// chunks, closed by the key `(90, 4)` (last offset, element size).
///
/// ```
/// use h5sink::format::btree::chunk::{encode_tree, ChunkEntry};
/// use h5sink::Error;
///
/// let entries: Vec<ChunkEntry> = (0..10u64)
///     .map(|i| ChunkEntry {
///         offset: vec![10 * i],
///         size: 40,
///         filter_mask: 0,
///         address: 0xda8 + 40 * i,
///     })
///     .collect();
/// let mut out = Vec::new();
/// encode_tree(&entries, &[10, 4], &[vec![0x578]], &mut out)?;
/// assert_eq!(out.len(), 2096);
/// let closing = 24 + 10 * 32; // after 10 (key, child) pairs of 24 + 8 bytes
/// assert_eq!(out[closing..closing + 8], [0; 8]); // size 0, mask 0
/// assert_eq!(out[closing + 8..closing + 16], 90u64.to_le_bytes());
/// assert_eq!(out[closing + 16..closing + 24], 4u64.to_le_bytes());
/// // Unsorted chunks are refused and nothing is appended.
/// let mut again = Vec::new();
/// let swapped = [entries[1].clone(), entries[0].clone()];
/// let err = encode_tree(&swapped, &[10, 4], &[vec![0x578]], &mut again);
/// assert!(matches!(err, Err(Error::InvalidArgument { what: "chunk order", .. })));
/// assert!(again.is_empty());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode_tree(
    entries: &[ChunkEntry],
    chunk_dims: &[u64],
    node_addrs: &[Vec<u64>],
    out: &mut Vec<u8>,
) -> Result<()> {
    check(entries, chunk_dims, node_addrs)?;
    let (Some(last), Some(&element_size)) = (entries.last(), chunk_dims.last()) else {
        return Ok(());
    };
    let rank = chunk_dims.len().saturating_sub(1);
    let node_len = usize::try_from(node_size(rank)).unwrap_or(usize::MAX);

    // The current level's items (left key, address); `closing` bounds the
    // last item on the right.
    let mut items: Vec<(Vec<u8>, u64)> = entries
        .iter()
        .map(|e| (key(e.size, e.filter_mask, &e.offset, 0), e.address))
        .collect();
    let closing = key(0, 0, &last.offset, element_size);

    for (level, addrs) in node_addrs.iter().enumerate() {
        let level = u8::try_from(level).unwrap_or(u8::MAX); // at most 11 for usize chunks
        let runs = split_even(items.len());
        let mut rest = items.into_iter().peekable();
        let mut parents = Vec::with_capacity(addrs.len());
        let mut left = UNDEF_ADDR;
        for (j, (count, &addr)) in runs.into_iter().zip(addrs).enumerate() {
            let node: Vec<(Vec<u8>, u64)> = rest.by_ref().take(count).collect();
            let end_key = rest.peek().map_or(&closing, |(k, _)| k);
            let right = addrs.get(j + 1).copied().unwrap_or(UNDEF_ADDR);
            let begin = out.len();
            NodeHeader {
                node_type: CHUNK_NODE,
                level,
                entries_used: u16::try_from(node.len()).unwrap_or(u16::MAX),
                left,
                right,
            }
            .encode(out);
            for (k, child) in &node {
                out.extend_from_slice(k);
                out.extend_from_slice(&child.to_le_bytes());
            }
            out.extend_from_slice(end_key);
            out.resize(begin.saturating_add(node_len), 0);
            if let Some((first_key, _)) = node.into_iter().next() {
                parents.push((first_key, addr));
            }
            left = addr;
        }
        items = parents;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
