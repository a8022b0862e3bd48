//! The one error type of h5sink. Every variant names the offending values.
//!
//! # Examples
//!
//! Match a variant to handle one failure; its fields and message say what to fix:
//!
//! ```
//! use h5sink::Error;
//! let file = h5sink::File::in_memory()?;
//! let runs = file.create_group("runs")?;
//! runs.new_dataset::<f32>().shape(&[3]).create("loss")?;
//! let again = runs.new_dataset::<f32>().shape(&[3]).create("loss");
//! assert!(matches!(&again, Err(Error::DuplicateName { group, name }) if group == "/runs" && name == "loss"));
//! assert_eq!(again.err().map(|e| e.to_string()).as_deref(), Some(r#"group "/runs" already has a member named "loss""#));
//! # Ok::<(), h5sink::Error>(())
//! ```

use std::path::PathBuf;

mod echo;
mod region;
mod result;
pub(crate) use echo::clip;
use echo::{not_found, shown};
pub use region::RegionError;
pub use result::Result;

/// Everything that can go wrong while writing an HDF5 file.
///
/// Each variant carries the values that caused it, so the message alone tells
/// the user what to fix. No h5sink call panics on bad input; it returns one of
/// these instead, and the file on disk stays valid at its last commit.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<f32>().shape(&[2, 3]).create("x")?;
/// match ds.write_rows(1, &[0.0f32; 6]) {
///     Err(h5sink::Error::RowsOutOfRange { start, end, rows, .. }) => {
///         assert_eq!((start, end, rows), (1, 3, 2));
///     }
///     other => panic!("unexpected: {other:?}"),
/// }
/// let e = ds.write_rows(0, &[0.0f32; 4]).unwrap_err();
/// assert_eq!(e.to_string(),
///     "4 values is not a whole number of rows of 3 values each (dataset \"/x\")");
/// file.close()?; // the failed calls changed nothing
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `File::create` refuses to replace an existing path (`File::with_storage`
    /// a non-empty storage); the message says what is there.
    #[error("refusing to overwrite {}: {found}", path.display())]
    Exists {
        /// The path that already exists.
        path: PathBuf,
        /// What is there: "the file already exists", "a directory is
        /// there", "a symbolic link is there ..." or "the storage is not
        /// empty".
        found: &'static str,
    },

    /// An operating-system I/O error, with the file it happened on.
    #[error("I/O error on {} while {}: {source}", path.display(), shown(action))]
    Io {
        /// The file (or `<memory>` for in-memory storage).
        path: PathBuf,
        /// What h5sink was doing, e.g. "writing 4096 bytes at offset 96".
        action: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A slice of values that is not a whole number of rows.
    #[error(
        "{values} values is not a whole number of rows of {row_len} values each (dataset {:?})",
        shown(dataset)
    )]
    PartialRow {
        /// The dataset written to.
        dataset: String,
        /// How many values were given.
        values: usize,
        /// Values per row of that dataset.
        row_len: u64,
    },

    /// Values that are not a whole number of rows, given to a
    /// `DatasetWriter` built with `.unlimited()`: its builder dims are the
    /// shape of ONE row, not of the whole dataset, which the message says.
    #[error("{values} values is not a whole number of rows of {row_len} values each (dataset {dataset:?}): with .unlimited() the builder's dims {row_shape:?} are the shape of ONE row, not of the whole dataset; for rows of N values pass the dims &[N] (e.g. builder(path, &[784]).unlimited())")]
    UnlimitedPartialRow {
        /// The dataset written to.
        dataset: String,
        /// How many values were given.
        values: usize,
        /// Values per row of that dataset.
        row_len: u64,
        /// The builder's dims: the shape of one row.
        row_shape: Vec<u64>,
    },

    /// `DatasetWriter::add` got a label count that does not match the rows.
    #[error("{labels} labels given for {rows} rows: add() needs one label per row")]
    LabelCount {
        /// Rows in the call.
        rows: u64,
        /// Labels in the call.
        labels: usize,
    },

    /// A write reaches past the last row of a dataset. Nothing of that call was written.
    #[error(
        "rows {start}..{end} are out of range for dataset {:?}, which has {rows} rows",
        shown(dataset)
    )]
    RowsOutOfRange {
        /// The dataset written to.
        dataset: String,
        /// First row of the write.
        start: u64,
        /// One past the last row of the write (saturating).
        end: u64,
        /// Rows the dataset has.
        rows: u64,
    },

    /// A member name that HDF5 or h5sink cannot accept.
    #[error("invalid name {:?}: {reason}", shown(name))]
    InvalidName {
        /// The name as given.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },

    /// A group already has a member of that name.
    #[error(
        "group {:?} already has a member named {:?}",
        shown(group),
        shown(name)
    )]
    DuplicateName {
        /// The group's path.
        group: String,
        /// The name that is taken.
        name: String,
    },

    /// A shape too large to address: its non-zero dimensions times the
    /// element size exceed `i64::MAX` bytes (the limit numpy, h5py and
    /// libhdf5's signed sizes impose, even on an empty array).
    #[error("shape {shape:?} of {element_size}-byte elements is too large: the non-zero dimensions times the element size exceed i64::MAX bytes")]
    ShapeOverflow {
        /// The shape given.
        shape: Vec<u64>,
        /// Bytes per element.
        element_size: u64,
    },

    /// HDF5 allows at most 32 dimensions.
    #[error("rank {rank} is above HDF5's maximum of {max} dimensions")]
    RankTooHigh {
        /// The rank given.
        rank: usize,
        /// The limit (32).
        max: usize,
    },

    /// A string dataset given a different number of strings than it holds.
    #[error(
        "dataset {:?} holds {expected} strings but {got} were given",
        shown(dataset)
    )]
    StringCount {
        /// The dataset.
        dataset: String,
        /// Its number of elements.
        expected: u64,
        /// Strings given.
        got: usize,
    },

    /// A call whose element type does not match the dataset's.
    #[error(
        "{:?} holds {} but the call passed {}",
        shown(dataset),
        shown(expected),
        shown(got)
    )]
    TypeMismatch {
        /// The dataset (or `object@attribute`).
        dataset: String,
        /// The stored element type.
        expected: String,
        /// The type of the call.
        got: String,
    },

    /// A number that does not fit the element type it is written into
    /// (libhdf5's conversion rules; see [`ConvertInto`](crate::ConvertInto)):
    /// an integer outside the target's range, a float whose value truncated
    /// toward zero is outside an integer target's range, NaN or an infinity
    /// into an integer, or a finite float that would become infinite in a
    /// smaller float. Nothing of the call was written.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[3]).create("pixels")?;
    /// let e = ds.write_raw(&[10i32, 255, 256]).unwrap_err();
    /// assert!(matches!(&e, h5sink::Error::ConversionRange { index: 2, .. }));
    /// assert_eq!(e.to_string(), "value 256 at index 2 does not fit u8, the element type of \"/pixels\"; nothing was written");
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    #[error("value {value} at index {index} does not fit {target}, the element type of {dataset:?}; nothing was written")]
    ConversionRange {
        /// The dataset (or `object@attribute`).
        dataset: String,
        /// Position of the value among the call's values (row-major).
        index: u64,
        /// The value, as written by Rust's `{:?}` (e.g. `NaN`, `1e300`).
        value: String,
        /// The element type it does not fit, e.g. `u8`.
        target: String,
    },

    /// A call that needs a dataset of another shape (e.g. rows of a scalar).
    #[error("dataset {:?}: {}", shown(dataset), shown(reason))]
    BadShape {
        /// The dataset.
        dataset: String,
        /// What is wrong.
        reason: String,
    },

    /// A value too large for the on-disk field that must hold it.
    #[error("{field} is {value}, above the format's limit of {max}")]
    FieldOverflow {
        /// Which field, e.g. "object header message size".
        field: &'static str,
        /// The value that does not fit.
        value: u64,
        /// The largest value the field holds.
        max: u64,
    },

    /// A `/`-separated path that cannot be used.
    #[error("invalid path {:?}: {}", shown(path), shown(reason))]
    InvalidPath {
        /// The path as given.
        path: String,
        /// Why it is refused.
        reason: String,
    },

    /// Nothing of the wanted kind exists at a path, or an object has no attribute of that name.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[2]).create("x")?;
    /// let e = ds.attr("units").unwrap_err();
    /// assert_eq!(e.to_string(), r#"no attribute named "units" on "/x""#);
    /// let e = file.dataset("y").unwrap_err();
    /// assert_eq!(e.to_string(), r#"no dataset at "y" in group "/""#);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    #[error("{}", not_found(kind, path, group))]
    NotFound {
        /// The path as given (for an attribute: its name).
        path: String,
        /// The group it was looked up from (for an attribute: the group
        /// or dataset asked for it).
        group: String,
        /// "group", "dataset" or "attribute".
        kind: &'static str,
    },

    /// An attribute too large to be stored in its object's header.
    #[error("attribute {:?} of {:?} needs a {size}-byte header message, above the limit of {max} bytes; store large values as a dataset", shown(name), shown(object))]
    AttributeTooLarge {
        /// The object holding it.
        object: String,
        /// Attribute name.
        name: String,
        /// Bytes its message would take.
        size: u64,
        /// The largest message an object header holds.
        max: u64,
    },

    /// An argument outside what the call accepts.
    #[error("invalid {what} {}: {reason}", shown(value))]
    InvalidArgument {
        /// Which argument.
        what: &'static str,
        /// Its value.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },

    /// The file was closed; no further work is accepted.
    #[error("the file was already closed (by {by})")]
    Closed {
        /// The call that closed it, e.g. "File::close".
        by: &'static str,
    },

    /// An earlier call failed mid-write; the writer refuses further work.
    #[error(
        "the writer failed earlier and accepts no further work (first failure: {})",
        shown(first)
    )]
    Poisoned {
        /// The message of the first failure.
        first: String,
        /// The kind of the first failure's I/O error (`StorageFull`: disk full).
        kind: std::io::ErrorKind,
    },

    /// A string with an embedded NUL byte: HDF5 readers end strings at the
    /// first NUL, so it would read back cut short (h5py refuses it too).
    #[error("string {index} for {:?} contains a NUL byte, which HDF5 readers take as the end of the string", shown(object))]
    NulInString {
        /// The dataset, or `object@attribute`.
        object: String,
        /// Position of the string in the call.
        index: usize,
    },

    /// A change asked of a file opened read-only (`File::open`); nothing changed.
    #[error("{} was opened read-only (File::open): it cannot be changed", path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },

    /// A file being opened is not valid HDF5 where h5sink read it: a field
    /// out of range, an address or size past the end of the file, a wrong
    /// signature or checksum, a cycle. Files h5sink opens are untrusted
    /// input: every such value is checked before it is used. Nothing was
    /// written.
    #[error("{structure} at offset {offset} is malformed: {reason}")]
    Malformed {
        /// The on-disk structure, e.g. "object header".
        structure: &'static str,
        /// Its file offset (or that of the offending field).
        offset: u64,
        /// What is wrong, with the offending value.
        reason: String,
    },

    /// A valid HDF5 structure h5sink cannot represent (yet), such as a version 2
    /// superblock or object header. Returned before anything is written.
    #[error("{structure} at offset {offset} is not supported by h5sink: {detail}")]
    Unsupported {
        /// The structure, e.g. "superblock".
        structure: &'static str,
        /// Its file offset.
        offset: u64,
        /// What it is (e.g. "version 2"), and what h5sink supports.
        detail: String,
    },

    /// `DatasetWriterBuilder::resume` found the stream's dataset made
    /// differently from what the builder asks. Nothing was written.
    #[error(
        "cannot resume {}: its {what} is {} in the file, {} in the writer's options",
        shown(dataset),
        shown(file),
        shown(writer)
    )]
    ResumeMismatch {
        /// The dataset in the file.
        dataset: String,
        /// What differs, e.g. "chunk shape".
        what: &'static str,
        /// What the file holds.
        file: String,
        /// What the writer asks for.
        writer: String,
    },

    /// A region refused (see [`RegionError`]); nothing was written.
    #[error(transparent)]
    Region(#[from] RegionError),

    /// An internal invariant of h5sink did not hold. This is a bug in h5sink,
    /// never a problem of the input; please report it with the message.
    #[error("internal error in h5sink: {}; this is a bug in h5sink; please report it to the h5sink maintainers with this message", shown(what))]
    Bug {
        /// What went wrong inside.
        what: String,
    },
}
