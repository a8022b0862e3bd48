//! The engine of one file: its I/O and its state behind one lock. Every
//! public operation is one transaction ([`Engine::txn`]): the caller
//! validates everything, then changes the state under the lock, so a
//! refused call changes nothing. Handles hold an `Arc<Engine>`; the last one
//! dropped commits and closes the file.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::engine::io::Io;
use crate::engine::state::State;
use crate::engine::{chunk_pipeline, commit};
use crate::error::{Error, Result};
use crate::format::superblock;
use crate::storage::Storage;

/// One open file.
pub(crate) struct Engine {
    io: Io,
    state: Mutex<State>,
}

impl Engine {
    /// A new file on `storage`, which must be empty; the empty file is
    /// committed at once.
    pub fn create(storage: Box<dyn Storage>) -> Result<Engine> {
        let describe = storage.describe();
        match storage.len() {
            Ok(0) => {}
            Ok(_) => {
                return Err(Error::Exists {
                    path: describe,
                    found: "the storage is not empty",
                })
            }
            Err(source) => {
                return Err(Error::Io {
                    path: describe,
                    action: "reading the length".into(),
                    source,
                })
            }
        }
        let engine = Engine {
            io: Io::new(storage),
            state: Mutex::new(State::new(superblock::SIZE)),
        };
        engine.flush()?;
        Ok(engine)
    }

    /// The existing file on `storage`, opened read-only: its groups,
    /// datasets and attributes loaded into the model. Nothing is written.
    pub fn open(storage: Box<dyn Storage>) -> Result<Engine> {
        let io = Io::read_only(storage);
        let state = crate::engine::load::load(&io)?;
        Ok(Engine {
            io,
            state: Mutex::new(state),
        })
    }

    /// The existing file on `storage`, opened to read and change it: loaded
    /// as by [`Engine::open`]; changes go to new space after its end and
    /// take effect at each commit's superblock switch, as in a new file.
    /// Nothing is written until something changes.
    pub fn open_rw(storage: Box<dyn Storage>) -> Result<Engine> {
        let io = Io::new(storage);
        let state = crate::engine::load::load(&io)?;
        crate::engine::load::check_changeable(&state.tree)?;
        Ok(Engine {
            io,
            state: Mutex::new(state),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // h5sink never panics while holding the lock; a poisoned mutex can
        // only come from a caller's panic elsewhere, and the state is intact.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `f` as one transaction: the file must accept changes (open, not
    /// read-only); `f` gets the I/O and the state under the lock, after
    /// every chunk filtering in the background was stored.
    pub fn txn<R>(&self, f: impl FnOnce(&Io, &mut State) -> Result<R>) -> Result<R> {
        self.txn_streaming(|io, st| {
            chunk_pipeline::settle(io, st)?;
            f(io, st)
        })
    }

    /// [`Engine::txn`] for writes of rows, which go on while chunks filter
    /// in the background (see `engine::chunk_pipeline`).
    pub fn txn_streaming<R>(&self, f: impl FnOnce(&Io, &mut State) -> Result<R>) -> Result<R> {
        self.io.check_writable()?;
        let mut st = self.lock();
        self.io.check_writable()?;
        f(&self.io, &mut st)
    }

    /// Run `f`, which only reads, under the lock: the file must be open
    /// (read-only is fine). Chunks filtering in the background are stored
    /// first, so `f` sees every row written.
    pub fn view<R>(&self, f: impl FnOnce(&Io, &State) -> Result<R>) -> Result<R> {
        self.io.check()?;
        let mut st = self.lock();
        self.io.check()?;
        chunk_pipeline::settle(&self.io, &mut st)?;
        f(&self.io, &st)
    }

    /// Read the state under the lock (works on a closed file too).
    pub fn read<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.lock())
    }

    /// The I/O, for positional writes outside the lock.
    pub fn io(&self) -> &Io {
        &self.io
    }

    /// How long space a commit supersedes waits before reuse.
    pub fn reader_grace(&self) -> Duration {
        self.read(|st| st.space.grace())
    }

    /// Set how long space a commit supersedes waits before reuse.
    pub fn set_reader_grace(&self, grace: Duration) {
        self.lock().space.set_grace(grace);
    }

    /// The file just got its name (see `engine::lead`).
    pub fn named(&self) {
        self.lock().lead.named();
    }

    /// Commit what changed (durably if the file is set so).
    pub fn flush(&self) -> Result<()> {
        if self.io.is_read_only() {
            // Nothing can have changed.
            return self.io.check();
        }
        let durable = self.io.is_durable();
        self.txn(|io, st| commit::commit(io, st, false, durable))
    }

    /// Commit durably, or, with nothing to commit, flush the data written
    /// since the last commit to the storage medium.
    pub fn sync(&self) -> Result<()> {
        self.txn(|io, st| {
            if st.is_dirty() {
                commit::commit(io, st, false, true)
            } else {
                io.sync("syncing to disk")
            }
        })
    }

    /// Commit and refuse all further work; `by` names the call.
    pub fn close(&self, by: &'static str) -> Result<()> {
        if self.io.is_read_only() {
            self.io.check()?;
            self.io.mark_closed(by);
            return Ok(());
        }
        let durable = self.io.is_durable();
        self.txn(|io, st| {
            commit::commit(io, st, true, durable)?;
            io.mark_closed(by);
            Ok(())
        })
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        if self.io.is_open() {
            // Best effort: an error here has nowhere to go; call `close` to see it.
            let _ = self.close("dropping the last handle");
        }
    }
}
