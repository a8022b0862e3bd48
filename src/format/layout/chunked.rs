//! Data Layout message version 3, class 2: chunked storage indexed by a
//! version 1 B-tree ([`crate::format::btree::chunk`]). Spec notes:
//! `spec-notes/chunked-layout.md`.
//!
//! # Examples
//!
//! An unwritten `(10, 5)` int32 dataset with `maxshape=(None, 5)` and
//! `chunks=(5, 5)`: its dataspace and layout messages (no chunk allocated
//! yet, so the B-tree address is undefined, as h5py writes it):
//!
//! ```
//! use h5sink::format::dataspace::encode_with_max;
//! use h5sink::format::field::UNDEF_ADDR;
//! use h5sink::format::layout::chunked::chunked_v3;
//! use h5sink::format::object_header::{self, kind, Message};
//!
//! let space = encode_with_max(&[10, 5], &[None, Some(5)])?;
//! let layout = chunked_v3(UNDEF_ADDR, &[5, 5], 4)?;
//! assert_eq!((space.len(), layout.len()), (8 + 16 * 2, 15 + 4 * 2));
//! let msgs = [
//!     Message { kind: kind::DATASPACE, flags: 0, body: &space },
//!     Message { kind: kind::LAYOUT, flags: 0, body: &layout },
//! ];
//! let mut header = Vec::new();
//! object_header::encode(&mut header, &msgs)?;
//! assert_eq!(header[2..4], [2, 0]); // two messages
//! assert_eq!(header.len(), 16 + (8 + 40) + (8 + 24)); // layout padded to 24
//! # Ok::<(), h5sink::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::format::dataspace::rank_of;
use crate::format::field;

/// Layout class of chunked storage.
const CLASS_CHUNKED: u8 = 2;

/// Body of a version 3 chunked Data Layout message (15 + 4 × rank bytes,
/// unpadded): `version 3, class 2, dimensionality = rank + 1, B-tree
/// address`, then the chunk dimensions as u32 and the element size as the
/// last "dimension".
///
/// `btree` is the address of the chunk B-tree's root node, or
/// [`UNDEF_ADDR`](crate::format::field::UNDEF_ADDR) when no chunk is allocated. libhdf5 stores the chunk's
/// byte size in the B-tree key as a u32, so a chunk (elements × element
/// size) must stay below 4 GiB.
///
/// # Errors
///
/// - [`Error::InvalidArgument`] for rank 0 (a scalar cannot be chunked), a
///   zero chunk dimension or a zero element size;
/// - [`Error::RankTooHigh`] above rank 32;
/// - [`Error::FieldOverflow`] if one chunk holds 4 GiB or more.
///
/// # Examples
///
/// h5py 3.16's `(10, 10)` int32 with `chunks=(5, 5)`, B-tree at 0x578:
///
/// ```
/// use h5sink::format::layout::chunked::chunked_v3;
/// use h5sink::Error;
///
/// let body = chunked_v3(0x578, &[5, 5], 4)?;
/// assert_eq!(body[..3], [3, 2, 3]); // version 3, class 2, rank + 1
/// assert_eq!(body[3..11], 0x578u64.to_le_bytes());
/// assert_eq!(body[11..], [5, 0, 0, 0, 5, 0, 0, 0, 4, 0, 0, 0]); // chunk dims, element size
/// let scalar = chunked_v3(0x578, &[], 4);
/// assert!(matches!(scalar, Err(Error::InvalidArgument { what: "chunk rank", .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn chunked_v3(btree: u64, chunk_dims: &[u32], element_size: u32) -> Result<Vec<u8>> {
    let rank = rank_of(chunk_dims.len())?;
    if rank == 0 {
        return Err(Error::InvalidArgument {
            what: "chunk rank",
            value: "0".to_string(),
            reason: "a scalar dataset cannot be chunked",
        });
    }
    if chunk_dims.contains(&0) || element_size == 0 {
        return Err(Error::InvalidArgument {
            what: "chunk shape",
            value: format!("{chunk_dims:?} of {element_size}-byte elements"),
            reason: "every chunk dimension and the element size must be at least 1",
        });
    }
    chunk_bytes(chunk_dims, element_size)?;
    let mut out = Vec::with_capacity(11 + 4 * (chunk_dims.len() + 1));
    out.extend_from_slice(&[3, CLASS_CHUNKED, rank + 1]);
    out.extend_from_slice(&btree.to_le_bytes());
    for d in chunk_dims {
        out.extend_from_slice(&d.to_le_bytes());
    }
    out.extend_from_slice(&element_size.to_le_bytes());
    Ok(out)
}

/// Bytes of one unfiltered chunk, checked against libhdf5's limit
/// (`u32::MAX`, the width of the chunk size in a B-tree key).
///
/// # Errors
///
/// [`Error::FieldOverflow`] when the chunk is
/// 4 GiB or more.
///
/// # Examples
///
/// ```
/// use h5sink::format::layout::chunked::chunk_bytes;
///
/// assert_eq!(chunk_bytes(&[5, 5], 4)?, 100); // 5 × 5 int32
/// assert_eq!(chunk_bytes(&[65536, 65535], 1)?, 0xFFFF_0000);
/// // 65536 × 65536 bytes = 4 GiB: one past the key's u32.
/// let too_big = chunk_bytes(&[65536, 65536], 1);
/// assert!(matches!(too_big, Err(h5sink::Error::FieldOverflow { value: 0x1_0000_0000, .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn chunk_bytes(chunk_dims: &[u32], element_size: u32) -> Result<u32> {
    let mut total = u64::from(element_size);
    for d in chunk_dims {
        total = total.saturating_mul(u64::from(*d));
    }
    field::u32_field("chunk size in bytes", total)
}

/// A decoded version 3 chunked layout (see
/// [`Layout::decode`](super::decode::Layout::decode)): what
/// [`chunked_v3`] takes.
///
/// # Examples
///
/// ```
/// use h5sink::format::layout::{chunked::{chunked_v3, Chunked}, decode::Layout};
///
/// let body = chunked_v3(0x578, &[5, 5], 4)?;
/// let want = Chunked { btree: Some(0x578), dims: vec![5, 5], element_size: 4 };
/// assert_eq!(Layout::decode(&body, 0, 0x1000)?, Layout::Chunked(want));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunked {
    /// Address of the chunk B-tree's root node; `None` before any chunk
    /// is allocated.
    pub btree: Option<u64>,
    /// Chunk dimensions, 1 to 32 of them, none zero.
    pub dims: Vec<u32>,
    /// Bytes per element (the message's last "dimension"), at least 1.
    pub element_size: u32,
}

/// Read the version 3 chunked class body after `version, class`:
/// dimensionality, B-tree address (below `eof`), dimensions, element size.
pub(super) fn read_v3(r: &mut crate::format::reader::Reader<'_>, eof: u64) -> Result<Chunked> {
    let at = r.offset();
    let ndims = usize::from(r.u8()?);
    if !(2..=crate::format::dataspace::MAX_RANK + 1).contains(&ndims) {
        return Err(r.error(format!(
            "chunked layout dimensionality {ndims}, expected 2 to 33 (rank + 1)"
        )));
    }
    let btree = r.address(eof)?;
    // ndims <= 33: bounded.
    let mut dims = Vec::with_capacity(ndims - 1);
    for _ in 1..ndims {
        dims.push(r.u32()?);
    }
    let element_size = r.u32()?;
    if dims.contains(&0) || element_size == 0 {
        return Err(Error::Malformed {
            structure: "data layout message",
            offset: at,
            reason: format!(
                "chunk dimensions {dims:?} of {element_size}-byte elements have a zero"
            ),
        });
    }
    if chunk_bytes(&dims, element_size).is_err() {
        return Err(Error::Malformed {
            structure: "data layout message",
            offset: at,
            reason: format!("a chunk {dims:?} of {element_size}-byte elements is 4 GiB or more"),
        });
    }
    Ok(Chunked {
        btree,
        dims,
        element_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// h5py 3.16: `(10, 10)` int32, `chunks=(5, 5)`, B-tree at 0x578.
    #[test]
    fn h5py_2d_int32() {
        let want = hex("03 02 03 7805000000000000 05000000 05000000 04000000");
        assert_eq!(chunked_v3(0x578, &[5, 5], 4).unwrap(), want);
    }

    /// h5py 3.16: `(7,)` uint8, `chunks=(7,)`, B-tree at 0x4de0.
    #[test]
    fn h5py_1d_uint8() {
        let want = hex("03 02 02 e04d000000000000 07000000 01000000");
        assert_eq!(chunked_v3(0x4de0, &[7], 1).unwrap(), want);
    }

    /// h5py 3.16: `(4, 6, 8)` int16, `chunks=(2, 3, 4)`, B-tree at 0x78e8.
    #[test]
    fn h5py_3d_int16() {
        let want = hex("03 02 04 e878000000000000 02000000 03000000 04000000 02000000");
        assert_eq!(chunked_v3(0x78e8, &[2, 3, 4], 2).unwrap(), want);
    }

    #[test]
    fn layout_rejects_bad_shapes() {
        assert!(chunked_v3(0, &[], 4).is_err());
        assert!(chunked_v3(0, &[5, 0], 4).is_err());
        assert!(chunked_v3(0, &[5, 5], 0).is_err());
        assert!(matches!(
            chunked_v3(0, &[1; 33], 1),
            Err(Error::RankTooHigh { rank: 33, .. })
        ));
        assert_eq!(chunked_v3(0, &[1; 32], 1).unwrap().len(), 11 + 4 * 33);
        // 65536 × 65536 bytes = 4 GiB: one past the key's u32.
        assert!(matches!(
            chunked_v3(0, &[65536, 65536], 1),
            Err(Error::FieldOverflow { .. })
        ));
        assert!(chunked_v3(0, &[65536, 65535], 1).is_ok());
        assert!(chunked_v3(0, &[u32::MAX; 32], u32::MAX).is_err());
    }
}
