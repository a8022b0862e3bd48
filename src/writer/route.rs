//! Where an accepted call's rows and labels go: checking a call before
//! anything of it is accepted, then routing its rows (straight to their place
//! in the file, into the small-add buffer, or into the engine's chunks) and
//! its labels (collected, written every `buf_size` rows).
//!
//! Rows may be of another number type `U` than the dataset's `T`: every value
//! is checked first ([`DatasetWriter::check_values`]), then converted where
//! it lands (the buffer, or the dataset's own converting writes).

use super::DatasetWriter;
use crate::error::{Error, Result};
use crate::types::{convert, ConvertInto, Element};

impl<T: Element> DatasetWriter<T> {
    /// Adds of contiguous data whose rows make at least this many bytes
    /// (1 MiB) are written from the caller's slice to their final place in
    /// the file, one positional write, without a copy into the buffer; so
    /// are adds of a whole buffer (`buf_size` rows) or more. Smaller adds
    /// are buffered. Above 1 MiB the system call costs little next to the
    /// bytes moved, and the copy would cost as much as the write.
    ///
    /// ```
    /// assert_eq!(h5sink::DatasetWriter::<f32>::DIRECT_ADD_BYTES, 1 << 20);
    /// ```
    pub const DIRECT_ADD_BYTES: usize = 1 << 20;

    /// The number of rows in `values` values and `labels` labels, if the
    /// call fits: nothing is accepted otherwise.
    pub(super) fn accept(&self, values: usize, labels: usize) -> Result<usize> {
        // Rows of zero values: the labels count them.
        let n = self.whole_rows(values, labels)?;
        if labels != n {
            return Err(Error::LabelCount {
                rows: n as u64,
                labels,
            });
        }
        self.fits(n)
    }

    /// The number of rows in `values` values (without labels), if they fit.
    pub(super) fn accept_rows(&self, values: usize) -> Result<usize> {
        let n = self.whole_rows(values, 0)?;
        self.fits(n)
    }

    /// `values / row_len` if they are whole rows (`zero_len` for rows of
    /// zero values).
    fn whole_rows(&self, values: usize, zero_len: usize) -> Result<usize> {
        // After a failure, refuse even rows that would only be buffered.
        self.data.check_open()?;
        match values.checked_rem(self.row_len) {
            Some(0) => Ok(values / self.row_len),
            None if values == 0 => Ok(zero_len),
            _ => Err(self.partial_row(values)),
        }
    }

    /// `n` if `n` more rows fit in the dataset.
    fn fits(&self, n: usize) -> Result<usize> {
        let start = self.accepted;
        let end = start.saturating_add(n as u64);
        if !self.unlimited && end > self.data.rows() {
            return Err(Error::RowsOutOfRange {
                dataset: self.data.name().into(),
                start,
                end,
                rows: self.data.rows(),
            });
        }
        Ok(n)
    }

    /// The error for values that are not whole rows. An unlimited writer's
    /// builder dims are ONE row's shape: the error says so, naming them.
    fn partial_row(&self, values: usize) -> Error {
        if self.unlimited {
            let shape = self.data.shape();
            return Error::UnlimitedPartialRow {
                dataset: self.data.name().into(),
                values,
                row_len: self.row_len as u64,
                row_shape: shape.get(1..).unwrap_or_default().to_vec(),
            };
        }
        Error::PartialRow {
            dataset: self.data.name().into(),
            values,
            row_len: self.row_len as u64,
        }
    }

    /// Ok if every value of `rows` fits `T` (always, for `T` itself):
    /// nothing of a call is accepted otherwise.
    pub(super) fn check_values<U: ConvertInto<T>>(&self, rows: &[U]) -> Result<()> {
        if U::DATATYPE != T::DATATYPE {
            convert::prepare(rows, &T::DATATYPE, self.data.name())?;
        }
        Ok(())
    }

    /// Route `n` accepted rows and their labels (empty without labels).
    pub(super) fn route<U: ConvertInto<T>>(
        &mut self,
        rows: &[U],
        n: usize,
        labels: &[i64],
    ) -> Result<()> {
        if self.staged {
            return self.route_staged(rows, n, labels);
        }
        if n >= self.buf_rows || std::mem::size_of_val(rows) >= Self::DIRECT_ADD_BYTES {
            // Straight to the file; rows buffered before go first.
            self.write_row_buffer()?;
            self.data.write_rows(self.rows_written, rows)?;
            self.rows_written += n as u64;
        } else {
            let mut i = 0;
            while i < n {
                if self.buf.capacity() == 0 {
                    self.buf.reserve_exact(self.buf_rows * self.row_len);
                }
                let take = (self.buf_rows - self.buffered).min(n - i);
                U::extend_into(
                    &rows[i * self.row_len..(i + take) * self.row_len],
                    &mut self.buf,
                );
                self.buffered += take;
                i += take;
                if self.buffered == self.buf_rows {
                    self.write_row_buffer()?;
                }
            }
        }
        self.accepted += n as u64;
        if let Some(ds) = &self.labels {
            if self.label_buf.is_empty() && labels.len() >= self.buf_rows {
                ds.write_rows(self.labels_written, labels)?;
                self.labels_written += labels.len() as u64;
            } else {
                if self.label_buf.capacity() == 0 {
                    self.label_buf.reserve_exact(self.buf_rows);
                }
                self.label_buf.extend_from_slice(labels);
            }
        }
        self.pending += n;
        if self.pending >= self.buf_rows {
            self.write_pending()?;
        }
        Ok(())
    }

    /// Chunked or compact data: rows and labels go to the engine at once,
    /// and every `buf_size` rows a commit makes them part of the file; an
    /// add across the chunk row where a due commit waits is staged in two
    /// parts, the commit between them.
    fn route_staged<U: ConvertInto<T>>(
        &mut self,
        rows: &[U],
        n: usize,
        labels: &[i64],
    ) -> Result<()> {
        let k = self.rows_before_commit(n);
        if k < n {
            let (first, rest) = rows.split_at(k * self.row_len);
            let (first_labels, rest_labels) = labels.split_at(k.min(labels.len()));
            self.stage(first, k, first_labels)?;
            return self.stage(rest, n - k, rest_labels);
        }
        self.stage(rows, n, labels)
    }

    /// Stage `n` rows (and their labels) in the engine; commit if one is
    /// due.
    fn stage<U: ConvertInto<T>>(&mut self, rows: &[U], n: usize, labels: &[i64]) -> Result<()> {
        if self.unlimited {
            self.data.append_rows(rows)?;
            if let Some(ds) = &self.labels {
                ds.append_rows(labels)?;
            }
        } else {
            self.data.write_rows(self.rows_written, rows)?;
            if let Some(ds) = &self.labels {
                ds.write_rows(self.labels_written, labels)?;
            }
        }
        self.accepted += n as u64;
        self.rows_written += n as u64;
        if self.labels.is_some() {
            self.labels_written += n as u64;
        }
        self.uncommitted += n;
        let at_band_end = self.commit_band == 0 || self.rows_written % self.commit_band == 0;
        if self.uncommitted >= self.buf_rows && at_band_end {
            self.uncommitted = 0;
            self.commit_progress()?;
        }
        Ok(())
    }

    /// How many of the next `n` rows to stage before a commit: a commit is
    /// due once `buf_size` rows are staged and, with chunks no taller than
    /// the buffer (`commit_band` rows), waits for the end of the chunk row
    /// those rows end in, so that no chunk is committed part-filled only to
    /// be rewritten complete (its first copy kept for the reader grace
    /// period). `n` if no commit falls inside the add.
    fn rows_before_commit(&self, n: usize) -> usize {
        let band = self.commit_band;
        if band == 0 {
            return n;
        }
        let due = self.buf_rows.saturating_sub(self.uncommitted) as u64;
        let boundary = self
            .rows_written
            .checked_add(due)
            .and_then(|at| at.checked_add(band - 1))
            .map(|at| at / band * band);
        match boundary.map(|b| b - self.rows_written) {
            Some(k) if k > 0 && k < n as u64 => k as usize,
            _ => n,
        }
    }

    /// Write the buffered rows at their place.
    fn write_row_buffer(&mut self) -> Result<()> {
        if self.buffered == 0 {
            return Ok(());
        }
        self.data.write_rows(self.rows_written, &self.buf)?;
        self.rows_written += self.buffered as u64;
        self.buffered = 0;
        self.buf.clear();
        Ok(())
    }

    /// Write every buffered row and label, then record the progress and
    /// commit (durably if the file is durable): the file on disk then holds
    /// every row written, and says so.
    pub(super) fn write_pending(&mut self) -> Result<()> {
        if self.pending == 0 {
            return Ok(());
        }
        self.write_row_buffer()?;
        if let Some(ds) = &self.labels {
            if !self.label_buf.is_empty() {
                ds.write_rows(self.labels_written, &self.label_buf)?;
                self.labels_written += self.label_buf.len() as u64;
                self.label_buf.clear();
            }
        }
        self.pending = 0;
        // The rows are in place: record them and commit.
        self.commit_progress()
    }
}
