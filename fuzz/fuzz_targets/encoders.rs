#![no_main]
//! Every pub encoder of `h5sink::format` and `h5sink::filters`; see `common.rs`.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::run_encoders(data);
});
