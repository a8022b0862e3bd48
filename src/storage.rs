//! Where the bytes go: positional writes to a file, or to memory.
//!
//! Writing needs only positional writes, a way to grow the file, and its
//! current length, so the encoder core runs unchanged on a file, in memory,
//! or behind a caller's own backend. Reading back (`Dataset::read_raw`, or
//! opening a file with `File::open`) also needs `read_at`; a write-only
//! storage keeps its default, which refuses.
//!
//! # Examples
//!
//! Write a file into memory, keep a handle on the storage, and take the
//! bytes after closing:
//!
//! ```
//! use h5sink::{MemStorage, Storage};
//! let storage = MemStorage::new();
//! let file = h5sink::File::with_storage(storage.clone())?;
//! file.new_dataset::<u32>().shape(&[4]).create("ids")?.write_raw(&[1u32, 2, 3, 4])?;
//! file.close()?;
//! let bytes = storage.to_vec();
//! assert_eq!(&bytes[..8], b"\x89HDF\r\n\x1a\n"); // the HDF5 signature at offset 0
//! assert_eq!(storage.len().ok(), Some(bytes.len() as u64));
//! # Ok::<(), h5sink::Error>(())
//! ```

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// A byte store that accepts writes at any offset.
///
/// Implementations must be usable from several threads at once (`&self`
/// methods): dataset rows may be written concurrently to disjoint ranges.
///
/// h5sink ships [`FileStorage`] and [`MemStorage`]; implement this trait to
/// write anywhere else, and pass it to [`File::with_storage`](crate::File::with_storage).
///
/// ```
/// use std::io;
/// use std::path::PathBuf;
/// use std::sync::{Arc, Mutex};
///
/// /// Memory storage that counts the writes it gets.
/// #[derive(Clone, Default)]
/// struct Counting { bytes: Arc<Mutex<Vec<u8>>>, writes: Arc<Mutex<usize>> }
///
/// impl h5sink::Storage for Counting {
///     fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
///         let mut b = self.bytes.lock().unwrap();
///         let end = offset as usize + data.len();
///         if b.len() < end { b.resize(end, 0); }
///         b[offset as usize..end].copy_from_slice(data);
///         *self.writes.lock().unwrap() += 1;
///         Ok(())
///     }
///     fn set_len(&self, len: u64) -> io::Result<()> {
///         self.bytes.lock().unwrap().resize(len as usize, 0);
///         Ok(())
///     }
///     fn len(&self) -> io::Result<u64> { Ok(self.bytes.lock().unwrap().len() as u64) }
///     fn sync(&self) -> io::Result<()> { Ok(()) }
///     fn describe(&self) -> PathBuf { PathBuf::from("<counting>") }
/// }
///
/// # fn main() -> h5sink::Result<()> {
/// let storage = Counting::default();
/// let file = h5sink::File::with_storage(storage.clone())?;
/// file.new_dataset::<f32>().shape(&[8]).create("x")?.write_raw(&[1.0f32; 8])?;
/// file.close()?;
/// assert!(storage.bytes.lock().unwrap().starts_with(b"\x89HDF\r\n\x1a\n"));
/// println!("{} writes", storage.writes.lock().unwrap());
/// # Ok(()) }
/// ```
pub trait Storage: Send + Sync {
    /// Write all of `data` starting at byte `offset`, growing the store if needed.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{MemStorage, Storage};
    /// let s = MemStorage::new();
    /// s.write_at(4, b"ab")?; // past the end: the gap is zero-filled
    /// s.write_at(0, b"xy")?;
    /// s.write_at(5, b"Z")?; // an overwrite in place
    /// assert_eq!(s.to_vec(), b"xy\0\0aZ");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()>;
    /// Read exactly `buf.len()` bytes starting at byte `offset`, for opening
    /// existing files. A read past the end is an error
    /// ([`io::ErrorKind::UnexpectedEof`]). The default refuses
    /// ([`io::ErrorKind::Unsupported`]): a write-only storage (a network
    /// sink, say) can be written but not opened.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{MemStorage, Storage};
    /// let s = MemStorage::new();
    /// s.write_at(0, b"hdf5")?;
    /// let mut buf = [0u8; 3];
    /// s.read_at(1, &mut buf)?;
    /// assert_eq!(&buf, b"df5");
    /// assert_eq!(s.read_at(2, &mut buf).unwrap_err().kind(), std::io::ErrorKind::UnexpectedEof);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let _ = (offset, buf);
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this storage is write-only: it cannot be read",
        ))
    }
    /// Set the length to `len` (h5sink only ever grows it).
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{MemStorage, Storage};
    /// let s = MemStorage::new();
    /// s.write_at(0, b"hdf")?;
    /// s.set_len(8)?; // grows with zeros, as a file does
    /// assert_eq!(s.to_vec(), b"hdf\0\0\0\0\0");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn set_len(&self, len: u64) -> io::Result<()>;
    /// The current length in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{MemStorage, Storage};
    /// let s = MemStorage::new();
    /// assert_eq!(s.len()?, 0);
    /// s.write_at(100, b"x")?;
    /// assert_eq!(s.len()?, 101); // one past the last byte written
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn len(&self) -> io::Result<u64>;
    /// Whether the store is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{MemStorage, Storage};
    /// let storage = MemStorage::new();
    /// assert!(storage.is_empty()?);
    /// let file = h5sink::File::with_storage(storage.clone())?;
    /// assert!(!storage.is_empty()?); // a valid, empty HDF5 file is written at once
    /// # drop(file);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn is_empty(&self) -> io::Result<bool> {
        Ok(self.len()? == 0)
    }
    /// Make written data durable (fsync for files; nothing for memory).
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{FileStorage, Storage};
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-sync-{}.bin", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let s = FileStorage::create_new(&path)?;
    /// s.write_at(2, b"ok")?;
    /// s.sync()?; // on disk now, even if the machine crashes next
    /// assert_eq!(std::fs::read(&path)?, b"\0\0ok");
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn sync(&self) -> io::Result<()>;
    /// A name for error messages: the path, or `<memory>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{FileStorage, MemStorage, Storage};
    /// assert_eq!(MemStorage::new().describe(), std::path::Path::new("<memory>"));
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-describe-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// assert_eq!(FileStorage::create_new(&path)?.describe(), path);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    fn describe(&self) -> PathBuf;
}

/// A file on disk, written with positional writes (`pwrite`).
///
/// [`File::create`](crate::File::create) uses it; build one yourself to pass a
/// file to [`File::with_storage`](crate::File::with_storage).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let path = std::env::temp_dir().join(format!("h5sink-doc-filestorage-{}.h5", std::process::id()));
/// # let _ = std::fs::remove_file(&path);
/// let storage = h5sink::FileStorage::create_new(&path)?;
/// let file = h5sink::File::with_storage(storage)?;
/// file.create_group("g")?;
/// file.close()?;
/// std::fs::remove_file(&path)?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct FileStorage {
    file: std::fs::File,
    path: PathBuf,
    /// Whether the directory entry of the new file has been synced.
    dir_synced: AtomicBool,
}

impl FileStorage {
    /// Create `path`, refusing to replace anything that exists there (even a
    /// dangling symlink): the check and the creation are one atomic `open`.
    ///
    /// ```
    /// # fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-create-new-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// use h5sink::Storage;
    /// let first = h5sink::FileStorage::create_new(&path)?;
    /// first.write_at(0, b"\x89HDF")?;
    /// let mut back = [0u8; 3];
    /// first.read_at(1, &mut back)?; // positional reads of what was written
    /// assert_eq!(&back, b"HDF");
    /// assert!(first.read_at(2, &mut back).is_err()); // past the end
    /// let again = h5sink::FileStorage::create_new(&path);
    /// assert_eq!(again.unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
    /// drop(first);
    /// std::fs::remove_file(&path)?;
    /// # Ok(()) }
    /// ```
    pub fn create_new(path: &Path) -> io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)?;
        Ok(FileStorage {
            file,
            path: path.to_path_buf(),
            dir_synced: AtomicBool::new(false),
        })
    }

    /// Open the existing file at `path` for reading only (for
    /// [`File::open`](crate::File::open)).
    ///
    /// ```
    /// # fn main() -> std::io::Result<()> {
    /// use h5sink::Storage;
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-openread-{}.bin", std::process::id()));
    /// std::fs::write(&path, b"\x89HDF")?;
    /// let s = h5sink::FileStorage::open_read(&path)?;
    /// let mut b = [0u8; 3];
    /// s.read_at(1, &mut b)?;
    /// assert_eq!(&b, b"HDF");
    /// assert!(s.write_at(0, b"x").is_err()); // opened for reading only
    /// std::fs::remove_file(&path)?;
    /// # Ok(()) }
    /// ```
    pub fn open_read(path: &Path) -> io::Result<Self> {
        let file = std::fs::OpenOptions::new().read(true).open(path)?;
        Ok(FileStorage {
            file,
            path: path.to_path_buf(),
            dir_synced: AtomicBool::new(true),
        })
    }
}

impl FileStorage {
    /// Create `temp` as [`FileStorage::create_new`] does, for a file to be
    /// published later under `path` (`File::create`): errors and syncs name
    /// `path`, whose directory must be `temp`'s.
    pub(crate) fn create_staged(temp: &Path, path: &Path) -> io::Result<Self> {
        let mut s = Self::create_new(temp)?;
        s.path = path.to_path_buf();
        Ok(s)
    }
}

/// `fsync` the directory holding `path`, so a name just given to a file
/// there survives a power loss.
pub(crate) fn sync_dir_of(path: &Path) -> io::Result<()> {
    positional::sync_parent_dir(path)
}

impl FileStorage {
    /// Open the existing file at `path` for reading and writing (for
    /// [`File::open_rw`](crate::File::open_rw)); it is never created.
    ///
    /// ```
    /// # fn main() -> std::io::Result<()> {
    /// use h5sink::Storage;
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-openrw-{}.bin", std::process::id()));
    /// std::fs::write(&path, b"\x89HDF")?;
    /// let s = h5sink::FileStorage::open_rw(&path)?;
    /// s.write_at(4, b"!")?;
    /// assert_eq!(std::fs::read(&path)?, b"\x89HDF!");
    /// std::fs::remove_file(&path)?;
    /// let missing = h5sink::FileStorage::open_rw(&path);
    /// assert_eq!(missing.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    /// # Ok(()) }
    /// ```
    pub fn open_rw(path: &Path) -> io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)?;
        Ok(FileStorage {
            file,
            path: path.to_path_buf(),
            dir_synced: AtomicBool::new(true),
        })
    }
}

impl FileStorage {
    /// A second handle on the same open file (same inode, same access).
    pub(crate) fn try_clone(&self) -> io::Result<FileStorage> {
        Ok(FileStorage {
            file: self.file.try_clone()?,
            path: self.path.clone(),
            dir_synced: AtomicBool::new(true),
        })
    }
}

impl Storage for FileStorage {
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        positional::write_all_at(&self.file, offset, data)
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        positional::read_exact_at(&self.file, offset, buf)
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        self.file.set_len(len)
    }
    fn len(&self) -> io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }
    /// `fsync` the file; the first time, its directory too, so that the
    /// newly created name survives a power loss along with the bytes.
    fn sync(&self) -> io::Result<()> {
        self.file.sync_all()?;
        if !self.dir_synced.load(Ordering::Acquire) {
            positional::sync_parent_dir(&self.path)?;
            self.dir_synced.store(true, Ordering::Release);
        }
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        self.path.clone()
    }
}

mod memory;
mod positional;

pub use memory::MemStorage;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_grows_and_overwrites() {
        let m = MemStorage::new();
        m.write_at(4, b"ab").unwrap();
        assert_eq!(m.to_vec(), b"\0\0\0\0ab");
        m.write_at(0, b"xy").unwrap();
        m.set_len(8).unwrap();
        assert_eq!(m.to_vec(), b"xy\0\0ab\0\0");
        assert_eq!(m.len().unwrap(), 8);
    }

    #[test]
    fn file_refuses_existing_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.h5");
        let s = FileStorage::create_new(&p).unwrap();
        s.write_at(10, b"z").unwrap();
        assert_eq!(s.len().unwrap(), 11);
        let e = FileStorage::create_new(&p).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
    }
}
