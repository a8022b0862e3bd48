//! Level parameters and the parts every match finder shares: hashing,
//! match extension, and turning a match into a [`Sequence`] while keeping
//! the three repeat offsets exactly as a decoder will (RFC 8878,
//! 3.1.1.5).
//!
//! The levels follow the shape of libzstd's table for inputs up to
//! 128 KiB (HDF5 chunks are compressed one by one, so the window is the
//! chunk): level 1-2 a single-probe hash ("fast"), 3-4 two hashes of 8
//! and `min_match` bytes ("double fast"), 5 and up hash chains with
//! greedy (5), lazy (6) then two-step lazy (7+) matching, searching more
//! candidates as the level grows. Levels 13-22 keep lazy2 and only search
//! deeper (libzstd switches to optimal parsing there; we do not).

use super::sequences::Sequence;
use crate::filters::words::r64;

/// How a level looks for matches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Strategy {
    /// One hash table, one probe per position.
    Fast,
    /// A long (8-byte) and a short hash table.
    DoubleFast,
    /// Hash chains, looking `lazy` positions ahead for a better match.
    Chain { lazy: u8 },
}

/// One level's match finder settings.
#[derive(Clone, Copy, Debug)]
pub(super) struct Params {
    pub(super) strategy: Strategy,
    /// log2 of the hash table entries.
    pub(super) hash_log: u32,
    /// log2 of the chain entries (positions remembered).
    pub(super) chain_log: u32,
    /// Chain candidates examined per position.
    pub(super) depth: u32,
    /// Shortest match looked for (4 to 7).
    pub(super) min_match: u32,
    /// A match this long is taken without searching further.
    pub(super) target: u32,
}

/// The settings of `level` (1 to 22; others are clamped).
pub(super) fn params(level: u32) -> Params {
    use Strategy::*;
    let p = |strategy, hash_log, chain_log, depth, min_match, target| Params {
        strategy,
        hash_log,
        chain_log,
        depth,
        min_match,
        target,
    };
    match level {
        0 | 1 => p(Fast, 13, 0, 1, 6, 0),
        2 => p(Fast, 16, 0, 1, 5, 0),
        3 => p(DoubleFast, 16, 15, 1, 5, 0),
        4 => p(DoubleFast, 17, 17, 1, 4, 0),
        5 => p(Chain { lazy: 0 }, 17, 16, 8, 4, 16),
        6 => p(Chain { lazy: 1 }, 17, 16, 8, 4, 32),
        7 => p(Chain { lazy: 2 }, 17, 16, 8, 4, 32),
        8 => p(Chain { lazy: 2 }, 17, 16, 16, 4, 64),
        9 => p(Chain { lazy: 2 }, 17, 16, 32, 4, 64),
        10 => p(Chain { lazy: 2 }, 17, 16, 64, 4, 128),
        11 => p(Chain { lazy: 2 }, 17, 17, 64, 4, 128),
        12 => p(Chain { lazy: 2 }, 17, 17, 128, 4, 256),
        l => {
            let depth = 128u32 << (l.min(22) - 12).min(4);
            p(Chain { lazy: 2 }, 17, 17, depth, 4, 999)
        }
    }
}

/// The little-endian word at `i` (zero bytes past the end).
#[inline]
pub(super) fn read64(data: &[u8], i: usize) -> u64 {
    match data.get(i..i + 8) {
        Some(b) => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        None => {
            let mut b = [0u8; 8];
            let tail = data.get(i..).unwrap_or(&[]);
            b[..tail.len()].copy_from_slice(tail);
            u64::from_le_bytes(b)
        }
    }
}

/// A `log`-bit hash of the low `bytes` bytes of `word` (4 to 8).
#[inline]
pub(super) fn hash(word: u64, bytes: u32, log: u32) -> usize {
    let w = word << (64 - 8 * bytes);
    (w.wrapping_mul(0xCF1B_BCDC_B7A5_6463) >> (64 - log)) as usize
}

/// How many bytes at `a` and `b` agree, `a` < `b`, stopping at `end`.
#[inline(always)]
pub(super) fn common(data: &[u8], a: usize, b: usize, end: usize) -> usize {
    // Two runs of the same length: one check covers both reads.
    let Some(y) = data.get(b..end) else {
        return 0;
    };
    let Some(x) = data.get(a..a + y.len()) else {
        return 0;
    };
    let mut n = 0;
    while n + 8 <= y.len() {
        let d = r64(x, n) ^ r64(y, n);
        if d != 0 {
            return n + (d.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while n < y.len() && x[n] == y[n] {
        n += 1;
    }
    n
}

/// The sequences and literals of one block, with the repeat offsets.
pub(super) struct Out {
    pub(super) seqs: Vec<Sequence>,
    pub(super) lits: Vec<u8>,
    pub(super) reps: [u32; 3],
}

impl Out {
    /// Empty, starting from repeat offsets `reps`, with room for a block
    /// of `len` bytes.
    pub(super) fn new(reps: [u32; 3], len: usize) -> Self {
        Self {
            seqs: Vec::with_capacity(len / 8),
            lits: Vec::with_capacity(len + 16),
            reps,
        }
    }

    /// Record `data[anchor..pos]` as literals then a match of `len` bytes
    /// at distance `offset` (`len` >= 3, `offset` <= `pos`).
    #[inline(always)]
    pub(super) fn push(&mut self, data: &[u8], anchor: usize, pos: usize, offset: u32, len: u32) {
        let lit_len = (pos - anchor) as u32;
        // Short runs: one 16-byte copy, cut back (no call to memcpy).
        match data.get(anchor..anchor + 16) {
            Some(w) if pos - anchor <= 16 => {
                let kept = self.lits.len() + (pos - anchor);
                self.lits.extend_from_slice(w);
                self.lits.truncate(kept);
            }
            _ => self.lits.extend_from_slice(&data[anchor..pos]),
        }
        let r = self.reps;
        let off_base = if lit_len > 0 {
            match offset {
                o if o == r[0] => 1,
                o if o == r[1] => 2,
                o if o == r[2] => 3,
                o => o + 3,
            }
        } else {
            match offset {
                o if o == r[1] => 1,
                o if o == r[2] => 2,
                o if o + 1 == r[0] => 3,
                o => o + 3,
            }
        };
        // The decoder's update: a new offset or a promoted repeat.
        let index = if off_base > 3 {
            3
        } else {
            off_base - 1 + u32::from(lit_len == 0)
        };
        self.reps = match index {
            0 => r,
            1 => [r[1], r[0], r[2]],
            2 => [r[2], r[0], r[1]],
            _ => [offset, r[0], r[1]],
        };
        self.seqs.push(Sequence {
            lit_len,
            match_len: len,
            off_base,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_offsets_follow_the_decoder() {
        let data = [0u8; 64];
        let mut out = Out::new([1, 4, 8], 0);
        out.push(&data, 0, 2, 4, 3); // rep 2 with literals
        assert_eq!((out.seqs[0].off_base, out.reps), (2, [4, 1, 8]));
        out.push(&data, 5, 5, 3, 3); // no literals: rep1 - 1
        assert_eq!((out.seqs[1].off_base, out.reps), (3, [3, 4, 1]));
        out.push(&data, 8, 8, 1, 3); // no literals: rep 3 is index 2
        assert_eq!((out.seqs[2].off_base, out.reps), (2, [1, 3, 4]));
        out.push(&data, 11, 12, 20, 3);
        assert_eq!((out.seqs[3].off_base, out.reps), (23, [20, 1, 3]));
        assert_eq!(out.lits.len(), 3);
    }
}
