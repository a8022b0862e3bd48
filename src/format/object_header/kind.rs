//! Message type numbers used by h5sink.
//!
//! # Examples
//!
//! The type is the first field (u16) of each message's 8-byte header; walking
//! the header by `type, size` reads the kinds back in order:
//!
//! ```
//! use h5sink::format::object_header::{encode, kind, Message};
//!
//! let msgs = [
//!     Message { kind: kind::DATASPACE, flags: 0, body: &[0; 24] },
//!     Message { kind: kind::DATATYPE, flags: 1, body: &[0; 12] },
//!     Message { kind: kind::LAYOUT, flags: 0, body: &[0; 18] },
//! ];
//! let mut out = Vec::new();
//! encode(&mut out, &msgs)?;
//! let (mut at, mut kinds) = (16, Vec::new());
//! while at < out.len() {
//!     kinds.push(u16::from_le_bytes([out[at], out[at + 1]]));
//!     at += 8 + usize::from(u16::from_le_bytes([out[at + 2], out[at + 3]]));
//! }
//! assert_eq!(kinds, [0x01, 0x03, 0x08]);
//! # Ok::<(), h5sink::Error>(())
//! ```
//! Spec notes: `spec-notes/object-header.md`.

/// NIL (padding).
///
/// # Examples
///
/// A NIL message reserves room, as libhdf5's filler that rounds dataset
/// headers up to 256 bytes of messages (h5sink itself writes none):
///
/// ```
/// use h5sink::format::{dataspace, object_header::{encode, kind, Message}};
///
/// let space = dataspace::encode(&[3])?; // 24 bytes: message of 8 + 24
/// let filler = vec![0; 256 - 32 - 8];
/// let msg = |k, body| Message { kind: k, flags: 0, body };
/// let mut out = Vec::new();
/// encode(&mut out, &[msg(kind::DATASPACE, &space), msg(kind::NIL, &filler)])?;
/// assert_eq!(&out[8..12], &256u32.to_le_bytes()); // header size field
/// assert_eq!(&out[48..50], &kind::NIL.to_le_bytes()); // 16 + 32
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const NIL: u16 = 0x00;
/// Dataspace.
///
/// # Examples
///
/// h5py's `(3,)` dataspace message: type 1, size 24, flags 0.
///
/// ```
/// use h5sink::format::{dataspace, object_header::{encode, kind, Message}};
///
/// let body = dataspace::encode(&[3])?;
/// let mut out = Vec::new();
/// encode(&mut out, &[Message { kind: kind::DATASPACE, flags: 0, body: &body }])?;
/// assert_eq!(&out[16..24], &[0x01, 0, 24, 0, 0, 0, 0, 0]);
/// assert_eq!(&out[24..], &body[..]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const DATASPACE: u16 = 0x01;
/// Datatype.
///
/// # Examples
///
/// An `i4` datatype as h5py writes it: flag constant, 12-byte body padded to 16.
///
/// ```
/// use h5sink::format::datatype::Datatype;
/// use h5sink::format::object_header::{encode, kind, Message, FLAG_CONSTANT};
///
/// let body = Datatype::Int { size: 4, signed: true }.encode();
/// let mut out = Vec::new();
/// encode(&mut out, &[Message { kind: kind::DATATYPE, flags: FLAG_CONSTANT, body: &body }])?;
/// assert_eq!(&out[16..24], &[0x03, 0, 16, 0, 1, 0, 0, 0]);
/// assert_eq!(&out[24..], &[0x10, 8, 0, 0, 4, 0, 0, 0, 0, 0, 32, 0, 0, 0, 0, 0]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const DATATYPE: u16 = 0x03;
/// Fill Value, old form (size and value only). libhdf5 writes it after
/// the new form whenever the user set a fill value.
///
/// # Examples
///
/// The old message for an `i4` fill value of -1 (h5py 3.16 bytes):
///
/// ```
/// use h5sink::format::fill_value;
/// use h5sink::format::object_header::{encode, kind, Message, FLAG_CONSTANT};
///
/// let body = fill_value::encode_old(&(-1i32).to_le_bytes());
/// let msg = Message { kind: kind::FILL_VALUE_OLD, flags: FLAG_CONSTANT, body: &body };
/// let mut out = Vec::new();
/// encode(&mut out, &[msg])?;
/// assert_eq!(&out[16..24], &[0x04, 0, 8, 0, 1, 0, 0, 0]);
/// assert_eq!(&out[24..], &[4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const FILL_VALUE_OLD: u16 = 0x04;
/// Fill Value (new form).
///
/// # Examples
///
/// The library default fill (allocation late, fill if set), flag constant:
///
/// ```
/// use h5sink::format::fill_value::{encode_default, AllocTime, FillTime};
/// use h5sink::format::object_header::{encode, kind, Message, FLAG_CONSTANT};
///
/// let body = encode_default(AllocTime::Late, FillTime::IfSet);
/// let msg = Message { kind: kind::FILL_VALUE, flags: FLAG_CONSTANT, body: &body };
/// let mut out = Vec::new();
/// encode(&mut out, &[msg])?;
/// assert_eq!(&out[16..24], &[0x05, 0, 8, 0, 1, 0, 0, 0]);
/// assert_eq!(&out[24..28], &[2, 2, 2, 1]); // version 2, late, if set, defined
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const FILL_VALUE: u16 = 0x05;
/// Data Layout.
///
/// # Examples
///
/// A compact layout carries the data inside the header (four `i4`, as
/// h5py 3.16 writes them):
///
/// ```
/// use h5sink::format::{layout, object_header::{encode, kind, Message}};
///
/// let data: Vec<u8> = (0i32..4).flat_map(|v| v.to_le_bytes()).collect();
/// let body = layout::compact(&data)?; // 4 + 16 bytes, padded to 24
/// let mut out = Vec::new();
/// encode(&mut out, &[Message { kind: kind::LAYOUT, flags: 0, body: &body }])?;
/// assert_eq!(&out[16..24], &[0x08, 0, 24, 0, 0, 0, 0, 0]);
/// assert_eq!(&out[28..44], &data[..]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const LAYOUT: u16 = 0x08;
/// Attribute.
///
/// # Examples
///
/// A scalar `i4` attribute `a` = 7 (one message per attribute, flags 0):
///
/// ```
/// use h5sink::format::{attribute, dataspace, datatype::Datatype};
/// use h5sink::format::object_header::{encode, kind, Message};
///
/// let dt = Datatype::Int { size: 4, signed: true }.encode();
/// let body = attribute::encode("a", &dt, &dataspace::encode(&[])?, &7i32.to_le_bytes())?;
/// assert_eq!(body.len(), 8 + 8 + 16 + 8 + 4); // prefix, name, type, space, data
/// let mut out = Vec::new();
/// encode(&mut out, &[Message { kind: kind::ATTRIBUTE, flags: 0, body: &body }])?;
/// assert_eq!(&out[16..24], &[0x0C, 0, 48, 0, 0, 0, 0, 0]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const ATTRIBUTE: u16 = 0x0C;
/// Object Header Continuation.
///
/// # Examples
///
/// h5sink writes each header as one block, but a header split by libhdf5
/// points at its next block with this message: address, then length.
///
/// ```
/// use h5sink::format::object_header::{encode, kind, Message};
///
/// let mut body = 0x2000u64.to_le_bytes().to_vec(); // block address
/// body.extend_from_slice(&512u64.to_le_bytes()); // block length
/// let mut out = Vec::new();
/// encode(&mut out, &[Message { kind: kind::CONTINUATION, flags: 0, body: &body }])?;
/// assert_eq!(&out[16..20], &[0x10, 0, 16, 0]);
/// assert_eq!(&out[24..32], &0x2000u64.to_le_bytes());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const CONTINUATION: u16 = 0x10;
/// Symbol Table (old-style group).
///
/// # Examples
///
/// The whole root group header of an h5py 3.16 file (B-tree at 0x88, heap
/// at 0x2a8): the prefix, then the single message.
///
/// ```
/// use h5sink::format::{object_header::{encode, kind, Message}, symbol_table};
///
/// let body = symbol_table::encode(0x88, 0x2a8);
/// let mut out = Vec::new();
/// encode(&mut out, &[Message { kind: kind::SYMBOL_TABLE, flags: 0, body: &body }])?;
/// let prefix = [1, 0, 1, 0, 1, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0]; // 1 message, 24 bytes
/// assert_eq!(&out[..16], &prefix);
/// assert_eq!(&out[16..24], &[0x11, 0, 16, 0, 0, 0, 0, 0]); // type 0x11, size 16, flags 0
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const SYMBOL_TABLE: u16 = 0x11;
