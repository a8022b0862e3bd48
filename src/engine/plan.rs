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
use crate::format::field::{self, UNDEF_ADDR};
use crate::format::object_header;
use crate::format::object_header::kind;
use crate::format::snod::Cache;
use crate::format::superblock::Superblock;

mod group;

pub(crate) use group::{entry, GroupPlan};

/// A planned block: its address and the items (entries or children) it holds.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub addr: u64,
    pub items: Range<usize>,
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
    /// Node ids in emission order (each object once; links have no plan).
    pub(crate) order: Vec<NodeId>,
    /// Each node's header reference count: the entries that name it.
    pub(crate) refs: Vec<u32>,
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
                    if !g.link_messages {
                        mv(&mut g.heap_addr);
                    }
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
            Some(Some(NodePlan::Group(g))) if !g.link_messages => Cache::Group {
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
    let mut planned = vec![false; tree.nodes.len()];
    // Each header counts the entries that name it: those of the groups
    // planned (each once), and the superblock's for the root.
    let mut refs = vec![0u32; tree.nodes.len()];
    if let Some(root) = refs.first_mut() {
        *root = 1;
    }
    let mut stack = vec![0usize];
    while let Some(id) = stack.pop() {
        let node = tree.node(id).ok_or_else(|| Error::Bug {
            what: format!("group member {id} is not in the tree"),
        })?;
        // A node named twice (a hard link) is planned once; links have
        // no header of their own.
        match planned.get_mut(id) {
            Some(p) if !*p => *p = true,
            _ => continue,
        }
        if tree.is_link(id) {
            continue;
        }
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
                let g = group::plan_group(tree, node, members, &mut take)?;
                for &m in members.values() {
                    if let Some(r) = refs.get_mut(m) {
                        *r = r.saturating_add(1);
                    }
                }
                stack.extend(
                    members
                        .values()
                        .rev()
                        .filter(|&&m| !planned.get(m).copied().unwrap_or(true)),
                );
                NodePlan::Group(g)
            }
            NodeKind::SoftLink(_) | NodeKind::ExternalLink { .. } => continue,
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
        refs,
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
