//! Attributes on groups and datasets, stored in their object headers.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::format::dataspace::MAX_RANK;
use crate::format::datatype::Datatype;
use crate::messages;
use crate::model::{Attr, NodeId};
use crate::shared::Shared;
use crate::types::{datatype_name, parse_dims, shape_bytes, Dim, Element, H5Type, VarLenUnicode};

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
pub const MAX_ATTRIBUTE_MESSAGE: u64 = 65528;

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
    shared: Arc<Shared>,
    id: NodeId,
    object: String,
    shape: std::result::Result<Vec<u64>, String>,
    _t: PhantomData<fn() -> T>,
}

impl<T: H5Type> AttributeBuilder<T> {
    pub(crate) fn new(shared: Arc<Shared>, id: NodeId, object: String) -> Self {
        AttributeBuilder {
            shared,
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
            dataset: format!("{}@{name}", self.object),
            reason,
        })?;
        create(
            &self.shared,
            self.id,
            &self.object,
            name,
            T::DATATYPE,
            shape,
        )
    }
}

pub(crate) fn create(
    shared: &Arc<Shared>,
    id: NodeId,
    object: &str,
    name: &str,
    dtype: Datatype,
    shape: Vec<u64>,
) -> Result<Attribute> {
    shared.check()?;
    let reason = if name.is_empty() {
        "attribute names must not be empty"
    } else if name.contains('\0') {
        "attribute names must not contain NUL"
    } else {
        ""
    };
    if !reason.is_empty() {
        return Err(Error::InvalidName {
            name: name.into(),
            reason,
        });
    }
    if shape.len() > MAX_RANK {
        return Err(Error::RankTooHigh {
            rank: shape.len(),
            max: MAX_RANK,
        });
    }
    let size = shape_bytes(&shape, &dtype)?;
    let attr = Attr {
        name: name.into(),
        dtype,
        shape: shape.clone(),
        data: Vec::new(),
        block: None,
    };
    // The message's size without the data, to refuse oversized values before allocating them.
    // Small values of short types fit for certain (the type and dataspace
    // take well under 1 KiB): skip encoding the message just to measure it.
    let short_type = !matches!(
        dtype,
        Datatype::Compound { .. } | Datatype::Enum { .. } | Datatype::Array { .. }
    );
    if !(short_type && size + name.len() as u64 <= 60_000) {
        check_size(object, &attr, size)?;
    }
    let data = vec![
        0;
        usize::try_from(size).map_err(|_| Error::ShapeOverflow {
            shape: shape.clone(),
            element_size: 0
        })?
    ];
    let mut st = shared.lock();
    let node = st.tree.nodes.get_mut(id).ok_or(Error::Closed)?;
    if node.attrs.iter().any(|a| a.name == name) {
        return Err(Error::DuplicateName {
            group: format!("attributes of {object}"),
            name: name.into(),
        });
    }
    node.attrs.push(Attr { data, ..attr });
    st.dirty = true;
    Ok(Attribute {
        shared: shared.clone(),
        id,
        object: object.into(),
        name: name.into(),
        dtype,
        shape,
    })
}

/// Refuse an attribute whose message, with `data_len` bytes of value, would
/// not fit an object header message.
fn check_size(object: &str, attr: &Attr, data_len: u64) -> Result<()> {
    let empty = messages::attribute_message(&Attr {
        data: Vec::new(),
        ..attr.clone()
    });
    // A message that cannot even be encoded empty (a name too long for its
    // 16-bit size field) is too large as well.
    let size = match empty {
        Ok(m) => (m.body.len() as u64).saturating_add(data_len),
        Err(_) => (attr.name.len() as u64)
            .saturating_add(data_len)
            .max(MAX_ATTRIBUTE_MESSAGE + 1),
    };
    if size > MAX_ATTRIBUTE_MESSAGE {
        return Err(Error::AttributeTooLarge {
            object: object.into(),
            name: attr.name.clone(),
            size,
            max: MAX_ATTRIBUTE_MESSAGE,
        });
    }
    Ok(())
}

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
    shared: Arc<Shared>,
    id: NodeId,
    object: String,
    name: String,
    dtype: Datatype,
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
        self.shared.check()?;
        if T::DATATYPE != self.dtype {
            return Err(Error::TypeMismatch {
                dataset: self.label(),
                expected: datatype_name(&self.dtype),
                got: datatype_name(&T::DATATYPE),
            });
        }
        let want: u64 = self.shape.iter().product();
        if count as u64 != want {
            return Err(Error::BadShape {
                dataset: self.label(),
                reason: format!("the attribute holds {want} elements, {count} were given"),
            });
        }
        Ok(())
    }

    /// Write every element, row-major.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr::<f32>().shape(&[2, 3]).create("m")?;
    /// a.write(&[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// assert!(a.write(&[1.0f32]).is_err());     // wrong number of values
    /// assert!(a.write(&[0i32; 6]).is_err());    // wrong type
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write<T: Element>(&self, values: &[T]) -> Result<()> {
        self.check::<T>(values.len())?;
        let data = T::encode(values).into_owned();
        let mut st = self.shared.lock();
        if let Some(a) = attr_mut(&mut st.tree, self.id, &self.name) {
            a.data = data;
        }
        st.dirty = true;
        Ok(())
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
        let mut st = self.shared.lock();
        let stored = crate::heap::store(&self.shared, &mut st, strings, false)?;
        let old = attr_mut(&mut st.tree, self.id, &self.name).and_then(|a| {
            a.data = stored.refs;
            a.block.replace(stored.block)
        });
        if let Some(old) = old {
            // The committed state may still refer to the old strings.
            st.space.release_after_commit(old);
        }
        st.dirty = true;
        Ok(())
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

pub(crate) fn attr_mut<'t>(
    tree: &'t mut crate::model::Tree,
    id: NodeId,
    name: &str,
) -> Option<&'t mut Attr> {
    tree.nodes
        .get_mut(id)?
        .attrs
        .iter_mut()
        .find(|a| a.name == name)
}
