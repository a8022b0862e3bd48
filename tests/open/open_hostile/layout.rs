//! Finding structures in a valid file's bytes, to edit them: the
//! superblock's fields (version 0, 8-byte offsets), object headers
//! (version 1) and their messages, B-tree nodes, chunk entries.

pub fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

pub fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

pub fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Superblock v0: the end-of-file address and the root object header address.
pub const SB_EOF: usize = 40;
pub const SB_ROOT: usize = 64;

/// One message of a version 1 object header: type, body offset, body size.
#[derive(Clone, Copy, Debug)]
pub struct Msg {
    pub kind: u16,
    pub body: usize,
    pub size: usize,
}

/// The messages of the first block of the version 1 header at `addr`.
pub fn messages(b: &[u8], addr: usize) -> Vec<Msg> {
    assert_eq!(b[addr], 1, "version 1 object header at {addr}");
    let size = u32::from_le_bytes(b[addr + 8..addr + 12].try_into().unwrap()) as usize;
    let mut at = addr + 16;
    let end = addr + 16 + size;
    let mut out = Vec::new();
    while at + 8 <= end {
        let kind = u16::from_le_bytes([b[at], b[at + 1]]);
        let len = u16::from_le_bytes([b[at + 2], b[at + 3]]) as usize;
        out.push(Msg {
            kind,
            body: at + 8,
            size: len,
        });
        at += 8 + len;
    }
    out
}

/// The (B-tree, local heap) addresses of the group whose header is at `h`.
pub fn group_table(b: &[u8], h: usize) -> Option<(usize, usize)> {
    let m = messages(b, h);
    let st = m.iter().find(|m| m.kind == SYMBOL_TABLE)?;
    Some((u64_at(b, st.body) as usize, u64_at(b, st.body + 8) as usize))
}

/// The symbol table nodes of the group whose header is at `h` (a
/// one-level group B-tree, as these small files have).
pub fn snods(b: &[u8], h: usize) -> Vec<usize> {
    let Some((tree, _)) = group_table(b, h) else {
        return Vec::new();
    };
    assert_eq!(
        (&b[tree..tree + 4], b[tree + 5]),
        (&b"TREE"[..], 0),
        "a leaf group B-tree"
    );
    let n = u16::from_le_bytes([b[tree + 6], b[tree + 7]]) as usize;
    (0..n)
        .map(|i| u64_at(b, tree + 24 + 8 + i * 16) as usize)
        .collect()
}

/// Every object header below the root, depth first, from the live
/// structures (files h5sink wrote also hold older copies).
pub fn member_headers(b: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut todo = vec![u64_at(b, SB_ROOT) as usize];
    while let Some(h) = todo.pop() {
        for s in snods(b, h) {
            let n = u16::from_le_bytes([b[s + 6], b[s + 7]]) as usize;
            for e in 0..n {
                let child = u64_at(b, s + 8 + e * 40 + 8) as usize;
                out.push(child);
                todo.push(child);
            }
        }
    }
    out
}

/// The first member header with a message of `kind` whose body satisfies `pred`.
pub fn header_with(b: &[u8], kind: u16, pred: impl Fn(&[u8]) -> bool) -> (usize, Vec<Msg>) {
    for h in member_headers(b) {
        let m = messages(b, h);
        if m.iter()
            .any(|m| m.kind == kind && pred(&b[m.body..m.body + m.size]))
        {
            return (h, m);
        }
    }
    panic!("no object header with a message {kind:#x} as wanted");
}

pub fn msg(m: &[Msg], kind: u16) -> Msg {
    *m.iter().find(|m| m.kind == kind).unwrap()
}

pub const DATASPACE: u16 = 1;
pub const DATATYPE: u16 = 3;
pub const LAYOUT: u16 = 8;
pub const SYMBOL_TABLE: u16 = 0x11;

/// A layout message (version 3) of `class`: 0 compact, 1 contiguous, 2 chunked.
pub fn layout_class(class: u8) -> impl Fn(&[u8]) -> bool {
    move |body| body[0] == 3 && body[1] == class
}

/// The entries of the chunk B-tree leaf at `node` of a rank-`rank` dataset
/// (rank counts the element-size dimension): (key offset, child address offset).
pub fn chunk_entries(b: &[u8], node: usize, rank: usize) -> Vec<(usize, usize)> {
    assert_eq!(&b[node..node + 4], b"TREE");
    let n = u16::from_le_bytes([b[node + 6], b[node + 7]]) as usize;
    let key = 8 + 8 * rank;
    (0..n)
        .map(|i| {
            let k = node + 24 + i * (key + 8);
            (k, k + key)
        })
        .collect()
}
