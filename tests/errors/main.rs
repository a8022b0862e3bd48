//! The error contract: specific errors for every bad input, their messages,
//! hostile input, and no panic on random API calls.
//!
//! One test binary (`cargo test --test errors`) for what were separate
//! files, to link the crate once: each module is one of them, and its
//! tests are named `<module>::<test>` (`cargo test --test errors errors::`).

#[path = "../common/mod.rs"]
mod common;

mod errors;
mod errors_messages;
mod hostile;
mod no_panic;
