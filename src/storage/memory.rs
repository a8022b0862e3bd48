//! [`MemStorage`]: an in-memory file, for `File::in_memory`, tests and the
//! WebAssembly build. Spec notes: `spec-notes/commit.md`.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use super::Storage;

/// An in-memory file. Clones share the same bytes, so a caller can keep one
/// handle and read the result with [`MemStorage::to_vec`] after closing.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let storage = h5sink::MemStorage::new();
/// let file = h5sink::File::with_storage(storage.clone())?;
/// file.new_dataset::<u8>().shape(&[3]).create("x")?.write_raw(&[1u8, 2, 3])?;
/// file.close()?;
/// let bytes = storage.to_vec(); // the whole file
/// assert_eq!(&bytes[..4], b"\x89HDF");
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemStorage {
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl MemStorage {
    /// An empty in-memory file.
    ///
    /// ```
    /// use h5sink::Storage;
    /// let s = h5sink::MemStorage::new();
    /// assert_eq!(s.len().unwrap(), 0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of the current bytes.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let storage = h5sink::MemStorage::new();
    /// let file = h5sink::File::with_storage(storage.clone())?;
    /// let committed = storage.to_vec(); // already a valid (empty) HDF5 file
    /// assert_eq!(&committed[..8], b"\x89HDF\r\n\x1a\n");
    /// # drop(file);
    /// # Ok(()) }
    /// ```
    pub fn to_vec(&self) -> Vec<u8> {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.bytes.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn to_index(v: u64) -> io::Result<usize> {
    usize::try_from(v)
        .map_err(|_| io::Error::new(io::ErrorKind::OutOfMemory, "offset exceeds memory"))
}

/// Grow `b` to `len` bytes (zero-filled), or an error if memory cannot hold
/// them: a plain `resize` would abort the process (or panic past `isize::MAX`).
fn grow(b: &mut Vec<u8>, len: usize) -> io::Result<()> {
    if b.len() < len {
        b.try_reserve(len - b.len()).map_err(|_| {
            io::Error::new(
                io::ErrorKind::OutOfMemory,
                format!("cannot grow the in-memory file to {len} bytes"),
            )
        })?;
        b.resize(len, 0);
    }
    Ok(())
}

impl Storage for MemStorage {
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let b = self.lock();
        let start = to_index(offset)?;
        let src = start
            .checked_add(buf.len())
            .and_then(|end| b.get(start..end))
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "reading {} bytes at offset {offset} of a {}-byte store",
                        buf.len(),
                        b.len()
                    ),
                )
            })?;
        buf.copy_from_slice(src);
        Ok(())
    }
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let start = to_index(offset)?;
        let end = start
            .checked_add(data.len())
            .ok_or_else(|| io::Error::new(io::ErrorKind::OutOfMemory, "offset exceeds memory"))?;
        let mut b = self.lock();
        grow(&mut b, end)?;
        b[start..end].copy_from_slice(data);
        Ok(())
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        let len = to_index(len)?;
        let mut b = self.lock();
        grow(&mut b, len)?;
        b.truncate(len);
        Ok(())
    }
    fn len(&self) -> io::Result<u64> {
        Ok(self.lock().len() as u64)
    }
    fn sync(&self) -> io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        PathBuf::from("<memory>")
    }
}
