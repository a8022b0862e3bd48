//! Reading an attribute's value back.

use super::Attribute;
use crate::error::{Error, Result};
use crate::format::datatype::Datatype;
use crate::format::datatype::ReadAs;
use crate::types::decode::decode_stored;
use crate::types::{datatype_name, Element, H5Type, VarLenUnicode};

impl Attribute {
    /// How the attribute's elements read as `T` (see `Dataset::check_type`).
    fn check_read<T: H5Type>(&self) -> Result<ReadAs> {
        self.engine.io().check()?;
        self.dtype
            .read_as(&T::DATATYPE)
            .ok_or_else(|| Error::TypeMismatch {
                dataset: self.label(),
                expected: self.dtype.describe(),
                got: datatype_name(&T::DATATYPE),
            })
    }

    /// The element type (hdf5-metno's `dtype`), fixed at creation; `None`
    /// for a type read from a file that h5sink describes but has no
    /// [`Datatype`] for (a compound, enum, array or big-endian number:
    /// see [`dtype_description`](Self::dtype_description)).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::format::datatype::Datatype;
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_data(&[1i64, 2]).create("ids")?;
    /// assert_eq!(file.attr("ids")?.dtype(), Some(Datatype::Int { size: 8, signed: true }));
    /// # Ok(()) }
    /// ```
    pub fn dtype(&self) -> Option<Datatype> {
        self.dtype.known().copied()
    }

    /// A short name of the element type: `"f32"`, `"i64"`, `"bool"`,
    /// `"variable-length UTF-8 string"`,
    /// `"fixed-length ASCII string of 10 bytes"` (see
    /// [`Datatype::describe`]).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_attr_builder().with_str("kelvin").create("units")?;
    /// file.new_attr::<f32>().shape(&[2]).create("range")?;
    /// assert_eq!(file.attr("units")?.dtype_description(), "variable-length UTF-8 string");
    /// assert_eq!(file.attr("range")?.dtype_description(), "f32");
    /// # Ok(()) }
    /// ```
    pub fn dtype_description(&self) -> String {
        self.dtype.describe()
    }

    /// Every element, row-major, as last written (zeros before any
    /// write). `T` must be the attribute's type; reads do not convert.
    ///
    /// # Errors
    ///
    /// [`Error::TypeMismatch`] for another `T` (use
    /// [`read_strings`](Self::read_strings) for strings);
    /// [`Error::Malformed`] for stored bytes that are no `T`.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr::<i32>().shape(&[3]).create("ids")?;
    /// assert_eq!(a.read_raw::<i32>()?, [0, 0, 0]);
    /// a.write(&[7, 8, 9])?;
    /// assert_eq!(a.read_raw::<i32>()?, [7, 8, 9]);
    /// assert!(matches!(a.read_raw::<u32>(), Err(h5sink::Error::TypeMismatch { .. })));
    /// # Ok(()) }
    /// ```
    pub fn read_raw<T: Element>(&self) -> Result<Vec<T>> {
        let how = self.check_read::<T>()?;
        let bytes = self.engine.read_attr(self.id, &self.name)?;
        decode_stored(bytes, how, &self.label())
    }

    /// Every string of a variable-length string attribute (`""` for
    /// elements never written).
    ///
    /// # Errors
    ///
    /// [`Error::TypeMismatch`] for an attribute of another type;
    /// [`Error::Malformed`] for an invalid reference or a string that is not
    /// UTF-8; [`Error::Io`].
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr::<h5sink::VarLenUnicode>().shape(&[2]).create("classes")?;
    /// a.write_strings(&["cat", "日本"])?;
    /// assert_eq!(a.read_strings()?, ["cat", "日本"]);
    /// # Ok(()) }
    /// ```
    pub fn read_strings(&self) -> Result<Vec<String>> {
        self.check_read::<VarLenUnicode>()?;
        self.engine.read_attr_strings(self.id, &self.name)
    }

    /// The value's bytes as the file stores them (numbers in the file's
    /// byte order, compounds at their file offsets, `bool` as one byte).
    ///
    /// # Errors
    ///
    /// [`Error::TypeMismatch`] for a variable-length string attribute (its
    /// elements are heap references: use [`read_strings`](Self::read_strings)).
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = file.new_attr_builder().with_scalar(&-2i16).create("t")?;
    /// assert_eq!(a.read_bytes()?, (-2i16).to_le_bytes());
    /// # Ok(()) }
    /// ```
    pub fn read_bytes(&self) -> Result<Vec<u8>> {
        if self.check_read::<VarLenUnicode>().is_ok() {
            return Err(Error::TypeMismatch {
                dataset: self.label(),
                expected: "variable-length UTF-8 string (read with read_strings)".into(),
                got: "raw bytes".into(),
            });
        }
        self.engine.read_attr(self.id, &self.name)
    }
}
