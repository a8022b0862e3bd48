//! h5sink's own LZ4 block compressor, written from the LZ4 block format
//! description: greedy matching through a hash table of earlier positions
//! (4-byte sequences, matches at most 65,535 bytes back), skipping faster
//! through data that does not match (the step grows by one every 64
//! misses, as LZ4's default "acceleration 1" does), and LZ4's end-of-block
//! rules: the last 5 bytes are always literals and no match starts in the
//! last 12 bytes. Spec notes: `spec-notes/lz4-filter.md`.

/// A match is at least 4 bytes.
const MIN_MATCH: usize = 4;
/// The last bytes of a block are always literals.
const LAST_LITERALS: usize = 5;
/// No match starts within this many bytes of the end.
const MF_LIMIT: usize = 12;
/// The farthest back a match reaches.
const MAX_DISTANCE: usize = 65_535;
/// Misses before the search step grows by one.
const SKIP_TRIGGER: u32 = 6;
/// Inputs below this size use the larger table of 4-byte hashes.
const SMALL_LIMIT: usize = 65_536 + MF_LIMIT - 1;
/// log2 of the table size: small inputs, large inputs.
const HASH_LOG_SMALL: u32 = 13;
const HASH_LOG_LARGE: u32 = 12;

use super::words::{r32, r64};

/// How the match finder hashes a position.
#[derive(Clone, Copy)]
enum Hasher {
    /// Multiplicative hash of 4 bytes, 13 bits (inputs under 64 KiB).
    Four,
    /// Multiplicative hash of 5 bytes, 12 bits (larger inputs).
    Five,
}

impl Hasher {
    #[inline(always)]
    fn at(self, s: &[u8], i: usize) -> usize {
        match self {
            Hasher::Four => {
                (r32(s, i).wrapping_mul(2_654_435_761) >> (32 - HASH_LOG_SMALL)) as usize
            }
            Hasher::Five => {
                ((r64(s, i) << 24).wrapping_mul(889_523_592_379) >> (64 - HASH_LOG_LARGE)) as usize
            }
        }
    }
}

/// Write an LZ4 length continuation (the part of a length past the
/// token's 15) at `op`: bytes of 255, then the rest; returns the new `op`.
#[inline(always)]
fn put_len(dst: &mut [u8], mut op: usize, mut len: usize) -> usize {
    while len >= 255 {
        dst[op] = 255;
        op += 1;
        len -= 255;
    }
    dst[op] = len as u8;
    op + 1
}

/// The number of equal bytes at `a` and `b` (`b` < `a`), not reaching past
/// `limit` from `a`.
#[inline(always)]
fn count(s: &[u8], mut a: usize, mut b: usize, limit: usize) -> usize {
    let start = a;
    while a + 8 <= limit {
        let x = r64(s, a) ^ r64(s, b);
        if x != 0 {
            return a - start + (x.trailing_zeros() / 8) as usize;
        }
        a += 8;
        b += 8;
    }
    while a < limit && s[a] == s[b] {
        a += 1;
        b += 1;
    }
    a - start
}

/// Write a token for `lit` literals (and a match length to be or-ed in
/// later) at `op`, then the literals `src[anchor..anchor + lit]`; returns
/// the new `op`.
#[inline(always)]
fn put_literals(dst: &mut [u8], op: usize, src: &[u8], anchor: usize, lit: usize) -> usize {
    let mut op = if lit >= 15 {
        dst[op] = 0xF0;
        put_len(dst, op + 1, lit - 15)
    } else {
        dst[op] = (lit as u8) << 4;
        op + 1
    };
    if lit <= 16 && anchor + 16 <= src.len() && op + 16 <= dst.len() {
        // A fixed-size copy; the bytes past `lit` are overwritten next.
        dst[op..op + 16].copy_from_slice(&src[anchor..anchor + 16]);
    } else {
        dst[op..op + lit].copy_from_slice(&src[anchor..anchor + lit]);
    }
    op += lit;
    op
}

/// The most bytes [`block_into`] appends for `n` input bytes.
pub(crate) fn bound(n: usize) -> usize {
    n + n / 255 + 16
}

/// A hash table slot: a position in the input.
trait Slot: Copy + Default {
    fn get(self) -> usize;
    fn put(at: usize) -> Self;
}

impl Slot for u16 {
    #[inline(always)]
    fn get(self) -> usize {
        usize::from(self)
    }
    #[inline(always)]
    fn put(at: usize) -> Self {
        at as u16
    }
}

impl Slot for u32 {
    #[inline(always)]
    fn get(self) -> usize {
        self as usize
    }
    #[inline(always)]
    fn put(at: usize) -> Self {
        at as u32
    }
}

/// Append one LZ4 block of `src` (no size prefix) to `out`, searching with
/// LZ4's `acceleration` `accel` (1 is LZ4's default; larger values start
/// the search step at `accel` bytes: faster, larger blocks; 0 acts as 1).
pub(crate) fn block_into(src: &[u8], out: &mut Vec<u8>, accel: u32) {
    let at = out.len();
    // Room for the block and for one fixed-size literal copy past it.
    out.resize(at + bound(src.len()) + 16, 0);
    let dst = &mut out[at..];
    let len = if src.len() <= MF_LIMIT {
        put_literals(dst, 0, src, 0, src.len())
    } else if src.len() < SMALL_LIMIT {
        // Positions below 64 KiB fit 16-bit slots.
        let mut table = [0u16; 1 << HASH_LOG_SMALL];
        compress::<u16, { 1 << HASH_LOG_SMALL }, false>(src, dst, &mut table, accel)
    } else {
        let mut table = [0u32; 1 << HASH_LOG_LARGE];
        compress::<u32, { 1 << HASH_LOG_LARGE }, true>(src, dst, &mut table, accel)
    };
    out.truncate(at + len);
}

/// Compress `src` (more than 12 bytes) into `dst` (at least
/// `bound(src.len()) + 16` bytes) with a zeroed `table` of `N` (a power of
/// two) slots, hashing 5 bytes if `FIVE`, else 4, with acceleration
/// `accel`; returns the block's length.
fn compress<T: Slot, const N: usize, const FIVE: bool>(
    src: &[u8],
    dst: &mut [u8],
    table: &mut [T; N],
    accel: u32,
) -> usize {
    let hasher = if FIVE { Hasher::Five } else { Hasher::Four };
    let n = src.len();
    // A match may start before this position (then at least 12 bytes
    // remain) and extend up to `match_limit` (5 literals remain).
    let mf_end = n - MF_LIMIT + 1;
    let match_limit = n - LAST_LITERALS;
    let (mut anchor, mut ip, mut op) = (0usize, 1usize, 0usize);
    let mask = N - 1;
    table[hasher.at(src, 0) & mask] = T::put(0);
    let mut forward_h = hasher.at(src, ip) & mask;
    'search: loop {
        // Find a 4-byte match, stepping faster the longer none is found.
        let mut forward = ip;
        let mut misses = accel.clamp(1, 1 << 16) << SKIP_TRIGGER;
        let mut cand;
        loop {
            let h = forward_h;
            ip = forward;
            forward += (misses >> SKIP_TRIGGER) as usize;
            misses += 1;
            if forward > mf_end {
                break 'search;
            }
            cand = table[h].get();
            forward_h = hasher.at(src, forward) & mask;
            table[h] = T::put(ip);
            if cand + MAX_DISTANCE >= ip && r32(src, cand) == r32(src, ip) {
                break;
            }
        }
        // Extend the match backwards over equal bytes.
        while ip > anchor && cand > 0 && src[ip - 1] == src[cand - 1] {
            ip -= 1;
            cand -= 1;
        }
        let mut token_at = op;
        op = put_literals(dst, op, src, anchor, ip - anchor);
        loop {
            dst[op..op + 2].copy_from_slice(&((ip - cand) as u16).to_le_bytes());
            op += 2;
            let extra = count(src, ip + MIN_MATCH, cand + MIN_MATCH, match_limit);
            ip += MIN_MATCH + extra;
            if extra >= 15 {
                dst[token_at] |= 15;
                op = put_len(dst, op, extra - 15);
            } else {
                dst[token_at] |= extra as u8;
            }
            anchor = ip;
            if ip >= mf_end {
                break 'search;
            }
            table[hasher.at(src, ip - 2) & mask] = T::put(ip - 2);
            // A match right here: a sequence without literals.
            let h = hasher.at(src, ip) & mask;
            cand = table[h].get();
            table[h] = T::put(ip);
            if cand + MAX_DISTANCE >= ip && r32(src, cand) == r32(src, ip) {
                token_at = op;
                dst[op] = 0;
                op += 1;
                continue;
            }
            ip += 1;
            forward_h = hasher.at(src, ip) & mask;
            continue 'search;
        }
    }
    put_literals(dst, op, src, anchor, n - anchor)
}

#[cfg(all(test, feature = "lz4"))]
mod tests;
