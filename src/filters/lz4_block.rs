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
/// Inputs below this size hash 4 bytes into 13 bits (as LZ4 does with
/// its 16-bit table), larger ones 5 bytes into 12 bits.
const SMALL_LIMIT: usize = 65_536 + MF_LIMIT - 1;
/// LZ4's largest input: larger ones are stored as literals.
const MAX_INPUT: usize = 0x7E00_0000;
/// Output room past the bound: whole-window writes of a sequence.
const SLACK: usize = 64;

mod access;
mod table;

use access::{Based, Bytes, Padded, Ring, Sink};
use table::{with_kept, Kept, SLOTS, WINDOW};

/// Multiplicative hash of the low 4 bytes of `w` into 13 bits.
#[inline(always)]
fn hash4(w: u64) -> usize {
    ((w as u32).wrapping_mul(2_654_435_761) >> (32 - 13)) as usize
}

/// Multiplicative hash of the low 5 bytes of `w` into 12 bits.
#[inline(always)]
fn hash5(w: u64) -> usize {
    ((w << 24).wrapping_mul(889_523_592_379) >> (64 - 12)) as usize
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
fn count<S: Bytes>(s: &S, mut a: usize, mut b: usize, limit: usize) -> usize {
    let start = a;
    while a + 8 <= limit {
        let x = s.r64(a) ^ s.r64(b);
        if x != 0 {
            return a - start + (x.trailing_zeros() / 8) as usize;
        }
        a += 8;
        b += 8;
    }
    while a < limit && s.byte(a) == s.byte(b) {
        a += 1;
        b += 1;
    }
    a - start
}

/// Write a token for `lit` literals (and a match length to be or-ed in
/// later) at `op`, then the literals `src[anchor..anchor + lit]`; returns
/// the new `op`.
fn put_literals(dst: &mut [u8], op: usize, src: &[u8], anchor: usize, lit: usize) -> usize {
    let op = if lit >= 15 {
        dst[op] = 0xF0;
        put_len(dst, op + 1, lit - 15)
    } else {
        dst[op] = (lit as u8) << 4;
        op + 1
    };
    dst[op..op + lit].copy_from_slice(&src[anchor..anchor + lit]);
    op + lit
}

/// Write the sequence of `lit` literals at `anchor` then a match of
/// `mlen` bytes `dist` back at `op`; returns the new `op`. Short ones
/// (the most) go through one fixed-size window of `dst`.
#[inline(always)]
fn put_sequence<S: Bytes, D: Sink>(
    dst: &mut D,
    op: usize,
    src: &S,
    anchor: usize,
    lit: usize,
    dist: usize,
    mlen: usize,
) -> usize {
    let code = mlen - MIN_MATCH;
    if lit < 15 && code < 15 {
        if let (Some(w), Some(l)) = (dst.window(op), src.lit16(anchor)) {
            w[0] = (lit << 4 | code) as u8;
            // A fixed-size copy; the bytes past `lit` are overwritten next.
            w[1..17].copy_from_slice(l);
            w[1 + lit..3 + lit].copy_from_slice(&(dist as u16).to_le_bytes());
            return op + 3 + lit;
        }
    }
    let dst = dst.all();
    let token_at = op;
    let mut op = put_literals(dst, op, src.all(), anchor - src.start(), lit);
    dst[op..op + 2].copy_from_slice(&(dist as u16).to_le_bytes());
    op += 2;
    if code >= 15 {
        dst[token_at] |= 15;
        put_len(dst, op, code - 15)
    } else {
        dst[token_at] |= code as u8;
        op
    }
}

/// The most bytes [`block_into`] appends for `n` input bytes.
pub(crate) fn bound(n: usize) -> usize {
    n + n / 255 + 16
}

/// Append one LZ4 block of `src` (no size prefix) to `out`, searching with
/// LZ4's `acceleration` `accel` (1 is LZ4's default; larger values start
/// the search step at `accel` bytes: faster, larger blocks; 0 acts as 1).
pub(crate) fn block_into(src: &[u8], out: &mut Vec<u8>, accel: u32) {
    let n = src.len();
    let at = out.len();
    let done = (n > MF_LIMIT && n <= MAX_INPUT)
        .then(|| with_kept(n, |k, base| kept_block_into(src, out, k, base, accel)))
        .flatten();
    if done.is_none() {
        // Too short (or too long) to search: literals only.
        out.truncate(at);
        out.resize(at + bound(n), 0);
        let len = put_literals(&mut out[at..], 0, src, 0, n);
        out.truncate(at + len);
    }
}

/// [`block_into`] of the `n` bytes `fill` writes into the slice it is
/// given: straight into this thread's input window when they fit it
/// (saving a copy of a block a filter has just shuffled).
pub(crate) fn block_into_filled(
    n: usize,
    out: &mut Vec<u8>,
    accel: u32,
    fill: impl FnOnce(&mut [u8]),
) {
    let mut fill = Some(fill);
    let done = (n > MF_LIMIT && n <= WINDOW)
        .then(|| {
            with_kept(n, |k, base| {
                if let (Some(f), Some(window)) = (fill.take(), k.input.get_mut(..n)) {
                    f(window);
                }
                window_block_into(n, out, k, base as usize, accel);
            })
        })
        .flatten();
    if let (None, Some(f)) = (done, fill.take()) {
        let mut buf = vec![0; n];
        f(&mut buf);
        block_into(&buf, out, accel);
    }
}

/// Compress the `n` bytes (13 to [`WINDOW`]) of this thread's input
/// window `k.input` as a block based at `base` and append it to `out`.
fn window_block_into(n: usize, out: &mut Vec<u8>, k: &mut Kept, base: usize, accel: u32) {
    let input = Padded::new(&k.input, base, n);
    let mut ring = Ring(&mut k.output);
    let len = if n < SMALL_LIMIT {
        compress::<false, _, _>(&input, &mut ring, &mut k.slots, accel)
    } else {
        compress::<true, _, _>(&input, &mut ring, &mut k.slots, accel)
    };
    out.extend_from_slice(&k.output[..len]);
}

/// [`block_into`] of `src` (13 bytes to [`MAX_INPUT`]) with this thread's
/// state `k` for a block based at `base`: through the windows if it fits
/// them, else straight from `src` into `out`.
fn kept_block_into(src: &[u8], out: &mut Vec<u8>, k: &mut Kept, base: u32, accel: u32) {
    let n = src.len();
    let small = n < SMALL_LIMIT;
    let base = base as usize;
    if let Some(window) = k.input.get_mut(..n).filter(|_| n <= WINDOW) {
        window.copy_from_slice(src);
        window_block_into(n, out, k, base, accel);
    } else {
        let at = out.len();
        out.resize(at + bound(n) + SLACK, 0);
        let mut dst = &mut out[at..];
        let input = Based(src, base);
        let len = if small {
            compress::<false, _, _>(&input, &mut dst, &mut k.slots, accel)
        } else {
            compress::<true, _, _>(&input, &mut dst, &mut k.slots, accel)
        };
        out.truncate(at + len);
    }
}

/// Compress `src` (more than 12 bytes, at positions `src.start()` on)
/// into `dst` (at least `bound(src.len()) + SLACK` bytes) with `table`,
/// whose entries hold positions (those of earlier blocks more than 64 KiB
/// below `src.start()`), hashing 5 bytes into 12 bits if `FIVE`, else 4
/// into 13, with acceleration `accel`; returns the block's length.
fn compress<const FIVE: bool, S: Bytes, D: Sink>(
    src: &S,
    dst: &mut D,
    table: &mut [u32; SLOTS],
    accel: u32,
) -> usize {
    let hash = |w: u64| (if FIVE { hash5(w) } else { hash4(w) }) & (SLOTS - 1);
    let (start, end) = (src.start(), src.start() + src.len());
    // A match may start before this position (then at least 12 bytes
    // remain) and extend up to `match_limit` (5 literals remain).
    let mf_end = end - MF_LIMIT + 1;
    let match_limit = end - LAST_LITERALS;
    let (mut anchor, mut ip, mut op) = (start, start + 1, 0usize);
    table[hash(src.r64(start))] = start as u32;
    let mut fw_word = src.r64(ip);
    let mut fw_h = hash(fw_word);
    let start_misses = accel.clamp(1, 1 << 16) << SKIP_TRIGGER;
    'search: loop {
        // Find a 4-byte match, stepping faster the longer none is found.
        let mut forward = ip;
        let mut misses = start_misses;
        let mut cand;
        let mut x;
        loop {
            let (h, w) = (fw_h, fw_word);
            ip = forward;
            forward += (misses >> SKIP_TRIGGER) as usize;
            misses += 1;
            if forward > mf_end {
                break 'search;
            }
            cand = table[h] as usize;
            fw_word = src.r64(forward);
            fw_h = hash(fw_word);
            table[h] = ip as u32;
            // One branch for both tests (the read is harmless if far):
            // a candidate too far back reads as a mismatch.
            x = (w ^ src.r64_any(cand)) | u64::from(cand + MAX_DISTANCE < ip);
            if x as u32 == 0 {
                break;
            }
        }
        // Extend the match backwards over equal bytes (`ip` > `anchor`).
        let mut back = 0;
        if ip >= start + 8 && cand >= start + 8 {
            let y = src.r64(ip - 8) ^ src.r64(cand - 8);
            back = ((y.leading_zeros() / 8) as usize).min(ip - anchor);
        }
        if back == 8 || ip < start + 8 || cand < start + 8 {
            while ip - back > anchor
                && cand - back > start
                && src.byte(ip - back - 1) == src.byte(cand - back - 1)
            {
                back += 1;
            }
        }
        loop {
            // The match's length forward from `ip` (16 bytes without
            // branching, then on), then backward.
            let mut mlen = if ip + 16 <= end {
                let x2 = src.r64(ip + 8) ^ src.r64(cand + 8);
                let len = (x.trailing_zeros() / 8) as usize
                    + ((x2.trailing_zeros() / 8) as usize & 0usize.wrapping_sub((x == 0) as usize));
                if len == 16 {
                    16 + count(src, ip + 16, cand + 16, match_limit)
                } else {
                    len
                }
            } else if x != 0 {
                (x.trailing_zeros() / 8) as usize
            } else {
                8 + count(src, ip + 8, cand + 8, match_limit)
            }
            .min(match_limit - ip);
            ip -= back;
            cand -= back;
            mlen += back;
            op = put_sequence(dst, op, src, anchor, ip - anchor, ip - cand, mlen);
            ip += mlen;
            anchor = ip;
            if ip >= mf_end {
                break 'search;
            }
            table[hash(src.r64(ip - 2))] = (ip - 2) as u32;
            // A match right here: a sequence without literals.
            let w = src.r64(ip);
            let h = hash(w);
            cand = table[h] as usize;
            table[h] = ip as u32;
            x = (w ^ src.r64_any(cand)) | u64::from(cand + MAX_DISTANCE < ip);
            if x as u32 == 0 {
                back = 0;
                continue;
            }
            ip += 1;
            fw_word = src.r64(ip);
            fw_h = hash(fw_word);
            continue 'search;
        }
    }
    put_literals(dst.all(), op, src.all(), anchor - start, end - anchor)
}

#[cfg(all(test, feature = "lz4"))]
mod tests;
