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
//! Groups are made with [`Group::create_group`] (a [`File`] dereferences to
//! its root group); `/`-paths create the missing groups along the way, as
//! h5py does, and [`Group::group`] / [`Group::dataset`] open what exists.
//!
//! # Attributes
//!
//! Groups (the root too) and datasets carry attributes: in one call with
//! [`Group::new_attr_builder`] / [`Dataset::new_attr_builder`]
//! ([`AttrBuilder`]), or typed and shaped with `new_attr::<T>()`
//! ([`AttributeBuilder`], then [`Attribute::write`]). Each is at most
//! [`MAX_ATTRIBUTE_MESSAGE`] bytes; larger values belong in a dataset.
//!
//! ```
//! # fn main() -> h5sink::Result<()> {
//! let file = h5sink::File::in_memory()?;
//! let ds = file.new_dataset::<f32>().shape(&[10]).create("loss")?;
//! ds.new_attr_builder().with_str("cross-entropy").create("units")?; // h5py: attrs["units"] = "..."
//! ds.new_attr_builder().with_data(&[0.1f64, 0.01]).create("lrs")?;
//! file.new_attr::<u8>().shape(&[2, 2]).create("grid")?.write(&[1u8, 2, 3, 4])?;
//! file.close()?;
//! # Ok(()) }
//! ```
//!
//! # Element types
//!
//! * Numbers `u8 i8 u16 i16 u32 i32 u64 i64 f32 f64`, little-endian as numpy's
//!   `<u1` … `<f8`, and `half::f16` with the feature `half`.
//! * `bool`, stored as h5py stores numpy bools (an `i8` enum FALSE/TRUE).
//! * Strings: [`VarLenUnicode`] (h5py's `str`, any length; written with
//!   [`Dataset::write_strings`]), [`FixedAscii<N>`](FixedAscii) (numpy
//!   `S<N>`) and [`FixedUnicode<N>`](FixedUnicode) (UTF-8 in `N` bytes).
//! * Arrays `[T; N]` of any element type.
//! * Structs declared with [`h5compound!`] (numpy structured arrays) and
//!   fieldless enums declared with [`h5enum!`] over an integer base.
//!
//! ```
//! # fn main() -> h5sink::Result<()> {
//! h5sink::h5enum! {
//!     #[derive(Clone, Copy)]
//!     enum Split: u8 { Train = 0, Val = 1, Test = 2 }
//! }
//! h5sink::h5compound! {
//!     #[derive(Clone, Copy)]
//!     struct Box2d { score: f32, xyxy: [f32; 4], split: Split, tag: h5sink::FixedAscii<4> }
//! }
//! let file = h5sink::File::in_memory()?;
//! let tag = h5sink::FixedAscii::<4>::new("gt")?;
//! let boxes = [Box2d { score: 0.9, xyxy: [0.0, 0.0, 5.0, 5.0], split: Split::Val, tag }];
//! file.new_dataset::<Box2d>().shape(&[1]).create("boxes")?.write_raw(&boxes)?;
//! file.new_dataset::<bool>().shape(&[3]).create("mask")?.write_raw(&[true, false, true])?;
//! file.close()?;
//! # Ok(()) }
//! ```
//!
//! # Chunked, compressed and growing datasets
//!
//! A chunk shape ([`DatasetBuilder::chunk`]), a filter
//! ([`shuffle`](DatasetBuilder::shuffle), [`deflate`](DatasetBuilder::deflate),
//! [`fletcher32`](DatasetBuilder::fletcher32)) or a maximum shape
//! ([`resizable`](DatasetBuilder::resizable),
//! [`max_shape`](DatasetBuilder::max_shape)) makes a dataset chunked; without
//! an explicit chunk shape h5py's guess is used. Growable datasets take
//! [`Dataset::append_rows`] and [`Dataset::resize`]; growable string
//! datasets take [`Dataset::append_strings`]. The
//! [`DatasetWriter`] has the same options, and with
//! [`unlimited`](DatasetWriterBuilder::unlimited) its dimensions are those of
//! one row and the row count is open-ended.
//!
//! ```
//! # fn main() -> h5sink::Result<()> {
//! let file = h5sink::File::in_memory()?;
//! let ds = file.new_dataset::<f32>()
//!     .shape(&[0, 128])
//!     .resizable()          // maxshape (None, 128)
//!     .chunk(&[64, 128])
//!     .shuffle()
//!     .deflate(4)
//!     .create("features")?;
//! for batch in 0..3 {
//!     let first = ds.append_rows(&vec![batch as f32; 10 * 128])?;
//!     assert_eq!(first, batch * 10);
//! }
//! file.flush()?; // the file now holds all 30 rows
//! assert_eq!(ds.shape(), [30, 128]);
//! file.close()?;
//! # Ok(()) }
//! ```
//!
//! # In memory, or any storage
//!
//! [`File::in_memory`] and [`File::into_bytes`] give the file as bytes;
//! [`File::with_storage`] writes into a [`MemStorage`] or into any type that
//! implements [`Storage`] (positional writes, a length, `set_len`, `sync`;
//! `read_at` only to read back), e.g. a network or object store;
//! [`DatasetWriter::with_storage`] runs the tutorial writer on one.
//!
//! # Commits, crashes and errors
//!
//! * [`File::create`] (and [`DatasetWriterBuilder::create`]) refuses an
//!   existing path with [`Error::Exists`]; the check and the creation are one
//!   atomic `open`.
//! * After `create`, every [`File::flush`] and [`File::close`], the file on
//!   disk is valid HDF5. Groups, datasets, attributes and strings created
//!   since the last commit are staged in memory and appear at the next
//!   commit (or, best effort, when the last handle of the file is dropped). Rows of contiguous
//!   datasets go to their final place at once; rows of chunked datasets are
//!   written as their chunks fill and at each commit.
//! * A commit writes the new metadata to space the committed state does not
//!   use, then switches to it with one superblock write, so a crash (even
//!   `kill -9` mid-flush) leaves the last committed state with every row
//!   flushed before it. For power loss, call [`File::sync`], or make every
//!   commit durable with [`File::set_durable`] (an `fsync` before and after
//!   the superblock switch).
//! * [`DatasetWriter::create`] commits its datasets at once; its
//!   [`flush`](DatasetWriter::flush) writes the buffered rows (and, for an
//!   unlimited writer, commits the new row count);
//!   [`store_class_labels`](DatasetWriter::store_class_labels) commits the
//!   names at once.
//! * No call panics on bad input: each failure is one [`Error`] variant
//!   naming the offending values, and a refused call writes nothing. After an
//!   I/O error the file refuses further work ([`Error::Poisoned`]) and stays
//!   at its last commit; after `close`, handles give [`Error::Closed`].
//!
//! ```
//! # fn main() -> h5sink::Result<()> {
//! let file = h5sink::File::in_memory()?;
//! let ds = file.new_dataset::<i32>().shape(&[3]).create("x")?;
//! let err = ds.write_rows(2, &[1, 2]).unwrap_err();
//! assert_eq!(err.to_string(), "rows 2..4 are out of range for dataset \"/x\", which has 3 rows");
//! assert!(matches!(err, h5sink::Error::RowsOutOfRange { .. }));
//! file.close()?;
//! # Ok(()) }
//! ```
//!
//! # Many writers into one file
//!
//! The process that creates a file hands out row ranges of a contiguous
//! dataset with [`Dataset::region`]: a [`Region`] that prints as a one-line
//! token. A worker in another process (or on another machine sharing the
//! file) opens a [`RegionWriter`] with the path and the token, which checks
//! that the file, dataset and element type are the token's, and writes
//! exactly those rows with positional writes; the creator keeps all
//! metadata to itself. Refusals are [`RegionError`]s.
//!
//! # Lower layers
//!
//! [`format`](mod@format) holds the encoders of the on-disk structures (superblock,
//! object headers, messages, heaps, B-trees), [`filters`] the chunk filters
//! and h5py's chunk-shape guess, and [`storage`] the byte stores. Most
//! programs need none of them directly.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(target_endian = "big")]
compile_error!("h5sink writes little-endian HDF5 by viewing row slices as bytes; big-endian targets are not supported yet");

// Bottom layer: on-disk encoders, filters, byte stores, element types, errors.
pub mod error;
pub mod filters;
pub mod format;
pub mod storage;
mod types;

// The engine: model, space, plan, emit, commit and the byte-moving
// operations, each public operation one transaction under one lock.
mod engine;

// Thin public handles, in hdf5-metno's vocabulary.
mod attribute;
mod dataset;
mod file;
mod group;
mod region;
mod virtual_dataset;
mod writer;

// Unit tests of the whole: files written, reopened and read (also under WASI).
#[cfg(test)]
mod roundtrip_tests;

pub use attribute::{AttrBuilder, Attribute, AttributeBuilder, MAX_ATTRIBUTE_MESSAGE};
pub use dataset::builder::DatasetBuilder;
pub use dataset::codecs::{BloscCodec, BloscShuffle};
pub use dataset::layout::{Filter, Layout};
pub use dataset::Dataset;
pub use error::{Error, RegionError, Result};
pub use file::File;
pub use format::dataspace::MAX_RANK;
pub use format::selection::{Hyperslab, UNLIMITED};
pub use group::Group;
pub use region::{Region, RegionWriter};
pub use storage::{FileStorage, MemStorage, Storage};
#[doc(hidden)]
pub use types::internal as types_internal;
pub use types::{
    ConvertInto, Dim, Element, FixedAscii, FixedUnicode, H5Type, Numeric, VarLenUnicode,
};
pub use virtual_dataset::{VirtualLayout, VirtualMapping, VirtualSource};
pub use writer::{
    DatasetWriter, DatasetWriterBuilder, LABELS_KEY, LABEL_NAMES_KEY, ROWS_WRITTEN_ATTR,
    UNWRITTEN_LABEL,
};
