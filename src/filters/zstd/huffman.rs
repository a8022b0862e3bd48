//! Huffman coding of literals (RFC 8878, 4.2): code lengths limited to 11
//! bits and complete (the last weight is implied, so the lengths must fill
//! the code space exactly), the weights' description (direct 4-bit or
//! FSE-compressed, 4.2.1), and the backward bitstreams of coded bytes.

use super::bits::{BackReader, BitWriter};
use super::fse::{self, Norm};

/// The longest code zstd allows.
pub(super) const MAX_BITS: u32 = 11;
/// The largest FSE table log for the weights.
const WEIGHT_LOG: u32 = 6;

/// A Huffman code over bytes: per byte, its code and length (0: unused).
pub(super) struct Code {
    codes: [u16; 256],
    lens: [u8; 256],
}

/// Complete code lengths of at most [`MAX_BITS`] for `counts`; `None` with
/// fewer than two used symbols.
fn lengths(counts: &[u32; 256]) -> Option<[u8; 256]> {
    // By count then symbol: one sort of distinct keys.
    let mut keys: Vec<u64> = (0..256)
        .filter(|&s| counts[s] > 0)
        .map(|s| u64::from(counts[s]) << 8 | s as u64)
        .collect();
    if keys.len() < 2 {
        return None;
    }
    keys.sort_unstable();
    let order: Vec<usize> = keys.iter().map(|&k| (k & 0xff) as usize).collect();
    // Two-queue Huffman: leaves sorted, internal nodes made in order.
    let n = order.len();
    let mut weight: Vec<u64> = order.iter().map(|&s| u64::from(counts[s])).collect();
    let mut parent = vec![0usize; 2 * n - 1];
    let (mut leaf, mut node) = (0, n);
    for made in n..2 * n - 1 {
        let mut pick = || {
            let take_leaf = leaf < n && (node >= made || weight[leaf] <= weight[node]);
            let i = if take_leaf { leaf } else { node };
            if take_leaf {
                leaf += 1;
            } else {
                node += 1;
            }
            i
        };
        let (a, b) = (pick(), pick());
        weight.push(weight[a] + weight[b]);
        parent[a] = made;
        parent[b] = made;
    }
    let mut depth = vec![0u32; 2 * n - 1];
    for i in (0..2 * n - 2).rev() {
        depth[i] = depth[parent[i]] + 1;
    }
    let mut lens = [0u8; 256];
    for (i, &s) in order.iter().enumerate() {
        lens[s] = depth[i].min(MAX_BITS) as u8;
    }
    // Repair the Kraft sum (in units of 2^-11) to exactly one.
    let full = 1i64 << MAX_BITS;
    let unit = |l: u8| 1i64 << (MAX_BITS - u32::from(l));
    let mut kraft: i64 = order.iter().map(|&s| unit(lens[s])).sum();
    // Lengthen the rarest symbol that can still grow (lengths only grow
    // here, so the search resumes where it stopped).
    let mut rarest = 0;
    while kraft > full {
        while u32::from(lens[*order.get(rarest)?]) >= MAX_BITS {
            rarest += 1;
        }
        let s = order[rarest];
        kraft -= unit(lens[s]) / 2;
        lens[s] += 1;
    }
    while kraft < full {
        // Shorten the most frequent symbol whose gain fits the gap.
        let gap = full - kraft;
        let s = *order
            .iter()
            .rev()
            .find(|&&s| lens[s] > 1 && unit(lens[s]) <= gap)?;
        kraft += unit(lens[s]);
        lens[s] -= 1;
    }
    Some(lens)
}

impl Code {
    /// The code for `counts` and its description; `None` when Huffman
    /// coding is impossible (one symbol) or its description cannot be
    /// written.
    pub(super) fn build(counts: &[u32; 256]) -> Option<(Self, Vec<u8>)> {
        let lens = lengths(counts)?;
        let max = u32::from(*lens.iter().max()?);
        // Canonical codes: longest first, by symbol within a length.
        let mut per_len = [0u32; MAX_BITS as usize + 2];
        for &l in &lens {
            per_len[usize::from(l)] += 1;
        }
        // The first code of each length: the longest start at 0.
        let mut first = [0u32; MAX_BITS as usize + 2];
        let mut next = 0u32;
        for len in (1..=max as usize).rev() {
            first[len] = next;
            next = (next + per_len[len]) >> 1;
        }
        let mut codes = [0u16; 256];
        for (code, &l) in codes.iter_mut().zip(&lens) {
            if l > 0 {
                let f = &mut first[usize::from(l)];
                *code = *f as u16;
                *f += 1;
            }
        }
        let last = (0..256).rev().find(|&s| lens[s] > 0)?;
        let weights: Vec<u8> = lens[..last]
            .iter()
            .map(|&l| {
                if l == 0 {
                    0
                } else {
                    (max + 1 - u32::from(l)) as u8
                }
            })
            .collect();
        let desc = describe(&weights)?;
        Some((Self { codes, lens }, desc))
    }

    /// The coded size of `counts` in bits.
    pub(super) fn cost(&self, counts: &[u32; 256]) -> u64 {
        counts
            .iter()
            .zip(&self.lens)
            .map(|(&c, &l)| u64::from(c) * u64::from(l))
            .sum()
    }

    /// One closed backward stream of `data`, appended to `out`: five
    /// codes (at most 55 bits, with the 7 a flush keeps 62) gathered per
    /// flush.
    pub(super) fn stream(&self, data: &[u8], out: Vec<u8>) -> Vec<u8> {
        let mut w = BitWriter::new(out, data.len() * MAX_BITS as usize / 8 + 8);
        let code = |b: u8| {
            let s = usize::from(b);
            (u64::from(self.codes[s]), u32::from(self.lens[s]))
        };
        // Backward: the last bytes first, the leading remainder last.
        let mut fives = data.rchunks_exact(5);
        for f in &mut fives {
            for b in [f[4], f[3], f[2], f[1], f[0]] {
                let (c, n) = code(b);
                w.put_clean(c, n);
            }
            w.flush();
        }
        for &b in fives.remainder().iter().rev() {
            let (c, n) = code(b);
            w.put(c, n);
        }
        w.close()
    }
}

/// The weights' description: FSE-compressed when that is smaller (and
/// decodes back exactly), else direct 4-bit weights (at most 128).
fn describe(weights: &[u8]) -> Option<Vec<u8>> {
    let direct = (weights.len() <= 128).then(|| {
        let mut d = vec![127 + weights.len() as u8];
        for pair in weights.chunks(2) {
            d.push(pair[0] << 4 | pair.get(1).copied().unwrap_or(0));
        }
        d
    });
    let packed = compress_weights(weights).filter(|p| p.len() < 129);
    match (direct, packed) {
        (Some(d), Some(p)) if p.len() < d.len() => Some(p),
        (Some(d), _) => Some(d),
        (None, p) => p,
    }
}

/// The FSE-compressed weights: a size byte, the table, two interleaved
/// states' stream. `None` if no table fits or the stream would not decode
/// to exactly `weights` (the decoder stops on running out of bits).
fn compress_weights(weights: &[u8]) -> Option<Vec<u8>> {
    if weights.len() < 2 {
        return None;
    }
    let mut counts = [0u32; MAX_BITS as usize + 1];
    for &w in weights {
        counts[usize::from(w)] += 1;
    }
    let top = counts.iter().rposition(|&c| c > 0)?;
    let used = counts.iter().filter(|&&c| c > 0).count();
    let mut best: Option<Vec<u8>> = None;
    for log in 5..=WEIGHT_LOG {
        if used < 2 {
            break;
        }
        let Some(norm) = fse::normalize(&counts[..=top], log) else {
            continue;
        };
        let mut out = vec![0u8];
        norm.write(&mut out);
        let table_len = out.len();
        let enc = fse::Encoder::new(&norm);
        let mut w = BitWriter::new(out, weights.len());
        let n = weights.len();
        let (mut s1, mut s2);
        let mut i = n;
        if n % 2 == 1 {
            s1 = enc.init(weights[n - 1]);
            s2 = enc.init(weights[n - 2]);
            enc.encode(&mut w, &mut s1, weights[n - 3]);
            w.flush();
            i -= 3;
        } else {
            s2 = enc.init(weights[n - 1]);
            s1 = enc.init(weights[n - 2]);
            i -= 2;
        }
        while i >= 2 {
            enc.encode(&mut w, &mut s2, weights[i - 1]);
            enc.encode(&mut w, &mut s1, weights[i - 2]);
            w.flush();
            i -= 2;
        }
        enc.flush(&mut w, s2);
        enc.flush(&mut w, s1);
        let mut out = w.close();
        let size = out.len() - 1;
        if size >= 128 || decode_weights(&norm, &out[table_len..]).as_deref() != Some(weights) {
            continue;
        }
        out[0] = size as u8;
        if best.as_ref().map_or(true, |b| out.len() < b.len()) {
            best = Some(out);
        }
    }
    best
}

/// Decode a weights stream as the decoders do: alternate two states and
/// stop once a state update reads past the start of the stream.
fn decode_weights(norm: &Norm, stream: &[u8]) -> Option<Vec<u8>> {
    let table = fse::decode_table(norm);
    let mut r = BackReader::new(stream)?;
    let mut states = [r.read(norm.log), r.read(norm.log)];
    let mut out = Vec::new();
    for turn in 0..512 {
        let e = *table.get(states[turn % 2] as usize)?;
        out.push(e.symbol);
        states[turn % 2] = u64::from(e.base) + r.read(e.bits);
        if r.left() < 0 {
            out.push(table.get(states[(turn + 1) % 2] as usize)?.symbol);
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_complete_and_limited() {
        // Fibonacci counts force a deep tree.
        let mut counts = [0u32; 256];
        let (mut a, mut b) = (1u32, 1u32);
        for c in counts.iter_mut().take(30) {
            *c = a;
            (a, b) = (b, a.saturating_add(b));
        }
        let lens = lengths(&counts).unwrap();
        assert!(lens.iter().all(|&l| u32::from(l) <= MAX_BITS));
        let kraft: u64 = lens
            .iter()
            .filter(|&&l| l > 0)
            .map(|&l| 1u64 << (MAX_BITS - u32::from(l)))
            .sum();
        assert_eq!(kraft, 1 << MAX_BITS);
        let mut one = [0u32; 256];
        one[9] = 5;
        assert!(lengths(&one).is_none());
    }

    #[test]
    fn many_symbols_get_compressed_weights() {
        let counts: [u32; 256] = std::array::from_fn(|i| 1 + (i as u32 * 7919) % 300);
        let (_, desc) = Code::build(&counts).unwrap();
        assert!(desc[0] < 128, "FSE-compressed weights");
    }

    #[test]
    fn streams_match_one_code_at_a_time() {
        let counts: [u32; 256] = std::array::from_fn(|i| 1 + (i as u32 * 31) % 97);
        let (code, _) = Code::build(&counts).unwrap();
        let data: Vec<u8> = (0..(128 << 10) + 9).map(|i| (i * 7 % 251) as u8).collect();
        for n in [0, 1, 3, 4, 5, 7, 8, 9, 1023, 128 << 10, (128 << 10) + 9] {
            let part = &data[..n];
            let mut w = BitWriter::new(vec![1, 2], 0);
            for &b in part.iter().rev() {
                w.add(
                    u64::from(code.codes[usize::from(b)]),
                    u32::from(code.lens[usize::from(b)]),
                );
            }
            assert_eq!(code.stream(part, vec![1, 2]), w.close(), "{n} bytes");
        }
    }
}
