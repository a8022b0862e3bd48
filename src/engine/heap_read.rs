//! Reading variable-length strings back: each 16-byte reference is resolved
//! in its global heap collection, read whole from the file once per call
//! (or, for the collection string appends are filling, taken from memory).
//! Spec notes: `spec-notes/global-heap.md`.

use std::collections::HashMap;

use crate::engine::io::Io;
use crate::engine::model::OpenCollection;
use crate::error::{clip, Error, Result};
use crate::format::global_heap::{self, Collection};

/// The strings the 16-byte references `refs` of `object` point to. A null
/// reference (collection address 0, what unwritten elements hold) reads as
/// `""`, as libhdf5 reads it.
pub(crate) fn resolve(
    io: &Io,
    open: Option<&OpenCollection>,
    refs: &[u8],
    object: &str,
) -> Result<Vec<String>> {
    let mut heaps: HashMap<u64, Collection> = HashMap::new();
    let mut eof = None;
    // Bytes of collections read so far: collections are disjoint blocks of
    // the file, so together they hold at most its size. More means they
    // overlap (hostile: nested collections would cost memory quadratic in
    // the file's size).
    let mut read = 0u64;
    let mut out = Vec::with_capacity(refs.len() / 16);
    for (i, element) in refs.chunks(16).enumerate() {
        // Addresses are checked against the file when the collection is read.
        let (len, at, index) = global_heap::decode_vlen_ref(element, 0, u64::MAX)?;
        if at == 0 {
            out.push(String::new());
            continue;
        }
        let bytes: &[u8] = match open.filter(|o| o.start == at) {
            Some(o) => in_open(o, len, index)?,
            None => {
                if let std::collections::hash_map::Entry::Vacant(slot) = heaps.entry(at) {
                    let end = match eof {
                        Some(e) => e,
                        None => *eof.insert(io.read_len()?),
                    };
                    slot.insert(read_collection(io, at, end, &mut read)?);
                }
                match heaps.get(&at) {
                    Some(h) => global_heap::resolve_vlen_string(h, len, at, index)?,
                    None => &[],
                }
            }
        };
        match std::str::from_utf8(bytes) {
            Ok(s) => out.push(s.to_owned()),
            Err(e) => {
                return Err(Error::Malformed {
                    structure: "variable-length string",
                    offset: at,
                    reason: format!(
                        "string {i} of {:?} (heap object {index} of the collection at {at}) is not UTF-8: {e}",
                        clip(object)
                    ),
                })
            }
        }
    }
    Ok(out)
}

/// Object `index` of the open collection, which must be `len` bytes.
fn in_open(o: &OpenCollection, len: u32, index: u32) -> Result<&[u8]> {
    let object = (index as usize)
        .checked_sub(1)
        .and_then(|i| o.objects.get(i));
    match object {
        Some(b) if b.len() as u64 == u64::from(len) => Ok(b),
        _ => Err(Error::Malformed {
            structure: "global heap collection",
            offset: o.start,
            reason: format!("no heap object {index} of {len} bytes"),
        }),
    }
}

/// The collection at `at`: its header for the size, then all of it.
/// `read` counts the bytes of the collections read before it, which with
/// it must fit in the file's `eof` bytes.
fn read_collection(io: &Io, at: u64, eof: u64, read: &mut u64) -> Result<Collection> {
    if at.checked_add(16).map_or(true, |end| end > eof) {
        return Err(Error::Malformed {
            structure: "variable-length string",
            offset: at,
            reason: format!(
                "its collection address {at} is past the end of the file ({eof} bytes)"
            ),
        });
    }
    let mut header = [0u8; 16];
    io.read_at(at, &mut header)?;
    // Ends by `eof`, checked: the buffer is at most the file's size.
    let size = global_heap::collection_size(&header, at, eof)?;
    *read = read.saturating_add(size);
    if *read > eof {
        return Err(Error::Malformed {
            structure: "global heap collection",
            offset: at,
            reason: format!(
                "its {size} bytes take the collections read for these strings to {} bytes, past the file's {eof}: collections overlap",
                *read
            ),
        });
    }
    let len = usize::try_from(size).map_err(|_| Error::FieldOverflow {
        field: "global heap collection size in memory",
        value: size,
        max: usize::MAX as u64,
    })?;
    let mut bytes = vec![0u8; len];
    io.read_at(at, &mut bytes)?;
    global_heap::decode_collection(&bytes, at, eof)
}
