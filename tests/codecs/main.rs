//! The plugin codecs (LZF, LZ4, bitshuffle, zstd, Blosc) end to end: real
//! readers, hostile settings, h5wasm, the property test, and background
//! compression.
//!
//! One test binary (`cargo test --test codecs`) for what were separate
//! files, to link the crate once: each module is one of them, and its
//! tests are named `<module>::<test>` (`cargo test --test codecs codecs::`).

#[path = "../common/mod.rs"]
mod common;

mod codecs;
mod codecs_hostile;
mod codecs_js;
mod pipeline;
mod proptest_codecs;
