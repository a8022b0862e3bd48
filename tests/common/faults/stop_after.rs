//! [`StopAfter`]: a store that stops working, as under a killed process or
//! a dead disk.

use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;

use super::{injected, Fault, Trigger};
use h5sink::{MemStorage, Storage};

/// In-memory storage that accepts `limit` mutating calls (`write_at` and
/// `set_len`), then fails every later one, like a killed process or a
/// dead disk. A failing write fails as its [`Fault`] says (by default it
/// writes nothing). `len` and `sync` fail only when asked
/// to ([`StopAfter::fail_len`], [`StopAfter::fail_syncs_after`]).
#[derive(Clone)]
pub struct StopAfter {
    mem: MemStorage,
    writes: Trigger,
    fault: Fault,
    len_fails: Arc<AtomicBool>,
    syncs: Trigger,
}

impl StopAfter {
    /// A storage that accepts `limit` mutating calls.
    pub fn new(limit: u64) -> Self {
        StopAfter {
            mem: MemStorage::new(),
            writes: Trigger::new(limit, false),
            fault: Fault::Error,
            len_fails: Default::default(),
            syncs: Trigger::new(u64::MAX, false),
        }
    }

    /// A storage already holding `bytes` (an existing file; not counted as
    /// a write) that accepts `limit` mutating calls.
    pub fn holding(bytes: &[u8], limit: u64) -> Self {
        let s = Self::new(limit);
        s.mem.write_at(0, bytes).expect("memory storage");
        s
    }

    /// A storage that accepts every call until told otherwise.
    pub fn unlimited() -> Self {
        Self::new(u64::MAX)
    }

    /// Sets how a failing write fails.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.fault = fault;
        self
    }

    /// Accepts `k` more mutating calls from now on, then stops.
    pub fn arm(&self, k: u64) {
        self.writes.arm(k);
    }

    /// Stops now: every mutating call from now on fails.
    pub fn stop(&self) {
        self.arm(0);
    }

    /// Mutating calls attempted so far (failed ones included).
    pub fn writes(&self) -> u64 {
        self.writes.calls()
    }

    /// `len` fails from now on.
    pub fn fail_len(&self) {
        self.len_fails.store(true, SeqCst);
    }

    /// Accepts `n` more syncs from now on, then every sync fails.
    pub fn fail_syncs_after(&self, n: u64) {
        self.syncs.arm(n);
    }

    /// The bytes written so far.
    pub fn to_vec(&self) -> Vec<u8> {
        self.mem.to_vec()
    }
}

impl Storage for StopAfter {
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        if self.writes.hit() {
            return Err(self.fault.fail_write(&self.mem, offset, data));
        }
        self.mem.write_at(offset, data)
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.mem.read_at(offset, buf)
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        if self.writes.hit() {
            return Err(injected());
        }
        self.mem.set_len(len)
    }
    fn len(&self) -> io::Result<u64> {
        if self.len_fails.load(SeqCst) {
            return Err(injected());
        }
        self.mem.len()
    }
    fn sync(&self) -> io::Result<()> {
        if self.syncs.hit() {
            return Err(injected());
        }
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        PathBuf::from("<stop-after>")
    }
}
