//! The refusals of regions: tokens that `Dataset::region` hands out and
//! `RegionWriter` takes (spec-notes/regions.md).

use std::path::PathBuf;

use super::echo::shown;

/// Why a region was refused: by [`Dataset::region`](crate::Dataset::region)
/// (a dataset that cannot hand out regions) or by
/// [`RegionWriter`](crate::RegionWriter) (a token that does not parse, a
/// file that is not the token's, rows outside the region). Reached as
/// [`Error::Region`](crate::Error::Region); a wrong element type is
/// [`Error::TypeMismatch`](crate::Error::TypeMismatch). Nothing is written
/// by a refused call.
///
/// ```
/// use h5sink::{Error, RegionError};
/// let e = h5sink::RegionWriter::<f32>::open("any.h5", "hello").unwrap_err();
/// assert!(matches!(&e, Error::Region(RegionError::BadToken { .. })));
/// assert!(e.to_string().starts_with("not an h5sink region token"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegionError {
    /// Text that is not a token `Dataset::region` printed (another
    /// version, a missing or malformed field).
    #[error("not an h5sink region token ({}): {:?}", shown(reason), shown(token))]
    BadToken {
        /// The text given.
        token: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The file at the path is not the one the token came from (another
    /// file id), or the token's dataset is not what the token says.
    #[error(
        "{} is not the file of the region token: its {what} is {} in the file, {} in the token",
        path.display(),
        shown(file),
        shown(token)
    )]
    FileMismatch {
        /// The file opened.
        path: PathBuf,
        /// What differs, e.g. "file id" or "data address".
        what: &'static str,
        /// What the file holds.
        file: String,
        /// What the token says.
        token: String,
    },

    /// A write to rows outside the writer's region (rows count from the
    /// region's first row).
    #[error(
        "rows {first}..{end} are outside the region of {rows} rows (rows {start}.. of {:?})",
        shown(dataset)
    )]
    OutsideRegion {
        /// The dataset.
        dataset: String,
        /// First row of the write, counted from the region's start.
        first: u64,
        /// One past its last row (saturating).
        end: u64,
        /// Rows of the region.
        rows: u64,
        /// The region's first row in the dataset.
        start: u64,
    },

    /// A dataset that cannot hand out regions (chunked, compact, scalar,
    /// empty, or of an element type holding file addresses).
    #[error(
        "dataset {:?} cannot hand out regions: {}",
        shown(dataset),
        shown(reason)
    )]
    Unfit {
        /// The dataset.
        dataset: String,
        /// Why not.
        reason: String,
    },
}
