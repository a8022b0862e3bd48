//! Global heap collections (`GCOL`) and variable-length references. Spec notes: `spec-notes/global-heap.md`.
//!
//! # Examples
//!
//! Store the strings `['ab', 'c']` of a vlen string dataset: pack them,
//! write the collection (here at 0x8f8), and give each element its
//! 16-byte reference (the dataset's raw data).
//!
//! ```
//! use h5sink::format::global_heap::{encode, pack, vlen_ref};
//!
//! let strings: [&[u8]; 2] = [b"ab", b"c"];
//! let plans = pack(&[2, 1])?;
//! assert_eq!((plans.len(), plans[0].size, plans[0].count), (1, 4096, 2));
//! let mut heap = Vec::new();
//! encode(&mut heap, &plans[0], &strings)?;
//! assert_eq!(heap[..5], *b"GCOL\x01");
//! assert_eq!(heap.len(), 4096);
//! let elements = [vlen_ref(2, 0x8f8, 1), vlen_ref(1, 0x8f8, 2)];
//! assert_eq!(elements[1][..4], [1, 0, 0, 0]); // 'c' is 1 byte long
//! assert_eq!(elements[1][12..], [2, 0, 0, 0]); // ... and heap object 2
//! # Ok::<(), h5sink::Error>(())
//! ```

pub mod decode;

pub use decode::{
    collection_size, decode_collection, decode_vlen_ref, resolve_vlen_string, Collection,
};

use super::field::{self, len64};
use crate::error::{Error, Result};

/// The smallest collection libhdf5 accepts.
///
/// # Examples
///
/// ```
/// use h5sink::format::global_heap::{encode, pack, CollectionPlan, MIN_COLLECTION_SIZE};
///
/// // One short string still gets a collection of the minimum size.
/// let plans = pack(&[5])?;
/// assert_eq!(plans[0].size, MIN_COLLECTION_SIZE);
/// let mut out = Vec::new();
/// encode(&mut out, &plans[0], &[b"hello"])?;
/// assert_eq!(out.len() as u64, MIN_COLLECTION_SIZE);
/// let small = CollectionPlan { size: MIN_COLLECTION_SIZE - 8, ..plans[0] };
/// let err = encode(&mut Vec::new(), &small, &[b"hello"]);
/// assert!(matches!(err, Err(h5sink::Error::InvalidArgument { .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MIN_COLLECTION_SIZE: u64 = 4096;

/// Bytes of the collection header: signature, version, reserved, size.
const HEADER_SIZE: u64 = 16;
/// Bytes of an object header: index, reference count, reserved, size.
const OBJECT_HEADER_SIZE: u64 = 16;
/// Heap object indices are u16 and index 0 is the free space.
const MAX_OBJECTS: usize = u16::MAX as usize;

/// One planned collection: its size and which objects it holds.
///
/// # Examples
///
/// 127 sixteen-byte objects (16 + 16 bytes each) fill a 4096-byte
/// collection exactly; the 128th opens a second one:
///
/// ```
/// use h5sink::format::global_heap::{pack, CollectionPlan};
///
/// let plans = pack(&[16; 128])?;
/// assert_eq!(plans[0], CollectionPlan { size: 4096, first: 0, count: 127 });
/// assert_eq!(plans[1], CollectionPlan { size: 4096, first: 127, count: 1 });
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CollectionPlan {
    /// Bytes of the whole collection (at least 4096).
    pub size: u64,
    /// Index (into the packed list) of its first object.
    pub first: usize,
    /// Number of objects; object `first + i` gets heap index `i + 1`.
    pub count: usize,
}

/// Bytes an object of `len` data bytes takes in a collection.
fn object_footprint(len: u64) -> Result<u64> {
    let data = field::pad8("global heap object size", len)?;
    field::add("global heap object size", OBJECT_HEADER_SIZE, data)
}

/// Pack objects of the given byte lengths, in order, into collections.
///
/// Greedy: objects fill a 4096-byte collection until the next one does not
/// fit; an object too large for 4096 bytes gets a collection of its own,
/// sized exactly. No lengths, no collections.
///
/// # Errors
///
/// [`Error::FieldOverflow`] when an object's
/// padded size overflows u64.
///
/// # Examples
///
/// ```
/// use h5sink::format::global_heap::{pack, CollectionPlan};
///
/// // 5000 bytes do not fit 4096: that object gets its own 16 + 16 + 5000 bytes.
/// let plans = pack(&[1, 5000, 2])?;
/// assert_eq!(plans, [
///     CollectionPlan { size: 4096, first: 0, count: 1 },
///     CollectionPlan { size: 5032, first: 1, count: 1 },
///     CollectionPlan { size: 4096, first: 2, count: 1 },
/// ]);
/// assert!(pack(&[])?.is_empty());
/// assert!(matches!(pack(&[u64::MAX]), Err(h5sink::Error::FieldOverflow { .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn pack(lengths: &[u64]) -> Result<Vec<CollectionPlan>> {
    let mut plans = Vec::new();
    let mut current = CollectionPlan {
        size: HEADER_SIZE,
        first: 0,
        count: 0,
    };
    for (i, &len) in lengths.iter().enumerate() {
        let need = object_footprint(len)?;
        let used = current.size.saturating_add(need);
        let fits = used <= MIN_COLLECTION_SIZE && current.count < MAX_OBJECTS;
        if current.count > 0 && !fits {
            plans.push(close(current));
            current = CollectionPlan {
                size: HEADER_SIZE,
                first: i,
                count: 0,
            };
        }
        current.size = field::add("global heap collection size", current.size, need)?;
        current.count += 1;
    }
    if current.count > 0 {
        plans.push(close(current));
    }
    Ok(plans)
}

/// A plan whose `size` holds the bytes used, grown to the minimum size.
fn close(used: CollectionPlan) -> CollectionPlan {
    CollectionPlan {
        size: used.size.max(MIN_COLLECTION_SIZE),
        ..used
    }
}

/// Append the collection `plan`, holding `objects` (exactly the plan's objects), to `out`.
///
/// Errors if the object count differs from the plan's, if the objects do
/// not fit in `plan.size`, or if `plan.size` is below 4096.
///
/// Objects get indices 1, 2, ... and reference count 0, as h5py writes
/// vlen data; the rest of the collection is free-space object 0 when at
/// least 16 bytes remain, else zeros.
///
/// # Examples
///
/// ```
/// use h5sink::format::global_heap::{encode, pack};
///
/// let objects: [&[u8]; 2] = [b"a", b""];
/// let plans = pack(&[1, 0])?;
/// let mut out = Vec::new();
/// encode(&mut out, &plans[0], &objects)?;
/// assert_eq!(out[..8], *b"GCOL\x01\0\0\0"); // signature, version 1, reserved
/// assert_eq!(out[8..16], 4096u64.to_le_bytes()); // collection size
/// // Object 1: index 1, refcount 0, reserved, size 1, then "a" padded to 8.
/// assert_eq!(out[16..32], [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
/// assert_eq!(out[32..40], *b"a\0\0\0\0\0\0\0");
/// assert_eq!(out[40..42], [2, 0]); // object 2, the empty string: no data
/// // Free-space object 0 takes the rest, its own header included.
/// assert_eq!(out[56..58], [0, 0]);
/// assert_eq!(out[64..72], (4096u64 - 56).to_le_bytes());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode(out: &mut Vec<u8>, plan: &CollectionPlan, objects: &[&[u8]]) -> Result<()> {
    if objects.len() != plan.count {
        return Err(Error::InvalidArgument {
            what: "global heap object count",
            value: format!("{} objects for a plan of {}", objects.len(), plan.count),
            reason: "encode takes exactly the objects its plan holds",
        });
    }
    if plan.size < MIN_COLLECTION_SIZE {
        return Err(Error::InvalidArgument {
            what: "global heap collection size",
            value: plan.size.to_string(),
            reason: "HDF5 2.0 rejects collections smaller than 4096 bytes",
        });
    }
    if plan.count > MAX_OBJECTS {
        return Err(Error::FieldOverflow {
            field: "global heap objects in one collection",
            value: len64(plan.count),
            max: len64(MAX_OBJECTS),
        });
    }
    let mut used = HEADER_SIZE;
    for obj in objects {
        used = field::add(
            "global heap collection size",
            used,
            object_footprint(len64(obj.len()))?,
        )?;
    }
    if used > plan.size {
        return Err(Error::FieldOverflow {
            field: "global heap objects' bytes in the collection",
            value: used,
            max: plan.size,
        });
    }
    let free = plan.size - used;
    let trailing = usize::try_from(free).map_err(|_| Error::FieldOverflow {
        field: "global heap collection size",
        value: plan.size,
        max: len64(usize::MAX),
    })?;

    out.extend_from_slice(b"GCOL");
    out.extend_from_slice(&[1, 0, 0, 0]); // version 1, 3 reserved
    out.extend_from_slice(&plan.size.to_le_bytes());
    for (i, obj) in objects.iter().enumerate() {
        // Fits: i < count <= 65535, checked above.
        let index = u16::try_from(i + 1).unwrap_or(u16::MAX);
        out.extend_from_slice(&index.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // reference count
        out.extend_from_slice(&0u32.to_le_bytes()); // reserved
        out.extend_from_slice(&len64(obj.len()).to_le_bytes());
        out.extend_from_slice(obj);
        let padded = obj.len().saturating_add(7) & !7;
        out.resize(
            out.len().saturating_add(padded.saturating_sub(obj.len())),
            0,
        );
    }
    let start = out.len();
    if free >= OBJECT_HEADER_SIZE {
        // Free-space object 0: its size counts its own header.
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&free.to_le_bytes());
    }
    out.resize(start.saturating_add(trailing), 0);
    Ok(())
}

/// The 16-byte variable-length element: length, collection address, object index.
///
/// # Examples
///
/// h5py 3.16's element for `'a'`, object 5 of the collection at 0x2110:
///
/// ```
/// use h5sink::format::global_heap::vlen_ref;
///
/// let element = vlen_ref(1, 0x2110, 5);
/// assert_eq!(element[..4], 1u32.to_le_bytes()); // length in bytes, no NUL
/// assert_eq!(element[4..12], 0x2110u64.to_le_bytes()); // collection address
/// assert_eq!(element[12..], 5u32.to_le_bytes()); // heap object index
/// ```
pub fn vlen_ref(len: u32, collection: u64, index: u32) -> [u8; 16] {
    let mut out = [0u8; 16];
    let parts = len
        .to_le_bytes()
        .into_iter()
        .chain(collection.to_le_bytes())
        .chain(index.to_le_bytes());
    for (dst, src) in out.iter_mut().zip(parts) {
        *dst = src;
    }
    out
}

#[cfg(test)]
mod tests;
