//! Finite State Entropy tables (RFC 8878, 4.1): normalizing symbol counts
//! to a power-of-two total, the table description ("NCount", 4.1.1), the
//! spread of symbols over states, and the encoder's state machine, which
//! writes in reverse what the decoder reads forward.

use super::bits::BitWriter;

/// Normalized counts: each used symbol's share of `1 << log` states;
/// `-1` is the spec's "less than 1" (one state, reset on every use).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Norm {
    pub(super) log: u32,
    pub(super) counts: Vec<i16>,
}

/// The position of the highest set bit of `v` (`v` > 0).
pub(super) fn highbit(v: u32) -> u32 {
    31 - v.leading_zeros()
}

/// A table log for `total` symbols over `symbols` distinct values, at most
/// `max_log` and at least 5: enough states for every symbol, few enough
/// that the table description stays small against the data.
pub(super) fn pick_log(total: u32, symbols: usize, max_log: u32) -> u32 {
    let by_data = highbit(total.max(2) - 1).saturating_sub(1);
    let by_symbols = highbit(symbols.max(1) as u32) + 2;
    by_data.max(by_symbols).clamp(5, max_log)
}

/// Normalize `counts` to `1 << log` states, every used symbol keeping at
/// least one; `None` when more symbols are used than there are states.
pub(super) fn normalize(counts: &[u32], log: u32) -> Option<Norm> {
    let size = 1i64 << log;
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    let used = counts.iter().filter(|&&c| c > 0).count() as i64;
    if total == 0 || used > size {
        return None;
    }
    let mut norm = vec![0i16; counts.len()];
    let mut sum = 0i64;
    for (n, &c) in norm.iter_mut().zip(counts) {
        if c > 0 {
            let p = (u64::from(c) * size as u64 + total / 2) / total;
            *n = p.max(1) as i16;
            sum += i64::from(*n);
        }
    }
    // Each step moves one state where it costs the fewest bits.
    while sum != size {
        let grow = sum < size;
        let mut best: Option<(usize, f64)> = None;
        for (s, (&n, &c)) in norm.iter().zip(counts).enumerate() {
            if c == 0 || (!grow && n <= 1) {
                continue;
            }
            let n = f64::from(n);
            let delta = if grow {
                -(f64::from(c) * ((n + 1.0) / n).log2())
            } else {
                f64::from(c) * (n / (n - 1.0)).log2()
            };
            if best.map_or(true, |(_, d)| delta < d) {
                best = Some((s, delta));
            }
        }
        let (s, _) = best?;
        norm[s] += if grow { 1 } else { -1 };
        sum += if grow { 1 } else { -1 };
    }
    Some(Norm { log, counts: norm })
}

impl Norm {
    /// The estimated bits to code `counts` with this table (`None` if a
    /// used symbol has no state).
    pub(super) fn cost(&self, counts: &[u32]) -> Option<f64> {
        let size = f64::from(1u32 << self.log);
        let mut bits = 0.0;
        for (s, &c) in counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let n = match self.counts.get(s).copied().unwrap_or(0) {
                0 => return None,
                -1 => 1.0,
                n => f64::from(n),
            };
            bits += f64::from(c) * (size / n).log2();
        }
        Some(bits)
    }

    /// The table description (RFC 8878, 4.1.1), appended to `out`.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        let mut w = BitWriter::new(std::mem::take(out), 2 * self.counts.len() + 2);
        let size = 1i32 << self.log;
        let mut remaining = size + 1;
        let mut threshold = size;
        let mut bits = self.log + 1;
        w.add(u64::from(self.log - 5), 4);
        let mut s = 0;
        let mut after_zero = false;
        let n = self.counts.len();
        while s < n && remaining > 1 {
            if after_zero {
                let start = s;
                while s < n && self.counts[s] == 0 {
                    s += 1;
                }
                let mut run = s - start;
                while run >= 3 {
                    w.add(3, 2);
                    run -= 3;
                }
                w.add(run as u64, 2);
            }
            let Some(&count) = self.counts.get(s) else {
                break;
            };
            s += 1;
            let max = 2 * threshold - 1 - remaining;
            remaining -= i32::from(count).abs();
            let mut value = i32::from(count) + 1;
            if value >= threshold {
                value += max;
            }
            w.add(value as u64, if value < max { bits - 1 } else { bits });
            after_zero = value == 1;
            while remaining < threshold && threshold > 1 {
                bits -= 1;
                threshold >>= 1;
            }
        }
        *out = w.finish();
    }

    /// The symbol of each state, spread as the spec orders it (4.1.1).
    pub(super) fn spread(&self) -> Vec<u8> {
        let size = 1usize << self.log;
        let mut cells = vec![0u8; size];
        let mut high = size - 1;
        for (s, &c) in self.counts.iter().enumerate() {
            if c == -1 {
                cells[high] = s as u8;
                high = high.saturating_sub(1);
            }
        }
        let step = (size >> 1) + (size >> 3) + 3;
        let mask = size - 1;
        let mut pos = 0;
        for (s, &c) in self.counts.iter().enumerate() {
            for _ in 0..c.max(0) {
                cells[pos] = s as u8;
                pos = (pos + step) & mask;
                while pos > high {
                    pos = (pos + step) & mask;
                }
            }
        }
        cells
    }
}

/// One symbol's encoding transform.
#[derive(Clone, Copy, Default)]
struct SymbolTransform {
    delta_bits: u32,
    delta_state: i32,
}

/// The encoder's tables for one normalized distribution.
pub(super) struct Encoder {
    /// Bits of the final state (0 for an RLE stream).
    log: u32,
    /// The next states, in blocks per symbol (at most 2^9; masked reads).
    states: Box<[u16; MAX_STATES]>,
    /// Per symbol (at most 64 symbols; masked reads).
    symbols: [SymbolTransform; MAX_SYMBOLS],
}

/// The most states an encoder holds (table log 9).
const MAX_STATES: usize = 1 << 9;
/// The most symbols an encoder codes (sequence codes and weights).
const MAX_SYMBOLS: usize = 64;

impl Encoder {
    /// Build the encoder of `norm`.
    pub(super) fn new(norm: &Norm) -> Self {
        let log = norm.log;
        let size = 1u32 << log;
        let cells = norm.spread();
        let mut next = Vec::with_capacity(norm.counts.len() + 1);
        let mut at = 0u32;
        for &c in &norm.counts {
            next.push(at);
            at += if c == -1 { 1 } else { c.max(0) as u32 };
        }
        let mut states = Box::new([0u16; MAX_STATES]);
        for (u, &s) in cells.iter().enumerate() {
            let i = &mut next[usize::from(s)];
            if let Some(slot) = states.get_mut(*i as usize) {
                *slot = (size + u as u32) as u16;
            }
            *i += 1;
        }
        let mut total = 0i32;
        let mut symbols = [SymbolTransform::default(); MAX_SYMBOLS];
        for (t, &c) in symbols.iter_mut().zip(&norm.counts) {
            *t = match c {
                0 => SymbolTransform {
                    delta_bits: ((log + 1) << 16).wrapping_sub(size),
                    delta_state: 0,
                },
                -1 | 1 => {
                    total += 1;
                    SymbolTransform {
                        delta_bits: (log << 16).wrapping_sub(size),
                        delta_state: total - 2,
                    }
                }
                c => {
                    let c = c as u32;
                    let out = log - highbit(c - 1);
                    let t = SymbolTransform {
                        delta_bits: (out << 16).wrapping_sub(c << out),
                        delta_state: total - c as i32,
                    };
                    total += c as i32;
                    t
                }
            };
        }
        Self {
            log,
            states,
            symbols,
        }
    }

    /// The same encoder for an RLE stream: its final state is not written.
    pub(super) fn rle(mut self) -> Self {
        self.log = 0;
        self
    }

    #[inline]
    fn state_at(&self, i: i64) -> u32 {
        u32::from(self.states[i as usize & (MAX_STATES - 1)])
    }

    /// The first state, chosen for the last symbol coded (no bits out).
    pub(super) fn init(&self, symbol: u8) -> u32 {
        let t = self.symbols[usize::from(symbol) & (MAX_SYMBOLS - 1)];
        let bits = t.delta_bits.wrapping_add(1 << 15) >> 16;
        let value = (bits << 16).wrapping_sub(t.delta_bits);
        self.state_at(i64::from(value >> bits) + i64::from(t.delta_state))
    }

    /// Code `symbol` from `state`, gathering the bits (at most the table
    /// log) the decoder will read; the caller flushes `w`.
    #[inline(always)]
    pub(super) fn encode(&self, w: &mut BitWriter, state: &mut u32, symbol: u8) {
        let t = self.symbols[usize::from(symbol) & (MAX_SYMBOLS - 1)];
        let bits = state.wrapping_add(t.delta_bits) >> 16;
        w.put(u64::from(*state), bits);
        *state = self.state_at(i64::from(*state >> bits) + i64::from(t.delta_state));
    }

    /// Write the final state (the decoder's first read).
    pub(super) fn flush(&self, w: &mut BitWriter, state: u32) {
        w.add(u64::from(state), self.log);
    }
}

/// A decoding table entry: symbol, bits to read, base of the next state.
#[derive(Clone, Copy, Debug)]
pub(super) struct DecodeEntry {
    pub(super) symbol: u8,
    pub(super) bits: u32,
    pub(super) base: u32,
}

/// The decoding table of `norm`, as the spec builds it (4.1.1).
pub(super) fn decode_table(norm: &Norm) -> Vec<DecodeEntry> {
    let size = 1u32 << norm.log;
    let mut next: Vec<u32> = norm
        .counts
        .iter()
        .map(|&c| if c == -1 { 1 } else { c.max(0) as u32 })
        .collect();
    norm.spread()
        .into_iter()
        .map(|s| {
            let n = next.get(usize::from(s)).copied().unwrap_or(1).max(1);
            if let Some(x) = next.get_mut(usize::from(s)) {
                *x += 1;
            }
            let bits = norm.log - highbit(n);
            DecodeEntry {
                symbol: s,
                bits,
                base: (n << bits).wrapping_sub(size),
            }
        })
        .collect()
}
