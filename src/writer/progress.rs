//! How much of a fixed-size stream is real. While a fixed-size writer's file
//! is incomplete, the data dataset carries the attribute
//! [`ROWS_WRITTEN_ATTR`]: the number of rows, from the first, that hold
//! data (as of the last commit). `resume` reads it; a stream that ends
//! complete removes it, so a finished file looks as if it had never been
//! there; a `close` with fewer rows than declared keeps it, so readers can
//! tell written rows from rows never written. Labels never written read as
//! [`UNWRITTEN_LABEL`], the labels dataset's fill value. Spec notes:
//! `spec-notes/open-rw.md`.

use super::DatasetWriter;
use crate::dataset::Dataset;
use crate::error::Result;
use crate::types::Element;

/// Name of the attribute on a fixed-size writer's data dataset that counts
/// the rows written, while the stream is incomplete (a `u64` scalar: rows
/// `0..n` hold data, rows from `n` on were never written).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let mem = h5sink::MemStorage::new();
/// let mut w = h5sink::DatasetWriter::<f32>::with_storage(mem.clone(), &[10, 2]).create()?;
/// w.add(&[1.0f32; 3 * 2], &[4, 5, 6])?;
/// w.close()?; // 3 of 10 rows: the record stays
/// let f = h5sink::File::open_storage(mem)?;
/// let images = f.dataset("images")?;
/// let rows = images.attr(h5sink::ROWS_WRITTEN_ATTR)?.read_raw::<u64>()?;
/// assert_eq!(rows, [3]);
/// let labels = f.dataset("labels")?.read_raw::<i64>()?;
/// assert_eq!(labels[..4], [4, 5, 6, h5sink::UNWRITTEN_LABEL]);
/// # Ok(()) }
/// ```
pub const ROWS_WRITTEN_ATTR: &str = "h5sink_rows_written";

/// The label of a row never written: the fill value of a writer's labels
/// dataset (class indexes are never negative).
///
/// ```
/// assert_eq!(h5sink::UNWRITTEN_LABEL, -1);
/// ```
pub const UNWRITTEN_LABEL: i64 = -1;

/// A new fixed-size stream: 0 rows written.
pub(super) fn start(data: &Dataset) -> Result<()> {
    data.new_attr_builder()
        .with_scalar(&0u64)
        .create(ROWS_WRITTEN_ATTR)?;
    Ok(())
}

/// The rows a stream recorded as written, if its record is there.
pub(super) fn recorded(data: &Dataset) -> Result<Option<u64>> {
    if !data.attr_names()?.iter().any(|n| n == ROWS_WRITTEN_ATTR) {
        return Ok(None);
    }
    let v = data.attr(ROWS_WRITTEN_ATTR)?.read_raw::<u64>()?;
    Ok(v.first().copied())
}

impl<T: Element> DatasetWriter<T> {
    /// Record the rows written so far (fixed-size streams), then commit.
    pub(super) fn commit_progress(&mut self) -> Result<()> {
        if self.declared.is_some() {
            self.data
                .attr(ROWS_WRITTEN_ATTR)?
                .write_scalar(&self.rows_written)?;
        }
        self.file()?.flush()
    }

    /// At `close`: a complete stream drops its record; an incomplete one
    /// keeps it, up to date.
    pub(super) fn settle_progress(&mut self) -> Result<()> {
        match self.declared {
            Some(rows) if self.rows_written >= rows => {
                self.data
                    .engine()
                    .remove_attr(self.data.id(), ROWS_WRITTEN_ATTR)?;
                Ok(())
            }
            Some(_) => self
                .data
                .attr(ROWS_WRITTEN_ATTR)?
                .write_scalar(&self.rows_written),
            None => Ok(()),
        }
    }
}
