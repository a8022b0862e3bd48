//! Tests of the group B-tree node decoder.
//! Spec notes: `spec-notes/group-btree.md`.

use super::*;
use crate::error::Error;
use crate::format::btree::group::{encode_group_node, group_node_size};
use crate::format::field::UNDEF_ADDR;
use crate::format::hex;

/// h5py 3.16 / digest §10: the root B-tree at 0x88 (used part): one leaf,
/// keys "" (0) and "x" (8), child the `SNOD` at 0x2d8.
const H5PY_ROOT: &str = "5452454500000100 ffffffffffffffff ffffffffffffffff
    0000000000000000 d802000000000000 0800000000000000";

#[test]
fn golden_h5py() {
    let node = decode_group_node(&hex(H5PY_ROOT), 0x88, 1188, 16).unwrap();
    let want = GroupNode {
        level: 0,
        left: None,
        right: None,
        keys: vec![0, 8],
        children: vec![0x2d8],
    };
    assert_eq!(node, want);
}

#[test]
fn round_trips() {
    let opt = |a: u64| (a != UNDEF_ADDR).then_some(a);
    for (level, left, right, n) in [
        (0u8, UNDEF_ADDR, UNDEF_ADDR, 0usize),
        (0, 0x100, UNDEF_ADDR, 1),
        (1, UNDEF_ADDR, 0x200, 5),
        (2, 0x300, 0x400, 32),
    ] {
        let keys: Vec<u64> = (0..=n as u64).map(|i| i * 8).collect();
        let children: Vec<u64> = (0..n as u64).map(|i| 0x1000 + i * 0x148).collect();
        let mut bytes = Vec::new();
        encode_group_node(&mut bytes, 16, level, left, right, &keys, &children).unwrap();
        assert_eq!(bytes.len() as u64, group_node_size(16));
        let got = decode_group_node(&bytes, 0x88, 0x10000, 16).unwrap();
        let want = GroupNode {
            level,
            left: opt(left),
            right: opt(right),
            keys,
            children,
        };
        assert_eq!(got, want);
    }
}

#[test]
fn hostile() {
    let good = hex(H5PY_ROOT);
    for n in 0..good.len() {
        assert!(
            decode_group_node(&good[..n], 0x88, 1188, 16).is_err(),
            "{n}"
        );
    }
    for bit in 0..good.len() * 8 {
        let mut b = good.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        if let Ok(node) = decode_group_node(&b, 0x88, 1188, 16) {
            assert!(node.children.len() <= 1);
        }
    }
    // The child at the EOF; a chunk node; 33 entries; an empty internal node.
    let e = decode_group_node(&good, 0x88, 0x2d8, 16).unwrap_err();
    assert!(matches!(e, Error::Malformed { offset: 0xa8, .. }), "{e}");
    let mut b = good.clone();
    b[4] = 1;
    assert!(decode_group_node(&b, 0x88, 1188, 16).is_err());
    let mut full = Vec::new();
    let keys: Vec<u64> = (0..33).collect();
    let children: Vec<u64> = (0..32).map(|i| 0x100 + i).collect();
    encode_group_node(&mut full, 16, 0, UNDEF_ADDR, UNDEF_ADDR, &keys, &children).unwrap();
    full[6] = 33;
    let e = decode_group_node(&full, 0x88, 1188, 16).unwrap_err();
    assert!(matches!(e, Error::Malformed { offset: 0x8e, .. }), "{e}");
    let mut b = good;
    b[5] = 1;
    b[6] = 0;
    assert!(decode_group_node(&b, 0x88, 1188, 16).is_err());
}
