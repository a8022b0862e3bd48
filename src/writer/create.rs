//! `DatasetWriterBuilder::create`: every option checked before the file
//! exists, then the file, the data and labels datasets, and a first commit.

use super::builder::{DatasetWriterBuilder, Target};
use super::DatasetWriter;
use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::file::File;
use crate::types::Element;

impl<T: Element> DatasetWriterBuilder<T> {
    /// Create the file and its datasets and commit them, so they exist on disk at once.
    ///
    /// Every option is checked first: a bad one is an error and no file is
    /// left behind. Refuses an existing path with
    /// [`Error::Exists`](crate::Error::Exists).
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
        let dims = self.dims.map_err(|reason| Error::BadShape {
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
                dataset: self.data_key,
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
        // Every option is checked before the file exists.
        self.opts.set_shape(&dims);
        if self.unlimited {
            self.opts.set_resizable();
        }
        let staged = self.opts.chunked() || self.opts.compact;
        let spec = self.opts.spec(T::DATATYPE, &self.data_key)?;
        let (file, path) = match self.target {
            Target::Path(path) => (File::create(&path)?, Some(path)),
            Target::Storage(storage) => (File::with_boxed_storage(storage)?, None),
        };
        file.set_durable(self.durable);
        let made = (|| {
            let (id, data_path) = file.engine().create_dataset(0, &self.data_key, spec)?;
            let data = Dataset::new(file.engine().clone(), id, data_path, T::DATATYPE);
            let labels = match &self.labels_key {
                Some(key) => {
                    let mut labels = file.new_dataset::<i64>().shape(&[rows]);
                    if self.unlimited {
                        labels = labels.resizable();
                    }
                    Some(labels.create(key)?)
                }
                None => None,
            };
            file.flush()?;
            Ok::<_, Error>((data, labels))
        })();
        let (data, labels) = match made {
            Ok(v) => v,
            Err(e) => {
                drop(file);
                if let Some(path) = path {
                    let _ = std::fs::remove_file(path);
                }
                return Err(e);
            }
        };
        let row_len = usize::try_from(data.row_len()).map_err(|_| Error::ShapeOverflow {
            shape: dims.clone(),
            element_size: u64::from(T::DATATYPE.element_size()),
        })?;
        // Never buffer more rows than the dataset holds.
        let cap = if self.unlimited {
            usize::MAX
        } else {
            usize::try_from(rows).unwrap_or(usize::MAX)
        };
        let buf_rows = self.buf_size.min(cap).max(1);
        Ok(DatasetWriter {
            file: Some(file),
            data,
            labels,
            label_names_key: self.label_names_key,
            row_len,
            buf_rows,
            buf: Vec::new(),
            buffered: 0,
            label_buf: Vec::new(),
            accepted: 0,
            rows_written: 0,
            labels_written: 0,
            pending: 0,
            unlimited: self.unlimited,
            uncommitted: 0,
            staged,
        })
    }
}
