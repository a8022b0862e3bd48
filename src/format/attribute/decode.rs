//! Decoding the Attribute message (type 0x000C), versions 1 to 3, from
//! untrusted bytes. Spec notes: `spec-notes/attribute.md` ("What we read").
//!
//! # Examples
//!
//! ```
//! use h5sink::format::attribute::{decode::AttrMsg, encode};
//! use h5sink::format::{dataspace, datatype::Datatype};
//!
//! let dt = Datatype::Int { size: 8, signed: true };
//! let body = encode("n", &dt.encode(), &dataspace::encode(&[])?, &7i64.to_le_bytes())?;
//! let a = AttrMsg::decode(&body, 0)?;
//! assert_eq!(a.name, "n");
//! assert!(a.datatype.matches(&dt));
//! assert_eq!(a.data, 7i64.to_le_bytes());
//! # Ok::<(), h5sink::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::format::dataspace::decode::Dataspace;
use crate::format::datatype::decode::{Charset, TypeDesc};
use crate::format::reader::Reader;

const STRUCTURE: &str = "attribute message";

/// A decoded Attribute message.
///
/// # Examples
///
/// HDF5 2.0 (`libver='latest'`) writes version 3 with a name character
/// set: h5py's `attrs['n'] = np.int64(7)`.
///
/// ```
/// use h5sink::format::attribute::decode::AttrMsg;
/// use h5sink::format::dataspace::decode::Dataspace;
///
/// let body = [3, 0, 2, 0, 12, 0, 4, 0, 0, b'n', 0,
///             0x10, 8, 0, 0, 8, 0, 0, 0, 0, 0, 64, 0, 2, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0];
/// let a = AttrMsg::decode(&body, 0)?;
/// assert_eq!((a.name.as_str(), &a.dataspace), ("n", &Dataspace::Scalar));
/// assert_eq!(a.datatype.describe(), "i64");
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrMsg {
    /// The attribute's name (checked UTF-8, without its NUL).
    pub name: String,
    /// The name's character set (version 3; ASCII before).
    pub charset: Charset,
    /// Element type.
    pub datatype: TypeDesc,
    /// Shape.
    pub dataspace: Dataspace,
    /// The raw data: exactly element size × element count bytes (a vlen
    /// element is its 16-byte global heap reference).
    pub data: Vec<u8>,
}

/// `n` rounded up to a multiple of 8.
fn pad8(n: usize) -> usize {
    n.div_ceil(8) * 8
}

impl AttrMsg {
    /// Decode an Attribute message body read at file offset `base`.
    /// Trailing bytes (header padding) are ignored.
    ///
    /// Version 1: `version, reserved, name size, datatype size, dataspace
    /// size` (u16 each, unpadded sizes), then name, datatype and dataspace
    /// each zero-padded to 8, then the data. Version 2 drops the padding
    /// and makes byte 1 flags; version 3 adds a character set byte.
    ///
    /// # Errors
    ///
    /// - [`Error::Malformed`]: truncation, a version other than 1 to 3,
    ///   unknown flags, an empty name or one without its NUL (or with an
    ///   inner NUL), a character set above 1, a bad datatype or dataspace,
    ///   data shorter than element size × element count (or a size that
    ///   overflows);
    /// - [`Error::Unsupported`]: shared datatype or dataspace (flags bits
    ///   0 and 1), a name that is not UTF-8, and what the datatype and
    ///   dataspace decoders refuse as such.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::attribute::{decode::AttrMsg, encode};
    /// use h5sink::format::{dataspace, datatype::Datatype};
    ///
    /// let dt = Datatype::Float { size: 4 }.encode();
    /// let data: Vec<u8> = [1.5f32, 2.5].iter().flat_map(|v| v.to_le_bytes()).collect();
    /// let body = encode("pair", &dt, &dataspace::encode(&[2])?, &data)?;
    /// assert_eq!(AttrMsg::decode(&body, 0)?.data, data);
    /// // One data byte short.
    /// assert!(AttrMsg::decode(&body[..body.len() - 1], 0).is_err());
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn decode(body: &[u8], base: u64) -> Result<AttrMsg> {
        let mut r = Reader::new(body, base, STRUCTURE);
        let version = r.u8()?;
        if !(1..=3).contains(&version) {
            return Err(Error::Malformed {
                structure: STRUCTURE,
                offset: base,
                reason: format!("version {version}, expected 1 to 3"),
            });
        }
        let flags = r.u8()?;
        if version >= 2 {
            if flags & 0x03 != 0 {
                return Err(Error::Unsupported {
                    structure: STRUCTURE,
                    offset: base.saturating_add(1),
                    detail: format!(
                        "a shared datatype or dataspace (flags {flags:#04x}); h5sink reads attributes that hold their own"
                    ),
                });
            }
            if flags != 0 {
                return Err(Error::Malformed {
                    structure: STRUCTURE,
                    offset: base.saturating_add(1),
                    reason: format!("unknown flags {flags:#04x}"),
                });
            }
        }
        let name_size = usize::from(r.u16()?);
        let dt_size = usize::from(r.u16()?);
        let ds_size = usize::from(r.u16()?);
        let charset = if version == 3 {
            match r.u8()? {
                0 => Charset::Ascii,
                1 => Charset::Utf8,
                c => return Err(r.error(format!("name character set {c}, expected 0 or 1"))),
            }
        } else {
            Charset::Ascii
        };
        let padded = |n: usize| if version == 1 { pad8(n) } else { n };

        let at = r.offset();
        let raw = r.bytes(name_size)?;
        r.skip(padded(name_size) - name_size)?;
        let name = match raw.split_last() {
            Some((0, text)) if !text.is_empty() && !text.contains(&0) => text,
            _ => {
                return Err(Error::Malformed {
                    structure: STRUCTURE,
                    offset: at,
                    reason: format!("name {raw:02x?} is not one NUL-terminated non-empty string"),
                })
            }
        };
        let name = String::from_utf8(name.to_vec()).map_err(|e| Error::Unsupported {
            structure: STRUCTURE,
            offset: at,
            detail: format!(
                "name {:02x?} is not UTF-8; h5sink reads UTF-8 names",
                e.as_bytes()
            ),
        })?;

        let at = r.offset();
        let datatype = TypeDesc::decode(r.bytes(dt_size)?, at)?;
        r.skip(padded(dt_size) - dt_size)?;
        let at = r.offset();
        let dataspace = Dataspace::decode(r.bytes(ds_size)?, at)?;
        r.skip(padded(ds_size) - ds_size)?;

        let size = dataspace
            .points()
            .and_then(|n| n.checked_mul(u64::from(datatype.element_size())))
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                r.error(format!(
                    "{:?} elements of {} bytes overflow",
                    dataspace.dims(),
                    datatype.element_size()
                ))
            })?;
        // `bytes` checks the size against what is left before copying.
        let data = r.bytes(size)?.to_vec();
        Ok(AttrMsg {
            name,
            charset,
            datatype,
            dataspace,
            data,
        })
    }
}

#[cfg(test)]
mod tests;
