//! Version 1 object headers. Spec notes: `spec-notes/object-header.md`.

use super::field::{self, len64};
use crate::error::Result;

/// Message type numbers used by h5sink.
pub mod kind {
    /// NIL (padding).
    pub const NIL: u16 = 0x00;
    /// Dataspace.
    pub const DATASPACE: u16 = 0x01;
    /// Datatype.
    pub const DATATYPE: u16 = 0x03;
    /// Fill Value, old form (size and value only). libhdf5 writes it after
    /// the new form whenever the user set a fill value.
    pub const FILL_VALUE_OLD: u16 = 0x04;
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

/// Bytes of the version 1 prefix (including its 4 trailing reserved bytes).
pub const PREFIX_SIZE: u64 = 16;
/// Bytes of each message's header (type, size, flags, 3 reserved).
pub const MESSAGE_HEADER_SIZE: u64 = 8;

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

/// The body size as stored: padded to 8 and checked against the u16 field.
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
pub fn size(msgs: &[Message<'_>]) -> Result<u64> {
    let data = field::u32_field("object header size", data_size(msgs)?)?;
    field::add("object header size", PREFIX_SIZE, u64::from(data))
}

/// Append a version 1 object header holding exactly `msgs` to `out`.
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
mod tests {
    use super::*;
    use crate::error::Error;

    /// The root group header of every h5py 3.16 file (TREE 0x88, HEAP 0x2a8).
    #[test]
    fn h5py_root_group_header() {
        let body = [0x88, 0, 0, 0, 0, 0, 0, 0, 0xa8, 0x02, 0, 0, 0, 0, 0, 0];
        let msgs = [Message {
            kind: kind::SYMBOL_TABLE,
            flags: 0,
            body: &body,
        }];
        let mut out = Vec::new();
        encode(&mut out, &msgs).unwrap();
        let mut want = vec![1, 0, 1, 0, 1, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0];
        want.extend_from_slice(&[0x11, 0, 0x10, 0, 0, 0, 0, 0]);
        want.extend_from_slice(&body);
        assert_eq!(out, want);
        assert_eq!(size(&msgs).unwrap(), 40);
    }

    /// Datatype i32 (12-byte body, flag constant) as in h5py's `x` dataset:
    /// `03 00 10 00 01 00 00 00 | 10 08 00 00 04 00 00 00 00 00 20 00 | 00 00 00 00`.
    #[test]
    fn pads_body_and_declared_size() {
        let body = [0x10, 0x08, 0, 0, 4, 0, 0, 0, 0, 0, 0x20, 0];
        let msgs = [Message {
            kind: kind::DATATYPE,
            flags: FLAG_CONSTANT,
            body: &body,
        }];
        let mut out = Vec::new();
        encode(&mut out, &msgs).unwrap();
        let tail = [
            3, 0, 16, 0, 1, 0, 0, 0, 0x10, 8, 0, 0, 4, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0,
        ];
        assert_eq!(&out[16..], &tail[..]);
        assert_eq!(
            &out[..16],
            &[1, 0, 1, 0, 1, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn size_matches_encode() {
        let bodies: Vec<Vec<u8>> = (0..20).map(|n| vec![0xAB; n * 3]).collect();
        let msgs: Vec<Message<'_>> = bodies
            .iter()
            .map(|b| Message {
                kind: kind::NIL,
                flags: 0,
                body: b,
            })
            .collect();
        for n in 0..msgs.len() {
            let mut out = vec![0xEE; 5];
            encode(&mut out, &msgs[..n]).unwrap();
            assert_eq!(len64(out.len() - 5), size(&msgs[..n]).unwrap());
            assert_eq!((out.len() - 5) % 8, 0);
        }
    }

    #[test]
    fn message_size_limit() {
        let ok = vec![0; 65528];
        let msgs = [Message {
            kind: kind::ATTRIBUTE,
            flags: 0,
            body: &ok,
        }];
        assert_eq!(size(&msgs).unwrap(), 16 + 8 + 65528);
        let big = vec![0; 65529];
        let msgs = [Message {
            kind: kind::ATTRIBUTE,
            flags: 0,
            body: &big,
        }];
        let err = encode(&mut Vec::new(), &msgs).unwrap_err();
        match err {
            Error::FieldOverflow { field, value, max } => {
                assert_eq!(field, "object header message size");
                assert_eq!((value, max), (65536, 65535));
            }
            other => panic!("{other}"),
        }
        assert!(size(&msgs).is_err());
    }

    #[test]
    fn message_count_limit() {
        let msgs = vec![
            Message {
                kind: kind::NIL,
                flags: 0,
                body: &[]
            };
            65536
        ];
        let err = encode(&mut Vec::new(), &msgs).unwrap_err().to_string();
        assert!(err.contains("object header message count"), "{err}");
        assert!(encode(&mut Vec::new(), &msgs[..65535]).is_ok());
    }
}
