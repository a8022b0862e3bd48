//! The match finders: one pass over a block, with tables that persist
//! across the blocks of a frame so matches may reach back into earlier
//! blocks (up to `window` bytes).

use super::matcher::{common, hash, params, read64, Out, Params, Strategy};
use super::tables::Tables;

/// Positions (`base + position`; below `base` is empty) keyed by hash,
/// and the hash chains.
pub(super) struct Finder {
    pub(super) p: Params,
    pub(super) window: usize,
    pub(super) short: Vec<u32>,
    pub(super) long: Vec<u32>,
    chain: Vec<u32>,
    /// Entries are `base + position`; every earlier frame's are below it
    /// (and `base` + the input's length fits in a `u32`: [`Tables::take`]).
    pub(super) base: u32,
    /// The input's length: the next frame's tables start above it.
    len: usize,
    /// The next position to enter into the chains.
    next: usize,
}

impl Drop for Finder {
    fn drop(&mut self) {
        let t = Tables {
            short: std::mem::take(&mut self.short),
            long: std::mem::take(&mut self.long),
            chain: std::mem::take(&mut self.chain),
            base: self.base,
        };
        let next = u32::try_from(self.len)
            .ok()
            .and_then(|n| self.base.checked_add(n)?.checked_add(1));
        t.give_back(next.unwrap_or(0));
    }
}

/// Bytes a match finder leaves to the end of a block (it reads 8 ahead).
pub(super) const TAIL: usize = 8;
/// Hash chains skip faster over data without matches: the step grows
/// every 2^(6 + 2) bytes.
const SKIP: u32 = 6;
/// The longest step: probes stay dense enough to meet the positions of
/// an earlier copy.
pub(super) const MAX_STEP: usize = 31;

impl Finder {
    /// A finder for `level` over an input of `len` bytes, matching up to
    /// `window` bytes back.
    pub(super) fn new(level: u32, window: usize, len: usize) -> Self {
        let p = params(level);
        let (long, chain) = match p.strategy {
            Strategy::Fast => (0, 0),
            Strategy::DoubleFast => (1 << p.chain_log, 0),
            Strategy::Chain { .. } => (0, 1 << p.chain_log),
        };
        let t = Tables::take(1 << p.hash_log, long, chain, len);
        Self {
            short: t.short,
            long: t.long,
            chain: t.chain,
            base: t.base,
            len,
            p,
            window,
            next: 0,
        }
    }

    /// The entry of position `pos`.
    #[inline(always)]
    fn entry(&self, pos: usize) -> u32 {
        (pos as u32).wrapping_add(self.base)
    }

    /// Find the sequences of `data[start..end]`, leaving the last
    /// literals in `out.lits` after the last sequence's.
    pub(super) fn block(&mut self, data: &[u8], start: usize, end: usize, out: &mut Out) {
        let anchor = match self.p.strategy {
            Strategy::Fast | Strategy::DoubleFast => self.fast(data, start, end, out),
            Strategy::Chain { lazy } => self.lazy(data, start, end, lazy, out),
        };
        out.lits.extend_from_slice(&data[anchor..end]);
    }

    /// Enter positions up to `pos` (exclusive) into the hash chains.
    fn insert(&mut self, data: &[u8], pos: usize) {
        let mask = self.chain.len() - 1;
        while self.next < pos {
            let h = hash(read64(data, self.next), self.p.min_match, self.p.hash_log);
            self.chain[self.next & mask] = self.short[h];
            self.short[h] = self.entry(self.next);
            self.next += 1;
        }
    }

    /// The longest match at `pos` (repeat offsets first, then up to
    /// `depth` chain candidates): (offset, length).
    fn best(
        &mut self,
        data: &[u8],
        pos: usize,
        end: usize,
        reps: [u32; 3],
    ) -> Option<(usize, usize)> {
        self.insert(data, pos);
        let min = self.p.min_match as usize;
        let mut best: Option<(usize, usize)> = None;
        for r in reps {
            let r = r as usize;
            if r <= pos && r <= self.window {
                let len = common(data, pos - r, pos, end);
                if len >= min.max(3) && best.map_or(true, |(_, l)| len > l) {
                    best = Some((r, len));
                }
            }
        }
        let h = hash(read64(data, pos), self.p.min_match, self.p.hash_log);
        let mask = self.chain.len() - 1;
        let mut cand = self.short[h];
        let target = self.p.target as usize;
        for _ in 0..self.p.depth {
            let Some(c) = cand.checked_sub(self.base) else {
                break;
            };
            let c = c as usize;
            let off = pos - c;
            if off == 0 || off > self.window || pos - c > mask {
                break;
            }
            let have = best.map_or(min - 1, |(_, l)| l);
            if c + have < data.len() && data[c + have] == data[pos + have.min(end - pos - 1)] {
                let len = common(data, c, pos, end);
                if len > have {
                    best = Some((off, len));
                    if len >= target || pos + len >= end {
                        break;
                    }
                }
            }
            cand = self.chain[c & mask];
        }
        best
    }

    /// Hash chains with greedy or lazy matching.
    fn lazy(&mut self, data: &[u8], start: usize, end: usize, lazy: u8, out: &mut Out) -> usize {
        let mut anchor = start;
        let mut pos = start.max(1);
        self.next = self.next.max(1).min(pos);
        // Worth of a match: its length against the bits of its offset.
        let gain = |(off, len): (usize, usize)| {
            4 * len as i64 - i64::from(32 - (off as u32 + 3).leading_zeros())
        };
        while pos + TAIL <= end {
            let Some(mut m) = self.best(data, pos, end, out.reps) else {
                pos += 1 + ((pos - anchor) >> (SKIP + 2)).min(MAX_STEP);
                continue;
            };
            let mut at = pos;
            for _ in 0..lazy {
                if at + 1 + TAIL > end {
                    break;
                }
                match self.best(data, at + 1, end, out.reps) {
                    Some(n) if gain(n) > gain(m) + 4 => {
                        m = n;
                        at += 1;
                    }
                    _ => break,
                }
            }
            let (off, mut len) = m;
            while at > anchor && at > off && data[at - 1] == data[at - 1 - off] {
                at -= 1;
                len += 1;
            }
            out.push(data, anchor, at, off as u32, len as u32);
            pos = at + len;
            anchor = pos;
        }
        self.insert(data, end.saturating_sub(TAIL).max(self.next));
        anchor
    }
}
