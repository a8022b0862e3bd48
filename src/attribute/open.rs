//! Opening the existing attributes of groups and datasets (those of files
//! opened with [`File::open`](crate::File::open) included): their names and
//! a handle to one.

use std::sync::Arc;

use super::Attribute;
use crate::dataset::Dataset;
use crate::engine::{Engine, NodeId};
use crate::error::{clip, Error, Result};
use crate::group::Group;

/// A handle to attribute `name` of node `id` (path `object`).
fn open(engine: &Arc<Engine>, id: NodeId, object: &str, name: &str) -> Result<Attribute> {
    let (dtype, shape) = engine
        .find_attr(id, name)?
        .ok_or_else(|| Error::NotFound {
            path: clip(name),
            group: clip(object),
            kind: "attribute",
        })?;
    Ok(Attribute {
        engine: engine.clone(),
        id,
        object: object.to_owned(),
        name: name.to_owned(),
        dtype,
        shape,
    })
}

impl Group {
    /// Names of the group's attributes, in creation order (a loaded
    /// file's: the order its header lists them).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_scalar(&2i32).create("version")?;
    /// file.new_attr_builder().with_str("h5sink").create("writer")?;
    /// assert_eq!(file.attr_names()?, ["version", "writer"]);
    /// # Ok(()) }
    /// ```
    pub fn attr_names(&self) -> Result<Vec<String>> {
        self.engine().attr_names(self.id())
    }

    /// Open the group's attribute `name`, to read or rewrite it.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when the group has no attribute `name`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_data(&[1.5f64, 2.5]).create("range")?;
    /// let a = file.attr("range")?;
    /// assert_eq!((a.shape(), a.read_raw::<f64>()?), (&[2u64][..], vec![1.5, 2.5]));
    /// assert!(matches!(file.attr("nope"), Err(h5sink::Error::NotFound { .. })));
    /// # Ok(()) }
    /// ```
    pub fn attr(&self, name: &str) -> Result<Attribute> {
        open(self.engine(), self.id(), self.name(), name)
    }
}

impl Dataset {
    /// Names of the dataset's attributes, in creation order (a loaded
    /// file's: the order its header lists them).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[2]).create("x")?;
    /// ds.new_attr_builder().with_str("m").create("units")?;
    /// assert_eq!(ds.attr_names()?, ["units"]);
    /// # Ok(()) }
    /// ```
    pub fn attr_names(&self) -> Result<Vec<String>> {
        self.engine().attr_names(self.id())
    }

    /// Open the dataset's attribute `name`, to read or rewrite it.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when the dataset has no attribute `name`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[2]).create("x")?;
    /// ds.new_attr_builder().with_str("m").create("units")?;
    /// assert_eq!(ds.attr("units")?.read_strings()?, ["m"]);
    /// assert!(matches!(ds.attr("scale"), Err(h5sink::Error::NotFound { .. })));
    /// # Ok(()) }
    /// ```
    pub fn attr(&self, name: &str) -> Result<Attribute> {
        open(self.engine(), self.id(), self.name(), name)
    }
}
