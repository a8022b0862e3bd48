//! Writing `ndarray` arrays (feature `ndarray`), as hdf5-metno users do.

use ndarray::{ArrayBase, Data, Dimension};

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::types::Element;

impl Dataset {
    /// Write a whole dataset from an array of the same shape. Arrays in
    /// standard (row-major, contiguous) layout are written without a copy.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let a = ndarray::Array2::<f32>::from_shape_fn((3, 4), |(i, j)| (i * 4 + j) as f32);
    /// file.new_dataset::<f32>().shape(&[3, 4]).create("a")?.write_array(&a)?;
    /// file.new_dataset::<f32>().shape(&[4, 3]).create("t")?.write_array(&a.t())?; // copied: not row-major
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_array<T: Element, S: Data<Elem = T>, D: Dimension>(
        &self,
        arr: &ArrayBase<S, D>,
    ) -> Result<()> {
        let shape: Vec<u64> = arr.shape().iter().map(|&d| d as u64).collect();
        if shape != self.shape() {
            return Err(Error::BadShape {
                dataset: self.name().into(),
                reason: format!(
                    "the array has shape {shape:?}, the dataset {:?}",
                    self.shape()
                ),
            });
        }
        let contiguous = arr.as_standard_layout();
        self.write_raw(contiguous.as_slice().unwrap_or(&[]))
    }

    /// Write the rows of `arr` (whose shape after the first axis matches the
    /// dataset's) starting at row `start_row`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[10, 2, 2]).create("x")?;
    /// let batch = ndarray::Array3::<u8>::ones((3, 2, 2));
    /// ds.write_rows_array(4, &batch)?; // rows 4, 5 and 6
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_rows_array<T: Element, S: Data<Elem = T>, D: Dimension>(
        &self,
        start_row: u64,
        arr: &ArrayBase<S, D>,
    ) -> Result<()> {
        let inner: Vec<u64> = arr.shape().iter().skip(1).map(|&d| d as u64).collect();
        if arr.ndim() != self.shape().len() || inner != self.shape()[1.min(self.shape().len())..] {
            return Err(Error::BadShape {
                dataset: self.name().into(),
                reason: format!(
                    "rows of shape {:?} do not match the dataset's shape {:?}",
                    arr.shape(),
                    self.shape()
                ),
            });
        }
        let contiguous = arr.as_standard_layout();
        self.write_rows(start_row, contiguous.as_slice().unwrap_or(&[]))
    }
}

#[cfg(test)]
mod tests {
    use crate::File;
    use ndarray::{Array2, Axis};

    #[test]
    fn arrays_and_slabs() {
        let f = File::in_memory().unwrap();
        let ds = f.new_dataset::<f32>().shape(&[4, 3]).create("a").unwrap();
        let a = Array2::from_shape_fn((4, 3), |(i, j)| (i * 3 + j) as f32);
        ds.write_array(&a).unwrap();
        // A transposed (non-standard) view is copied into row-major order.
        let t = Array2::from_shape_fn((3, 2), |(i, j)| (i + 10 * j) as f32);
        ds.write_rows_array(1, &t.t()).unwrap();
        ds.write_rows_array(3, &a.select(Axis(0), &[0])).unwrap();
        assert!(ds.write_array(&t).is_err());
        assert!(ds
            .write_rows_array(0, &ndarray::Array1::<f32>::zeros(3))
            .is_err());
        f.into_bytes().unwrap();
    }
}
