//! Reading an attribute's value back.

use super::Attribute;
use crate::error::{Error, Result};
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
}
