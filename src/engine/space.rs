//! File-space accounting: which byte ranges are in use, free, waiting for
//! the next commit to stop referencing them, or cooling: superseded, but
//! kept for the reader grace period, since a reader that opened the file
//! before the switch may still be reading them (`spec-notes/readers.md`).

use std::time::Duration;

use crate::error::Result;
use crate::format::field;

/// A half-open byte range `[start, start + len)` of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Extent {
    pub start: u64,
    pub len: u64,
}

impl Extent {
    pub fn end(&self) -> u64 {
        self.start + self.len
    }
}

/// The file's space. Everything below `end` is allocated or free; `end` is
/// the end-of-file address the next commit records.
#[derive(Debug)]
pub(crate) struct Space {
    end: u64,
    /// Free ranges, sorted by start, never adjacent.
    free: Vec<Extent>,
    /// Ranges the committed state still references; they cool after the next commit.
    retiring: Vec<Extent>,
    /// Ranges no commit since `Stamp` references, not yet past the grace,
    /// oldest first.
    cooling: Vec<(Stamp, Extent)>,
    /// How long superseded ranges wait before they are reused.
    grace: Duration,
}

/// The moment a commit superseded something: `None` without a grace period
/// (or without a clock), which is reusable at once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stamp(Option<std::time::Instant>);

/// Now, where the platform has a clock (wasm32-unknown-unknown has none:
/// there `Instant::now` panics, and a file lives in memory anyway).
#[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
pub(crate) fn now() -> Option<std::time::Instant> {
    Some(std::time::Instant::now())
}

#[cfg(all(target_family = "wasm", target_os = "unknown"))]
pub(crate) fn now() -> Option<std::time::Instant> {
    None
}

impl Space {
    pub fn new(start: u64) -> Self {
        Space {
            end: start,
            free: Vec::new(),
            retiring: Vec::new(),
            cooling: Vec::new(),
            grace: Duration::ZERO,
        }
    }

    /// How long superseded ranges wait before reuse.
    pub fn grace(&self) -> Duration {
        self.grace
    }

    /// Set how long superseded ranges wait before reuse (from now on; what
    /// already cools keeps its stamp and is judged by the new value).
    pub fn set_grace(&mut self, grace: Duration) {
        self.grace = grace;
    }

    /// The stamp of something superseded now.
    pub fn stamp(&self) -> Stamp {
        if self.grace.is_zero() {
            Stamp(None)
        } else {
            Stamp(now())
        }
    }

    /// Whether something superseded at `s` is past the grace period.
    pub fn matured(&self, s: Stamp) -> bool {
        s.0.map_or(true, |t| t.elapsed() >= self.grace)
    }

    /// Free every cooling range past the grace period (they cool in the
    /// order of their stamps: the matured ones come first).
    fn reclaim(&mut self) {
        let done = self
            .cooling
            .iter()
            .position(|&(s, _)| !self.matured(s))
            .unwrap_or(self.cooling.len());
        if done > 0 {
            let ready: Vec<Extent> = self.cooling.drain(..done).map(|(_, e)| e).collect();
            for e in ready {
                self.release_now(e);
            }
        }
    }

    /// Bytes superseded but still inside the grace period.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn cooling_bytes(&self) -> u64 {
        self.cooling.iter().map(|(_, e)| e.len).sum()
    }

    /// End of the allocated address space.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Bytes in free ranges below `end`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn free_bytes(&self) -> u64 {
        self.free.iter().map(|e| e.len).sum()
    }

    /// Reserve `len` bytes: the first free range that fits, else the end.
    pub fn alloc(&mut self, len: u64) -> Result<Extent> {
        self.reclaim();
        if len > 0 {
            if let Some(i) = self.free.iter().position(|e| e.len >= len) {
                let e = &mut self.free[i];
                let got = Extent {
                    start: e.start,
                    len,
                };
                e.start += len;
                e.len -= len;
                if e.len == 0 {
                    self.free.remove(i);
                }
                return Ok(got);
            }
        }
        let start = self.end;
        self.end = field::add("end of file address", start, len)?;
        Ok(Extent { start, len })
    }

    /// Reserve `len` bytes at the end of the file, never reusing freed space:
    /// such bytes read as zeros until written (data blocks rely on that).
    pub fn alloc_fresh(&mut self, len: u64) -> Result<Extent> {
        let start = self.end;
        self.end = field::add("end of file address", start, len)?;
        Ok(Extent { start, len })
    }

    /// Return a range that no state on disk references (never committed).
    pub fn release_now(&mut self, e: Extent) {
        if e.len == 0 {
            return;
        }
        let i = self.free.partition_point(|f| f.start < e.start);
        self.free.insert(i, e);
        // Merge with neighbours.
        if i + 1 < self.free.len() && self.free[i].end() == self.free[i + 1].start {
            self.free[i].len += self.free[i + 1].len;
            self.free.remove(i + 1);
        }
        if i > 0 && self.free[i - 1].end() == self.free[i].start {
            self.free[i - 1].len += self.free[i].len;
            self.free.remove(i);
        }
    }

    /// Free `e` once the next commit has replaced the state that references
    /// it and the grace period has passed.
    pub fn release_after_commit(&mut self, e: Extent) {
        if e.len > 0 {
            self.retiring.push(e);
        }
    }

    /// Free `e`, superseded at `s`, once the grace period has passed.
    pub fn release_cooled(&mut self, s: Stamp, e: Extent) {
        if e.len > 0 {
            self.cooling.push((s, e));
        }
    }

    /// The commit went through at `s`: what it superseded cools (is free at
    /// once without a grace period).
    pub fn committed(&mut self, s: Stamp) {
        for e in std::mem::take(&mut self.retiring) {
            self.release_cooled(s, e);
        }
        self.reclaim();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fit_merge_and_retire() {
        let mut s = Space::new(96);
        let a = s.alloc(100).unwrap();
        let b = s.alloc(50).unwrap();
        let c = s.alloc(10).unwrap();
        assert_eq!((a.start, b.start, c.start, s.end()), (96, 196, 246, 256));
        s.release_after_commit(a);
        assert_eq!(
            s.alloc(10).unwrap().start,
            256,
            "retiring space is not reused before the commit"
        );
        s.committed(s.stamp());
        s.release_now(b);
        assert_eq!(
            s.free,
            vec![Extent {
                start: 96,
                len: 150
            }]
        );
        assert_eq!(s.alloc(120).unwrap().start, 96);
        assert_eq!(s.free_bytes(), 30);
    }

    #[test]
    fn superseded_space_waits_for_the_grace_period() {
        let mut s = Space::new(96);
        s.set_grace(Duration::from_millis(150));
        let a = s.alloc(100).unwrap();
        s.release_after_commit(a);
        s.committed(s.stamp());
        assert_eq!(s.cooling_bytes(), 100);
        assert_eq!(
            s.alloc(10).unwrap().start,
            196,
            "cooling space is not reused"
        );
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(s.alloc(10).unwrap().start, 96, "reused after the grace");
        assert_eq!((s.cooling_bytes(), s.free_bytes()), (0, 90));
        // Without a grace period, a commit frees at once.
        s.set_grace(Duration::ZERO);
        let b = s.alloc(50).unwrap();
        s.release_after_commit(b);
        s.committed(s.stamp());
        assert_eq!((s.cooling_bytes(), s.free_bytes()), (0, 90));
    }
}
