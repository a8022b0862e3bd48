//! `DatasetWriterBuilder::create`: every option checked before the file
//! exists, then the file, the data and labels datasets, and a first commit.
//! [`Checked`] is shared with `resume`, which opens instead of creating.

use super::builder::{DatasetWriterBuilder, Target};
use super::DatasetWriter;
use crate::dataset::Dataset;
use crate::engine::spec::DatasetSpec;
use crate::error::{Error, Result};
use crate::file::File;
use crate::types::Element;

/// The options, checked: what `create` and `resume` need before any file
/// is touched.
pub(super) struct Checked {
    /// The data dataset's shape (rows first; 0 rows when unlimited).
    pub dims: Vec<u64>,
    /// Rows declared (the first dimension; 0 when unlimited).
    pub rows: u64,
    /// The data dataset `create` makes, and `resume` must find.
    pub spec: DatasetSpec,
    /// Rows go through the engine's chunks or compact data (not buffered).
    pub staged: bool,
}

/// The file a writer works in, and whether it closes it.
pub(super) struct Opened {
    pub file: File,
    pub owns: bool,
}

impl<T: Element> DatasetWriterBuilder<T> {
    /// Create the file and its datasets and commit them, so they exist on disk at once.
    /// A new path appears only then: a reader that finds it finds the datasets.
    ///
    /// Every option is checked first: a bad one is an error and no file is
    /// left behind. Refuses an existing path with
    /// [`Error::Exists`](crate::Error::Exists). The labels dataset's fill
    /// value is -1, so labels never written read as -1, not as class 0.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wbcreate-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let w = h5sink::DatasetWriter::<f32>::builder(&path, &[8, 4]).create()?;
    /// w.close()?;
    /// let again = h5sink::DatasetWriter::<f32>::builder(&path, &[8, 4]).create();
    /// assert!(matches!(again, Err(h5sink::Error::Exists { .. })));
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn create(mut self) -> Result<DatasetWriter<T>> {
        let c = self.check()?;
        let target = std::mem::replace(&mut self.target, Target::Path(Default::default()));
        let (opened, staged) = match target {
            Target::Path(path) => {
                // Named only once its datasets are committed (see `File::create`).
                let (file, staged) = File::create_staged(&path)?;
                file.set_reader_grace(File::DEFAULT_READER_GRACE);
                (Opened { file, owns: true }, Some(staged))
            }
            Target::Storage(storage) => (
                Opened {
                    file: File::with_boxed_storage(storage)?,
                    owns: true,
                },
                None,
            ),
            Target::File(file) => (Opened { file, owns: false }, None),
        };
        if self.durable {
            opened.file.set_durable(true);
        }
        if let Some(grace) = self.reader_grace {
            opened.file.set_reader_grace(grace);
        }
        let made = self.make(&opened.file, &c).and_then(|made| match &staged {
            Some(staged) => staged.publish(&opened.file).map(|()| made),
            None => Ok(made),
        });
        let (data, labels) = match made {
            Ok(v) => v,
            Err(e) => {
                if opened.owns {
                    drop(opened);
                    if let Some(staged) = staged {
                        staged.abandon();
                    }
                }
                return Err(e);
            }
        };
        self.finish(opened, data, labels, &c, 0)
    }

    /// Check every option; nothing is touched.
    pub(super) fn check(&mut self) -> Result<Checked> {
        let dims = self.dims.clone().map_err(|reason| Error::BadShape {
            dataset: self.data_key.clone(),
            reason,
        })?;
        // Unlimited: the dims are one row's; the dataset starts with 0 rows.
        let dims: Vec<u64> = if self.unlimited {
            std::iter::once(0).chain(dims).collect()
        } else {
            dims
        };
        let Some(&rows) = dims.first() else {
            return Err(Error::BadShape {
                dataset: self.data_key.clone(),
                reason: "a DatasetWriter needs at least one dimension (the rows)".into(),
            });
        };
        if self.buf_size == 0 {
            return Err(Error::InvalidArgument {
                what: "buf_size",
                value: "0".into(),
                reason: "the buffer must hold at least one row",
            });
        }
        super::options::check_keys(
            &self.data_key,
            self.labels_key.as_deref(),
            &self.label_names_key,
        )?;
        if dims.len() > crate::MAX_RANK {
            return Err(Error::RankTooHigh {
                rank: dims.len(),
                max: crate::MAX_RANK,
            });
        }
        self.opts.set_shape(&dims);
        if self.unlimited {
            self.opts.set_resizable();
        }
        let staged = self.opts.chunked() || self.opts.compact;
        let spec = self.opts.clone().spec(T::DATATYPE, &self.data_key)?;
        Ok(Checked {
            dims,
            rows,
            spec,
            staged,
        })
    }

    /// The data and labels datasets in `file`, and the first commit. A
    /// fixed-size stream records its progress from the start (0 rows).
    fn make(&self, file: &File, c: &Checked) -> Result<(Dataset, Option<Dataset>)> {
        let (id, data_path) = file
            .engine()
            .create_dataset(0, &self.data_key, c.spec.clone())?;
        let data = Dataset::new(file.engine().clone(), id, data_path, T::DATATYPE);
        let labels = match &self.labels_key {
            Some(key) => {
                let mut labels = file
                    .new_dataset::<i64>()
                    .shape(&[c.rows])
                    .fill_value(super::progress::UNWRITTEN_LABEL);
                if self.unlimited {
                    labels = labels.resizable();
                }
                Some(labels.create(key)?)
            }
            None => None,
        };
        if !self.unlimited {
            super::progress::start(&data)?;
        }
        file.flush()?;
        Ok((data, labels))
    }

    /// The writer over `data` and `labels` in `opened`, `done` rows already
    /// in the file.
    pub(super) fn finish(
        self,
        opened: Opened,
        data: Dataset,
        labels: Option<Dataset>,
        c: &Checked,
        done: u64,
    ) -> Result<DatasetWriter<T>> {
        let row_len = usize::try_from(data.row_len()).map_err(|_| Error::ShapeOverflow {
            shape: c.dims.clone(),
            element_size: u64::from(T::DATATYPE.element_size()),
        })?;
        // Never buffer more rows than the dataset holds.
        let cap = if self.unlimited {
            usize::MAX
        } else {
            usize::try_from(c.rows).unwrap_or(usize::MAX)
        };
        let buf_rows = self.buf_size.min(cap).max(1);
        if let Some(grace) = self.reader_grace {
            opened.file.set_reader_grace(grace);
        }
        let commit_band = match data.chunk().as_deref() {
            Some([height, ..]) if c.staged && *height <= buf_rows as u64 => *height,
            _ => 0,
        };
        Ok(DatasetWriter {
            file: Some(opened.file),
            owns_file: opened.owns,
            declared: (!self.unlimited).then_some(c.rows),
            data,
            labels,
            label_names_key: self.label_names_key,
            row_len,
            buf_rows,
            buf: Vec::new(),
            buffered: 0,
            label_buf: Vec::new(),
            accepted: done,
            rows_written: done,
            labels_written: done,
            pending: 0,
            unlimited: self.unlimited,
            uncommitted: 0,
            commit_band,
            staged: c.staged,
        })
    }
}
