//! The planner and the emitter of a commit's metadata.
//!
//! [`plan`] walks the tree once and gives every metadata block (object
//! headers, local heaps, B-tree nodes, symbol table nodes) its address inside
//! one contiguous region starting at `base`. [`emit`] then encodes the blocks
//! in the same order into one buffer and checks that each lands exactly where
//! it was planned, so the region can go to disk in a single write.

use std::ops::Range;

use crate::error::{Error, Result};
use crate::format::btree;
use crate::format::chunk_btree::{self, ChunkEntry};
use crate::format::field::{self, UNDEF_ADDR};
use crate::format::layout_chunked;
use crate::format::local_heap::LocalHeap;
use crate::format::object_header;
use crate::format::object_header::kind;
use crate::format::snod::{self, Cache, Entry};
use crate::format::superblock::{Superblock, GROUP_INTERNAL_K, GROUP_LEAF_K};
use crate::messages::{self, borrow, Msg};
use crate::model::{NodeId, NodeKind, Tree};

/// A planned block: its address and the items (entries or children) it holds.
#[derive(Clone, Debug)]
struct Block {
    addr: u64,
    items: Range<usize>,
}

#[derive(Debug)]
struct GroupPlan {
    oh: u64,
    /// Attribute messages (the Symbol Table message comes first).
    attrs: Vec<Msg>,
    heap_addr: u64,
    heap: LocalHeap,
    /// Heap offset of each member's name, in sorted member order.
    name_offsets: Vec<u64>,
    /// Member node ids in sorted order.
    members: Vec<NodeId>,
    snods: Vec<Block>,
    /// B-tree levels, leaves (level 0) first; the last level has one node.
    levels: Vec<Vec<Block>>,
}

impl GroupPlan {
    fn btree_root(&self) -> u64 {
        self.levels
            .last()
            .and_then(|l| l.first())
            .map_or(UNDEF_ADDR, |b| b.addr)
    }
}

#[derive(Debug)]
enum NodePlan {
    Group(GroupPlan),
    Dataset {
        oh: u64,
        messages: Vec<Msg>,
        index: Option<ChunkIndex>,
    },
}

/// A chunked dataset's index B-tree, planned after its object header.
#[derive(Debug)]
struct ChunkIndex {
    /// Node addresses per level, leaves first.
    levels: Vec<Vec<u64>>,
    entries: Vec<ChunkEntry>,
    /// Chunk dimensions with the element size last, as the layout has them.
    dims: Vec<u64>,
    /// Position of the Data Layout message (re-encoded with the root address).
    layout_at: usize,
}

/// Addresses of every metadata block of one commit.
#[derive(Debug)]
pub(crate) struct Plan {
    base: u64,
    size: u64,
    nodes: Vec<Option<NodePlan>>,
    /// Node ids in emission order.
    order: Vec<NodeId>,
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

    fn oh(&self, id: NodeId) -> u64 {
        match self.nodes.get(id) {
            Some(Some(NodePlan::Group(g))) => g.oh,
            Some(Some(NodePlan::Dataset { oh, .. })) => *oh,
            _ => UNDEF_ADDR,
        }
    }

    fn cache(&self, id: NodeId) -> Cache {
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
    let node_size = btree::group_node_size(GROUP_INTERNAL_K);
    let mut stack = vec![0usize];
    while let Some(id) = stack.pop() {
        let node = tree.node(id).ok_or(Error::Closed)?;
        order.push(id);
        let plan = match &node.kind {
            NodeKind::Dataset(d) => {
                let messages = messages::dataset(d, messages::attributes(&node.attrs)?)?;
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
                let attrs = messages::attributes(&node.attrs)?;
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

/// Encode every block of `plan` into one buffer of `plan.size()` bytes.
pub(crate) fn emit(plan: &Plan) -> Result<Vec<u8>> {
    let cap = usize::try_from(plan.size).map_err(|_| Error::FieldOverflow {
        field: "metadata size",
        value: plan.size,
        max: usize::MAX as u64,
    })?;
    let mut out = Vec::with_capacity(cap);
    let at = |out: &Vec<u8>| plan.base + out.len() as u64;
    for &id in &plan.order {
        match plan.nodes.get(id) {
            Some(Some(NodePlan::Dataset {
                oh,
                messages,
                index,
            })) => {
                debug_assert_eq!(at(&out), *oh);
                match index {
                    None => object_header::encode(&mut out, &borrow(messages))?,
                    Some(ix) => {
                        // The layout names the index root, known only now.
                        let root = ix
                            .levels
                            .last()
                            .and_then(|l| l.first())
                            .copied()
                            .unwrap_or(UNDEF_ADDR);
                        let mut msgs = messages.clone();
                        if let Some(m) = msgs.get_mut(ix.layout_at) {
                            let chunk: Vec<u32> = ix
                                .dims
                                .iter()
                                .map(|&k| u32::try_from(k).unwrap_or(u32::MAX))
                                .collect();
                            let (elem, dims) = chunk.split_last().unwrap_or((&0, &[]));
                            m.body = layout_chunked::chunked_v3(root, dims, *elem)?;
                        }
                        object_header::encode(&mut out, &borrow(&msgs))?;
                        debug_assert_eq!(
                            ix.levels.first().and_then(|l| l.first()).copied(),
                            Some(at(&out))
                        );
                        chunk_btree::encode_tree(&ix.entries, &ix.dims, &ix.levels, &mut out)?;
                    }
                }
            }
            Some(Some(NodePlan::Group(g))) => {
                debug_assert_eq!(at(&out), g.oh);
                let header = messages::group(g.btree_root(), g.heap_addr, &g.attrs);
                object_header::encode(&mut out, &borrow(&header))?;
                debug_assert_eq!(at(&out), g.heap_addr);
                g.heap.encode(g.heap_addr, &mut out)?;
                emit_btree(&mut out, g, &at)?;
                for s in &g.snods {
                    debug_assert_eq!(at(&out), s.addr);
                    let entries: Vec<Entry> = s
                        .items
                        .clone()
                        .map(|i| {
                            let member = g.members.get(i).copied().unwrap_or(usize::MAX);
                            Entry {
                                name_offset: g.name_offsets.get(i).copied().unwrap_or(0),
                                object_header: plan.oh(member),
                                cache: plan.cache(member),
                            }
                        })
                        .collect();
                    snod::encode_node(&mut out, GROUP_LEAF_K, &entries)?;
                }
            }
            _ => {}
        }
    }
    if out.len() as u64 != plan.size {
        return Err(Error::FieldOverflow {
            field: "emitted metadata size (planner bug)",
            value: out.len() as u64,
            max: plan.size,
        });
    }
    Ok(out)
}

/// Encode the group's B-tree levels. A node's keys are the heap offsets of
/// the names bounding its children: key 0 is the left bound (the empty
/// string for the first node), key i+1 the greatest name under child i.
fn emit_btree(out: &mut Vec<u8>, g: &GroupPlan, at: &dyn Fn(&Vec<u8>) -> u64) -> Result<()> {
    // Left and right bound of each SNOD: name-offset of the greatest name before / in it.
    let greatest = |r: &Range<usize>| {
        r.end
            .checked_sub(1)
            .and_then(|i| g.name_offsets.get(i).copied())
            .unwrap_or(0)
    };
    let mut bounds: Vec<(u64, u64)> = Vec::with_capacity(g.snods.len());
    let mut left = 0;
    for s in &g.snods {
        let right = greatest(&s.items);
        bounds.push((left, right));
        left = right;
    }
    let mut children: Vec<u64> = g.snods.iter().map(|s| s.addr).collect();
    for (depth, level) in g.levels.iter().enumerate() {
        let mut next_bounds = Vec::with_capacity(level.len());
        for (i, node) in level.iter().enumerate() {
            debug_assert_eq!(at(out), node.addr);
            let kids = children.get(node.items.clone()).unwrap_or(&[]);
            let b = bounds.get(node.items.clone()).unwrap_or(&[]);
            let mut keys = Vec::with_capacity(b.len() + 1);
            keys.push(b.first().map_or(0, |x| x.0));
            keys.extend(b.iter().map(|x| x.1));
            let sibling =
                |j: Option<usize>| j.and_then(|j| level.get(j)).map_or(UNDEF_ADDR, |n| n.addr);
            let level_no = field::u8_field("B-tree level", depth as u64)?;
            btree::encode_group_node(
                out,
                GROUP_INTERNAL_K,
                level_no,
                sibling(i.checked_sub(1)),
                sibling(i.checked_add(1)),
                &keys,
                kids,
            )?;
            next_bounds.push((
                keys.first().copied().unwrap_or(0),
                keys.last().copied().unwrap_or(0),
            ));
        }
        bounds = next_bounds;
        children = level.iter().map(|n| n.addr).collect();
    }
    Ok(())
}

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
