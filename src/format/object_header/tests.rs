#![cfg(test)]
//! Unit tests of the version 1 object header encoder (`spec-notes/object-header.md`).

use super::*;
use crate::error::Error;

/// The root group header of every h5py 3.16 file (TREE 0x88, HEAP 0x2a8).
#[test]
fn h5py_root_group_header() {
    let body = [0x88, 0, 0, 0, 0, 0, 0, 0, 0xa8, 0x02, 0, 0, 0, 0, 0, 0];
    let msgs = [Message {
        kind: kind::SYMBOL_TABLE,
        flags: 0,
        body: &body,
    }];
    let mut out = Vec::new();
    encode(&mut out, &msgs).unwrap();
    let mut want = vec![1, 0, 1, 0, 1, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0];
    want.extend_from_slice(&[0x11, 0, 0x10, 0, 0, 0, 0, 0]);
    want.extend_from_slice(&body);
    assert_eq!(out, want);
    assert_eq!(size(&msgs).unwrap(), 40);
}

/// Datatype i32 (12-byte body, flag constant) as in h5py's `x` dataset:
/// `03 00 10 00 01 00 00 00 | 10 08 00 00 04 00 00 00 00 00 20 00 | 00 00 00 00`.
#[test]
fn pads_body_and_declared_size() {
    let body = [0x10, 0x08, 0, 0, 4, 0, 0, 0, 0, 0, 0x20, 0];
    let msgs = [Message {
        kind: kind::DATATYPE,
        flags: FLAG_CONSTANT,
        body: &body,
    }];
    let mut out = Vec::new();
    encode(&mut out, &msgs).unwrap();
    let tail = [
        3, 0, 16, 0, 1, 0, 0, 0, 0x10, 8, 0, 0, 4, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0,
    ];
    assert_eq!(&out[16..], &tail[..]);
    assert_eq!(
        &out[..16],
        &[1, 0, 1, 0, 1, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0]
    );
}

#[test]
fn size_matches_encode() {
    let bodies: Vec<Vec<u8>> = (0..20).map(|n| vec![0xAB; n * 3]).collect();
    let msgs: Vec<Message<'_>> = bodies
        .iter()
        .map(|b| Message {
            kind: kind::NIL,
            flags: 0,
            body: b,
        })
        .collect();
    for n in 0..msgs.len() {
        let mut out = vec![0xEE; 5];
        encode(&mut out, &msgs[..n]).unwrap();
        assert_eq!(len64(out.len() - 5), size(&msgs[..n]).unwrap());
        assert_eq!((out.len() - 5) % 8, 0);
    }
}

#[test]
fn message_size_limit() {
    let ok = vec![0; 65528];
    let msgs = [Message {
        kind: kind::ATTRIBUTE,
        flags: 0,
        body: &ok,
    }];
    assert_eq!(size(&msgs).unwrap(), 16 + 8 + 65528);
    let big = vec![0; 65529];
    let msgs = [Message {
        kind: kind::ATTRIBUTE,
        flags: 0,
        body: &big,
    }];
    let err = encode(&mut Vec::new(), &msgs).unwrap_err();
    match err {
        Error::FieldOverflow { field, value, max } => {
            assert_eq!(field, "object header message size");
            assert_eq!((value, max), (65536, 65535));
        }
        other => panic!("{other}"),
    }
    assert!(size(&msgs).is_err());
}

#[test]
fn message_count_limit() {
    let msgs = vec![
        Message {
            kind: kind::NIL,
            flags: 0,
            body: &[]
        };
        65536
    ];
    let err = encode(&mut Vec::new(), &msgs).unwrap_err().to_string();
    assert!(err.contains("object header message count"), "{err}");
    assert!(encode(&mut Vec::new(), &msgs[..65535]).is_ok());
}
