//! Decoding symbol table nodes and entries (see `spec-notes/snod.md`,
//! "What we read").

use super::{Cache, Entry, ENTRY_SIZE};
use crate::error::Result;
use crate::format::reader::Reader;

/// Decode one 40-byte symbol table entry at the reader's position (as in a
/// `SNOD` or the superblock's root entry); `eof` is the file's end-of-file
/// address.
///
/// Malformed: a cache type other than 0, 1 or 2; an object header address
/// that is undefined (except for a soft link, cache type 2, whose address
/// libhdf5 leaves undefined) or at or past `eof`; a cached B-tree or heap
/// address that is undefined or past `eof`; fewer than 40 bytes. The name
/// offset is returned unchecked: only the group's heap can check it
/// ([`local_heap::name_at`](crate::format::local_heap::name_at)).
///
/// # Examples
///
/// The soft link `s -> /a` of an h5py 3.16 file (name at heap offset 16,
/// target at 24), and an entry pointing past the end of a 4096-byte file:
///
/// ```
/// use h5sink::format::{field::UNDEF_ADDR, reader::Reader, snod::{self, Cache, Entry}};
///
/// let link = Entry { name_offset: 16, object_header: UNDEF_ADDR, cache: Cache::SymbolicLink { link_offset: 24 } };
/// let mut bytes = Vec::new();
/// snod::encode_entry(&mut bytes, &link);
/// assert_eq!(bytes[16..28], [2, 0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0]);
/// assert_eq!(snod::decode_entry(&mut Reader::new(&bytes, 0x458, "symbol table entry"), 4096)?, link);
///
/// let far = Entry { name_offset: 8, object_header: 4096, cache: Cache::None };
/// let mut bytes = Vec::new();
/// snod::encode_entry(&mut bytes, &far);
/// assert!(snod::decode_entry(&mut Reader::new(&bytes, 0x458, "symbol table entry"), 4096).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_entry(r: &mut Reader<'_>, eof: u64) -> Result<Entry> {
    let name_offset = r.u64()?;
    let header_at = r.position();
    let object_header = r.address(eof)?;
    let type_at = r.position();
    let cache_type = r.u32()?;
    r.skip(4)?; // reserved
    let cache = match cache_type {
        0 => {
            r.skip(16)?;
            Cache::None
        }
        1 => {
            let btree = required(r, eof, "cached B-tree address")?;
            let heap = required(r, eof, "cached local heap address")?;
            Cache::Group { btree, heap }
        }
        2 => {
            let link_offset = r.u32()?;
            r.skip(12)?;
            Cache::SymbolicLink { link_offset }
        }
        t => {
            r.seek(type_at)?;
            return Err(r.error(format!("cache type {t}, expected 0, 1 or 2")));
        }
    };
    let object_header = match (object_header, cache) {
        (Some(a), _) => a,
        (None, Cache::SymbolicLink { .. }) => crate::format::field::UNDEF_ADDR,
        (None, _) => {
            r.seek(header_at)?;
            return Err(r.error("object header address is undefined"));
        }
    };
    Ok(Entry {
        name_offset,
        object_header,
        cache,
    })
}

/// A defined address below `eof`.
fn required(r: &mut Reader<'_>, eof: u64, what: &str) -> Result<u64> {
    let at = r.position();
    match r.address(eof)? {
        Some(a) => Ok(a),
        None => {
            r.seek(at)?;
            Err(r.error(format!("{what} is undefined")))
        }
    }
}

/// Decode a symbol table node (`SNOD`, version 1) at file offset `base`:
/// its entries in use, in stored (name) order. `leaf_k` is the superblock's
/// Group Leaf Node K: a node holds at most 2K entries. Only the entries in
/// use need be in `bytes`.
///
/// Malformed: a signature other than `SNOD`, a version other than 1, more
/// than 2K entries or more than `bytes` holds, any bad entry
/// ([`decode_entry`]).
///
/// # Examples
///
/// ```
/// use h5sink::format::snod::{self, Cache, Entry};
///
/// let e = Entry { name_offset: 8, object_header: 0x320, cache: Cache::None };
/// let mut node = Vec::new();
/// snod::encode_node(&mut node, 4, &[e])?;
/// assert_eq!(snod::decode_node(&node, 0x430, 4096, 4)?, [e]);
/// node[6] = 9; // 9 entries used, above 2K = 8
/// assert!(snod::decode_node(&node, 0x430, 4096, 4).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_node(bytes: &[u8], base: u64, eof: u64, leaf_k: u16) -> Result<Vec<Entry>> {
    let mut r = Reader::new(bytes, base, "symbol table node");
    r.signature(b"SNOD")?;
    let at = r.position();
    let version = r.u8()?;
    if version != 1 {
        r.seek(at)?;
        return Err(r.error(format!("version {version}, expected 1")));
    }
    r.skip(1)?;
    let at = r.position();
    let count = r.u16()?;
    let capacity = 2 * u64::from(leaf_k);
    let fits = (r.remaining() as u64) / ENTRY_SIZE;
    if u64::from(count) > capacity || u64::from(count) > fits {
        r.seek(at)?;
        return Err(r.error(format!(
            "{count} entries, above 2K = {capacity} or the {fits} the bytes hold"
        )));
    }
    let mut entries = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        entries.push(decode_entry(&mut r, eof)?);
    }
    Ok(entries)
}

#[cfg(test)]
mod tests;
