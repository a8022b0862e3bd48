//! Attribute message (version 1). Spec notes: `spec-notes/attribute.md`.
//!
//! # Examples
//!
//! h5py 3.16's `attrs['title'] = np.bytes_(b'abc')`: a scalar `S3`
//! attribute, placed in an object header (message type 0x0C).
//!
//! ```
//! use h5sink::format::datatype::Datatype;
//! use h5sink::format::object_header::{self, kind, Message};
//! use h5sink::format::{attribute, dataspace};
//!
//! let dt = Datatype::FixedString { size: 3, utf8: false }.encode();
//! let space = dataspace::encode(&[])?;
//! let body = attribute::encode("title", &dt, &space, b"abc")?;
//! // 8-byte prefix, name, datatype and dataspace (8 bytes each), 3 data bytes.
//! assert_eq!(body.len(), 35);
//! let msgs = [Message { kind: kind::ATTRIBUTE, flags: 0, body: &body }];
//! // The header pads the body to 40, after its 16-byte prefix and the
//! // 8-byte message header.
//! assert_eq!(object_header::size(&msgs)?, 16 + 8 + 40);
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::field::len64;
use crate::error::{Error, Result};

pub mod decode;

/// The largest Attribute message body a version 1 object header holds: the
/// u16 size field stores the body padded to 8, so 65535 rounds down to 65528.
///
/// libhdf5 2.0 itself only checks the unpadded size (< 65536): for bodies of
/// 65529..=65535 bytes it writes a header that it then refuses to open
/// ("message not aligned"). h5sink refuses those sizes instead.
///
/// This is the crate's one definition of 65528 (re-exported as
/// `h5sink::MAX_ATTRIBUTE_MESSAGE`). It is the same bound as the object
/// header's limit on any message body, which
/// [`object_header::encode`](super::object_header::encode) enforces
/// directly on the u16 size field and does not name; it gets a constant
/// here because attributes are the one message whose size users choose
/// (and are told about). [`MAX_FILL_SIZE`](super::fill_value::MAX_FILL_SIZE)
/// (65528 - 8) and [`MAX_COMPACT_SIZE`](super::layout::MAX_COMPACT_SIZE)
/// (65528 - 4) are the same limit minus their messages' own fields.
///
/// # Examples
///
/// 65472 bytes of u8 under the name "a" make a body of exactly
/// `MAX_MESSAGE_SIZE` bytes; one byte more is refused.
///
/// ```
/// use h5sink::format::attribute::{encode, MAX_MESSAGE_SIZE};
/// use h5sink::format::{dataspace, datatype::Datatype};
/// use h5sink::Error;
///
/// let u8_ = Datatype::Int { size: 1, signed: false }.encode();
/// let space = dataspace::encode(&[65472])?;
/// let body = encode("a", &u8_, &space, &vec![0; 65472])?;
/// assert_eq!(body.len() as u64, MAX_MESSAGE_SIZE);
/// let space = dataspace::encode(&[65473])?;
/// assert!(matches!(
///     encode("a", &u8_, &space, &vec![0; 65473]),
///     Err(Error::FieldOverflow { field: "attribute message size", value: 65529, .. })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MAX_MESSAGE_SIZE: u64 = 65528;

/// `n` rounded up to a multiple of 8 (no overflow for the lengths here,
/// which are slice lengths far below `u64::MAX`).
fn pad8(n: u64) -> u64 {
    n.saturating_add(7) & !7
}

/// Body of a version 1 Attribute message: `name`, the encoded Datatype and
/// Dataspace message bodies, and the raw data in the file's element format.
///
/// Layout, as h5py 3.16 writes it: `version 1, reserved 0, name size u16
/// (with its NUL), datatype size u16, dataspace size u16`, then the name
/// (NUL-terminated), the datatype and the dataspace, each zero-padded to a
/// multiple of 8 while the sizes stored are the unpadded ones, then `data`
/// unpadded (the object header pads the whole message).
///
/// The caller is responsible for `data` holding exactly one element per
/// point of the dataspace; a vlen string element is its 16-byte global heap
/// reference.
///
/// # Errors
///
/// - [`Error::InvalidName`] for an empty name (libhdf5: "no attribute
///   name") or one containing NUL.
/// - [`Error::FieldOverflow`] with field "attribute message size" when the
///   body would exceed [`MAX_MESSAGE_SIZE`] bytes (the value is the unpadded
///   body size). Such an attribute needs dense attribute storage, which
///   version 1 object headers cannot have.
///
/// # Examples
///
/// h5py 3.16's `attrs['n'] = np.int64(7)`:
///
/// ```
/// use h5sink::format::{attribute::encode, dataspace, datatype::Datatype};
/// use h5sink::Error;
///
/// let dt = Datatype::Int { size: 8, signed: true }.encode();
/// let space = dataspace::encode(&[])?;
/// let body = encode("n", &dt, &space, &7i64.to_le_bytes())?;
/// // Version 1, reserved, name size 2 ("n" and NUL), datatype size 12,
/// // dataspace size 8: the unpadded sizes.
/// assert_eq!(body[..8], [1, 0, 2, 0, 12, 0, 8, 0]);
/// assert_eq!(body[8..16], *b"n\0\0\0\0\0\0\0");
/// // Datatype padded to 16, dataspace (8), then the value.
/// assert_eq!(body[16..28], dt[..]);
/// assert_eq!(body[40..], 7i64.to_le_bytes());
/// assert!(matches!(
///     encode("", &dt, &space, &7i64.to_le_bytes()),
///     Err(Error::InvalidName { .. })
/// ));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode(name: &str, datatype: &[u8], dataspace: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    if name.is_empty() {
        return Err(invalid_name(name, "an attribute name must not be empty"));
    }
    if name.contains('\0') {
        return Err(invalid_name(name, "an attribute name must not contain NUL"));
    }
    let name_size = len64(name.len()).saturating_add(1);
    let dt_size = len64(datatype.len());
    let ds_size = len64(dataspace.len());
    let total = [
        8,
        pad8(name_size),
        pad8(dt_size),
        pad8(ds_size),
        len64(data.len()),
    ]
    .iter()
    .fold(0u64, |acc, &n| acc.saturating_add(n));
    if total > MAX_MESSAGE_SIZE {
        return Err(Error::FieldOverflow {
            field: "attribute message size",
            value: total,
            max: MAX_MESSAGE_SIZE,
        });
    }
    // Each part is at most `total` <= 65528, so the u16 fields hold them.
    let u16_of = |n: u64| u16::try_from(n).unwrap_or(u16::MAX).to_le_bytes();
    let mut out = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    out.extend_from_slice(&[1, 0]); // version, reserved
    out.extend_from_slice(&u16_of(name_size));
    out.extend_from_slice(&u16_of(dt_size));
    out.extend_from_slice(&u16_of(ds_size));
    push_padded(&mut out, &[name.as_bytes(), &[0]]);
    push_padded(&mut out, &[datatype]);
    push_padded(&mut out, &[dataspace]);
    out.extend_from_slice(data);
    Ok(out)
}

/// Append `parts` back to back, then zeros up to a multiple of 8.
fn push_padded(out: &mut Vec<u8>, parts: &[&[u8]]) {
    let start = out.len();
    for part in parts {
        out.extend_from_slice(part);
    }
    let len = out.len() - start;
    out.resize(start + len.div_ceil(8) * 8, 0);
}

fn invalid_name(name: &str, reason: &'static str) -> Error {
    Error::InvalidName {
        name: name.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::datatype::Datatype;
    use crate::format::{dataspace, hex};

    // Attribute messages h5py 3.16 wrote on dataset `d` (padded to 8, as in
    // the object header): d.attrs['n'] = np.int64(7), ['v'] = [1.5, 2.5],
    // ['m'] = np.arange(6, dtype='i2').reshape(2, 3), ['units'] = 'kelvin',
    // ['flag'] = np.bool_(True), ['title'] = np.bytes_(b'abc'),
    // ['names'] = ['a', 'bc'].
    const A_N: &str = "01000200 0c000800 6e000000 00000000 10080000 08000000 00004000 00000000 \
                       01000000 00000000 07000000 00000000";
    const A_V: &str = "01000200 14001800 76000000 00000000 11203f00 08000000 00004000 340b0034 \
                       ff030000 00000000 01010100 00000000 02000000 00000000 02000000 00000000 \
                       00000000 0000f83f 00000000 00000440";
    const A_M: &str = "01000200 0c002800 6d000000 00000000 10080000 02000000 00001000 00000000 \
                       01020100 00000000 02000000 00000000 03000000 00000000 02000000 00000000 \
                       03000000 00000000 00000100 02000300 04000500 00000000";
    const A_UNITS: &str =
        "01000600 14000800 756e6974 73000000 19010100 10000000 10000000 01000000 \
                           00000800 00000000 01000000 00000000 06000000 0c080000 00000000 01000000";
    const A_FLAG: &str = "01000500 26000800 666c6167 00000000 18020000 01000000 10080000 01000000 \
                          00000800 46414c53 45000000 54525545 00000000 00010000 01000000 00000000 \
                          01000000 00000000";
    const A_TITLE: &str =
        "01000600 08000800 7469746c 65000000 13010000 03000000 01000000 00000000 \
                           61626300 00000000";
    const A_NAMES: &str =
        "01000600 14001800 6e616d65 73000000 19010100 10000000 10000000 01000000 \
                           00000800 00000000 01010100 00000000 02000000 00000000 02000000 00000000 \
                           01000000 0c080000 00000000 03000000 02000000 0c080000 00000000 02000000";

    /// `encode` zero-padded to 8, as the object header stores it.
    fn attr(name: &str, dt: Datatype, shape: &[u64], data: &[u8]) -> Vec<u8> {
        let space = dataspace::encode(shape).unwrap();
        let mut body = encode(name, &dt.encode(), &space, data).unwrap();
        body.resize(body.len().div_ceil(8) * 8, 0);
        body
    }

    /// A vlen element: length, collection address, object index.
    fn vlen_ref(len: u32, collection: u64, index: u32) -> Vec<u8> {
        let mut r = len.to_le_bytes().to_vec();
        r.extend_from_slice(&collection.to_le_bytes());
        r.extend_from_slice(&index.to_le_bytes());
        r
    }

    #[test]
    fn numeric() {
        let i64_ = Datatype::Int {
            size: 8,
            signed: true,
        };
        assert_eq!(attr("n", i64_, &[], &7i64.to_le_bytes()), hex(A_N));
        let v: Vec<u8> = [1.5f64, 2.5].iter().flat_map(|x| x.to_le_bytes()).collect();
        assert_eq!(attr("v", Datatype::Float { size: 8 }, &[2], &v), hex(A_V));
        let m: Vec<u8> = (0i16..6).flat_map(|x| x.to_le_bytes()).collect();
        let i16_ = Datatype::Int {
            size: 2,
            signed: true,
        };
        assert_eq!(attr("m", i16_, &[2, 3], &m), hex(A_M));
    }

    /// Scalar vlen UTF-8 string: 16-byte reference into a GCOL at 0x80c.
    #[test]
    fn vlen_string() {
        let got = attr("units", Datatype::VlenUtf8, &[], &vlen_ref(6, 0x80c, 1));
        assert_eq!(got, hex(A_UNITS));
        // The reference is the last 16 bytes, after 8 + 8 + 24 + 8.
        assert_eq!(got.len(), 64);
        assert_eq!(got[48..52], 6u32.to_le_bytes());
        // A list of str is a 1-D vlen string attribute.
        let mut refs = vlen_ref(1, 0x80c, 3);
        refs.extend(vlen_ref(2, 0x80c, 2));
        assert_eq!(attr("names", Datatype::VlenUtf8, &[2], &refs), hex(A_NAMES));
    }

    /// numpy bool (38-byte enum type, padded to 40) and `np.bytes_(b'abc')`.
    #[test]
    fn bool_and_fixed_string() {
        assert_eq!(attr("flag", Datatype::Bool, &[], &[1]), hex(A_FLAG));
        let s3 = Datatype::FixedString {
            size: 3,
            utf8: false,
        };
        let got = attr("title", s3, &[], b"abc");
        assert_eq!(got, hex(A_TITLE));
        // The digest's example: 35 bytes unpadded.
        let space = dataspace::encode(&[]).unwrap();
        assert_eq!(
            encode("title", &s3.encode(), &space, b"abc").unwrap().len(),
            35
        );
    }

    /// Names of 7 and 8 bytes: the NUL makes the second pad to 16.
    #[test]
    fn name_padding() {
        let u8_ = Datatype::Int {
            size: 1,
            signed: false,
        }
        .encode();
        let space = dataspace::encode(&[]).unwrap();
        let a = encode("abcdefg", &u8_, &space, &[9]).unwrap();
        assert_eq!(a[2..4], 8u16.to_le_bytes());
        assert_eq!(a[8..16], *b"abcdefg\0");
        assert_eq!(a.len(), 8 + 8 + 16 + 8 + 1);
        let b = encode("abcdefgh", &u8_, &space, &[9]).unwrap();
        assert_eq!(b[2..4], 9u16.to_le_bytes());
        assert_eq!(b[8..24], *b"abcdefgh\0\0\0\0\0\0\0\0");
        assert_eq!(b.len(), 8 + 16 + 16 + 8 + 1);
    }

    /// 65472 bytes of u8 under the name "a" make a 65528-byte body: the
    /// largest h5py 3.16 writes readably. One byte more is refused.
    #[test]
    fn size_limit() {
        let u8_ = Datatype::Int {
            size: 1,
            signed: false,
        }
        .encode();
        let ok = vec![0; 65472];
        let space = dataspace::encode(&[65472]).unwrap();
        assert_eq!(encode("a", &u8_, &space, &ok).unwrap().len(), 65528);
        let big = vec![0; 65473];
        let space = dataspace::encode(&[65473]).unwrap();
        match encode("a", &u8_, &space, &big) {
            Err(Error::FieldOverflow { field, value, max }) => {
                assert_eq!(field, "attribute message size");
                assert_eq!((value, max), (65529, 65528));
            }
            other => panic!("{other:?}"),
        }
        let huge = vec![0; 1 << 20];
        assert!(
            encode("a", &huge, &space, &[]).is_err(),
            "a huge datatype too"
        );
    }

    #[test]
    fn bad_names() {
        let dt = Datatype::Bool.encode();
        let space = dataspace::encode(&[]).unwrap();
        for name in ["", "a\0b"] {
            match encode(name, &dt, &space, &[0]) {
                Err(Error::InvalidName { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{other:?}"),
            }
        }
        assert!(
            encode("é", &dt, &space, &[0]).is_ok(),
            "UTF-8 names are bytes"
        );
    }
}
