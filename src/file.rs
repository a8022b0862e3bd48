//! `File`: creating, committing and closing a file; opening existing
//! files is in `file/open.rs`.

use std::ops::Deref;
use std::path::Path;
use std::sync::Arc;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::group::Group;
use crate::storage::{MemStorage, Storage};

mod grace;
mod open;
mod publish;

/// An HDF5 file being written. Dereferences to its root [`Group`].
///
/// The file on disk is valid HDF5 from the moment `create` returns. Groups
/// and datasets created since are staged in memory and committed by
/// [`File::flush`] or [`File::close`] (or, best-effort, when the last handle
/// of the file is dropped); rows written to a dataset go straight to their
/// final place.
///
/// Every handle ([`Group`], [`Dataset`](crate::Dataset),
/// [`Attribute`](crate::Attribute)) keeps the file open, as in hdf5-metno:
/// a function may create a file and return a dataset of it. The file is
/// committed and closed by [`File::close`], or when the `File` and every
/// handle are gone.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?; // or File::create("out.h5")
/// let runs = file.create_group("runs")?; // File derefs to the root Group
/// runs.new_dataset::<f32>().shape(&[2, 3]).create("x")?.write_raw(&[1.0f32; 6])?;
/// file.flush()?; // commit: the file now holds /runs and /runs/x
/// assert_eq!(file.member_names()?, ["runs"]);
/// let bytes = file.into_bytes()?;
/// assert_eq!(&bytes[..8], b"\x89HDF\r\n\x1a\n");
/// # Ok(()) }
/// ```
pub struct File {
    root: Group,
    /// The bytes, for a file made by [`File::in_memory`].
    memory: Option<MemStorage>,
}

impl File {
    /// Create a new file at `path`. Refuses to replace anything already
    /// there ([`Error::Exists`], whose message says whether a file, a
    /// directory or a symbolic link is in the way): the existence check and
    /// the naming are one atomic operation. An empty path is
    /// [`Error::InvalidArgument`].
    ///
    /// The file is written under a temporary name beside `path` and named
    /// only once it is valid HDF5, so a reader never finds an empty or
    /// partial file there; its [reader grace period](File::set_reader_grace)
    /// is [`File::DEFAULT_READER_GRACE`].
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-create-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let file = h5sink::File::create(&path)?;
    /// file.new_dataset::<u8>().shape(&[4]).create("bytes")?.write_raw(&[1u8, 2, 3, 4])?;
    /// file.close()?;
    /// // A second create of the same path fails and leaves the file alone.
    /// match h5sink::File::create(&path) {
    ///     Err(h5sink::Error::Exists { path: p, .. }) => assert_eq!(p, path),
    ///     other => panic!("expected Error::Exists, got {other:?}"),
    /// }
    /// std::fs::remove_file(&path).unwrap();
    /// // A directory is in the way too, and the message says so.
    /// let e = h5sink::File::create(std::env::temp_dir()).unwrap_err();
    /// assert!(e.to_string().ends_with("a directory is there"), "{e}");
    /// assert!(matches!(h5sink::File::create(""), Err(h5sink::Error::InvalidArgument { what: "path", .. })));
    /// # Ok(()) }
    /// ```
    pub fn create(path: impl AsRef<Path>) -> Result<File> {
        let path = path.as_ref();
        let (file, staged) = File::create_staged(path)?;
        file.set_reader_grace(File::DEFAULT_READER_GRACE);
        match staged.publish(&file) {
            Ok(()) => Ok(file),
            Err(e) => {
                drop(file);
                staged.abandon();
                Err(e)
            }
        }
    }

    /// Write a new file into `storage`, which must be empty.
    ///
    /// See [`Storage`] for a storage of your own.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let storage = h5sink::MemStorage::new();
    /// let file = h5sink::File::with_storage(storage.clone())?; // keep a clone to read the bytes
    /// file.new_dataset::<i64>().create("n")?.write_scalar(&7i64)?;
    /// file.close()?;
    /// assert!(storage.to_vec().starts_with(b"\x89HDF"));
    /// // A storage that already holds bytes is refused.
    /// assert!(matches!(h5sink::File::with_storage(storage), Err(h5sink::Error::Exists { .. })));
    /// # Ok(()) }
    /// ```
    pub fn with_storage(storage: impl Storage + 'static) -> Result<File> {
        Self::with_boxed_storage(Box::new(storage))
    }

    /// [`File::with_storage`] for a storage already boxed.
    pub(crate) fn with_boxed_storage(storage: Box<dyn Storage>) -> Result<File> {
        let engine = Arc::new(Engine::create(storage)?);
        Ok(File {
            root: Group::root(engine),
            memory: None,
        })
    }

    /// A new file held in memory; take its bytes with [`File::into_bytes`].
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_dataset::<f64>().shape(&[3]).create("x")?.write_raw(&[0.5, 1.5, 2.5])?;
    /// let bytes: Vec<u8> = file.into_bytes()?; // a complete .h5 file, e.g. to send or to store
    /// assert!(bytes.len() > 96);
    /// # Ok(()) }
    /// ```
    pub fn in_memory() -> Result<File> {
        let memory = MemStorage::new();
        let mut file = File::with_storage(memory.clone())?;
        file.memory = Some(memory);
        Ok(file)
    }

    /// Close a file made by [`File::in_memory`] and return its bytes: a
    /// complete HDF5 file.
    ///
    /// Files made otherwise (by [`File::create`] or [`File::with_storage`])
    /// give [`Error::InvalidArgument`] (and are committed and closed when
    /// their last handle is dropped).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.create_group("empty")?;
    /// let bytes = file.into_bytes()?;
    /// assert_eq!(&bytes[..8], b"\x89HDF\r\n\x1a\n");
    /// # Ok(()) }
    /// ```
    pub fn into_bytes(mut self) -> Result<Vec<u8>> {
        let memory = self.memory.take().ok_or(Error::InvalidArgument {
            what: "file",
            value: "written to storage".into(),
            reason: "into_bytes needs a file made by File::in_memory",
        })?;
        self.engine().close("File::into_bytes")?;
        Ok(memory.to_vec())
    }

    /// Commit every group and dataset created since the last commit.
    /// Afterwards the file on disk holds them and every row written so far.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let storage = h5sink::MemStorage::new();
    /// let file = h5sink::File::with_storage(storage.clone())?;
    /// let ds = file.new_dataset::<u16>().shape(&[1000]).create("counts")?;
    /// ds.write_rows(0, &[1u16; 500])?; // rows go to the file at once
    /// file.flush()?;                   // the dataset itself appears at this commit
    /// ds.write_rows(500, &[2u16; 500])?;
    /// file.flush()?;                   // a crash from here on keeps all 1000 rows
    /// # file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn flush(&self) -> Result<()> {
        self.engine().flush()
    }

    /// Commit durably: everything written so far reaches the storage medium
    /// (`fsync`) before the superblock switches to the new state, and the
    /// switch itself is synced. Survives power loss, not only a crash of this
    /// process. With nothing to commit, it syncs the rows written since.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if a write or an `fsync` fails (the file is then
    /// poisoned; the state of the last successful commit stays on disk).
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-sync-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let file = h5sink::File::create(&path)?;
    /// file.new_dataset::<f32>().shape(&[2]).create("x")?.write_raw(&[1.0f32, 2.0])?;
    /// file.sync()?; // committed, and on the disk
    /// assert_eq!(&std::fs::read(&path)?[..8], b"\x89HDF\r\n\x1a\n");
    /// file.close()?;
    /// std::fs::remove_file(&path)?;
    /// # Ok(()) }
    /// ```
    pub fn sync(&self) -> Result<()> {
        self.engine().sync()
    }

    /// Make every later commit ([`File::flush`], [`File::close`], each
    /// buffer flush of a [`DatasetWriter`](crate::DatasetWriter)) durable, as
    /// [`File::sync`] is: two `fsync` calls per commit, so a power loss keeps
    /// the last completed commit. Off by default (a process crash is
    /// survived without it); it costs two disk round trips per commit.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-durable-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let file = h5sink::File::create(&path)?;
    /// file.set_durable(true);
    /// let ds = file.new_dataset::<i64>().shape(&[4]).create("steps")?;
    /// ds.write_raw(&[1i64, 2, 3, 4])?;
    /// file.flush()?; // fsync, superblock, fsync
    /// file.close()?;
    /// std::fs::remove_file(&path)?;
    /// # Ok(()) }
    /// ```
    pub fn set_durable(&self, on: bool) {
        self.engine().io().set_durable(on);
    }

    /// Commit and close. Later calls on any handle of this file return
    /// [`Error::Closed`], which names the call that closed it.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<i32>().shape(&[2]).create("x")?;
    /// file.close()?;
    /// assert!(matches!(ds.write_raw(&[1, 2]), Err(h5sink::Error::Closed { by: "File::close" })));
    /// # Ok(()) }
    /// ```
    pub fn close(self) -> Result<()> {
        self.engine().close("File::close")
    }

    pub(crate) fn engine(&self) -> &Arc<Engine> {
        self.root.engine()
    }

    /// Another handle on this file (the file closes with its last handle).
    pub(crate) fn handle(&self) -> File {
        File {
            root: self.root.clone(),
            memory: None,
        }
    }
}

impl Deref for File {
    type Target = Group;
    fn deref(&self) -> &Group {
        &self.root
    }
}

impl std::fmt::Debug for File {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("File").finish_non_exhaustive()
    }
}

/// What is at `path` when creating it failed with "already exists", for
/// [`Error::Exists`]: a directory, a symbolic link (h5sink does not create
/// files through links), or a file.
fn in_the_way(path: &Path) -> &'static str {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => "a directory is there",
        Ok(m) if m.file_type().is_symlink() => {
            "a symbolic link is there (h5sink does not create files through links)"
        }
        _ => "the file already exists",
    }
}
