//! The state behind every handle of one file, and the commit protocol.
//!
//! A commit makes the file on disk describe the current tree:
//! 1. plan every metadata block and encode them into one buffer;
//! 2. write that buffer into space the committed state does not use;
//! 3. grow the file to the new end-of-file address (data blocks reserved
//!    since the last commit may not have been written yet);
//! 4. rewrite the 96-byte superblock, which points at the new root: this
//!    single small write is the switch from the old state to the new one.
//!
//! A crash before step 4 leaves the old state intact (nothing it references
//! was touched); after it, the new state is complete. Space of the previous
//! state is reused only once the switch is done.
//!
//! That ordering holds for a crash of the process: the operating system
//! still writes everything out. Against power loss, a *durable* commit
//! (`File::sync`, or every commit after `File::set_durable(true)`) adds two
//! barriers: `fsync` after step 3, so the disk holds everything the new
//! superblock points at before it is written, and `fsync` after step 4, so
//! the switch is on disk before the next commit reuses the old state's space.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result};
use crate::model::{NodeId, Tree};
use crate::plan;
use crate::space::{Extent, Space};
use crate::storage::Storage;

/// Datasets up to this size are staged in memory until their first commit.
pub(crate) const STAGE_LIMIT: u64 = 64 * 1024;
/// Staged data beyond this is written out early, to bound memory.
const STAGED_MAX: u64 = 4 << 20;

const OPEN: u8 = 0;
const CLOSED: u8 = 1;
const FAILED: u8 = 2;

/// Mutable bookkeeping, behind the lock.
#[derive(Debug)]
pub(crate) struct State {
    pub tree: Tree,
    pub space: Space,
    /// Metadata changed since the last commit.
    pub dirty: bool,
    /// Nodes with ids below this are part of the committed state.
    pub committed_nodes: usize,
    /// Two metadata arenas used in turn: `arenas[current]` holds the
    /// committed metadata, the other one is free for the next commit.
    arenas: [Option<Extent>; 2],
    current: usize,
    /// Bytes held in datasets' `staged` images.
    staged_bytes: u64,
    /// The global heap collection string appends are filling (uncommitted).
    pub open_heap: Option<crate::heap::OpenCollection>,
}

impl State {
    /// Release `e`, owned by node `id`, at the right moment: now if no
    /// committed state can reference it, after the next commit otherwise.
    pub fn release(&mut self, id: NodeId, e: Extent) {
        if id < self.committed_nodes {
            self.space.release_after_commit(e);
        } else {
            self.space.release_now(e);
        }
    }
}

/// One open file: its storage, status and state.
pub(crate) struct Shared {
    storage: Box<dyn Storage>,
    status: AtomicU8,
    /// Every commit is durable (fsync barriers around the superblock switch).
    durable: AtomicBool,
    state: Mutex<State>,
    /// Kept apart from `state`: failures are recorded while `state` is locked.
    first_failure: Mutex<Option<String>>,
}

impl Shared {
    pub fn new(storage: Box<dyn Storage>) -> Self {
        Shared {
            storage,
            status: AtomicU8::new(OPEN),
            durable: AtomicBool::new(false),
            state: Mutex::new(State {
                tree: Tree::new(),
                space: Space::new(crate::format::superblock::SIZE),
                dirty: true,
                committed_nodes: 0,
                arenas: [None, None],
                current: 1,
                staged_bytes: 0,
                open_heap: None,
            }),
            first_failure: Mutex::new(None),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        // h5sink never panics while holding the lock; a poisoned mutex can
        // only come from a caller's panic elsewhere, and the state is intact.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Ok if the file accepts work.
    pub fn check(&self) -> Result<()> {
        match self.status.load(Ordering::Acquire) {
            OPEN => Ok(()),
            CLOSED => Err(Error::Closed),
            _ => Err(Error::Poisoned {
                first: self
                    .first_failure
                    .lock()
                    .map(|f| f.clone())
                    .unwrap_or_default()
                    .unwrap_or_default(),
            }),
        }
    }

    /// Turn an I/O result into h5sink's error, poisoning the file on failure.
    fn io<T>(&self, r: io::Result<T>, action: impl FnOnce() -> String) -> Result<T> {
        r.map_err(|source| {
            let e = Error::Io {
                path: self.storage.describe(),
                action: action(),
                source,
            };
            self.poison(&e);
            e
        })
    }

    /// Record the first failure; every later call gets `Error::Poisoned`.
    pub fn poison(&self, e: &Error) {
        if self.status.swap(FAILED, Ordering::AcqRel) != FAILED {
            if let Ok(mut f) = self.first_failure.lock() {
                f.get_or_insert_with(|| e.to_string());
            }
        }
    }

    /// Positional write of data bytes (rows, string blocks).
    pub fn write_at(&self, offset: u64, bytes: &[u8]) -> Result<()> {
        self.check()?;
        self.io(self.storage.write_at(offset, bytes), || {
            format!("writing {} bytes at offset {offset}", bytes.len())
        })
    }

    /// Copy `bytes` into the staged image of dataset `id` at `offset`.
    pub fn stage(&self, st: &mut State, id: NodeId, offset: u64, bytes: &[u8]) -> Result<()> {
        self.check()?;
        let mut grew = 0;
        if let Some(d) = st.tree.dataset_mut(id) {
            if d.spilled {
                let at = d.address + offset;
                return self.write_at(at, bytes);
            }
            let img = d.staged.get_or_insert_with(|| {
                grew = d.size;
                let n = d.size as usize; // at most STAGE_LIMIT
                match d.fill.as_deref() {
                    Some(f) if !f.is_empty() => f.iter().copied().cycle().take(n).collect(),
                    _ => vec![0; n],
                }
            });
            let start = offset as usize;
            if let Some(dst) = img.get_mut(start..start + bytes.len()) {
                dst.copy_from_slice(bytes);
            }
        }
        st.staged_bytes += grew;
        st.dirty = true;
        if st.staged_bytes > STAGED_MAX {
            self.write_staged(st)?;
        }
        Ok(())
    }

    /// Write every staged image to its data block, merging neighbours into
    /// one write. The blocks are not yet committed: order does not matter.
    fn write_staged(&self, st: &mut State) -> Result<()> {
        if st.staged_bytes == 0 {
            return Ok(());
        }
        let mut images: Vec<(u64, Vec<u8>)> = Vec::new();
        for node in st.tree.nodes.iter_mut().skip(st.committed_nodes) {
            if let crate::model::NodeKind::Dataset(d) = &mut node.kind {
                if let Some(img) = d.staged.take() {
                    images.push((d.address, img));
                    d.spilled = true;
                }
            }
        }
        st.staged_bytes = 0;
        images.sort_by_key(|(a, _)| *a);
        let mut run: Vec<u8> = Vec::new();
        let mut run_at = 0;
        for (at, img) in images {
            if run.is_empty() || run_at + run.len() as u64 != at {
                self.flush_run(run_at, &run)?;
                run.clear();
                run_at = at;
            }
            run.extend_from_slice(&img);
        }
        self.flush_run(run_at, &run)
    }

    fn flush_run(&self, at: u64, run: &[u8]) -> Result<()> {
        if run.is_empty() {
            return Ok(());
        }
        self.io(self.storage.write_at(at, run), || {
            format!("writing {} bytes of staged data at offset {at}", run.len())
        })
    }

    /// Make the file on disk describe `st.tree` (no-op if nothing changed).
    ///
    /// The metadata goes into the arena the committed state does not use.
    /// When it outgrows that arena, a new one with twice the room it needs
    /// replaces it, so a stream of growing commits reuses space instead of
    /// leaving every old copy behind (dead space stays a small multiple of the
    /// metadata, however many commits there are); the final commit (`closing`) takes
    /// exactly what it needs.
    pub fn commit(&self, st: &mut State, closing: bool) -> Result<()> {
        let durable = self.durable.load(Ordering::Acquire);
        self.commit_ordered(st, closing, durable)
    }

    /// [`Shared::commit`], with fsync barriers around the superblock switch
    /// when `durable`.
    fn commit_ordered(&self, st: &mut State, closing: bool, durable: bool) -> Result<()> {
        self.check()?;
        if !st.dirty {
            return Ok(());
        }
        self.write_staged(st)?;
        // Open chunks go to disk before the index that points at them.
        let chunked: Vec<NodeId> = (0..st.tree.nodes.len())
            .filter(|&id| st.tree.dataset_mut(id).is_some_and(|d| d.chunked.is_some()))
            .collect();
        for id in chunked {
            crate::chunked::store_open(self, st, id)?;
        }
        // Plan at 0 to learn the size, then move the plan to its arena.
        let mut p = plan::plan(&st.tree, 0)?;
        let size = p.size();
        let target = 1 - st.current;
        let region = match st.arenas[target] {
            Some(arena) if arena.len >= size => arena,
            old => {
                // The committed state lives in the other arena: this one is unreferenced.
                if let Some(old) = old {
                    st.space.release_now(old);
                    st.arenas[target] = None;
                }
                let room = if closing {
                    size
                } else {
                    size.saturating_mul(2)
                };
                let arena = st.space.alloc(room)?;
                st.arenas[target] = Some(arena);
                arena
            }
        };
        p.rebase(region.start);
        let bytes = crate::emit::emit(&p)?;
        self.io(self.storage.write_at(region.start, &bytes), || {
            format!(
                "writing {} bytes of metadata at offset {}",
                bytes.len(),
                region.start
            )
        })?;
        let eof = st.space.end();
        let len = self.io(self.storage.len(), || "reading the file length".into())?;
        if len < eof {
            self.io(self.storage.set_len(eof), || {
                format!("extending the file to {eof} bytes")
            })?;
        }
        if durable {
            self.io(self.storage.sync(), || {
                "syncing data and metadata to disk before the superblock switch".into()
            })?;
        }
        let sb = p.superblock(eof).encode();
        self.io(self.storage.write_at(0, &sb), || {
            "writing the superblock".into()
        })?;
        if durable {
            self.io(self.storage.sync(), || {
                "syncing the superblock to disk".into()
            })?;
        }
        st.current = target;
        st.space.committed();
        // The committed state may refer to the open collection: seal it.
        st.open_heap = None;
        st.committed_nodes = st.tree.nodes.len();
        st.dirty = false;
        Ok(())
    }

    /// Commit and refuse all further work.
    pub fn close(&self) -> Result<()> {
        let mut st = self.lock();
        let r = self.commit(&mut st, true);
        if r.is_ok() {
            self.status.store(CLOSED, Ordering::Release);
        }
        r
    }

    /// Whether the file is still open (not closed, not failed).
    pub fn is_open(&self) -> bool {
        self.status.load(Ordering::Acquire) == OPEN
    }

    /// Commit durably, or, with nothing to commit, flush the data written
    /// since the last commit to the storage medium.
    pub fn sync(&self) -> Result<()> {
        let mut st = self.lock();
        if st.dirty {
            return self.commit_ordered(&mut st, false, true);
        }
        self.check()?;
        self.io(self.storage.sync(), || "syncing to disk".into())
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
