//! `DatasetWriter::add_array` (feature `ndarray`): a batch of rows as an
//! array, first axis = rows.

use ndarray::{ArrayBase, Data, Dimension};

use super::DatasetWriter;
use crate::error::{Error, Result};
use crate::types::Element;

impl<T: Element> DatasetWriter<T> {
    /// Add a batch of rows (first axis = rows, the other axes one row's
    /// shape) and one label per row, as [`add`](Self::add) does. Arrays in
    /// standard (row-major, contiguous) layout are added without a copy;
    /// others are copied into that layout first. A writer made with
    /// [`labels(false)`](super::DatasetWriterBuilder::labels) takes empty
    /// `labels` here and adds the rows as
    /// [`add_rows`](Self::add_rows) does. A row shape other than the
    /// dataset's is [`Error::BadShape`] and adds nothing.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-waddarr-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::create(&path, &[10, 2, 3])?;
    /// let batch = ndarray::Array3::<f32>::ones((4, 2, 3)); // 4 rows of 2 x 3
    /// w.add_array(&batch, &[0, 1, 2, 3])?;
    /// assert!(w.add_array(&ndarray::Array2::<f32>::ones((4, 6)), &[0; 4]).is_err());
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn add_array<S: Data<Elem = T>, D: Dimension>(
        &mut self,
        rows: &ArrayBase<S, D>,
        labels: &[i64],
    ) -> Result<()> {
        let shape = self.data.shape();
        let row_shape = shape.get(1..).unwrap_or_default();
        let inner: Vec<u64> = rows.shape().iter().skip(1).map(|&d| d as u64).collect();
        if rows.ndim() != shape.len() || inner != row_shape {
            return Err(Error::BadShape {
                dataset: self.data.name().into(),
                reason: format!(
                    "a batch of shape {:?} is not rows of shape {row_shape:?} (first axis = rows)",
                    rows.shape()
                ),
            });
        }
        let contiguous = rows.as_standard_layout();
        let values = contiguous.as_slice().unwrap_or(&[]);
        if self.labels.is_none() && labels.is_empty() {
            return self.add_rows(values);
        }
        // Rows of zero values: the first axis counts them.
        if values.is_empty() && labels.len() != rows.len_of(ndarray::Axis(0)) && rows.ndim() > 0 {
            return Err(Error::LabelCount {
                rows: rows.len_of(ndarray::Axis(0)) as u64,
                labels: labels.len(),
            });
        }
        self.add(values, labels)
    }
}

#[cfg(test)]
mod tests {
    use crate::DatasetWriter;
    use ndarray::{Array2, Array3};

    #[test]
    fn batches_of_rows() {
        let mem = crate::MemStorage::new();
        let mut w = DatasetWriter::<f32>::with_storage(mem, &[6, 2])
            .buf_size(4)
            .create()
            .unwrap();
        let a = Array2::from_shape_fn((2, 2), |(i, j)| (i * 2 + j) as f32);
        w.add_array(&a, &[0, 1]).unwrap();
        w.add_array(&a.t(), &[2, 3]).unwrap(); // copied: not row-major
        assert!(w.add_array(&Array3::<f32>::zeros((1, 2, 1)), &[0]).is_err());
        assert!(w.add_array(&Array2::<f32>::zeros((1, 3)), &[0]).is_err());
        assert!(w.add_array(&a, &[0]).is_err());
        assert_eq!(w.len(), 4);
        w.close().unwrap();
    }
}
