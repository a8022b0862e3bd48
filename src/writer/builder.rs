//! `DatasetWriterBuilder`: the options of a [`DatasetWriter`].

use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use super::{DatasetWriter, LABELS_KEY, LABEL_NAMES_KEY};
use crate::dataset::options::DatasetOptions;
use crate::error::Result;
use crate::storage::Storage;
use crate::types::{Dim, Element};

/// Options for a [`DatasetWriter`].
///
/// Made by [`DatasetWriter::builder`].
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// # let path = std::env::temp_dir().join(format!("h5sink-doc-wb-{}.h5", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// // An unknown number of 32 x 32 RGB images, chunked and compressed.
/// let mut w = h5sink::DatasetWriter::<u8>::builder(&path, &[32, 32, 3])
///     .unlimited()
///     .chunk(&[64, 32, 32, 3])
///     .shuffle()
///     .deflate(4)
///     .data_key("images")
///     .buf_size(256)
///     .create()?;
/// w.add(&vec![128u8; 100 * 32 * 32 * 3], &vec![0i64; 100])?;
/// w.close()?; // images: 100 x 32 x 32 x 3, labels: 100
/// # std::fs::remove_file(&path).unwrap();
/// # Ok(()) }
/// ```
#[must_use = "a builder does nothing until create() is called"]
pub struct DatasetWriterBuilder<T> {
    pub(super) target: Target,
    pub(super) dims: std::result::Result<Vec<u64>, String>,
    pub(super) data_key: String,
    /// `None` with `labels(false)`.
    pub(super) labels_key: Option<String>,
    pub(super) label_names_key: String,
    pub(super) buf_size: usize,
    pub(super) unlimited: bool,
    /// Options of the data dataset (chunk shape, filters, fill value, compact).
    pub(super) opts: DatasetOptions,
    pub(super) durable: bool,
    pub(super) reader_grace: Option<std::time::Duration>,
    pub(super) _t: PhantomData<fn() -> T>,
}

/// Where the writer's file goes.
pub(super) enum Target {
    /// A new file at this path (an existing one is refused).
    Path(PathBuf),
    /// A caller's storage: memory, or a backend of its own.
    Storage(Box<dyn Storage>),
    /// A file already open: the writer adds its datasets to it and leaves
    /// it open at `close`.
    File(crate::file::File),
}

impl<T: Element> DatasetWriter<T> {
    /// A writer with data key `images` and a buffer of 1000 rows.
    ///
    /// The data dataset has the dimensions `dims`, rows first.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wcreate-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<u8>::create(&path, &[10, 4])?; // "images" and "labels"
    /// w.add(&[7u8; 4 * 10], &[1i64; 10])?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn create<D: Dim>(path: impl AsRef<Path>, dims: &[D]) -> Result<Self> {
        Self::builder(path, dims).create()
    }

    /// Options: data key and buffer size.
    ///
    /// See [`DatasetWriterBuilder`] for all options (keys, labels, chunking,
    /// compression, fill value, an unlimited row count). `dims` is the whole
    /// dataset's shape, rows first, except with
    /// [`unlimited`](DatasetWriterBuilder::unlimited): then it is the shape
    /// of ONE row (`&[784]` for rows of 784 values, not `&[70000, 784]`).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wbuilder-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<f64>::builder(&path, &[100, 8])
    ///     .data_key("embeddings")
    ///     .buf_size(32)
    ///     .create()?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn builder<D: Dim>(path: impl AsRef<Path>, dims: &[D]) -> DatasetWriterBuilder<T> {
        DatasetWriterBuilder::new(path.as_ref().to_path_buf(), crate::types::parse_dims(dims))
    }

    /// A writer whose file goes to `storage` instead of a path: memory
    /// ([`MemStorage`](crate::MemStorage), e.g. in WebAssembly) or a backend
    /// of your own. Keep a clone of a `MemStorage` to take the bytes after
    /// [`close`](DatasetWriter::close). Options as for
    /// [`builder`](DatasetWriter::builder).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let mem = h5sink::MemStorage::new();
    /// let mut w = h5sink::DatasetWriter::<f32>::with_storage(mem.clone(), &[10, 3])
    ///     .data_key("features")
    ///     .buf_size(4)
    ///     .create()?;
    /// w.add(&[0.25f32; 10 * 3], &[7i64; 10])?;
    /// w.store_class_labels(&["cat", "dog"])?;
    /// w.close()?;
    /// let bytes = mem.to_vec(); // a complete HDF5 file
    /// assert_eq!(&bytes[..8], b"\x89HDF\r\n\x1a\n");
    /// # Ok(()) }
    /// ```
    pub fn with_storage<D: Dim>(
        storage: impl Storage + 'static,
        dims: &[D],
    ) -> DatasetWriterBuilder<T> {
        DatasetWriterBuilder::with_target(
            Target::Storage(Box::new(storage)),
            crate::types::parse_dims(dims),
        )
    }
}

impl<T: Element> DatasetWriter<T> {
    /// A writer whose datasets go into `file`, already open (made with
    /// [`File::create`](crate::File::create) or opened with
    /// [`File::open_rw`](crate::File::open_rw)): several writers, each with
    /// its own keys (train / val / test splits), stream into one file, and
    /// every flush commits the whole file. `close` writes the writer's rows
    /// and commits, and leaves the file open. Options as for
    /// [`builder`](DatasetWriter::builder).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let mem = h5sink::MemStorage::new();
    /// let file = h5sink::File::with_storage(mem.clone())?;
    /// let mut splits = Vec::new();
    /// for split in ["train", "val"] {
    ///     splits.push(
    ///         h5sink::DatasetWriter::<f32>::builder_in(&file, &[4, 2])
    ///             .data_key(&format!("{split}/images"))
    ///             .labels_key(&format!("{split}/labels"))
    ///             .create()?,
    ///     );
    /// }
    /// for w in &mut splits {
    ///     w.add(&[0.5f32; 8], &[1, 0, 1, 0])?;
    /// }
    /// for w in splits {
    ///     w.close()?; // the file stays open
    /// }
    /// assert_eq!(file.group("train")?.member_names()?, ["images", "labels"]);
    /// file.close()?;
    /// let back = h5sink::File::open_storage(mem)?;
    /// assert_eq!(back.dataset("val/labels")?.read_raw::<i64>()?, [1, 0, 1, 0]);
    /// # Ok(()) }
    /// ```
    pub fn builder_in<D: Dim>(file: &crate::file::File, dims: &[D]) -> DatasetWriterBuilder<T> {
        DatasetWriterBuilder::with_target(
            Target::File(file.handle()),
            crate::types::parse_dims(dims),
        )
    }
}

impl<T: Element> DatasetWriterBuilder<T> {
    pub(crate) fn new(path: PathBuf, dims: std::result::Result<Vec<u64>, String>) -> Self {
        Self::with_target(Target::Path(path), dims)
    }

    fn with_target(target: Target, dims: std::result::Result<Vec<u64>, String>) -> Self {
        DatasetWriterBuilder {
            target,
            dims,
            data_key: "images".into(),
            labels_key: Some(LABELS_KEY.into()),
            label_names_key: LABEL_NAMES_KEY.into(),
            buf_size: 1000,
            unlimited: false,
            opts: DatasetOptions::default(),
            durable: false,
            reader_grace: None,
            _t: PhantomData,
        }
    }

    /// Unknown row count: the dimensions given are those of ONE row; `add`
    /// appends, `labels` grows with the data, and every flush commits the
    /// new row count (chunked datasets with an unlimited first dimension).
    ///
    /// So `builder(path, &[70000, 784]).unlimited()` makes a 3-D dataset of
    /// 70000 x 784 rows, and an `add` of 784-value rows is refused with
    /// [`Error::UnlimitedPartialRow`](crate::Error::UnlimitedPartialRow),
    /// which names these dims: for rows of 784 values write
    /// `builder(path, &[784]).unlimited()`. (`create` cannot tell: a 3-D
    /// stream of 70000 x 784 rows is valid.)
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wunl-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[128]).unlimited().create()?;
    /// for batch in 0..3 {
    ///     w.add(&vec![batch as f32; 10 * 128], &[batch as i64; 10])?;
    /// }
    /// assert_eq!(w.len(), 30);
    /// w.close()?; // images: 30 x 128
    /// # std::fs::remove_file(&path).unwrap();
    /// // Whole-dataset dims with unlimited(): rows of 10 x 128 values each.
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[10, 128]).unlimited().create()?;
    /// let e = w.add(&[0.0f32; 128], &[0]).unwrap_err();
    /// assert!(matches!(e, h5sink::Error::UnlimitedPartialRow { .. }));
    /// assert!(e.to_string().contains("[10, 128] are the shape of ONE row"));
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn unlimited(mut self) -> Self {
        self.unlimited = true;
        self
    }

    /// Chunk shape of the data dataset (all its dimensions, rows first);
    /// default: h5py's guess when chunking is needed.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wchunk-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<f32>::builder(&path, &[1000, 64]).chunk(&[100, 64]).create()?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn chunk<D: Dim>(mut self, dims: &[D]) -> Self {
        self.opts.set_chunk(dims);
        self
    }

    /// Compress the data chunks with deflate at `level` (0 to 9).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wdeflate-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<u8>::builder(&path, &[1000, 16]).deflate(6).create()?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn deflate(mut self, level: u8) -> Self {
        self.opts.deflate = Some(u32::from(level));
        self
    }

    /// Shuffle the bytes of the data chunks before compression.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wshuffle-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<f32>::builder(&path, &[16]).unlimited().shuffle().deflate(4).create()?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn shuffle(mut self) -> Self {
        self.opts.shuffle = true;
        self
    }

    /// Name of the data dataset (default `images`), or a `/`-path such as
    /// `train/images` (missing groups are created).
    ///
    /// It must differ from the labels and label-names keys (`labels` and
    /// `label_names` unless set): the same key is refused by
    /// [`create`](Self::create), naming both.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wkey-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<f32>::builder(&path, &[8, 4]).data_key("features").create()?;
    /// w.close()?;
    /// # let path2 = std::env::temp_dir().join(format!("h5sink-doc-wkey2-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path2);
    /// assert!(h5sink::DatasetWriter::<f32>::builder(&path2, &[8, 4]).data_key("labels").create().is_err());
    /// h5sink::DatasetWriter::<f32>::builder(&path2, &[8, 4]).data_key("train/images").create()?.close()?;
    /// # let _ = std::fs::remove_file(&path2);
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn data_key(mut self, key: &str) -> Self {
        self.data_key = key.to_owned();
        self
    }

    /// Rows held in memory before they are written (default 1000).
    ///
    /// Zero is refused by [`create`](Self::create).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wbuf-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<f32>::builder(&path, &[8, 4]).buf_size(2).create()?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn buf_size(mut self, rows: usize) -> Self {
        self.buf_size = rows;
        self
    }

    /// Make every buffer flush durable ([`File::set_durable`](crate::File::set_durable)): two `fsync`
    /// calls per flush, so a power loss, not only a crash, keeps every row
    /// flushed so far. Off by default.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wdur-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 4]).buf_size(50).durable().create()?;
    /// w.add(&[0.5f32; 60 * 4], &[1i64; 60])?; // 50 rows flushed and synced; 10 buffered
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn durable(mut self) -> Self {
        self.durable = true;
        self
    }
}
