//! h5sink: a pure-Rust HDF5 writer.
//!
//! h5sink writes HDF5 files that h5py, h5dump, pyfive and other readers open
//! exactly like files h5py wrote, with no libhdf5 and no C code. It streams
//! rows straight to their final place in the file, and keeps the file valid
//! on disk after every commit, so a crash loses at most unflushed rows.
//!
//! # The tutorial pattern: rows, labels, class names
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = std::env::temp_dir().join(format!("h5sink-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir)?;
//! # let path = dir.join("features.h5");
//! # let _ = std::fs::remove_file(&path);
//! let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[64, 512])
//!     .data_key("features")
//!     .buf_size(16)
//!     .create()?;
//! for batch in 0..4 {
//!     let rows = vec![batch as f32; 16 * 512];
//!     let labels = vec![batch as i64; 16];
//!     w.add(&rows, &labels)?;
//! }
//! w.store_class_labels(&["cat", "dog", "horse", "ship"])?;
//! assert_eq!(w.len(), 64);
//! w.close()?;
//! // An existing file is never overwritten:
//! assert!(matches!(h5sink::File::create(&path), Err(h5sink::Error::Exists { .. })));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(()) }
//! ```
//!
//! # Groups, datasets and strings
//!
//! ```
//! # fn main() -> h5sink::Result<()> {
//! let storage = h5sink::MemStorage::new(); // or h5sink::File::create("out.h5")
//! let file = h5sink::File::with_storage(storage.clone())?;
//! let meta = file.create_group("meta")?;
//! let ds = file.new_dataset::<f64>().shape(&[3, 2]).create("points")?;
//! ds.write_rows(1, &[1.0, 2.0, 3.0, 4.0])?; // rows 1 and 2; row 0 stays 0
//! meta.new_dataset::<h5sink::VarLenUnicode>()
//!     .shape(&[2])
//!     .create("names")?
//!     .write_strings(&["α", "β"])?;
//! file.new_dataset::<i32>().create("answer")?.write_scalar(&42)?;
//! file.close()?;
//! assert_eq!(&storage.to_vec()[..8], b"\x89HDF\r\n\x1a\n");
//! # Ok(()) }
//! ```
//!
//! Staged objects (groups, datasets, strings) are committed by
//! [`File::flush`] and [`File::close`]; rows are written immediately.
//! Every failure is an [`Error`] naming the offending values; after an I/O
//! error the file refuses further work and stays at its last commit.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(target_endian = "big")]
compile_error!("h5sink writes little-endian HDF5 by viewing row slices as bytes; big-endian targets are not supported yet");

mod attr;
mod builder;
mod chunked;
mod dataset;
mod dataset_chunked;
mod emit;
pub mod error;
mod file;
pub mod filters;
pub mod format;
mod group;
mod heap;
mod messages;
mod model;
#[cfg(feature = "ndarray")]
mod ndarray_support;
mod plan;
mod shared;
mod space;
pub mod storage;
mod types;
mod writer;
mod writer_builder;

pub use attr::{AttrBuilder, Attribute, AttributeBuilder, MAX_ATTRIBUTE_MESSAGE};
pub use builder::DatasetBuilder;
pub use dataset::Dataset;
pub use error::{Error, Result};
pub use file::File;
pub use format::dataspace::MAX_RANK;
pub use group::Group;
pub use storage::{FileStorage, MemStorage, Storage};
#[doc(hidden)]
pub use types::internal as types_internal;
pub use types::{Dim, Element, FixedAscii, FixedUnicode, H5Type, Numeric, VarLenUnicode};
pub use writer::{DatasetWriter, DatasetWriterBuilder};
