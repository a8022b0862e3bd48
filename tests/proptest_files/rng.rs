//! The random source of a case: proptest's RNG seeded by the case seed, and
//! how case seeds derive from the run seed.

use proptest::prelude::Rng as _;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

// ------------------------------------------------------------ random source

/// Draws from proptest's `TestRunner` RNG (ChaCha, seeded by the case seed).
pub(crate) struct Rng(TestRunner);

impl Rng {
    pub(crate) fn new(case_seed: u64) -> Self {
        let mut bytes = [0u8; 32];
        for (k, b) in bytes.chunks_mut(8).enumerate() {
            b.copy_from_slice(&splitmix(case_seed ^ (k as u64).wrapping_mul(0xA5A5)).to_le_bytes());
        }
        Rng(TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
        ))
    }
    pub(crate) fn u64(&mut self) -> u64 {
        self.0.rng().next_u64()
    }
    /// Uniform in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.u64() % n
    }
    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `pct` percent.
    pub(crate) fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub(crate) fn case_seed(run_seed: u64, index: u64) -> u64 {
    splitmix(run_seed ^ splitmix(index))
}
