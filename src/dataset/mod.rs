//! `Dataset`: a handle to one dataset, for writing rows, whole arrays and
//! strings, growing it and giving it attributes. The handle holds the
//! file's engine and the dataset's id; every call is one engine
//! transaction.

use std::sync::Arc;

use crate::attribute::{AttrBuilder, AttributeBuilder};
use crate::engine::{Engine, NodeId};
use crate::error::{Error, Result};
use crate::format::datatype::{Datatype, ElementType, ReadAs};
use crate::types::convert::{self, Source};
use crate::types::{datatype_name, Element, H5Type};

pub(crate) mod builder;
mod chunked;
pub(crate) mod codec_options;
pub(crate) mod codecs;
mod info;
pub(crate) mod layout;
#[cfg(feature = "ndarray")]
mod ndarray;
pub(crate) mod options;
mod read;
mod strings;

/// A dataset in a file being written. Cheap to clone; clones share the file.
///
/// Rows go straight to the dataset's data block with positional writes, so
/// handles can be used from several threads for disjoint rows.
///
/// Made by [`DatasetBuilder::create`](crate::DatasetBuilder::create) or opened
/// with [`Group::dataset`](crate::Group::dataset).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<f32>().shape(&[100, 3]).create("points")?;
/// std::thread::scope(|s| {
///     for t in 0..4u64 {
///         let ds = ds.clone();
///         // Each thread writes its own 25 rows.
///         s.spawn(move || ds.write_rows(t * 25, &vec![t as f32; 25 * 3]));
///     }
/// });
/// assert_eq!((ds.rows(), ds.row_len()), (100, 3));
/// file.close()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Dataset {
    engine: Arc<Engine>,
    id: NodeId,
    /// Its full path (paths never change).
    path: String,
    /// Its element type (fixed at creation).
    dtype: ElementType,
}

impl std::fmt::Debug for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dataset")
            .field("path", &self.path)
            .field("dtype", &self.dtype.describe())
            .field("shape", &self.shape())
            .finish()
    }
}

impl Dataset {
    /// A handle to dataset `id` of `engine`.
    pub(crate) fn new(engine: Arc<Engine>, id: NodeId, path: String, dtype: Datatype) -> Dataset {
        Dataset::with_type(engine, id, path, ElementType::Known(dtype))
    }

    /// A handle to dataset `id` whose element type is `dtype`, which may be
    /// a type read from a file.
    pub(crate) fn with_type(
        engine: Arc<Engine>,
        id: NodeId,
        path: String,
        dtype: ElementType,
    ) -> Dataset {
        Dataset {
            engine,
            id,
            path,
            dtype,
        }
    }

    pub(crate) fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Start describing an attribute of type `T` on this dataset.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[4]).create("x")?;
    /// ds.new_attr::<f64>().shape(&[2]).create("range")?.write(&[0.5, 2.5])?;
    /// assert!(matches!(ds.new_attr::<u8>().create("range"), Err(h5sink::Error::DuplicateName { .. })));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn new_attr<T: H5Type>(&self) -> AttributeBuilder<T> {
        AttributeBuilder::new(self.engine.clone(), self.id, self.path.clone())
    }

    /// Describe an attribute by its value, in one call:
    /// `ds.new_attr_builder().with_data(&[1i32, 2, 3]).create("ids")`.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[3]).create("x")?;
    /// assert_eq!(ds.new_attr_builder().with_data(&[7i32, 8, 9]).create("ids")?.shape(), [3]);
    /// assert!(file.into_bytes()?.windows(12).any(|w| w == [7, 0, 0, 0, 8, 0, 0, 0, 9, 0, 0, 0]));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn new_attr_builder(&self) -> AttrBuilder {
        AttrBuilder::new(self.engine.clone(), self.id, self.path.clone())
    }

    /// Ok while the file accepts work (not closed, no earlier failure).
    pub(crate) fn check_open(&self) -> Result<()> {
        self.engine.io().check()
    }

    /// The dataset's path from the root, e.g. `/features`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().create("meta/flag")?;
    /// assert_eq!(ds.name(), "/meta/flag");
    /// # Ok(()) }
    /// ```
    pub fn name(&self) -> &str {
        &self.path
    }

    /// The dimensions (empty for a scalar).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert_eq!(file.new_dataset::<f64>().shape(&[4, 0, 2]).create("a")?.shape(), [4, 0, 2]);
    /// assert!(file.new_dataset::<f64>().create("scalar")?.shape().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn shape(&self) -> Vec<u64> {
        // Read from the engine: a dataset can be resized through any handle.
        self.engine.shape(self.id)
    }

    /// Number of rows (the first dimension; 1 for a scalar).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert_eq!(file.new_dataset::<i8>().shape(&[7, 2]).create("a")?.rows(), 7);
    /// assert_eq!(file.new_dataset::<i8>().create("s")?.rows(), 1);
    /// # Ok(()) }
    /// ```
    pub fn rows(&self) -> u64 {
        self.shape().first().copied().unwrap_or(1)
    }

    /// Values per row: the product of all dimensions but the first.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let images = file.new_dataset::<u8>().shape(&[10, 32, 32, 3]).create("images")?;
    /// assert_eq!(images.row_len(), 32 * 32 * 3);
    /// # Ok(()) }
    /// ```
    pub fn row_len(&self) -> u64 {
        self.shape().iter().skip(1).product()
    }

    pub(crate) fn id(&self) -> NodeId {
        self.id
    }

    /// How the dataset's elements read as `T`: as they are when `T` is
    /// its element type (or a type read from the file is exactly `T`'s),
    /// byte-swapped when they are big-endian `T` numbers;
    /// [`Error::TypeMismatch`] otherwise.
    pub(crate) fn check_type<T: H5Type>(&self) -> Result<ReadAs> {
        self.dtype
            .read_as(&T::DATATYPE)
            .ok_or_else(|| Error::TypeMismatch {
                dataset: self.path.clone(),
                expected: self.dtype.describe(),
                got: datatype_name(&T::DATATYPE),
            })
    }

    /// `values` in the dataset's element format: their own bytes (no copy)
    /// when `T` is its type, every value checked to fit when both are
    /// numbers of different types; [`Error::TypeMismatch`] otherwise.
    pub(crate) fn source<'a, T: Element>(&self, values: &'a [T]) -> Result<Source<'a>> {
        convert::prepare_into(values, &self.dtype, &self.path)
    }

    /// Write whole rows starting at row `start_row`. `rows` is row-major and
    /// must hold a whole number of rows; rows past the end are an error and
    /// nothing of the call is written.
    ///
    /// Numbers of another number type are converted as libhdf5 converts
    /// them (see [`ConvertInto`](crate::ConvertInto) for the rules), a
    /// bounded piece at a time; a value that does not fit is
    /// [`Error::ConversionRange`] and nothing is written. Values of the
    /// dataset's own type are written without any copy.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<i32>().shape(&[4, 2]).create("x")?;
    /// ds.write_rows(0, &[1, 2])?;          // row 0
    /// ds.write_rows(2, &[5, 6, 7, 8])?;    // rows 2 and 3; row 1 stays 0
    /// assert!(matches!(ds.write_rows(3, &[1, 2, 3, 4]), Err(h5sink::Error::RowsOutOfRange { .. })));
    /// assert!(matches!(ds.write_rows(0, &[1, 2, 3]), Err(h5sink::Error::PartialRow { .. })));
    /// ds.write_rows(1, &[3.9f64, -3.9])?; // other numbers are converted: row 1 is [3, -3]
    /// assert!(matches!(ds.write_rows(1, &[1e10f64, 0.0]), Err(h5sink::Error::ConversionRange { index: 0, .. })));
    /// assert!(matches!(ds.write_rows(0, &[true, false]), Err(h5sink::Error::TypeMismatch { .. })));
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_rows<T: Element>(&self, start_row: u64, rows: &[T]) -> Result<()> {
        self.check_open()?;
        let src = self.source(rows)?;
        self.engine.write_rows(self.id, start_row, rows.len(), &src)
    }

    /// Write the whole dataset at once; `data` holds every element, row-major.
    /// Other number types are converted as by [`write_rows`](Self::write_rows).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let m = file.new_dataset::<f64>().shape(&[2, 3]).create("matrix")?;
    /// m.write_raw(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])?; // [[1, 2, 3], [4, 5, 6]]
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_raw<T: Element>(&self, data: &[T]) -> Result<()> {
        self.check_open()?;
        let src = self.source(data)?;
        self.engine
            .write_all(self.id, data.len(), &src, "write_raw")
    }

    /// Write the value of a scalar (or one-element) dataset.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_dataset::<f64>().create("learning_rate")?.write_scalar(&1e-3)?;
    /// file.new_dataset::<bool>().create("converged")?.write_scalar(&true)?;
    /// file.new_dataset::<i64>().create("epochs")?.write_scalar(&42)?; // i32 literal, converted
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_scalar<T: Element>(&self, value: &T) -> Result<()> {
        self.check_open()?;
        let src = self.source(std::slice::from_ref(value))?;
        self.engine.write_all(self.id, 1, &src, "write_scalar")
    }
}
