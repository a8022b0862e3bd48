//! The file's length kept ahead of its end-of-file address while a reader
//! grace period is set. libhdf5 takes the file's length when it opens a
//! file, before it reads the superblock, and refuses a superblock whose
//! end-of-file address is larger ("truncated file"); a commit between the
//! two would make a reader fail if each commit grew the file to exactly
//! its new end. So the file is grown ahead, by twice what the last grace
//! period allocated plus 1 MiB, whenever less than one grace period's worth
//! is left: at a steady pace, every length a superblock needs was reached
//! at least a grace period before. The unused tail is cut at close (after
//! the last superblock, whose end-of-file address every earlier one is at
//! most). Without a grace period, the file grows to exactly its end, as
//! before. Spec notes: `spec-notes/readers.md`.

use std::time::Instant;

use crate::engine::io::Io;
use crate::engine::space;
use crate::error::Result;

/// Grown at least this far ahead of the end.
const MIN_LEAD: u64 = 1 << 20;

/// How far ahead the file's length is kept.
#[derive(Debug, Default)]
pub(crate) struct Lead {
    /// Start of the current window: when, and the end-of-file address then.
    window: Option<(Instant, u64)>,
    /// Bytes allocated in the last whole window (one grace period).
    recent: u64,
    /// The file was grown past its end: cut it at close.
    ahead: bool,
}

impl Lead {
    /// Before the superblock that records `eof` is written: make the file
    /// at least `eof` long, and with a reader grace period, far enough ahead.
    pub fn grow(&mut self, io: &Io, eof: u64, grace: std::time::Duration) -> Result<()> {
        let now = if grace.is_zero() { None } else { space::now() };
        let Some(now) = now else {
            return io.grow_to(eof);
        };
        let (since, from) = *self.window.get_or_insert((now, eof));
        let current = eof.saturating_sub(from);
        if now.duration_since(since) >= grace {
            self.recent = current;
            self.window = Some((now, eof));
        }
        let need = self.recent.max(current);
        let len = io.len()?;
        if len < eof.saturating_add(need) {
            let to = eof
                .saturating_add(need.saturating_mul(2))
                .saturating_add(MIN_LEAD);
            io.grow_to(to)?;
            self.ahead = true;
        }
        Ok(())
    }

    /// After the final superblock, recording `eof`: cut the unused tail.
    pub fn trim(&self, io: &Io, eof: u64) -> Result<()> {
        if self.ahead && io.len()? > eof {
            io.trim_to(eof)?;
        }
        Ok(())
    }
}
