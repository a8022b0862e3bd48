#![no_main]
//! Every pub decoder of `h5sink::format` and `h5sink::filters::unapply` on
//! untrusted bytes; see `decoders_run.rs`.
use libfuzzer_sys::fuzz_target;

#[path = "decoders_run.rs"]
mod decoders_run;

fuzz_target!(|data: &[u8]| {
    decoders_run::run_decoders(data);
});
