//! Version 1 B-tree of raw-data chunks (`TREE`, node type 1): the chunk
//! index of a version 3 chunked Data Layout. Spec notes:
//! `spec-notes/chunk-btree.md`.
//!
//! The tree is built bottom-up from the sorted chunk list: leaves hold up to
//! 64 chunks, each level above holds up to 64 nodes of the level below, and
//! every level splits its items evenly (like the group trees of
//! `src/plan.rs`). Every node is written at full size.

use super::dataspace::MAX_RANK;
use super::field::{len64, UNDEF_ADDR};
use crate::error::{Error, Result};

/// The chunk tree's K ("Indexed Storage Internal Node K"). Superblock
/// version 0 has no field for it, so libhdf5 uses its default, 32.
pub const K: u16 = 32;
/// Children per node: 2K.
pub const MAX_CHILDREN: usize = 2 * K as usize;

/// Node type 1: the children are raw-data chunks (or chunk subtrees).
const CHUNK_NODE: u8 = 1;
/// Signature, type, level, entries used, left and right sibling.
const NODE_HEADER_SIZE: u64 = 24;

/// One stored chunk, as the chunk index records it.
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
pub fn node_size(rank: usize) -> u64 {
    let keys = key_size(rank).saturating_mul(len64(MAX_CHILDREN) + 1);
    NODE_HEADER_SIZE
        .saturating_add(keys)
        .saturating_add(len64(MAX_CHILDREN) * 8)
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
            out.extend_from_slice(b"TREE");
            out.push(CHUNK_NODE);
            out.push(level);
            out.extend_from_slice(&u16::try_from(node.len()).unwrap_or(u16::MAX).to_le_bytes());
            out.extend_from_slice(&left.to_le_bytes());
            out.extend_from_slice(&right.to_le_bytes());
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
