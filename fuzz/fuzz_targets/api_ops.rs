#![no_main]
//! Sequences of h5sink API operations; see `common.rs` for the decoder.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::run_api_ops(data);
});
