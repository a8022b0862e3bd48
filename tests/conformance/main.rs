//! Files h5sink writes, read by h5py, pyfive, h5dump, jsfive and h5wasm: the
//! data model, chunked layouts, issue 11's corpus, reading while writing,
//! links, virtual datasets, and the oracle harness's self-test.
//!
//! One test binary (`cargo test --test conformance`) for what were separate
//! files, to link the crate once: each module is one of them, and its
//! tests are named `<module>::<test>` (`cargo test --test conformance conformance::`).

#[path = "../common/mod.rs"]
mod common;

mod chunked_conformance;
mod conformance;
mod corpus;
mod links;
mod model_conformance;
mod oracle_selftest;
mod readers;
mod r#virtual;
