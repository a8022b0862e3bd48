//! Reading existing files: `File::open`, `File::open_rw`, hostile whole files,
//! the read accessors, and reading back what was written.
//!
//! One test binary (`cargo test --test open`) for what were separate
//! files, to link the crate once: each module is one of them, and its
//! tests are named `<module>::<test>` (`cargo test --test open open::`).

#[path = "../common/mod.rs"]
mod common;

mod open;
mod open_hostile;
mod open_rw;
mod read_accessors;
mod read_back;
