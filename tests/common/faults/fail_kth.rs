//! [`FailKth`]: one failing call in an otherwise working store.

use std::io;
use std::path::PathBuf;

use super::{injected, Fault, Trigger};
use h5sink::{MemStorage, Storage};

/// In-memory storage whose k-th mutating call (`write_at` or `set_len`,
/// counted from 1) fails as its [`Fault`] says. The calls after it succeed
/// again: it is h5sink that must refuse to write any more.
#[derive(Clone)]
pub struct FailKth {
    mem: MemStorage,
    writes: Trigger,
    fault: Fault,
}

impl FailKth {
    /// The `k`-th mutating call (`k >= 1`; `u64::MAX`: none) fails with `fault`.
    pub fn new(fault: Fault, k: u64) -> Self {
        assert!(k >= 1, "FailKth counts calls from 1");
        FailKth {
            mem: MemStorage::new(),
            writes: Trigger::new(k - 1, true),
            fault,
        }
    }

    /// A storage already holding `bytes` (an existing file; not counted as
    /// a write) whose `k`-th mutating call fails with `fault`.
    pub fn holding(bytes: &[u8], fault: Fault, k: u64) -> Self {
        let s = Self::new(fault, k);
        s.mem.write_at(0, bytes).expect("memory storage");
        s
    }

    /// Mutating calls attempted so far (the failed one included).
    pub fn writes(&self) -> u64 {
        self.writes.calls()
    }

    /// The bytes written so far.
    pub fn to_vec(&self) -> Vec<u8> {
        self.mem.to_vec()
    }
}

impl Storage for FailKth {
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
        self.mem.len()
    }
    fn sync(&self) -> io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        PathBuf::from("<fail-kth>")
    }
}
