//! `DatasetWriterBuilder`: the options of a [`DatasetWriter`].

use std::marker::PhantomData;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::file::File;
use crate::types::{Dim, Element};
use crate::writer::{DatasetWriter, LABELS_KEY};

/// Options for a [`DatasetWriter`].
#[must_use = "a builder does nothing until create() is called"]
pub struct DatasetWriterBuilder<T> {
    path: PathBuf,
    dims: std::result::Result<Vec<u64>, String>,
    data_key: String,
    buf_size: usize,
    unlimited: bool,
    chunk: Option<Vec<u64>>,
    deflate: Option<u8>,
    shuffle: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T: Element> DatasetWriterBuilder<T> {
    pub(crate) fn new(path: PathBuf, dims: std::result::Result<Vec<u64>, String>) -> Self {
        DatasetWriterBuilder {
            path,
            dims,
            data_key: "images".into(),
            buf_size: 1000,
            unlimited: false,
            chunk: None,
            deflate: None,
            shuffle: false,
            _t: PhantomData,
        }
    }

    /// Unknown row count: the dimensions given are those of ONE row; `add`
    /// appends, `labels` grows with the data, and every flush commits the
    /// new row count (chunked datasets with an unlimited first dimension).
    pub fn unlimited(mut self) -> Self {
        self.unlimited = true;
        self
    }

    /// Chunk shape of the data dataset (all its dimensions, rows first);
    /// default: h5py's guess when chunking is needed.
    pub fn chunk<D: Dim>(mut self, dims: &[D]) -> Self {
        self.chunk = crate::types::parse_dims(dims).ok();
        self
    }

    /// Compress the data chunks with deflate at `level` (0 to 9).
    pub fn deflate(mut self, level: u8) -> Self {
        self.deflate = Some(level);
        self
    }

    /// Shuffle the bytes of the data chunks before compression.
    pub fn shuffle(mut self) -> Self {
        self.shuffle = true;
        self
    }

    /// Name of the data dataset (default `images`).
    pub fn data_key(mut self, key: &str) -> Self {
        self.data_key = key.to_owned();
        self
    }

    /// Rows held in memory before they are written (default 1000).
    pub fn buf_size(mut self, rows: usize) -> Self {
        self.buf_size = rows;
        self
    }

    /// Create the file and its datasets and commit them, so they exist on disk at once.
    pub fn create(self) -> Result<DatasetWriter<T>> {
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
        crate::model::validate_name(&self.data_key)?;
        if self.data_key == LABELS_KEY {
            return Err(Error::InvalidArgument {
                what: "data_key",
                value: format!("{LABELS_KEY:?}"),
                reason: "the writer stores the labels under that name; choose another data key",
            });
        }
        if dims.len() > crate::MAX_RANK {
            return Err(Error::RankTooHigh {
                rank: dims.len(),
                max: crate::MAX_RANK,
            });
        }
        let file = File::create(&self.path)?;
        let made = (|| {
            let mut data = file.new_dataset::<T>().shape(&dims);
            let mut labels = file.new_dataset::<i64>().shape(&[rows]);
            if self.unlimited {
                data = data.resizable();
                labels = labels.resizable();
            }
            if let Some(c) = &self.chunk {
                data = data.chunk(c);
            }
            if self.shuffle {
                data = data.shuffle();
            }
            if let Some(level) = self.deflate {
                data = data.deflate(level);
            }
            let data = data.create(&self.data_key)?;
            let labels = labels.create(LABELS_KEY)?;
            file.flush()?;
            Ok::<_, Error>((data, labels))
        })();
        let (data, labels) = match made {
            Ok(v) => v,
            Err(e) => {
                drop(file);
                let _ = std::fs::remove_file(&self.path);
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
            row_len,
            buf_rows,
            buf: Vec::new(),
            label_buf: Vec::new(),
            written: 0,
            unlimited: self.unlimited,
            uncommitted: 0,
        })
    }
}
