//! The sequences section of a compressed block (RFC 8878, 3.1.1.3.2): the
//! count, the three symbol compression modes (predefined, RLE or a
//! described FSE table, chosen per block by estimated size), then one
//! backward bitstream interleaving the three FSE states and extra bits.

use super::bits::BitWriter;
use super::fse::{self, highbit, Encoder, Norm};

/// One sequence: literals to copy, then a match. `off_base` is the spec's
/// Offset_Value: 1 to 3 name a repeat offset, larger values are offset + 3.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Sequence {
    pub(super) lit_len: u32,
    pub(super) match_len: u32,
    pub(super) off_base: u32,
}

/// Literal length code baselines and extra bits (3.1.1.3.2.1.1).
const LL_BASE: [u32; 36] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28, 32, 40, 48, 64,
    128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
];
const LL_BITS: [u32; 36] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11,
    12, 13, 14, 15, 16,
];
/// Match length code baselines and extra bits.
const ML_BASE: [u32; 53] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    28, 29, 30, 31, 32, 33, 34, 35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027,
    2051, 4099, 8195, 16387, 32771, 65539,
];
const ML_BITS: [u32; 53] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
];
/// The predefined distributions (3.1.1.3.2.2.1).
const LL_DEFAULT: [i16; 36] = [
    4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
    -1, -1, -1, -1,
];
const ML_DEFAULT: [i16; 53] = [
    1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1,
];
const OF_DEFAULT: [i16; 29] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
];

/// The code of a value among `base` baselines (the last one not above it).
#[cfg(test)]
fn code_of(base: &[u32], v: u32) -> u8 {
    (base.partition_point(|&b| b <= v) - 1) as u8
}

/// The codes of the values `offset..offset + N` among `base` baselines.
const fn code_table<const N: usize>(base: &[u32], offset: u32) -> [u8; N] {
    let mut table = [0u8; N];
    let (mut v, mut c) = (0, 0);
    while v < N {
        while c + 1 < base.len() && base[c + 1] <= v as u32 + offset {
            c += 1;
        }
        table[v] = c as u8;
        v += 1;
    }
    table
}

/// Baselines and extra bits by code, padded to 64 codes (masked reads).
fn pad(base: &[u32], bits: &[u32]) -> [(u32, u32); 64] {
    std::array::from_fn(|c| {
        (
            base.get(c).copied().unwrap_or(0),
            bits.get(c).copied().unwrap_or(0),
        )
    })
}

/// Literal length codes of 0 to 63; above, codes follow the high bit.
const LL_CODE: [u8; 64] = code_table(&LL_BASE, 0);
/// Match length codes of 3 to 130; above, codes follow the high bit.
const ML_CODE: [u8; 128] = code_table(&ML_BASE, 3);

/// The literal length code of `v` (3.1.1.3.2.1.1).
#[inline]
fn ll_code(v: u32) -> u8 {
    match LL_CODE.get(v as usize) {
        Some(&c) => c,
        None => (highbit(v) + 19).min(35) as u8,
    }
}

/// The match length code of `v` (at least 3).
#[inline]
fn ml_code(v: u32) -> u8 {
    let b = v.saturating_sub(3);
    match ML_CODE.get(b as usize) {
        Some(&c) => c,
        None => (highbit(b) + 36).min(52) as u8,
    }
}

/// How one of the three symbol streams is coded.
struct Stream {
    mode: u8,
    encoder: Encoder,
}

impl Stream {
    /// Pick the mode that codes `n` codes counted in `counts` in the
    /// fewest estimated bits,
    /// appending an RLE symbol or table description to `tables`.
    fn choose(
        n: usize,
        counts: &[u32; 64],
        default: &[i16],
        default_log: u32,
        max_log: u32,
        tables: &mut Vec<u8>,
    ) -> Self {
        let mut counts = counts.to_vec();
        let top = counts.iter().rposition(|&c| c > 0).unwrap_or(0);
        counts.truncate(top + 1);
        let used = counts.iter().filter(|&&c| c > 0).count();
        let predefined = Norm {
            log: default_log,
            counts: default.to_vec(),
        };
        let pre_cost = if top < default.len() {
            predefined.cost(&counts)
        } else {
            None
        };
        if used == 1 && n > 2 {
            tables.push(top as u8);
            // One symbol owning every state: transitions write no bits.
            let mut only = vec![0i16; top + 1];
            only[top] = 32;
            let encoder = Encoder::new(&Norm {
                log: 5,
                counts: only,
            })
            .rle();
            return Self { mode: 1, encoder };
        }
        let log = fse::pick_log(n as u32, used, max_log);
        let mut described = Vec::new();
        let custom = fse::normalize(&counts, log).and_then(|norm| {
            norm.write(&mut described);
            let bits = norm.cost(&counts)? + 8.0 * described.len() as f64;
            Some((norm, bits))
        });
        match (custom, pre_cost) {
            (Some((norm, bits)), pre) if pre.map_or(true, |p| bits < p) => {
                tables.extend_from_slice(&described);
                Self {
                    encoder: Encoder::new(&norm),
                    mode: 2,
                }
            }
            _ => Self {
                encoder: Encoder::new(&predefined),
                mode: 0,
            },
        }
    }

    fn finish(&self, w: &mut BitWriter, state: u32) {
        self.encoder.flush(w, state);
    }
}

/// The baselines and extra bits of the length codes.
struct Extras {
    ll: [(u32, u32); 64],
    ml: [(u32, u32); 64],
}

impl Extras {
    /// The stream's size in bytes at most: every state transition writes
    /// at most its table's log (9, 8, 9), plus each code's extra bits.
    fn bound(&self, n: usize, counts: &[[u32; 64]; 3]) -> usize {
        let extra = |counts: &[u32; 64], bits: &dyn Fn(usize) -> u32| -> u64 {
            let each = counts.iter().enumerate();
            each.map(|(c, &k)| u64::from(k) * u64::from(bits(c))).sum()
        };
        let bits = n as u64 * (9 + 8 + 9)
            + 64
            + extra(&counts[0], &|c| self.ll[c].1)
            + extra(&counts[1], &|c| c as u32)
            + extra(&counts[2], &|c| self.ml[c].1);
        (bits / 8) as usize
    }

    /// Gather a sequence's extra bits (at most 16 + 16 + 27 bits, with a
    /// flush after the first field), then flush. Each value is below its
    /// code's span (the codes come from `ll_code`, `ml_code`, `highbit`).
    /// When the three fields take at most 30 bits (as most do), they go
    /// in as one field with one flush: with the 26 state bits and the 7
    /// kept by the last flush, 63 bits.
    #[inline(always)]
    fn write(&self, w: &mut BitWriter, s: &Sequence, lc: u8, oc: u8, mc: u8) {
        let (base, llb) = self.ll[usize::from(lc & 63)];
        let ll = u64::from(s.lit_len.wrapping_sub(base));
        let (base, mlb) = self.ml[usize::from(mc & 63)];
        let ml = u64::from(s.match_len.wrapping_sub(base));
        let oc = u32::from(oc & 31);
        let of = u64::from(s.off_base.wrapping_sub(1 << oc));
        if llb + mlb + oc <= 30 {
            w.put_clean(ll | (ml | of << mlb) << llb, llb + mlb + oc);
        } else {
            w.put_clean(ll, llb);
            w.flush();
            w.put_clean(ml | of << mlb, mlb + oc);
        }
        w.flush();
    }
}

/// Append the sequences section for `seqs` to `out`.
pub(super) fn section(seqs: &[Sequence], out: &mut Vec<u8>) {
    let n = seqs.len();
    if n < 128 {
        out.push(n as u8);
    } else if n < 0x7f00 {
        out.extend_from_slice(&[(n >> 8) as u8 + 128, n as u8]);
    } else {
        out.push(0xff);
        out.extend_from_slice(&((n - 0x7f00) as u16).to_le_bytes());
    }
    if n == 0 {
        return;
    }
    // Codes of each sequence: literal length, offset, match length.
    // Collected (not zeroed first, then written).
    let mut counts = [[0u32; 64]; 3];
    let codes: Vec<[u8; 3]> = seqs
        .iter()
        .map(|s| {
            let c = [
                ll_code(s.lit_len),
                highbit(s.off_base.max(1)) as u8,
                ml_code(s.match_len),
            ];
            for k in 0..3 {
                counts[k][usize::from(c[k] & 63)] += 1;
            }
            c
        })
        .collect();
    let mut tables = Vec::new();
    let ll = Stream::choose(n, &counts[0], &LL_DEFAULT, 6, 9, &mut tables);
    let of = Stream::choose(n, &counts[1], &OF_DEFAULT, 5, 8, &mut tables);
    let ml = Stream::choose(n, &counts[2], &ML_DEFAULT, 6, 9, &mut tables);
    out.push(ll.mode << 6 | of.mode << 4 | ml.mode << 2);
    out.extend_from_slice(&tables);

    // Between flushes: at most 26 state bits and the extra bits (all of
    // them if 30 or fewer, else the 16-bit literal length), or 16 match
    // length and 27 offset bits.
    let x = Extras {
        ll: pad(&LL_BASE, &LL_BITS),
        ml: pad(&ML_BASE, &ML_BITS),
    };
    let mut w = BitWriter::new(std::mem::take(out), x.bound(n, &counts));
    let mut all = seqs.iter().zip(&codes).rev();
    let Some((s, &[lc, oc, mc])) = all.next() else {
        return;
    };
    let mut ml_state = ml.encoder.init(mc);
    let mut of_state = of.encoder.init(oc);
    let mut ll_state = ll.encoder.init(lc);
    x.write(&mut w, s, lc, oc, mc);
    for (s, &[lc, oc, mc]) in all {
        of.encoder.encode(&mut w, &mut of_state, oc);
        ml.encoder.encode(&mut w, &mut ml_state, mc);
        ll.encoder.encode(&mut w, &mut ll_state, lc);
        x.write(&mut w, s, lc, oc, mc);
    }
    ml.finish(&mut w, ml_state);
    of.finish(&mut w, of_state);
    ll.finish(&mut w, ll_state);
    *out = w.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_bits_in_one_field_or_two_write_the_same_stream() {
        let x = Extras {
            ll: pad(&LL_BASE, &LL_BITS),
            ml: pad(&ML_BASE, &ML_BITS),
        };
        // Extra bits from 0 (one field) to 16 + 16 + 26 (two).
        let lens = [0u32, 5, 17, 70, 1000, 65_535, 131_071];
        let offs = [1u32, 3, 4, 100, 70_000, (1 << 26) + 9];
        let (mut one, mut two) = (BitWriter::new(Vec::new(), 0), BitWriter::new(Vec::new(), 0));
        let mut fused = 0;
        for (i, &lit_len) in lens.iter().enumerate() {
            for &match_len in &lens {
                for &off_base in &offs {
                    let s = Sequence {
                        lit_len,
                        match_len: match_len + 3,
                        off_base,
                    };
                    let (lc, oc, mc) = (
                        ll_code(lit_len),
                        highbit(off_base) as u8,
                        ml_code(s.match_len),
                    );
                    // Some state bits first, as the FSE encoders put them.
                    one.put(i as u64 * 0x1234_5677, 26);
                    two.put(i as u64 * 0x1234_5677, 26);
                    x.write(&mut one, &s, lc, oc, mc);
                    let ((b1, n1), (b2, n2)) = (x.ll[usize::from(lc)], x.ml[usize::from(mc)]);
                    fused += usize::from(n1 + n2 + u32::from(oc) <= 30);
                    two.put_clean(u64::from(lit_len - b1), n1);
                    two.flush();
                    let of = u64::from(off_base - (1 << oc));
                    two.put_clean(u64::from(s.match_len - b2) | of << n2, n2 + u32::from(oc));
                    two.flush();
                }
            }
        }
        assert!(fused > 50 && fused < 7 * 7 * 6 - 50, "{fused}");
        assert_eq!(one.close(), two.close());
    }

    #[test]
    fn codes_follow_the_spec_tables() {
        assert_eq!(code_of(&LL_BASE, 15), 15);
        assert_eq!(code_of(&LL_BASE, 17), 16);
        assert_eq!(code_of(&LL_BASE, 63), 24);
        assert_eq!(code_of(&LL_BASE, 131_071), 35);
        assert_eq!(code_of(&ML_BASE, 3), 0);
        assert_eq!(code_of(&ML_BASE, 36), 32);
        assert_eq!(code_of(&ML_BASE, 130), 42);
        assert_eq!(code_of(&ML_BASE, 131), 43);
        for (b, n) in LL_BASE.windows(2).zip(LL_BITS) {
            assert_eq!(b[0] + (1 << n), b[1]);
        }
        for (b, n) in ML_BASE.windows(2).zip(ML_BITS) {
            assert_eq!(b[0] + (1 << n), b[1]);
        }
        for v in 0..=131_072 {
            assert_eq!(ll_code(v), code_of(&LL_BASE, v), "literal length {v}");
            assert_eq!(ml_code(v + 3), code_of(&ML_BASE, v + 3), "match length {v}");
        }
    }
}
