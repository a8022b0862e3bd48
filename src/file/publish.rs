//! A new file appears under its name only once it is valid HDF5: it is
//! written under a temporary name in the same directory, its first commit
//! made, and only then hard-linked to its name (a link never replaces
//! anything: the no-overwrite check and the naming are one atomic step) and
//! the temporary name removed. A reader that finds the path therefore always
//! finds a complete file. Spec notes: `spec-notes/readers.md`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{in_the_way, File};
use crate::error::{Error, Result};
use crate::storage::FileStorage;

/// A file written under a temporary name, not yet under its own.
pub(crate) struct Staged {
    temp: PathBuf,
    path: PathBuf,
}

/// Distinguishes the temporary names of files created at once by one process.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// This process's id, to keep temporary names of processes apart.
#[cfg(not(target_os = "wasi"))]
fn process_tag() -> u32 {
    std::process::id()
}

/// WASI has no process id (`std::process::id` panics): the clock's
/// nanoseconds stand in.
#[cfg(target_os = "wasi")]
fn process_tag() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

/// The error for `path` when something is already there.
fn exists(path: &Path) -> Error {
    Error::Exists {
        path: path.to_path_buf(),
        found: in_the_way(path),
    }
}

/// The error for a failed step of creating `path`.
fn io_error(path: &Path, action: &str, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        action: action.into(),
        source,
    }
}

impl File {
    /// A new file for `path` (an empty path is refused), valid and committed but
    /// still under a temporary name beside it: [`Staged::publish`] names it.
    /// Something already at `path` is refused now (and again, atomically,
    /// at publishing).
    pub(crate) fn create_staged(path: &Path) -> Result<(File, Staged)> {
        if path.as_os_str().is_empty() {
            return Err(Error::InvalidArgument {
                what: "path",
                value: "\"\"".into(),
                reason: "the path is empty; give the name of the file to create",
            });
        }
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(exists(path));
        }
        let name = path.file_name().unwrap_or(path.as_os_str());
        let (storage, temp) = loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let mut tmp = std::ffi::OsString::from(".");
            tmp.push(name);
            tmp.push(format!(".{}-{n}.h5sink-tmp", process_tag()));
            let temp = path.with_file_name(tmp);
            match FileStorage::create_staged(&temp, path) {
                Ok(s) => break (s, temp),
                // Left by an earlier process with our id: take another name.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {}
                Err(e) => return Err(io_error(path, "creating the file", e)),
            }
        };
        match File::with_storage(storage) {
            Ok(file) => Ok((
                file,
                Staged {
                    temp,
                    path: path.to_path_buf(),
                },
            )),
            Err(e) => {
                // Nothing valid was written: leave nothing behind.
                let _ = std::fs::remove_file(&temp);
                Err(e)
            }
        }
    }
}

impl Staged {
    /// Give `file` (this staged file) its name: a hard link, refused if
    /// anything is at the path by then ([`Error::Exists`]); then the
    /// temporary name goes. On a file system without hard links, the name
    /// is taken by creating an empty file there (refused likewise), which the
    /// temporary file then replaces by a rename: readers may see that empty
    /// file for a moment. A durable file's directory is synced afterwards.
    /// On an error, call [`Staged::abandon`] once the file is dropped.
    pub(crate) fn publish(&self, file: &File) -> Result<()> {
        match std::fs::hard_link(&self.temp, &self.path) {
            Ok(()) => {
                let _ = std::fs::remove_file(&self.temp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(exists(&self.path))
            }
            Err(_) => {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&self.path)
                    .map_err(|e| match e.kind() {
                        std::io::ErrorKind::AlreadyExists => exists(&self.path),
                        _ => io_error(&self.path, "creating the file", e),
                    })?;
                if let Err(e) = std::fs::rename(&self.temp, &self.path) {
                    let _ = std::fs::remove_file(&self.path); // our empty file
                    return Err(io_error(&self.path, "naming the new file", e));
                }
            }
        }
        file.engine().named();
        if file.engine().io().is_durable() {
            crate::storage::sync_dir_of(&self.path)
                .map_err(|e| io_error(&self.path, "syncing the file's directory", e))?;
        }
        Ok(())
    }

    /// Remove the temporary file of a file that will not be published.
    pub(crate) fn abandon(self) {
        let _ = std::fs::remove_file(&self.temp);
    }
}
