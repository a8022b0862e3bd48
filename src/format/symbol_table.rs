//! Symbol Table message: [`encode`] and [`decode`]. Spec notes: `spec-notes/symbol-table.md`.
//!
//! # Examples
//!
//! An old-style group's object header holds this single message (flags 0),
//! pointing at the group's B-tree and local heap:
//!
//! ```
//! use h5sink::format::object_header::{self, kind, Message};
//! use h5sink::format::symbol_table;
//!
//! let body = symbol_table::encode(0x88, 0x2a8);
//! let msg = Message { kind: kind::SYMBOL_TABLE, flags: 0, body: &body };
//! let mut header = Vec::new();
//! object_header::encode(&mut header, &[msg])?;
//! assert_eq!(header.len(), 40); // h5py's root group header: 0x60..0x88
//! assert_eq!(header[16..18], [0x11, 0]);
//! assert_eq!(header[24..], body[..]);
//! # Ok::<(), h5sink::Error>(())
//! ```

use crate::error::Result;
use crate::format::reader::Reader;

/// Body of a Symbol Table message: the group's B-tree and local heap addresses.
///
/// # Examples
///
/// The same two addresses, in the same order, as the scratch pad of the
/// group's symbol table entry (for the root: the superblock's last 16 bytes):
///
/// ```
/// use h5sink::format::{superblock::Superblock, symbol_table};
///
/// let body = symbol_table::encode(0x88, 0x2a8);
/// assert_eq!(body, [0x88, 0, 0, 0, 0, 0, 0, 0, 0xa8, 2, 0, 0, 0, 0, 0, 0]);
/// let sb = Superblock { eof: 1188, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
/// assert_eq!(sb.encode()[80..], body[..]);
/// ```
pub fn encode(btree: u64, heap: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    out.extend_from_slice(&btree.to_le_bytes());
    out.extend_from_slice(&heap.to_le_bytes());
    out
}

/// Decode a Symbol Table message body (at file offset `base`, as in
/// [`RawMessage::offset`](crate::format::object_header::RawMessage)): the
/// group's B-tree and local heap addresses, as [`encode`] takes them.
/// Bytes after the 16 (padding) are ignored.
///
/// Malformed: either address undefined or at or past `eof` (the file's
/// end-of-file address), fewer than 16 bytes.
///
/// # Examples
///
/// ```
/// use h5sink::format::symbol_table;
///
/// let body = symbol_table::encode(0x88, 0x2a8);
/// assert_eq!(symbol_table::decode(&body, 0x78, 1188)?, (0x88, 0x2a8));
/// let e = symbol_table::decode(&body, 0x78, 0x2a8).unwrap_err();
/// assert_eq!(e.to_string(), "symbol table message at offset 128 is malformed: address 680 is past the end of the file (680 bytes)");
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode(body: &[u8], base: u64, eof: u64) -> Result<(u64, u64)> {
    let mut r = Reader::new(body, base, "symbol table message");
    let mut defined = |what: &str| -> Result<u64> {
        let at = r.position();
        match r.address(eof)? {
            Some(a) => Ok(a),
            None => {
                r.seek(at)?;
                Err(r.error(format!("{what} address is undefined")))
            }
        }
    };
    let btree = defined("B-tree")?;
    let heap = defined("local heap")?;
    Ok((btree, heap))
}

#[cfg(test)]
mod tests {
    /// h5py 3.16 root group: B-tree at 0x88, heap at 0x2a8.
    #[test]
    fn h5py_root() {
        let want = [0x88, 0, 0, 0, 0, 0, 0, 0, 0xa8, 2, 0, 0, 0, 0, 0, 0];
        assert_eq!(super::encode(0x88, 0x2a8), want);
        assert_eq!(super::decode(&want, 0x78, 2060).unwrap(), (0x88, 0x2a8));
    }

    #[test]
    fn decode_round_trip_and_hostile() {
        for (b, h) in [(0, 1), (0x88, 0x2a8), (1 << 40, (1 << 41) - 1)] {
            let body = super::encode(b, h);
            assert_eq!(super::decode(&body, 0, 1 << 41).unwrap(), (b, h));
        }
        let good = super::encode(0x88, 0x2a8);
        for n in 0..good.len() {
            assert!(super::decode(&good[..n], 0, 2060).is_err());
        }
        for bit in 0..good.len() * 8 {
            let mut b = good.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            let _ = super::decode(&b, 0, 2060);
        }
        let undef = super::encode(0x88, u64::MAX);
        let e = super::decode(&undef, 0x78, 2060).unwrap_err();
        assert!(
            matches!(e, crate::Error::Malformed { offset: 0x80, .. }),
            "{e}"
        );
        assert!(super::decode(&good, 0x78, 0x88).is_err());
    }
}
