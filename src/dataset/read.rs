//! Reading a dataset back: whole, by rows, one scalar, or its strings; from
//! every layout, before and after the data is committed.

use super::Dataset;
use crate::error::{Error, Result};
use crate::types::decode::decode_stored;
use crate::types::{Element, VarLenUnicode};

impl Dataset {
    /// Every element, row-major, as written (elements never written read
    /// as the fill value, or zero). Works on every layout and before
    /// `flush`: rows still in memory (open chunks, small datasets not yet
    /// written out) are read from there.
    ///
    /// `T` must be the dataset's element type: reads do not convert
    /// numbers (read as the stored type, then convert in Rust).
    ///
    /// # Errors
    ///
    /// [`Error::TypeMismatch`] for another `T`; [`Error::BadShape`] when
    /// the data cannot be held in memory (use [`read_rows`](Self::read_rows));
    /// [`Error::Io`] when the storage cannot be read (the file stays
    /// writable); [`Error::Malformed`] for stored bytes that are no `T`.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f64>().shape(&[2, 3]).create("m")?;
    /// ds.write_rows(1, &[4.0, 5.0, 6.0])?;
    /// assert_eq!(ds.read_raw::<f64>()?, [0.0, 0.0, 0.0, 4.0, 5.0, 6.0]); // row 0 never written
    /// assert!(matches!(ds.read_raw::<f32>(), Err(h5sink::Error::TypeMismatch { .. })));
    /// file.flush()?;
    /// assert_eq!(ds.read_raw::<f64>()?[3..], [4.0, 5.0, 6.0]);
    /// # Ok(()) }
    /// ```
    pub fn read_raw<T: Element>(&self) -> Result<Vec<T>> {
        self.check_open()?;
        let how = self.check_type::<T>()?;
        let bytes = self.engine().read_all(self.id())?;
        decode_stored(bytes, how, self.name())
    }

    /// Rows `start..start + count`, row-major (`count * row_len()` values).
    /// Only those rows are held in memory, and chunks are read and
    /// decompressed one at a time. `T` must be the element type, as for
    /// [`read_raw`](Self::read_raw).
    ///
    /// # Errors
    ///
    /// [`Error::RowsOutOfRange`] for rows past the end; the errors of
    /// [`read_raw`](Self::read_raw).
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u16>().shape(&[0, 2]).resizable().chunk(&[3, 2]).deflate(4).create("x")?;
    /// ds.append_rows(&(0..20u16).collect::<Vec<_>>())?; // 10 rows
    /// assert_eq!(ds.read_rows::<u16>(2, 2)?, [4, 5, 6, 7]); // across two chunks
    /// assert_eq!(ds.read_rows::<u16>(9, 1)?, [18, 19]);
    /// assert!(ds.read_rows::<u16>(10, 0)?.is_empty());
    /// assert!(matches!(ds.read_rows::<u16>(9, 2), Err(h5sink::Error::RowsOutOfRange { .. })));
    /// # Ok(()) }
    /// ```
    pub fn read_rows<T: Element>(&self, start: u64, count: u64) -> Result<Vec<T>> {
        self.check_open()?;
        let how = self.check_type::<T>()?;
        let bytes = self.engine().read_rows(self.id(), start, count)?;
        decode_stored(bytes, how, self.name())
    }

    /// The value of a scalar (or one-element) dataset.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`] unless the dataset holds exactly one element;
    /// the errors of [`read_raw`](Self::read_raw).
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let lr = file.new_dataset::<f32>().create("lr")?;
    /// lr.write_scalar(&0.5f32)?;
    /// assert_eq!(lr.read_scalar::<f32>()?, 0.5);
    /// let v = file.new_dataset::<u8>().shape(&[2]).create("v")?;
    /// assert!(matches!(v.read_scalar::<u8>(), Err(h5sink::Error::BadShape { .. })));
    /// # Ok(()) }
    /// ```
    pub fn read_scalar<T: Element>(&self) -> Result<T> {
        self.check_open()?;
        self.check_type::<T>()?;
        let count: u64 = self.shape().iter().product();
        if count != 1 {
            return Err(Error::BadShape {
                dataset: self.name().to_owned(),
                reason: format!("read_scalar reads one value, but the dataset holds {count} elements; use read_raw or read_rows"),
            });
        }
        let mut values = self.read_raw::<T>()?;
        values.pop().ok_or_else(|| Error::Bug {
            what: format!("one-element dataset {:?} read as no value", self.name()),
        })
    }

    /// Every string of a variable-length string dataset, row-major.
    /// Elements never written read as `""`, as libhdf5 reads them.
    ///
    /// # Errors
    ///
    /// [`Error::TypeMismatch`] for a dataset of another type;
    /// [`Error::Malformed`] for a reference or heap collection that is not
    /// valid, or a string that is not UTF-8 (naming it); [`Error::Io`].
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<h5sink::VarLenUnicode>().shape(&[3]).create("names")?;
    /// assert_eq!(ds.read_strings()?, ["", "", ""]);
    /// ds.write_strings(&["cat", "", "Straße"])?;
    /// assert_eq!(ds.read_strings()?, ["cat", "", "Straße"]);
    /// # Ok(()) }
    /// ```
    pub fn read_strings(&self) -> Result<Vec<String>> {
        self.check_open()?;
        self.check_type::<VarLenUnicode>()?;
        self.engine().read_strings(self.id())
    }

    /// Every element's bytes as the file stores them, row-major (numbers in
    /// the file's byte order, compounds at their file offsets, `bool` as one
    /// byte): for types no Rust type of yours describes, or to copy data
    /// without decoding it. Elements never written read as the fill value.
    ///
    /// # Errors
    ///
    /// [`Error::TypeMismatch`] for a variable-length string dataset (its
    /// elements are heap references: use [`read_strings`](Self::read_strings));
    /// as [`read_raw`](Self::read_raw) otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u16>().shape(&[2]).create("x")?;
    /// ds.write_raw(&[1u16, 0x0203])?;
    /// assert_eq!(ds.read_bytes()?, [1, 0, 3, 2]); // little-endian u16s
    /// let s = file.new_dataset::<h5sink::VarLenUnicode>().shape(&[1]).create("s")?;
    /// assert!(matches!(s.read_bytes(), Err(h5sink::Error::TypeMismatch { .. })));
    /// # Ok(()) }
    /// ```
    pub fn read_bytes(&self) -> Result<Vec<u8>> {
        self.check_open()?;
        if self.check_type::<VarLenUnicode>().is_ok() {
            return Err(Error::TypeMismatch {
                dataset: self.name().to_owned(),
                expected: "variable-length UTF-8 string (read with read_strings)".into(),
                got: "raw bytes".into(),
            });
        }
        self.engine().read_all(self.id())
    }
}
