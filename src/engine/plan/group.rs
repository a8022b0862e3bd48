//! Planning one group: a symbol-table group (header, local heap, B-tree,
//! symbol table nodes), or a group whose members are Link messages in its
//! header, as libhdf5 makes a group holding an external link. Spec notes:
//! `spec-notes/symbol-table.md`, `spec-notes/links.md`.

use std::collections::BTreeMap;

use super::{split_even, Block};
use crate::engine::messages::{self, borrow, Msg};
use crate::engine::model::{Node, NodeId, NodeKind, Tree};
use crate::error::{clip, Error, Result};
use crate::format::btree::group::group_node_size;
use crate::format::field::UNDEF_ADDR;
use crate::format::link::{self, Target};
use crate::format::local_heap::LocalHeap;
use crate::format::object_header::{self, FLAG_CONSTANT};
use crate::format::snod;
use crate::format::superblock::{GROUP_INTERNAL_K, GROUP_LEAF_K};

/// What a member entry or Link message points at.
#[derive(Clone, Debug)]
pub(crate) enum Member {
    /// An object of this file (its header address is known after planning).
    Object(NodeId),
    /// A soft link; in a symbol-table group, its value's heap offset.
    Soft { path: String, offset: u64 },
    /// An external link (only in a group of Link messages).
    External { file: String, path: String },
}

#[derive(Debug)]
pub(crate) struct GroupPlan {
    pub(crate) oh: u64,
    /// Messages after the Symbol Table message (or the Link messages):
    /// those a loaded group kept, then its attributes.
    pub(crate) attrs: Vec<Msg>,
    /// `UNDEF_ADDR` for a group of Link messages (no heap, B-tree, SNODs).
    pub(crate) heap_addr: u64,
    pub(crate) heap: LocalHeap,
    /// Heap offset of each member's name, in sorted member order.
    pub(crate) name_offsets: Vec<u64>,
    /// Member names and targets in sorted order.
    pub(crate) members: Vec<(Vec<u8>, Member)>,
    pub(crate) snods: Vec<Block>,
    /// B-tree levels, leaves (level 0) first; the last level has one node.
    pub(crate) levels: Vec<Vec<Block>>,
    /// Whether the members are Link messages in the header.
    pub(crate) link_messages: bool,
}

impl GroupPlan {
    pub(crate) fn btree_root(&self) -> u64 {
        self.levels
            .last()
            .and_then(|l| l.first())
            .map_or(UNDEF_ADDR, |b| b.addr)
    }

    /// The group's header messages, `oh` giving each member's header address.
    pub(crate) fn header(&self, oh: &dyn Fn(NodeId) -> u64) -> Result<Vec<Msg>> {
        if !self.link_messages {
            return Ok(messages::group(
                self.btree_root(),
                self.heap_addr,
                &self.attrs,
            ));
        }
        let mut out = vec![
            Msg::new(link::LINK_INFO, 0, link::link_info()),
            Msg::new(link::GROUP_INFO, FLAG_CONSTANT, link::group_info()),
        ];
        for (name, m) in &self.members {
            let name = String::from_utf8_lossy(name);
            let target = match m {
                Member::Object(id) => Target::Hard(oh(*id)),
                Member::Soft { path, .. } => Target::Soft(path.clone()),
                Member::External { file, path } => Target::External {
                    file: file.clone(),
                    path: path.clone(),
                },
            };
            out.push(Msg::new(link::LINK, 0, link::encode(&name, &target)?));
        }
        out.extend_from_slice(&self.attrs);
        Ok(out)
    }
}

/// Whether group `node` is written with Link messages: it holds an
/// external link, or was loaded that way.
fn uses_link_messages(tree: &Tree, node: &Node, members: &BTreeMap<Vec<u8>, NodeId>) -> bool {
    let loaded = node
        .header
        .as_deref()
        .is_some_and(|h| h.iter().any(|m| m.kind == link::LINK_INFO));
    loaded
        || members.values().any(|&id| {
            matches!(
                tree.node(id).map(|n| &n.kind),
                Some(NodeKind::ExternalLink { .. })
            )
        })
}

/// Plan group `node`, taking space from `take`.
pub(super) fn plan_group(
    tree: &Tree,
    node: &Node,
    members: &BTreeMap<Vec<u8>, NodeId>,
    take: &mut dyn FnMut(u64) -> Result<u64>,
) -> Result<GroupPlan> {
    let mut attrs = messages::group_kept(node.header.as_deref());
    attrs.extend(messages::attributes(&node.attrs)?);
    let link_messages = uses_link_messages(tree, node, members);
    let mut heap = LocalHeap::new();
    let name_offsets: Vec<u64> = if link_messages {
        Vec::new()
    } else {
        members.keys().map(|n| heap.add(n)).collect()
    };
    let mut list = Vec::with_capacity(members.len());
    for (name, &id) in members {
        let m = match tree.node(id).map(|n| &n.kind) {
            Some(NodeKind::SoftLink(path)) => Member::Soft {
                path: path.clone(),
                offset: if link_messages {
                    0
                } else {
                    heap.add(path.as_bytes())
                },
            },
            Some(NodeKind::ExternalLink { file, path }) => Member::External {
                file: file.clone(),
                path: path.clone(),
            },
            Some(_) => Member::Object(id),
            None => {
                return Err(Error::Bug {
                    what: format!(
                        "member {:?} of {:?} is node {id}, which is not in the tree",
                        clip(&String::from_utf8_lossy(name)),
                        clip(&node.path)
                    ),
                })
            }
        };
        list.push((name.clone(), m));
    }
    let mut plan = GroupPlan {
        oh: 0,
        attrs,
        heap_addr: UNDEF_ADDR,
        heap,
        name_offsets,
        members: list,
        snods: Vec::new(),
        levels: Vec::new(),
        link_messages,
    };
    // Addresses do not change the size of any message.
    let header = plan.header(&|_| UNDEF_ADDR)?;
    plan.oh = take(object_header::size(&borrow(&header))?)?;
    if link_messages {
        return Ok(plan);
    }
    plan.heap_addr = take(plan.heap.size())?;
    let n = members.len();
    let leaf_runs = split_even(n, 2 * usize::from(GROUP_LEAF_K));
    let mut below = leaf_runs.len();
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
                addr: take(group_node_size(GROUP_INTERNAL_K))?,
                items,
            });
        }
        below = level.len();
        plan.levels.push(level);
        if below == 1 {
            break;
        }
    }
    for items in leaf_runs {
        plan.snods.push(Block {
            addr: take(snod::node_size(GROUP_LEAF_K))?,
            items,
        });
    }
    Ok(plan)
}

/// The symbol table entry of member `m` (name at heap offset `name_offset`).
pub(crate) fn entry(
    m: &Member,
    name_offset: u64,
    oh: &dyn Fn(NodeId) -> u64,
    cache: &dyn Fn(NodeId) -> snod::Cache,
) -> Result<snod::Entry> {
    Ok(match m {
        Member::Object(id) => snod::Entry {
            name_offset,
            object_header: oh(*id),
            cache: cache(*id),
        },
        Member::Soft { offset, .. } => snod::Entry {
            name_offset,
            object_header: UNDEF_ADDR,
            cache: snod::Cache::SymbolicLink {
                link_offset: u32::try_from(*offset).map_err(|_| Error::FieldOverflow {
                    field: "soft link value heap offset",
                    value: *offset,
                    max: u64::from(u32::MAX),
                })?,
            },
        },
        Member::External { file, path } => {
            return Err(Error::Bug {
                what: format!(
                    "external link to {:?} in {:?} planned into a symbol table",
                    clip(path),
                    clip(file)
                ),
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::engine::emit::emit;
    use crate::engine::model::{DatasetMeta, NodeKind, Tree};
    use crate::engine::plan::{plan, NodePlan};
    use crate::engine::space::Extent;
    use crate::format::datatype::{Datatype, ElementType};

    fn dataset() -> NodeKind {
        NodeKind::Dataset(DatasetMeta {
            dtype: ElementType::Known(Datatype::Bool),
            shape: vec![2],
            address: 4096,
            size: 2,
            block: Extent {
                start: 4096,
                len: 2,
            },
            fill: None,
            compact: None,
            staged: None,
            spilled: false,
            chunked: None,
            virt: None,
        })
    }

    /// Reference count of the header at `oh` in the emitted region.
    fn refcount(out: &[u8], base: u64, oh: u64) -> u32 {
        let at = (oh - base) as usize + 4;
        u32::from_le_bytes(out[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn each_object_once_counting_its_names_and_external_links_as_messages() {
        let mut t = Tree::new();
        let g = t.add(0, "g", NodeKind::Group(BTreeMap::new())).unwrap();
        let d = t.add(g, "d", dataset()).unwrap();
        t.link(0, "h", d).unwrap();
        t.link(g, "again", d).unwrap();
        t.link(g, "up", g).unwrap(); // a cycle
        t.add(g, "s", NodeKind::SoftLink("d".into())).unwrap();
        let ext = NodeKind::ExternalLink {
            file: "o.h5".into(),
            path: "/x".into(),
        };
        t.add(0, "e", ext).unwrap();
        // A group that is no longer reachable does not count.
        let dead = t.add(0, "dead", NodeKind::Group(BTreeMap::new())).unwrap();
        t.link(dead, "d", d).unwrap();
        if let NodeKind::Group(m) = &mut t.nodes[0].kind {
            m.remove(b"dead".as_slice());
        }
        let p = plan(&t, 96).unwrap();
        assert_eq!(p.order, [0, g, d]);
        assert_eq!((p.refs[0], p.refs[g], p.refs[d]), (1, 2, 3));
        let out = emit(&p).unwrap();
        assert_eq!(refcount(&out, 96, p.oh(d)), 3);
        assert_eq!(refcount(&out, 96, p.oh(g)), 2);
        match (&p.nodes[0], &p.nodes[g]) {
            (Some(NodePlan::Group(root)), Some(NodePlan::Group(sub))) => {
                assert!(root.link_messages && !sub.link_messages);
                assert_eq!(root.heap_addr, crate::format::field::UNDEF_ADDR);
                // g's heap: "", names, then the soft link's value.
                assert_eq!(sub.heap.size(), 32 + 8 * 6);
            }
            other => panic!("{other:?}"),
        }
        // The root caches nothing: its superblock entry has cache type 0.
        let sb = p.superblock(1 << 20).encode();
        assert_eq!(sb[72..76], 0u32.to_le_bytes());
    }
}
