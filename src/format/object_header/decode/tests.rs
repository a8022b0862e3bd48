//! Tests of the version 1 object header decoder.
//! Spec notes: `spec-notes/object-header.md`.

use super::*;
use crate::format::hex;
use crate::format::object_header::{encode, size, Message, FLAG_CONSTANT};

/// h5py 3.16: dataset `d` (int32 [0, 1, 2]) with int32 attributes a0..a3,
/// header at 0x320 (prefix + 256 bytes) continued at 0x578 (112 bytes) in a
/// 2060-byte file.
const HEADER: &str = "
    01000a0001000000000100000000000001001800000000000101010000000000
    0300000000000000030000000000000003001000010000001008000004000000
    0000200000000000050008000100000002020201000000000800180000000000
    030100080000000000000c000000000000000000000000000c00300000000000
    010003000c000800613000000000000010080000040000000000200000000000
    010000000000000000000000000000000c00300000000000010003000c000800
    6131000000000000100800000400000000002000000000000100000000000000
    0100000000000000100010000000000078050000000000007000000000000000
    00000800000000000000000000000000";
const CONT: &str = "
    0c00300000000000010003000c00080061320000000000001008000004000000
    0000200000000000010000000000000002000000000000000c00300000000000
    010003000c000800613300000000000010080000040000000000200000000000
    01000000000000000300000000000000";

const EOF: u64 = 2060;

#[test]
fn golden_h5py_continued_header() {
    let h = decode(&hex(HEADER), 0x320, EOF).unwrap();
    assert_eq!(
        h.prefix,
        Prefix {
            message_count: 10,
            refcount: 1,
            data_size: 256
        }
    );
    let kinds: Vec<u16> = h.block.messages.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [1, 3, 5, 8, 12, 12]);
    assert_eq!(h.block.found, 8); // + the continuation and a NIL
    let dt = &h.block.messages[1];
    assert_eq!(
        (dt.flags, dt.offset, dt.body.len()),
        (FLAG_CONSTANT, 0x358, 16)
    );
    assert_eq!(dt.body[..12], hex("100800000400000000002000"));
    assert_eq!(
        h.block.continuations,
        [Continuation {
            address: 0x578,
            length: 112
        }]
    );
    let c = decode_messages(&hex(CONT), 0x578, EOF).unwrap();
    assert_eq!(c.messages.len(), 2);
    assert_eq!(c.messages[1].offset, 0x5b8);
    assert_eq!(c.messages[1].body[8..10], *b"a3");
    check_count(h.prefix.message_count, h.block.found + c.found, 0x320).unwrap();
    assert!(check_count(h.prefix.message_count, h.block.found, 0x320).is_err());
}

#[test]
fn round_trips() {
    let bodies: Vec<Vec<u8>> = (0..6)
        .map(|n| (0..n * 5).map(|b| b as u8).collect())
        .collect();
    for n in 0..bodies.len() {
        let msgs: Vec<Message<'_>> = bodies[..n]
            .iter()
            .enumerate()
            .map(|(i, b)| Message {
                kind: 1 + i as u16,
                flags: i as u8,
                body: b,
            })
            .collect();
        let mut out = Vec::new();
        encode(&mut out, &msgs).unwrap();
        let eof = 0x100 + size(&msgs).unwrap();
        let h = decode(&out, 0x100, eof).unwrap();
        assert_eq!(usize::from(h.prefix.message_count), n);
        assert_eq!(h.prefix.data_size as u64 + 16, out.len() as u64);
        assert_eq!(h.block.messages.len(), n);
        for (got, want) in h.block.messages.iter().zip(&msgs) {
            assert_eq!((got.kind, got.flags), (want.kind, want.flags));
            assert_eq!(got.body[..want.body.len()], *want.body);
            assert!(got.body[want.body.len()..].iter().all(|&b| b == 0));
            let at = (got.offset - 0x100) as usize;
            assert_eq!(out[at..at + got.body.len()], got.body[..]);
        }
        check_count(h.prefix.message_count, h.block.found, 0x100).unwrap();
    }
}

#[test]
fn hostile() {
    for (good, base) in [(hex(HEADER), 0x320), (hex(CONT), 0x578)] {
        let whole = |b: &[u8]| -> Result<usize> {
            if base == 0x320 {
                decode(b, base, EOF).map(|h| h.block.messages.len())
            } else {
                decode_messages(b, base, EOF).map(|b| b.messages.len())
            }
        };
        for n in 0..good.len() {
            // A continuation block cut at a message boundary is a shorter
            // valid block; any other cut is an error.
            let r = whole(&good[..n]);
            if base == 0x320 || n % 8 != 0 {
                assert!(r.is_err() || (base != 0x320 && n % 8 == 0), "{n}");
            }
        }
        for bit in 0..good.len() * 8 {
            let mut b = good.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            if let Ok(n) = whole(&b) {
                assert!(n <= good.len() / 8);
            }
        }
    }
    // The continuation at the EOF, and its block ending past it.
    let head = hex(HEADER);
    assert!(matches!(
        decode(&head, 0x320, 0x578),
        Err(Error::Malformed { offset: 0x410, .. })
    ));
    assert!(matches!(
        decode(&head, 0x320, 0x578 + 111),
        Err(Error::Malformed { offset: 0x418, .. })
    ));
    // Version 2 headers are Unsupported; version 0 is Malformed.
    let mut v2 = head.clone();
    v2[..4].copy_from_slice(b"OHDR");
    assert!(matches!(
        decode(&v2, 0x320, EOF),
        Err(Error::Unsupported { offset: 0x320, .. })
    ));
    let mut v0 = head.clone();
    v0[0] = 0;
    let e = decode(&v0, 0x320, EOF).unwrap_err();
    assert_eq!(
        e.to_string(),
        "object header at offset 800 is malformed: version 0, expected 1"
    );
    // Data size past the EOF; a message running past its block.
    assert!(matches!(
        decode(&head, 0x320, 0x320 + 16 + 255),
        Err(Error::Malformed { offset: 0x328, .. })
    ));
    let mut long = head;
    long[0x10 + 2] = 0xf8; // the dataspace message claims 248 + 8 bytes... past the block
    long[0x10 + 3] = 0x01;
    assert!(decode(&long, 0x320, EOF).is_err());
}
