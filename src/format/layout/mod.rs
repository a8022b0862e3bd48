//! Data Layout message (version 3): the contiguous and compact classes
//! here, the chunked class in [`chunked`]. Spec notes:
//! `spec-notes/layout.md`.
//!
//! # Examples
//!
//! The layout of h5py's int32 `[1, 2, 3]` stored at 0x800, placed in the
//! dataset's object header (the 18-byte body is padded to 24):
//!
//! ```
//! use h5sink::format::layout;
//! use h5sink::format::object_header::{self, kind, Message};
//!
//! let body = layout::contiguous(0x800, 12);
//! let msg = Message { kind: kind::LAYOUT, flags: 0, body: &body };
//! let mut header = Vec::new();
//! object_header::encode(&mut header, &[msg])?;
//! assert_eq!(header[16..20], [0x08, 0, 24, 0]); // type 0x0008, size 24
//! assert_eq!(header[24..26], [3, 1]); // version 3, contiguous
//! assert_eq!(header.len(), 16 + 8 + 24);
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::field::{len64, UNDEF_ADDR};

pub mod chunked;
pub mod decode;

/// Layout class of contiguous storage.
const CLASS_CONTIGUOUS: u8 = 1;

/// Body of a version 3 contiguous layout: data at `address` (UNDEF if unallocated), `size` bytes.
///
/// A zero-size dataset is always written unallocated (UNDEF), whatever
/// `address` says: libhdf5 rejects a defined address with size 0 ("invalid
/// dataset size, likely file corruption"), and h5py writes UNDEF there too.
///
/// # Examples
///
/// ```
/// use h5sink::format::field::UNDEF_ADDR;
/// use h5sink::format::layout::contiguous;
///
/// // h5py 3.16: int32 [1, 2, 3] at 0x800 is `03 01 0008000000000000 0c00000000000000`.
/// let body = contiguous(0x800, 12);
/// assert_eq!(body[..2], [3, 1]); // version 3, class 1 (contiguous)
/// assert_eq!(body[2..10], 0x800u64.to_le_bytes());
/// assert_eq!(body[10..18], 12u64.to_le_bytes());
/// // A zero-size dataset is never allocated, whatever address is given.
/// assert_eq!(contiguous(0x800, 0)[2..10], UNDEF_ADDR.to_le_bytes());
/// ```
pub fn contiguous(address: u64, size: u64) -> Vec<u8> {
    let address = if size == 0 { UNDEF_ADDR } else { address };
    let mut out = Vec::with_capacity(18);
    out.push(3); // version
    out.push(CLASS_CONTIGUOUS);
    out.extend_from_slice(&address.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out
}

/// Layout class of compact storage (the data sits in the message).
const CLASS_COMPACT: u8 = 0;

/// The most raw data a compact layout holds in a version 1 object header:
/// the body (`version, class, size u16`, data) padded to 8 must fit the
/// u16 message size field, so 4 + data <= 65528.
///
/// libhdf5 2.0 allows up to 65531 bytes, but for 65525..=65531 it writes a
/// header it then cannot open ("message not aligned" or "bad object header
/// message count"); h5py 3.16 reads back 65524 bytes, not 65525.
///
/// # Examples
///
/// ```
/// use h5sink::format::layout::{compact, MAX_COMPACT_SIZE};
/// use h5sink::format::object_header::{self, kind, Message};
///
/// let largest = vec![0u8; MAX_COMPACT_SIZE as usize];
/// let body = compact(&largest)?;
/// assert_eq!(body.len(), 65528); // 4 + 65524: a multiple of 8 that fits u16
/// let msg = Message { kind: kind::LAYOUT, flags: 0, body: &body };
/// assert_eq!(object_header::size(&[msg])?, 16 + 8 + 65528);
/// let one_more = compact(&vec![0u8; MAX_COMPACT_SIZE as usize + 1]);
/// assert!(matches!(one_more, Err(h5sink::Error::FieldOverflow { value: 65525, max: 65524, .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MAX_COMPACT_SIZE: u64 = 65524;

/// Body of a version 3 compact layout: `version 3, class 0, size u16`, then
/// the raw data itself (h5py 3.16: `03 00 1000 <16 bytes>` for 4 int32).
///
/// # Errors
///
/// [`crate::Error::FieldOverflow`] with field "compact layout data size" if
/// `data` is longer than [`MAX_COMPACT_SIZE`] bytes.
///
/// # Examples
///
/// h5py 3.16's compact int32 `[0, 1, 2, 3]`:
///
/// ```
/// use h5sink::format::layout::compact;
///
/// let data: Vec<u8> = (0i32..4).flat_map(i32::to_le_bytes).collect();
/// let body = compact(&data)?;
/// assert_eq!(body[..4], [3, 0, 16, 0]); // version 3, class 0 (compact), 16 bytes
/// assert_eq!(body[4..], data[..]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn compact(data: &[u8]) -> crate::error::Result<Vec<u8>> {
    let len = len64(data.len());
    let size = match u16::try_from(len) {
        Ok(n) if len <= MAX_COMPACT_SIZE => n,
        _ => {
            return Err(crate::error::Error::FieldOverflow {
                field: "compact layout data size",
                value: len,
                max: MAX_COMPACT_SIZE,
            })
        }
    };
    let mut out = Vec::with_capacity(4 + data.len());
    out.push(3); // version
    out.push(CLASS_COMPACT);
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(data);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// h5py 3.16: int32 `[1, 2, 3]` stored at 0x800.
    #[test]
    fn allocated() {
        let want = [3, 1, 0, 8, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(contiguous(0x800, 12), want);
    }

    /// h5py 3.16: shape (0,) keeps the undefined address and size 0.
    #[test]
    fn empty_unallocated() {
        let mut want = vec![3, 1];
        want.extend_from_slice(&[0xff; 8]);
        want.extend_from_slice(&[0; 8]);
        assert_eq!(contiguous(UNDEF_ADDR, 0), want);
        assert_eq!(contiguous(0x800, 0), want, "size 0 never gets an address");
    }

    /// h5py 3.16, compact int32 `[0, 1, 2, 3]` (dcpl layout COMPACT).
    #[test]
    fn compact_int32() {
        let data: Vec<u8> = (0i32..4).flat_map(|v| v.to_le_bytes()).collect();
        let want = crate::format::hex("03 00 1000 00000000 01000000 02000000 03000000");
        assert_eq!(compact(&data).unwrap(), want);
    }

    /// h5py 3.16, compact vlen strings `['ab', 'c']`: the data is the two
    /// 16-byte heap references (GCOL at 0x8f8, objects 2 and 1).
    #[test]
    fn compact_vlen_refs() {
        let want = crate::format::hex(
            "03 00 2000 02000000 f808000000000000 02000000 01000000 f808000000000000 01000000",
        );
        assert_eq!(compact(&want[4..]).unwrap(), want);
    }

    /// Empty data (shape (0,)): size 0, no bytes.
    #[test]
    fn compact_empty() {
        assert_eq!(compact(&[]).unwrap(), [3, 0, 0, 0]);
    }

    #[test]
    fn compact_limit() {
        let body = compact(&vec![7; 65524]).unwrap();
        assert_eq!(body.len(), 65528);
        assert_eq!(body[2..4], 65524u16.to_le_bytes());
        for n in [65525usize, 65535, 65536, 1 << 20] {
            match compact(&vec![0; n]) {
                Err(crate::error::Error::FieldOverflow { field, value, max }) => {
                    assert_eq!(field, "compact layout data size");
                    assert_eq!((value, max), (n as u64, 65524));
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
