//! The bottom of the engine: the storage, the file's status (open, closed,
//! failed) and poisoning. Every byte h5sink writes goes through [`Io`], so
//! the first write failure stops all later writes. Reads go through it
//! too; a failed read is reported but poisons nothing.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::storage::Storage;

const OPEN: u8 = 0;
const CLOSED: u8 = 1;
const FAILED: u8 = 2;

/// The first failure, kept for `Error::Poisoned`.
#[derive(Clone, Debug)]
struct Failure {
    message: String,
    kind: io::ErrorKind,
}

/// The storage of one file and its status.
pub(crate) struct Io {
    storage: Box<dyn Storage>,
    /// Opened read-only: every write is refused.
    read_only: bool,
    status: AtomicU8,
    /// Every commit is durable (fsync barriers around the superblock switch).
    durable: AtomicBool,
    /// Kept apart from the engine's state lock: failures are recorded while
    /// that lock is held.
    failure: Mutex<Option<Failure>>,
    /// The call that closed the file, for `Error::Closed`.
    closed_by: Mutex<&'static str>,
}

impl Io {
    pub fn new(storage: Box<dyn Storage>) -> Self {
        Io {
            storage,
            read_only: false,
            status: AtomicU8::new(OPEN),
            durable: AtomicBool::new(false),
            failure: Mutex::new(None),
            closed_by: Mutex::new(""),
        }
    }

    /// An `Io` that reads `storage` and refuses every write.
    pub fn read_only(storage: Box<dyn Storage>) -> Self {
        Io {
            read_only: true,
            ..Io::new(storage)
        }
    }

    /// Whether the file was opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Ok if the file accepts changes: open, and not read-only.
    pub fn check_writable(&self) -> Result<()> {
        self.check()?;
        if self.read_only {
            return Err(Error::ReadOnly {
                path: self.storage.describe(),
            });
        }
        Ok(())
    }

    /// Ok if the file accepts work.
    pub fn check(&self) -> Result<()> {
        match self.status.load(Ordering::Acquire) {
            OPEN => Ok(()),
            CLOSED => Err(Error::Closed {
                by: *self.closed_by.lock().unwrap_or_else(|p| p.into_inner()),
            }),
            _ => {
                let f = self
                    .failure
                    .lock()
                    .map(|f| f.clone())
                    .unwrap_or_default()
                    .unwrap_or(Failure {
                        message: String::new(),
                        kind: io::ErrorKind::Other,
                    });
                Err(Error::Poisoned {
                    first: f.message,
                    kind: f.kind,
                })
            }
        }
    }

    /// Whether the file is still open (not closed, not failed).
    pub fn is_open(&self) -> bool {
        self.status.load(Ordering::Acquire) == OPEN
    }

    /// Refuse all further work; `by` names the call, for later errors.
    pub fn mark_closed(&self, by: &'static str) {
        *self.closed_by.lock().unwrap_or_else(|p| p.into_inner()) = by;
        let _ = self
            .status
            .compare_exchange(OPEN, CLOSED, Ordering::AcqRel, Ordering::Acquire);
    }

    /// Turn an I/O result into h5sink's error, poisoning the file on failure.
    pub fn io<T>(&self, r: io::Result<T>, action: impl FnOnce() -> String) -> Result<T> {
        r.map_err(|source| {
            let kind = source.kind();
            let e = Error::Io {
                path: self.storage.describe(),
                action: action(),
                source,
            };
            self.poison(&e, kind);
            e
        })
    }

    /// Poison the file for a failure that is not an I/O error (a chunk that
    /// failed to filter in the background): the error for this call and
    /// every later one, [`Error::Poisoned`] with the first failure's message.
    pub fn fail(&self, message: String) -> Error {
        if self.status.swap(FAILED, Ordering::AcqRel) != FAILED {
            if let Ok(mut f) = self.failure.lock() {
                f.get_or_insert(Failure {
                    message,
                    kind: io::ErrorKind::Other,
                });
            }
        }
        match self.check() {
            Err(e) => e,
            Ok(()) => Error::Bug {
                what: "a poisoned file reported open".into(),
            },
        }
    }

    /// Record the first failure; every later call gets `Error::Poisoned`.
    fn poison(&self, e: &Error, kind: io::ErrorKind) {
        if self.status.swap(FAILED, Ordering::AcqRel) != FAILED {
            if let Ok(mut f) = self.failure.lock() {
                f.get_or_insert_with(|| Failure {
                    message: e.to_string(),
                    kind,
                });
            }
        }
    }

    /// Positional write of `bytes` at `offset`, if the file accepts work.
    pub fn write_at(&self, offset: u64, bytes: &[u8]) -> Result<()> {
        self.check_writable()?;
        self.io(self.storage.write_at(offset, bytes), || {
            format!("writing {} bytes at offset {offset}", bytes.len())
        })
    }

    /// [`Io::write_at`], with `action` describing the write in errors.
    pub fn write_described(
        &self,
        offset: u64,
        bytes: &[u8],
        action: impl FnOnce() -> String,
    ) -> Result<()> {
        self.check_writable()?;
        self.io(self.storage.write_at(offset, bytes), action)
    }

    /// Positional read of `buf.len()` bytes at `offset`. A failed read is
    /// reported as [`Error::Io`] but does not poison the file: nothing was
    /// written, so the file stays valid and later writes go on.
    pub fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        let n = buf.len();
        self.storage
            .read_at(offset, buf)
            .map_err(|source| Error::Io {
                path: self.storage.describe(),
                action: format!("reading {n} bytes at offset {offset}"),
                source,
            })
    }

    /// The storage's length, for reads: a failure is reported, not
    /// poisoning (see [`Io::read_at`]).
    pub fn read_len(&self) -> Result<u64> {
        self.storage.len().map_err(|source| Error::Io {
            path: self.storage.describe(),
            action: "reading the file length".into(),
            source,
        })
    }

    /// The storage's length in bytes.
    pub fn len(&self) -> Result<u64> {
        self.io(self.storage.len(), || "reading the file length".into())
    }

    /// Grow the storage to `len` bytes (when shorter).
    pub fn grow_to(&self, len: u64) -> Result<()> {
        self.check_writable()?;
        if self.len()? < len {
            self.io(self.storage.set_len(len), || {
                format!("extending the file to {len} bytes")
            })?;
        }
        Ok(())
    }

    /// Cut the storage to `len` bytes (the unused tail a reader grace period
    /// grew ahead, at close).
    pub fn trim_to(&self, len: u64) -> Result<()> {
        self.check_writable()?;
        self.io(self.storage.set_len(len), || {
            format!("cutting the file to {len} bytes")
        })
    }

    /// Flush everything written to the storage medium.
    pub fn sync(&self, why: &'static str) -> Result<()> {
        self.io(self.storage.sync(), || why.into())
    }

    /// Make every later commit durable (or not).
    pub fn set_durable(&self, on: bool) {
        self.durable.store(on, Ordering::Release);
    }

    /// Whether commits are durable.
    pub fn is_durable(&self) -> bool {
        self.durable.load(Ordering::Acquire)
    }
}
