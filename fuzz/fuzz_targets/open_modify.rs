#![no_main]
//! A whole file opened read-write, walked, changed by a few operations
//! (storage faults included), closed and checked: see `open_modify_run.rs`
//! (shared with `tests/fuzz_smoke.rs`).

use libfuzzer_sys::fuzz_target;

#[path = "open_modify_run.rs"]
mod open_modify_run;

fuzz_target!(|data: &[u8]| {
    open_modify_run::run_open_modify(data);
});
