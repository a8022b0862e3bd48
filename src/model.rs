//! The in-memory picture of the file: groups and datasets, as the next
//! commit will write them.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::format::datatype::Datatype;
use crate::space::Extent;

/// Index of a node in the [`Tree`] arena. The root group is node 0.
pub(crate) type NodeId = usize;

/// A dataset's description: everything its object header says.
#[derive(Clone, Debug)]
pub(crate) struct DatasetMeta {
    pub dtype: Datatype,
    pub shape: Vec<u64>,
    /// Address of the contiguous data block (UNDEF when it holds no bytes).
    pub address: u64,
    /// Bytes of the data block.
    pub size: u64,
    /// All file space the dataset owns: its data block, plus the global heap
    /// collections of a string dataset.
    pub block: Extent,
    /// A user fill value (one element in file format), if set.
    pub fill: Option<Vec<u8>>,
    /// Compact storage: the data itself, kept in the object header.
    pub compact: Option<Vec<u8>>,
    /// Data of a small dataset not yet committed, held in memory and written
    /// with its neighbours at the next commit (one write instead of many).
    pub staged: Option<Vec<u8>>,
    /// Its staged data was written out early: later writes go straight to disk.
    pub spilled: bool,
    /// Chunked storage (then `address`/`block` are unused).
    pub chunked: Option<Box<crate::chunked::Chunked>>,
}

/// An attribute, stored as a message in its object's header.
#[derive(Clone, Debug)]
pub(crate) struct Attr {
    pub name: String,
    pub dtype: Datatype,
    pub shape: Vec<u64>,
    /// The value in file format (16-byte heap references for strings).
    pub data: Vec<u8>,
    /// Global heap block of a string attribute.
    pub block: Option<Extent>,
}

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
    /// Members sorted by their name bytes, the order symbol tables need.
    Group(BTreeMap<Vec<u8>, NodeId>),
    Dataset(DatasetMeta),
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// Full path from the root, for messages (`/` for the root).
    pub path: String,
    pub kind: NodeKind,
    /// Attributes in creation order.
    pub attrs: Vec<Attr>,
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
        let Some(node) = self.nodes.get_mut(parent) else {
            return Err(Error::InvalidName {
                name: name.into(),
                reason: "parent group does not exist",
            });
        };
        let NodeKind::Group(members) = &mut node.kind else {
            return Err(Error::InvalidName {
                name: name.into(),
                reason: "parent is not a group",
            });
        };
        match members.entry(name.as_bytes().to_vec()) {
            std::collections::btree_map::Entry::Occupied(_) => {
                return Err(Error::DuplicateName {
                    group: node.path.clone(),
                    name: name.into(),
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
        });
        Ok(id)
    }
}

/// Check a member name: non-empty, not `.`, no NUL, no `/`.
pub(crate) fn validate_name(name: &str) -> Result<()> {
    let reason = if name.is_empty() {
        "names must not be empty"
    } else if name == "." || name == ".." {
        "\".\" and \"..\" are path navigation, not names"
    } else if name.contains('\0') {
        "names must not contain NUL"
    } else if name.contains('/') {
        "'/' separates path components; nested paths are not supported here, create the groups one by one"
    } else {
        return Ok(());
    };
    Err(Error::InvalidName {
        name: name.into(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for bad in ["", ".", "..", "a\0b", "a/b", "/"] {
            assert!(validate_name(bad).is_err(), "{bad:?}");
        }
        for good in ["a", "..x", "ü", " ", "..."] {
            validate_name(good).unwrap();
        }
    }

    #[test]
    fn duplicate_member_is_an_error() {
        let mut t = Tree::new();
        t.add(0, "g", NodeKind::Group(BTreeMap::new())).unwrap();
        let e = t.add(0, "g", NodeKind::Group(BTreeMap::new())).unwrap_err();
        assert!(matches!(e, Error::DuplicateName { .. }), "{e}");
        assert_eq!(t.nodes[1].path, "/g");
    }
}
