//! What the codec benchmarks share (`mod common;` in benches/compress.rs,
//! benches/kernels.rs and benches/zstd_levels.rs): the ReLU-like feature
//! rows they all compress, the cutting of one chunk out of them, and
//! running a python3 program (the h5py / hdf5plugin / C-kernel rivals).
#![allow(dead_code)] // each benchmark uses a part

use std::ffi::OsString;
use std::process::{Command, Output};

/// Features per row (a flattened 512 x 7 x 7 CNN feature map).
pub const FEATURES: usize = 25088;
/// The chunk shape every codec benchmark uses: 63 rows x 392 features.
pub const CHUNK: [usize; 2] = [63, 392];

/// `rows` rows of ReLU-like features: xorshift noise, negative half clamped
/// to 0, values rounded to 1/256 (as quantised activations are), so they
/// compress like real CNN features rather than like noise or constants.
/// The same stream whatever `rows` is: fewer rows are its first ones.
pub fn features(rows: usize) -> Vec<f32> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..rows * FEATURES)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = ((x >> 40) as f32 / (1u64 << 24) as f32) * 8.0 - 4.0;
            (v.max(0.0) * 256.0).round() / 256.0
        })
        .collect()
}

/// The whole (63, 392) chunk whose first element is row `r0`, column `c0`
/// of `data` (rows of [`FEATURES`]), as its row-major little-endian bytes.
pub fn chunk_bytes(data: &[f32], r0: usize, c0: usize) -> Vec<u8> {
    (r0..r0 + CHUNK[0])
        .flat_map(|r| &data[r * FEATURES + c0..r * FEATURES + c0 + CHUNK[1]])
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

/// Runs `python3 -c code args...` and returns what it printed and its
/// status (an error if python3 cannot start).
pub fn python(code: &str, args: &[OsString]) -> std::io::Result<Output> {
    Command::new("python3")
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
}
