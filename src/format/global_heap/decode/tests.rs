//! Tests of the global heap decoder: round trips through `encode`, h5py
//! 3.16 collections and references, and hostile collections. Spec notes:
//! `spec-notes/global-heap.md`.

use super::super::{encode, pack, vlen_ref, CollectionPlan};
use super::*;
use crate::format::hex;

/// `objects` packed, encoded and decoded back, collection by collection
/// (collection j at 0x1000 * (j + 1) in a file of `eof` bytes).
fn round_trip(objects: &[Vec<u8>]) {
    let lengths: Vec<u64> = objects.iter().map(|o| len64(o.len())).collect();
    let plans = pack(&lengths).unwrap();
    let eof = 1 << 40;
    for (j, plan) in plans.iter().enumerate() {
        let mine: Vec<&[u8]> = objects[plan.first..plan.first + plan.count]
            .iter()
            .map(|o| o.as_slice())
            .collect();
        let mut out = Vec::new();
        encode(&mut out, plan, &mine).unwrap();
        let at = 0x1000 * (j as u64 + 1);
        assert_eq!(collection_size(&out[..16], at, eof).unwrap(), plan.size);
        let heap = decode_collection(&out, at, eof).unwrap();
        assert_eq!((heap.address, heap.size), (at, plan.size));
        assert_eq!(heap.objects.len(), plan.count);
        for (i, o) in mine.iter().enumerate() {
            let index = i as u32 + 1;
            let element = vlen_ref(o.len() as u32, at, index);
            let (len, c, idx) = decode_vlen_ref(&element, 0, eof).unwrap();
            assert_eq!((len, c, idx), (o.len() as u32, at, index));
            assert_eq!(resolve_vlen_string(&heap, len, c, idx).unwrap(), *o);
        }
    }
}

#[test]
fn round_trips_through_the_encoder() {
    round_trip(&[b"a".to_vec()]);
    round_trip(&[vec![], vec![]]);
    // 127 sixteen-byte objects fill 4096 exactly; the 128th opens another.
    round_trip(&vec![vec![7u8; 16]; 128]);
    // A tail of 8 bytes: no free-space object.
    round_trip(&[vec![1u8; 4056]]);
    // Oversize objects get their own collections; lengths of every padding.
    let mixed: Vec<Vec<u8>> = (0..300usize)
        .map(|i| (0..(i * 37) % 23).map(|b| (b + i) as u8).collect())
        .chain([
            vec![b'x'; 5000],
            vec![b'y'; 4064],
            "αβγ".as_bytes().to_vec(),
        ])
        .collect();
    round_trip(&mixed);
}

/// h5py 3.16 (the encoder's golden): `['a', 'bc', '', 'def', 'ghij']` and
/// `'hello'` in one collection at 0x2110.
#[test]
fn h5py_collection_of_six() {
    let mut bytes = hex("47434f4c 01000000 0010000000000000 \
         0100 0000 00000000 0300000000000000 6465660000000000 \
         0200 0000 00000000 0400000000000000 6768696a00000000 \
         0300 0000 00000000 0000000000000000 \
         0400 0000 00000000 0200000000000000 6263000000000000 \
         0500 0000 00000000 0100000000000000 6100000000000000 \
         0600 0000 00000000 0500000000000000 68656c6c6f000000 \
         0000 0000 00000000 680f000000000000");
    bytes.resize(4096, 0);
    let heap = decode_collection(&bytes, 0x2110, 0x3110).unwrap();
    let want: [&[u8]; 6] = [b"def", b"ghij", b"", b"bc", b"a", b"hello"];
    assert_eq!(
        heap.objects.values().map(Vec::as_slice).collect::<Vec<_>>(),
        want
    );
    let element = hex("01000000 1021000000000000 05000000");
    let (len, at, index) = decode_vlen_ref(&element, 0x800, 0x3110).unwrap();
    assert_eq!(resolve_vlen_string(&heap, len, at, index).unwrap(), b"a");
}

/// h5py 3.16: `create_dataset('s', data=['α', 'hello world', '', 'x' * 300,
/// 'end'], dtype=h5py.string_dtype())`: a 4096-byte collection at 0x850
/// whose objects libhdf5 numbered from the last string (object 1 is the
/// 300 x's, 5 is 'α'); the dataset's raw data (80 bytes at 2048) holds
/// the five references. The file is 6224 bytes.
#[test]
fn h5py_dataset_of_strings() {
    let mut col = hex("47434f4c01000000 0010000000000000 0100000000000000 2c01000000000000");
    col.extend_from_slice(&[b'x'; 300]);
    col.extend_from_slice(&hex(
        "00000000 0200000000000000 0300000000000000 656e640000000000 \
         0300000000000000 0000000000000000 \
         0400000000000000 0b00000000000000 68656c6c6f20776f726c640000000000 \
         0500000000000000 0200000000000000 ceb1000000000000 \
         0000000000000000 500e000000000000",
    ));
    col.resize(4096, 0);
    let raw = hex(
        "020000005008000000000000050000000b000000500800000000000004000000\
         000000005008000000000000030000002c010000500800000000000001000000\
         03000000500800000000000002000000",
    );
    let heap = decode_collection(&col, 0x850, 6224).unwrap();
    let strings: Vec<&[u8]> = raw
        .chunks(16)
        .enumerate()
        .map(|(i, e)| {
            let (len, at, index) = decode_vlen_ref(e, 2048 + 16 * i as u64, 6224).unwrap();
            resolve_vlen_string(&heap, len, at, index).unwrap()
        })
        .collect();
    let x300 = [b'x'; 300];
    let want: [&[u8]; 5] = ["α".as_bytes(), b"hello world", b"", &x300, b"end"];
    assert_eq!(strings, want);
}

fn sample() -> Vec<u8> {
    let mut out = Vec::new();
    let plan = CollectionPlan {
        size: 4096,
        first: 0,
        count: 3,
    };
    encode(&mut out, &plan, &[b"abc", b"", b"0123456789"]).unwrap();
    out
}

#[test]
fn every_truncation_errors_and_flips_do_not_panic() {
    let bytes = sample();
    for cut in 0..bytes.len() {
        assert!(
            decode_collection(&bytes[..cut], 0x800, 0x10000).is_err(),
            "cut {cut}"
        );
    }
    // Flips in the used part (header, 3 objects, free-space header).
    for bit in 0..(16 + 24 + 16 + 32 + 16) * 8 {
        let mut bad = bytes.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        if let Ok(heap) = decode_collection(&bad, 0x800, 0x10000) {
            assert!(heap.objects.values().map(Vec::len).sum::<usize>() <= 4096);
        }
    }
    let element = vlen_ref(3, 0x800, 1);
    for cut in 0..16 {
        assert!(decode_vlen_ref(&element[..cut], 0, 0x10000).is_err());
    }
}

fn reason(got: Result<Collection>) -> String {
    match got {
        Err(Error::Malformed { reason, .. }) => reason,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn hostile_collections() {
    let good = sample();
    let eof = 0x10000;
    let with = |at: usize, value: &[u8]| {
        let mut b = good.clone();
        b[at..at + value.len()].copy_from_slice(value);
        decode_collection(&b, 0x800, eof)
    };
    assert!(reason(with(0, b"GCOX")).contains("signature"));
    assert!(matches!(with(4, &[2]), Err(Error::Unsupported { .. })));
    assert!(reason(with(8, &4088u64.to_le_bytes())).contains("below the minimum"));
    assert!(reason(with(8, &8192u64.to_le_bytes())).contains("8192 bytes, 4096 present"));
    assert!(reason(decode_collection(&good, 0x800, 0x17ff)).contains("to the end of the file"));
    // Object 1 claiming more than the collection holds.
    assert!(reason(with(24, &5000u64.to_le_bytes())).contains("object size 5000"));
    // Object 2 given index 1 again.
    assert!(reason(with(40, &[1, 0])).contains("used twice"));
    // Free space smaller than its header, or larger than what remains.
    let free_at = 16 + 24 + 16 + 32;
    assert!(reason(with(free_at + 8, &8u64.to_le_bytes())).contains("below its 16-byte header"));
    assert!(reason(with(free_at + 8, &5000u64.to_le_bytes())).contains("free space size"));
    // Padding past the end: a 4100-byte collection whose object of 4066
    // bytes fits, but not its padding to 4072; 4064 bytes pad to the end.
    let mut odd = b"GCOL\x01\0\0\0".to_vec();
    odd.extend_from_slice(&4100u64.to_le_bytes());
    odd.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]);
    odd.extend_from_slice(&4066u64.to_le_bytes());
    odd.resize(4100, 0);
    assert!(reason(decode_collection(&odd, 0x800, eof)).contains("2 left"));
    odd[24..32].copy_from_slice(&4064u64.to_le_bytes());
    assert_eq!(
        decode_collection(&odd, 0x800, eof).unwrap().objects[&1].len(),
        4064
    );
    // References: undefined or out-of-file collections; unresolvable ones.
    let undef = vlen_ref(1, u64::MAX, 1);
    assert!(decode_vlen_ref(&undef, 0, eof).is_err());
    assert!(decode_vlen_ref(&vlen_ref(1, eof, 1), 0, eof).is_err());
    assert_eq!(
        decode_vlen_ref(&vlen_ref(0, 0, 0), 0, eof).unwrap(),
        (0, 0, 0)
    );
    let heap = decode_collection(&good, 0x800, eof).unwrap();
    assert!(resolve_vlen_string(&heap, 0, 0x800, 0).is_err()); // the free space
    assert!(resolve_vlen_string(&heap, 0, 0x800, 65538).is_err()); // index 2 mod 2^16
    assert_eq!(resolve_vlen_string(&heap, 0, 0x800, 2).unwrap(), b"");
}
