//! [`Logged`]: a storage that records what h5sink asks of it.

use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use h5sink::Storage;

/// A call that changes or syncs the store, as [`Logged`] records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Write { offset: u64, len: u64 },
    SetLen(u64),
    Sync,
}

/// Wraps a storage and records every `write_at`, `set_len` and `sync` in
/// order, before passing it on (so a call that fails is recorded too), with
/// the tag set last ([`Logged::tag`], 0 at first). `len` is not recorded.
/// Clones share the log.
#[derive(Clone)]
pub struct Logged<S> {
    inner: S,
    log: Arc<Mutex<Vec<(usize, Call)>>>,
    tag: Arc<AtomicUsize>,
}

impl<S: Storage> Logged<S> {
    pub fn new(inner: S) -> Self {
        Logged {
            inner,
            log: Default::default(),
            tag: Default::default(),
        }
    }

    /// The wrapped storage.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The calls so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.log.lock().unwrap().iter().map(|&(_, c)| c).collect()
    }

    /// The calls so far, in order, each with its tag.
    pub fn tagged(&self) -> Vec<(usize, Call)> {
        self.log.lock().unwrap().clone()
    }

    /// Forgets the calls so far.
    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }

    /// Tags the calls from now on with `tag` (a step of a scenario, say).
    pub fn tag(&self, tag: usize) {
        self.tag.store(tag, SeqCst);
    }

    fn record(&self, call: Call) {
        let tag = self.tag.load(SeqCst);
        self.log.lock().unwrap().push((tag, call));
    }
}

impl<S: Storage> Storage for Logged<S> {
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.record(Call::Write {
            offset,
            len: data.len() as u64,
        });
        self.inner.write_at(offset, data)
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        self.record(Call::SetLen(len));
        self.inner.set_len(len)
    }
    fn len(&self) -> io::Result<u64> {
        self.inner.len()
    }
    fn sync(&self) -> io::Result<()> {
        self.record(Call::Sync);
        self.inner.sync()
    }
    fn describe(&self) -> PathBuf {
        self.inner.describe()
    }
}
