//! `DatasetWriter`: the buffered row writer of the `HDF5DatasetWriter`
//! tutorial pattern (data rows plus one integer label per row).

use crate::dataset::Dataset;

mod builder;
mod codecs;
mod create;
#[cfg(feature = "ndarray")]
mod ndarray;
mod options;
mod progress;
mod resume;
mod route;
use crate::error::{Error, Result};
use crate::file::File;
use crate::types::{ConvertInto, Element, VarLenUnicode};
pub use builder::DatasetWriterBuilder;
pub use progress::{ROWS_WRITTEN_ATTR, UNWRITTEN_LABEL};

/// Default name of the labels dataset (see
/// [`DatasetWriterBuilder::labels_key`]).
///
/// Its element type is `i64`, one label per row, as in the tutorial.
///
/// ```
/// assert_eq!(h5sink::LABELS_KEY, "labels");
/// ```
pub const LABELS_KEY: &str = "labels";
/// Default name of the class-names dataset written by
/// [`DatasetWriter::store_class_labels`] (see
/// [`DatasetWriterBuilder::label_names_key`]).
///
/// Stored as variable-length UTF-8 strings, h5py's `str` dtype.
///
/// ```
/// assert_eq!(h5sink::LABEL_NAMES_KEY, "label_names");
/// ```
pub const LABEL_NAMES_KEY: &str = "label_names";

/// Streams rows of `T` and their `i64` labels into a new HDF5 file.
///
/// Creates `<data_key>` (default `images`) with the given dimensions and
/// `labels` (`i64`, one per row; none with
/// [`labels(false)`](DatasetWriterBuilder::labels)).
///
/// Contiguous data (the default): an `add` whose rows make at least
/// [`DIRECT_ADD_BYTES`](Self::DIRECT_ADD_BYTES) (1 MiB) or a whole buffer
/// (`buf_size` rows, default 1000) goes straight from the caller's slice to
/// its place in the file, one positional write, without a copy; smaller adds
/// are collected in a buffer of `buf_size` rows, allocated only when a small
/// add first needs it, and each full buffer is one positional write. Labels
/// are small: they are collected and written every `buf_size` rows.
///
/// Chunked data (with `unlimited`, `chunk`, a codec, `shuffle` or
/// `fletcher32`) needs no buffer of its own: rows go straight into the
/// chunks being filled (at most one band of chunks in memory). A chunk that
/// is complete is compressed on a background thread (one per core) while
/// `add` keeps accepting rows, then written; at most two chunk rows (bands
/// of `chunk[0]` rows, every column chunk) per core are in flight, an `add`
/// that would exceed that waits for the oldest. Every `buf_size` rows (and
/// at each `flush` and `close`) a commit waits for the chunks in flight and
/// makes them part of the file; with chunks no taller than the buffer, a
/// commit due waits for the end of the chunk row it falls in (at most
/// `chunk[0] - 1` more rows), so no chunk is committed half-filled and
/// rewritten later. A chunk that fails to compress in the
/// background fails the next call (`add`, `flush` or `close`) with
/// [`Error::Poisoned`] naming the chunk; the writer then refuses all work and
/// the file keeps its last commit. With one core, chunks compress inline.
///
/// After [`create`](DatasetWriterBuilder::create), [`flush`](Self::flush)
/// and [`close`](Self::close) the file on disk is valid HDF5 holding every
/// row and label added so far, so a crash loses at most what was added since
/// the last flush (rows already written in place stay intact).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let path = std::env::temp_dir().join(format!("h5sink-doc-writer-{}.h5", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[200, 512])
///     .data_key("features")
///     .buf_size(100)
///     .create()?;
/// for _ in 0..5 {
///     let rows = vec![0.5f32; 40 * 512]; // 40 rows of 512 values
///     let labels = vec![3i64; 40];       // one label per row
///     w.add(&rows, &labels)?;
/// }
/// w.store_class_labels(&["cat", "dog", "horse", "ship"])?;
/// w.close()?; // features (200 x 512), labels (200), label_names (4)
/// std::fs::remove_file(&path).unwrap();
/// # Ok(()) }
/// ```
pub struct DatasetWriter<T: Element> {
    pub(crate) file: Option<File>,
    /// The writer made or opened the file and closes it (not so for a
    /// writer made with `builder_in` on an open file).
    pub(crate) owns_file: bool,
    /// Rows declared by a fixed-size stream that records its progress.
    pub(crate) declared: Option<u64>,
    pub(crate) data: Dataset,
    /// `None` with `labels(false)`.
    pub(crate) labels: Option<Dataset>,
    pub(crate) label_names_key: String,
    pub(crate) row_len: usize,
    pub(crate) buf_rows: usize,
    /// Rows of small adds, starting at row `rows_written`.
    pub(crate) buf: Vec<T>,
    /// Rows in `buf`.
    pub(crate) buffered: usize,
    /// Labels not yet written, starting at row `labels_written`.
    pub(crate) label_buf: Vec<i64>,
    /// Rows accepted so far.
    pub(crate) accepted: u64,
    /// Rows of data in the file (contiguous data: the rows before `buf`).
    pub(crate) rows_written: u64,
    /// Labels in the file.
    pub(crate) labels_written: u64,
    /// Rows accepted since the buffers were last written (contiguous data).
    pub(crate) pending: usize,
    /// Rows are appended (the data has an unlimited first dimension).
    pub(crate) unlimited: bool,
    /// Rows added to staged data since the last commit.
    pub(crate) uncommitted: usize,
    /// The chunk height when it is no taller than the buffer: a commit due
    /// waits for the end of the chunk row (0: chunks are taller, or the
    /// data is not chunked; commits come every `buf_size` rows).
    pub(crate) commit_band: u64,
    /// The data is chunked or compact: rows go into the engine's chunks or
    /// header data at once, and a commit every `buf_size` rows stores them.
    pub(crate) staged: bool,
}

impl<T: Element> DatasetWriter<T> {
    /// Rows accepted so far (written or buffered); after
    /// [`resume`](DatasetWriterBuilder::resume), counting the rows the file
    /// already held, so a resumed loop skips `len()` inputs.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wlen-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::create(&path, &[10, 2])?;
    /// assert!(w.is_empty());
    /// w.add(&[0.0f32; 6], &[0, 1, 2])?;
    /// assert_eq!(w.len(), 3); // buffered, not yet written
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn len(&self) -> u64 {
        self.accepted
    }

    /// Whether no row was accepted yet.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wempty-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<f32>::create(&path, &[10, 2])?;
    /// assert!(w.is_empty());
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The underlying file, e.g. to add groups or datasets beside the stream.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wfile-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<f32>::create(&path, &[10, 2])?;
    /// let file = w.file()?;
    /// file.new_attr_builder().with_str("resnet50").create("model")?;
    /// file.new_dataset::<f32>().shape(&[3]).create("mean")?.write_raw(&[0.4f32, 0.5, 0.6])?;
    /// w.close()?; // commits them too
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn file(&self) -> Result<&File> {
        self.file.as_ref().ok_or(Error::Closed {
            by: "DatasetWriter::close",
        })
    }

    /// Add rows (flat, row-major) and one label per row.
    ///
    /// Large adds (at least [`DIRECT_ADD_BYTES`](Self::DIRECT_ADD_BYTES) of
    /// rows, or a whole buffer) of contiguous data go to the file at once,
    /// without a copy; smaller ones are buffered. Past the dataset's last row
    /// nothing of the call is accepted. A writer made with
    /// [`labels(false)`](DatasetWriterBuilder::labels) refuses `add`: use
    /// [`add_rows`](Self::add_rows).
    ///
    /// Rows of another number type are converted to `T` as libhdf5 converts
    /// (see [`ConvertInto`]): `DatasetWriter::<f64>` takes `&[f32]` rows.
    /// A value that does not fit `T` is [`Error::ConversionRange`] and
    /// nothing of the call is accepted.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wadd-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::create(&path, &[4, 3])?;
    /// w.add(&[1.0f32; 6], &[0, 1])?;                 // 2 rows, 2 labels
    /// assert!(matches!(w.add(&[1.0f32; 3], &[0, 1]), Err(h5sink::Error::LabelCount { .. })));
    /// assert!(matches!(w.add(&[1.0f32; 9], &[0; 3]), Err(h5sink::Error::RowsOutOfRange { .. })));
    /// assert!(matches!(w.add(&[1e300f64; 3], &[0]), Err(h5sink::Error::ConversionRange { .. })));
    /// w.add(&[2.0f64; 6], &[1, 0])?;                 // rows 2 and 3 (f64 into f32): full
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn add<U: ConvertInto<T>>(&mut self, rows: &[U], labels: &[i64]) -> Result<()> {
        if self.labels.is_none() {
            return Err(Error::InvalidArgument {
                what: "add",
                value: format!("({} labels)", labels.len()),
                reason: "this writer was built with labels(false) and stores no labels; call add_rows(rows)",
            });
        }
        let n = self.accept(rows.len(), labels.len())?;
        self.check_values(rows)?;
        self.route(rows, n, labels)
    }

    /// Add rows (flat, row-major) without labels, to a writer made with
    /// [`labels(false)`](DatasetWriterBuilder::labels). A writer with labels
    /// refuses it ([`Error::InvalidArgument`]): every row needs its label,
    /// use [`add`](Self::add). Rows go to the file as with `add`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-waddrows-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[4, 3]).labels(false).create()?;
    /// w.add_rows(&[1.0f32; 6])?;                      // rows 0 and 1
    /// assert!(w.add(&[1.0f32; 3], &[0]).is_err());    // no labels here
    /// w.add_rows(&[2.0f32; 6])?;
    /// w.close()?; // only "images": 4 x 3
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn add_rows<U: ConvertInto<T>>(&mut self, rows: &[U]) -> Result<()> {
        if let Some(labels) = &self.labels {
            return Err(Error::InvalidArgument {
                what: "add_rows",
                value: format!("(labels dataset {:?})", labels.name()),
                reason: "this writer stores one label per row; call add(rows, labels), or build it with labels(false)",
            });
        }
        let n = self.accept_rows(rows.len())?;
        self.check_values(rows)?;
        self.route(rows, n, &[])
    }

    /// Write the buffered rows now. Afterwards the file on disk holds every
    /// row added so far. Only data is written, unless something else was
    /// staged in the file (then it is committed too).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wflush-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<i32>::builder(&path, &[1000, 2]).buf_size(500).create()?;
    /// w.add(&[5i32; 2 * 10], &[0i64; 10])?; // buffered
    /// w.flush()?;                           // on disk now: a crash keeps these 10 rows
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn flush(&mut self) -> Result<()> {
        self.write_pending()?;
        self.commit_progress()
    }

    /// Store the class names under the label-names key (`label_names`
    /// unless [`label_names_key`](DatasetWriterBuilder::label_names_key) set
    /// another), a 1-D dataset of variable-length UTF-8 strings (as h5py
    /// stores a list of `str`), and commit it at once.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wlabels-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::create(&path, &[2, 2])?;
    /// w.add(&[0.0f32; 4], &[0, 1])?;
    /// w.store_class_labels(&["background", "person"])?; // label i names class i
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn store_class_labels<S: AsRef<str>>(&mut self, names: &[S]) -> Result<()> {
        let file = self.file()?;
        // Checked before the dataset exists: a refused call adds nothing.
        crate::engine::ops::strings::check_nul(&self.label_names_key, names)?;
        if let Ok(old) = file.dataset(&self.label_names_key) {
            // A resumed stream, or a second call: equal names are kept,
            // others replace them.
            let same = old.read_strings().is_ok_and(|had| {
                had.len() == names.len() && had.iter().zip(names).all(|(a, b)| a == b.as_ref())
            });
            if same {
                return self.commit_progress();
            }
            file.engine().unlink(0, &self.label_names_key)?;
        }
        let ds = file
            .new_dataset::<VarLenUnicode>()
            .shape(&[names.len()])
            .create(&self.label_names_key)?;
        ds.write_strings(names)?;
        self.commit_progress()
    }

    /// Write the buffer, commit, and close the file.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wclose-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::create(&path, &[100, 2])?;
    /// w.add(&[0.0f32; 20], &[0i64; 10])?;
    /// w.close()?; // rows 10..100 stay 0 (the fill value)
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn close(mut self) -> Result<()> {
        self.write_pending()?;
        self.settle_progress()?;
        match self.file.take() {
            Some(f) if self.owns_file => f.close(),
            Some(f) => f.flush(),
            None => Err(Error::Closed {
                by: "DatasetWriter::close",
            }),
        }
    }
}

impl<T: Element> Drop for DatasetWriter<T> {
    fn drop(&mut self) {
        if self.file.is_some() {
            // Best effort; `close` reports errors.
            let _ = self.write_pending();
            let _ = self.settle_progress();
            if let Some(f) = self.file.take() {
                let _ = if self.owns_file { f.close() } else { f.flush() };
            }
        }
    }
}

impl<T: Element> std::fmt::Debug for DatasetWriter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatasetWriter")
            .field("data", &self.data)
            .field("rows", &self.len())
            .finish()
    }
}
