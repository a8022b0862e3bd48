//! Transactions that add links: soft, hard and external, at `/`-paths whose
//! missing groups are created, as `create_group` does. Spec note:
//! `spec-notes/links.md`.

use crate::engine::model::{Found, NodeId, NodeKind};
use crate::engine::txn::Engine;
use crate::error::{clip, Error, Result};

/// Check a link value (a soft link's or an external link's path, or an
/// external link's file name): not empty, no NUL (the heap and the Link
/// message store it NUL-terminated).
fn check_value(what: &str, value: &str) -> Result<()> {
    let reason = if value.is_empty() {
        "it is empty"
    } else if value.contains('\0') {
        "it contains NUL"
    } else {
        return Ok(());
    };
    Err(Error::InvalidPath {
        path: clip(value),
        reason: format!("{what}: {reason}"),
    })
}

impl Engine {
    /// Add member `path` (below group `base`) of kind `kind`: its full path.
    fn add_link(&self, base: NodeId, path: &str, kind: NodeKind) -> Result<String> {
        self.txn(|_, st| {
            let r = st.tree.resolve(base, path)?;
            let id = st.tree.insert(r, kind)?;
            st.touch();
            Ok(st.tree.path(id))
        })
    }

    /// A soft link at `path` to `target` (absolute, or relative to the
    /// group holding the link), which need not exist.
    pub fn link_soft(&self, base: NodeId, target: &str, path: &str) -> Result<String> {
        check_value("soft link target", target)?;
        self.add_link(base, path, NodeKind::SoftLink(target.into()))
    }

    /// An external link at `path` to the object `target` of file `file`.
    pub fn link_external(
        &self,
        base: NodeId,
        file: &str,
        target: &str,
        path: &str,
    ) -> Result<String> {
        check_value("external link file", file)?;
        check_value("external link target", target)?;
        let kind = NodeKind::ExternalLink {
            file: file.into(),
            path: target.into(),
        };
        self.add_link(base, path, kind)
    }

    /// A hard link at `path` to the existing object at `target` (both
    /// below group `base`, or absolute): a second name of that object.
    pub fn link_hard(&self, base: NodeId, target: &str, path: &str) -> Result<String> {
        self.txn(|_, st| {
            let id = match st.tree.find_path(base, target) {
                Found::Object(id) => id,
                _ => {
                    return Err(Error::NotFound {
                        path: clip(target),
                        group: clip(&st.tree.path(base)),
                        kind: "object (group or dataset) to link to",
                    })
                }
            };
            let r = st.tree.resolve(base, path)?;
            let mut at = r.parent;
            for g in &r.missing {
                at = st.tree.add(at, g, NodeKind::Group(Default::default()))?;
            }
            st.tree.link(at, &r.name, id)?;
            st.touch();
            let parent = st.tree.path(at);
            Ok(join(&parent, &r.name))
        })
    }
}

/// The path `rel` names from a group at `base` (`rel` absolute or
/// relative), `.` and empty components dropped.
pub(crate) fn join(base: &str, rel: &str) -> String {
    let start = if rel.starts_with('/') { "" } else { base };
    let mut out = String::new();
    for part in start
        .split('/')
        .chain(rel.split('/'))
        .filter(|p| !p.is_empty() && *p != ".")
    {
        out.push('/');
        out.push_str(part);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::join;

    #[test]
    fn joined_paths() {
        assert_eq!(join("/", "a/b"), "/a/b");
        assert_eq!(join("/g", "./x/"), "/g/x");
        assert_eq!(join("/g", "/y"), "/y");
        assert_eq!(join("/g", "."), "/g");
        assert_eq!(join("/", ""), "/");
    }
}
