//! `File` and `Group`: creating files, groups and datasets.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::format::field::UNDEF_ADDR;
use crate::model::{validate_name, DatasetMeta, NodeId, NodeKind};
use crate::shared::Shared;
use crate::space::Extent;
use crate::storage::{FileStorage, Storage};
use crate::types::{Dim, H5Type};

/// HDF5's limit on the rank of a dataspace.
pub const MAX_RANK: usize = 32;

/// An HDF5 file being written. Dereferences to its root [`Group`].
///
/// The file on disk is valid HDF5 from the moment `create` returns. Groups
/// and datasets created since are staged in memory and committed by
/// [`File::flush`] or [`File::close`] (or, best-effort, when the `File` is
/// dropped); rows written to a dataset go straight to their final place.
pub struct File {
    root: Group,
}

impl File {
    /// Create a new file at `path`. Refuses to replace anything already
    /// there ([`Error::Exists`]): the existence check and the creation are one
    /// atomic operation.
    pub fn create(path: impl AsRef<Path>) -> Result<File> {
        let path = path.as_ref();
        let storage = FileStorage::create_new(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Exists {
                path: path.to_path_buf(),
            },
            _ => Error::Io {
                path: path.to_path_buf(),
                action: "creating the file".into(),
                source,
            },
        })?;
        let file = File::with_storage(storage);
        if file.is_err() {
            // Nothing valid was written: leave no half-made file behind.
            let _ = std::fs::remove_file(path);
        }
        file
    }

    /// Write a new file into `storage`, which must be empty.
    pub fn with_storage(storage: impl Storage + 'static) -> Result<File> {
        let describe = storage.describe();
        match storage.len() {
            Ok(0) => {}
            Ok(_) => return Err(Error::Exists { path: describe }),
            Err(source) => {
                return Err(Error::Io {
                    path: describe,
                    action: "reading the length".into(),
                    source,
                })
            }
        }
        let shared = Arc::new(Shared::new(Box::new(storage)));
        shared.commit(&mut shared.lock(), false)?;
        Ok(File {
            root: Group {
                shared,
                id: 0,
                path: "/".into(),
            },
        })
    }

    /// Commit every group and dataset created since the last commit.
    /// Afterwards the file on disk holds them and every row written so far.
    pub fn flush(&self) -> Result<()> {
        self.root.shared.commit(&mut self.root.shared.lock(), false)
    }

    /// Flush data to the storage medium (`fsync`), for durability against
    /// power loss, not only against a crash of this process.
    pub fn sync(&self) -> Result<()> {
        self.flush()?;
        self.root.shared.sync()
    }

    /// Commit and close. Later calls on any handle of this file return
    /// [`Error::Closed`].
    pub fn close(self) -> Result<()> {
        self.root.shared.close()
    }
}

impl Deref for File {
    type Target = Group;
    fn deref(&self) -> &Group {
        &self.root
    }
}

impl Drop for File {
    fn drop(&mut self) {
        if self.root.shared.is_open() {
            // Best effort: an error here has nowhere to go; call `close` to see it.
            let _ = self.root.shared.close();
        }
    }
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("File").finish_non_exhaustive()
    }
}

/// A group: a container of named groups and datasets.
#[derive(Clone)]
pub struct Group {
    pub(crate) shared: Arc<Shared>,
    pub(crate) id: NodeId,
    path: String,
}

impl std::fmt::Debug for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Group").field("path", &self.path).finish()
    }
}

impl Group {
    /// The group's path from the root, e.g. `/meta`.
    pub fn name(&self) -> &str {
        &self.path
    }

    /// Create a member group `name` (staged until the next commit).
    pub fn create_group(&self, name: &str) -> Result<Group> {
        self.shared.check()?;
        validate_name(name)?;
        let mut st = self.shared.lock();
        let id = st
            .tree
            .add(self.id, name, NodeKind::Group(BTreeMap::new()))?;
        st.dirty = true;
        let path = st.tree.path(id);
        Ok(Group {
            shared: self.shared.clone(),
            id,
            path,
        })
    }

    /// Start describing a dataset of element type `T`.
    pub fn new_dataset<T: H5Type>(&self) -> DatasetBuilder<T> {
        DatasetBuilder {
            group: self.clone(),
            shape: Ok(Vec::new()),
            _t: PhantomData,
        }
    }
}

/// Describes a dataset before it is created: `group.new_dataset::<f32>().shape(&[n, 25088]).create("features")`.
#[must_use = "a builder does nothing until create() is called"]
pub struct DatasetBuilder<T> {
    group: Group,
    shape: std::result::Result<Vec<u64>, String>,
    _t: PhantomData<fn() -> T>,
}

impl<T: H5Type> DatasetBuilder<T> {
    /// The dataset's dimensions; `&[]` (the default) is a scalar. Zero-length dimensions are allowed.
    pub fn shape<D: Dim>(mut self, dims: &[D]) -> Self {
        let mut out = Vec::with_capacity(dims.len());
        for (i, d) in dims.iter().enumerate() {
            match d.to_dim() {
                Some(v) => out.push(v),
                None => {
                    self.shape = Err(format!("dimension {i} is {d:?}, which is negative"));
                    return self;
                }
            }
        }
        self.shape = Ok(out);
        self
    }

    /// Create the dataset `name` in the group. Its data block is reserved at
    /// once (reading as zeros until written); the dataset itself is staged
    /// until the next commit.
    pub fn create(self, name: &str) -> Result<Dataset> {
        let shared = &self.group.shared;
        shared.check()?;
        validate_name(name)?;
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
        let elem = u64::from(dtype.element_size());
        // numpy (so h5py) refuses to make even an empty array when the
        // non-zero dimensions times the element size exceed i64::MAX: refuse
        // such shapes here rather than write a dataset h5py cannot read.
        let overflow = || Error::ShapeOverflow {
            shape: shape.clone(),
            element_size: elem,
        };
        let extent = shape
            .iter()
            .filter(|&&d| d != 0)
            .try_fold(elem, |acc, &d| acc.checked_mul(d))
            .filter(|&b| b <= i64::MAX as u64)
            .ok_or_else(overflow)?;
        let size = if shape.contains(&0) { 0 } else { extent };
        let mut st = shared.lock();
        // Check the end-of-file address stays representable before touching anything.
        if st.space.end().checked_add(size).is_none() {
            return Err(Error::BadShape {
                dataset: name.into(),
                reason: format!(
                    "its {size} bytes would take the file past the 64-bit address space (the file already spans {} bytes)",
                    st.space.end()
                ),
            });
        }
        let id = st.tree.add(
            self.group.id,
            name,
            NodeKind::Dataset(DatasetMeta {
                dtype,
                shape: shape.clone(),
                address: UNDEF_ADDR,
                size,
                block: Extent { start: 0, len: 0 },
            }),
        )?;
        let extent = st.space.alloc_fresh(size)?;
        let address = if size == 0 { UNDEF_ADDR } else { extent.start };
        if let Some(d) = st.tree.dataset_mut(id) {
            d.address = address;
            d.block = extent;
        }
        st.dirty = true;
        let path = st.tree.path(id);
        drop(st);
        Ok(Dataset::new(
            shared.clone(),
            id,
            path,
            dtype,
            shape,
            address,
        ))
    }
}
