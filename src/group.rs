//! `Group`: creating and opening groups and datasets by name or `/`-path.

use std::sync::Arc;

use crate::attribute::{AttrBuilder, Attribute, AttributeBuilder};
use crate::dataset::builder::DatasetBuilder;
use crate::dataset::Dataset;
use crate::engine::{Engine, NodeId, Want};
use crate::error::Result;
use crate::types::H5Type;

mod links;

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
    engine: Arc<Engine>,
    id: NodeId,
    path: String,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group").field("path", &self.path).finish()
    }
}

impl Group {
    pub(crate) fn root(engine: Arc<Engine>) -> Group {
        Group {
            engine,
            id: 0,
            path: "/".into(),
        }
    }

    pub(crate) fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    pub(crate) fn id(&self) -> NodeId {
        self.id
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
        let (id, path) = self.engine.create_group(self.id, path)?;
        Ok(Group {
            engine: self.engine.clone(),
            id,
            path,
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
        DatasetBuilder::new(self.engine.clone(), self.id)
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
        let (id, path, _) = self.engine.find(self.id, path, Want::Group)?;
        Ok(Group {
            engine: self.engine.clone(),
            id,
            path,
        })
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
        let (id, path, dtype) = self.engine.find(self.id, path, Want::Dataset)?;
        let dtype = dtype.ok_or_else(|| crate::Error::Bug {
            what: format!("dataset {path:?} has no datatype"),
        })?;
        Ok(Dataset::with_type(self.engine.clone(), id, path, dtype))
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
        self.engine.member_names(self.id)
    }

    /// Names of the group's attributes, sorted by their bytes (as h5py's
    /// `attrs.keys()` lists them).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_str("h5sink").create("writer")?;
    /// file.new_attr_builder().with_scalar(&3u32).create("version")?;
    /// file.new_attr_builder().with_str("x").create("Note")?;
    /// assert_eq!(file.attr_names()?, ["Note", "version", "writer"]);
    /// assert!(file.create_group("g")?.attr_names()?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn attr_names(&self) -> Result<Vec<String>> {
        self.engine.attr_names(self.id)
    }

    /// The attribute `name` of this group, to read (or, on a writable
    /// file, rewrite).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`](crate::Error::NotFound) naming the attribute and
    /// the group when it has none of that name; `Error::Closed` after the
    /// file closed.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let g = file.create_group("meta")?;
    /// g.new_attr_builder().with_str("ImageNet").create("source")?;
    /// assert_eq!(g.attr("source")?.read_strings()?, ["ImageNet"]);
    /// let e = g.attr("missing").unwrap_err();
    /// assert_eq!(e.to_string(), r#"no attribute named "missing" on "/meta""#);
    /// # Ok(()) }
    /// ```
    pub fn attr(&self, name: &str) -> Result<Attribute> {
        Attribute::open(self.engine.clone(), self.id, self.path.clone(), name)
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
        AttributeBuilder::new(self.engine.clone(), self.id, self.path.clone())
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
        AttrBuilder::new(self.engine.clone(), self.id, self.path.clone())
    }
}
