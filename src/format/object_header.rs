//! Version 1 object headers. Spec notes: `spec-notes/object-header.md`.

use crate::error::Result;

/// Message type numbers used by h5sink.
pub mod kind {
    /// NIL (padding).
    pub const NIL: u16 = 0x00;
    /// Dataspace.
    pub const DATASPACE: u16 = 0x01;
    /// Datatype.
    pub const DATATYPE: u16 = 0x03;
    /// Fill Value (new form).
    pub const FILL_VALUE: u16 = 0x05;
    /// Data Layout.
    pub const LAYOUT: u16 = 0x08;
    /// Attribute.
    pub const ATTRIBUTE: u16 = 0x0C;
    /// Object Header Continuation.
    pub const CONTINUATION: u16 = 0x10;
    /// Symbol Table (old-style group).
    pub const SYMBOL_TABLE: u16 = 0x11;
}

/// Message flag bit 0: the message is constant.
pub const FLAG_CONSTANT: u8 = 0x01;

/// One header message: its type, flags and unpadded body.
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    /// Message type, see [`kind`].
    pub kind: u16,
    /// Message flags.
    pub flags: u8,
    /// Body bytes, unpadded; the encoder pads to 8.
    pub body: &'a [u8],
}

/// Total encoded size (16-byte prefix plus padded messages) of a header holding `msgs`.
pub fn size(msgs: &[Message<'_>]) -> Result<u64> {
    let _ = msgs;
    todo!()
}

/// Append a version 1 object header holding exactly `msgs` to `out`.
pub fn encode(out: &mut Vec<u8>, msgs: &[Message<'_>]) -> Result<()> {
    let _ = (out, msgs);
    todo!()
}
