//! [`Sparse`]: a sparse in-memory store that tracks durability and fails
//! on demand, for the fuzz targets.

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::{injected, Trigger};
use h5sink::Storage;

/// Written pages by page number, and the store's length.
type Pages = (BTreeMap<u64, Box<[u8; 4096]>>, u64);

/// A sparse in-memory `Storage`: 4 KiB pages, only the ones written. A
/// huge declared dataset costs nothing until rows arrive, so the target can
/// check that h5sink itself allocates nothing in proportion to a shape.
/// One write or one sync fails when armed ([`Sparse::arm`]).
#[derive(Clone)]
pub struct Sparse {
    inner: Arc<Mutex<Pages>>,
    log: Arc<Mutex<SyncLog>>,
    writes: Trigger,
    syncs: Trigger,
}

impl Default for Sparse {
    fn default() -> Self {
        Sparse {
            inner: Default::default(),
            log: Default::default(),
            writes: Trigger::new(u64::MAX, true),
            syncs: Trigger::new(u64::MAX, true),
        }
    }
}

/// What a `Sparse` store saw of syncs and superblock writes (offset 0), to
/// check durable commits, and the storage faults the input asked for.
#[derive(Clone, Copy, Debug, Default)]
pub struct SyncLog {
    /// `sync` calls that succeeded.
    pub syncs: u64,
    /// Writes at offset 0 (the superblock) that succeeded.
    pub sb_writes: u64,
    /// Data or metadata written since the last sync.
    pub data_unsynced: bool,
    /// A superblock written since the last sync.
    pub sb_unsynced: bool,
    /// Superblock writes made while other bytes were not yet synced.
    pub sb_over_unsynced: u64,
    /// Faults injected so far (failed writes or syncs).
    pub faults: u64,
}

impl Sparse {
    pub fn log(&self) -> SyncLog {
        *self.log.lock().unwrap()
    }
    /// Make the write (`write`) or sync after `after` more succeed fail,
    /// once; this replaces the fault armed before, of either kind.
    pub fn arm(&self, write: bool, after: u32) {
        let (armed, other) = if write {
            (&self.writes, &self.syncs)
        } else {
            (&self.syncs, &self.writes)
        };
        other.disarm();
        armed.arm(u64::from(after));
    }
    pub fn pages(&self) -> usize {
        self.inner.lock().unwrap().0.len()
    }
    pub fn logical_len(&self) -> u64 {
        self.inner.lock().unwrap().1
    }
    /// The whole file, if it is at most `max` bytes.
    pub fn to_vec(&self, max: u64) -> Option<Vec<u8>> {
        let g = self.inner.lock().unwrap();
        if g.1 > max {
            return None;
        }
        let mut out = vec![0u8; g.1 as usize];
        for (&p, page) in &g.0 {
            let start = (p * 4096) as usize;
            if start >= out.len() {
                continue;
            }
            let n = (out.len() - start).min(4096);
            out[start..start + n].copy_from_slice(&page[..n]);
        }
        Some(out)
    }
}

impl Storage for Sparse {
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        let end = offset
            .checked_add(data.len() as u64)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "offset overflow"))?;
        {
            let mut log = self.log.lock().unwrap();
            if self.writes.hit() {
                log.faults += 1;
                return Err(injected());
            }
            if offset == 0 {
                log.sb_writes += 1;
                log.sb_unsynced = true;
                if log.data_unsynced {
                    log.sb_over_unsynced += 1;
                }
            } else if !data.is_empty() {
                log.data_unsynced = true;
            }
        }
        let mut g = self.inner.lock().unwrap();
        let mut at = offset;
        let mut rest = data;
        while !rest.is_empty() {
            let page = g.0.entry(at / 4096).or_insert_with(|| Box::new([0; 4096]));
            let o = (at % 4096) as usize;
            let n = rest.len().min(4096 - o);
            page[o..o + n].copy_from_slice(&rest[..n]);
            rest = &rest[n..];
            at += n as u64;
        }
        g.1 = g.1.max(end);
        Ok(())
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        let mut g = self.inner.lock().unwrap();
        g.1 = len;
        let first_gone = len.div_ceil(4096);
        let _ = g.0.split_off(&first_gone);
        if len % 4096 != 0 {
            if let Some(p) = g.0.get_mut(&(len / 4096)) {
                p[(len % 4096) as usize..].fill(0);
            }
        }
        Ok(())
    }
    fn len(&self) -> io::Result<u64> {
        Ok(self.inner.lock().unwrap().1)
    }
    fn sync(&self) -> io::Result<()> {
        let mut log = self.log.lock().unwrap();
        if self.syncs.hit() {
            log.faults += 1;
            return Err(injected());
        }
        log.syncs += 1;
        log.data_unsynced = false;
        log.sb_unsynced = false;
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        PathBuf::from("<sparse>")
    }
}
