//! Header messages as plain data: what an object header holds, before
//! addresses are known. Loaded objects keep the messages they were read
//! with, so a commit rewrites what h5sink does not interpret byte for byte.
//! Spec notes: `spec-notes/object-header.md`.

use crate::format::object_header::Message;

/// An owned header message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Msg {
    pub kind: u16,
    pub flags: u8,
    pub body: Vec<u8>,
}

impl Msg {
    pub fn new(kind: u16, flags: u8, body: Vec<u8>) -> Self {
        Msg { kind, flags, body }
    }

    pub fn as_message(&self) -> Message<'_> {
        Message {
            kind: self.kind,
            flags: self.flags,
            body: &self.body,
        }
    }
}
