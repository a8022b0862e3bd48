//! Finding the attributes an object already has (e.g. in a file opened with
//! [`File::open`](crate::File::open)), and the element types of datasets
//! and attributes, to choose the `T` of a read.

use std::sync::Arc;

use super::Attribute;
use crate::dataset::Dataset;
use crate::engine::{Engine, NodeId};
use crate::error::Result;
use crate::format::datatype::Datatype;
use crate::group::Group;

/// The attribute `name` of node `id` (path `object`), if it exists.
fn open(engine: &Arc<Engine>, id: NodeId, object: &str, name: &str) -> Result<Attribute> {
    let (dtype, shape) = engine.attr_meta(id, name)?;
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
    /// Names of the group's attributes, in their stored order.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_str("h5sink").create("writer")?;
    /// file.new_attr_builder().with_scalar(&3u8).create("version")?;
    /// assert_eq!(file.attr_names()?, ["writer", "version"]);
    /// assert!(file.create_group("g")?.attr_names()?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn attr_names(&self) -> Result<Vec<String>> {
        self.engine().attr_names(self.id())
    }

    /// The existing attribute `name` of the group.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_data(&[1i32, 2]).create("ids")?;
    /// let a = file.attr("ids")?;
    /// assert_eq!((a.shape(), a.read_raw::<i32>()?), (&[2u64][..], vec![1, 2]));
    /// assert!(matches!(file.attr("nope"), Err(h5sink::Error::NotFound { kind: "attribute", .. })));
    /// # Ok(()) }
    /// ```
    pub fn attr(&self, name: &str) -> Result<Attribute> {
        open(self.engine(), self.id(), self.name(), name)
    }
}

impl Dataset {
    /// Names of the dataset's attributes, in their stored order.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[2]).create("x")?;
    /// ds.new_attr_builder().with_str("m").create("units")?;
    /// assert_eq!(ds.attr_names()?, ["units"]);
    /// # Ok(()) }
    /// ```
    pub fn attr_names(&self) -> Result<Vec<String>> {
        self.engine().attr_names(self.id())
    }

    /// The existing attribute `name` of the dataset.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[2]).create("x")?;
    /// ds.new_attr_builder().with_str("m").create("units")?;
    /// assert_eq!(ds.attr("units")?.read_strings()?, ["m"]);
    /// assert!(ds.attr("scale").is_err());
    /// # Ok(()) }
    /// ```
    pub fn attr(&self, name: &str) -> Result<Attribute> {
        open(self.engine(), self.id(), self.name(), name)
    }
}

impl Attribute {
    /// The attribute's element type.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::format::datatype::Datatype;
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr_builder().with_str("x").create("s")?;
    /// assert_eq!(a.dtype(), Datatype::VlenUtf8);
    /// # Ok(()) }
    /// ```
    pub fn dtype(&self) -> Datatype {
        self.dtype
    }
}
