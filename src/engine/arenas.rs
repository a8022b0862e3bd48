//! The metadata arenas: each commit writes all its metadata into one arena
//! that no earlier commit a reader may still use occupies. The committed
//! state's arena is `current`; arenas of superseded commits are `spare`,
//! stamped with the moment they were superseded, and are reused only once
//! the file's reader grace period has passed (`spec-notes/readers.md`).
//! Without a grace period this is the two-arena scheme of
//! `spec-notes/commit.md`: the arena of the commit before the last is reused.

use crate::engine::space::{Extent, Space, Stamp};
use crate::error::Result;

/// The arenas of one file.
#[derive(Debug, Default)]
pub(crate) struct Arenas {
    /// The arena holding the committed metadata (none before the first
    /// commit, or in a file opened to change it: its metadata is the
    /// original file's).
    pub current: Option<Extent>,
    /// Arenas of superseded commits, oldest first, with when they were superseded.
    spare: std::collections::VecDeque<(Stamp, Extent)>,
}

impl Arenas {
    /// An arena for `size` bytes of new metadata: the oldest spare arena
    /// past the grace period that is large enough, else a new one with
    /// twice the room (an eighth more with a grace period; exactly `size`
    /// for the final commit, `closing`).
    /// Spare arenas past the grace period that are too small go back to
    /// the free space. The result is not `current` until [`Arenas::committed`].
    pub fn take(&mut self, space: &mut Space, size: u64, closing: bool) -> Result<Extent> {
        // Spare arenas are in the order of their stamps: the matured ones first.
        while let Some(&(stamp, arena)) = self.spare.front() {
            if !space.matured(stamp) {
                break;
            }
            self.spare.pop_front();
            if arena.len >= size {
                return Ok(arena);
            }
            space.release_now(arena);
        }
        let room = if closing {
            size
        } else if space.grace().is_zero() {
            size.saturating_mul(2)
        } else {
            // Many arenas wait at once: little slack each (freed arenas
            // merge with their neighbours into room for larger metadata).
            size.saturating_add(size / 8)
        };
        space.alloc(room)
    }

    /// The commit into `arena` went through at `stamp`: the arena it
    /// replaces is spare from now on.
    pub fn committed(&mut self, arena: Extent, stamp: Stamp) {
        if let Some(old) = self.current.replace(arena) {
            self.spare.push_back((stamp, old));
        }
    }

    /// Bytes in spare arenas (still in their grace period or not).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn spare_bytes(&self) -> u64 {
        self.spare.iter().map(|(_, e)| e.len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn without_grace_the_arena_before_last_is_reused() {
        let mut space = Space::new(96);
        let mut a = Arenas::default();
        let first = a.take(&mut space, 100, false).unwrap();
        a.committed(first, space.stamp());
        let second = a.take(&mut space, 100, false).unwrap();
        assert_eq!((first.start, second.start), (96, 296));
        a.committed(second, space.stamp());
        assert_eq!(a.take(&mut space, 150, false).unwrap(), first);
        // Too small: back to the free space, and a new arena at the end.
        a.committed(first, space.stamp());
        assert_eq!(a.take(&mut space, 250, false).unwrap().start, 496);
        assert_eq!(space.free_bytes(), 200);
    }

    #[test]
    fn with_grace_spare_arenas_wait() {
        let mut space = Space::new(96);
        space.set_grace(Duration::from_millis(100));
        let mut a = Arenas::default();
        let mut taken = Vec::new();
        for _ in 0..5 {
            let arena = a.take(&mut space, 8, false).unwrap();
            a.committed(arena, space.stamp());
            taken.push(arena.start);
        }
        assert_eq!(
            taken,
            [96, 105, 114, 123, 132],
            "an eighth of slack each; nothing reused within the grace"
        );
        assert_eq!(a.spare_bytes(), 36);
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(
            a.take(&mut space, 9, false).unwrap().start,
            96,
            "the oldest first"
        );
    }
}
