//! Targeted hostile edits of datasets: shapes, layouts, chunk indexes,
//! chunk bytes and string references. Each a specific error naming the
//! structure and its offset, at the open or at the read.

use super::{check, files};
use h5sink::{File, VarLenUnicode};

use super::layout::*;
use super::targeted::{expect, open};

/// The offset of dimension 0 in a dataspace message body (versions 1 and 2).
fn dim0(b: &[u8], body: usize) -> usize {
    body + if b[body] == 1 { 8 } else { 4 }
}

/// Set dimension 0 (and maximum dimension 0, if there is one) to `n`.
fn set_dim0(b: &mut [u8], body: usize, n: u64) {
    let d0 = dim0(b, body);
    put_u64(b, d0, n);
    if b[body + 2] & 1 == 1 {
        put_u64(b, d0 + 8 * b[body + 1] as usize, n);
    }
}

#[test]
fn dataspace_of_2_62_elements_over_a_tiny_contiguous_block() {
    let orig = files::h5sink_tiny();
    let (_, m) = header_with(&orig, LAYOUT, layout_class(1));
    let space = msg(&m, DATASPACE);
    for n in [1u64 << 62, 1 << 40] {
        let mut b = orig.clone();
        set_dim0(&mut b, space.body, n);
        let (structure, at) = if n == 1 << 62 {
            ("malformed dataspace message", space.body as u64)
        } else {
            ("malformed data layout message", msg(&m, LAYOUT).body as u64)
        };
        expect(open(&b), structure, Some(at), &b);
    }
}

#[test]
fn compact_data_of_another_size_than_the_shape() {
    let mut b = files::h5sink_mixed();
    let (_, m) = header_with(&b, LAYOUT, layout_class(0));
    let space = msg(&m, DATASPACE);
    set_dim0(&mut b, space.body, 6); // 6 i32 over 20 bytes of data
    expect(
        open(&b),
        "malformed data layout message",
        Some(msg(&m, LAYOUT).body as u64),
        &b,
    );
}

/// The chunked dataset's B-tree root and rank (with the element dimension).
fn chunk_root(b: &[u8]) -> (usize, usize) {
    let (_, m) = header_with(b, LAYOUT, layout_class(2));
    let l = msg(&m, LAYOUT);
    (u64_at(b, l.body + 3) as usize, b[l.body + 2] as usize)
}

/// The first leaf of the chunk B-tree at `root`.
fn first_leaf(b: &[u8], root: usize, rank: usize) -> usize {
    let mut at = root;
    while b[at + 5] > 0 {
        at = u64_at(b, chunk_entries(b, at, rank)[0].1) as usize;
    }
    at
}

#[test]
fn chunk_btree_with_a_cycle() {
    let mut b = files::h5sink_chunks();
    let (root, rank) = chunk_root(&b);
    assert!(b[root + 5] > 0, "a two-level chunk B-tree");
    let e = chunk_entries(&b, root, rank);
    put_u64(&mut b, e[1].1, root as u64); // the second child is the root again
    let msg = expect(
        open(&b),
        "malformed chunk B-tree node",
        Some(root as u64),
        &b,
    );
    println!("{msg}");
}

#[test]
fn group_nesting_cycle() {
    let mut b = files::h5sink_mixed();
    // /a/b's symbol table node lists its parent /a as a member: a hard link
    // making a cycle, which libhdf5 allows. It opens, the member is the
    // group /a itself, and a walk that keeps the groups it saw ends.
    let root = u64_at(&b, SB_ROOT) as usize;
    let a = member_headers(&b)
        .into_iter()
        .find(|&h| group_table(&b, h).is_some() && !snods(&b, h).is_empty())
        .unwrap();
    let snod = snods(&b, a)[0];
    let clean = check("mixed", &b).unwrap();
    put_u64(&mut b, snod + 8 + 8, a as u64);
    let w = check("a member made its parent", &b).unwrap();
    assert_eq!(w.errors, 0);
    assert!(w.objects < clean.objects, "{w:?} {clean:?}");
    // ... or the root.
    put_u64(&mut b, snod + 8 + 8, root as u64);
    let w = check("a member made the root", &b).unwrap();
    assert_eq!(w.errors, 0);
}

#[test]
fn chunk_claiming_4_gib() {
    let mut b = files::h5sink_chunks();
    let (root, rank) = chunk_root(&b);
    let leaf = first_leaf(&b, root, rank);
    let (key, _) = chunk_entries(&b, leaf, rank)[0];
    put_u32(&mut b, key, u32::MAX);
    let msg = expect(open(&b), "malformed chunk B-tree node", None, &b);
    assert!(
        msg.contains(&format!("at offset {leaf}")) || msg.contains("4294967295 bytes"),
        "{msg}"
    );
}

#[test]
fn deflate_chunk_inflating_past_its_size() {
    let mut b = files::h5sink_chunks();
    let (root, rank) = chunk_root(&b);
    let leaf = first_leaf(&b, root, rank);
    let (key, child) = chunk_entries(&b, leaf, rank)[0];
    // 512 KiB of zeros for a chunk of 2 x 2 bytes, appended to the file.
    let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; 1 << 19], 9);
    let at = b.len() as u64;
    b.extend_from_slice(&bomb);
    let eof = b.len() as u64;
    put_u64(&mut b, SB_EOF, eof);
    put_u32(&mut b, key, bomb.len() as u32);
    put_u64(&mut b, child, at);
    let f = open(&b).unwrap();
    let d = f.dataset("many").unwrap();
    let msg = expect(
        d.read_rows::<u8>(0, 2),
        "malformed filtered chunk",
        Some(at),
        &b,
    );
    assert!(msg.contains("past 4 bytes"), "{msg}");
}

#[test]
fn fletcher32_mismatch() {
    let mut b = files::h5sink_tiny();
    let (root, rank) = chunk_root(&b);
    let (_, child) = chunk_entries(&b, root, rank)[0];
    let chunk = u64_at(&b, child);
    b[chunk as usize] ^= 1;
    let f = open(&b).unwrap();
    let msg = expect(
        f.dataset("k").unwrap().read_raw::<i16>(),
        "malformed filtered chunk",
        Some(chunk),
        &b,
    );
    assert!(msg.contains("Fletcher-32"), "{msg}");
}

#[test]
fn vlen_string_in_a_missing_heap_collection() {
    let orig = files::h5sink_mixed();
    let (_, m) = header_with(&orig, DATATYPE, |t| t[0] & 0x0f == 9);
    let data = u64_at(&orig, msg(&m, LAYOUT).body + 2) as usize;
    for (to, structure) in [
        (8u64, "malformed global heap collection"),
        (orig.len() as u64 + 64, "malformed variable-length string"),
    ] {
        let mut b = orig.clone();
        put_u64(&mut b, data + 4, to);
        let f = open(&b).unwrap();
        expect(
            f.dataset("names").unwrap().read_strings(),
            structure,
            Some(to),
            &b,
        );
    }
}

/// `n` global heap collections of 4096 bytes nested 64 bytes apart (each
/// starts in the free space of the one before), each holding object 1,
/// "x", appended to `b` (its end of file moved): their addresses.
fn nested_collections(b: &mut Vec<u8>, n: usize) -> Vec<u64> {
    b.resize(b.len().next_multiple_of(8), 0);
    let p = b.len();
    b.resize(p + 64 * (n - 1) + 4096, 0);
    for i in 0..n {
        let c = p + 64 * i;
        b[c..c + 8].copy_from_slice(b"GCOL\x01\0\0\0");
        put_u64(b, c + 8, 4096);
        b[c + 16..c + 24].copy_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0]);
        put_u64(b, c + 24, 1);
        b[c + 32..c + 40].copy_from_slice(b"x\0\0\0\0\0\0\0");
        b[c + 40..c + 48].fill(0);
        put_u64(b, c + 48, 4096 - 40);
    }
    let eof = b.len() as u64;
    put_u64(b, SB_EOF, eof);
    (0..n).map(|i| (p + 64 * i) as u64).collect()
}

/// Strings in overlapping collections: together more bytes than the file
/// holds (which nested collections make quadratic in its size) is an error.
#[test]
fn vlen_strings_in_nested_collections() {
    let f = File::in_memory().unwrap();
    f.new_dataset::<VarLenUnicode>()
        .shape(&[8])
        .create("v")
        .unwrap();
    let mut b = f.into_bytes().unwrap();
    let (_, m) = header_with(&b, DATATYPE, |t| t[0] & 0x0f == 9);
    let data = u64_at(&b, msg(&m, LAYOUT).body + 2) as usize;
    let heaps = nested_collections(&mut b, 8);
    let set_refs = |b: &mut Vec<u8>, n: usize| {
        for (i, &h) in heaps.iter().enumerate().take(n) {
            let r = data + 16 * i;
            put_u32(b, r, 1);
            put_u64(b, r + 4, h);
            put_u32(b, r + 12, 1);
        }
    };
    set_refs(&mut b, 1);
    let one = open(&b)
        .unwrap()
        .dataset("v")
        .unwrap()
        .read_strings()
        .unwrap();
    assert_eq!(one, ["x", "", "", "", "", "", "", ""]);
    set_refs(&mut b, 8);
    let over = heaps[b.len() / 4096];
    let f = open(&b).unwrap();
    let msg = expect(
        f.dataset("v").unwrap().read_strings(),
        "malformed global heap collection",
        Some(over),
        &b,
    );
    assert!(msg.contains("collections overlap"), "{msg}");
}
