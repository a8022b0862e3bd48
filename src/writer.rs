//! `DatasetWriter`: the buffered row writer of the `HDF5DatasetWriter`
//! tutorial pattern (data rows plus one integer label per row).

use std::path::Path;

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::file::File;
use crate::types::{Dim, Element, VarLenUnicode};
pub use crate::writer_builder::DatasetWriterBuilder;

/// Name of the labels dataset.
pub const LABELS_KEY: &str = "labels";
/// Name of the class-names dataset written by [`DatasetWriter::store_class_labels`].
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
/// ```no_run
/// # fn main() -> h5sink::Result<()> {
/// let mut w = h5sink::DatasetWriter::<f32>::builder("feat.h5", &[2000, 25088])
///     .data_key("features")
///     .buf_size(1000)
///     .create()?;
/// let rows = vec![0.5f32; 32 * 25088];
/// let labels = vec![3i64; 32];
/// w.add(&rows, &labels)?;
/// w.store_class_labels(&["cat", "dog"])?;
/// w.close()?;
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
}

impl<T: Element> DatasetWriter<T> {
    /// A writer with data key `images` and a buffer of 1000 rows.
    pub fn create<D: Dim>(path: impl AsRef<Path>, dims: &[D]) -> Result<Self> {
        Self::builder(path, dims).create()
    }

    /// Options: data key and buffer size.
    pub fn builder<D: Dim>(path: impl AsRef<Path>, dims: &[D]) -> DatasetWriterBuilder<T> {
        DatasetWriterBuilder::new(path.as_ref().to_path_buf(), crate::types::parse_dims(dims))
    }

    /// Rows accepted so far (written or buffered).
    pub fn len(&self) -> u64 {
        self.written + self.label_buf.len() as u64
    }

    /// Whether no row was accepted yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The underlying file, e.g. to add groups or datasets beside the stream.
    pub fn file(&self) -> Result<&File> {
        self.file.as_ref().ok_or(Error::Closed)
    }

    /// Add rows (flat, row-major) and one label per row. Full buffers are
    /// written as they fill; whole buffers' worth of rows arriving while the
    /// buffer is empty are written straight from `rows`, without a copy.
    /// Past the dataset's last row nothing of the call is accepted.
    pub fn add(&mut self, rows: &[T], labels: &[i64]) -> Result<()> {
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
        if self.data.chunked {
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
                i += take;
            } else {
                let take = (self.buf_rows - buffered).min(n - i);
                if self.label_buf.capacity() == 0 {
                    self.buf.reserve_exact(self.buf_rows * self.row_len);
                    self.label_buf.reserve_exact(self.buf_rows);
                }
                self.buf
                    .extend_from_slice(&rows[i * self.row_len..(i + take) * self.row_len]);
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
    fn write(&mut self, rows: &[T], labels: &[i64]) -> Result<()> {
        let at = usize::try_from(self.written).map_err(|_| Error::InvalidArgument {
            what: "row index",
            value: self.written.to_string(),
            reason: "does not fit this platform's usize",
        })?;
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
        r
    }

    /// Write the buffered rows now. Afterwards the file on disk holds every
    /// row added so far. Only data is written, unless something else was
    /// staged in the file (then it is committed too).
    pub fn flush(&mut self) -> Result<()> {
        self.flush_buffer()?;
        self.file()?.flush()
    }

    /// Store the class names as `label_names`, a 1-D dataset of
    /// variable-length UTF-8 strings (as h5py stores a list of `str`), and
    /// commit it at once.
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
    pub fn close(mut self) -> Result<()> {
        self.flush_buffer()?;
        match self.file.take() {
            Some(f) => f.close(),
            None => Err(Error::Closed),
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
