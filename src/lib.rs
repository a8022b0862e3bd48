//! h5sink: a pure-Rust HDF5 writer.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(target_endian = "big")]
compile_error!("h5sink writes little-endian HDF5 by viewing row slices as bytes; big-endian targets are not supported yet");

mod dataset;
pub mod error;
mod file;
pub mod format;
mod model;
mod plan;
mod shared;
mod space;
pub mod storage;
mod types;
mod writer;

pub use dataset::Dataset;
pub use error::{Error, Result};
pub use file::{DatasetBuilder, File, Group, MAX_RANK};
pub use storage::{FileStorage, MemStorage, Storage};
pub use types::{Dim, H5Type, Numeric, VarLenUnicode};
pub use writer::{DatasetWriter, DatasetWriterBuilder};
