//! `AttributeBuilder`: an attribute described by its type and shape, then
//! created and written.

use std::marker::PhantomData;
use std::sync::Arc;

use super::Attribute;
use crate::engine::{AttrValue, Engine, NodeId};
use crate::error::{Error, Result};
use crate::types::{parse_dims, Dim, H5Type};

/// Describes an attribute of type `T` before it is created:
/// `ds.new_attr::<f64>().shape(&[3]).create("scale")?.write(&[1.0, 2.0, 3.0])`.
///
/// Made by `new_attr` on a [`Group`](crate::Group) (or a [`File`](crate::File))
/// or a [`Dataset`](crate::Dataset).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// h5sink::h5enum! {
///     #[derive(Clone, Copy)]
///     enum Split: u8 { Train = 0, Val = 1, Test = 2 }
/// }
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<f32>().shape(&[10, 3]).create("x")?;
/// ds.new_attr::<f64>().shape(&[3]).create("scale")?.write(&[1.0, 2.0, 3.0])?;
/// ds.new_attr::<bool>().create("normalized")?.write_scalar(&true)?;
/// ds.new_attr::<Split>().create("split")?.write_scalar(&Split::Val)?;
/// ds.new_attr::<h5sink::FixedAscii<8>>().create("tag")?
///     .write_scalar(&h5sink::FixedAscii::<8>::new("v1")?)?;
/// ds.new_attr::<h5sink::VarLenUnicode>().shape(&[2]).create("axes")?
///     .write_strings(&["sample", "xyz"])?;
/// file.close()?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until create() is called"]
pub struct AttributeBuilder<T> {
    engine: Arc<Engine>,
    id: NodeId,
    object: String,
    shape: std::result::Result<Vec<u64>, String>,
    _t: PhantomData<fn() -> T>,
}

impl<T: H5Type> AttributeBuilder<T> {
    pub(crate) fn new(engine: Arc<Engine>, id: NodeId, object: String) -> Self {
        AttributeBuilder {
            engine,
            id,
            object,
            shape: Ok(Vec::new()),
            _t: PhantomData,
        }
    }

    /// The attribute's dimensions; `&[]` (the default) is a scalar.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr::<i32>().shape(&[2, 2]).create("eye")?;
    /// a.write(&[1, 0, 0, 1])?;
    /// assert_eq!(a.shape(), [2, 2]);
    /// # Ok(()) }
    /// ```
    pub fn shape<D: Dim>(mut self, dims: &[D]) -> Self {
        self.shape = parse_dims(dims);
        self
    }

    /// Create the attribute `name`, reading as zeros (or empty strings)
    /// until written. Staged until the next commit.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr::<u64>().create("seed")?; // reads as 0 until written
    /// a.write_scalar(&42u64)?;
    /// assert!(file.new_attr::<u64>().create("seed").is_err()); // name taken
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn create(self, name: &str) -> Result<Attribute> {
        let shape = self.shape.map_err(|reason| Error::BadShape {
            dataset: format!("{}@{}", self.object, crate::error::clip(name)),
            reason,
        })?;
        Attribute::create(
            self.engine,
            self.id,
            self.object,
            name,
            T::DATATYPE,
            shape,
            AttrValue::Zeros,
        )
    }
}
