//! Writing: appends, string appends, `DatasetWriter` options and storages,
//! number conversion, concurrency, transactions, and regions.
//!
//! One test binary (`cargo test --test write`) for what were separate
//! files, to link the crate once: each module is one of them, and its
//! tests are named `<module>::<test>` (`cargo test --test write append::`).

#[path = "../common/mod.rs"]
mod common;

mod append;
mod concurrency;
mod convert;
mod region_refusals;
mod regions;
mod string_append;
mod transactions;
mod writer_options;
mod writer_storage;
