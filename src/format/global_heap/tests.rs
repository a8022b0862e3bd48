//! Tests of the global heap encoder: golden collections and references
//! from h5py 3.16 files, and the packing rules. Spec notes:
//! `spec-notes/global-heap.md`.

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
