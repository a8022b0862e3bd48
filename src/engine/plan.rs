//! The planner and the emitter of a commit's metadata.
//!
//! [`plan`] walks the tree once and gives every metadata block (object
//! headers, local heaps, B-tree nodes, symbol table nodes) its address inside
//! one contiguous region starting at `base`. [`emit`] then encodes the blocks
//! in the same order into one buffer and checks that each lands exactly where
//! it was planned, so the region can go to disk in a single write.

use std::ops::Range;

use crate::engine::messages::{self, borrow, Msg};
use crate::engine::model::{NodeId, NodeKind, Tree};
use crate::error::{Error, Result};
use crate::format::btree::chunk::{self as chunk_btree, ChunkEntry};
use crate::format::btree::group::group_node_size;
use crate::format::field::{self, UNDEF_ADDR};
use crate::format::local_heap::LocalHeap;
use crate::format::object_header;
use crate::format::object_header::kind;
use crate::format::snod::{self, Cache};
use crate::format::superblock::{Superblock, GROUP_INTERNAL_K, GROUP_LEAF_K};

/// A planned block: its address and the items (entries or children) it holds.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub addr: u64,
    pub items: Range<usize>,
}

#[derive(Debug)]
pub(crate) struct GroupPlan {
    pub(crate) oh: u64,
    /// Messages after the Symbol Table message: those a loaded group kept,
    /// then its attributes.
    pub(crate) attrs: Vec<Msg>,
    pub(crate) heap_addr: u64,
    pub(crate) heap: LocalHeap,
    /// Heap offset of each member's name, in sorted member order.
    pub(crate) name_offsets: Vec<u64>,
    /// Member node ids in sorted order.
    pub(crate) members: Vec<NodeId>,
    pub(crate) snods: Vec<Block>,
    /// B-tree levels, leaves (level 0) first; the last level has one node.
    pub(crate) levels: Vec<Vec<Block>>,
}

impl GroupPlan {
    pub(crate) fn btree_root(&self) -> u64 {
        self.levels
            .last()
            .and_then(|l| l.first())
            .map_or(UNDEF_ADDR, |b| b.addr)
    }
}

#[derive(Debug)]
pub(crate) enum NodePlan {
    Group(GroupPlan),
    Dataset {
        oh: u64,
        messages: Vec<Msg>,
        index: Option<ChunkIndex>,
    },
}

/// A chunked dataset's index B-tree, planned after its object header.
#[derive(Debug)]
pub(crate) struct ChunkIndex {
    /// Node addresses per level, leaves first.
    pub(crate) levels: Vec<Vec<u64>>,
    pub(crate) entries: Vec<ChunkEntry>,
    /// Chunk dimensions with the element size last, as the layout has them.
    pub(crate) dims: Vec<u64>,
    /// Position of the Data Layout message (re-encoded with the root address).
    pub(crate) layout_at: usize,
}

/// Addresses of every metadata block of one commit.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) base: u64,
    pub(crate) size: u64,
    pub(crate) nodes: Vec<Option<NodePlan>>,
    /// Node ids in emission order.
    pub(crate) order: Vec<NodeId>,
}

impl Plan {
    /// Move every planned block by `to - base`, as if planned at `to`:
    /// only metadata addresses move (data addresses in messages are absolute).
    pub fn rebase(&mut self, to: u64) {
        let delta = to.wrapping_sub(self.base);
        let mv = |a: &mut u64| *a = a.wrapping_add(delta);
        for node in self.nodes.iter_mut().flatten() {
            match node {
                NodePlan::Dataset { oh, index, .. } => {
                    mv(oh);
                    if let Some(ix) = index {
                        ix.levels.iter_mut().flatten().for_each(mv);
                    }
                }
                NodePlan::Group(g) => {
                    mv(&mut g.oh);
                    mv(&mut g.heap_addr);
                    g.snods.iter_mut().for_each(|b| mv(&mut b.addr));
                    g.levels.iter_mut().flatten().for_each(|b| mv(&mut b.addr));
                }
            }
        }
        self.base = to;
    }

    /// Bytes of the metadata region.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The superblock that makes this plan the file's state.
    pub fn superblock(&self, eof: u64) -> Superblock {
        match self.nodes.first() {
            Some(Some(NodePlan::Group(g))) => Superblock {
                eof,
                root_object_header: g.oh,
                root_btree: g.btree_root(),
                root_heap: g.heap_addr,
            },
            _ => Superblock {
                eof,
                root_object_header: UNDEF_ADDR,
                root_btree: UNDEF_ADDR,
                root_heap: UNDEF_ADDR,
            },
        }
    }

    pub(crate) fn oh(&self, id: NodeId) -> u64 {
        match self.nodes.get(id) {
            Some(Some(NodePlan::Group(g))) => g.oh,
            Some(Some(NodePlan::Dataset { oh, .. })) => *oh,
            _ => UNDEF_ADDR,
        }
    }

    pub(crate) fn cache(&self, id: NodeId) -> Cache {
        match self.nodes.get(id) {
            Some(Some(NodePlan::Group(g))) => Cache::Group {
                btree: g.btree_root(),
                heap: g.heap_addr,
            },
            _ => Cache::None,
        }
    }
}

/// Split `n` items into the fewest runs of at most `max`, as even as possible.
fn split_even(n: usize, max: usize) -> Vec<Range<usize>> {
    let runs = n.div_ceil(max.max(1));
    let mut out = Vec::with_capacity(runs);
    let mut start = 0;
    for r in 0..runs {
        let len = n / runs + usize::from(r < n % runs);
        out.push(start..start + len);
        start += len;
    }
    out
}

/// Give every metadata block of `tree` an address, packed from `base`.
pub(crate) fn plan(tree: &Tree, base: u64) -> Result<Plan> {
    let mut nodes: Vec<Option<NodePlan>> = (0..tree.nodes.len()).map(|_| None).collect();
    let mut order = Vec::with_capacity(tree.nodes.len());
    let mut next = base;
    let mut take = |size: u64| -> Result<u64> {
        let at = next;
        next = field::add("metadata address", next, size)?;
        Ok(at)
    };
    let snod_size = snod::node_size(GROUP_LEAF_K);
    let node_size = group_node_size(GROUP_INTERNAL_K);
    let mut stack = vec![0usize];
    while let Some(id) = stack.pop() {
        let node = tree.node(id).ok_or_else(|| Error::Bug {
            what: format!("group member {id} is not in the tree"),
        })?;
        order.push(id);
        let plan = match &node.kind {
            NodeKind::Dataset(d) => {
                let messages = messages::dataset(
                    d,
                    node.header.as_deref(),
                    messages::attributes(&node.attrs)?,
                )?;
                let oh = take(object_header::size(&borrow(&messages))?)?;
                let index = match &d.chunked {
                    Some(c) if !c.stored.is_empty() => {
                        let node_len = chunk_btree::node_size(d.shape.len());
                        let mut levels = Vec::new();
                        for n in chunk_btree::plan_levels(c.stored.len()) {
                            levels.push(
                                (0..n)
                                    .map(|_| take(node_len))
                                    .collect::<Result<Vec<u64>>>()?,
                            );
                        }
                        let entries = c
                            .stored
                            .iter()
                            .map(|(coords, s)| ChunkEntry {
                                offset: coords.iter().zip(&c.chunk).map(|(&i, &k)| i * k).collect(),
                                size: s.size,
                                filter_mask: s.mask,
                                address: s.address,
                            })
                            .collect();
                        let mut dims = c.chunk.clone();
                        dims.push(u64::from(d.dtype.element_size()));
                        let layout_at = messages
                            .iter()
                            .position(|m| m.kind == kind::LAYOUT)
                            .unwrap_or(0);
                        Some(ChunkIndex {
                            levels,
                            entries,
                            dims,
                            layout_at,
                        })
                    }
                    _ => None,
                };
                NodePlan::Dataset {
                    oh,
                    messages,
                    index,
                }
            }
            NodeKind::Group(members) => {
                let mut attrs = messages::group_kept(node.header.as_deref());
                attrs.extend(messages::attributes(&node.attrs)?);
                // Addresses do not change the Symbol Table message's size.
                let header = messages::group(UNDEF_ADDR, UNDEF_ADDR, &attrs);
                let oh = take(object_header::size(&borrow(&header))?)?;
                let mut heap = LocalHeap::new();
                let name_offsets: Vec<u64> = members.keys().map(|n| heap.add(n)).collect();
                let heap_addr = take(heap.size())?;
                let mut levels = Vec::new();
                let mut below = split_even(members.len(), 2 * usize::from(GROUP_LEAF_K)).len();
                loop {
                    let runs = split_even(below, 2 * usize::from(GROUP_INTERNAL_K));
                    // An empty group still has one (empty) leaf node.
                    let runs = if runs.is_empty() {
                        std::iter::once(0..0).collect()
                    } else {
                        runs
                    };
                    let mut level = Vec::with_capacity(runs.len());
                    for items in runs {
                        level.push(Block {
                            addr: take(node_size)?,
                            items,
                        });
                    }
                    below = level.len();
                    levels.push(level);
                    if below == 1 {
                        break;
                    }
                }
                let mut snods = Vec::new();
                for items in split_even(members.len(), 2 * usize::from(GROUP_LEAF_K)) {
                    snods.push(Block {
                        addr: take(snod_size)?,
                        items,
                    });
                }
                let member_ids: Vec<NodeId> = members.values().copied().collect();
                stack.extend(member_ids.iter().rev());
                NodePlan::Group(GroupPlan {
                    oh,
                    attrs,
                    heap_addr,
                    heap,
                    name_offsets,
                    members: member_ids,
                    snods,
                    levels,
                })
            }
        };
        if let Some(slot) = nodes.get_mut(id) {
            *slot = Some(plan);
        }
    }
    Ok(Plan {
        base,
        size: next - base,
        nodes,
        order,
    })
}

#[cfg(test)]
mod tree_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_split() {
        assert_eq!(split_even(0, 8), vec![]);
        assert_eq!(split_even(8, 8), vec![0..8]);
        assert_eq!(split_even(9, 8), vec![0..5, 5..9]);
        assert_eq!(split_even(33, 32), vec![0..17, 17..33]);
    }
}
