//! Reading global heap collections (`GCOL`) and variable-length references
//! from untrusted bytes. Spec notes: `spec-notes/global-heap.md` ("What we
//! read").
//!
//! A reader first decodes an element's 16-byte reference
//! ([`decode_vlen_ref`]), reads the collection's 16-byte header at its
//! address for the size ([`collection_size`]), reads that many bytes,
//! decodes them ([`decode_collection`]), and looks the object up
//! ([`resolve_vlen_string`]).
//!
//! # Examples
//!
//! ```
//! use h5sink::format::global_heap::{
//!     collection_size, decode_collection, decode_vlen_ref, encode, pack, resolve_vlen_string, vlen_ref,
//! };
//!
//! let plans = pack(&[2, 1])?;
//! let mut file = vec![0u8; 0x800]; // the collection at 0x800
//! encode(&mut file, &plans[0], &[b"ab", b"c"])?;
//! let eof = file.len() as u64;
//! let element = vlen_ref(1, 0x800, 2);
//! let (len, at, index) = decode_vlen_ref(&element, 0x100, eof)?;
//! let size = collection_size(&file[0x800..0x810], at, eof)? as usize;
//! let heap = decode_collection(&file[0x800..0x800 + size], at, eof)?;
//! assert_eq!(resolve_vlen_string(&heap, len, at, index)?, b"c");
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::{HEADER_SIZE, MIN_COLLECTION_SIZE, OBJECT_HEADER_SIZE};
use crate::error::{Error, Result};
use crate::format::field::len64;
use crate::format::reader::Reader;
use std::collections::BTreeMap;

/// What the errors name.
const STRUCTURE: &str = "global heap collection";

/// A decoded collection: its objects by heap index (1, 2, ...), without
/// the free space.
///
/// # Examples
///
/// ```
/// use h5sink::format::global_heap::{decode_collection, encode, pack};
///
/// let mut bytes = Vec::new();
/// encode(&mut bytes, &pack(&[3, 0])?[0], &[b"def", b""])?;
/// let heap = decode_collection(&bytes, 0x2110, 0x4000)?;
/// assert_eq!((heap.address, heap.size), (0x2110, 4096));
/// assert_eq!(heap.objects[&1], b"def");
/// assert!(heap.objects[&2].is_empty());
/// assert_eq!(heap.objects.len(), 2);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collection {
    /// File address of the collection.
    pub address: u64,
    /// Its size in bytes, header included.
    pub size: u64,
    /// Object data (unpadded) by heap index; index 0 (free space) is left out.
    pub objects: BTreeMap<u16, Vec<u8>>,
}

/// The size of the collection whose first 16 bytes (or more) are `header`,
/// read at file address `base`: signature `GCOL`, version 1, and a size of
/// at least 4096 bytes that ends by `eof`. Read that many bytes for
/// [`decode_collection`].
///
/// # Errors
///
/// [`Error::Malformed`] for a wrong signature, fewer than 16 bytes, a
/// size below 4096 (the spec's minimum, which HDF5 2.0 enforces) or one
/// past the end of the file; [`Error::Unsupported`] for a version other
/// than 1.
///
/// # Examples
///
/// ```
/// use h5sink::format::global_heap::collection_size;
///
/// let mut header = b"GCOL\x01\0\0\0".to_vec();
/// header.extend_from_slice(&8192u64.to_le_bytes());
/// assert_eq!(collection_size(&header, 0x800, 0x2800)?, 8192);
/// assert!(collection_size(&header, 0x800, 0x27ff).is_err()); // ends past the file
/// header[4] = 2;
/// assert!(matches!(collection_size(&header, 0x800, 0x2800), Err(h5sink::Error::Unsupported { .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn collection_size(header: &[u8], base: u64, eof: u64) -> Result<u64> {
    let mut r = Reader::new(header, base, STRUCTURE);
    r.signature(b"GCOL")?;
    let version = r.u8()?;
    if version != 1 {
        return Err(Error::Unsupported {
            structure: STRUCTURE,
            offset: base,
            detail: format!("version {version} (h5sink reads version 1)"),
        });
    }
    r.skip(3)?;
    let room = eof.saturating_sub(base);
    let size = r.length(8, room, "collection size (to the end of the file)")?;
    if size < MIN_COLLECTION_SIZE {
        return Err(r.error(format!(
            "collection size {size} is below the minimum of {MIN_COLLECTION_SIZE}"
        )));
    }
    Ok(size)
}

/// Decode the collection at file address `base` from `bytes`, which must
/// hold at least its whole size (more is ignored); `eof` is the file's
/// end.
///
/// Objects run from byte 16: `index u16, reference count u16, reserved
/// u32, size u64`, then the data padded to 8 bytes. Index 0 is the free
/// space and ends the list (libhdf5 keeps it last); so does a tail of
/// fewer than 16 bytes. Reference counts are not kept.
///
/// # Errors
///
/// Those of [`collection_size`], and [`Error::Malformed`] for fewer bytes
/// than the size, an object or its padding running past the collection,
/// a free space smaller than its own header or larger than what remains,
/// or an index used twice.
///
/// # Examples
///
/// ```
/// use h5sink::format::global_heap::{decode_collection, encode, pack};
///
/// let mut bytes = Vec::new();
/// encode(&mut bytes, &pack(&[5])?[0], &[b"hello"])?;
/// assert_eq!(decode_collection(&bytes, 0x800, 0x2000)?.objects[&1], b"hello");
/// assert!(decode_collection(&bytes[..4000], 0x800, 0x2000).is_err()); // cut short
/// bytes[24] = 200; // object 1 claims 200 bytes: the next header is zeros,
/// let e = decode_collection(&bytes, 0x800, 0x2000).unwrap_err(); // a free space of 0 bytes
/// assert!(e.to_string().contains("free space of 0 bytes"));
/// bytes[29] = 1; // 2^40 + 200 bytes: past the collection
/// assert!(decode_collection(&bytes, 0x800, 0x2000).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_collection(bytes: &[u8], base: u64, eof: u64) -> Result<Collection> {
    let size = collection_size(bytes, base, eof)?;
    let mut r = Reader::new(bytes, base, STRUCTURE);
    if size > len64(bytes.len()) {
        return Err(r.error(format!(
            "collection of {size} bytes, {} present",
            bytes.len()
        )));
    }
    r.skip(16)?;
    // Fits: size <= bytes.len().
    let body_len = usize::try_from(size - HEADER_SIZE).unwrap_or(0);
    let mut r = Reader::new(
        r.bytes(body_len)?,
        base.saturating_add(HEADER_SIZE),
        STRUCTURE,
    );
    let mut objects = BTreeMap::new();
    // Every object takes at least 16 bytes: the loop ends.
    while len64(r.remaining()) >= OBJECT_HEADER_SIZE {
        let at = r.position();
        let index = r.u16()?;
        r.skip(6)?; // reference count, reserved
        let left = len64(r.remaining());
        if index == 0 {
            // Free space: its size counts its own header.
            let free = r.length(8, left + 8, "free space size (with its header)")?;
            if free < OBJECT_HEADER_SIZE {
                r.seek(at)?;
                return Err(r.error(format!(
                    "free space of {free} bytes, below its 16-byte header"
                )));
            }
            break;
        }
        let len = r.length(8, left.saturating_sub(8), "object size")?;
        // Fits: len <= remaining bytes.
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let data = r.bytes(len)?;
        r.skip((8 - len % 8) % 8)?;
        if objects.insert(index, data.to_vec()).is_some() {
            r.seek(at)?;
            return Err(r.error(format!("heap object index {index} is used twice")));
        }
    }
    Ok(Collection {
        address: base,
        size,
        objects,
    })
}

/// The parts of a 16-byte variable-length element read at file address
/// `base`, as [`vlen_ref`](super::vlen_ref) takes them: `(length,
/// collection address, object index)`. The length counts elements of the
/// base type (bytes, for strings). Address 0 with index 0 is libhdf5's
/// nil reference (an unwritten element): it has no collection, and reads
/// as empty.
///
/// # Errors
///
/// [`Error::Malformed`] for fewer than 16 bytes, or a collection address
/// that is undefined or not below `eof`.
///
/// # Examples
///
/// h5py 3.16's element for `'a'`, object 5 of the collection at 0x2110:
///
/// ```
/// use h5sink::format::global_heap::{decode_vlen_ref, vlen_ref};
///
/// let element = vlen_ref(1, 0x2110, 5);
/// assert_eq!(decode_vlen_ref(&element, 0x800, 0x4000)?, (1, 0x2110, 5));
/// assert!(decode_vlen_ref(&element, 0x800, 0x2110).is_err()); // past the end
/// assert!(decode_vlen_ref(&element[..15], 0x800, 0x4000).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode_vlen_ref(bytes: &[u8], base: u64, eof: u64) -> Result<(u32, u64, u32)> {
    let mut r = Reader::new(bytes, base, "variable-length element");
    let len = r.u32()?;
    let Some(collection) = r.address(eof)? else {
        return Err(r.error("collection address is undefined"));
    };
    let index = r.u32()?;
    Ok((len, collection, index))
}

/// The bytes of the string a vlen reference `(len, collection, index)`
/// points to, in the decoded `heap`: the reference must name this
/// collection, an object present in it, and exactly its length. Checking
/// the bytes (UTF-8 or ASCII, per the datatype) is the caller's.
///
/// # Errors
///
/// [`Error::Malformed`] (at the collection's address) naming the
/// mismatch.
///
/// # Examples
///
/// ```
/// use h5sink::format::global_heap::{decode_collection, encode, pack, resolve_vlen_string};
///
/// let mut bytes = Vec::new();
/// encode(&mut bytes, &pack(&[2, 3])?[0], &[b"ab", b"cde"])?;
/// let heap = decode_collection(&bytes, 0x900, 0x2000)?;
/// assert_eq!(resolve_vlen_string(&heap, 3, 0x900, 2)?, b"cde");
/// assert!(resolve_vlen_string(&heap, 2, 0x900, 2).is_err()); // wrong length
/// assert!(resolve_vlen_string(&heap, 2, 0x900, 3).is_err()); // no object 3
/// assert!(resolve_vlen_string(&heap, 2, 0xa00, 1).is_err()); // another collection
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn resolve_vlen_string(
    heap: &Collection,
    len: u32,
    collection: u64,
    index: u32,
) -> Result<&[u8]> {
    let fail = |reason: String| Error::Malformed {
        structure: STRUCTURE,
        offset: heap.address,
        reason,
    };
    if collection != heap.address {
        return Err(fail(format!(
            "a reference to collection {collection} was resolved here"
        )));
    }
    let object = u16::try_from(index)
        .ok()
        .filter(|&i| i > 0)
        .and_then(|i| heap.objects.get(&i))
        .ok_or_else(|| fail(format!("no heap object {index}")))?;
    if len64(object.len()) != u64::from(len) {
        return Err(fail(format!(
            "heap object {index} is {} bytes, the reference says {len}",
            object.len()
        )));
    }
    Ok(object)
}

#[cfg(test)]
mod tests;
