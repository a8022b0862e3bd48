//! The file's length kept ahead of its end-of-file address while a reader
//! grace period is set, and the end-of-file address each superblock
//! records. libhdf5 takes the file's length when it opens a file, before it
//! reads the superblock, and refuses a superblock whose end-of-file address
//! is larger ("truncated file"); and a read of the superblock that overlaps
//! several commits' writes may take the end-of-file address from an older
//! commit than the root (Linux does not lock the page against the read). So:
//! - the file is grown ahead, to the end plus four times what one grace
//!   period allocates (the last one's, or the current one's pace) plus
//!   4 MiB, whenever less than twice that is left;
//! - a superblock records as its end not the exact end but the largest
//!   length the file reached at least one grace period ago (or before it
//!   had its name: no reader could look before), if that covers the end;
//!   else the oldest length it was grown to that does.
//!   That value changes rarely, and each new one was the file's length long
//!   before, so readers never see a length shorter than a superblock claims,
//!   and a read mixing two commits' superblocks gets an end that covers both.
//!
//! The unused tail is cut at close, whose superblock records the exact end.
//! Without a grace period, the file grows to exactly its end, as before.
//! Spec notes: `spec-notes/readers.md`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::engine::io::Io;
use crate::engine::space;
use crate::error::Result;

/// Grown at least this far ahead of the end (sparse where the file system
/// allows, and cut at close).
const MIN_LEAD: u64 = 4 << 20;

/// How far ahead the file's length is kept.
#[derive(Debug, Default)]
pub(crate) struct Lead {
    /// Start of the current window: when, and the end-of-file address then.
    window: Option<(Instant, u64)>,
    /// Bytes allocated in the last whole window (one grace period).
    recent: u64,
    /// Lengths the file was grown to, and when, not yet a grace period old.
    grown: VecDeque<(Instant, u64)>,
    /// The largest length the file had a grace period ago (or before any
    /// reader could open it): what superblocks may record as their end.
    settled: u64,
    /// The file was grown past its end: cut it at close.
    ahead: bool,
}

impl Lead {
    /// Before the superblock of a commit whose content ends at `eof`: make
    /// the file long enough, and far enough ahead with a reader grace
    /// period. Returns the end-of-file address the superblock records.
    pub fn grow(&mut self, io: &Io, eof: u64, grace: Duration) -> Result<u64> {
        let now = if grace.is_zero() { None } else { space::now() };
        let Some(now) = now else {
            io.grow_to(eof)?;
            return Ok(eof);
        };
        let (since, from) = *self.window.get_or_insert((now, eof));
        let current = eof.saturating_sub(from);
        let elapsed = now.duration_since(since);
        if elapsed >= grace {
            self.recent = current;
            self.window = Some((now, eof));
        }
        // This window's pace, over a whole grace period (at least an eighth
        // of one elapsed, so a burst right after a window starts is not
        // multiplied without bound).
        let part = elapsed.max(grace / 8).as_secs_f64();
        let pace = (current as f64 * grace.as_secs_f64() / part) as u64;
        let need = self.recent.max(pace);
        let len = io.len()?;
        if len < eof.saturating_add(need.saturating_mul(2)) {
            let to = eof
                .saturating_add(need.saturating_mul(4))
                .saturating_add(MIN_LEAD);
            io.grow_to(to)?;
            self.grown.push_back((now, to));
            self.ahead = true;
        }
        while let Some(&(at, to)) = self.grown.front() {
            if now.duration_since(at) < grace {
                break;
            }
            self.settled = self.settled.max(to);
            self.grown.pop_front();
        }
        if self.settled >= eof {
            return Ok(self.settled);
        }
        // Not settled yet (a stream faster than the lead assumed): the
        // oldest length that covers the end, which changes rarely.
        Ok(self
            .grown
            .iter()
            .map(|&(_, to)| to)
            .find(|&to| to >= eof)
            .unwrap_or(eof))
    }

    /// The file just got its name: no reader could have looked at it
    /// before, so every length it reached counts as settled.
    pub fn named(&mut self) {
        for (_, to) in self.grown.drain(..) {
            self.settled = self.settled.max(to);
        }
    }

    /// Whether the file was grown past its content (cut at close).
    pub fn is_ahead(&self) -> bool {
        self.ahead
    }
}
