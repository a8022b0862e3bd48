//! Global heap collections (`GCOL`) and variable-length references. Spec notes: `spec-notes/global-heap.md`.

use super::field::{self, len64};
use crate::error::{Error, Result};

/// The smallest collection libhdf5 accepts.
pub const MIN_COLLECTION_SIZE: u64 = 4096;

/// Bytes of the collection header: signature, version, reserved, size.
const HEADER_SIZE: u64 = 16;
/// Bytes of an object header: index, reference count, reserved, size.
const OBJECT_HEADER_SIZE: u64 = 16;
/// Heap object indices are u16 and index 0 is the free space.
const MAX_OBJECTS: usize = u16::MAX as usize;

/// One planned collection: its size and which objects it holds.
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
mod tests {
    use super::*;
    use crate::format::hex;

    /// h5py 3.16 wrote `vstr = ['a', 'bc', '', 'def', 'ghij']` and a scalar
    /// `'hello'` into one 4096-byte collection at 0x2110, objects in this order.
    #[test]
    fn h5py_collection() {
        let objects: [&[u8]; 6] = [b"def", b"ghij", b"", b"bc", b"a", b"hello"];
        let lengths: Vec<u64> = objects.iter().map(|o| len64(o.len())).collect();
        let plans = pack(&lengths).unwrap();
        assert_eq!(
            plans,
            [CollectionPlan {
                size: 4096,
                first: 0,
                count: 6
            }]
        );
        let mut out = Vec::new();
        encode(&mut out, &plans[0], &objects).unwrap();
        let want = hex("47434f4c 01000000 0010000000000000 \
             0100 0000 00000000 0300000000000000 6465660000000000 \
             0200 0000 00000000 0400000000000000 6768696a00000000 \
             0300 0000 00000000 0000000000000000 \
             0400 0000 00000000 0200000000000000 6263000000000000 \
             0500 0000 00000000 0100000000000000 6100000000000000 \
             0600 0000 00000000 0500000000000000 68656c6c6f000000 \
             0000 0000 00000000 680f000000000000");
        assert_eq!(&out[..want.len()], &want[..]);
        assert_eq!(out.len(), 4096);
        assert!(out[want.len()..].iter().all(|&b| b == 0));
    }

    /// h5py 3.16 vlen elements of `vstr`: `'a'` is object 5 of the collection at 0x2110.
    #[test]
    fn h5py_vlen_refs() {
        assert_eq!(
            vlen_ref(1, 0x2110, 5).to_vec(),
            hex("01000000 1021000000000000 05000000")
        );
        assert_eq!(
            vlen_ref(0, 0x2110, 3).to_vec(),
            hex("00000000 1021000000000000 03000000")
        );
    }

    #[test]
    fn pack_splits_greedily() {
        // 127 sixteen-byte objects fill 4096 exactly (the spec's example).
        let plans = pack(&[16; 128]).unwrap();
        assert_eq!(plans.len(), 2);
        assert_eq!(
            plans[0],
            CollectionPlan {
                size: 4096,
                first: 0,
                count: 127
            }
        );
        assert_eq!(
            plans[1],
            CollectionPlan {
                size: 4096,
                first: 127,
                count: 1
            }
        );
        // 255 empty strings (16 bytes each) fill 4096 exactly too.
        let plans = pack(&[0; 256]).unwrap();
        assert_eq!((plans[0].count, plans[1].count), (255, 1));
        assert!(pack(&[]).unwrap().is_empty());
    }

    #[test]
    fn oversize_object_gets_its_own_collection() {
        let plans = pack(&[1, 5000, 2, 4064, 4065]).unwrap();
        assert_eq!(
            plans,
            [
                CollectionPlan {
                    size: 4096,
                    first: 0,
                    count: 1
                },
                CollectionPlan {
                    size: 16 + 16 + 5000,
                    first: 1,
                    count: 1
                },
                CollectionPlan {
                    size: 4096,
                    first: 2,
                    count: 1
                },
                CollectionPlan {
                    size: 4096,
                    first: 3,
                    count: 1
                },
                CollectionPlan {
                    size: 16 + 16 + 4072,
                    first: 4,
                    count: 1
                },
            ]
        );
        let big = vec![b'x'; 5000];
        let mut out = Vec::new();
        encode(&mut out, &plans[1], &[&big]).unwrap();
        assert_eq!(len64(out.len()), plans[1].size);
        assert_eq!(
            &out[16..32],
            &hex("0100 0000 00000000 8813000000000000")[..]
        );
    }

    #[test]
    fn tail_below_16_bytes_is_left_as_zeros() {
        // 16 + (16 + 4056) = 4088: 8 bytes remain, too few for object 0.
        let obj = vec![7u8; 4056];
        let plans = pack(&[4056]).unwrap();
        let mut out = Vec::new();
        encode(&mut out, &plans[0], &[&obj]).unwrap();
        assert_eq!(out.len(), 4096);
        assert!(out[4088..].iter().all(|&b| b == 0));
    }

    #[test]
    fn encode_rejects_mismatches() {
        let plan = CollectionPlan {
            size: 4096,
            first: 0,
            count: 2,
        };
        assert!(encode(&mut Vec::new(), &plan, &[b"a"]).is_err());
        let small = CollectionPlan {
            size: 4096,
            first: 0,
            count: 1,
        };
        let huge = vec![0u8; 4096];
        assert!(encode(&mut Vec::new(), &small, &[&huge]).is_err());
        assert!(pack(&[u64::MAX]).is_err());
        let tiny = CollectionPlan {
            size: 4095,
            first: 0,
            count: 0,
        };
        assert!(encode(&mut Vec::new(), &tiny, &[]).is_err());
    }
}
