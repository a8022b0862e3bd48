//! h5sink: a pure-Rust HDF5 writer.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod error;
pub mod format;

pub use error::{Error, Result};
