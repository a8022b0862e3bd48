//! Decoding the Dataspace message (type 0x0001), versions 1 and 2, from
//! untrusted bytes. Spec notes: `spec-notes/dataspace.md` ("What we read").
//!
//! # Examples
//!
//! What [`encode`](super::encode) writes decodes to the same shape:
//!
//! ```
//! use h5sink::format::dataspace::{self, decode::Dataspace};
//!
//! let body = dataspace::encode(&[2, 3])?;
//! let space = Dataspace::decode(&body, 0)?;
//! assert_eq!(space.dims(), [2, 3]);
//! assert_eq!(space.points(), Some(6));
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::MAX_RANK;
use crate::error::{Error, Result};
use crate::format::field::UNDEF_ADDR;
use crate::format::reader::Reader;

/// The structure name in errors.
const STRUCTURE: &str = "dataspace message";
/// Flag bit 0: maximum dimensions are present.
const FLAG_MAX: u8 = 0x01;
/// Flag bit 1: permutation indices are present (version 1 only; never
/// implemented by libhdf5).
const FLAG_PERM: u8 = 0x02;

/// A decoded Dataspace message: the shape of a dataset or attribute.
///
/// # Examples
///
/// h5py 3.16 with `libver='latest'` writes version 2: a scalar is
/// `02 00 00 00`, an empty dataset (`h5py.Empty`) the null dataspace
/// `02 00 00 02`.
///
/// ```
/// use h5sink::format::dataspace::decode::Dataspace;
///
/// assert_eq!(Dataspace::decode(&[2, 0, 0, 0], 0)?, Dataspace::Scalar);
/// assert_eq!(Dataspace::decode(&[2, 0, 0, 2], 0)?, Dataspace::Null);
/// assert_eq!(Dataspace::Null.points(), Some(0));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dataspace {
    /// No elements at all (HDF5's `H5S_NULL`; h5py's `h5py.Empty`).
    Null,
    /// A single element (rank 0).
    Scalar,
    /// An array of rank 1 to 32.
    Simple {
        /// Current dimensions.
        dims: Vec<u64>,
        /// Maximum dimensions if the message has them, one per dimension:
        /// `None` is unlimited (`H5S_UNLIMITED`, stored as all ones).
        max: Option<Vec<Option<u64>>>,
    },
}

impl Dataspace {
    /// Decode a Dataspace message body read at file offset `base`.
    /// Trailing bytes (header padding) are ignored.
    ///
    /// # Errors
    ///
    /// - [`Error::Malformed`] for a truncated body, a version other than 1
    ///   or 2, a rank above 32, unknown flag bits, a version 2 type other
    ///   than 0 to 2 (or a scalar or null one with a rank), or a fixed
    ///   maximum below its dimension;
    /// - [`Error::Unsupported`] for permutation indices (flag bit 1).
    ///
    /// # Examples
    ///
    /// h5py's `maxshape=(None, 5)` over shape `(10, 5)`:
    ///
    /// ```
    /// use h5sink::format::dataspace::{decode::Dataspace, encode_with_max};
    ///
    /// let body = encode_with_max(&[10, 5], &[None, Some(5)])?;
    /// let space = Dataspace::decode(&body, 0)?;
    /// assert_eq!(space, Dataspace::Simple { dims: vec![10, 5], max: Some(vec![None, Some(5)]) });
    /// assert!(Dataspace::decode(&body[..20], 0).is_err()); // truncated
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn decode(body: &[u8], base: u64) -> Result<Dataspace> {
        let mut r = Reader::new(body, base, STRUCTURE);
        let version = r.u8()?;
        let rank = usize::from(r.u8()?);
        let flags = r.u8()?;
        let kind = match version {
            1 => {
                r.skip(5)?; // reserved
                if rank == 0 {
                    0
                } else {
                    1
                }
            }
            2 => r.u8()?,
            v => {
                return Err(Error::Malformed {
                    structure: STRUCTURE,
                    offset: base,
                    reason: format!("version {v}, expected 1 or 2"),
                })
            }
        };
        if rank > MAX_RANK {
            return Err(Error::Malformed {
                structure: STRUCTURE,
                offset: base.saturating_add(1),
                reason: format!("rank {rank} is above {MAX_RANK}"),
            });
        }
        if flags & FLAG_PERM != 0 && version == 1 {
            return Err(Error::Unsupported {
                structure: STRUCTURE,
                offset: base.saturating_add(2),
                detail: "permutation indices (flag bit 1), which libhdf5 never wrote; \
                         h5sink reads dataspaces without them"
                    .into(),
            });
        }
        if flags & !FLAG_MAX != 0 {
            return Err(Error::Malformed {
                structure: STRUCTURE,
                offset: base.saturating_add(2),
                reason: format!("unknown flags {flags:#04x}"),
            });
        }
        match (kind, rank) {
            (0, 0) => return Ok(Dataspace::Scalar),
            (2, 0) => return Ok(Dataspace::Null),
            (1, 1..) => {}
            (0..=2, _) => {
                return Err(Error::Malformed {
                    structure: STRUCTURE,
                    offset: base.saturating_add(3),
                    reason: format!("type {kind} with rank {rank}"),
                })
            }
            _ => {
                return Err(Error::Malformed {
                    structure: STRUCTURE,
                    offset: base.saturating_add(3),
                    reason: format!("type {kind}, expected 0 (scalar), 1 (simple) or 2 (null)"),
                })
            }
        }
        // rank <= 32: bounded allocations.
        let mut dims = Vec::with_capacity(rank);
        for _ in 0..rank {
            dims.push(r.u64()?);
        }
        if flags & FLAG_MAX == 0 {
            return Ok(Dataspace::Simple { dims, max: None });
        }
        let mut max = Vec::with_capacity(rank);
        for &d in &dims {
            let at = r.offset();
            let m = r.u64()?;
            if m == UNDEF_ADDR {
                max.push(None);
            } else if m < d {
                return Err(Error::Malformed {
                    structure: STRUCTURE,
                    offset: at,
                    reason: format!("maximum dimension {m} is below its dimension {d}"),
                });
            } else {
                max.push(Some(m));
            }
        }
        Ok(Dataspace::Simple {
            dims,
            max: Some(max),
        })
    }

    /// The current dimensions: empty for a scalar or null dataspace.
    ///
    /// ```
    /// use h5sink::format::dataspace::{self, decode::Dataspace};
    ///
    /// assert!(Dataspace::Scalar.dims().is_empty());
    /// let space = Dataspace::decode(&dataspace::encode(&[4])?, 0)?;
    /// assert_eq!(space.dims(), [4]);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn dims(&self) -> &[u64] {
        match self {
            Dataspace::Simple { dims, .. } => dims,
            _ => &[],
        }
    }

    /// The number of elements: 0 for null, 1 for scalar, the product of
    /// the dimensions otherwise; `None` if that product overflows a u64.
    ///
    /// ```
    /// use h5sink::format::dataspace::decode::Dataspace;
    ///
    /// let big = Dataspace::Simple { dims: vec![u64::MAX, 2], max: None };
    /// assert_eq!(big.points(), None);
    /// assert_eq!(Dataspace::Scalar.points(), Some(1));
    /// ```
    pub fn points(&self) -> Option<u64> {
        match self {
            Dataspace::Null => Some(0),
            Dataspace::Scalar => Some(1),
            Dataspace::Simple { dims, .. } => {
                dims.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d))
            }
        }
    }
}

#[cfg(test)]
mod tests;
