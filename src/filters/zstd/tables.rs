//! The match finders' hash and chain tables, kept per thread between
//! frames so that compressing a chunk neither allocates nor zeroes them.
//! Entries hold `base + position`; each frame takes a `base` above every
//! value an earlier frame stored, so older entries read as empty (below
//! `base`) without clearing. The tables are zeroed only when the bases
//! would pass `u32::MAX`.

use std::cell::RefCell;

/// The tables of one frame's finder and the base of its entries.
#[derive(Default)]
pub(super) struct Tables {
    pub(super) short: Vec<u32>,
    pub(super) long: Vec<u32>,
    pub(super) chain: Vec<u32>,
    /// The value stored for position 0 (at least 1; 0 is always empty).
    pub(super) base: u32,
}

/// Tables above this many entries in all are not kept between frames.
const KEEP_MAX: usize = 1 << 19;

thread_local! {
    /// The tables of this thread's last frame and the next free base.
    static POOL: RefCell<(Tables, u32)> = RefCell::new((Tables::default(), 1));
}

/// Resize `t` to `n` entries, new ones empty.
fn sized(t: &mut Vec<u32>, n: usize) {
    t.truncate(n);
    t.resize(n, 0);
}

impl Tables {
    /// Tables of the given sizes for a frame of `len` bytes: this thread's
    /// kept ones if any, with entries of earlier frames reading as empty.
    pub(super) fn take(short: usize, long: usize, chain: usize, len: usize) -> Self {
        let kept = POOL
            .try_with(|p| p.try_borrow_mut().ok().map(|mut p| std::mem::take(&mut *p)))
            .ok()
            .flatten();
        let (mut t, mut base) = kept.unwrap_or_default();
        let span = u32::try_from(len).ok().and_then(|n| n.checked_add(1));
        if span.map_or(true, |s| base.checked_add(s).is_none()) || base == 0 {
            t = Tables::default();
            base = 1;
        }
        sized(&mut t.short, short);
        sized(&mut t.long, long);
        sized(&mut t.chain, chain);
        t.base = base;
        t
    }

    /// Hand the tables back for the next frame, which will take bases
    /// from `next` on (the first value above every entry stored).
    pub(super) fn give_back(self, next: u32) {
        if self.short.len() + self.long.len() + self.chain.len() > KEEP_MAX {
            return;
        }
        // (Not kept if this thread's storage is already torn down.)
        let _ = POOL.try_with(|p| {
            if let Ok(mut p) = p.try_borrow_mut() {
                *p = (self, next);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_frames_see_earlier_entries_as_empty() {
        let mut t = Tables::take(16, 0, 8, 100);
        let base = t.base;
        assert!(base >= 1);
        t.short[3] = base + 99;
        t.give_back(base + 101);
        let t = Tables::take(32, 4, 0, 50);
        assert_eq!(t.base, base + 101);
        assert!(t.short.iter().all(|&e| e < t.base));
        assert_eq!((t.short.len(), t.long.len(), t.chain.len()), (32, 4, 0));
        // Bases near the top start over with zeroed tables.
        t.give_back(u32::MAX - 10);
        let t = Tables::take(16, 0, 0, 100);
        assert_eq!(t.base, 1);
        assert!(t.short.iter().all(|&e| e == 0));
        t.give_back(u32::MAX);
        assert_eq!(Tables::take(4, 0, 0, usize::MAX).base, 1);
    }
}
