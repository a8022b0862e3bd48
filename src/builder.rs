//! `DatasetBuilder`: shape, storage and fill value of a new dataset.

use std::marker::PhantomData;

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::format::dataspace::MAX_RANK;
use crate::format::field::UNDEF_ADDR;
use crate::format::layout;
use crate::group::Group;
use crate::model::{DatasetMeta, NodeKind};
use crate::space::Extent;
use crate::types::{parse_dims, shape_bytes, Dim, Element, H5Type};

/// Describes a dataset before it is created:
/// `group.new_dataset::<f32>().shape(&[n, 25088]).create("features")`.
#[must_use = "a builder does nothing until create() is called"]
pub struct DatasetBuilder<T> {
    group: Group,
    shape: std::result::Result<Vec<u64>, String>,
    fill: Option<Vec<u8>>,
    compact: bool,
    _t: PhantomData<fn() -> T>,
}

impl<T: H5Type> DatasetBuilder<T> {
    pub(crate) fn new(group: Group) -> Self {
        DatasetBuilder {
            group,
            shape: Ok(Vec::new()),
            fill: None,
            compact: false,
            _t: PhantomData,
        }
    }

    /// The dataset's dimensions; `&[]` (the default) is a scalar.
    /// Zero-length dimensions are allowed.
    pub fn shape<D: Dim>(mut self, dims: &[D]) -> Self {
        self.shape = parse_dims(dims);
        self
    }

    /// Store the data inside the object header (HDF5's compact layout), for
    /// small datasets: at most about 64 KiB. The data is written at the next
    /// commit. Readers: libhdf5 (h5py, h5dump), pyfive and h5wasm read it;
    /// jsfive does not.
    pub fn compact(mut self) -> Self {
        self.compact = true;
        self
    }

    /// Create the dataset `name` (or a `/`-path; missing groups are
    /// created) in the group. Contiguous data is reserved at once, reading as
    /// the fill value (0 unless set) until written; the dataset itself is
    /// staged until the next commit.
    pub fn create(self, name: &str) -> Result<Dataset> {
        let shared = &self.group.shared;
        shared.check()?;
        let shape = self.shape.map_err(|reason| Error::BadShape {
            dataset: name.into(),
            reason,
        })?;
        if shape.len() > MAX_RANK {
            return Err(Error::RankTooHigh {
                rank: shape.len(),
                max: MAX_RANK,
            });
        }
        let dtype = T::DATATYPE;
        let size = shape_bytes(&shape, &dtype)?;
        let mut st = shared.lock();
        let resolved = self.group.resolve(&st.tree, name)?;
        let compact = if self.compact {
            let data = fill_pattern(self.fill.as_deref(), size)?;
            // Refuse now what the header could not hold at commit.
            layout::compact(&data).map_err(|_| Error::BadShape {
                dataset: name.into(),
                reason: format!("{size} bytes is too large for compact storage (at most about 64 KiB); use the default contiguous layout"),
            })?;
            Some(data)
        } else {
            None
        };
        // Check the end-of-file address stays representable before touching anything.
        if compact.is_none() && st.space.end().checked_add(size).is_none() {
            return Err(Error::BadShape {
                dataset: name.into(),
                reason: format!(
                    "its {size} bytes would take the file past the 64-bit address space (the file already spans {} bytes)",
                    st.space.end()
                ),
            });
        }
        let block = if compact.is_some() {
            Extent { start: 0, len: 0 }
        } else {
            st.space.alloc_fresh(size)?
        };
        let address = if size == 0 || compact.is_some() {
            UNDEF_ADDR
        } else {
            block.start
        };
        let needs_fill = compact.is_none()
            && size > 0
            && self
                .fill
                .as_deref()
                .is_some_and(|f| f.iter().any(|&b| b != 0));
        let meta = DatasetMeta {
            dtype,
            shape,
            address,
            size,
            block,
            fill: self.fill.clone(),
            compact,
            staged: None,
            spilled: false,
        };
        let id = Group::insert(&mut st, resolved, NodeKind::Dataset(meta))?;
        let ds = Dataset::open(shared, &st.tree, id).ok_or(Error::Closed)?;
        drop(st);
        if needs_fill {
            write_fill(&ds, block, self.fill.as_deref().unwrap_or(&[]))?;
        }
        Ok(ds)
    }
}

impl<T: Element> DatasetBuilder<T> {
    /// The value unwritten elements read as (h5py's `fillvalue=`).
    pub fn fill_value(mut self, value: T) -> Self {
        self.fill = Some(T::encode(std::slice::from_ref(&value)).into_owned());
        self
    }
}

/// `size` bytes of `fill` repeated (zeros without a fill).
fn fill_pattern(fill: Option<&[u8]>, size: u64) -> Result<Vec<u8>> {
    let n = usize::try_from(size).map_err(|_| Error::FieldOverflow {
        field: "compact data size",
        value: size,
        max: usize::MAX as u64,
    })?;
    Ok(match fill {
        Some(f) if !f.is_empty() => f.iter().copied().cycle().take(n).collect(),
        _ => vec![0; n],
    })
}

/// Write the fill value over a new contiguous block, 1 MiB at a time.
fn write_fill(ds: &Dataset, block: Extent, fill: &[u8]) -> Result<()> {
    let per = (1 << 20) / fill.len().max(1);
    let chunk: Vec<u8> = fill
        .iter()
        .copied()
        .cycle()
        .take(per.max(1) * fill.len())
        .collect();
    let mut at = 0u64;
    while at < block.len {
        let n = (block.len - at).min(chunk.len() as u64) as usize;
        ds.shared().write_at(block.start + at, &chunk[..n])?;
        at += n as u64;
    }
    Ok(())
}
