//! `DatasetBuilder`: shape, storage and fill value of a new dataset.

use std::marker::PhantomData;
use std::sync::Arc;

use super::options::DatasetOptions;
use super::Dataset;
use crate::engine::{Engine, NodeId};
use crate::error::Result;
use crate::types::{Dim, Element, H5Type};

/// Describes a dataset before it is created:
/// `group.new_dataset::<f32>().shape(&[n, 25088]).create("features")`.
///
/// Contiguous by default; chunked when a chunk shape, a filter or a maximum
/// shape is asked for; compact with [`compact`](Self::compact).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let plain = file.new_dataset::<f32>().shape(&[100, 8]).create("plain")?;
/// let packed = file.new_dataset::<u8>()
///     .shape(&[100, 28, 28])
///     .chunk(&[10, 28, 28])
///     .shuffle()
///     .deflate(6)
///     .fletcher32()
///     .create("packed")?;
/// let grows = file.new_dataset::<i64>().shape(&[0]).resizable().create("grows")?;
/// let small = file.new_dataset::<i32>().shape(&[4]).compact().fill_value(-1).create("small")?;
/// plain.write_rows(0, &[0.5f32; 8])?;
/// packed.write_rows(0, &[255u8; 28 * 28])?;
/// grows.append_rows(&[1i64, 2, 3])?;
/// small.write_rows(0, &[7])?; // [7, -1, -1, -1]
/// file.close()?;
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until create() is called"]
pub struct DatasetBuilder<T> {
    engine: Arc<Engine>,
    /// The group names are resolved from.
    base: NodeId,
    pub(super) opts: DatasetOptions,
    _t: PhantomData<fn() -> T>,
}

impl<T: H5Type> DatasetBuilder<T> {
    pub(crate) fn new(engine: Arc<Engine>, base: NodeId) -> Self {
        DatasetBuilder {
            engine,
            base,
            opts: DatasetOptions::default(),
            _t: PhantomData,
        }
    }

    /// The dataset's dimensions; `&[]` (the default) is a scalar.
    /// Zero-length dimensions are allowed.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let n: usize = 5;
    /// file.new_dataset::<f32>().shape(&[n, 3]).create("a")?; // usize, u64, i32 ... all work
    /// file.new_dataset::<f32>().shape(&[0u64]).create("empty")?;
    /// file.new_dataset::<f32>().create("scalar")?;           // no shape: a scalar
    /// # Ok(()) }
    /// ```
    pub fn shape<D: Dim>(mut self, dims: &[D]) -> Self {
        self.opts.set_shape(dims);
        self
    }

    /// Store the data inside the object header (HDF5's compact layout), for
    /// small datasets: at most about 64 KiB. The data is written at the next
    /// commit. Readers: libhdf5 (h5py, h5dump), pyfive and h5wasm read it;
    /// jsfive does not.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f64>().shape(&[3]).compact().create("mean")?;
    /// ds.write_raw(&[0.485, 0.456, 0.406])?;
    /// assert!(file.new_dataset::<u8>().shape(&[100_000]).compact().create("big").is_err());
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn compact(mut self) -> Self {
        self.opts.compact = true;
        self
    }

    /// Store the data in chunks of this shape (HDF5's chunked layout,
    /// indexed by a version 1 B-tree). Needed for filters and resizing; if
    /// those are asked for without a chunk shape, h5py's guess is used.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[1000, 64]).chunk(&[100, 64]).create("x")?;
    /// ds.write_rows(0, &vec![1.0f32; 1000 * 64])?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn chunk<D: Dim>(mut self, dims: &[D]) -> Self {
        self.opts.set_chunk(dims);
        self
    }

    /// Maximum dimensions; `None` is unlimited (h5py's `maxshape=(None, ...)`).
    /// The dataset can then grow with [`Dataset::resize`] or
    /// [`Dataset::append_rows`].
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[2, 2]).max_shape(&[Some(4), None]).create("x")?;
    /// ds.resize(&[4, 100])?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn max_shape(mut self, max: &[Option<u64>]) -> Self {
        self.opts.max = Some(max.to_vec());
        self
    }

    /// Unlimited first dimension, the others fixed: a dataset to append rows to.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[0, 3]).resizable().create("x")?; // maxshape (None, 3)
    /// ds.append_rows(&[1.0f32, 2.0, 3.0])?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn resizable(mut self) -> Self {
        self.opts.set_resizable(); // filled from the shape at create
        self
    }

    /// Compress chunks with deflate (gzip) at `level` 0 to 9, in a zlib
    /// stream as h5py's `compression='gzip'` does.
    ///
    /// Levels above 9 are refused by [`create`](Self::create).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u16>().shape(&[10_000]).deflate(9).create("z")?;
    /// ds.write_raw(&vec![0u16; 10_000])?; // zeros compress to almost nothing
    /// assert!(file.new_dataset::<u8>().shape(&[1]).deflate(10).create("bad").is_err());
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn deflate(mut self, level: u8) -> Self {
        self.opts.deflate = Some(u32::from(level));
        self
    }

    /// Shuffle the bytes of each chunk's elements before compression.
    ///
    /// Usually paired with [`deflate`](Self::deflate): grouping the bytes of
    /// equal significance makes numbers compress better.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[256]).shuffle().deflate(4).create("x")?;
    /// ds.write_raw(&(0..256).map(|i| i as f32).collect::<Vec<_>>())?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn shuffle(mut self) -> Self {
        self.opts.shuffle = true;
        self
    }

    /// Append a Fletcher-32 checksum to each chunk.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_dataset::<i32>().shape(&[8]).fletcher32().create("checked")?.write_raw(&[1i32; 8])?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn fletcher32(mut self) -> Self {
        self.opts.fletcher32 = true;
        self
    }

    /// Create the dataset `name` (or a `/`-path; missing groups are
    /// created) in the group. Contiguous data is reserved at once, reading as
    /// the fill value (0 unless set) until written; the dataset itself is
    /// staged until the next commit.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[2]).create("runs/1/loss")?; // creates /runs/1
    /// assert_eq!(ds.name(), "/runs/1/loss");
    /// assert!(file.new_dataset::<f32>().create("runs/1/loss").is_err()); // name taken
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn create(self, name: &str) -> Result<Dataset> {
        self.engine.io().check()?;
        let spec = self.opts.spec(T::DATATYPE, name)?;
        let (id, path) = self.engine.create_dataset(self.base, name, spec)?;
        Ok(Dataset::new(self.engine, id, path, T::DATATYPE))
    }
}

impl<T: Element> DatasetBuilder<T> {
    /// The value unwritten elements read as (h5py's `fillvalue=`).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[4]).fill_value(f32::NAN).create("x")?;
    /// ds.write_rows(0, &[1.0f32])?; // reads as [1, nan, nan, nan]
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn fill_value(mut self, value: T) -> Self {
        self.opts.fill = Some(T::encode(std::slice::from_ref(&value)).into_owned());
        self
    }
}
