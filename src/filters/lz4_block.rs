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

/// Read 4 bytes at `i` (little-endian).
#[inline(always)]
fn r32(s: &[u8], i: usize) -> u32 {
    let b = &s[i..i + 4];
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// Read 8 bytes at `i` (little-endian).
#[inline(always)]
fn r64(s: &[u8], i: usize) -> u64 {
    let b = &s[i..i + 8];
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

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

/// Append an LZ4 length continuation (the part of `len` past the token's
/// 15): bytes of 255, then the rest.
#[inline(always)]
fn push_len(out: &mut Vec<u8>, mut len: usize) {
    while len >= 255 {
        out.push(255);
        len -= 255;
    }
    out.push(len as u8);
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

/// Append the literals `lit` and their token (no match after them).
fn last_literals(out: &mut Vec<u8>, lit: &[u8]) {
    if lit.len() >= 15 {
        out.push(0xF0);
        push_len(out, lit.len() - 15);
    } else {
        out.push((lit.len() as u8) << 4);
    }
    out.extend_from_slice(lit);
}

/// The most bytes [`block_into`] appends for `n` input bytes.
pub(crate) fn bound(n: usize) -> usize {
    n + n / 255 + 16
}

/// Append one LZ4 block of `src` (no size prefix) to `out`.
pub(crate) fn block_into(src: &[u8], out: &mut Vec<u8>) {
    let n = src.len();
    out.reserve(bound(n));
    if n <= MF_LIMIT {
        return last_literals(out, src);
    }
    let (hasher, log) = if n < SMALL_LIMIT {
        (Hasher::Four, HASH_LOG_SMALL)
    } else {
        (Hasher::Five, HASH_LOG_LARGE)
    };
    let mut table_buf = [0u32; 1 << HASH_LOG_SMALL];
    let table = &mut table_buf[..1 << log];
    // A match may start before this position (then at least 12 bytes
    // remain) and extend up to `match_limit` (5 literals remain).
    let mf_end = n - MF_LIMIT + 1;
    let match_limit = n - LAST_LITERALS;
    let mut anchor = 0usize;
    let mut ip = 1usize;
    table[hasher.at(src, 0)] = 0;
    let mut forward_h = hasher.at(src, ip);
    'search: loop {
        // Find a 4-byte match, stepping faster the longer none is found.
        let mut forward = ip;
        let mut misses = 1u32 << SKIP_TRIGGER;
        let mut cand;
        loop {
            let h = forward_h;
            ip = forward;
            forward += (misses >> SKIP_TRIGGER) as usize;
            misses += 1;
            if forward > mf_end {
                break 'search;
            }
            cand = table[h] as usize;
            forward_h = hasher.at(src, forward);
            table[h] = ip as u32;
            if cand + MAX_DISTANCE >= ip && r32(src, cand) == r32(src, ip) {
                break;
            }
        }
        // Extend the match backwards over equal bytes.
        while ip > anchor && cand > 0 && src[ip - 1] == src[cand - 1] {
            ip -= 1;
            cand -= 1;
        }
        let lit = ip - anchor;
        let mut token_at = out.len();
        if lit >= 15 {
            out.push(0xF0);
            push_len(out, lit - 15);
        } else {
            out.push((lit as u8) << 4);
        }
        out.extend_from_slice(&src[anchor..ip]);
        loop {
            let offset = ip - cand;
            out.extend_from_slice(&(offset as u16).to_le_bytes());
            let extra = count(src, ip + MIN_MATCH, cand + MIN_MATCH, match_limit);
            ip += MIN_MATCH + extra;
            if extra >= 15 {
                out[token_at] |= 15;
                push_len(out, extra - 15);
            } else {
                out[token_at] |= extra as u8;
            }
            anchor = ip;
            if ip >= mf_end {
                break 'search;
            }
            table[hasher.at(src, ip - 2)] = (ip - 2) as u32;
            // A match right here: a sequence without literals.
            let h = hasher.at(src, ip);
            cand = table[h] as usize;
            table[h] = ip as u32;
            if cand + MAX_DISTANCE >= ip && r32(src, cand) == r32(src, ip) {
                token_at = out.len();
                out.push(0);
                continue;
            }
            ip += 1;
            forward_h = hasher.at(src, ip);
            continue 'search;
        }
    }
    last_literals(out, &src[anchor..]);
}

#[cfg(all(test, any(feature = "lz4", feature = "bitshuffle", feature = "blosc")))]
mod tests {
    use super::*;

    fn ours(src: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        block_into(src, &mut out);
        out
    }

    /// Walk the sequences: every match starts at least 12 bytes before the
    /// end and the last 5 bytes are literals; returns the decoded length.
    fn check_end_rules(z: &[u8], n: usize) {
        let (mut ip, mut op) = (0usize, 0usize);
        let len = |ip: &mut usize, mut v: usize| {
            if v == 15 {
                loop {
                    let b = z[*ip];
                    *ip += 1;
                    v += b as usize;
                    if b != 255 {
                        break;
                    }
                }
            }
            v
        };
        loop {
            let token = z[ip] as usize;
            ip += 1;
            let lit = len(&mut ip, token >> 4);
            ip += lit;
            op += lit;
            if ip == z.len() {
                break;
            }
            ip += 2;
            assert!(op + MF_LIMIT <= n, "match at {op} of {n}");
            op += len(&mut ip, token & 15) + MIN_MATCH;
            assert!(op + LAST_LITERALS <= n, "match ends at {op} of {n}");
        }
        assert_eq!(op, n);
    }

    fn inputs() -> Vec<Vec<u8>> {
        let noise = crate::filters::lz4::tests::xorshift(200_000);
        let relu: Vec<u8> = noise
            .chunks(4)
            .flat_map(|c| {
                if c[3] < 128 {
                    [0; 4]
                } else {
                    [c[0], c[1], 0x3f, 0]
                }
            })
            .collect();
        let mut v = vec![
            vec![],
            vec![7],
            vec![0; 12],
            vec![0; 13],
            vec![0; 100_000],
            (0..70_000u32).map(|i| (i % 251) as u8).collect(),
            noise.clone(),
            relu.clone(),
            relu[..65_546].to_vec(),
            relu[..65_547].to_vec(),
        ];
        for n in [1, 5, 11, 12, 13, 14, 17, 20, 31, 64, 100, 1000, 8191] {
            v.push(relu[..n].to_vec());
            v.push(vec![3; n]);
            v.push(noise[..n].to_vec());
        }
        v
    }

    #[test]
    fn decodes_with_ours_and_lz4_flex_and_keeps_the_end_rules() {
        for src in inputs() {
            let z = ours(&src);
            assert!(z.len() <= bound(src.len()));
            assert_eq!(crate::filters::lz4::unblock(&z, src.len()).unwrap(), src);
            let flex = lz4_flex::block::decompress(&z, src.len()).unwrap();
            assert_eq!(flex, src, "{} bytes", src.len());
            check_end_rules(&z, src.len());
        }
    }

    #[test]
    fn appends_after_what_is_there() {
        let src = vec![5u8; 1000];
        let mut out = vec![1, 2, 3];
        block_into(&src, &mut out);
        assert_eq!(out[..3], [1, 2, 3]);
        assert_eq!(out[3..], ours(&src));
        assert!(out.len() < 20);
    }
}
