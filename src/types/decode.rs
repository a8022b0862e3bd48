//! Values read back: file bytes into Rust values, one element at a time.

use super::Element;
use crate::error::{clip, Error, Result};
use crate::format::datatype::{swap_elements, ReadAs};

/// [`decode_values`] of elements stored as `how` says: byte-swapped
/// first for [`ReadAs::Swapped`] (big-endian numbers).
pub(crate) fn decode_stored<T: Element>(
    mut bytes: Vec<u8>,
    how: ReadAs,
    object: &str,
) -> Result<Vec<T>> {
    if how == ReadAs::Swapped {
        swap_elements(&mut bytes, T::DATATYPE.element_size() as usize);
    }
    decode_values(&bytes, object)
}

/// The values of `bytes` (whole elements of `T`'s datatype, as read from
/// `object`). A value that is no `T` (an enum number naming no variant, say)
/// is [`Error::Malformed`] naming the element and its bytes; its offset is
/// the element's byte offset within the values read.
pub(crate) fn decode_values<T: Element>(bytes: &[u8], object: &str) -> Result<Vec<T>> {
    let size = T::DATATYPE.element_size() as usize;
    if size == 0 {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(bytes.len() / size);
    for (i, b) in bytes.chunks(size).enumerate() {
        match T::decode(b) {
            Some(v) => out.push(v),
            None => {
                return Err(Error::Malformed {
                    structure: "stored value",
                    offset: (i * size) as u64,
                    reason: format!(
                        "element {i} of {:?} holds bytes {:02x?}, which are no {}",
                        clip(object),
                        &b[..b.len().min(64)],
                        T::NAME
                    ),
                })
            }
        }
    }
    Ok(out)
}
