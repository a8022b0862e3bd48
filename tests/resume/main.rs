//! Surviving interruptions: `resume` (in process and after `kill -9`), durable
//! commits, crash kills, atomic commits and storage faults.
//!
//! One test binary (`cargo test --test resume`) for what were separate
//! files, to link the crate once: each module is one of them, and its
//! tests are named `<module>::<test>` (`cargo test --test resume resume::`).

#[path = "../common/mod.rs"]
mod common;

mod commit_faults;
mod crash_kill;
mod durable;
mod faults;
mod resume;
mod resume_kill;
