//! Decoding version 1 object headers: the prefix, then the messages of the
//! first block and of each continuation block (see
//! `spec-notes/object-header.md`, "What we read").

use super::{kind, MESSAGE_HEADER_SIZE, PREFIX_SIZE};
use crate::error::{Error, Result};
use crate::format::reader::Reader;

const STRUCTURE: &str = "object header";

/// The 16-byte prefix of a version 1 object header.
///
/// # Examples
///
/// ```
/// use h5sink::format::object_header::{decode_prefix, Prefix};
///
/// let bytes = [1, 0, 1, 0, 1, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0];
/// let p = decode_prefix(&bytes, 0x60, 1188)?;
/// assert_eq!(p, Prefix { message_count: 1, refcount: 1, data_size: 24 });
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefix {
    /// Messages in all blocks of the header, NIL and continuation
    /// messages included (libhdf5 wraps it past 65535: see [`check_count`]).
    pub message_count: u16,
    /// Object reference count (hard links to the object).
    pub refcount: u32,
    /// Bytes of messages in the first block, after the 16-byte prefix.
    pub data_size: u32,
}

/// One message as stored, its body kept byte for byte (padding included),
/// so unknown messages can be rewritten unchanged.
///
/// # Examples
///
/// ```
/// use h5sink::format::object_header::{self, kind, Message};
///
/// let body = h5sink::format::symbol_table::encode(0x88, 0x2a8);
/// let mut bytes = Vec::new();
/// object_header::encode(&mut bytes, &[Message { kind: kind::SYMBOL_TABLE, flags: 0, body: &body }])?;
/// let h = object_header::decode(&bytes, 0x60, 1188)?;
/// let m = &h.block.messages[0];
/// assert_eq!((m.kind, m.flags, m.offset), (kind::SYMBOL_TABLE, 0, 0x60 + 16 + 8));
/// assert_eq!(m.body, body);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawMessage {
    /// Message type (see [`kind`]).
    pub kind: u16,
    /// Message flags (bit 0: constant, bit 1: shared, ...), unchecked.
    pub flags: u8,
    /// The body: the stored size (a multiple of 8), padding included.
    pub body: Vec<u8>,
    /// File offset of the body: the `base` for the body's decoder.
    pub offset: u64,
}

/// Where a header continues: a block of `length` bytes of messages at
/// `address` (version 1 blocks have no prefix: decode them with
/// [`decode_messages`]).
///
/// # Examples
///
/// ```
/// use h5sink::format::object_header::{decode_continuation, Continuation};
///
/// let mut body = 0x800u64.to_le_bytes().to_vec();
/// body.extend_from_slice(&256u64.to_le_bytes());
/// let c = decode_continuation(&body, 0x3a0, 4096)?;
/// assert_eq!(c, Continuation { address: 0x800, length: 256 });
/// assert!(decode_continuation(&body, 0x3a0, 0x8ff).is_err()); // ends past the EOF
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Continuation {
    /// File address of the continuation block.
    pub address: u64,
    /// Its length in bytes.
    pub length: u64,
}

/// The messages of one block of a header, in stored order.
///
/// # Examples
///
/// See [`decode_messages`].
///
/// ```
/// let b = h5sink::format::object_header::decode_messages(&[], 0, 1)?;
/// assert!(b.messages.is_empty() && b.continuations.is_empty() && b.found == 0);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Block {
    /// The messages, except NIL (type 0) and continuation (type 0x10) ones.
    pub messages: Vec<RawMessage>,
    /// The continuation messages, decoded, for the caller to fetch.
    pub continuations: Vec<Continuation>,
    /// All messages of the block, NIL and continuation ones included (what
    /// the prefix's message count counts).
    pub found: usize,
}

/// A decoded version 1 object header: its prefix and first block.
///
/// # Examples
///
/// See [`decode`].
///
/// ```
/// let bytes = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// let h = h5sink::format::object_header::decode(&bytes, 0x60, 200)?;
/// assert_eq!((h.prefix.message_count, h.block.found), (0, 0));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The 16-byte prefix.
    pub prefix: Prefix,
    /// The messages of the first block (the prefix's `data_size` bytes).
    pub block: Block,
}

/// Decode the 16-byte prefix of a version 1 object header at `base`, so the
/// caller knows how many bytes to read (16 + `data_size`).
///
/// Unsupported: a version 2 header (signature `OHDR`). Malformed: a
/// version other than 1, a first block ending past `eof`, fewer than 16
/// bytes.
///
/// # Examples
///
/// ```
/// use h5sink::{format::object_header::decode_prefix, Error};
///
/// let v2 = b"OHDR\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
/// assert!(matches!(decode_prefix(v2, 0x30, 800), Err(Error::Unsupported { offset: 0x30, .. })));
/// let big = [1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]; // 256 bytes of messages
/// assert!(decode_prefix(&big, 0x60, 0x60 + 16 + 256).is_ok());
/// assert!(matches!(decode_prefix(&big, 0x60, 0x60 + 16 + 255), Err(Error::Malformed { offset: 0x68, .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_prefix(bytes: &[u8], base: u64, eof: u64) -> Result<Prefix> {
    let mut r = Reader::new(bytes, base, STRUCTURE);
    if bytes.get(..4) == Some(&b"OHDR"[..]) {
        return Err(Error::Unsupported {
            structure: STRUCTURE,
            offset: base,
            detail:
                "version 2 object header (signature OHDR); h5sink reads version 1 object headers"
                    .into(),
        });
    }
    let version = r.u8()?;
    if version != 1 {
        return Err(
            Reader::new(bytes, base, STRUCTURE).error(format!("version {version}, expected 1"))
        );
    }
    r.skip(1)?;
    let message_count = r.u16()?;
    let refcount = r.u32()?;
    let at = r.offset();
    let data_size = r.u32()?;
    r.skip(4)?;
    let end = base
        .checked_add(PREFIX_SIZE)
        .and_then(|v| v.checked_add(u64::from(data_size)));
    if end.map_or(true, |end| end > eof) {
        return Err(Error::Malformed {
            structure: STRUCTURE,
            offset: at,
            reason: format!(
                "header data size {data_size} ends past the end of the file ({eof} bytes)"
            ),
        });
    }
    Ok(Prefix {
        message_count,
        refcount,
        data_size,
    })
}

/// Decode a version 1 object header at file offset `base`: the prefix
/// ([`decode_prefix`]) and the messages of its first block ([`decode_messages`]).
/// `bytes` must hold at least 16 + `data_size` bytes; bytes after them are
/// ignored. Continuation blocks are listed in `block.continuations` for
/// the caller to read and decode with [`decode_messages`]; once all are
/// read, [`check_count`] compares the found messages with the prefix.
///
/// # Examples
///
/// h5py's root group header: one Symbol Table message:
///
/// ```
/// use h5sink::format::object_header::{decode, kind};
///
/// let mut bytes = vec![1, 0, 1, 0, 1, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0];
/// bytes.extend_from_slice(&[0x11, 0, 0x10, 0, 0, 0, 0, 0]);
/// bytes.extend_from_slice(&0x88u64.to_le_bytes());
/// bytes.extend_from_slice(&0x2a8u64.to_le_bytes());
/// let h = decode(&bytes, 0x60, 1188)?;
/// assert_eq!((h.prefix.message_count, h.prefix.refcount), (1, 1));
/// assert_eq!(h.block.messages.len(), 1);
/// assert_eq!(h.block.messages[0].kind, kind::SYMBOL_TABLE);
/// assert!(decode(&bytes[..39], 0x60, 1188).is_err()); // truncated
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode(bytes: &[u8], base: u64, eof: u64) -> Result<Header> {
    let prefix = decode_prefix(bytes, base, eof)?;
    let mut r = Reader::new(bytes, base, STRUCTURE);
    r.skip(16)?;
    let data = r.bytes(prefix.data_size as usize)?;
    let block = decode_messages(data, base.saturating_add(PREFIX_SIZE), eof)?;
    Ok(Header { prefix, block })
}

/// Decode the messages of one block of a version 1 header at file offset
/// `base`: the bytes after the prefix, or a whole continuation block.
///
/// NIL messages (type 0) are counted and skipped; continuation messages
/// (type 0x10) are decoded into `continuations`; every other message is
/// kept as stored. Malformed: a message size that is not a multiple of 8
/// or runs past the block, 1 to 7 bytes left after the last message, a bad
/// continuation ([`decode_continuation`]).
///
/// # Examples
///
/// A continuation block with a NIL message and one pointing further on:
///
/// ```
/// use h5sink::format::object_header::{decode_messages, Continuation};
///
/// let mut block = vec![0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // NIL, 8 bytes
/// block.extend_from_slice(&[0x10, 0, 16, 0, 0, 0, 0, 0]);
/// block.extend_from_slice(&0x900u64.to_le_bytes());
/// block.extend_from_slice(&64u64.to_le_bytes());
/// let b = decode_messages(&block, 0x800, 0x1000)?;
/// assert_eq!((b.found, b.messages.len()), (2, 0));
/// assert_eq!(b.continuations, [Continuation { address: 0x900, length: 64 }]);
/// block[2] = 9; // not a multiple of 8
/// assert!(decode_messages(&block, 0x800, 0x1000).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_messages(bytes: &[u8], base: u64, eof: u64) -> Result<Block> {
    let mut r = Reader::new(bytes, base, STRUCTURE);
    let mut block = Block::default();
    // Each pass reads at least the 8-byte message header: at most len / 8 passes.
    while r.remaining() >= MESSAGE_HEADER_SIZE as usize {
        let kind = r.u16()?;
        let at = r.position();
        let size = r.u16()?;
        let flags = r.u8()?;
        r.skip(3)?;
        if size % 8 != 0 {
            r.seek(at)?;
            return Err(r.error(format!("message size {size} is not a multiple of 8")));
        }
        let offset = r.offset();
        let body = r.bytes(usize::from(size))?;
        block.found += 1;
        match kind {
            kind::NIL => {}
            kind::CONTINUATION => block
                .continuations
                .push(decode_continuation(body, offset, eof)?),
            _ => block.messages.push(RawMessage {
                kind,
                flags,
                body: body.to_vec(),
                offset,
            }),
        }
    }
    if !r.is_empty() {
        return Err(r.error(format!("{} bytes after the last message", r.remaining())));
    }
    Ok(block)
}

/// Decode a continuation message's body (at file offset `base`): the
/// block's address and length.
///
/// Malformed: an undefined address, a length of 0, a block ending past
/// `eof`, fewer than 16 bytes.
///
/// # Examples
///
/// ```
/// use h5sink::format::object_header::decode_continuation;
///
/// let body = [0xff; 16]; // undefined address
/// assert!(decode_continuation(&body, 0x3a0, 4096).is_err());
/// ```
pub fn decode_continuation(body: &[u8], base: u64, eof: u64) -> Result<Continuation> {
    let mut r = Reader::new(body, base, "object header continuation message");
    let Some(address) = r.address(eof)? else {
        return Err(
            Reader::new(body, base, "object header continuation message")
                .error("continuation block address is undefined"),
        );
    };
    let at = r.position();
    let length = r.u64()?;
    if length == 0 || length > eof - address {
        r.seek(at)?;
        return Err(r.error(format!(
            "continuation block of {length} bytes at {address} is empty or ends past the end of the file ({eof} bytes)"
        )));
    }
    Ok(Continuation { address, length })
}

/// Compare the prefix's message count with the messages `found` in all
/// blocks (NIL and continuation messages included), at the header's
/// address `base`. libhdf5 stores the count modulo 65536 (a header of
/// 70007 messages says 4471), so the comparison is modulo 65536 too.
///
/// # Examples
///
/// ```
/// use h5sink::format::object_header::check_count;
///
/// assert!(check_count(5, 5, 0x400).is_ok());
/// assert!(check_count(4471, 70007, 0x400).is_ok());
/// assert!(check_count(3, 4, 0x400).is_err());
/// ```
pub fn check_count(declared: u16, found: usize, base: u64) -> Result<()> {
    if found % 65536 == usize::from(declared) {
        return Ok(());
    }
    Err(Error::Malformed {
        structure: STRUCTURE,
        offset: base.saturating_add(2),
        reason: format!("message count {declared}, but the header's blocks hold {found} messages"),
    })
}

#[cfg(test)]
mod tests;
