//! `Dataset`: writing rows, whole arrays and strings.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::format::datatype::Datatype;
use crate::format::field;
use crate::format::global_heap;
use crate::model::NodeId;
use crate::shared::Shared;
use crate::types::{datatype_name, H5Type, Numeric};

/// A dataset in a file being written. Cheap to clone; clones share the file.
///
/// Rows go straight to the dataset's data block with positional writes, so
/// handles can be used from several threads for disjoint rows.
#[derive(Clone)]
pub struct Dataset {
    shared: Arc<Shared>,
    id: NodeId,
    path: String,
    dtype: Datatype,
    shape: Vec<u64>,
    /// Start of the data block (numeric datasets; fixed for their lifetime).
    address: u64,
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
    pub(crate) fn new(
        shared: Arc<Shared>,
        id: NodeId,
        path: String,
        dtype: Datatype,
        shape: Vec<u64>,
        address: u64,
    ) -> Self {
        Dataset {
            shared,
            id,
            path,
            dtype,
            shape,
            address,
        }
    }

    /// Ok while the file accepts work (not closed, no earlier failure).
    pub(crate) fn check_open(&self) -> Result<()> {
        self.shared.check()
    }

    /// The dataset's path from the root, e.g. `/features`.
    pub fn name(&self) -> &str {
        &self.path
    }

    /// The dimensions (empty for a scalar).
    pub fn shape(&self) -> &[u64] {
        &self.shape
    }

    /// Number of rows (the first dimension; 1 for a scalar).
    pub fn rows(&self) -> u64 {
        self.shape.first().copied().unwrap_or(1)
    }

    /// Values per row: the product of all dimensions but the first.
    pub fn row_len(&self) -> u64 {
        self.shape.iter().skip(1).product()
    }

    fn check_type<T: H5Type>(&self) -> Result<()> {
        if T::DATATYPE == self.dtype {
            Ok(())
        } else {
            Err(Error::TypeMismatch {
                dataset: self.path.clone(),
                expected: datatype_name(&self.dtype),
                got: T::NAME,
            })
        }
    }

    /// Write whole rows starting at row `start_row`. `rows` is row-major and
    /// must hold a whole number of rows; rows past the end are an error and
    /// nothing of the call is written.
    pub fn write_rows<T: Numeric>(&self, start_row: usize, rows: &[T]) -> Result<()> {
        self.shared.check()?;
        self.check_type::<T>()?;
        if self.shape.is_empty() {
            return Err(Error::BadShape {
                dataset: self.path.clone(),
                reason: "a scalar dataset has no rows; use write_scalar".into(),
            });
        }
        let row_len = self.row_len();
        let values = rows.len() as u64;
        let n = match values.checked_rem(row_len) {
            Some(0) => values / row_len,
            None if values == 0 => 0,
            _ => {
                return Err(Error::PartialRow {
                    dataset: self.path.clone(),
                    values: rows.len(),
                    row_len,
                })
            }
        };
        let start = start_row as u64;
        let end = start.saturating_add(n);
        if end > self.rows() {
            return Err(Error::RowsOutOfRange {
                dataset: self.path.clone(),
                start,
                end,
                rows: self.rows(),
            });
        }
        if rows.is_empty() {
            return Ok(());
        }
        // In range, so the offset is inside the data block and cannot overflow.
        let elem = u64::from(self.dtype.element_size());
        self.shared.write_at(
            self.address + start * row_len * elem,
            bytemuck::cast_slice(rows),
        )
    }

    /// Write the whole dataset at once; `data` holds every element, row-major.
    pub fn write_raw<T: Numeric>(&self, data: &[T]) -> Result<()> {
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
        self.shared
            .write_at(self.address, bytemuck::cast_slice(data))
    }

    /// Write the value of a scalar (or one-element) dataset.
    pub fn write_scalar<T: Numeric>(&self, value: &T) -> Result<()> {
        self.write_raw(std::slice::from_ref(value))
    }

    /// Write every element of a variable-length string dataset, row-major.
    ///
    /// The strings go into global heap collections in fresh file space, with
    /// a new data block referring to them; the dataset switches to them at
    /// the next commit (`flush` or `close`).
    pub fn write_strings<S: AsRef<str>>(&self, strings: &[S]) -> Result<()> {
        self.shared.check()?;
        self.check_type::<crate::types::VarLenUnicode>()?;
        let count: u64 = self.shape.iter().product();
        if strings.len() as u64 != count {
            return Err(Error::StringCount {
                dataset: self.path.clone(),
                expected: count,
                got: strings.len(),
            });
        }
        if strings.is_empty() {
            return Ok(());
        }
        let objects: Vec<&[u8]> = strings.iter().map(|s| s.as_ref().as_bytes()).collect();
        let lengths: Vec<u64> = objects.iter().map(|o| o.len() as u64).collect();
        let plans = global_heap::pack(&lengths)?;
        let heap_bytes = plans
            .iter()
            .try_fold(0u64, |a, p| field::add("global heap size", a, p.size))?;
        let refs_bytes = field::mul("string dataset size", count, 16)?;
        let total = field::add("string block size", heap_bytes, refs_bytes)?;
        let cap = usize::try_from(total).map_err(|_| Error::FieldOverflow {
            field: "string block size",
            value: total,
            max: usize::MAX as u64,
        })?;

        let mut st = self.shared.lock();
        let block = st.space.alloc(total)?;
        let mut buf = Vec::with_capacity(cap);
        let mut refs = Vec::with_capacity(cap - (heap_bytes as usize));
        let mut at = block.start;
        for p in &plans {
            let objs = objects.get(p.first..p.first + p.count).unwrap_or(&[]);
            global_heap::encode(&mut buf, p, objs)?;
            for (i, o) in objs.iter().enumerate() {
                let len = field::u32_field("string length in bytes", o.len() as u64)?;
                let index = field::u32_field("global heap object index", i as u64 + 1)?;
                refs.extend_from_slice(&global_heap::vlen_ref(len, at, index));
            }
            at += p.size;
        }
        buf.extend_from_slice(&refs);
        debug_assert_eq!(buf.len() as u64, total);
        self.shared.write_at(block.start, &buf)?;
        let old = match st.tree.dataset_mut(self.id) {
            Some(d) => {
                d.address = block.start + heap_bytes;
                std::mem::replace(&mut d.block, block)
            }
            None => block,
        };
        st.release(self.id, old);
        st.dirty = true;
        Ok(())
    }
}
