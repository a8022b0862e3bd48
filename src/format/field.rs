//! Checked conversions for every address, length and count field.
//!
//! One function per field width: a value too large for its field is an
//! [`Error::FieldOverflow`] naming the field, never a silent truncation.
//! Spec notes: `spec-notes/fields.md`.

use crate::error::{Error, Result};

/// The undefined address (all bits set), spec §V "Appendix A".
pub const UNDEF_ADDR: u64 = u64::MAX;

/// `value` as a u8 field, or an error naming `field`.
pub fn u8_field(field: &'static str, value: u64) -> Result<u8> {
    u8::try_from(value).map_err(|_| overflow(field, value, u8::MAX.into()))
}

/// `value` as a u16 field, or an error naming `field`.
pub fn u16_field(field: &'static str, value: u64) -> Result<u16> {
    u16::try_from(value).map_err(|_| overflow(field, value, u16::MAX.into()))
}

/// `value` as a u32 field, or an error naming `field`.
pub fn u32_field(field: &'static str, value: u64) -> Result<u32> {
    u32::try_from(value).map_err(|_| overflow(field, value, u32::MAX.into()))
}

/// `usize` to `u64` (lossless on every platform Rust supports up to 64 bits).
pub fn len64(n: usize) -> u64 {
    n as u64
}

/// `value` rounded up to a multiple of 8, or an error if that overflows.
pub fn pad8(field: &'static str, value: u64) -> Result<u64> {
    value
        .checked_add(7)
        .map(|v| v & !7)
        .ok_or_else(|| overflow(field, value, !7))
}

/// `a + b`, or an error naming `field`.
pub fn add(field: &'static str, a: u64, b: u64) -> Result<u64> {
    a.checked_add(b)
        .ok_or_else(|| overflow(field, a, u64::MAX - b))
}

/// `a * b`, or an error naming `field`.
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
