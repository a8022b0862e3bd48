//! Writing, resizing and appending to chunked datasets.

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::types::{parse_dims, Dim, Element};

impl Dataset {
    /// Rows of a chunked dataset: through the chunk cache, against the
    /// dataset's current shape.
    pub(crate) fn write_rows_chunked<T: Element>(&self, start: u64, rows: &[T]) -> Result<()> {
        self.shared().check()?;
        self.type_error::<T>()?;
        let mut st = self.shared().lock();
        let Some(d) = st.tree.dataset(self.id()) else {
            return Err(Error::Closed);
        };
        let shape = d.shape.clone();
        let row_len: u64 = shape.iter().skip(1).product();
        let n = self.row_span(&shape, start, rows.len())?;
        if n == 0 || row_len == 0 {
            return Ok(());
        }
        let bytes = T::encode(rows);
        crate::chunked::write_rows(self.shared(), &mut st, self.id(), start, &bytes)
    }

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
        self.shared().check()?;
        let new = parse_dims(new_shape).map_err(|reason| Error::BadShape {
            dataset: self.name().into(),
            reason,
        })?;
        let mut st = self.shared().lock();
        let Some(d) = st.tree.dataset_mut(self.id()) else {
            return Err(Error::Closed);
        };
        let bad = |reason: String| Error::BadShape {
            dataset: self.name().into(),
            reason,
        };
        let Some(c) = &d.chunked else {
            return Err(bad("only chunked datasets with a maximum shape can be resized (use .resizable() or .max_shape())".into()));
        };
        if new.len() != d.shape.len() {
            return Err(bad(format!(
                "the new shape {new:?} has {} dimensions, the dataset {}",
                new.len(),
                d.shape.len()
            )));
        }
        for (i, ((&n, &old), max)) in new.iter().zip(&d.shape).zip(&c.max).enumerate() {
            if n < old {
                return Err(bad(format!(
                    "dimension {i} cannot shrink from {old} to {n}"
                )));
            }
            if max.is_some_and(|m| n > m) {
                return Err(bad(format!(
                    "dimension {i} cannot grow to {n}, beyond its maximum {max:?}"
                )));
            }
        }
        crate::types::shape_bytes(&new, &d.dtype)?;
        d.shape = new;
        st.dirty = true;
        Ok(())
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
        let start = self.grow_by(rows.len())?;
        self.write_rows_chunked(start, rows)?;
        Ok(start)
    }

    /// Grow the first dimension by the whole rows `values` elements make;
    /// returns the first new row.
    pub(crate) fn grow_by(&self, values: usize) -> Result<u64> {
        let shape = self.shape();
        let row_len: u64 = shape.iter().skip(1).product();
        if row_len == 0 || values as u64 % row_len != 0 {
            return Err(Error::PartialRow {
                dataset: self.name().into(),
                values,
                row_len,
            });
        }
        let start = shape.first().copied().unwrap_or(0);
        let mut grown = shape;
        if let Some(first) = grown.first_mut() {
            *first = start + values as u64 / row_len;
        }
        self.resize(&grown)?;
        Ok(start)
    }
}
