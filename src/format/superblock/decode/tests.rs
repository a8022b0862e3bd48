//! Tests of the superblock decoder.
//! Spec notes: `spec-notes/superblock.md`.

use super::*;
use crate::format::field::UNDEF_ADDR;
use crate::format::hex;

/// libhdf5 1.10.8, `H5Pset_istore_k(fcpl, 64)` on an empty file (804
/// bytes): a version 1 superblock.
const V1: &str = "894844460d0a1a0a 01000000 00080800 0400 1000 00000000 4000 0000
    0000000000000000 ffffffffffffffff 2403000000000000 ffffffffffffffff
    0000000000000000 6400000000000000 01000000 00000000 8c00000000000000 ac02000000000000";
/// h5py 3.16's one-dataset file `x.h5` (2060 bytes).
const V0: &str = "894844460d0a1a0a 0000000000080800 0400100000000000 0000000000000000
    ffffffffffffffff 0c08000000000000 ffffffffffffffff 0000000000000000
    6000000000000000 0100000000000000 8800000000000000 a802000000000000";

fn sb(eof: u64, root: u64, btree: u64, heap: u64) -> Superblock {
    Superblock {
        eof,
        root_object_header: root,
        root_btree: btree,
        root_heap: heap,
    }
}

#[test]
fn golden() {
    let d = decode(&hex(V0), 2060).unwrap();
    assert_eq!(d.superblock, sb(2060, 0x60, 0x88, 0x2a8));
    assert_eq!((d.version, d.size, d.chunk_internal_k), (0, 96, 32));
    assert_eq!((d.group_leaf_k, d.group_internal_k), (4, 16));
    let d = decode(&hex(V1), 804).unwrap();
    assert_eq!(d.superblock, sb(804, 0x64, 0x8c, 0x2ac));
    assert_eq!((d.version, d.size, d.chunk_internal_k), (1, 100, 64));
    assert_eq!((d.group_leaf_k, d.group_internal_k), (4, 16));
    // A longer file than the EOF says is accepted (libhdf5 does too).
    assert!(decode(&hex(V1), 5000).is_ok());
}

#[test]
fn round_trips() {
    for s in [
        sb(96 + 40, 96, 96 + 1, 96 + 2),
        sb(1188, 0x60, 0x88, 0x2a8),
        sb(1 << 40, 1 << 39, 0x88, (1 << 40) - 1),
    ] {
        let d = decode(&s.encode(), s.eof).unwrap();
        assert_eq!(d.superblock, s);
        assert_eq!(
            (d.version, d.consistency_flags, d.root_name_offset),
            (0, 0, 0)
        );
    }
}

fn assert_unsupported(bytes: &[u8], len: u64, offset: u64, says: &str) {
    match decode(bytes, len) {
        Err(Error::Unsupported {
            offset: o, detail, ..
        }) => {
            assert_eq!(o, offset, "{detail}");
            assert!(detail.contains(says), "{detail}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unsupported() {
    let v0 = hex(V0);
    for (at, value, says) in [
        (8, 2, "version 2"),
        (8, 3, "version 3"),
        (13, 4, "size of offsets 4"),
        (14, 2, "size of lengths 2"),
        (24, 1, "base address 1"),
        (32, 0x10, "free-space info address is 16"),
        (48, 0x10, "driver information block address is 16"),
    ] {
        let mut b = v0.clone();
        b[at] = value;
        if at == 32 || at == 48 {
            b[at + 1..at + 8].fill(0);
        }
        assert_unsupported(&b, 2060, at as u64, says);
    }
    // A root entry without the cache (a root group whose members are link
    // messages): read, the cached addresses undefined.
    let mut b = v0.clone();
    b[72] = 0;
    let d = decode(&b, 2060).unwrap();
    assert_eq!(
        (d.superblock.root_btree, d.superblock.root_heap),
        (UNDEF_ADDR, UNDEF_ADDR)
    );
    // Cache type 2 (a soft link) is no root group.
    b[72] = 2;
    assert_unsupported(&b, 2060, 56, "cache type 1");
    // A user block: h5py's userblock_size=512 (the signature at 512).
    let mut file = vec![0u8; 512];
    file.extend_from_slice(&v0);
    assert_unsupported(&file, 4096, 512, "user block of 512 bytes");
    let mut file = vec![0u8; 2048];
    file.extend_from_slice(&v0);
    assert_unsupported(&file, 4096, 2048, "user block of 2048 bytes");
}

#[test]
fn malformed() {
    let v0 = hex(V0);
    for (at, value) in [
        (8, 4),
        (9, 1),
        (10, 1),
        (12, 1),
        (16, 0),
        (18, 0),
        (0, b'X'),
    ] {
        let mut b = v0.clone();
        b[at] = value;
        if at == 16 || at == 18 {
            b[at + 1] = 0;
        }
        let e = decode(&b, 2060).unwrap_err();
        assert!(
            matches!(e, Error::Malformed { offset, .. } if offset == at as u64),
            "{e}"
        );
    }
    // EOF beyond the file (truncated) or below the superblock's size.
    assert!(matches!(
        decode(&v0, 2059),
        Err(Error::Malformed { offset: 40, .. })
    ));
    let mut b = v0.clone();
    b[40..48].copy_from_slice(&95u64.to_le_bytes());
    assert!(matches!(
        decode(&b, 2060),
        Err(Error::Malformed { offset: 40, .. })
    ));
    // Root header, B-tree and heap at the EOF.
    for at in [64, 80, 88] {
        let mut b = v0.clone();
        b[at..at + 8].copy_from_slice(&2060u64.to_le_bytes());
        let e = decode(&b, 2060).unwrap_err();
        assert!(
            matches!(e, Error::Malformed { offset, .. } if offset == at as u64),
            "{e}"
        );
    }
}

#[test]
fn hostile() {
    for good in [hex(V0), hex(V1)] {
        let eof = if good[8] == 0 { 2060 } else { 804 };
        for n in 0..good.len() {
            assert!(decode(&good[..n], eof).is_err(), "{n}");
        }
        for bit in 0..good.len() * 8 {
            let mut b = good.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            let _ = decode(&b, eof);
        }
    }
    // The search is bounded whatever the length claimed.
    assert!(decode(&[0u8; 100], u64::MAX).is_err());
}
