//! Loading symbol-table groups: the Symbol Table message, the local heap of
//! member names, the group B-tree down to its symbol table nodes, then each
//! member. Spec notes: `spec-notes/symbol-table.md`, `spec-notes/group-btree.md`,
//! `spec-notes/snod.md`, `spec-notes/local-heap.md`.

use std::collections::BTreeSet;

use super::Loader;
use crate::engine::model::{name_problem, NodeId, Tree};
use crate::error::{clip, Error, Result};
use crate::format::btree::group::{decode_group_node, group_node_size};
use crate::format::field::UNDEF_ADDR;
use crate::format::link::{self, Target};
use crate::format::object_header::RawMessage;
use crate::format::snod::{self, Cache};
use crate::format::{local_heap, symbol_table};

/// Message type of the Symbol Table message.
pub(super) const SYMBOL_TABLE: u16 = 0x0011;

impl Loader<'_> {
    /// Load the root group (node 0) from its object header at `addr`.
    pub(super) fn load_group(&mut self, tree: &mut Tree, id: NodeId, addr: u64) -> Result<()> {
        self.ids.insert(addr, id);
        let messages = self.messages(addr)?;
        if !messages.iter().any(|m| is_group_message(m.kind)) {
            return Err(Error::Unsupported {
                structure: "root group",
                offset: addr,
                detail: "neither a Symbol Table nor a Link Info message: h5sink opens files whose root is a group".into(),
            });
        }
        self.fill_group(tree, id, addr, messages)
    }

    /// Load the members and attributes of group `id` from its messages.
    pub(super) fn fill_group(
        &mut self,
        tree: &mut Tree,
        id: NodeId,
        addr: u64,
        messages: Vec<RawMessage>,
    ) -> Result<()> {
        // Loading recurses once per level: the parsing lives in its own
        // frame, popped before the members load.
        let members = self.group_members(tree, id, addr, messages)?;
        for (name, target) in members {
            self.load_member(tree, id, &name, target)?;
        }
        Ok(())
    }

    /// The attributes and kept messages of group `id` (into the tree), and
    /// its members' names and targets: from its symbol table, or from its
    /// Link messages.
    #[inline(never)]
    fn group_members(
        &mut self,
        tree: &mut Tree,
        id: NodeId,
        addr: u64,
        messages: Vec<RawMessage>,
    ) -> Result<Vec<(String, Target)>> {
        let mut table = None;
        let mut links = None::<Vec<(String, Target)>>;
        let mut attrs = Vec::new();
        for m in &messages {
            match m.kind {
                SYMBOL_TABLE => table = Some(symbol_table::decode(&m.body, m.offset, self.eof)?),
                link::LINK_INFO => {
                    link::check_link_info(&m.body, m.offset)?;
                    links.get_or_insert_with(Vec::new);
                }
                link::LINK => {
                    let (name, target) = link::decode(&m.body, m.offset, self.eof)?;
                    check_name(&name, m.offset, "link message")?;
                    links.get_or_insert_with(Vec::new).push((name, target));
                }
                link::GROUP_INFO => {}
                super::dataset::ATTRIBUTE => attrs.push(self.attribute(m)?),
                _ => self.other_message(m, "group")?,
            }
        }
        if let Some(node) = tree.nodes.get_mut(id) {
            node.attrs = attrs;
            node.header = Some(super::kept(messages));
        }
        match (table, links) {
            (Some((btree, heap)), None) => self.members(btree, heap),
            (None, Some(links)) => Ok(links),
            _ => Err(Error::Unsupported {
                structure: "object header",
                offset: addr,
                detail: "a group with both a Symbol Table message and Link messages, or Link messages without Link Info".into(),
            }),
        }
    }

    /// The name and target of every member of the group whose B-tree root
    /// is `btree` and local heap `heap`, in B-tree order.
    fn members(&mut self, btree: u64, heap: u64) -> Result<Vec<(String, Target)>> {
        let header = self.read("local heap", heap, local_heap::HEADER_SIZE)?;
        let h = local_heap::decode(&header, heap, self.eof)?;
        let names = self.read("local heap data", h.data_address, h.data_size)?;
        let internal_k = self.sb.group_internal_k;
        let leaf_k = self.sb.group_leaf_k;
        let node_len = group_node_size(internal_k);
        let snod_len = snod::node_size(leaf_k);
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        // (address, the level it must have; None for the root).
        let mut stack = vec![(btree, None::<u8>)];
        while let Some((at, want)) = stack.pop() {
            if !seen.insert(at) {
                return Err(Error::Malformed {
                    structure: "group B-tree node",
                    offset: at,
                    reason: "reached twice (a cycle or a shared child)".into(),
                });
            }
            let bytes = self.read("group B-tree node", at, node_len)?;
            let node = decode_group_node(&bytes, at, self.eof, internal_k)?;
            if want.is_some_and(|w| w != node.level) {
                return Err(Error::Malformed {
                    structure: "group B-tree node",
                    offset: at,
                    reason: format!(
                        "level {} under a node that needs level {want:?}",
                        node.level
                    ),
                });
            }
            if node.level > 0 {
                // Children pushed in reverse, so they pop in order.
                for &c in node.children.iter().rev() {
                    stack.push((c, Some(node.level - 1)));
                }
                continue;
            }
            for &s in &node.children {
                let bytes = self.read("symbol table node", s, snod_len)?;
                for e in snod::decode_node(&bytes, s, self.eof, leaf_k)? {
                    let name = local_heap::name_at(&names, h.data_address, e.name_offset)?;
                    let name = std::str::from_utf8(name).map_err(|_| Error::Unsupported {
                        structure: "symbol table node",
                        offset: s,
                        detail: format!(
                            "a member name that is not UTF-8: {}",
                            String::from_utf8_lossy(name)
                        ),
                    })?;
                    check_name(name, s, "symbol table node")?;
                    let target = match e.cache {
                        Cache::SymbolicLink { link_offset } => {
                            let value = local_heap::name_at(
                                &names,
                                h.data_address,
                                u64::from(link_offset),
                            )?;
                            let value =
                                std::str::from_utf8(value).map_err(|_| Error::Unsupported {
                                    structure: "symbol table node",
                                    offset: s,
                                    detail: format!(
                                        "soft link {name:?} has a value that is not UTF-8: {}",
                                        String::from_utf8_lossy(value)
                                    ),
                                })?;
                            Target::Soft(value.to_owned())
                        }
                        _ if e.object_header == UNDEF_ADDR => {
                            return Err(Error::Malformed {
                                structure: "symbol table node",
                                offset: s,
                                reason: format!(
                                    "member {:?} has no object header and is no soft link",
                                    clip(name)
                                ),
                            })
                        }
                        _ => Target::Hard(e.object_header),
                    };
                    out.push((name.to_owned(), target));
                }
            }
        }
        Ok(out)
    }
}

/// Whether a message of kind `k` makes an object header a group's.
pub(super) fn is_group_message(k: u16) -> bool {
    k == SYMBOL_TABLE || k == link::LINK_INFO
}

/// Refuse a member name the model cannot hold (empty, `.`, `/`, NUL).
fn check_name(name: &str, at: u64, structure: &'static str) -> Result<()> {
    match name_problem(name) {
        Some(reason) => Err(Error::Malformed {
            structure,
            offset: at,
            reason: format!("member name {:?}: {reason}", clip(name)),
        }),
        None => Ok(()),
    }
}
