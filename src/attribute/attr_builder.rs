//! `AttrBuilder`: an attribute described by its value, in one call.

use std::sync::Arc;

use super::Attribute;
use crate::engine::{AttrValue, Engine, NodeId};
use crate::error::{Error, Result};
use crate::format::datatype::Datatype;
use crate::types::Element;

enum Value {
    None,
    Bytes(Datatype, Vec<u64>, Vec<u8>),
    Strings(Vec<u64>, Vec<String>),
}

/// Describes an attribute by its value, hdf5-metno style:
/// `obj.new_attr_builder().with_data(&[1i32, 2, 3]).create("ids")`.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<f32>().shape(&[4]).create("x")?;
/// ds.new_attr_builder().with_data(&[0.1f64, 0.9]).create("range")?;
/// ds.new_attr_builder().with_scalar(&3u8).create("version")?;
/// ds.new_attr_builder().with_str("meters").create("units")?;
/// ds.new_attr_builder().with_strings(&["a", "b"]).create("labels")?;
/// file.close()?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until create() is called"]
pub struct AttrBuilder {
    engine: Arc<Engine>,
    id: NodeId,
    object: String,
    value: Value,
}

impl AttrBuilder {
    pub(crate) fn new(engine: Arc<Engine>, id: NodeId, object: String) -> Self {
        AttrBuilder {
            engine,
            id,
            object,
            value: Value::None,
        }
    }

    /// A 1-D attribute holding `values`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_data(&[1i32, 2, 3]).create("ids")?;
    /// file.new_attr_builder().with_data(&[true, false]).create("mask")?;
    /// # Ok(()) }
    /// ```
    pub fn with_data<T: Element>(mut self, values: &[T]) -> Self {
        self.value = Value::Bytes(
            T::DATATYPE,
            vec![values.len() as u64],
            T::encode(values).into_owned(),
        );
        self
    }

    /// A scalar attribute.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_scalar(&0.001f64).create("lr")?;
    /// # Ok(()) }
    /// ```
    pub fn with_scalar<T: Element>(mut self, value: &T) -> Self {
        self.value = Value::Bytes(
            T::DATATYPE,
            Vec::new(),
            T::encode(std::slice::from_ref(value)).into_owned(),
        );
        self
    }

    /// A scalar variable-length UTF-8 string, as h5py writes a Python `str`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_str("vgg16").create("model")?;
    /// # Ok(()) }
    /// ```
    pub fn with_str(mut self, s: &str) -> Self {
        self.value = Value::Strings(Vec::new(), vec![s.to_owned()]);
        self
    }

    /// A 1-D variable-length UTF-8 string attribute, as h5py writes a list of `str`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let names = vec![String::from("x"), String::from("y")];
    /// file.new_attr_builder().with_strings(&names).create("columns")?;
    /// # Ok(()) }
    /// ```
    pub fn with_strings<S: AsRef<str>>(mut self, strings: &[S]) -> Self {
        self.value = Value::Strings(
            vec![strings.len() as u64],
            strings.iter().map(|s| s.as_ref().to_owned()).collect(),
        );
        self
    }

    /// Create the attribute `name` with the value given.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr_builder().with_data(&[1u16, 2]).create("pair")?;
    /// assert_eq!(a.shape(), [2]);
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn create(self, name: &str) -> Result<Attribute> {
        match self.value {
            Value::None => Err(Error::InvalidArgument {
                what: "attribute value",
                value: format!("{name:?}"),
                reason: "give the value with with_data, with_scalar, with_str or with_strings before create",
            }),
            Value::Bytes(dtype, shape, data) => Attribute::create(
                self.engine,
                self.id,
                self.object,
                name,
                dtype,
                shape,
                AttrValue::Bytes(data),
            ),
            Value::Strings(shape, strings) => Attribute::create(
                self.engine,
                self.id,
                self.object,
                name,
                Datatype::VlenUtf8,
                shape,
                AttrValue::Strings(strings),
            ),
        }
    }
}
