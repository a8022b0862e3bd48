//! The fast bit transpose against the previous implementation (a byte
//! shuffle, then one 8 x 8 bit transpose per 8 bytes) and the definition,
//! on every path (tiles, 64 and 8 elements), element sizes and lengths.

use super::*;

/// The previous implementation: byte-shuffle, then 8 x 8 transposes.
fn reference(inp: &[u8], s: usize) -> Vec<u8> {
    let row = inp.len() / s / 8;
    let mut out = vec![0u8; inp.len()];
    let planes = crate::filters::shuffle(inp, s);
    for (j, bytes) in planes.chunks_exact(8 * row).enumerate() {
        for (g, eight) in bytes.chunks_exact(8).enumerate() {
            let mut x = [0u8; 8];
            x.copy_from_slice(eight);
            for (k, b) in transpose8(u64::from_le_bytes(x))
                .to_le_bytes()
                .iter()
                .enumerate()
            {
                out[(8 * j + k) * row + g] = *b;
            }
        }
    }
    out
}

fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

#[test]
fn matches_the_reference_on_every_path() {
    for s in [1, 2, 3, 4, 5, 8, 12, 16] {
        for n in [
            8, 16, 56, 64, 72, 120, 128, 136, 248, 256, 264, 504, 512, 520, 1024, 2048, 24_696,
        ] {
            let inp = noise(n * s, (n * 31 + s) as u64);
            let mut out = vec![0u8; inp.len()];
            transpose_block(&inp, s, &mut out);
            assert!(out == reference(&inp, s), "s {s} n {n}");
            let mut back = vec![0u8; inp.len()];
            untranspose_block(&out, s, &mut back);
            assert!(back == inp, "s {s} n {n}");
        }
    }
}

#[test]
fn structured_data_and_refused_shapes() {
    // One bit set at a time lands in one plane bit.
    let s = 4;
    let n = 256;
    for bit in [0, 7, 8, 31] {
        for e in [0, 1, 63, 64, 127, 128, 255] {
            let mut inp = vec![0u8; n * s];
            inp[e * s + bit / 8] = 1 << (bit % 8);
            let mut out = vec![0u8; n * s];
            transpose_block(&inp, s, &mut out);
            let at = bit * (n / 8) + e / 8;
            assert_eq!(out[at], 1 << (e % 8), "bit {bit} element {e}");
            assert_eq!(out.iter().filter(|&&b| b != 0).count(), 1);
        }
    }
    // Too short or mismatched: the output is left alone.
    let mut out = vec![9u8; 7];
    transpose_block(&[1; 7], 1, &mut out);
    untranspose_block(&[1; 7], 1, &mut out);
    assert_eq!(out, [9; 7]);
    let mut out = vec![9u8; 8];
    transpose_block(&[1; 16], 1, &mut out);
    transpose_block(&[1; 16], 0, &mut out);
    assert_eq!(out, [9; 8]);
}

/// Timing against the reference: `cargo test --release --lib
/// bit_transpose::tests::speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed() {
    let inp = noise(98_784, 7);
    let mut out = vec![0u8; inp.len()];
    let block = 8192;
    let (mut new, mut old) = (f64::MAX, f64::MAX);
    for _ in 0..30 {
        let t = std::time::Instant::now();
        for _ in 0..20 {
            for (i, o) in inp.chunks_exact(block).zip(out.chunks_exact_mut(block)) {
                transpose_block(i, 4, o);
            }
        }
        new = new.min(t.elapsed().as_secs_f64());
        let t = std::time::Instant::now();
        for _ in 0..20 {
            for i in inp.chunks_exact(block) {
                std::hint::black_box(reference(i, 4));
            }
        }
        old = old.min(t.elapsed().as_secs_f64());
    }
    let gb = (20 * inp.len() / block * block) as f64 / 1e9;
    println!(
        "transpose: new {:.2} GB/s, reference {:.2} GB/s",
        gb / new,
        gb / old
    );
}
