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

mod decode;
pub mod kind;
pub use decode::{
    check_count, decode, decode_continuation, decode_messages, decode_prefix, Block, Continuation,
    Header, Prefix, RawMessage,
};

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
    encode_linked(out, msgs, 1)
}

/// [`encode`] for an object that `links` hard links name: the header's
/// object reference count, which libhdf5 decrements when a name is removed
/// and frees the object at zero.
///
/// # Examples
///
/// A dataset reached by two names (h5py's `f["b"] = f["a"]`) has the count 2
/// at bytes 4..8:
///
/// ```
/// use h5sink::format::object_header::{encode, encode_linked};
///
/// let (mut one, mut two) = (Vec::new(), Vec::new());
/// encode(&mut one, &[])?;
/// encode_linked(&mut two, &[], 2)?;
/// assert_eq!(one[4..8], 1u32.to_le_bytes());
/// assert_eq!(two[4..8], 2u32.to_le_bytes());
/// assert_eq!(one[8..], two[8..]);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode_linked(out: &mut Vec<u8>, msgs: &[Message<'_>], links: u32) -> Result<()> {
    let count = field::u16_field("object header message count", len64(msgs.len()))?;
    let data = field::u32_field("object header size", data_size(msgs)?)?;
    out.push(1); // version
    out.push(0); // reserved
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&links.to_le_bytes()); // object reference count
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
