//! Checked conversions for every address, length and count field.
//!
//! One function per field width: a value too large for its field is an
//! [`Error::FieldOverflow`] naming the field, never a silent truncation.
//! Spec notes: `spec-notes/fields.md`.
//!
//! # Examples
//!
//! The stored size of a message body (a 12-byte i32 Datatype message):
//! padded to 8, then checked against its u16 field.
//!
//! ```
//! use h5sink::format::datatype::Datatype;
//! use h5sink::format::field::{len64, pad8, u16_field};
//! use h5sink::Error;
//!
//! let body = Datatype::Int { size: 4, signed: true }.encode();
//! let padded = pad8("object header message size", len64(body.len()))?;
//! assert_eq!(u16_field("object header message size", padded)?, 16);
//! // A padded body of 65536 bytes does not fit: the error names the field.
//! let err = u16_field("object header message size", 65536);
//! assert!(matches!(
//!     err,
//!     Err(Error::FieldOverflow { field: "object header message size", value: 65536, .. })
//! ));
//! # Ok::<(), h5sink::Error>(())
//! ```

use crate::error::{Error, Result};

/// The undefined address (all bits set), spec §V "Appendix A".
///
/// # Examples
///
/// A contiguous layout whose data is not allocated yet points at the
/// undefined address: the 8 address bytes after `version 3, class 1` are
/// all ones.
///
/// ```
/// use h5sink::format::{field::UNDEF_ADDR, layout};
///
/// // h5py's unwritten 3-element i32 dataset: 12 bytes, no address yet.
/// let body = layout::contiguous(UNDEF_ADDR, 12);
/// assert_eq!(body[..2], [3, 1]);
/// assert_eq!(body[2..10], [0xff; 8]);
/// assert_eq!(body[10..], 12u64.to_le_bytes());
/// ```
pub const UNDEF_ADDR: u64 = u64::MAX;

/// `value` as a u8 field, or an error naming `field`.
///
/// # Examples
///
/// ```
/// use h5sink::format::field::u8_field;
/// use h5sink::Error;
///
/// assert_eq!(u8_field("rank", 255)?, 255);
/// assert!(matches!(
///     u8_field("rank", 256),
///     Err(Error::FieldOverflow { field: "rank", value: 256, max: 255 })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn u8_field(field: &'static str, value: u64) -> Result<u8> {
    u8::try_from(value).map_err(|_| overflow(field, value, u8::MAX.into()))
}

/// `value` as a u16 field, or an error naming `field`.
///
/// # Examples
///
/// ```
/// use h5sink::format::field::u16_field;
/// use h5sink::Error;
///
/// let n = u16_field("object header message count", 65535)?;
/// assert_eq!(n.to_le_bytes(), [0xff, 0xff]);
/// let err = u16_field("object header message count", 65536);
/// assert!(matches!(
///     err,
///     Err(Error::FieldOverflow { field: "object header message count", value: 65536, .. })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn u16_field(field: &'static str, value: u64) -> Result<u16> {
    u16::try_from(value).map_err(|_| overflow(field, value, u16::MAX.into()))
}

/// `value` as a u32 field, or an error naming `field`.
///
/// # Examples
///
/// ```
/// use h5sink::format::field::u32_field;
/// use h5sink::Error;
///
/// assert_eq!(u32_field("object header size", 24)?.to_le_bytes(), [24, 0, 0, 0]);
/// let too_big = u64::from(u32::MAX) + 1;
/// assert!(matches!(
///     u32_field("object header size", too_big),
///     Err(Error::FieldOverflow { field: "object header size", max: 0xffff_ffff, .. })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn u32_field(field: &'static str, value: u64) -> Result<u32> {
    u32::try_from(value).map_err(|_| overflow(field, value, u32::MAX.into()))
}

/// `usize` to `u64` (lossless on every platform Rust supports up to 64 bits).
///
/// # Examples
///
/// ```
/// use h5sink::format::field::len64;
///
/// let data: Vec<u8> = [1i32, 2, 3].iter().flat_map(|v| v.to_le_bytes()).collect();
/// assert_eq!(len64(data.len()), 12);
/// assert_eq!(len64(usize::MAX), usize::MAX as u64);
/// ```
pub fn len64(n: usize) -> u64 {
    n as u64
}

/// `value` rounded up to a multiple of 8, or an error if that overflows.
///
/// # Examples
///
/// ```
/// use h5sink::format::field::pad8;
/// use h5sink::Error;
///
/// assert_eq!(pad8("message size", 9)?, 16);
/// assert_eq!(pad8("message size", 16)?, 16);
/// // The largest value that pads without overflow is u64::MAX - 7.
/// assert_eq!(pad8("message size", u64::MAX - 7)?, u64::MAX - 7);
/// assert!(matches!(
///     pad8("message size", u64::MAX - 6),
///     Err(Error::FieldOverflow { field: "message size", max, .. }) if max == u64::MAX - 7
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn pad8(field: &'static str, value: u64) -> Result<u64> {
    value
        .checked_add(7)
        .map(|v| v & !7)
        .ok_or_else(|| overflow(field, value, !7))
}

/// `a + b`, or an error naming `field`.
///
/// # Examples
///
/// A local heap's data segment follows its 32-byte header:
///
/// ```
/// use h5sink::format::field::add;
/// use h5sink::Error;
///
/// assert_eq!(add("heap data address", 0x2a8, 32)?, 0x2c8);
/// // The error reports `a` and the largest `a` that `b` allows.
/// assert!(matches!(
///     add("heap data address", u64::MAX - 31, 32),
///     Err(Error::FieldOverflow { field: "heap data address", max, .. }) if max == u64::MAX - 32
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn add(field: &'static str, a: u64, b: u64) -> Result<u64> {
    a.checked_add(b)
        .ok_or_else(|| overflow(field, a, u64::MAX - b))
}

/// `a * b`, or an error naming `field`.
///
/// # Examples
///
/// ```
/// use h5sink::format::field::mul;
/// use h5sink::Error;
///
/// // 1000 rows of 8-byte elements.
/// assert_eq!(mul("data size", 1000, 8)?, 8000);
/// // The error reports `a` and the largest `a` that `b` allows.
/// assert!(matches!(
///     mul("data size", u64::MAX / 8 + 1, 8),
///     Err(Error::FieldOverflow { field: "data size", max, .. }) if max == u64::MAX / 8
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn mul(field: &'static str, a: u64, b: u64) -> Result<u64> {
    a.checked_mul(b)
        .ok_or_else(|| overflow(field, a, u64::MAX / b.max(1)))
}

fn overflow(field: &'static str, value: u64, max: u64) -> Error {
    Error::FieldOverflow { field, value, max }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_and_overflows() {
        assert_eq!(u16_field("x", 65535).unwrap(), 65535);
        let e = u16_field("message size", 65536).unwrap_err().to_string();
        assert!(e.contains("message size") && e.contains("65536"), "{e}");
        assert_eq!(pad8("p", 9).unwrap(), 16);
        assert_eq!(pad8("p", 16).unwrap(), 16);
        assert!(pad8("p", u64::MAX).is_err());
        assert!(mul("m", u64::MAX, 2).is_err());
    }
}
