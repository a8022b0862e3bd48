//! `Dataset`: writing rows, whole arrays and strings.

use std::sync::Arc;

use crate::attr::AttributeBuilder;
use crate::attr_builder::AttrBuilder;
use crate::error::{Error, Result};
use crate::format::datatype::Datatype;
use crate::model::{NodeId, NodeKind, Tree};
use crate::shared::Shared;
use crate::types::{datatype_name, Element, H5Type};

/// A dataset in a file being written. Cheap to clone; clones share the file.
///
/// Rows go straight to the dataset's data block with positional writes, so
/// handles can be used from several threads for disjoint rows.
///
/// Made by [`DatasetBuilder::create`](crate::DatasetBuilder::create) or opened
/// with [`Group::dataset`](crate::Group::dataset).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<f32>().shape(&[100, 3]).create("points")?;
/// std::thread::scope(|s| {
///     for t in 0..4usize {
///         let ds = ds.clone();
///         // Each thread writes its own 25 rows.
///         s.spawn(move || ds.write_rows(t * 25, &vec![t as f32; 25 * 3]));
///     }
/// });
/// assert_eq!((ds.rows(), ds.row_len()), (100, 3));
/// file.close()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Dataset {
    shared: Arc<Shared>,
    id: NodeId,
    path: String,
    dtype: Datatype,
    shape: Vec<u64>,
    /// Start of the data block (numeric datasets; fixed for their lifetime).
    address: u64,
    /// Data kept in the object header, written at the next commit.
    pub(crate) compact: bool,
    /// Small enough to stage in memory until its first commit.
    small: bool,
    /// Chunked storage: writes go through the chunk cache, the shape can grow.
    pub(crate) chunked: bool,
}

impl std::fmt::Debug for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dataset")
            .field("path", &self.path)
            .field("dtype", &datatype_name(&self.dtype))
            .field("shape", &self.shape)
            .finish()
    }
}

impl Dataset {
    /// A handle to dataset node `id`, if it is one.
    pub(crate) fn open(shared: &Arc<Shared>, tree: &Tree, id: NodeId) -> Option<Dataset> {
        let node = tree.node(id)?;
        match &node.kind {
            NodeKind::Dataset(d) => Some(Dataset {
                shared: shared.clone(),
                id,
                path: node.path.clone(),
                dtype: d.dtype,
                shape: d.shape.clone(),
                address: d.address,
                compact: d.compact.is_some(),
                small: d.compact.is_none()
                    && d.chunked.is_none()
                    && d.size > 0
                    && d.size <= crate::shared::STAGE_LIMIT,
                chunked: d.chunked.is_some(),
            }),
            NodeKind::Group(_) => None,
        }
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Start describing an attribute of type `T` on this dataset.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[4]).create("x")?;
    /// ds.new_attr::<f64>().shape(&[2]).create("range")?.write(&[0.5, 2.5])?;
    /// assert!(matches!(ds.new_attr::<u8>().create("range"), Err(h5sink::Error::DuplicateName { .. })));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn new_attr<T: H5Type>(&self) -> AttributeBuilder<T> {
        AttributeBuilder::new(self.shared.clone(), self.id, self.path.clone())
    }

    /// Describe an attribute by its value, in one call:
    /// `ds.new_attr_builder().with_data(&[1i32, 2, 3]).create("ids")`.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[3]).create("x")?;
    /// assert_eq!(ds.new_attr_builder().with_data(&[7i32, 8, 9]).create("ids")?.shape(), [3]);
    /// assert!(file.into_bytes()?.windows(12).any(|w| w == [7, 0, 0, 0, 8, 0, 0, 0, 9, 0, 0, 0]));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn new_attr_builder(&self) -> AttrBuilder {
        AttrBuilder::new(self.shared.clone(), self.id, self.path.clone())
    }

    /// Ok while the file accepts work (not closed, no earlier failure).
    pub(crate) fn check_open(&self) -> Result<()> {
        self.shared.check()
    }

    /// The dataset's path from the root, e.g. `/features`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().create("meta/flag")?;
    /// assert_eq!(ds.name(), "/meta/flag");
    /// # Ok(()) }
    /// ```
    pub fn name(&self) -> &str {
        &self.path
    }

    /// The dimensions (empty for a scalar).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert_eq!(file.new_dataset::<f64>().shape(&[4, 0, 2]).create("a")?.shape(), [4, 0, 2]);
    /// assert!(file.new_dataset::<f64>().create("scalar")?.shape().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn shape(&self) -> Vec<u64> {
        if self.chunked {
            // A chunked dataset can be resized through any handle.
            let st = self.shared.lock();
            if let Some(d) = st.tree.dataset(self.id) {
                return d.shape.clone();
            }
        }
        self.shape.clone()
    }

    /// Number of rows (the first dimension; 1 for a scalar).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert_eq!(file.new_dataset::<i8>().shape(&[7, 2]).create("a")?.rows(), 7);
    /// assert_eq!(file.new_dataset::<i8>().create("s")?.rows(), 1);
    /// # Ok(()) }
    /// ```
    pub fn rows(&self) -> u64 {
        self.shape().first().copied().unwrap_or(1)
    }

    /// Values per row: the product of all dimensions but the first.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let images = file.new_dataset::<u8>().shape(&[10, 32, 32, 3]).create("images")?;
    /// assert_eq!(images.row_len(), 32 * 32 * 3);
    /// # Ok(()) }
    /// ```
    pub fn row_len(&self) -> u64 {
        self.shape.iter().skip(1).product()
    }

    pub(crate) fn id(&self) -> NodeId {
        self.id
    }

    pub(crate) fn type_error<T: H5Type>(&self) -> Result<()> {
        self.check_type::<T>()
    }

    /// Rows `values` elements make from `start` on, checked against `shape`:
    /// whole rows only, and within the first dimension.
    pub(crate) fn row_span(&self, shape: &[u64], start: u64, values: usize) -> Result<u64> {
        let row_len: u64 = shape.iter().skip(1).product();
        let n = match (values as u64).checked_rem(row_len) {
            Some(0) => values as u64 / row_len,
            None if values == 0 => 0,
            _ => {
                return Err(Error::PartialRow {
                    dataset: self.path.clone(),
                    values,
                    row_len,
                })
            }
        };
        let end = start.saturating_add(n);
        let rows = shape.first().copied().unwrap_or(1);
        if end > rows {
            return Err(Error::RowsOutOfRange {
                dataset: self.path.clone(),
                start,
                end,
                rows,
            });
        }
        Ok(n)
    }

    fn check_type<T: H5Type>(&self) -> Result<()> {
        if T::DATATYPE == self.dtype {
            Ok(())
        } else {
            Err(Error::TypeMismatch {
                dataset: self.path.clone(),
                expected: datatype_name(&self.dtype),
                got: datatype_name(&T::DATATYPE),
            })
        }
    }

    /// Write whole rows starting at row `start_row`. `rows` is row-major and
    /// must hold a whole number of rows; rows past the end are an error and
    /// nothing of the call is written.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<i32>().shape(&[4, 2]).create("x")?;
    /// ds.write_rows(0, &[1, 2])?;          // row 0
    /// ds.write_rows(2, &[5, 6, 7, 8])?;    // rows 2 and 3; row 1 stays 0
    /// assert!(matches!(ds.write_rows(3, &[1, 2, 3, 4]), Err(h5sink::Error::RowsOutOfRange { .. })));
    /// assert!(matches!(ds.write_rows(0, &[1, 2, 3]), Err(h5sink::Error::PartialRow { .. })));
    /// assert!(matches!(ds.write_rows(0, &[1.0f32, 2.0]), Err(h5sink::Error::TypeMismatch { .. })));
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_rows<T: Element>(&self, start_row: usize, rows: &[T]) -> Result<()> {
        if self.chunked {
            return self.write_rows_chunked(start_row as u64, rows);
        }
        self.shared.check()?;
        self.check_type::<T>()?;
        if self.shape.is_empty() {
            return Err(Error::BadShape {
                dataset: self.path.clone(),
                reason: "a scalar dataset has no rows; use write_scalar".into(),
            });
        }
        let start = start_row as u64;
        let row_len = self.row_len();
        self.row_span(&self.shape, start, rows.len())?;
        if rows.is_empty() {
            return Ok(());
        }
        // In range, so the offset is inside the data block and cannot overflow.
        let elem = u64::from(self.dtype.element_size());
        self.write_at(start * row_len * elem, &T::encode(rows))
    }

    /// Write the whole dataset at once; `data` holds every element, row-major.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let m = file.new_dataset::<f64>().shape(&[2, 3]).create("matrix")?;
    /// m.write_raw(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])?; // [[1, 2, 3], [4, 5, 6]]
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_raw<T: Element>(&self, data: &[T]) -> Result<()> {
        if self.chunked {
            let count: u64 = self.shape().iter().product();
            if data.len() as u64 != count {
                return Err(Error::BadShape {
                    dataset: self.path.clone(),
                    reason: format!("write_raw needs all {count} elements, got {}", data.len()),
                });
            }
            return self.write_rows_chunked(0, data);
        }
        self.shared.check()?;
        self.check_type::<T>()?;
        let count: u64 = self.shape.iter().product();
        if data.len() as u64 != count {
            return Err(Error::BadShape {
                dataset: self.path.clone(),
                reason: format!("write_raw needs all {count} elements, got {}", data.len()),
            });
        }
        if data.is_empty() {
            return Ok(());
        }
        self.write_at(0, &T::encode(data))
    }

    /// Write `bytes` at `offset` within the data: straight to the file, or,
    /// for compact storage, into the header staged for the next commit.
    fn write_at(&self, offset: u64, bytes: &[u8]) -> Result<()> {
        if self.small {
            let mut st = self.shared.lock();
            if self.id >= st.committed_nodes {
                // Not on disk yet: stage, and write with its neighbours at commit.
                return self.shared.stage(&mut st, self.id, offset, bytes);
            }
        }
        if !self.compact {
            return self.shared.write_at(self.address + offset, bytes);
        }
        let mut st = self.shared.lock();
        if let Some(data) = st
            .tree
            .dataset_mut(self.id)
            .and_then(|d| d.compact.as_mut())
        {
            let start = offset as usize; // within the (small) compact data
            if let Some(dst) = data.get_mut(start..start + bytes.len()) {
                dst.copy_from_slice(bytes);
            }
        }
        st.dirty = true;
        Ok(())
    }

    /// Write the value of a scalar (or one-element) dataset.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_dataset::<f64>().create("learning_rate")?.write_scalar(&1e-3)?;
    /// file.new_dataset::<bool>().create("converged")?.write_scalar(&true)?;
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_scalar<T: Element>(&self, value: &T) -> Result<()> {
        self.write_raw(std::slice::from_ref(value))
    }
}
