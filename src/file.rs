//! `File`: creating, committing and closing a file.

use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::group::Group;
use crate::shared::Shared;
use crate::storage::{FileStorage, MemStorage, Storage};

/// An HDF5 file being written. Dereferences to its root [`Group`].
///
/// The file on disk is valid HDF5 from the moment `create` returns. Groups
/// and datasets created since are staged in memory and committed by
/// [`File::flush`] or [`File::close`] (or, best-effort, when the `File` is
/// dropped); rows written to a dataset go straight to their final place.
pub struct File {
    root: Group,
    /// The bytes, for a file made by [`File::in_memory`].
    memory: Option<MemStorage>,
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
            root: Group::root(shared),
            memory: None,
        })
    }

    /// A new file held in memory; take its bytes with [`File::into_bytes`].
    pub fn in_memory() -> Result<File> {
        let memory = MemStorage::new();
        let mut file = File::with_storage(memory.clone())?;
        file.memory = Some(memory);
        Ok(file)
    }

    /// Close a file made by [`File::in_memory`] and return its bytes: a
    /// complete HDF5 file.
    pub fn into_bytes(mut self) -> Result<Vec<u8>> {
        let memory = self.memory.take().ok_or(Error::InvalidArgument {
            what: "file",
            value: "written to storage".into(),
            reason: "into_bytes needs a file made by File::in_memory",
        })?;
        self.root.shared.close()?;
        Ok(memory.to_vec())
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
