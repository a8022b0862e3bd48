//! `DatasetBuilder`: shape, storage and fill value of a new dataset.

use std::marker::PhantomData;

use crate::dataset::Dataset;

mod storage_opts;
use crate::error::{Error, Result};
use crate::format::dataspace::MAX_RANK;
use crate::format::field::UNDEF_ADDR;
use crate::format::layout;
use crate::group::Group;
use crate::model::{DatasetMeta, NodeKind};
use crate::space::Extent;
use crate::types::{parse_dims, shape_bytes, Dim, Element, H5Type};
use storage_opts::{fill_pattern, write_fill};

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
    group: Group,
    shape: std::result::Result<Vec<u64>, String>,
    fill: Option<Vec<u8>>,
    compact: bool,
    chunk: Option<Vec<u64>>,
    max: Option<Vec<Option<u64>>>,
    deflate: Option<u32>,
    shuffle: bool,
    fletcher32: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T: H5Type> DatasetBuilder<T> {
    pub(crate) fn new(group: Group) -> Self {
        DatasetBuilder {
            group,
            shape: Ok(Vec::new()),
            fill: None,
            compact: false,
            chunk: None,
            max: None,
            deflate: None,
            shuffle: false,
            fletcher32: false,
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
        self.shape = parse_dims(dims);
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
        self.compact = true;
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
        self.chunk = parse_dims(dims).ok().or(Some(Vec::new()));
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
        self.max = Some(max.to_vec());
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
        self.max = Some(Vec::new()); // filled from the shape at create
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
        self.deflate = Some(u32::from(level));
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
        self.shuffle = true;
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
        self.fletcher32 = true;
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
        let shared = &self.group.shared;
        shared.check()?;
        let shape = self.shape.clone().map_err(|reason| Error::BadShape {
            dataset: name.into(),
            reason,
        })?;
        if shape.len() > MAX_RANK {
            return Err(Error::RankTooHigh {
                rank: shape.len(),
                max: MAX_RANK,
            });
        }
        let dtype = T::DATATYPE;
        let size = shape_bytes(&shape, &dtype)?;
        let chunked = self.chunking(name, &shape, u64::from(dtype.element_size()))?;
        let mut st = shared.lock();
        let resolved = self.group.resolve(&st.tree, name)?;
        let compact = if self.compact {
            // Refuse now what the header could not hold at commit, before
            // allocating anything in proportion to the declared shape.
            let too_big = || {
                Error::BadShape {
                dataset: name.into(),
                reason: format!("{size} bytes is too large for compact storage (at most about 64 KiB); use the default contiguous layout"),
            }
            };
            if size > layout::MAX_COMPACT_SIZE {
                return Err(too_big());
            }
            let data = fill_pattern(self.fill.as_deref(), size)?;
            layout::compact(&data).map_err(|_| too_big())?;
            Some(data)
        } else {
            None
        };
        // Check the end-of-file address stays representable before touching anything.
        if compact.is_none() && chunked.is_none() && st.space.end().checked_add(size).is_none() {
            return Err(Error::BadShape {
                dataset: name.into(),
                reason: format!(
                    "its {size} bytes would take the file past the 64-bit address space (the file already spans {} bytes)",
                    st.space.end()
                ),
            });
        }
        let block = if compact.is_some() || chunked.is_some() {
            Extent { start: 0, len: 0 }
        } else {
            st.space.alloc_fresh(size)?
        };
        let address = if size == 0 || compact.is_some() || chunked.is_some() {
            UNDEF_ADDR
        } else {
            block.start
        };
        let needs_fill = compact.is_none()
            && chunked.is_none()
            && size > 0
            && self
                .fill
                .as_deref()
                .is_some_and(|f| f.iter().any(|&b| b != 0));
        let meta = DatasetMeta {
            dtype,
            shape,
            address,
            size,
            block,
            fill: self.fill.clone(),
            compact,
            staged: None,
            spilled: false,
            chunked: chunked.map(Box::new),
        };
        let id = Group::insert(&mut st, resolved, NodeKind::Dataset(meta))?;
        let ds = Dataset::open(shared, &st.tree, id).ok_or(Error::Closed)?;
        drop(st);
        if needs_fill {
            write_fill(&ds, block, self.fill.as_deref().unwrap_or(&[]))?;
        }
        Ok(ds)
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
        self.fill = Some(T::encode(std::slice::from_ref(&value)).into_owned());
        self
    }
}
