//! Decoding the Fill Value message (type 0x0005, versions 1 to 3) and the
//! old Fill Value message (type 0x0004) from untrusted bytes. Spec notes:
//! `spec-notes/fill-value.md` ("What we read").
//!
//! # Examples
//!
//! ```
//! use h5sink::format::fill_value::decode::{Fill, FillValue};
//! use h5sink::format::fill_value::{encode_user, AllocTime, FillTime};
//!
//! let body = encode_user(AllocTime::Late, FillTime::IfSet, &(-1i32).to_le_bytes())?;
//! let fv = FillValue::decode(&body, 0)?;
//! assert_eq!(fv.fill, Fill::Value(vec![0xff; 4]));
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::{AllocTime, FillTime};
use crate::error::{Error, Result};
use crate::format::reader::Reader;

const STRUCTURE: &str = "fill value message";
const STRUCTURE_OLD: &str = "old fill value message";

/// What a dataset's unwritten elements read as.
///
/// ```
/// use h5sink::format::fill_value::decode::{Fill, FillValue};
///
/// // HDF5 2.0 with `libver='latest'`: version 3, flags 0x0a (late, if set).
/// assert_eq!(FillValue::decode(&[3, 0x0a], 0)?.fill, Fill::Default);
/// // Flag bit 4: the fill value is undefined.
/// assert_eq!(FillValue::decode(&[3, 0x1a], 0)?.fill, Fill::Undefined);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fill {
    /// The library default: zero bytes.
    Default,
    /// No fill value: unwritten elements are undefined.
    Undefined,
    /// A user-defined value: one element in the file's format.
    Value(Vec<u8>),
}

/// A decoded Fill Value message.
///
/// ```
/// use h5sink::format::fill_value::decode::{Fill, FillValue};
/// use h5sink::format::fill_value::{encode_default, AllocTime, FillTime};
///
/// let fv = FillValue::decode(&encode_default(AllocTime::Early, FillTime::IfSet), 0)?;
/// assert_eq!(fv, FillValue { alloc: AllocTime::Early, time: FillTime::IfSet, fill: Fill::Default });
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FillValue {
    /// When storage is allocated.
    pub alloc: AllocTime,
    /// When the fill value is written.
    pub time: FillTime,
    /// The fill value.
    pub fill: Fill,
}

fn alloc_time(r: &Reader<'_>, code: u8) -> Result<AllocTime> {
    match code {
        1 => Ok(AllocTime::Early),
        2 => Ok(AllocTime::Late),
        3 => Ok(AllocTime::Incremental),
        0 => Err(Error::Unsupported {
            structure: STRUCTURE,
            offset: r.offset(),
            detail: "space allocation time 0 (default, unresolved); h5sink reads 1 to 3".into(),
        }),
        c => Err(r.error(format!("space allocation time {c}, expected 1 to 3"))),
    }
}

fn fill_time(r: &Reader<'_>, code: u8) -> Result<FillTime> {
    match code {
        0 => Ok(FillTime::OnAlloc),
        1 => Ok(FillTime::Never),
        2 => Ok(FillTime::IfSet),
        c => Err(r.error(format!("fill value write time {c}, expected 0 to 2"))),
    }
}

/// `size u32` and that many bytes: `Default` for size 0.
fn sized_value(r: &mut Reader<'_>) -> Result<Fill> {
    let size = r.u32()?;
    let n = usize::try_from(size).unwrap_or(usize::MAX);
    // `bytes` checks `n` against what is left before anything is copied.
    let value = r.bytes(n)?;
    Ok(if value.is_empty() {
        Fill::Default
    } else {
        Fill::Value(value.to_vec())
    })
}

impl FillValue {
    /// Decode a Fill Value message body (type 0x0005) read at file offset
    /// `base`. Trailing bytes (header padding) are ignored.
    ///
    /// Versions 1 and 2: `version, allocation time, write time, defined`,
    /// then `size u32` and the value (version 2 omits both when not
    /// defined). Version 3: `version, flags` (bits 0-1 allocation time,
    /// 2-3 write time, 4 undefined, 5 defined), then size and value if
    /// defined. A defined size of 0 is the library default.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] for truncation, a version other than 1 to 3,
    /// codes out of range, a defined byte above 1, reserved flag bits, or
    /// flags both defined and undefined; [`Error::Unsupported`] for
    /// allocation time 0 (unresolved default).
    ///
    /// # Examples
    ///
    /// HDF5 2.0 (`libver='latest'`) for a chunked i4 with `fillvalue=7`:
    ///
    /// ```
    /// use h5sink::format::fill_value::decode::{Fill, FillValue};
    /// use h5sink::format::fill_value::{AllocTime, FillTime};
    ///
    /// let fv = FillValue::decode(&[3, 0x2b, 4, 0, 0, 0, 7, 0, 0, 0], 0)?;
    /// assert_eq!((fv.alloc, fv.time), (AllocTime::Incremental, FillTime::IfSet));
    /// assert_eq!(fv.fill, Fill::Value(7i32.to_le_bytes().to_vec()));
    /// assert!(FillValue::decode(&[3, 0x2b, 4, 0, 0, 0, 7], 0).is_err()); // truncated
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn decode(body: &[u8], base: u64) -> Result<FillValue> {
        let mut r = Reader::new(body, base, STRUCTURE);
        let version = r.u8()?;
        match version {
            1 | 2 => {
                let alloc = alloc_time(&r, r.clone().u8()?)?;
                r.skip(1)?;
                let time = fill_time(&r, r.clone().u8()?)?;
                r.skip(1)?;
                let defined = r.u8()?;
                let fill = match (defined, version) {
                    (0, 2) => Fill::Undefined,
                    (0, _) => {
                        sized_value(&mut r)?;
                        Fill::Undefined
                    }
                    (1, _) => sized_value(&mut r)?,
                    (d, _) => {
                        return Err(r.error(format!("fill value defined {d}, expected 0 or 1")))
                    }
                };
                Ok(FillValue { alloc, time, fill })
            }
            3 => {
                let flags = r.clone().u8()?;
                if flags & 0xC0 != 0 {
                    return Err(r.error(format!("reserved flag bits in {flags:#04x}")));
                }
                let alloc = alloc_time(&r, flags & 0x03)?;
                let time = fill_time(&r, (flags >> 2) & 0x03)?;
                r.skip(1)?;
                let fill = match (flags & 0x10 != 0, flags & 0x20 != 0) {
                    (false, false) => Fill::Default,
                    (true, false) => Fill::Undefined,
                    (false, true) => sized_value(&mut r)?,
                    (true, true) => {
                        return Err(
                            r.error(format!("flags {flags:#04x} say both undefined and defined"))
                        )
                    }
                };
                Ok(FillValue { alloc, time, fill })
            }
            v => Err(Error::Malformed {
                structure: STRUCTURE,
                offset: base,
                reason: format!("version {v}, expected 1 to 3"),
            }),
        }
    }
}

/// Decode an old Fill Value message body (type 0x0004): `size u32`, then
/// the value (empty for size 0). Trailing bytes are ignored.
///
/// # Errors
///
/// [`Error::Malformed`] when the body is shorter than its size says.
///
/// # Examples
///
/// ```
/// use h5sink::format::fill_value::{decode::decode_old, encode_old};
///
/// assert_eq!(decode_old(&encode_old(&[9]), 0)?, [9]);
/// assert!(decode_old(&[4, 0, 0, 0, 1], 0).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_old(body: &[u8], base: u64) -> Result<Vec<u8>> {
    let mut r = Reader::new(body, base, STRUCTURE_OLD);
    Ok(match sized_value(&mut r)? {
        Fill::Value(v) => v,
        _ => Vec::new(),
    })
}

#[cfg(test)]
mod tests;
