//! Tests of the local heap decoder.
//! Spec notes: `spec-notes/local-heap.md`.

use super::*;
use crate::error::Error;
use crate::format::hex;
use crate::format::local_heap::LocalHeap;

/// h5py 3.16: the root heap at 0x2a8 of a file with `a`, soft link `s ->
/// /a` and group `g`: 88 bytes of data, free block at 40.
const H5PY_HEAP: &str = "48454150 00000000 5800000000000000 2800000000000000 c802000000000000
    0000000000000000 6100000000000000 7300000000000000 2f61000000000000 6700000000000000
    0100000000000000 3000000000000000 0000000000000000 0000000000000000 0000000000000000
    0000000000000000";

#[test]
fn golden_h5py() {
    let bytes = hex(H5PY_HEAP);
    let h = decode(&bytes, 0x2a8, 2060).unwrap();
    assert_eq!(
        h,
        HeapHeader {
            data_size: 88,
            free_list: Some(40),
            data_address: 0x2c8
        }
    );
    let data = &bytes[32..];
    let names: Vec<&[u8]> = [0, 8, 16, 24, 32]
        .iter()
        .map(|&o| name_at(data, 0x2c8, o).unwrap())
        .collect();
    assert_eq!(names, [&b""[..], b"a", b"s", b"/a", b"g"]);
}

#[test]
fn round_trips() {
    let names: [&[u8]; 4] = [b"x", b"loss", b"a_rather_long_member_name", b"z"];
    for n in 0..=names.len() {
        let mut heap = LocalHeap::new();
        let offsets: Vec<u64> = names[..n].iter().map(|s| heap.add(s)).collect();
        let mut bytes = Vec::new();
        heap.encode(0x400, &mut bytes).unwrap();
        let h = decode(&bytes, 0x400, 0x400 + heap.size()).unwrap();
        assert_eq!(h.data_address, 0x420);
        assert_eq!(h.free_list, None);
        assert_eq!(h.data_size + 32, heap.size());
        for (o, name) in offsets.iter().zip(&names) {
            assert_eq!(name_at(&bytes[32..], 0x420, *o).unwrap(), *name);
        }
    }
}

#[test]
fn hostile() {
    let good = hex(H5PY_HEAP);
    for n in 0..32 {
        assert!(decode(&good[..n], 0x2a8, 2060).is_err(), "{n}");
    }
    for bit in 0..good.len() * 8 {
        let mut b = good.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        if let Ok(h) = decode(&b, 0x2a8, 2060) {
            let data = &b[32..];
            for o in [0, 8, 40, h.free_list.unwrap_or(0), u64::MAX] {
                let _ = name_at(data, h.data_address, o);
            }
        }
    }
    // The segment address at the EOF; free list outside the segment;
    // UNDEF free list (libhdf5: "bad heap free list").
    let e = decode(&good, 0x2a8, 0x2c8).unwrap_err();
    assert!(matches!(e, Error::Malformed { offset: 0x2c0, .. }), "{e}");
    for free in [80u64, 88, u64::MAX] {
        let mut b = good.clone();
        b[16..24].copy_from_slice(&free.to_le_bytes());
        let e = decode(&b, 0x2a8, 2060).unwrap_err();
        assert!(matches!(e, Error::Malformed { offset: 0x2b8, .. }), "{e}");
    }
    let mut b = good;
    b[4] = 1;
    assert!(decode(&b, 0x2a8, 2060).is_err());
}
