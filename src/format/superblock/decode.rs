//! Decoding superblocks of versions 0 and 1 (see `spec-notes/superblock.md`,
//! "What we read").

use super::{Superblock, SIGNATURE, SIZE};
use crate::error::{Error, Result};
use crate::format::field::UNDEF_ADDR;
use crate::format::reader::Reader;
use crate::format::snod::{self, Cache};

const STRUCTURE: &str = "superblock";
/// Size of a version 1 superblock: version 0 plus the indexed-storage K
/// and two reserved bytes.
const SIZE_V1: u64 = SIZE + 4;
/// The chunk B-tree K of a version 0 superblock (libhdf5's default).
const DEFAULT_CHUNK_K: u16 = 32;
/// Signature search: 0, then 512, 1024, 2048, ... (at most 2^63).
const MAX_SEARCH_STEPS: u32 = 55;

/// A decoded superblock of version 0 or 1: what the encoder takes
/// ([`Superblock`]) and what a reader must also know.
///
/// # Examples
///
/// A version 0 superblock from our encoder reads back with libhdf5's
/// default K values:
///
/// ```
/// use h5sink::format::superblock::{decode, Superblock};
///
/// let sb = Superblock { eof: 1188, root_object_header: 0x60, root_btree: 0x88, root_heap: 0x2a8 };
/// let d = decode(&sb.encode(), 1188)?;
/// assert_eq!(d.superblock, sb);
/// assert_eq!((d.version, d.group_leaf_k, d.group_internal_k, d.chunk_internal_k), (0, 4, 16, 32));
/// assert_eq!((d.size, d.consistency_flags, d.root_name_offset), (96, 0, 0));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// EOF, root object header and the root's cached B-tree and heap.
    pub superblock: Superblock,
    /// Superblock version: 0 or 1.
    pub version: u8,
    /// Group Leaf Node K (at least 1): a `SNOD` holds up to 2K entries.
    pub group_leaf_k: u16,
    /// Group Internal Node K (at least 1): a group B-tree node has 2K children.
    pub group_internal_k: u16,
    /// Indexed Storage Internal Node K (at least 1): the chunk B-tree's K;
    /// stored in version 1, libhdf5's default 32 in version 0.
    pub chunk_internal_k: u16,
    /// File consistency flags, as stored (libhdf5 ignores them in versions 0/1).
    pub consistency_flags: u32,
    /// Bytes the superblock takes: 96 (version 0) or 100 (version 1).
    pub size: u64,
    /// Name offset of the root's symbol table entry (unused by libhdf5).
    pub root_name_offset: u64,
}

/// The offsets where libhdf5 looks for the format signature in a file of
/// `file_len` bytes: 0, then 512, 1024, 2048, ... below `file_len`.
///
/// # Examples
///
/// ```
/// use h5sink::format::superblock::signature_offsets;
///
/// let at: Vec<u64> = signature_offsets(3000).collect();
/// assert_eq!(at, [0, 512, 1024, 2048]);
/// assert_eq!(signature_offsets(0).count(), 0);
/// assert!(signature_offsets(u64::MAX).count() <= 56);
/// ```
pub fn signature_offsets(file_len: u64) -> impl Iterator<Item = u64> {
    let user_blocks = (0..MAX_SEARCH_STEPS).map(|n| 512u64 << n);
    std::iter::once(0)
        .chain(user_blocks)
        .take_while(move |&at| at < file_len)
}

/// Decode the superblock at the start of `bytes`, the first bytes of a file
/// of `file_len` bytes (pass at least 100 bytes, or the whole file if
/// shorter; bytes past the superblock are ignored).
///
/// Every address is checked against the superblock's end-of-file address,
/// which must be at least the superblock's size and at most `file_len` (a
/// larger EOF means a truncated file).
///
/// Unsupported: superblock versions 2 and 3; sizes of offsets or lengths
/// other than 8; a base address other than 0; a defined free-space or
/// driver information address; a root entry caching a soft link (cache
/// type 2; cache type 0, a root whose members are link messages, gives
/// undefined B-tree and heap addresses); the signature found at 512·2ⁿ
/// within `bytes` instead of 0 (a user block; the offset is named).
/// Malformed: no signature, any other version, a version of the free-space,
/// root entry or shared-message formats other than 0, a K of 0, an
/// address at or past the EOF, truncation.
///
/// # Examples
///
/// The superblock libhdf5 1.10.8 writes when the chunk K is set (version
/// 1, K = 64), and a user block of 512 bytes:
///
/// ```
/// use h5sink::format::superblock::{decode, Superblock};
/// use h5sink::Error;
///
/// let sb = Superblock { eof: 804, root_object_header: 0x64, root_btree: 0x8c, root_heap: 0x2ac };
/// let mut v1 = sb.encode().to_vec();
/// v1[8] = 1; // version 1 inserts K and 2 reserved bytes after the flags
/// v1.splice(24..24, [64, 0, 0, 0]);
/// let d = decode(&v1, 804)?;
/// assert_eq!((d.superblock, d.version, d.chunk_internal_k, d.size), (sb, 1, 64, 100));
///
/// let mut file = vec![0u8; 512];
/// file.extend_from_slice(&sb.encode());
/// let e = decode(&file, 2048).unwrap_err();
/// assert!(matches!(e, Error::Unsupported { offset: 512, .. }));
/// assert!(matches!(decode(b"not hdf5", 8), Err(Error::Malformed { offset: 0, .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode(bytes: &[u8], file_len: u64) -> Result<Decoded> {
    if bytes.get(..8) != Some(&SIGNATURE[..]) {
        return Err(missing_signature(bytes));
    }
    let mut r = Reader::new(bytes, 0, STRUCTURE);
    r.skip(8)?;
    let version = r.u8()?;
    match version {
        0 | 1 => {}
        2 | 3 => {
            return Err(unsupported(
                8,
                format!("version {version}; h5sink reads versions 0 and 1"),
            ))
        }
        v => return Err(malformed(8, format!("version {v}; versions are 0 to 3"))),
    }
    zero_version(&mut r, "free-space storage version")?;
    zero_version(&mut r, "root group symbol table entry version")?;
    r.skip(1)?;
    zero_version(&mut r, "shared header message format version")?;
    for what in ["size of offsets", "size of lengths"] {
        let at = r.offset();
        let size = r.u8()?;
        if size != 8 {
            let d = format!("{what} {size}; h5sink reads files with 8-byte offsets and lengths");
            return Err(unsupported(at, d));
        }
    }
    r.skip(1)?;
    let group_leaf_k = nonzero_k(&mut r, "group leaf node K")?;
    let group_internal_k = nonzero_k(&mut r, "group internal node K")?;
    let consistency_flags = r.u32()?;
    let chunk_internal_k = if version == 1 {
        let k = nonzero_k(&mut r, "indexed storage internal node K")?;
        r.skip(2)?;
        k
    } else {
        DEFAULT_CHUNK_K
    };
    let size = if version == 1 { SIZE_V1 } else { SIZE };
    let at = r.offset();
    let base = r.u64()?;
    if base != 0 {
        let d = format!("base address {base}; h5sink reads files whose base address is 0");
        return Err(unsupported(at, d));
    }
    // The EOF comes after the free-space address: read it first, so that
    // address can be checked against it.
    let mut ahead = r.clone();
    ahead.skip(8)?;
    let at = ahead.offset();
    let eof = ahead.u64()?;
    if eof < size || eof > file_len {
        let why = format!(
            "end-of-file address {eof} is not within {size}..={file_len} (the superblock's size to the file's length)"
        );
        return Err(malformed(at, why));
    }
    let note = "libhdf5 writes it undefined in versions 0 and 1";
    undefined(&mut r, eof, "free-space info address", note)?;
    r.skip(8)?; // the EOF, read above
    let note = "h5sink reads single files without a driver information block";
    undefined(&mut r, eof, "driver information block address", note)?;
    let root_at = r.offset();
    let root = snod::decode_entry(&mut r, eof)?;
    let (btree, heap) = match root.cache {
        Cache::Group { btree, heap } => (btree, heap),
        // A root whose members are link messages caches nothing.
        Cache::None => (UNDEF_ADDR, UNDEF_ADDR),
        Cache::SymbolicLink { .. } => {
            let d = format!("root group entry with cache {:?}; h5sink reads a root group entry with cache type 0 or 1 (cache type 1 for a cached B-tree and local heap)", root.cache);
            return Err(unsupported(root_at, d));
        }
    };
    Ok(Decoded {
        superblock: Superblock {
            eof,
            root_object_header: root.object_header,
            root_btree: btree,
            root_heap: heap,
        },
        version,
        group_leaf_k,
        group_internal_k,
        chunk_internal_k,
        consistency_flags,
        size,
        root_name_offset: root.name_offset,
    })
}

/// The error for bytes that do not start with the signature.
fn missing_signature(bytes: &[u8]) -> Error {
    let len = bytes.len() as u64;
    for at in signature_offsets(len).skip(1) {
        let found = usize::try_from(at)
            .ok()
            .and_then(|at| bytes.get(at..at.checked_add(8)?));
        if found == Some(&SIGNATURE[..]) {
            let d = format!("the format signature is at offset {at} (a user block of {at} bytes); h5sink reads files whose superblock is at offset 0");
            return unsupported(at, d);
        }
    }
    let head = bytes.get(..8).unwrap_or(bytes);
    malformed(
        0,
        format!("no HDF5 format signature at offset 0 (found {head:02x?}) nor at 512·2ⁿ within the {len} bytes read"),
    )
}

fn zero_version(r: &mut Reader<'_>, what: &str) -> Result<()> {
    let at = r.offset();
    match r.u8()? {
        0 => Ok(()),
        v => Err(malformed(at, format!("{what} {v}, expected 0"))),
    }
}

fn nonzero_k(r: &mut Reader<'_>, what: &str) -> Result<u16> {
    let at = r.offset();
    match r.u16()? {
        0 => Err(malformed(at, format!("{what} 0, must be at least 1"))),
        k => Ok(k),
    }
}

fn undefined(r: &mut Reader<'_>, eof: u64, what: &str, note: &str) -> Result<()> {
    let at = r.offset();
    match r.address(eof)? {
        None => Ok(()),
        Some(a) => Err(unsupported(
            at,
            format!("{what} is {a}, not undefined; {note}"),
        )),
    }
}

fn malformed(offset: u64, reason: String) -> Error {
    Error::Malformed {
        structure: STRUCTURE,
        offset,
        reason,
    }
}

fn unsupported(offset: u64, detail: String) -> Error {
    Error::Unsupported {
        structure: STRUCTURE,
        offset,
        detail,
    }
}

#[cfg(test)]
mod tests;
