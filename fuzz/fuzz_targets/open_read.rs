#![no_main]
//! Whole files through `File::open_storage` and every read: see
//! `open_read_run.rs` (shared with `tests/fuzz_smoke.rs`).

use libfuzzer_sys::fuzz_target;

#[path = "open_read_run.rs"]
mod open_read_run;

fuzz_target!(|data: &[u8]| {
    open_read_run::run_open_read(data);
});
