//! Targeted hostile edits of valid files: each one a specific error naming
//! the structure and its offset (an open that fails, or a read).

use h5sink::{Error, File, MemStorage};

use super::layout::*;
use super::{check, files};

pub fn open(b: &[u8]) -> h5sink::Result<File> {
    let m = MemStorage::new();
    h5sink::Storage::write_at(&m, 0, b).unwrap();
    File::open_storage(m)
}

/// `r` is `Error::Malformed` (or `Unsupported` when `unsupported`) for
/// `structure`, its offset `offset` (when given), and its message names
/// the offset. Also: the whole-file walk of `b` passes `check`.
#[track_caller]
pub fn expect<T: std::fmt::Debug>(
    r: h5sink::Result<T>,
    want: &str,
    offset: Option<u64>,
    b: &[u8],
) -> String {
    let (structure, at) = match &r {
        Err(Error::Malformed {
            structure, offset, ..
        }) if want.starts_with("malformed ") => (*structure, *offset),
        Err(Error::Unsupported {
            structure, offset, ..
        }) if want.starts_with("unsupported ") => (*structure, *offset),
        other => panic!("wanted {want}, got {other:?}"),
    };
    let msg = r.unwrap_err().to_string();
    println!("{msg}");
    assert_eq!(structure, want.split_once(' ').unwrap().1, "{msg}");
    if let Some(o) = offset {
        assert_eq!(at, o, "{msg}");
    }
    assert!(
        msg.contains(structure) && msg.contains(&at.to_string()),
        "{msg}"
    );
    let _ = check(want, b);
    msg
}

#[test]
fn wrong_superblock_signature() {
    let mut b = files::h5sink_tiny();
    b[1] = b'X';
    expect(open(&b), "malformed superblock", Some(0), &b);
}

#[test]
fn root_address_past_eof() {
    let mut b = files::h5sink_tiny();
    let past = b.len() as u64 + 4096;
    put_u64(&mut b, SB_ROOT, past);
    expect(open(&b), "malformed superblock", None, &b);
}

#[test]
fn object_header_claiming_a_huge_size() {
    let mut b = files::h5sink_mixed();
    let h = member_headers(&b)[0];
    put_u32(&mut b, h + 8, 0xffff_fff0);
    expect(open(&b), "malformed object header", Some(h as u64 + 8), &b);
}

#[test]
fn local_heap_and_group_btree_past_eof() {
    let orig = files::h5sink_mixed();
    let root = u64_at(&orig, SB_ROOT) as usize;
    let st = msg(&messages(&orig, root), SYMBOL_TABLE);
    for (field, name) in [
        (8, "malformed symbol table message"),
        (0, "malformed symbol table message"),
    ] {
        let mut b = orig.clone();
        put_u64(&mut b, st.body + field, orig.len() as u64 + 100);
        expect(open(&b), name, None, &b);
    }
}

#[test]
fn member_names_that_are_no_names() {
    let orig = files::h5sink_tiny();
    let root = u64_at(&orig, SB_ROOT) as usize;
    let snod = snods(&orig, root)[0];
    let heap = group_table(&orig, root).unwrap().1;
    let data = u64_at(&orig, heap + 24) as usize;
    let name_at = data + u64_at(&orig, snod + 8) as usize;
    for bad in [&b"\0"[..], b".\0", b"/\0"] {
        let mut b = orig.clone();
        b[name_at..name_at + bad.len()].copy_from_slice(bad);
        let msg = expect(
            open(&b),
            "malformed symbol table node",
            Some(snod as u64),
            &b,
        );
        assert!(msg.contains("member name"), "{msg}");
    }
}

/// Groups nested `n` deep, written by h5sink.
fn nested(n: usize) -> Vec<u8> {
    let f = File::in_memory().unwrap();
    let mut g = f.create_group("g").unwrap();
    for _ in 1..n {
        g = g.create_group("g").unwrap();
    }
    drop(g);
    f.into_bytes().unwrap()
}

/// Loading recurses once per group level: 256 levels open (and walk) in a
/// test thread's 2 MiB stack, 257 are Unsupported (3000, and in a debug
/// build 384, overflowed it).
#[test]
fn deeply_nested_groups() {
    let b = nested(256);
    let w = check("256 nested groups", &b).unwrap();
    assert_eq!(w.objects, 257);
    let b = nested(3000);
    let r = open(&b).map(|_| ());
    let msg = expect(r, "unsupported object header", None, &b);
    assert!(msg.contains("nested 257 deep"), "{msg}");
}
