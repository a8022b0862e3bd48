//! The emitter: encodes every block of a [`Plan`] into one buffer, checking
//! that each lands exactly where the planner put it.

use std::ops::Range;

use crate::engine::messages::borrow;
use crate::engine::plan::{entry, GroupPlan, NodePlan, Plan};
use crate::error::{Error, Result};
use crate::format::btree::chunk as chunk_btree;
use crate::format::btree::group::encode_group_node;
use crate::format::field::{self, UNDEF_ADDR};
use crate::format::layout::chunked;
use crate::format::object_header;
use crate::format::snod;
use crate::format::superblock::{GROUP_INTERNAL_K, GROUP_LEAF_K};

/// Encode every block of `plan` into one buffer of `plan.size()` bytes.
pub(crate) fn emit(plan: &Plan) -> Result<Vec<u8>> {
    let cap = usize::try_from(plan.size).map_err(|_| Error::FieldOverflow {
        field: "metadata size",
        value: plan.size,
        max: usize::MAX as u64,
    })?;
    let mut out = Vec::with_capacity(cap);
    let at = |out: &Vec<u8>| plan.base + out.len() as u64;
    let refs = |id: usize| plan.refs.get(id).copied().unwrap_or(1).max(1);
    for &id in &plan.order {
        match plan.nodes.get(id) {
            Some(Some(NodePlan::Dataset {
                oh,
                messages,
                index,
            })) => {
                debug_assert_eq!(at(&out), *oh);
                match index {
                    None => object_header::encode_linked(&mut out, &borrow(messages), refs(id))?,
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
                            m.body = chunked::chunked_v3(root, dims, *elem)?;
                        }
                        object_header::encode_linked(&mut out, &borrow(&msgs), refs(id))?;
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
                let oh = |m| plan.oh(m);
                let header = g.header(&oh)?;
                object_header::encode_linked(&mut out, &borrow(&header), refs(id))?;
                if g.link_messages {
                    continue;
                }
                debug_assert_eq!(at(&out), g.heap_addr);
                g.heap.encode(g.heap_addr, &mut out)?;
                emit_btree(&mut out, g, &at)?;
                let cache = |m| plan.cache(m);
                for s in &g.snods {
                    debug_assert_eq!(at(&out), s.addr);
                    let mut entries = Vec::with_capacity(s.items.len());
                    for i in s.items.clone() {
                        let (Some((_, member)), Some(&name)) =
                            (g.members.get(i), g.name_offsets.get(i))
                        else {
                            return Err(Error::Bug {
                                what: format!("symbol table node at {} lists member {i}, which is not planned", s.addr),
                            });
                        };
                        entries.push(entry(member, name, &oh, &cache)?);
                    }
                    snod::encode_node(&mut out, GROUP_LEAF_K, &entries)?;
                }
            }
            _ => {}
        }
    }
    if out.len() as u64 != plan.size {
        return Err(Error::Bug {
            what: format!(
                "the metadata emitted ({} bytes) differs from its plan ({} bytes)",
                out.len(),
                plan.size
            ),
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
            encode_group_node(
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
