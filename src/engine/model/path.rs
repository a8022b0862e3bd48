//! Names and `/`-paths: checking a member name, resolving a path to the
//! group that will hold a new member (and the groups missing on the way),
//! and finding an existing member.

use std::collections::BTreeMap;

use crate::error::{clip, Error, Result};

use super::{NodeId, NodeKind, Tree};

/// Why `name` cannot be a member name, if it cannot.
pub(crate) fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("names must not be empty")
    } else if name == "." || name == ".." {
        Some("\".\" and \"..\" are path navigation, not names")
    } else if name.contains('\0') {
        Some("names must not contain NUL")
    } else if name.contains('/') {
        Some("'/' separates path components; nested paths are not supported here, create the groups one by one")
    } else {
        None
    }
}

/// Check a member name: non-empty, not `.`, no NUL, no `/`.
pub(crate) fn validate_name(name: &str) -> Result<()> {
    match name_problem(name) {
        None => Ok(()),
        Some(reason) => Err(Error::InvalidName {
            name: clip(name),
            reason,
        }),
    }
}
/// Where a new member named by a path goes.
#[derive(Debug)]
pub(crate) struct Resolved {
    /// The deepest existing group on the path.
    pub parent: NodeId,
    /// Groups to create below `parent`, outermost first.
    pub missing: Vec<String>,
    /// The new member's own name.
    pub name: String,
}

impl Tree {
    /// Resolve `path` (relative to group `base`, or absolute) for a new
    /// member: every component valid, no dataset on the way, no member of
    /// that name yet. Changes nothing.
    pub fn resolve(&self, base: NodeId, path: &str) -> Result<Resolved> {
        let bad = |reason: String| Error::InvalidPath {
            path: clip(path),
            reason,
        };
        let (mut at, rest) = match path.strip_prefix('/') {
            Some(rest) => (0, rest),
            None => (base, path),
        };
        let mut parts: Vec<&str> = rest.split('/').collect();
        let name = parts.pop().unwrap_or_default();
        if path.contains('/') {
            for p in parts.iter().chain(std::iter::once(&name)) {
                if let Some(reason) = name_problem(p) {
                    return Err(bad(format!("component {:?}: {reason}", clip(p))));
                }
            }
        } else {
            validate_name(name)?;
        }
        let mut missing = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if !missing.is_empty() {
                missing.push(part.to_string());
                continue;
            }
            match self.child(at, part).map(|id| (id, self.through(at, id))) {
                Some((_, Some(id))) if self.is_group(id) => at = id,
                Some((id, _)) => {
                    let what = if self.is_link(id) {
                        "a link that leads to no group of this file"
                    } else {
                        "a dataset"
                    };
                    return Err(bad(format!(
                        "{:?} is {what}, not a group",
                        clip(&parts[..=i].join("/"))
                    )));
                }
                None => missing.push(part.to_string()),
            }
        }
        if missing.is_empty() && self.child(at, name).is_some() {
            return Err(Error::DuplicateName {
                group: clip(&self.path(at)),
                name: clip(name),
            });
        }
        Ok(Resolved {
            parent: at,
            missing,
            name: name.into(),
        })
    }

    /// Add the member `r` resolved, with the groups missing on its path.
    pub fn insert(&mut self, r: Resolved, kind: NodeKind) -> Result<NodeId> {
        let mut at = r.parent;
        for g in &r.missing {
            at = self.add(at, g, NodeKind::Group(BTreeMap::new()))?;
        }
        self.add(at, &r.name, kind)
    }

    /// The existing member at `path` (relative to `base`, or absolute).
    pub fn lookup(&self, base: NodeId, path: &str) -> Option<NodeId> {
        let (start, rest) = match path.strip_prefix('/') {
            Some(rest) => (0, rest),
            None => (base, path),
        };
        let mut at = Some(start);
        for part in rest.split('/').filter(|p| !p.is_empty() && *p != ".") {
            at = at.and_then(|id| self.child(id, part));
        }
        at
    }
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
    fn resolve_and_insert_paths() {
        let mut t = Tree::new();
        let r = t.resolve(0, "a/b/c").unwrap();
        assert_eq!(
            (r.parent, r.missing.clone(), r.name.as_str()),
            (0, vec!["a".to_string(), "b".to_string()], "c")
        );
        let c = t.insert(r, NodeKind::Group(BTreeMap::new())).unwrap();
        assert_eq!(t.path(c), "/a/b/c");
        assert_eq!(t.lookup(0, "/a/b/c"), Some(c));
        assert!(matches!(
            t.resolve(0, "a/b"),
            Err(Error::DuplicateName { .. })
        ));
        assert!(matches!(
            t.resolve(0, "a//x"),
            Err(Error::InvalidPath { .. })
        ));
    }
}
