//! Attributes on groups and datasets, stored in their object headers:
//! [`Attribute`] here, its builders in `builder.rs` ([`AttributeBuilder`],
//! by type and shape) and `attr_builder.rs` ([`AttrBuilder`], by value).

use std::sync::Arc;

use crate::engine::{AttrValue, Engine, NodeId};
use crate::error::{Error, Result};
use crate::format::datatype::{Datatype, ElementType};
use crate::types::convert::{self, Source};
use crate::types::{datatype_name, Element, H5Type, VarLenUnicode};

mod attr_builder;
mod builder;
mod read;

pub use attr_builder::AttrBuilder;
pub use builder::AttributeBuilder;

/// The largest header message a version 1 object header holds: the u16
/// size field, rounded down to the 8-byte alignment of messages.
///
/// Larger values give [`Error::AttributeTooLarge`]; store them as a dataset.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let too_big = file.new_attr::<f64>().shape(&[h5sink::MAX_ATTRIBUTE_MESSAGE / 8]).create("big");
/// assert!(matches!(too_big, Err(h5sink::Error::AttributeTooLarge { .. })));
/// file.new_attr::<f64>().shape(&[1000]).create("fits")?;
/// # Ok(()) }
/// ```
pub const MAX_ATTRIBUTE_MESSAGE: u64 = crate::format::attribute::MAX_MESSAGE_SIZE;

/// An attribute of a group or dataset. Writes are staged until the next commit.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let units = file.new_attr::<h5sink::VarLenUnicode>().create("units")?;
/// units.write_str("kelvin")?;
/// units.write_str("celsius")?; // rewrite: the last value before the commit wins
/// assert_eq!(units.name(), "units");
/// file.close()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Attribute {
    engine: Arc<Engine>,
    id: NodeId,
    object: String,
    name: String,
    dtype: ElementType,
    shape: Vec<u64>,
}

impl std::fmt::Debug for Attribute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attribute")
            .field("object", &self.object)
            .field("name", &self.name)
            .field("shape", &self.shape)
            .finish()
    }
}

impl Attribute {
    /// Create attribute `name` on node `id` of `engine` (path `object`)
    /// holding `value`, in one engine transaction.
    pub(crate) fn create(
        engine: Arc<Engine>,
        id: NodeId,
        object: String,
        name: &str,
        dtype: Datatype,
        shape: Vec<u64>,
        value: AttrValue,
    ) -> Result<Attribute> {
        engine.create_attr(id, &object, name, dtype, shape.clone(), value)?;
        Ok(Attribute {
            engine,
            id,
            object,
            name: name.into(),
            dtype: ElementType::Known(dtype),
            shape,
        })
    }

    /// A handle to the existing attribute `name` of node `id` (path
    /// `object`): [`Error::NotFound`] naming both if there is none.
    pub(crate) fn open(
        engine: Arc<Engine>,
        id: NodeId,
        object: String,
        name: &str,
    ) -> Result<Attribute> {
        let (dtype, shape) = engine.attr_meta(id, name)?;
        Ok(Attribute {
            engine,
            id,
            object,
            name: name.into(),
            dtype,
            shape,
        })
    }

    /// The attribute's name.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert_eq!(file.new_attr::<u8>().create("x")?.name(), "x");
    /// # Ok(()) }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dimensions (empty for a scalar).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert_eq!(file.new_attr::<u8>().shape(&[3]).create("x")?.shape(), [3]);
    /// assert!(file.new_attr::<u8>().create("s")?.shape().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn shape(&self) -> &[u64] {
        &self.shape
    }

    fn label(&self) -> String {
        format!("{}@{}", self.object, self.name)
    }

    fn check<T: H5Type>(&self, count: usize) -> Result<()> {
        self.engine.io().check()?;
        if !self.dtype.accepts(&T::DATATYPE) {
            return Err(Error::TypeMismatch {
                dataset: self.label(),
                expected: self.dtype.describe(),
                got: datatype_name(&T::DATATYPE),
            });
        }
        self.check_count(count)
    }

    fn check_count(&self, count: usize) -> Result<()> {
        let want: u64 = self.shape.iter().product();
        if count as u64 != want {
            return Err(Error::BadShape {
                dataset: self.label(),
                reason: format!("the attribute holds {want} elements, {count} were given"),
            });
        }
        Ok(())
    }

    /// Write every element, row-major. Numbers of another number type are
    /// converted as datasets convert them (see [`ConvertInto`](crate::ConvertInto)).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr::<f32>().shape(&[2, 3]).create("m")?;
    /// a.write(&[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// assert!(a.write(&[1.0f32]).is_err());     // wrong number of values
    /// a.write(&[1i32, 2, 3, 4, 5, 6])?;         // converted to f32
    /// assert!(a.write(&[true; 6]).is_err());    // wrong type
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write<T: Element>(&self, values: &[T]) -> Result<()> {
        self.engine.io().check()?;
        // The label is made only when a conversion needs it (for errors).
        let data = if self.dtype.accepts(&T::DATATYPE) {
            T::encode(values).into_owned()
        } else {
            match convert::prepare_into(values, &self.dtype, &self.label())? {
                Source::Bytes(b) => b.into_owned(),
                Source::Convert(c) => c.to_vec(), // attributes are small
            }
        };
        self.check_count(values.len())?;
        self.engine.write_attr(self.id, &self.name, data)
    }

    /// Write the value of a scalar attribute.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr::<i64>().create("epoch")?.write_scalar(&12i64)?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_scalar<T: Element>(&self, value: &T) -> Result<()> {
        self.write(std::slice::from_ref(value))
    }

    /// Write every element of a variable-length string attribute.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr::<h5sink::VarLenUnicode>().shape(&[3]).create("classes")?;
    /// a.write_strings(&["cat", "dog", "日本"])?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_strings<S: AsRef<str>>(&self, strings: &[S]) -> Result<()> {
        self.check::<VarLenUnicode>(strings.len())?;
        self.engine
            .write_attr_strings(self.id, &self.object, &self.name, strings)
    }

    /// Write a scalar variable-length string attribute, as h5py stores
    /// `attrs["units"] = "kelvin"`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr::<h5sink::VarLenUnicode>().create("units")?.write_str("kelvin")?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_str(&self, s: &str) -> Result<()> {
        self.write_strings(&[s])
    }
}
