//! Dataspace message (version 1): fixed shapes ([`encode`]) and shapes
//! with separate maximum dimensions for extendible datasets
//! ([`encode_with_max`]). Spec notes: `spec-notes/dataspace.md`.
//!
//! # Examples
//!
//! The dataspace of a 3-element vector, placed in an object header as
//! h5py 3.16 writes it (message type 1, flags 0, body padded to 8).
//!
//! ```
//! use h5sink::format::dataspace;
//! use h5sink::format::object_header::{self, kind, Message};
//!
//! let body = dataspace::encode(&[3])?;
//! // Version 1, rank 1, flags 1 (max dims present), then dims and max dims.
//! assert_eq!(body[..4], [1, 1, 1, 0]);
//! assert_eq!(body[8..], [3u64.to_le_bytes(), 3u64.to_le_bytes()].concat());
//! let msgs = [Message { kind: kind::DATASPACE, flags: 0, body: &body }];
//! let mut header = Vec::new();
//! object_header::encode(&mut header, &msgs)?;
//! // After the 16-byte prefix: type u16, size u16 (24), flags, 3 reserved.
//! assert_eq!(header[16..24], [1, 0, 24, 0, 0, 0, 0, 0]);
//! assert_eq!(header[24..], body[..]);
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::field::UNDEF_ADDR;
use crate::error::{Error, Result};

pub mod decode;

/// The largest rank HDF5 accepts.
///
/// # Examples
///
/// [`encode`] takes up to `MAX_RANK` dimensions and refuses one more.
///
/// ```
/// use h5sink::format::dataspace::{encode, MAX_RANK};
/// use h5sink::Error;
///
/// let body = encode(&[1; MAX_RANK])?;
/// assert_eq!(body.len(), 8 + MAX_RANK * 16);
/// assert!(matches!(
///     encode(&[1; MAX_RANK + 1]),
///     Err(Error::RankTooHigh { rank: 33, max: MAX_RANK })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MAX_RANK: usize = 32;

/// Flag bit 0: maximum dimensions are present.
const FLAG_MAX_DIMS: u8 = 0x01;

/// The rank as a u8, or [`Error::RankTooHigh`] above [`MAX_RANK`].
pub(crate) fn rank_of(len: usize) -> Result<u8> {
    match u8::try_from(len) {
        Ok(r) if len <= MAX_RANK => Ok(r),
        _ => Err(Error::RankTooHigh {
            rank: len,
            max: MAX_RANK,
        }),
    }
}

/// Body of a Dataspace message for a fixed shape (`dims` empty = scalar).
///
/// A simple shape carries its dimensions and, like libhdf5, maximum
/// dimensions equal to them; a scalar is rank 0 with no flags (8 bytes).
///
/// # Errors
///
/// [`Error::RankTooHigh`] for more than [`MAX_RANK`] dimensions.
///
/// # Examples
///
/// ```
/// use h5sink::format::dataspace::encode;
///
/// // h5py 3.16, `shape=()`: version 1, rank 0, no flags.
/// assert_eq!(encode(&[])?, [1, 0, 0, 0, 0, 0, 0, 0]);
/// // Shape (2, 3, 4): 8-byte prefix, 3 dims, then 3 max dims (the same).
/// let body = encode(&[2, 3, 4])?;
/// assert_eq!(body.len(), 8 + 3 * 8 * 2);
/// assert_eq!(body[..3], [1, 3, 1]);
/// assert_eq!(body[8..16], 2u64.to_le_bytes());
/// assert_eq!(body[8..32], body[32..56]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode(dims: &[u64]) -> Result<Vec<u8>> {
    let rank = rank_of(dims.len())?;
    let flags = if rank == 0 { 0 } else { FLAG_MAX_DIMS };
    let mut out = Vec::with_capacity(8 + 16 * dims.len());
    out.extend_from_slice(&[1, rank, flags, 0, 0, 0, 0, 0]);
    for _pass in 0..2 {
        // First the current dimensions, then the maximum dimensions.
        for d in dims {
            out.extend_from_slice(&d.to_le_bytes());
        }
    }
    Ok(out)
}

/// Body of a version 1 Dataspace message with explicit maximum dimensions
/// (`None` = unlimited, stored as all ones).
///
/// Rank 0 gives the 8-byte scalar form with no maximum dimensions, exactly
/// as [`encode`] does. h5py writes `maxshape=(None, 5)`
/// over shape `(10, 5)` as `01 02 01 00 00000000`, the dims, then
/// `ff×8 0500000000000000`.
///
/// # Errors
///
/// - [`Error::RankTooHigh`] above rank 32;
/// - [`Error::InvalidArgument`] if `max` has another length than `dims`, or
///   a fixed maximum is below its current dimension (libhdf5 refuses both).
///
/// # Examples
///
/// ```
/// use h5sink::format::field::UNDEF_ADDR;
/// use h5sink::format::dataspace::encode_with_max;
/// use h5sink::Error;
///
/// let body = encode_with_max(&[10, 5], &[None, Some(5)])?;
/// assert_eq!(body[..4], [1, 2, 1, 0]); // version 1, rank 2, max dims present
/// assert_eq!(body[8..16], 10u64.to_le_bytes());
/// assert_eq!(body[24..32], UNDEF_ADDR.to_le_bytes()); // None: unlimited
/// assert_eq!(body[32..40], 5u64.to_le_bytes());
/// let shrunk = encode_with_max(&[3], &[Some(2)]);
/// assert!(matches!(shrunk, Err(Error::InvalidArgument { what: "maximum dimensions", .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode_with_max(dims: &[u64], max: &[Option<u64>]) -> Result<Vec<u8>> {
    let rank = rank_of(dims.len())?;
    if max.len() != dims.len() {
        return Err(Error::InvalidArgument {
            what: "maximum dimensions",
            value: format!("{max:?} for shape {dims:?}"),
            reason: "there must be one maximum per dimension",
        });
    }
    if dims.iter().zip(max).any(|(d, m)| m.is_some_and(|m| m < *d)) {
        return Err(Error::InvalidArgument {
            what: "maximum dimensions",
            value: format!("{max:?} for shape {dims:?}"),
            reason: "a fixed maximum cannot be smaller than the current dimension",
        });
    }
    let flags = if rank == 0 { 0 } else { FLAG_MAX_DIMS };
    let mut out = Vec::with_capacity(8 + 16 * dims.len());
    out.extend_from_slice(&[1, rank, flags, 0, 0, 0, 0, 0]);
    for d in dims {
        out.extend_from_slice(&d.to_le_bytes());
    }
    for m in max {
        out.extend_from_slice(&m.unwrap_or(UNDEF_ADDR).to_le_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// h5py 3.16: `create_dataset('scalar', shape=(), dtype='i4')`.
    #[test]
    fn scalar() {
        assert_eq!(encode(&[]).unwrap(), hex("01 00 00 00 00 00 00 00"));
    }

    /// h5py 3.16: a 3-element vector.
    #[test]
    fn vector() {
        let want = hex("01 01 01 00 00000000 0300000000000000 0300000000000000");
        assert_eq!(encode(&[3]).unwrap(), want);
    }

    /// h5py 3.16: shape (0,), written or not.
    #[test]
    fn empty_vector() {
        let want = hex("01 01 01 00 00000000 0000000000000000 0000000000000000");
        assert_eq!(encode(&[0]).unwrap(), want);
    }

    /// h5py 3.16: shape (2, 3, 4).
    #[test]
    fn rank3() {
        let want = hex(
            "01 03 01 00 00000000 0200000000000000 0300000000000000 0400000000000000 \
             0200000000000000 0300000000000000 0400000000000000",
        );
        assert_eq!(encode(&[2, 3, 4]).unwrap(), want);
    }

    #[test]
    fn rank_limit() {
        assert_eq!(encode(&[1; 32]).unwrap().len(), 8 + 32 * 16);
        for rank in [33, 256, 300] {
            match encode(&vec![1; rank]) {
                Err(Error::RankTooHigh { rank: r, max: 32 }) => assert_eq!(r, rank),
                other => panic!("{other:?}"),
            }
        }
    }

    /// h5py 3.16: shape `(10, 5)`, `maxshape=(None, 5)`.
    #[test]
    fn h5py_maxshape_none_5() {
        let want = hex("01 02 01 00 00000000 0a00000000000000 0500000000000000 \
             ffffffffffffffff 0500000000000000");
        assert_eq!(encode_with_max(&[10, 5], &[None, Some(5)]).unwrap(), want);
    }

    /// h5py 3.16: shape `(3, 4)`, `maxshape=(None, None)`.
    #[test]
    fn h5py_maxshape_all_unlimited() {
        let want = hex("01 02 01 00 00000000 0300000000000000 0400000000000000 \
             ffffffffffffffff ffffffffffffffff");
        assert_eq!(encode_with_max(&[3, 4], &[None, None]).unwrap(), want);
    }

    #[test]
    fn fixed_max_equals_encode() {
        for dims in [&[][..], &[3], &[0], &[2, 3, 4]] {
            let max: Vec<Option<u64>> = dims.iter().map(|d| Some(*d)).collect();
            assert_eq!(encode_with_max(dims, &max).unwrap(), encode(dims).unwrap());
        }
    }

    #[test]
    fn maxdims_rejects_bad_input() {
        assert!(encode_with_max(&[3], &[]).is_err());
        assert!(encode_with_max(&[3], &[None, None]).is_err());
        assert!(encode_with_max(&[3], &[Some(2)]).is_err());
        assert!(encode_with_max(&[1; 33], &[None; 33]).is_err());
        assert_eq!(encode_with_max(&[0], &[None]).unwrap().len(), 24);
    }
}
