//! Storages that fail on purpose, for tests of what h5sink does when the
//! disk or the process dies under it: every fault-injecting
//! [`Storage`](h5sink::Storage) of the tests and of the fuzz targets, one
//! type per behaviour.
//!
//! - [`StopAfter`]: from some mutating call on, every one fails (a killed
//!   process, a dead disk); failing writes may tear; `len` and `sync`
//!   can be made to fail too.
//! - [`FailKth`]: only the k-th mutating call fails, with an error or a torn
//!   write; the calls after it succeed again.
//! - [`Logged`]: wraps any storage and logs every mutating call and sync.
//! - [`Sparse`]: a sparse in-memory store for huge declared files, which
//!   tracks syncs against superblock writes and fails one write or sync on
//!   demand.
//!
//! The mutating calls are `write_at` and `set_len`; every injected error is
//! `io::Error::other(INJECTED)`. Clones of a storage share its bytes and its
//! counters, so a test keeps one clone and hands the other to h5sink.
//!
//! Depends on nothing but h5sink and std: a test crate reaches it as
//! `common::faults` (`mod common;`) or alone as
//! `#[path = "common/faults/mod.rs"] mod faults;`, and
//! `fuzz/fuzz_targets/common.rs` includes it the same way.
#![allow(dead_code)]

mod fail_kth;
mod logged;
mod sparse;
mod stop_after;

// Not every includer uses every storage.
#[allow(unused_imports)]
pub use fail_kth::FailKth;
#[allow(unused_imports)]
pub use logged::{Call, Logged};
#[allow(unused_imports)]
pub use sparse::{Sparse, SyncLog};
#[allow(unused_imports)]
pub use stop_after::StopAfter;

use std::io;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::Arc;

use h5sink::{MemStorage, Storage};

/// The message of every injected error.
pub const INJECTED: &str = "injected failure";

fn injected() -> io::Error {
    io::Error::other(INJECTED)
}

/// How a failing `write_at` fails (a failing `set_len` always fails
/// outright).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fault {
    /// It writes nothing and returns an error.
    Error,
    /// It writes the first half of its buffer, then returns an error (a
    /// write cut off halfway).
    Short,
    /// It scribbles 0xEE over its whole range, then returns an error (a
    /// write cut off halfway, leaving garbage).
    Scribble,
}

impl Fault {
    /// Does to `mem` what the failing write of `data` at `offset` does;
    /// returns the error the write returns.
    fn fail_write(self, mem: &MemStorage, offset: u64, data: &[u8]) -> io::Error {
        let torn = match self {
            Fault::Error => return injected(),
            Fault::Short => mem.write_at(offset, &data[..data.len() / 2]),
            Fault::Scribble => mem.write_at(offset, &vec![0xEE; data.len()]),
        };
        torn.err().unwrap_or_else(injected)
    }
}

/// Counts the calls of one kind and says which fail: call number `at`
/// (0-based) alone (`once`), or it and every later one. Clones share the
/// count.
#[derive(Clone, Debug)]
struct Trigger {
    calls: Arc<AtomicU64>,
    at: Arc<AtomicU64>,
    once: bool,
}

impl Trigger {
    /// Call `at` fails, alone or with every later one; `u64::MAX`: none.
    fn new(at: u64, once: bool) -> Self {
        Trigger {
            calls: Default::default(),
            at: Arc::new(AtomicU64::new(at)),
            once,
        }
    }

    /// The call `n` from now fails: `n` more succeed first.
    fn arm(&self, n: u64) {
        self.at.store(self.calls().saturating_add(n), SeqCst);
    }

    /// No call fails any more.
    fn disarm(&self) {
        self.at.store(u64::MAX, SeqCst);
    }

    /// Calls counted so far.
    fn calls(&self) -> u64 {
        self.calls.load(SeqCst)
    }

    /// Counts one call; whether it must fail.
    fn hit(&self) -> bool {
        let n = self.calls.fetch_add(1, SeqCst);
        let at = self.at.load(SeqCst);
        if self.once {
            n == at
        } else {
            n >= at
        }
    }
}
