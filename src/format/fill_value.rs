//! Fill Value message (version 2) and the old Fill Value message.
//! Spec notes: `spec-notes/fill-value.md`.
//!
//! # Examples
//!
//! h5py 3.16 `create_dataset(..., dtype='i4', fillvalue=-1)`: the new
//! and the old Fill Value messages, both constant, in the object header.
//!
//! ```
//! use h5sink::format::fill_value::{encode_old, encode_user, AllocTime, FillTime};
//! use h5sink::format::object_header::{self, kind, Message, FLAG_CONSTANT};
//!
//! let value = (-1i32).to_le_bytes();
//! let new = encode_user(AllocTime::Late, FillTime::IfSet, &value)?;
//! let old = encode_old(&value);
//! let msgs = [
//!     Message { kind: kind::FILL_VALUE, flags: FLAG_CONSTANT, body: &new },
//!     Message { kind: kind::FILL_VALUE_OLD, flags: FLAG_CONSTANT, body: &old },
//! ];
//! let mut header = Vec::new();
//! object_header::encode(&mut header, &msgs)?;
//! // Type 5, size 16 (12 padded), flags 1; body `02 02 02 01 04000000 ffffffff`.
//! assert_eq!(header[16..24], [5, 0, 16, 0, 1, 0, 0, 0]);
//! assert_eq!(header[24..36], [2, 2, 2, 1, 4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
//! // Type 4, size 8, flags 1; body `04000000 ffffffff`.
//! assert_eq!(header[40..56], [4, 0, 8, 0, 1, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::field::len64;
use crate::error::{Error, Result};

pub mod decode;

/// When storage is allocated.
///
/// # Examples
///
/// The code is byte 1 of the Fill Value message: h5py writes `Late` for a
/// contiguous dataset, `Incremental` for a chunked one and `Early` for a
/// compact one.
///
/// ```
/// use h5sink::format::fill_value::{encode_default, AllocTime, FillTime};
///
/// assert_eq!(encode_default(AllocTime::Early, FillTime::IfSet)[1], 1);
/// assert_eq!(encode_default(AllocTime::Late, FillTime::IfSet)[1], 2);
/// assert_eq!(encode_default(AllocTime::Incremental, FillTime::IfSet)[1], 3);
/// assert_eq!(AllocTime::Incremental as u8, 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AllocTime {
    /// At creation.
    Early = 1,
    /// When first written.
    Late = 2,
    /// Chunk by chunk.
    Incremental = 3,
}

/// When the fill value is written into allocated storage.
///
/// # Examples
///
/// The code is byte 2 of the Fill Value message: h5py writes `IfSet` for
/// numeric datasets and `OnAlloc` for variable-length strings.
///
/// ```
/// use h5sink::format::fill_value::{encode_default, AllocTime, FillTime};
///
/// assert_eq!(encode_default(AllocTime::Late, FillTime::OnAlloc)[2], 0);
/// assert_eq!(encode_default(AllocTime::Late, FillTime::Never)[2], 1);
/// assert_eq!(encode_default(AllocTime::Late, FillTime::IfSet)[2], 2);
/// assert_eq!(FillTime::IfSet as u8, 2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FillTime {
    /// On allocation.
    OnAlloc = 0,
    /// Never.
    Never = 1,
    /// Only if the user set one.
    IfSet = 2,
}

/// Body of a version 2 Fill Value message with the library default fill
/// (defined, size 0), as libhdf5 writes it.
///
/// # Examples
///
/// ```
/// use h5sink::format::fill_value::{encode_default, AllocTime, FillTime};
///
/// // h5py 3.16, contiguous numeric dataset: `02 02 02 01 00000000`.
/// let body = encode_default(AllocTime::Late, FillTime::IfSet);
/// assert_eq!(body, [2, 2, 2, 1, 0, 0, 0, 0]);
/// // h5py 3.16, vlen string dataset: `02 02 00 01 00000000`.
/// let body = encode_default(AllocTime::Late, FillTime::OnAlloc);
/// assert_eq!(body, [2, 2, 0, 1, 0, 0, 0, 0]);
/// ```
pub fn encode_default(alloc: AllocTime, fill: FillTime) -> Vec<u8> {
    // version 2, alloc time, fill write time, defined = 1, size u32 = 0
    vec![2, alloc as u8, fill as u8, 1, 0, 0, 0, 0]
}

/// The largest user fill value: the Fill Value message (`8 + value`) and
/// the old one (`4 + value`) must both fit a version 1 header message,
/// whose padded body is at most 65528 bytes.
///
/// # Examples
///
/// ```
/// use h5sink::format::fill_value::{encode_old, encode_user, AllocTime, FillTime};
/// use h5sink::format::fill_value::MAX_FILL_SIZE;
/// use h5sink::Error;
///
/// let value = vec![1; MAX_FILL_SIZE as usize];
/// let new = encode_user(AllocTime::Late, FillTime::IfSet, &value)?;
/// assert_eq!(new.len(), 65528); // the largest v1 header message body
/// assert_eq!(encode_old(&value).len(), 65524);
/// let longer = vec![1; MAX_FILL_SIZE as usize + 1];
/// assert!(matches!(
///     encode_user(AllocTime::Late, FillTime::IfSet, &longer),
///     Err(Error::FieldOverflow { field: "fill value size", value: 65521, max: MAX_FILL_SIZE })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MAX_FILL_SIZE: u64 = 65520;

/// Body of a version 2 Fill Value message with a user-defined fill value
/// (`value` holds one element in the file's format): `version 2, alloc,
/// fill time, defined = 1, size u32`, then the value.
///
/// h5py 3.16 `create_dataset(..., fillvalue=-1)` (i4, contiguous) writes
/// `02 02 02 01 04000000 ffffffff`. libhdf5 also writes the old Fill Value
/// message ([`encode_old`], type [`super::object_header::kind::FILL_VALUE_OLD`])
/// right after this one. An explicit zero (`fillvalue=0`) is still
/// user-defined: size 4 and four zero bytes, and h5dump shows `VALUE 0`
/// rather than `H5D_FILL_VALUE_DEFAULT`.
///
/// # Errors
///
/// - [`Error::InvalidArgument`] for an empty `value` (that is the library
///   default: use [`encode_default`]).
/// - [`Error::FieldOverflow`] with field "fill value size" when `value` is
///   longer than [`MAX_FILL_SIZE`] bytes.
///
/// # Examples
///
/// ```
/// use h5sink::format::fill_value::{encode_user, AllocTime, FillTime};
/// use h5sink::Error;
///
/// // h5py 3.16, `dtype='f4', fillvalue=1.5`, contiguous.
/// let body = encode_user(AllocTime::Late, FillTime::IfSet, &1.5f32.to_le_bytes())?;
/// assert_eq!(body[..4], [2, 2, 2, 1]); // version, alloc, fill time, defined
/// assert_eq!(body[4..8], 4u32.to_le_bytes());
/// assert_eq!(body[8..], 1.5f32.to_le_bytes());
/// assert!(matches!(
///     encode_user(AllocTime::Late, FillTime::IfSet, &[]),
///     Err(Error::InvalidArgument { what: "fill value", .. })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode_user(alloc: AllocTime, fill: FillTime, value: &[u8]) -> Result<Vec<u8>> {
    let size = checked_size(value)?;
    let mut out = Vec::with_capacity(8 + value.len());
    out.extend_from_slice(&[2, alloc as u8, fill as u8, 1]);
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(value);
    Ok(out)
}

/// Body of the old Fill Value message (type 0x04): `size u32`, then the
/// value. libhdf5 writes it next to the new message whenever the user set a
/// fill value, for readers older than HDF5 1.6; h5py 3.16 files carry it
/// (flag constant), e.g. `04000000 ffffffff` for an i4 fill of -1.
///
/// Pass the value [`encode_user`] accepted; a longer one (over 4 GiB) gets
/// a saturated size, and the object header refuses a message body over
/// 65528 bytes anyway (a value of at most 65524 bytes).
///
/// # Examples
///
/// ```
/// use h5sink::format::fill_value::encode_old;
///
/// // An i4 fill of -1: `04000000 ffffffff`.
/// assert_eq!(encode_old(&(-1i32).to_le_bytes()), [4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
/// // A chunked u1 fill of 9: `01000000 09`.
/// assert_eq!(encode_old(&[9]), [1, 0, 0, 0, 9]);
/// ```
pub fn encode_old(value: &[u8]) -> Vec<u8> {
    let size = u32::try_from(value.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(4 + value.len());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(value);
    out
}

/// `value`'s length as the u32 size field, within [`MAX_FILL_SIZE`].
fn checked_size(value: &[u8]) -> Result<u32> {
    let len = len64(value.len());
    if value.is_empty() {
        return Err(Error::InvalidArgument {
            what: "fill value",
            value: "of 0 bytes".to_owned(),
            reason: "a user-defined fill value holds one element; use encode_default for the library default",
        });
    }
    match u32::try_from(len) {
        Ok(n) if len <= MAX_FILL_SIZE => Ok(n),
        _ => Err(Error::FieldOverflow {
            field: "fill value size",
            value: len,
            max: MAX_FILL_SIZE,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// h5py 3.16, contiguous numeric dataset: `02 02 02 01 00000000`.
    #[test]
    fn numeric_contiguous() {
        let got = encode_default(AllocTime::Late, FillTime::IfSet);
        assert_eq!(got, [2, 2, 2, 1, 0, 0, 0, 0]);
    }

    /// h5py 3.16, vlen string dataset: `02 02 00 01 00000000`.
    #[test]
    fn vlen_string() {
        let got = encode_default(AllocTime::Late, FillTime::OnAlloc);
        assert_eq!(got, [2, 2, 0, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn other_codes() {
        assert_eq!(
            encode_default(AllocTime::Early, FillTime::Never)[1..3],
            [1, 1]
        );
        assert_eq!(
            encode_default(AllocTime::Incremental, FillTime::IfSet)[1..3],
            [3, 2]
        );
    }

    /// h5py 3.16 `create_dataset(..., fillvalue=x)`: new and old messages.
    #[test]
    fn user_fill() {
        let late = |v: &[u8]| encode_user(AllocTime::Late, FillTime::IfSet, v).unwrap();
        // i4, fillvalue=-1
        assert_eq!(
            late(&(-1i32).to_le_bytes()),
            hex("02 02 02 01 04000000 ffffffff")
        );
        assert_eq!(encode_old(&(-1i32).to_le_bytes()), hex("04000000 ffffffff"));
        // f8, fillvalue=nan (numpy's quiet NaN 0x7ff8...)
        let nan = f64::NAN.to_le_bytes();
        assert_eq!(late(&nan), hex("02 02 02 01 08000000 000000000000f87f"));
        assert_eq!(encode_old(&nan), hex("08000000 000000000000f87f"));
        // f4, fillvalue=1.5
        assert_eq!(
            late(&1.5f32.to_le_bytes()),
            hex("02 02 02 01 04000000 0000c03f")
        );
        // i4, fillvalue=0: user-defined, not the default encoding
        assert_eq!(late(&[0; 4]), hex("02 02 02 01 04000000 00000000"));
        assert_ne!(
            late(&[0; 4]),
            encode_default(AllocTime::Late, FillTime::IfSet)
        );
        // compound [('a','<i2'),('b','<f4')], fillvalue=(1, 2.0)
        assert_eq!(
            late(&hex("0100 00000040")),
            hex("02 02 02 01 06000000 0100 00000040")
        );
    }

    /// Chunked u1 with fillvalue=9 (alloc incremental) and compact i2 with
    /// fill 7 (alloc early).
    #[test]
    fn user_fill_other_layouts() {
        let chunked = encode_user(AllocTime::Incremental, FillTime::IfSet, &[9]).unwrap();
        assert_eq!(chunked, hex("02 03 02 01 01000000 09"));
        assert_eq!(encode_old(&[9]), hex("01000000 09"));
        let compact = encode_user(AllocTime::Early, FillTime::IfSet, &7i16.to_le_bytes()).unwrap();
        assert_eq!(compact, hex("02 01 02 01 02000000 0700"));
        assert_eq!(encode_old(&7i16.to_le_bytes()), hex("02000000 0700"));
    }

    #[test]
    fn user_fill_limits() {
        let ok = vec![1; 65520];
        assert_eq!(
            encode_user(AllocTime::Late, FillTime::IfSet, &ok)
                .unwrap()
                .len(),
            65528
        );
        assert_eq!(encode_old(&ok).len(), 65524);
        match encode_user(AllocTime::Late, FillTime::IfSet, &[1; 65521]) {
            Err(Error::FieldOverflow { field, value, max }) => {
                assert_eq!(field, "fill value size");
                assert_eq!((value, max), (65521, 65520));
            }
            other => panic!("{other:?}"),
        }
        match encode_user(AllocTime::Late, FillTime::IfSet, &[]) {
            Err(Error::InvalidArgument { what, .. }) => assert_eq!(what, "fill value"),
            other => panic!("{other:?}"),
        }
    }
}
