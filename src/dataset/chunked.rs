//! Resizing and appending to chunked datasets.

use super::Dataset;
use crate::error::{Error, Result};
use crate::types::{parse_dims, Dim, Element};

impl Dataset {
    /// Grow a chunked dataset to `new_shape` (within its maximum shape; no
    /// dimension may shrink). Staged until the next commit; rows past the old
    /// extent read as the fill value until written.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[0, 4]).max_shape(&[None, Some(4)]).create("x")?;
    /// ds.resize(&[10, 4])?;
    /// ds.write_rows(0, &[1.0f32; 40])?;
    /// assert_eq!(ds.shape(), [10, 4]);
    /// assert!(ds.resize(&[5, 4]).is_err());  // no shrinking
    /// assert!(ds.resize(&[10, 8]).is_err()); // beyond the maximum shape
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn resize<D: Dim>(&self, new_shape: &[D]) -> Result<()> {
        self.check_open()?;
        let new = parse_dims(new_shape).map_err(|reason| Error::BadShape {
            dataset: self.name().into(),
            reason,
        })?;
        self.engine().resize(self.id(), new)
    }

    /// Append rows along the first dimension, growing the dataset; returns
    /// the index of the first new row.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let log = file.new_dataset::<f64>().shape(&[0, 2]).resizable().deflate(4).create("log")?;
    /// assert_eq!(log.append_rows(&[0.0, 1.0, 0.5, 2.0])?, 0); // rows 0 and 1
    /// assert_eq!(log.append_rows(&[1.0, 3.0])?, 2);           // row 2
    /// file.flush()?; // the file now holds 3 rows
    /// assert_eq!(log.rows(), 3);
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn append_rows<T: Element>(&self, rows: &[T]) -> Result<u64> {
        self.check_open()?;
        let src = self.source(rows)?;
        self.engine().append_rows(self.id(), rows.len(), &src)
    }
}
