//! `Group`: creating and opening groups and datasets by name or `/`-path.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::attr::AttributeBuilder;
use crate::attr_builder::AttrBuilder;
use crate::builder::DatasetBuilder;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::model::{validate_name, NodeId, NodeKind, Tree};
use crate::shared::{Shared, State};
use crate::types::H5Type;

/// A group: a container of named groups and datasets. Cheap to clone.
///
/// [`File`](crate::File) dereferences to the root group, so every method here
/// works on a file too.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let train = file.create_group("data/train")?; // creates /data too
/// train.new_dataset::<f32>().shape(&[10, 4]).create("x")?;
/// train.new_attr_builder().with_scalar(&10u32).create("count")?;
/// assert_eq!(train.name(), "/data/train");
/// assert_eq!(file.group("data")?.member_names()?, ["train"]);
/// file.close()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Group {
    pub(crate) shared: Arc<Shared>,
    pub(crate) id: NodeId,
    path: String,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group").field("path", &self.path).finish()
    }
}

/// A path split into the groups to walk and the last name.
pub(crate) struct Resolved {
    /// The group holding the last component (existing, or to be created).
    pub parent: NodeId,
    /// Components still to create as groups under `parent`, before `name`.
    pub missing: Vec<String>,
    /// The last component.
    pub name: String,
}

impl Group {
    pub(crate) fn root(shared: Arc<Shared>) -> Group {
        Group {
            shared,
            id: 0,
            path: "/".into(),
        }
    }

    /// The group's path from the root, e.g. `/meta`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert_eq!(file.name(), "/");
    /// assert_eq!(file.create_group("a/b")?.name(), "/a/b");
    /// # Ok(()) }
    /// ```
    pub fn name(&self) -> &str {
        &self.path
    }

    /// Split `path` (relative to this group, or absolute with a leading `/`)
    /// and check it without changing anything: every component valid, every
    /// existing prefix a group, the last component free.
    pub(crate) fn resolve(&self, tree: &Tree, path: &str) -> Result<Resolved> {
        let bad = |reason: String| Error::InvalidPath {
            path: path.into(),
            reason,
        };
        let (mut at, rest) = match path.strip_prefix('/') {
            Some(rest) => (0, rest),
            None => (self.id, path),
        };
        let mut parts: Vec<&str> = rest.split('/').collect();
        let name = parts.pop().unwrap_or_default();
        if path.contains('/') {
            for p in parts.iter().chain(std::iter::once(&name)) {
                validate_name(p).map_err(|e| bad(format!("component {p:?}: {e}")))?;
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
            match tree.child(at, part) {
                Some(id) if tree.is_group(id) => at = id,
                Some(_) => {
                    return Err(bad(format!(
                        "{:?} is a dataset, not a group",
                        parts[..=i].join("/")
                    )))
                }
                None => missing.push(part.to_string()),
            }
        }
        if missing.is_empty() && tree.child(at, name).is_some() {
            return Err(Error::DuplicateName {
                group: tree.path(at),
                name: name.into(),
            });
        }
        Ok(Resolved {
            parent: at,
            missing,
            name: name.into(),
        })
    }

    /// Create the missing groups of `r` and add `kind` as its last component.
    pub(crate) fn insert(st: &mut State, r: Resolved, kind: NodeKind) -> Result<NodeId> {
        let mut at = r.parent;
        for g in &r.missing {
            at = st.tree.add(at, g, NodeKind::Group(BTreeMap::new()))?;
        }
        let id = st.tree.add(at, &r.name, kind)?;
        st.dirty = true;
        Ok(id)
    }

    /// Create the group `path` (staged until the next commit). Missing
    /// groups along a `/`-path are created too, as h5py does.
    ///
    /// Invalid names ([`Error::InvalidName`](crate::Error::InvalidName)), paths
    /// through a dataset or with empty, `.` or `..` components
    /// ([`Error::InvalidPath`](crate::Error::InvalidPath)) and names already taken
    /// ([`Error::DuplicateName`](crate::Error::DuplicateName)) are refused.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let meta = file.create_group("meta")?;
    /// let deep = meta.create_group("a/b/c")?;          // relative to /meta
    /// assert_eq!(deep.name(), "/meta/a/b/c");
    /// file.create_group("/runs/1")?;                   // absolute
    /// assert!(matches!(file.create_group("meta"), Err(h5sink::Error::DuplicateName { .. })));
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn create_group(&self, path: &str) -> Result<Group> {
        self.shared.check()?;
        let mut st = self.shared.lock();
        let r = self.resolve(&st.tree, path)?;
        let id = Group::insert(&mut st, r, NodeKind::Group(BTreeMap::new()))?;
        Ok(Group {
            shared: self.shared.clone(),
            id,
            path: st.tree.path(id),
        })
    }

    /// Start describing a dataset of element type `T`.
    ///
    /// See [`DatasetBuilder`] for the options.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<i16>().shape(&[2, 2]).create("grid")?;
    /// ds.write_raw(&[1i16, 2, 3, 4])?;
    /// assert_eq!(ds.shape(), [2, 2]);
    /// # Ok(()) }
    /// ```
    pub fn new_dataset<T: H5Type>(&self) -> DatasetBuilder<T> {
        DatasetBuilder::new(self.clone())
    }

    fn lookup(&self, tree: &Tree, path: &str, kind: &'static str) -> Result<NodeId> {
        let (start, rest) = match path.strip_prefix('/') {
            Some(rest) => (0, rest),
            None => (self.id, path),
        };
        let mut at = Some(start);
        for part in rest.split('/').filter(|p| !p.is_empty() && *p != ".") {
            at = at.and_then(|id| tree.child(id, part));
        }
        at.ok_or_else(|| Error::NotFound {
            path: path.into(),
            group: self.path.clone(),
            kind,
        })
    }

    /// Open the existing group at `path` (relative, or absolute with `/`).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.create_group("a/b")?;
    /// assert_eq!(file.group("/a/b")?.name(), "/a/b");
    /// assert_eq!(file.group("a")?.group("b")?.name(), "/a/b");
    /// assert!(matches!(file.group("nope"), Err(h5sink::Error::NotFound { .. })));
    /// # Ok(()) }
    /// ```
    pub fn group(&self, path: &str) -> Result<Group> {
        self.shared.check()?;
        let st = self.shared.lock();
        match self.lookup(&st.tree, path, "group")? {
            id if st.tree.is_group(id) => Ok(Group {
                shared: self.shared.clone(),
                id,
                path: st.tree.path(id),
            }),
            _ => Err(Error::NotFound {
                path: path.into(),
                group: self.path.clone(),
                kind: "group",
            }),
        }
    }

    /// Open the existing dataset at `path`, e.g. to write more rows to it.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_dataset::<f32>().shape(&[4]).create("runs/x")?;
    /// let x = file.dataset("runs/x")?; // another handle to the same dataset
    /// x.write_raw(&[1.0f32, 2.0, 3.0, 4.0])?;
    /// assert!(file.dataset("runs").is_err()); // a group, not a dataset
    /// # Ok(()) }
    /// ```
    pub fn dataset(&self, path: &str) -> Result<Dataset> {
        self.shared.check()?;
        let st = self.shared.lock();
        let id = self.lookup(&st.tree, path, "dataset")?;
        Dataset::open(&self.shared, &st.tree, id).ok_or_else(|| Error::NotFound {
            path: path.into(),
            group: self.path.clone(),
            kind: "dataset",
        })
    }

    /// Names of the group's members, sorted by their bytes (as stored).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.create_group("b")?;
    /// file.new_dataset::<u8>().create("a")?;
    /// file.create_group("Z")?;
    /// assert_eq!(file.member_names()?, ["Z", "a", "b"]); // byte order: uppercase first
    /// # Ok(()) }
    /// ```
    pub fn member_names(&self) -> Result<Vec<String>> {
        let st = self.shared.lock();
        Ok(st.tree.member_names(self.id))
    }

    /// Start describing an attribute of type `T` on this group.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr::<f64>().shape(&[2]).create("range")?.write(&[0.0, 1.0])?; // on the root group
    /// file.create_group("meta")?.new_attr::<u32>().create("version")?.write_scalar(&3u32)?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn new_attr<T: H5Type>(&self) -> AttributeBuilder<T> {
        AttributeBuilder::new(self.shared.clone(), self.id, self.path.clone())
    }

    /// Describe an attribute by its value, in one call:
    /// `group.new_attr_builder().with_data(&[1i32, 2, 3]).create("ids")`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let g = file.create_group("meta")?;
    /// g.new_attr_builder().with_data(&[1i32, 2, 3]).create("ids")?;
    /// g.new_attr_builder().with_str("ImageNet").create("source")?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn new_attr_builder(&self) -> AttrBuilder {
        AttrBuilder::new(self.shared.clone(), self.id, self.path.clone())
    }
}
