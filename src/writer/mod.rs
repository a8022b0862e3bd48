//! `DatasetWriter`: the buffered row writer of the `HDF5DatasetWriter`
//! tutorial pattern (data rows plus one integer label per row).

use crate::dataset::Dataset;

mod builder;
use crate::error::{Error, Result};
use crate::file::File;
use crate::types::{convert, ConvertInto, Element, VarLenUnicode};
pub use builder::DatasetWriterBuilder;

/// Name of the labels dataset.
///
/// Its element type is `i64`, one label per row, as in the tutorial.
pub const LABELS_KEY: &str = "labels";
/// Name of the class-names dataset written by [`DatasetWriter::store_class_labels`].
///
/// Stored as variable-length UTF-8 strings, h5py's `str` dtype.
pub const LABEL_NAMES_KEY: &str = "label_names";

/// Streams rows of `T` and their `i64` labels into a new HDF5 file.
///
/// Creates `<data_key>` (default `images`) with the given dimensions and
/// `labels` (`i64`, one per row). Rows are collected in a buffer of
/// `buf_size` rows (default 1000) and each full buffer goes to the file in one
/// positional write per dataset. Chunked data (with `unlimited`, `chunk`,
/// `deflate` or `shuffle`) needs no buffer of its own: rows go straight into
/// the chunks being filled (at most one band of chunks in memory), full
/// chunks are compressed on all cores and written, and every `buf_size` rows
/// (and at each `flush`) a commit makes them part of the file. After [`create`](DatasetWriterBuilder::create),
/// [`flush`](Self::flush) and [`close`](Self::close) the file on disk is valid
/// HDF5 holding every flushed row, so a crash loses at most the buffer.
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
    pub(crate) data: Dataset,
    pub(crate) labels: Dataset,
    pub(crate) row_len: usize,
    pub(crate) buf_rows: usize,
    pub(crate) buf: Vec<T>,
    pub(crate) label_buf: Vec<i64>,
    /// Rows already written to the file.
    pub(crate) written: u64,
    /// Rows are appended (the data has an unlimited first dimension).
    pub(crate) unlimited: bool,
    /// Rows added to chunked data since the last commit.
    pub(crate) uncommitted: usize,
    /// The data is chunked: rows go into its chunks at once.
    pub(crate) chunked: bool,
}

impl<T: Element> DatasetWriter<T> {
    /// Rows accepted so far (written or buffered).
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
        self.written + self.label_buf.len() as u64
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

    /// Add rows (flat, row-major) and one label per row. Full buffers are
    /// written as they fill; whole buffers' worth of rows arriving while the
    /// buffer is empty are written straight from `rows`, without a copy.
    /// Past the dataset's last row nothing of the call is accepted.
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
        // After a failure, refuse even rows that would only be buffered.
        self.data.check_open()?;
        let n = if self.row_len == 0 {
            if !rows.is_empty() {
                return Err(Error::PartialRow {
                    dataset: self.data.name().into(),
                    values: rows.len(),
                    row_len: 0,
                });
            }
            labels.len()
        } else {
            if rows.len() % self.row_len != 0 {
                return Err(Error::PartialRow {
                    dataset: self.data.name().into(),
                    values: rows.len(),
                    row_len: self.row_len as u64,
                });
            }
            rows.len() / self.row_len
        };
        if labels.len() != n {
            return Err(Error::LabelCount {
                rows: n as u64,
                labels: labels.len(),
            });
        }
        let start = self.len();
        let end = start.saturating_add(n as u64);
        if !self.unlimited && end > self.data.rows() {
            return Err(Error::RowsOutOfRange {
                dataset: self.data.name().into(),
                start,
                end,
                rows: self.data.rows(),
            });
        }
        if U::DATATYPE != T::DATATYPE {
            // Every value checked before anything is accepted.
            convert::prepare(rows, &T::DATATYPE, self.data.name())?;
        }
        if self.chunked {
            // The chunks are the buffer: rows go into them at once (one
            // copy), full chunks are compressed and written as they fill, and
            // every `buf_size` rows a commit makes them part of the file.
            self.write(rows, labels)?;
            self.uncommitted += n;
            if self.uncommitted >= self.buf_rows {
                self.uncommitted = 0;
                self.file()?.flush()?;
            }
            return Ok(());
        }
        let mut i = 0;
        while i < n {
            let buffered = self.label_buf.len();
            if buffered == 0 && n - i >= self.buf_rows {
                let take = (n - i) / self.buf_rows * self.buf_rows;
                self.write(
                    &rows[i * self.row_len..(i + take) * self.row_len],
                    &labels[i..i + take],
                )?;
                self.synced()?;
                i += take;
            } else {
                let take = (self.buf_rows - buffered).min(n - i);
                if self.label_buf.capacity() == 0 {
                    self.buf.reserve_exact(self.buf_rows * self.row_len);
                    self.label_buf.reserve_exact(self.buf_rows);
                }
                U::extend_into(
                    &rows[i * self.row_len..(i + take) * self.row_len],
                    &mut self.buf,
                );
                self.label_buf.extend_from_slice(&labels[i..i + take]);
                i += take;
                if self.label_buf.len() == self.buf_rows {
                    self.flush_buffer()?;
                }
            }
        }
        Ok(())
    }

    /// Write rows and labels at the next free row: one write per dataset.
    fn write<U: Element>(&mut self, rows: &[U], labels: &[i64]) -> Result<()> {
        let at = self.written;
        if self.unlimited {
            self.data.append_rows(rows)?;
            self.labels.append_rows(labels)?;
        } else {
            self.data.write_rows(at, rows)?;
            self.labels.write_rows(at, labels)?;
        }
        self.written += labels.len() as u64;
        Ok(())
    }

    fn flush_buffer(&mut self) -> Result<()> {
        if self.label_buf.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.buf);
        let labels = std::mem::take(&mut self.label_buf);
        let r = self.write(&rows, &labels);
        self.buf = rows;
        self.label_buf = labels;
        if r.is_ok() {
            self.buf.clear();
            self.label_buf.clear();
        }
        r?;
        self.synced()
    }

    /// After rows went to the file without a commit: with durable commits
    /// ([`DatasetWriterBuilder::durable`]), make them durable too.
    fn synced(&self) -> Result<()> {
        let file = self.file()?;
        if file.is_durable() {
            file.sync()?;
        }
        Ok(())
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
        self.flush_buffer()?;
        self.file()?.flush()
    }

    /// Store the class names as `label_names`, a 1-D dataset of
    /// variable-length UTF-8 strings (as h5py stores a list of `str`), and
    /// commit it at once.
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
        let ds = file
            .new_dataset::<VarLenUnicode>()
            .shape(&[names.len()])
            .create(LABEL_NAMES_KEY)?;
        ds.write_strings(names)?;
        file.flush()
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
        self.flush_buffer()?;
        match self.file.take() {
            Some(f) => f.close(),
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
            let _ = self.flush_buffer();
            if let Some(f) = self.file.take() {
                let _ = f.close();
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
