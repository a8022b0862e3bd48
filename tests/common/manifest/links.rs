//! The manifest's `links`: soft, hard and external links, checked by
//! `tests/oracle/links_check.py` (each reader's view, the link values in
//! h5py, and the h5py twin, which makes the same links after the objects).

use super::super::json_str;
use super::Manifest;

/// One link of a manifest.
#[derive(Clone, Debug)]
pub(super) struct Link {
    path: String,
    kind: &'static str,
    target: String,
    file: Option<String>,
}

impl Manifest {
    /// Adds a soft link at `path` (relative to the root, no leading '/')
    /// whose value is `target`; the target need not exist.
    pub fn soft_link(&mut self, path: &str, target: &str) -> &mut Self {
        self.push_link(path, "soft", target, None)
    }

    /// Adds a hard link at `path` to the object at `target` (listed before).
    pub fn hard_link(&mut self, path: &str, target: &str) -> &mut Self {
        self.push_link(path, "hard", target, None)
    }

    /// Adds an external link at `path` to `target` in the file `file`.
    pub fn external_link(&mut self, path: &str, file: &str, target: &str) -> &mut Self {
        self.push_link(path, "external", target, Some(file))
    }

    fn push_link(
        &mut self,
        path: &str,
        kind: &'static str,
        target: &str,
        file: Option<&str>,
    ) -> &mut Self {
        assert!(
            !path.starts_with('/'),
            "link path {path:?}: relative to the root, no leading '/'"
        );
        self.links.push(Link {
            path: path.to_string(),
            kind,
            target: target.to_string(),
            file: file.map(str::to_string),
        });
        self
    }

    /// The `"links"` member of the JSON text (with its leading comma), or
    /// nothing without links.
    pub(super) fn links_json(&self, j: &mut String) {
        if self.links.is_empty() {
            return;
        }
        j.push_str(",\n  \"links\": [");
        for (k, l) in self.links.iter().enumerate() {
            j.push_str(if k == 0 { "\n    " } else { ",\n    " });
            j.push_str("{\"path\": ");
            json_str(&l.path, j);
            j.push_str(", \"kind\": ");
            json_str(l.kind, j);
            j.push_str(", \"target\": ");
            json_str(&l.target, j);
            if let Some(f) = &l.file {
                j.push_str(", \"file\": ");
                json_str(f, j);
            }
            j.push('}');
        }
        j.push_str("\n  ]");
    }
}
