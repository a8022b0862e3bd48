//! Version 1 object headers. Spec notes: `spec-notes/object-header.md`.
//!
//! # Examples
//!
//! A contiguous dataset's header: encode each message body, wrap the bodies
//! in [`Message`]s, then [`size`] tells where the data can go and
//! [`encode`] appends the header.
//!
//! ```
//! use h5sink::format::object_header::{self, kind, Message, FLAG_CONSTANT};
//! use h5sink::format::{dataspace, datatype::Datatype, layout};
//!
//! let space = dataspace::encode(&[3])?;
//! let dt = Datatype::Int { size: 4, signed: true }.encode();
//! let layout = layout::contiguous(0x1000, 12);
//! let msgs = [
//!     Message { kind: kind::DATASPACE, flags: 0, body: &space },
//!     Message { kind: kind::DATATYPE, flags: FLAG_CONSTANT, body: &dt },
//!     Message { kind: kind::LAYOUT, flags: 0, body: &layout },
//! ];
//! let mut out = Vec::new();
//! object_header::encode(&mut out, &msgs)?;
//! assert_eq!(out.len() as u64, object_header::size(&msgs)?);
//! assert_eq!(out.len(), 16 + (8 + 24) + (8 + 16) + (8 + 24)); // bodies padded to 8
//! assert_eq!(&out[..4], &[1, 0, 3, 0]); // version 1, reserved, 3 messages
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::field::{self, len64};
use crate::error::Result;

/// Message type numbers used by h5sink.
///
/// # Examples
///
/// The type is the first field (u16) of each message's 8-byte header; walking
/// the header by `type, size` reads the kinds back in order:
///
/// ```
/// use h5sink::format::object_header::{encode, kind, Message};
///
/// let msgs = [
///     Message { kind: kind::DATASPACE, flags: 0, body: &[0; 24] },
///     Message { kind: kind::DATATYPE, flags: 1, body: &[0; 12] },
///     Message { kind: kind::LAYOUT, flags: 0, body: &[0; 18] },
/// ];
/// let mut out = Vec::new();
/// encode(&mut out, &msgs)?;
/// let (mut at, mut kinds) = (16, Vec::new());
/// while at < out.len() {
///     kinds.push(u16::from_le_bytes([out[at], out[at + 1]]));
///     at += 8 + usize::from(u16::from_le_bytes([out[at + 2], out[at + 3]]));
/// }
/// assert_eq!(kinds, [0x01, 0x03, 0x08]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub mod kind {
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
}

/// Message flag bit 0: the message is constant.
///
/// # Examples
///
/// The flags are byte 4 of each message header. h5py marks the Datatype
/// constant but not the Dataspace:
///
/// ```
/// use h5sink::format::object_header::{encode, kind, Message, FLAG_CONSTANT};
///
/// let space = Message { kind: kind::DATASPACE, flags: 0, body: &[0; 24] };
/// let dt = Message { kind: kind::DATATYPE, flags: FLAG_CONSTANT, body: &[0; 12] };
/// let mut out = Vec::new();
/// encode(&mut out, &[space, dt])?;
/// assert_eq!(out[16 + 4], 0);
/// assert_eq!(out[16 + 32 + 4], FLAG_CONSTANT); // second message at 16 + 8 + 24
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const FLAG_CONSTANT: u8 = 0x01;

/// Bytes of the version 1 prefix (including its 4 trailing reserved bytes).
///
/// # Examples
///
/// A header without messages is the bare prefix, with a count and size of 0:
///
/// ```
/// use h5sink::format::object_header::{encode, size, PREFIX_SIZE};
///
/// let mut out = Vec::new();
/// encode(&mut out, &[])?;
/// assert_eq!(out.len() as u64, PREFIX_SIZE);
/// assert_eq!(size(&[])?, PREFIX_SIZE);
/// assert_eq!(out, [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const PREFIX_SIZE: u64 = 16;
/// Bytes of each message's header (type, size, flags, 3 reserved).
///
/// # Examples
///
/// Each message costs its header plus its body padded to 8, so an empty
/// message is just the header:
///
/// ```
/// use h5sink::format::object_header::{size, kind, Message, MESSAGE_HEADER_SIZE, PREFIX_SIZE};
///
/// let nil = |body| Message { kind: kind::NIL, flags: 0, body };
/// assert_eq!(size(&[nil(&[])])?, PREFIX_SIZE + MESSAGE_HEADER_SIZE);
/// assert_eq!(size(&[nil(&[0; 9])])?, PREFIX_SIZE + MESSAGE_HEADER_SIZE + 16);
/// assert_eq!(size(&[nil(&[]), nil(&[])])?, PREFIX_SIZE + 2 * MESSAGE_HEADER_SIZE);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MESSAGE_HEADER_SIZE: u64 = 8;

/// One header message: its type, flags and unpadded body.
///
/// # Examples
///
/// The body is given unpadded; the encoder stores the padded size and the
/// zeros:
///
/// ```
/// use h5sink::format::object_header::{encode, kind, Message};
///
/// let msg = Message { kind: kind::NIL, flags: 0, body: &[0xAB; 3] };
/// let mut out = Vec::new();
/// encode(&mut out, &[msg])?;
/// assert_eq!(&out[18..20], &8u16.to_le_bytes()); // stored size: 3 padded to 8
/// assert_eq!(&out[24..], &[0xAB, 0xAB, 0xAB, 0, 0, 0, 0, 0]);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    /// Message type, see [`kind`].
    pub kind: u16,
    /// Message flags.
    pub flags: u8,
    /// Body bytes, unpadded; the encoder pads to 8.
    pub body: &'a [u8],
}

/// The body size as stored: padded to 8 and checked against the u16 field,
/// so at most 65528 for any message. That limit is named only where users
/// meet it: `attribute::MAX_MESSAGE_SIZE` (the same bound), and the
/// fill-value and compact-layout sizes derived from it.
fn padded_body(msg: &Message<'_>) -> Result<u16> {
    let padded = field::pad8("object header message size", len64(msg.body.len()))?;
    field::u16_field("object header message size", padded)
}

/// Bytes of message data after the prefix (the prefix's "header size").
fn data_size(msgs: &[Message<'_>]) -> Result<u64> {
    let mut total = 0u64;
    for msg in msgs {
        let one = MESSAGE_HEADER_SIZE + u64::from(padded_body(msg)?);
        total = field::add("object header size", total, one)?;
    }
    Ok(total)
}

/// Total encoded size (16-byte prefix plus padded messages) of a header holding `msgs`.
///
/// # Examples
///
/// The size does not depend on the addresses inside the bodies, so a
/// placeholder layout tells where the data right after the header will go:
///
/// ```
/// use h5sink::format::{field::UNDEF_ADDR, layout};
/// use h5sink::format::object_header::{self, kind, Message};
///
/// let header_at = 0x420;
/// let placeholder = layout::contiguous(UNDEF_ADDR, 12);
/// let msg = |body| Message { kind: kind::LAYOUT, flags: 0, body };
/// let data_at = header_at + object_header::size(&[msg(&placeholder)])?;
/// let real = layout::contiguous(data_at, 12);
/// let mut out = Vec::new();
/// object_header::encode(&mut out, &[msg(&real)])?;
/// assert_eq!(header_at + out.len() as u64, data_at);
/// assert_eq!(data_at, 0x420 + 16 + 8 + 24);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn size(msgs: &[Message<'_>]) -> Result<u64> {
    let data = field::u32_field("object header size", data_size(msgs)?)?;
    field::add("object header size", PREFIX_SIZE, u64::from(data))
}

/// Append a version 1 object header holding exactly `msgs` to `out`.
///
/// # Examples
///
/// The padded body must fit the u16 size field: 65528 bytes is the most; one
/// more is refused and nothing is appended.
///
/// ```
/// use h5sink::format::object_header::{encode, kind, Message};
///
/// let (largest, too_big) = (vec![0; 65528], vec![0; 65529]);
/// let attr = |body| Message { kind: kind::ATTRIBUTE, flags: 0, body };
/// let mut out = Vec::new();
/// encode(&mut out, &[attr(&largest)])?;
/// assert_eq!(&out[18..20], &65528u16.to_le_bytes());
/// let err = encode(&mut out, &[attr(&too_big)]);
/// let field = "object header message size";
/// assert!(matches!(err, Err(h5sink::Error::FieldOverflow { field: f, .. }) if f == field));
/// assert_eq!(out.len(), 16 + 8 + 65528);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode(out: &mut Vec<u8>, msgs: &[Message<'_>]) -> Result<()> {
    let count = field::u16_field("object header message count", len64(msgs.len()))?;
    let data = field::u32_field("object header size", data_size(msgs)?)?;
    out.push(1); // version
    out.push(0); // reserved
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes()); // object reference count
    out.extend_from_slice(&data.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // reserved: aligns the messages to 8
    for msg in msgs {
        let padded = padded_body(msg)?;
        out.extend_from_slice(&msg.kind.to_le_bytes());
        out.extend_from_slice(&padded.to_le_bytes());
        out.push(msg.flags);
        out.extend_from_slice(&[0; 3]);
        out.extend_from_slice(msg.body);
        let pad = usize::from(padded).saturating_sub(msg.body.len());
        out.resize(out.len() + pad, 0);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
