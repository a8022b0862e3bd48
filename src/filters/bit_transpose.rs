//! Bitshuffle's bit transpose of one block, 64 elements at a time: for
//! byte `j` of the elements, eight words each take byte `j` of every
//! eighth element, one 8 x 8 bit transpose per byte lane (three rounds of
//! masked swaps across the words) turns them into eight bit planes' next
//! 8 bytes, stored as whole words. A last run of fewer than 64 elements
//! (a multiple of 8) goes 8 elements at a time. Element sizes 1, 2, 4 and
//! 8 get their own compiled copy. Spec notes: `spec-notes/bitshuffle.md`.

/// The masks and shifts of the three swap rounds.
const ROUNDS: [(u32, u64); 3] = [
    (4, 0x0F0F_0F0F_0F0F_0F0F),
    (2, 0x3333_3333_3333_3333),
    (1, 0x5555_5555_5555_5555),
];

/// Transpose the 8 x 8 bit matrix in each byte lane of `z`: afterwards
/// bit `t` of word `k` (in each lane) is what bit `k` of word `t` was.
#[inline(always)]
fn transpose_lanes(z: &mut [u64; 8]) {
    for (d, m) in ROUNDS {
        for t in 0..8 {
            if t & d as usize == 0 {
                let u = t + d as usize;
                let x = ((z[t] >> d) ^ z[u]) & m;
                z[u] ^= x;
                z[t] ^= x << d;
            }
        }
    }
}

/// Transpose the 8 x 8 bit matrix held in `x` (byte `t` is row `t`): byte
/// `k` of the result holds bit `k` of each row, row `t` at bit `t`.
fn transpose8(mut x: u64) -> u64 {
    let mut t = (x ^ (x >> 7)) & 0x00AA_00AA_00AA_00AA;
    x ^= t ^ (t << 7);
    t = (x ^ (x >> 14)) & 0x0000_CCCC_0000_CCCC;
    x ^= t ^ (t << 14);
    t = (x ^ (x >> 28)) & 0x0000_0000_F0F0_F0F0;
    x ^ t ^ (t << 28)
}

/// Forward transpose of 64 elements of `S` bytes (`src`, `64 S` bytes)
/// into planes of `row` bytes in `out`, at byte `at` of each plane.
#[inline(always)]
fn forward64<const S: usize>(src: &[u8], s: usize, out: &mut [u8], row: usize, at: usize) {
    let s = if S == 0 { s } else { S };
    let src = &src[..64 * s];
    for j in 0..s {
        let mut z = [0u64; 8];
        for (t, w) in z.iter_mut().enumerate() {
            for g in 0..8 {
                *w |= u64::from(src[(8 * g + t) * s + j]) << (8 * g);
            }
        }
        transpose_lanes(&mut z);
        for (k, w) in z.iter().enumerate() {
            let p = (8 * j + k) * row + at;
            out[p..p + 8].copy_from_slice(&w.to_le_bytes());
        }
    }
}

/// Undo [`forward64`].
#[inline(always)]
fn backward64<const S: usize>(planes: &[u8], s: usize, out: &mut [u8], row: usize, at: usize) {
    let s = if S == 0 { s } else { S };
    let out = &mut out[..64 * s];
    for j in 0..s {
        let mut z = [0u64; 8];
        for (k, w) in z.iter_mut().enumerate() {
            let p = (8 * j + k) * row + at;
            let b = &planes[p..p + 8];
            *w = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        }
        transpose_lanes(&mut z);
        for (t, w) in z.iter().enumerate() {
            for (g, b) in w.to_le_bytes().iter().enumerate() {
                out[(8 * g + t) * s + j] = *b;
            }
        }
    }
}

/// Transpose the 64 x 64 bit matrix `a` (word = row, bit = column):
/// afterwards bit `r` of word `c` is what bit `c` of word `r` was. Six
/// rounds of masked swaps between rows `d` apart, `d` = 32 down to 1.
#[inline(always)]
fn transpose64(a: &mut [u64; 64]) {
    round::<32>(a, 0x0000_0000_FFFF_FFFF);
    round::<16>(a, 0x0000_FFFF_0000_FFFF);
    round::<8>(a, 0x00FF_00FF_00FF_00FF);
    round::<4>(a, 0x0F0F_0F0F_0F0F_0F0F);
    round::<2>(a, 0x3333_3333_3333_3333);
    round::<1>(a, 0x5555_5555_5555_5555);
}

/// One round of [`transpose64`]: in each run of `2 D` rows, swap the
/// columns of mask `!m` of the first `D` rows with the columns of `m` of
/// the next `D`.
#[inline(always)]
fn round<const D: u32>(a: &mut [u64; 64], m: u64) {
    for run in a.chunks_exact_mut(2 * D as usize) {
        let (lo, hi) = run.split_at_mut(D as usize);
        for (x, y) in lo.iter_mut().zip(hi.iter_mut()) {
            let t = ((*x >> D) ^ *y) & m;
            *y ^= t;
            *x ^= t << D;
        }
    }
}

/// Element `e` of `S` bytes (1, 2, 4 or 8) in `src`, as a word.
#[inline(always)]
fn load<const S: usize>(src: &[u8], e: usize) -> u64 {
    let b = &src[e * S..e * S + S];
    let mut w = [0u8; 8];
    w[..S].copy_from_slice(b);
    u64::from_le_bytes(w)
}

/// Forward transpose of one tile of `512 / S` elements (512 bytes, `S`
/// 1, 2, 4 or 8) as a 64 x 64 bit matrix: row `r` holds elements `r`,
/// `r + 64`, ... side by side, so column `8 S i + b` becomes 8 bytes of
/// plane `b`, elements `64 i` to `64 i + 63`; written at byte `at` of
/// each plane of `row` bytes.
#[inline(always)]
fn forward_tile<const S: usize>(src: &[u8], out: &mut [u8], row: usize, at: usize) {
    let src = &src[..512];
    let mut a = [0u64; 64];
    for (r, w) in a.iter_mut().enumerate() {
        for i in 0..8 / S {
            *w |= load::<S>(src, r + 64 * i) << (8 * S * i);
        }
    }
    transpose64(&mut a);
    for (c, w) in a.iter().enumerate() {
        let p = (c % (8 * S)) * row + at + 8 * (c / (8 * S));
        out[p..p + 8].copy_from_slice(&w.to_le_bytes());
    }
}

/// Undo [`forward_tile`]: `out` receives the tile's 512 bytes.
#[inline(always)]
fn backward_tile<const S: usize>(planes: &[u8], out: &mut [u8], row: usize, at: usize) {
    let out = &mut out[..512];
    let mut a = [0u64; 64];
    for (c, w) in a.iter_mut().enumerate() {
        let p = (c % (8 * S)) * row + at + 8 * (c / (8 * S));
        let b = &planes[p..p + 8];
        *w = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    }
    transpose64(&mut a);
    for (r, w) in a.iter().enumerate() {
        for i in 0..8 / S {
            let e = r + 64 * i;
            let v = (w >> (8 * S * i)).to_le_bytes();
            out[e * S..e * S + S].copy_from_slice(&v[..S]);
        }
    }
}

/// Elements per 512-byte tile for element size `S`, 0 when `S` has no
/// tile path.
const fn tile_elems(s: usize) -> usize {
    match s {
        1 | 2 | 4 | 8 => 512 / s,
        _ => 0,
    }
}

/// Forward transpose of a whole block for element size `S` (0: `s`):
/// whole tiles, then 64 elements at a time, then 8 at a time.
fn forward<const S: usize>(inp: &[u8], s: usize, out: &mut [u8]) {
    let row = inp.len() / s / 8;
    let n = 8 * row;
    let tile = tile_elems(S);
    let mut done = 0;
    if let Some(tiles) = n.checked_div(tile) {
        for (t, src) in inp.chunks_exact(512).take(tiles).enumerate() {
            forward_tile::<S>(src, out, row, t * tile / 8);
        }
        done = tiles * tile;
    }
    while done + 64 <= n {
        forward64::<S>(&inp[done * s..], s, out, row, done / 8);
        done += 64;
    }
    for g in done / 8..row {
        for j in 0..s {
            let mut x = 0u64;
            for t in 0..8 {
                x |= u64::from(inp[(8 * g + t) * s + j]) << (8 * t);
            }
            for (k, b) in transpose8(x).to_le_bytes().iter().enumerate() {
                out[(8 * j + k) * row + g] = *b;
            }
        }
    }
}

/// Undo [`forward`].
fn backward<const S: usize>(planes: &[u8], s: usize, out: &mut [u8]) {
    let row = planes.len() / s / 8;
    let n = 8 * row;
    let tile = tile_elems(S);
    let mut done = 0;
    if let Some(tiles) = n.checked_div(tile) {
        for (t, dst) in out.chunks_exact_mut(512).take(tiles).enumerate() {
            backward_tile::<S>(planes, dst, row, t * tile / 8);
        }
        done = tiles * tile;
    }
    while done + 64 <= n {
        backward64::<S>(planes, s, &mut out[done * s..], row, done / 8);
        done += 64;
    }
    for g in done / 8..row {
        for j in 0..s {
            let mut x = [0u8; 8];
            for (k, b) in x.iter_mut().enumerate() {
                *b = planes[(8 * j + k) * row + g];
            }
            for (t, b) in transpose8(u64::from_le_bytes(x))
                .to_le_bytes()
                .iter()
                .enumerate()
            {
                out[(8 * g + t) * s + j] = *b;
            }
        }
    }
}

/// Bit-transpose block `inp` (a multiple of 8 elements of `s` bytes) into
/// `out` (same length): plane `8 j + k` holds bit `k` of byte `j` of each
/// element, element `i` at bit `i % 8` of the plane's byte `i / 8`.
pub(crate) fn transpose_block(inp: &[u8], s: usize, out: &mut [u8]) {
    if s == 0 || inp.len() < 8 * s || out.len() != inp.len() {
        return;
    }
    match s {
        1 => forward::<1>(inp, s, out),
        2 => forward::<2>(inp, s, out),
        4 => forward::<4>(inp, s, out),
        8 => forward::<8>(inp, s, out),
        _ => forward::<0>(inp, s, out),
    }
}

/// Undo [`transpose_block`].
pub(crate) fn untranspose_block(planes: &[u8], s: usize, out: &mut [u8]) {
    if s == 0 || planes.len() < 8 * s || out.len() != planes.len() {
        return;
    }
    match s {
        1 => backward::<1>(planes, s, out),
        2 => backward::<2>(planes, s, out),
        4 => backward::<4>(planes, s, out),
        8 => backward::<8>(planes, s, out),
        _ => backward::<0>(planes, s, out),
    }
}

#[cfg(test)]
mod tests;
