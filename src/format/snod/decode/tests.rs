//! Tests of the `SNOD` and entry decoders.
//! Spec notes: `spec-notes/snod.md`.

use super::*;
use crate::error::Error;
use crate::format::field::UNDEF_ADDR;
use crate::format::hex;
use crate::format::snod::{encode_entry, encode_node, node_size};

/// h5py 3.16, root `SNOD` at 0x430 of a file with dataset `a`, soft link
/// `s -> /a` and group `g` (entries in name order: a, g, s).
const H5PY_NODE: &str = "534e4f4401000300
    0800000000000000 2003000000000000 00000000 00000000 0000000000000000 0000000000000000
    2000000000000000 7805000000000000 01000000 00000000 a005000000000000 0010000000000000
    1000000000000000 ffffffffffffffff 02000000 00000000 1800000000000000 0000000000000000";

fn entries() -> Vec<Entry> {
    vec![
        Entry {
            name_offset: 8,
            object_header: 0x320,
            cache: Cache::None,
        },
        Entry {
            name_offset: 32,
            object_header: 0x578,
            cache: Cache::Group {
                btree: 0x5a0,
                heap: 0x1000,
            },
        },
        Entry {
            name_offset: 16,
            object_header: UNDEF_ADDR,
            cache: Cache::SymbolicLink { link_offset: 24 },
        },
    ]
}

#[test]
fn golden_h5py_node() {
    let bytes = hex(H5PY_NODE);
    assert_eq!(decode_node(&bytes, 0x430, 0x2000, 4).unwrap(), entries());
    let mut again = Vec::new();
    encode_node(&mut again, 4, &entries()).unwrap();
    assert_eq!(again[..bytes.len()], bytes[..]);
}

#[test]
fn round_trips() {
    let all = entries();
    for k in [1u16, 2, 4, 16] {
        for n in 0..=all.len().min(2 * usize::from(k)) {
            let mut node = Vec::new();
            encode_node(&mut node, k, &all[..n]).unwrap();
            assert_eq!(node.len() as u64, node_size(k));
            assert_eq!(decode_node(&node, 0, 0x2000, k).unwrap(), &all[..n]);
        }
    }
    for e in &all {
        let mut b = Vec::new();
        encode_entry(&mut b, e);
        let mut r = Reader::new(&b, 0, "symbol table entry");
        assert_eq!(decode_entry(&mut r, 0x2000).unwrap(), *e);
        assert!(r.is_empty());
    }
}

#[test]
fn hostile() {
    let good = hex(H5PY_NODE);
    for n in 0..good.len() {
        assert!(decode_node(&good[..n], 0x430, 0x2000, 4).is_err(), "{n}");
    }
    for bit in 0..good.len() * 8 {
        let mut b = good.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        if let Ok(v) = decode_node(&b, 0x430, 0x2000, 4) {
            assert!(v.len() <= 3);
        }
    }
    // Addresses at the EOF: the group's heap (0x1000) and header (0x578).
    let e = decode_node(&good, 0x430, 0x1000, 4).unwrap_err();
    assert!(matches!(e, Error::Malformed { offset, .. } if offset == 0x430 + 8 + 40 + 32));
    let e = decode_node(&good, 0x430, 0x578, 4).unwrap_err();
    assert!(matches!(e, Error::Malformed { offset, .. } if offset == 0x430 + 8 + 40 + 8));
    // A K too small for the count.
    assert!(decode_node(&good, 0x430, 0x2000, 1).is_err());
    // Undefined header of a dataset; cache type 3.
    let mut b = good.clone();
    b[16..24].fill(0xff);
    assert!(decode_node(&b, 0, 0x2000, 4).is_err());
    let mut b = good.clone();
    b[24] = 3;
    let e = decode_node(&b, 0, 0x2000, 4).unwrap_err();
    assert!(e.to_string().contains("cache type 3"), "{e}");
    // Undefined cached heap of a group.
    let mut b = good;
    b[80..88].fill(0xff);
    assert!(decode_node(&b, 0, 0x2000, 4).is_err());
}
