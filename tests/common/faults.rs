//! Storages that fail on purpose, for tests of what h5sink does when the
//! disk or the process dies under it.

use std::path::PathBuf;

/// In-memory storage that stops after `limit` writes (`write_at` and
/// `set_len` count), like a killed process: every later write fails.
#[derive(Clone)]
pub struct StopAfter {
    /// The bytes written so far.
    pub inner: h5sink::MemStorage,
    /// Writes attempted so far.
    pub ops: std::sync::Arc<std::sync::atomic::AtomicU64>,
    limit: u64,
}

impl StopAfter {
    /// A storage that accepts `limit` writes.
    pub fn new(limit: u64) -> Self {
        StopAfter {
            inner: h5sink::MemStorage::new(),
            ops: Default::default(),
            limit,
        }
    }

    /// Writes attempted so far.
    pub fn writes(&self) -> u64 {
        self.ops.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn admit(&self) -> std::io::Result<()> {
        let n = self.ops.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if n > self.limit {
            return Err(std::io::Error::other("stopped by the test"));
        }
        Ok(())
    }
}

impl h5sink::Storage for StopAfter {
    fn write_at(&self, offset: u64, data: &[u8]) -> std::io::Result<()> {
        self.admit()?;
        self.inner.write_at(offset, data)
    }
    fn set_len(&self, len: u64) -> std::io::Result<()> {
        self.admit()?;
        self.inner.set_len(len)
    }
    fn len(&self) -> std::io::Result<u64> {
        self.inner.len()
    }
    fn sync(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        PathBuf::from("<stop-after>")
    }
}
