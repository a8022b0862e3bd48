//! The model: the in-memory picture of the file, as plain data. Groups,
//! datasets and attributes as the next commit will write them, with the
//! bookkeeping of chunks and heap collections; no I/O. The API fills it
//! today, and a decoder of existing files can fill it the same way.

use std::collections::BTreeMap;

use crate::error::{clip, Error, Result};

mod attr;
mod chunks;
mod dataset;
mod header;
mod heap;
mod links;
mod path;

pub(crate) use attr::Attr;
pub(crate) use chunks::{chunk_len, Chunked, OpenChunk, StoredChunk};
pub(crate) use dataset::{DatasetMeta, VirtualMeta};
pub(crate) use header::Msg;
pub(crate) use heap::OpenCollection;
pub(crate) use links::Found;
pub(crate) use path::name_problem;

/// Index of a node in the [`Tree`] arena. The root group is node 0.
pub(crate) type NodeId = usize;

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
    /// Members sorted by their name bytes, the order symbol tables need.
    /// A hard link is a second entry holding the id of an existing node.
    Group(BTreeMap<Vec<u8>, NodeId>),
    Dataset(DatasetMeta),
    /// A soft link: the path it names (absolute, or relative to the group
    /// holding it), which need not exist.
    SoftLink(String),
    /// An external link: an object `path` in the file `file`.
    ExternalLink {
        file: String,
        path: String,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// Full path from the root, for messages (`/` for the root).
    pub path: String,
    pub kind: NodeKind,
    /// Attributes in creation order.
    pub attrs: Vec<Attr>,
    /// The header messages of an object loaded from a file, in file order,
    /// attributes, NIL and continuation messages left out. A commit writes
    /// them back byte for byte, re-encoding only those the model changed
    /// (symbol table, dataspace, layout). `None` for objects made through
    /// the API, whose messages come from the model alone.
    pub header: Option<Vec<Msg>>,
}

/// All groups and datasets of the file.
#[derive(Clone, Debug)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    pub fn new() -> Self {
        Tree {
            nodes: vec![Node {
                path: "/".into(),
                kind: NodeKind::Group(BTreeMap::new()),
                attrs: Vec::new(),
                header: None,
            }],
        }
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id)
    }

    /// The member `name` of group `group`.
    pub fn child(&self, group: NodeId, name: &str) -> Option<NodeId> {
        match self.nodes.get(group).map(|n| &n.kind) {
            Some(NodeKind::Group(m)) => m.get(name.as_bytes()).copied(),
            _ => None,
        }
    }

    /// Whether node `id` is a group.
    pub fn is_group(&self, id: NodeId) -> bool {
        matches!(
            self.nodes.get(id).map(|n| &n.kind),
            Some(NodeKind::Group(_))
        )
    }

    /// Names of the members of group `id`, sorted by bytes.
    pub fn member_names(&self, id: NodeId) -> Vec<String> {
        match self.nodes.get(id).map(|n| &n.kind) {
            Some(NodeKind::Group(m)) => m
                .keys()
                .map(|k| String::from_utf8_lossy(k).into_owned())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The full path of node `id` (empty if there is no such node).
    pub fn path(&self, id: NodeId) -> String {
        self.nodes
            .get(id)
            .map(|n| n.path.clone())
            .unwrap_or_default()
    }

    pub fn dataset(&self, id: NodeId) -> Option<&DatasetMeta> {
        match self.nodes.get(id).map(|n| &n.kind) {
            Some(NodeKind::Dataset(d)) => Some(d),
            _ => None,
        }
    }

    pub fn dataset_mut(&mut self, id: NodeId) -> Option<&mut DatasetMeta> {
        match self.nodes.get_mut(id).map(|n| &mut n.kind) {
            Some(NodeKind::Dataset(d)) => Some(d),
            _ => None,
        }
    }

    /// Add a member `name` to group `parent`; the name must already be valid.
    pub fn add(&mut self, parent: NodeId, name: &str, kind: NodeKind) -> Result<NodeId> {
        let id = self.nodes.len();
        // Callers resolve paths first: a missing or non-group parent is a bug.
        let Some(node) = self.nodes.get_mut(parent) else {
            return Err(Error::Bug {
                what: format!(
                    "member {:?} added to node {parent}, which does not exist",
                    clip(name)
                ),
            });
        };
        let NodeKind::Group(members) = &mut node.kind else {
            return Err(Error::Bug {
                what: format!(
                    "member {:?} added to {:?}, which is not a group",
                    clip(name),
                    clip(&node.path)
                ),
            });
        };
        match members.entry(name.as_bytes().to_vec()) {
            std::collections::btree_map::Entry::Occupied(_) => {
                return Err(Error::DuplicateName {
                    group: clip(&node.path),
                    name: clip(name),
                })
            }
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(id);
            }
        }
        let mut path = String::with_capacity(node.path.len() + 1 + name.len());
        path.push_str(&node.path);
        if node.path != "/" {
            path.push('/');
        }
        path.push_str(name);
        self.nodes.push(Node {
            path,
            kind,
            attrs: Vec::new(),
            header: None,
        });
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_member_is_an_error() {
        let mut t = Tree::new();
        t.add(0, "g", NodeKind::Group(BTreeMap::new())).unwrap();
        let e = t.add(0, "g", NodeKind::Group(BTreeMap::new())).unwrap_err();
        assert!(matches!(e, Error::DuplicateName { .. }), "{e}");
        assert_eq!(t.nodes[1].path, "/g");
    }

    #[test]
    fn adding_below_a_missing_or_non_group_parent_is_a_bug() {
        let mut t = Tree::new();
        let e = t.add(7, "x", NodeKind::Group(BTreeMap::new())).unwrap_err();
        assert!(matches!(e, Error::Bug { .. }), "{e}");
        let meta = crate::engine::model::DatasetMeta {
            dtype: crate::format::datatype::ElementType::Known(
                crate::format::datatype::Datatype::Bool,
            ),
            shape: Vec::new(),
            address: 0,
            size: 0,
            block: crate::engine::space::Extent { start: 0, len: 0 },
            fill: None,
            compact: None,
            staged: None,
            spilled: false,
            chunked: None,
            virt: None,
        };
        let d = t.add(0, "d", NodeKind::Dataset(meta)).unwrap();
        let huge = "n".repeat(10_000);
        let e = t
            .add(d, &huge, NodeKind::Group(BTreeMap::new()))
            .unwrap_err();
        assert!(matches!(e, Error::Bug { .. }), "{e}");
        assert!(e.to_string().len() < 1000, "{e}");
    }
}
