//! The `h5sink` command's tests: pack, append, compress, csv, ls, npy, plan,
//! stitch, usage, and the Dask example job.
//!
//! One test binary (`cargo test -p h5sink-cli --test cli`) for what were
//! separate files, to link the crate once: each module is one of them, and
//! its tests are named `<module>::<test>` (`--test cli pack::`).

#[path = "../common/mod.rs"]
mod common;

mod append;
mod compress;
mod csv;
mod dask_job;
mod ls;
mod npy;
mod pack;
mod plan;
mod stitch;
mod usage;
