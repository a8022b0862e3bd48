//! The fast and double fast match finders (levels 1 to 4): one probe per
//! table per position, skipping ahead over stretches without matches (the
//! step grows by one every 2^`SKIP` bytes since the last match, 64: a
//! faster growth saves probes and, on float data, short matches in noisy
//! bytes, but loses many short matches on integer and text data,
//! docs/zstd-choice.md). A short match at a position gives way to an
//! 8-byte one at the next (double fast).
//!
//! Each level's hash widths and table sizes are constants of its own copy
//! of the loop, so hashes take no variable shifts and table indices are in
//! bounds by construction (tables sliced to their exact length).

use super::find::{Finder, MAX_STEP, TAIL};
use super::matcher::{common, hash, Out, Strategy};
use crate::filters::words::{r32, r64};

/// A candidate's offset if it is usable from `pos` and its bytes under
/// `mask` match `word` (the bytes at `pos`); 0 if not. Entries below
/// `base` (earlier frames) give a start above `pos` (`base` + the input's
/// length fits in a `u32`), so the one range check refuses them too.
#[inline(always)]
fn usable(
    data: &[u8],
    cand: u32,
    base: u32,
    pos: usize,
    window: usize,
    word: u64,
    mask: u64,
) -> usize {
    let c = cand.wrapping_sub(base) as usize;
    let off = pos.wrapping_sub(c);
    let Some(at) = data.get(c..).and_then(<[u8]>::first_chunk::<8>) else {
        return 0;
    };
    if off.wrapping_sub(1) < window && (u64::from_le_bytes(*at) ^ word) & mask == 0 {
        off
    } else {
        0
    }
}

impl Finder {
    /// Fast and double fast over `data[start..end]`. Returns where the
    /// unmatched tail starts.
    pub(super) fn fast(&mut self, data: &[u8], start: usize, end: usize, out: &mut Out) -> usize {
        let p = self.p;
        match (
            p.strategy == Strategy::DoubleFast,
            p.min_match,
            p.hash_log,
            p.chain_log,
        ) {
            (false, 6, 13, _) => self.run::<6, 13, 0, false, 6>(data, start, end, out),
            (false, 5, 16, _) => self.run::<5, 16, 0, false, 6>(data, start, end, out),
            (true, 5, 16, 15) => self.run::<5, 16, 15, true, 6>(data, start, end, out),
            (true, 4, 17, 17) => self.run::<4, 17, 17, true, 6>(data, start, end, out),
            // No level has other settings: all literals.
            _ => start,
        }
    }

    /// The loop of one level: `MIN`-byte hashes into a table of 2^`HLOG`
    /// entries, with `DOUBLE` also 8-byte hashes into 2^`LLOG` entries;
    /// the step grows every 2^`SKIP` bytes without a match.
    #[inline(always)]
    fn run<
        const MIN: u32,
        const HLOG: u32,
        const LLOG: u32,
        const DOUBLE: bool,
        const SKIP: u32,
    >(
        &mut self,
        data: &[u8],
        start: usize,
        end: usize,
        out: &mut Out,
    ) -> usize {
        let (base, window) = (self.base, self.window);
        let Some(short) = self.short.get_mut(..1 << HLOG) else {
            return start;
        };
        let long = if DOUBLE {
            match self.long.get_mut(..1 << LLOG) {
                Some(l) => l,
                None => return start,
            }
        } else {
            &mut [][..]
        };
        let hs = |w: u64| hash(w, MIN, HLOG) & ((1 << HLOG) - 1);
        let hl = |w: u64| hash(w, 8, LLOG) & ((1 << LLOG) - 1);
        let min_mask = u64::MAX >> (64 - 8 * MIN);
        let entry = |pos: usize| (pos as u32).wrapping_add(base);
        let data = &data[..end];
        // The last position whose 8 bytes are all before `end`.
        let Some(last) = end.checked_sub(TAIL) else {
            return start;
        };
        let mut anchor = start;
        let mut pos = start.max(1);
        // The repeat offset is tried from position `rep` on (never if it
        // is 0 or beyond the window).
        let rep_from = |r: u32| {
            let r = r as usize;
            if r.wrapping_sub(1) < window {
                r
            } else {
                usize::MAX
            }
        };
        let mut rep = out.reps[0] as usize;
        let mut from = rep_from(out.reps[0]);
        while pos <= last {
            let word = r64(data, pos);
            let h = hs(word);
            let short_cand = short[h];
            short[h] = entry(pos);
            let (at, off) = if pos >= from && r32(data, pos - rep) == word as u32 {
                if DOUBLE {
                    // The long table still learns this position.
                    long[hl(word)] = entry(pos);
                }
                (pos, rep)
            } else {
                let mut off = 0;
                if DOUBLE {
                    let h = hl(word);
                    let long_cand = long[h];
                    long[h] = entry(pos);
                    off = usable(data, long_cand, base, pos, window, word, u64::MAX);
                }
                if off != 0 {
                    (pos, off)
                } else {
                    let off = usable(data, short_cand, base, pos, window, word, min_mask);
                    if off == 0 {
                        pos += 1 + ((pos - anchor) >> SKIP).min(MAX_STEP);
                        continue;
                    }
                    match DOUBLE && pos < last {
                        // A short match: an 8-byte one at the next
                        // position is worth more.
                        true => {
                            let p1 = pos + 1;
                            // (`word` shifted: one byte read, not eight.)
                            let w1 = word >> 8 | u64::from(data[pos + 8]) << 56;
                            let h = hl(w1);
                            let o1 = usable(data, long[h], base, p1, window, w1, u64::MAX);
                            long[h] = entry(p1);
                            if o1 != 0 {
                                (p1, o1)
                            } else {
                                (pos, off)
                            }
                        }
                        false => (pos, off),
                    }
                }
            };
            let mut len = common(data, at - off, at, end);
            let mut at = at;
            let lowest = anchor.max(off);
            while at > lowest && data[at - 1] == data[at - 1 - off] {
                at -= 1;
                len += 1;
            }
            debug_assert!(len >= 4);
            out.push(data, anchor, at, off as u32, len as u32);
            rep = out.reps[0] as usize;
            from = rep_from(out.reps[0]);
            pos = at + len;
            anchor = pos;
            // Remember two positions inside the match (every match is 4
            // bytes or longer: `at + 2` is not after `pos - 2`), the later
            // one first.
            for q in [pos - 2, at + 2] {
                if q <= last {
                    let w = r64(data, q);
                    short[hs(w)] = entry(q);
                    if DOUBLE {
                        long[hl(w)] = entry(q);
                    }
                }
            }
        }
        anchor
    }
}

#[cfg(test)]
mod tests {
    use super::super::round_trip::{features, Rng};
    use super::*;

    /// The sequences of `data` at `level` (one block), with the literals.
    fn find(data: &[u8], level: u32) -> Out {
        let mut f = Finder::new(level, data.len(), data.len());
        let mut out = Out::new([1, 4, 8], data.len());
        f.block(data, 0, data.len(), &mut out);
        out
    }

    /// Replay `out` as a decoder does (RFC 8878, 3.1.1.5), repeat offsets
    /// included.
    fn replay(out: &Out) -> Vec<u8> {
        let (mut data, mut lits, mut reps) = (Vec::new(), &out.lits[..], [1usize, 4, 8]);
        for s in &out.seqs {
            let (l, o) = (s.lit_len as usize, s.off_base as usize);
            data.extend_from_slice(&lits[..l]);
            lits = &lits[l..];
            let off = if o > 3 {
                reps = [o - 3, reps[0], reps[1]];
                o - 3
            } else {
                let i = o - 1 + usize::from(l == 0);
                let off = match i {
                    3 => reps[0] - 1,
                    i => reps[i],
                };
                reps = match i {
                    0 => reps,
                    1 => [off, reps[0], reps[2]],
                    _ => [off, reps[0], reps[1]],
                };
                off
            };
            for _ in 0..s.match_len {
                data.push(data[data.len() - off]);
            }
        }
        data.extend_from_slice(lits);
        data
    }

    #[test]
    fn sequences_replay_to_the_input_at_levels_1_to_4() {
        let mut r = Rng(5);
        let random: Vec<u8> = (0..5000).map(|_| r.next() as u8).collect();
        let text = b"abcabcabd, abcabcabd; the fast finder".repeat(40);
        let inputs = [
            features(50_000, 3),
            random.clone(),
            vec![0; 3000],
            text,
            [&random[..2000], &random[..2000]].concat(),
        ];
        for level in 1..=4 {
            for data in &inputs {
                // Every length up to 40, then the whole input.
                for len in (0..=40).chain([data.len()]) {
                    let d = &data[..len.min(data.len())];
                    assert!(replay(&find(d, level)) == d, "level {level} length {len}");
                }
            }
        }
    }

    #[test]
    fn an_eight_byte_match_at_the_next_position_beats_a_short_one() {
        // "cABCDz" offers a 5-byte match at the second "c"; one byte on,
        // "ABCDEFGHIJKL" offers 12.
        let data = b"ZABCDEFGHIJKLcABCDz!#%&()*+cABCDEFGHIJKL-./:;<=>?".to_vec();
        let p = 27;
        let out = find(&data, 3);
        assert_eq!(out.seqs.len(), 1);
        let s = out.seqs[0];
        assert_eq!((s.lit_len, s.match_len, s.off_base), (p + 1, 12, p + 3));
        assert!(replay(&out) == data);
    }

    #[test]
    fn repeat_offsets_and_matches_to_the_end_of_the_block() {
        // 16-byte records, one byte changed in each: the offset repeats
        // after one literal, and the last match runs to the end.
        let mut r = Rng(9);
        let rec: Vec<u8> = (0..16).map(|_| r.next() as u8 | 1).collect();
        let mut data = Vec::new();
        for i in 0..50u8 {
            let mut x = rec.clone();
            x[7] = i * 2;
            data.extend_from_slice(&x);
        }
        let tail = data[data.len() - 16..][..8].to_vec();
        data.extend_from_slice(&tail);
        let out = find(&data, 3);
        assert!(replay(&out) == data);
        assert!(out.seqs.iter().filter(|s| s.off_base == 1).count() > 40);
        // The last match runs to the end: no literals after it.
        let covered: u32 = out.seqs.iter().map(|s| s.lit_len + s.match_len).sum();
        assert_eq!(covered as usize, data.len());
        for level in 1..=4 {
            assert!(replay(&find(&data, level)) == data, "level {level}");
        }
    }
}
