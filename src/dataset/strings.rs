//! Writing variable-length strings: whole datasets (contiguous, compact or
//! chunked) and appends to resizable string datasets. Spec notes:
//! `spec-notes/global-heap.md`, `spec-notes/chunked-layout.md`.

use super::Dataset;
#[cfg(doc)]
use crate::error::Error;
use crate::error::Result;
use crate::types::VarLenUnicode;

impl Dataset {
    /// Write every element of a variable-length string dataset, row-major.
    ///
    /// The strings go into global heap collections in fresh file space.
    /// Contiguous storage gets a new data block referring to them (a later
    /// call replaces the strings); chunked storage gets its chunks written,
    /// once, as for numbers. The dataset switches to them at the next commit
    /// (`flush` or `close`).
    ///
    /// # Errors
    ///
    /// [`Error::StringCount`] unless there is one string per element;
    /// [`Error::NulInString`] for a string with a NUL byte;
    /// [`Error::TypeMismatch`] for a dataset of another type.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let names = file.new_dataset::<h5sink::VarLenUnicode>().shape(&[3]).create("names")?;
    /// names.write_strings(&["cat", "dog", "Straße"])?; // h5py reads them as str
    /// assert!(matches!(names.write_strings(&["one"]), Err(h5sink::Error::StringCount { .. })));
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_strings<S: AsRef<str>>(&self, strings: &[S]) -> Result<()> {
        self.check_open()?;
        self.check_type::<VarLenUnicode>()?;
        self.engine().write_strings(self.id(), strings)
    }

    /// Append rows of strings to a resizable variable-length string dataset
    /// (one string per element, row-major; whole rows), growing its first
    /// dimension; returns the index of the first new row. The strings go to
    /// the global heap at once, their references into the chunks.
    ///
    /// # Errors
    ///
    /// [`Error::PartialRow`] unless the strings make whole rows;
    /// [`Error::BadShape`] if the dataset cannot grow (not chunked with a
    /// maximum shape, or at its maximum); [`Error::NulInString`] for a
    /// string with a NUL byte; [`Error::TypeMismatch`] for a dataset of
    /// another type.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let paths = file
    ///     .new_dataset::<h5sink::VarLenUnicode>()
    ///     .shape(&[0])
    ///     .resizable()
    ///     .chunk(&[1024])
    ///     .create("paths")?;
    /// assert_eq!(paths.append_strings(&["img/0001.png", "img/0002.png"])?, 0);
    /// assert_eq!(paths.append_strings(&["img/0003.png"])?, 2);
    /// file.flush()?; // h5py: f["paths"][:] -> 3 strings
    /// assert_eq!(paths.rows(), 3);
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn append_strings<S: AsRef<str>>(&self, strings: &[S]) -> Result<u64> {
        self.check_open()?;
        self.check_type::<VarLenUnicode>()?;
        self.engine().append_strings(self.id(), strings)
    }
}
