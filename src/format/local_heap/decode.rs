//! Decoding local heap headers and the names in their data segments (see
//! `spec-notes/local-heap.md`, "What we read").

use super::FREE_LIST_NONE;
use crate::error::Result;
use crate::format::reader::Reader;

/// The header of a local heap (`HEAP`, version 0).
///
/// # Examples
///
/// ```
/// use h5sink::format::local_heap::{decode, HeapHeader, LocalHeap};
///
/// let mut heap = LocalHeap::new();
/// heap.add(b"x");
/// let mut bytes = Vec::new();
/// heap.encode(0x2a8, &mut bytes)?;
/// let h = decode(&bytes, 0x2a8, 0x2a8 + heap.size())?;
/// assert_eq!(h, HeapHeader { data_size: 16, free_list: None, data_address: 0x2c8 });
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeapHeader {
    /// Bytes of the data segment.
    pub data_size: u64,
    /// Offset of the first free block in the segment, `None` when libhdf5's
    /// "no free block" value 1 is stored.
    pub free_list: Option<u64>,
    /// File address of the data segment.
    pub data_address: u64,
}

/// Decode a local heap header at file offset `base`; `eof` is the file's
/// end-of-file address. The data segment is the caller's to read:
/// `data_size` bytes at `data_address`.
///
/// Malformed: a signature other than `HEAP`, a version other than 0, an
/// undefined data address or a segment ending past `eof`, a free-list
/// offset that is neither 1 nor leaves room for a free block (16 bytes)
/// in the segment, fewer than 32 bytes.
///
/// # Examples
///
/// h5py 3.16's root heap: 88 bytes of data, a free block at 16:
///
/// ```
/// use h5sink::format::local_heap::decode;
///
/// let mut bytes = b"HEAP\0\0\0\0".to_vec();
/// for v in [88u64, 16, 0x2c8] {
///     bytes.extend_from_slice(&v.to_le_bytes());
/// }
/// let h = decode(&bytes, 0x2a8, 2060)?;
/// assert_eq!((h.data_size, h.free_list, h.data_address), (88, Some(16), 0x2c8));
/// assert!(decode(&bytes, 0x2a8, 0x2c8 + 87).is_err()); // segment past the EOF
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode(bytes: &[u8], base: u64, eof: u64) -> Result<HeapHeader> {
    let mut r = Reader::new(bytes, base, "local heap");
    r.signature(b"HEAP")?;
    let at = r.position();
    let version = r.u8()?;
    if version != 0 {
        r.seek(at)?;
        return Err(r.error(format!("version {version}, expected 0")));
    }
    r.skip(3)?;
    let data_size = r.length(8, eof, "data segment size")?;
    let at = r.position();
    let free = r.u64()?;
    let free_list = match free {
        FREE_LIST_NONE => None,
        f if f.checked_add(16).is_some_and(|end| end <= data_size) => Some(f),
        f => {
            r.seek(at)?;
            return Err(r.error(format!(
                "free list offset {f} is neither 1 (none) nor a 16-byte block within the {data_size}-byte segment"
            )));
        }
    };
    let at = r.position();
    let Some(data_address) = r.address(eof)? else {
        r.seek(at)?;
        return Err(r.error("data segment address is undefined"));
    };
    if data_size > eof - data_address {
        r.seek(at)?;
        return Err(r.error(format!(
            "data segment of {data_size} bytes at {data_address} ends past the end of the file ({eof} bytes)"
        )));
    }
    Ok(HeapHeader {
        data_size,
        free_list,
        data_address,
    })
}

/// The name at `offset` in a heap's data segment `data` (read at file
/// address `data_address`): the bytes before the first NUL. Names are
/// returned as bytes: their encoding is the caller's to check.
///
/// Malformed: an offset at or past the end of the segment, no NUL before
/// the end of the segment.
///
/// # Examples
///
/// ```
/// use h5sink::format::local_heap::name_at;
///
/// let data = b"\0\0\0\0\0\0\0\0x\0\0\0\0\0\0\0ab";
/// assert_eq!(name_at(data, 0x2c8, 8)?, b"x");
/// assert_eq!(name_at(data, 0x2c8, 0)?, b"");
/// assert!(name_at(data, 0x2c8, 16).is_err()); // "ab" has no NUL
/// assert!(name_at(data, 0x2c8, 18).is_err()); // past the end
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn name_at(data: &[u8], data_address: u64, offset: u64) -> Result<&[u8]> {
    let r = Reader::new(data, data_address, "local heap data segment");
    let Some(start) = usize::try_from(offset).ok().filter(|&o| o < data.len()) else {
        return Err(r.error(format!(
            "name offset {offset} is past the end of the {}-byte segment",
            data.len()
        )));
    };
    let mut r = r;
    r.seek(start)?;
    let tail = r.clone().bytes(r.remaining())?;
    match tail.iter().position(|&b| b == 0) {
        Some(n) => r.bytes(n),
        None => Err(r.error(format!(
            "name at offset {offset} has no NUL before the end of the segment"
        ))),
    }
}

#[cfg(test)]
mod tests;
