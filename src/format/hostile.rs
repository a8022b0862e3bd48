//! Test helper for decoders of untrusted bytes: every truncation of a valid
//! encoding is an error, and every single-bit flip is `Ok` or an error,
//! never a panic. Spec notes: `spec-notes/fields.md`.

use crate::error::Result;
use std::fmt::Debug;

/// Check `decode` against every truncation and every bit flip of `valid`,
/// which must itself decode. Returns how many flips still decoded.
pub(crate) fn check<T: Debug>(valid: &[u8], decode: impl Fn(&[u8]) -> Result<T>) -> usize {
    if let Err(e) = decode(valid) {
        panic!("the valid encoding {valid:02x?} does not decode: {e}");
    }
    for n in 0..valid.len() {
        if let Ok(v) = decode(&valid[..n]) {
            panic!("truncation to {n} of {valid:02x?} decoded: {v:?}");
        }
    }
    let mut ok = 0;
    let mut bytes = valid.to_vec();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            bytes[i] ^= 1 << bit;
            if decode(&bytes).is_ok() {
                ok += 1;
            }
            bytes[i] ^= 1 << bit;
        }
    }
    ok
}
