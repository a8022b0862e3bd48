//! `DatasetWriterBuilder::resume`: carry on a stream in a file a writer
//! made before (complete, or interrupted at any moment, `kill -9` included).

use super::builder::{DatasetWriterBuilder, Target};
use super::create::Opened;
use super::{progress, DatasetWriter};
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::file::File;
use crate::types::{Element, H5Type};

impl<T: Element> DatasetWriterBuilder<T> {
    /// Open the file a `DatasetWriter` wrote with the same options and
    /// carry on after its last committed row: [`DatasetWriter::len`] then
    /// says how many rows the file holds, so the caller skips that many
    /// inputs. Works for fixed-size and [`unlimited`](Self::unlimited)
    /// writers, compressed or not; `add`, `flush`, `store_class_labels`
    /// (equal names are kept, others replace them) and `close` work as
    /// after [`create`](Self::create), and the file a resumed stream closes
    /// holds what an uninterrupted one would have written.
    ///
    /// The data key, element type, row shape, layout, chunk shape, filters
    /// and fill value must match the file's: a difference is
    /// [`Error::ResumeMismatch`] naming it; a missing dataset is
    /// [`Error::NotFound`]. Nothing is written until the first change.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-resume-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let rows: Vec<[f32; 4]> = (0..10).map(|i| [i as f32; 4]).collect();
    /// let labels: Vec<i64> = (0..10).map(|i| i % 3).collect();
    ///
    /// // A first run writes 6 rows, then stops (a crash would keep what was flushed).
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[10, 4]).buf_size(3).create()?;
    /// for i in 0..6 {
    ///     w.add(&rows[i], &labels[i..i + 1])?;
    /// }
    /// w.close()?;
    ///
    /// // The next run resumes and skips what the file already holds.
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[10, 4]).buf_size(3).resume()?;
    /// let done = w.len() as usize;
    /// assert_eq!(done, 6);
    /// for i in done..10 {
    ///     w.add(&rows[i], &labels[i..i + 1])?;
    /// }
    /// w.close()?;
    ///
    /// let f = h5sink::File::open(&path)?;
    /// assert_eq!(f.dataset("labels")?.read_raw::<i64>()?, labels);
    /// assert!(f.dataset("images")?.attr_names()?.is_empty()); // complete: no progress record
    /// # drop(f);
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn resume(mut self) -> Result<DatasetWriter<T>> {
        let c = self.check()?;
        let target = std::mem::replace(&mut self.target, Target::Path(Default::default()));
        let opened = match target {
            Target::Path(path) => Opened {
                file: File::open_rw(&path)?,
                owns: true,
            },
            Target::Storage(storage) => Opened {
                file: File::open_rw_boxed(storage)?,
                owns: true,
            },
            Target::File(file) => Opened { file, owns: false },
        };
        let data = opened.file.dataset(&self.data_key)?;
        let engine = opened.file.engine().clone();
        if let Some((what, file, writer)) =
            engine.compare_spec(data.id(), &c.spec, self.unlimited)?
        {
            return Err(Error::ResumeMismatch {
                dataset: data.name().into(),
                what,
                file,
                writer,
            });
        }
        let labels = match &self.labels_key {
            Some(key) => Some(self.labels_in(&opened.file, key, &data, c.rows)?),
            None => None,
        };
        let record = if self.unlimited {
            None
        } else {
            progress::recorded(&data)?
        };
        let done = if self.unlimited {
            data.rows()
        } else {
            match record {
                Some(n) if n <= c.rows => n,
                Some(n) => {
                    return Err(Error::Malformed {
                        structure: "progress record",
                        offset: 0,
                        reason: format!(
                            "{} says {n} rows were written, but {:?} has {} rows",
                            progress::ROWS_WRITTEN_ATTR,
                            data.name(),
                            c.rows
                        ),
                    })
                }
                None => c.rows,
            }
        };
        // Chunks the stream left partly written are completed, not sealed.
        engine.reopen_rows(data.id(), done)?;
        if self.durable {
            opened.file.set_durable(true);
        }
        let mut w = self.finish(opened, data, labels, &c, done)?;
        if record.is_none() {
            // Complete (or unlimited): there is no record to keep up to
            // date. A record saying the stream is complete is removed at
            // `close` (the stream stopped before its close committed).
            w.declared = None;
        }
        Ok(w)
    }

    /// The labels dataset of a resumed stream: i64, as many rows as the
    /// data (fixed), or resizable with as many rows (unlimited).
    fn labels_in(&self, file: &File, key: &str, data: &Dataset, rows: u64) -> Result<Dataset> {
        let labels = file.dataset(key)?;
        let mismatch = |what, file: String, writer: String| Error::ResumeMismatch {
            dataset: labels.name().into(),
            what,
            file,
            writer,
        };
        if labels.dtype() != Some(i64::DATATYPE) {
            return Err(mismatch(
                "element type",
                labels.dtype_description(),
                i64::DATATYPE.describe(),
            ));
        }
        let want = if self.unlimited { data.rows() } else { rows };
        if labels.shape() != [want] {
            return Err(mismatch(
                "shape",
                format!("{:?}", labels.shape()),
                format!("[{want}]"),
            ));
        }
        if self.unlimited {
            labels.engine().reopen_rows(labels.id(), want)?;
        }
        Ok(labels)
    }
}
