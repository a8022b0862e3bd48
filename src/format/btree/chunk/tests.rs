#![cfg(test)]
//! Spec notes: `spec-notes/chunk-btree.md`.
//! Tests of the chunk B-tree encoder: golden nodes from h5py 3.16 files and
//! a structural check of multi-level trees.

use super::*;
use crate::format::hex;

fn entry(offset: &[u64], size: u32, address: u64) -> ChunkEntry {
    ChunkEntry {
        offset: offset.to_vec(),
        size,
        filter_mask: 0,
        address,
    }
}

fn encode(entries: &[ChunkEntry], dims: &[u64], addrs: &[Vec<u64>]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    encode_tree(entries, dims, addrs, &mut out)?;
    Ok(out)
}

/// h5py 3.16: `(10, 10)` int32, `chunks=(5, 5)`, no filters. Its one leaf
/// at 0x578 holds 4 chunks of 100 bytes; the closing key is (5, 5, 4).
#[test]
fn h5py_2x2_grid() {
    let entries = [
        entry(&[0, 0], 100, 0xfb0),
        entry(&[0, 5], 100, 0x1014),
        entry(&[5, 0], 100, 0x1078),
        entry(&[5, 5], 100, 0x10dc),
    ];
    let out = encode(&entries, &[5, 5, 4], &[vec![0x578]]).unwrap();
    let want = hex("5452454501000400ffffffffffffffffffffffffffffffff\
        6400000000000000 0000000000000000 0000000000000000 0000000000000000 b00f000000000000\
        6400000000000000 0000000000000000 0500000000000000 0000000000000000 1410000000000000\
        6400000000000000 0500000000000000 0000000000000000 0000000000000000 7810000000000000\
        6400000000000000 0500000000000000 0500000000000000 0000000000000000 dc10000000000000\
        0000000000000000 0500000000000000 0500000000000000 0400000000000000");
    assert_eq!(&out[..want.len()], &want[..]);
    assert!(out[want.len()..].iter().all(|&b| b == 0));
    assert_eq!(len64(out.len()), node_size(2));
    assert_eq!(out.len(), 2616);
}

/// h5py 3.16: `(100,)` int32, `chunks=(10,)`: one leaf of 10 chunks of 40
/// bytes at 0xda8 + 40 i, closing key (90, 4); 2096 bytes.
#[test]
fn h5py_1d_ten_chunks() {
    let entries: Vec<ChunkEntry> = (0..10u64)
        .map(|i| entry(&[10 * i], 40, 0xda8 + 40 * i))
        .collect();
    let out = encode(&entries, &[10, 4], &[vec![0x578]]).unwrap();
    assert_eq!(out.len(), 2096);
    assert_eq!(&out[..8], &hex("5452454501000a00")[..]);
    for (i, e) in entries.iter().enumerate() {
        let at = 24 + i * 32;
        let mut want = hex("28000000 00000000");
        want.extend_from_slice(&e.offset[0].to_le_bytes());
        want.extend_from_slice(&[0; 8]);
        want.extend_from_slice(&e.address.to_le_bytes());
        assert_eq!(&out[at..at + 32], &want[..], "chunk {i}");
    }
    let closing = hex("00000000 00000000 5a00000000000000 0400000000000000");
    assert_eq!(&out[24 + 320..24 + 344], &closing[..]);
    assert!(out[24 + 344..].iter().all(|&b| b == 0));
}

#[test]
fn sizes_and_plans() {
    assert_eq!(node_size(1), 2096);
    assert_eq!(node_size(2), 2616);
    assert_eq!(node_size(3), 3136);
    assert_eq!(node_size(usize::MAX), u64::MAX);
    assert_eq!(plan_levels(0), Vec::<usize>::new());
    assert_eq!(plan_levels(1), vec![1]);
    assert_eq!(plan_levels(64), vec![1]);
    assert_eq!(plan_levels(65), vec![2, 1]);
    assert_eq!(plan_levels(4096), vec![64, 1]);
    assert_eq!(plan_levels(4097), vec![65, 2, 1]);
    assert_eq!(plan_levels(5000), vec![79, 2, 1]);
    assert_eq!(plan_levels(100_000), vec![1563, 25, 1]);
    assert_eq!(split_even(65), vec![33, 32]);
    assert_eq!(split_even(5000).len(), 79);
    assert_eq!(plan_levels(usize::MAX).len(), 11);
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(b[at..at + 2].try_into().unwrap())
}
fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// Build a tree over `n` chunks of a 2-D grid 37 chunks wide, then walk
/// every node: header, siblings, keys in order, children, shared keys.
fn structure(n: usize) {
    let (cd0, cd1, elem) = (4u64, 8u64, 2u64);
    let entries: Vec<ChunkEntry> = (0..len64(n))
        .map(|i| ChunkEntry {
            offset: vec![(i / 37) * cd0, (i % 37) * cd1],
            size: 60 + (i % 5) as u32,
            filter_mask: (i % 3) as u32,
            address: 1_000_000 + 64 * i,
        })
        .collect();
    let plan = plan_levels(n);
    let size = node_size(2);
    let mut next = 4096u64;
    let addrs: Vec<Vec<u64>> = plan
        .iter()
        .map(|&count| {
            (0..count)
                .map(|_| {
                    next += size;
                    next - size
                })
                .collect()
        })
        .collect();
    let out = encode(&entries, &[cd0, cd1, elem], &addrs).unwrap();
    let total: usize = plan.iter().sum();
    assert_eq!(len64(out.len()), len64(total) * size);

    let key_len = 32;
    let chunk_key = |e: &ChunkEntry| key(e.size, e.filter_mask, &e.offset, 0);
    let last = entries.last().unwrap();
    let closing = key(0, 0, &last.offset, elem);
    // Per level: the first key of each node, and every node's closing key.
    let mut below_firsts: Vec<Vec<u8>> = entries.iter().map(chunk_key).collect();
    let mut below_addrs: Vec<u64> = entries.iter().map(|e| e.address).collect();
    let mut node_index = 0usize;
    for (level, level_addrs) in addrs.iter().enumerate() {
        let mut firsts = Vec::new();
        let mut child = 0usize;
        for (j, _) in level_addrs.iter().enumerate() {
            let at = node_index * size as usize;
            let node = &out[at..at + size as usize];
            node_index += 1;
            assert_eq!(&node[..6], &[b'T', b'R', b'E', b'E', 1, level as u8][..]);
            let used = usize::from(u16_at(node, 6));
            assert!((1..=64).contains(&used));
            let left = if j == 0 {
                UNDEF_ADDR
            } else {
                level_addrs[j - 1]
            };
            let right = level_addrs.get(j + 1).copied().unwrap_or(UNDEF_ADDR);
            assert_eq!((u64_at(node, 8), u64_at(node, 16)), (left, right));
            for i in 0..used {
                let k = &node[24 + i * 40..24 + i * 40 + key_len];
                assert_eq!(
                    k,
                    &below_firsts[child][..],
                    "level {level} node {j} key {i}"
                );
                assert_eq!(u64_at(node, 24 + i * 40 + key_len), below_addrs[child]);
                child += 1;
            }
            let end = &node[24 + used * 40..24 + used * 40 + key_len];
            let want_end = below_firsts.get(child).unwrap_or(&closing);
            assert_eq!(end, &want_end[..]);
            assert!(node[24 + used * 40 + key_len..].iter().all(|&b| b == 0));
            firsts.push(node[24..24 + key_len].to_vec());
        }
        assert_eq!(child, below_addrs.len(), "every child placed once");
        below_firsts = firsts;
        below_addrs = level_addrs.clone();
    }
    assert_eq!(below_addrs.len(), 1, "one root");
    // Leaf keys strictly increase in their offsets.
    for w in entries.windows(2) {
        assert!(w[0].offset < w[1].offset);
    }
}

#[test]
fn structure_1_64_65() {
    for (n, levels) in [(1, 1), (64, 1), (65, 2), (130, 2)] {
        assert_eq!(plan_levels(n).len(), levels);
        structure(n);
    }
}

#[test]
fn structure_5000_and_100000() {
    assert_eq!(plan_levels(5000).len(), 3);
    structure(5000);
    assert_eq!(plan_levels(100_000).len(), 3);
    structure(100_000);
}

#[test]
fn empty_tree_writes_nothing() {
    assert!(encode(&[], &[5, 4], &[]).unwrap().is_empty());
    assert!(encode(&[], &[5, 4], &[vec![0]]).is_err());
}

/// Entries, chunk dimensions, node addresses.
type BadCase = (Vec<ChunkEntry>, Vec<u64>, Vec<Vec<u64>>);

#[test]
fn rejects_bad_input() {
    let good = [entry(&[0, 0], 10, 100), entry(&[0, 5], 10, 200)];
    let one = [vec![0x578]];
    assert!(encode(&good, &[5, 5, 4], &one).is_ok());
    let cases: Vec<BadCase> = vec![
        (good.to_vec(), vec![5, 5], one.to_vec()), // no element size
        (good.to_vec(), vec![5, 0, 4], one.to_vec()), // zero chunk dim
        (good.to_vec(), vec![5, 5, 0], one.to_vec()), // zero element size
        (good.to_vec(), vec![4], one.to_vec()),    // rank 0
        (good.to_vec(), vec![1; 34], one.to_vec()), // rank 33
        (good.to_vec(), vec![5, 5, 4], vec![]),    // no addresses
        (good.to_vec(), vec![5, 5, 4], vec![vec![1, 2]]), // two leaves planned as one
        (
            vec![good[1].clone(), good[0].clone()],
            vec![5, 5, 4],
            one.to_vec(),
        ),
        (
            vec![good[0].clone(), good[0].clone()],
            vec![5, 5, 4],
            one.to_vec(),
        ),
        (vec![entry(&[0, 3], 10, 100)], vec![5, 5, 4], one.to_vec()), // off grid
        (vec![entry(&[0], 10, 100)], vec![5, 5, 4], one.to_vec()),    // rank 1 offset
        (vec![entry(&[0, 0], 0, 100)], vec![5, 5, 4], one.to_vec()),  // size 0
        (
            vec![entry(&[0, 0], 1, UNDEF_ADDR)],
            vec![5, 5, 4],
            one.to_vec(),
        ),
    ];
    for (entries, dims, addrs) in cases {
        let mut out = vec![7];
        let got = encode_tree(&entries, &dims, &addrs, &mut out);
        assert!(
            matches!(got, Err(Error::InvalidArgument { .. })),
            "{entries:?} {dims:?} {addrs:?}: {got:?}"
        );
        assert_eq!(out, vec![7], "nothing appended on error");
    }
}
