//! Links in the tree: hard links (a second member entry for an existing
//! node, which turns the tree into a graph that may have cycles), soft
//! links (a path, followed when looked up) and external links (a file and
//! a path, never followed here). Spec note: `spec-notes/links.md`.

use crate::error::{clip, Error, Result};

use super::{NodeId, NodeKind, Tree};

/// At most this many soft links are followed in one lookup, in all (as
/// libhdf5's `H5L_NUM_LINKS` default): more is a loop or a chain too long.
/// A total, not a depth, so a hostile file's links cannot make a lookup's
/// work grow beyond 16 times the length of its paths.
pub(crate) const MAX_SOFT_HOPS: usize = 16;

/// What a lookup found at a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// An object of this file: its id.
    Object(NodeId),
    /// A soft link whose target does not exist (or loops): the link's value.
    Dangling(String),
    /// An external link: its file and path.
    External { file: String, path: String },
    /// Nothing of that name.
    Missing,
}

impl Tree {
    /// Add the member `name` to group `parent` as a second name of node
    /// `target` (a hard link); the name must already be valid.
    pub fn link(&mut self, parent: NodeId, name: &str, target: NodeId) -> Result<()> {
        if self.nodes.get(target).is_none() {
            return Err(Error::Bug {
                what: format!(
                    "hard link {:?} to node {target}, which does not exist",
                    clip(name)
                ),
            });
        }
        let parent_path = self.path(parent);
        match self.nodes.get_mut(parent).map(|n| &mut n.kind) {
            Some(NodeKind::Group(m)) => match m.entry(name.as_bytes().to_vec()) {
                std::collections::btree_map::Entry::Occupied(_) => Err(Error::DuplicateName {
                    group: clip(&parent_path),
                    name: clip(name),
                }),
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(target);
                    Ok(())
                }
            },
            _ => Err(Error::Bug {
                what: format!(
                    "hard link {:?} added to {:?}, which is not a group",
                    clip(name),
                    clip(&parent_path)
                ),
            }),
        }
    }

    /// Whether node `id` is a soft or external link (not an object).
    pub fn is_link(&self, id: NodeId) -> bool {
        matches!(
            self.nodes.get(id).map(|n| &n.kind),
            Some(NodeKind::SoftLink(_) | NodeKind::ExternalLink { .. })
        )
    }

    /// Member `id` of group `group`, a soft link followed to its object:
    /// `None` for a dangling soft link or an external link.
    pub fn through(&self, group: NodeId, id: NodeId) -> Option<NodeId> {
        match self.nodes.get(id).map(|n| &n.kind) {
            Some(NodeKind::SoftLink(target)) => match self.find_path(group, target) {
                Found::Object(o) => Some(o),
                _ => None,
            },
            Some(NodeKind::ExternalLink { .. }) | None => None,
            Some(_) => Some(id),
        }
    }

    /// Follow `path` from group `base` (or the root, if absolute) through
    /// groups, hard links and soft links to what it names.
    pub fn find_path(&self, base: NodeId, path: &str) -> Found {
        self.walk(base, path, &mut 0)
    }

    fn walk(&self, base: NodeId, path: &str, hops: &mut usize) -> Found {
        let (mut at, rest) = match path.strip_prefix('/') {
            Some(rest) => (0, rest),
            None => (base, path),
        };
        let parts: Vec<&str> = rest
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let Some(child) = self.child(at, part) else {
                return Found::Missing;
            };
            let next = match self.nodes.get(child).map(|n| &n.kind) {
                Some(NodeKind::SoftLink(target)) => {
                    if *hops >= MAX_SOFT_HOPS {
                        return Found::Dangling(target.clone());
                    }
                    *hops += 1;
                    match self.walk(at, target, hops) {
                        Found::Object(id) => id,
                        Found::Missing | Found::Dangling(_) if last => {
                            return Found::Dangling(target.clone())
                        }
                        other @ Found::External { .. } if last => return other,
                        _ => return Found::Missing,
                    }
                }
                Some(NodeKind::ExternalLink { file, path }) => {
                    if last {
                        return Found::External {
                            file: file.clone(),
                            path: path.clone(),
                        };
                    }
                    return Found::Missing;
                }
                Some(_) => child,
                None => return Found::Missing,
            };
            if !last && !self.is_group(next) {
                return Found::Missing;
            }
            at = next;
        }
        Found::Object(at)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn group() -> NodeKind {
        NodeKind::Group(BTreeMap::new())
    }

    #[test]
    fn soft_hard_and_external_links_are_followed_or_reported() {
        let mut t = Tree::new();
        let a = t.add(0, "a", group()).unwrap();
        let b = t.add(a, "b", group()).unwrap();
        t.add(0, "s", NodeKind::SoftLink("/a/b".into())).unwrap();
        t.add(a, "rel", NodeKind::SoftLink("b".into())).unwrap();
        t.add(0, "gone", NodeKind::SoftLink("/nope".into()))
            .unwrap();
        t.add(0, "loop", NodeKind::SoftLink("/loop".into()))
            .unwrap();
        let ext = NodeKind::ExternalLink {
            file: "o.h5".into(),
            path: "/x".into(),
        };
        t.add(0, "e", ext).unwrap();
        t.link(b, "up", a).unwrap();
        assert_eq!(t.find_path(0, "s"), Found::Object(b));
        assert_eq!(t.find_path(0, "/a/rel"), Found::Object(b));
        assert_eq!(t.find_path(0, "s/up/b/up"), Found::Object(a));
        assert_eq!(t.find_path(0, "gone"), Found::Dangling("/nope".into()));
        assert_eq!(t.find_path(0, "loop"), Found::Dangling("/loop".into()));
        assert_eq!(t.find_path(0, "gone/x"), Found::Missing);
        assert!(matches!(t.find_path(0, "e"), Found::External { .. }));
        assert!(matches!(
            t.link(0, "a", b),
            Err(Error::DuplicateName { .. })
        ));
        assert!(t.is_link(3) && !t.is_link(a));
    }
}
