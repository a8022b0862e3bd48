//! Tests of the chunk B-tree decoder: round trips through `encode_tree`,
//! h5py 3.16 trees, and hostile trees. Spec notes: `spec-notes/chunk-btree.md`.

use super::super::{encode_tree, node_size, plan_levels, K};
use super::*;
use crate::format::field::UNDEF_ADDR;
use crate::format::hex;
use std::collections::BTreeMap;

/// h5py 3.16: `create_dataset('x', (140,), '<i2', chunks=(2,),
/// compression='gzip', compression_opts=4)`, then `x[:] = arange(140) * 37 % 1000`:
/// 70 chunks of 12 bytes at 3496 + 12 i. libhdf5 split its leaf at 57 + 13
/// chunks under a level-1 root at 0x578. The used part of each node (the
/// rest is zeros); the file is 9736 bytes.
const H5PY_70: [(u64, &str); 3] = [
    (0x578, "5452454501010200ffffffffffffffffffffffffffffffff0c0000000000000000000000000000000000000000000000\
         d81d0000000000000c0000000000000072000000000000000000000000000000a8150000000000000000000000000000\
         8a000000000000000200000000000000"),
    (0x15a8, "5452454501000d00d81d000000000000ffffffffffffffff0c0000000000000072000000000000000000000000000000\
         54100000000000000c000000000000007400000000000000000000000000000060100000000000000c00000000000000\
         760000000000000000000000000000006c100000000000000c0000000000000078000000000000000000000000000000\
         78100000000000000c000000000000007a00000000000000000000000000000084100000000000000c00000000000000\
         7c00000000000000000000000000000090100000000000000c000000000000007e000000000000000000000000000000\
         9c100000000000000c0000000000000080000000000000000000000000000000a8100000000000000c00000000000000\
         82000000000000000000000000000000b4100000000000000c0000000000000084000000000000000000000000000000\
         c0100000000000000c0000000000000086000000000000000000000000000000cc100000000000000c00000000000000\
         88000000000000000000000000000000d8100000000000000c000000000000008a000000000000000000000000000000\
         e41000000000000000000000000000008a000000000000000200000000000000"),
    (0x1dd8, "5452454501003900ffffffffffffffffa8150000000000000c0000000000000000000000000000000000000000000000\
         a80d0000000000000c0000000000000002000000000000000000000000000000b40d0000000000000c00000000000000\
         04000000000000000000000000000000c00d0000000000000c0000000000000006000000000000000000000000000000\
         cc0d0000000000000c0000000000000008000000000000000000000000000000d80d0000000000000c00000000000000\
         0a000000000000000000000000000000e40d0000000000000c000000000000000c000000000000000000000000000000\
         f00d0000000000000c000000000000000e000000000000000000000000000000fc0d0000000000000c00000000000000\
         10000000000000000000000000000000080e0000000000000c0000000000000012000000000000000000000000000000\
         140e0000000000000c0000000000000014000000000000000000000000000000200e0000000000000c00000000000000\
         160000000000000000000000000000002c0e0000000000000c0000000000000018000000000000000000000000000000\
         380e0000000000000c000000000000001a000000000000000000000000000000440e0000000000000c00000000000000\
         1c000000000000000000000000000000500e0000000000000c000000000000001e000000000000000000000000000000\
         5c0e0000000000000c0000000000000020000000000000000000000000000000680e0000000000000c00000000000000\
         22000000000000000000000000000000740e0000000000000c0000000000000024000000000000000000000000000000\
         800e0000000000000c00000000000000260000000000000000000000000000008c0e0000000000000c00000000000000\
         28000000000000000000000000000000980e0000000000000c000000000000002a000000000000000000000000000000\
         a40e0000000000000c000000000000002c000000000000000000000000000000b00e0000000000000c00000000000000\
         2e000000000000000000000000000000bc0e0000000000000c0000000000000030000000000000000000000000000000\
         c80e0000000000000c0000000000000032000000000000000000000000000000d40e0000000000000c00000000000000\
         34000000000000000000000000000000e00e0000000000000c0000000000000036000000000000000000000000000000\
         ec0e0000000000000c0000000000000038000000000000000000000000000000f80e0000000000000c00000000000000\
         3a000000000000000000000000000000040f0000000000000c000000000000003c000000000000000000000000000000\
         100f0000000000000c000000000000003e0000000000000000000000000000001c0f0000000000000c00000000000000\
         40000000000000000000000000000000280f0000000000000c0000000000000042000000000000000000000000000000\
         340f0000000000000c0000000000000044000000000000000000000000000000400f0000000000000c00000000000000\
         460000000000000000000000000000004c0f0000000000000c0000000000000048000000000000000000000000000000\
         580f0000000000000c000000000000004a000000000000000000000000000000640f0000000000000c00000000000000\
         4c000000000000000000000000000000700f0000000000000c000000000000004e000000000000000000000000000000\
         7c0f0000000000000c0000000000000050000000000000000000000000000000880f0000000000000c00000000000000\
         52000000000000000000000000000000940f0000000000000c0000000000000054000000000000000000000000000000\
         a00f0000000000000c0000000000000056000000000000000000000000000000ac0f0000000000000c00000000000000\
         58000000000000000000000000000000b80f0000000000000c000000000000005a000000000000000000000000000000\
         c40f0000000000000c000000000000005c000000000000000000000000000000d00f0000000000000c00000000000000\
         5e000000000000000000000000000000dc0f0000000000000c0000000000000060000000000000000000000000000000\
         e80f0000000000000c0000000000000062000000000000000000000000000000f40f0000000000000c00000000000000\
         6400000000000000000000000000000000100000000000000c0000000000000066000000000000000000000000000000\
         0c100000000000000c000000000000006800000000000000000000000000000018100000000000000c00000000000000\
         6a00000000000000000000000000000024100000000000000c000000000000006c000000000000000000000000000000\
         30100000000000000c000000000000006e0000000000000000000000000000003c100000000000000c00000000000000\
         7000000000000000000000000000000048100000000000000c0000000000000072000000000000000000000000000000"),
];
const H5PY_70_EOF: u64 = 9736;

/// A file image: nodes at their addresses, zeros elsewhere.
fn image(nodes: &[(u64, Vec<u8>)], node_len: u64) -> BTreeMap<u64, Vec<u8>> {
    nodes
        .iter()
        .map(|(at, b)| {
            let mut full = b.clone();
            full.resize(full.len().max(node_len as usize), 0);
            (*at, full)
        })
        .collect()
}

fn reader(img: &BTreeMap<u64, Vec<u8>>) -> impl FnMut(u64) -> Result<Vec<u8>> + '_ {
    move |at| {
        img.get(&at).cloned().ok_or(Error::Malformed {
            structure: "test image",
            offset: at,
            reason: "no node here".into(),
        })
    }
}

#[test]
fn h5py_two_level_tree() {
    let nodes: Vec<(u64, Vec<u8>)> = H5PY_70.iter().map(|(a, h)| (*a, hex(h))).collect();
    let img = image(&nodes, node_size(1));
    let root = decode_node(&img[&0x578], 0x578, 1, K, H5PY_70_EOF).unwrap();
    assert_eq!(
        (root.level, root.children.as_slice()),
        (1, &[0x1dd8, 0x15a8][..])
    );
    assert_eq!(root.keys[2].offset, [138]);
    assert_eq!(root.keys[2].last, 2);
    let chunks = walk(
        reader(&img),
        0x578,
        &[2, 2],
        Some(&[140]),
        K,
        H5PY_70_EOF,
        4,
    )
    .unwrap();
    let want: Vec<ChunkEntry> = (0..70u64)
        .map(|i| ChunkEntry {
            offset: vec![2 * i],
            size: 12,
            filter_mask: 0,
            address: 3496 + 12 * i,
        })
        .collect();
    assert_eq!(chunks, want);
    // Siblings link the two leaves.
    let left = decode_node(&img[&0x1dd8], 0x1dd8, 1, K, H5PY_70_EOF).unwrap();
    assert_eq!(
        (left.left, left.right, left.children.len()),
        (None, Some(0x15a8), 57)
    );
}

/// h5py 3.16's 2×2 leaf (`(10, 10)` int32, chunks `(5, 5)`), as in the
/// encoder's tests.
#[test]
fn h5py_2x2_leaf() {
    let leaf = hex("5452454501000400ffffffffffffffffffffffffffffffff\
        6400000000000000 0000000000000000 0000000000000000 0000000000000000 b00f000000000000\
        6400000000000000 0000000000000000 0500000000000000 0000000000000000 1410000000000000\
        6400000000000000 0500000000000000 0000000000000000 0000000000000000 7810000000000000\
        6400000000000000 0500000000000000 0500000000000000 0000000000000000 dc10000000000000\
        0000000000000000 0500000000000000 0500000000000000 0400000000000000");
    let got = walk(
        |_| Ok(leaf.clone()),
        0x578,
        &[5, 5, 4],
        Some(&[10, 10]),
        K,
        0x1140,
        1,
    )
    .unwrap();
    let offsets: Vec<Vec<u64>> = got.iter().map(|e| e.offset.clone()).collect();
    assert_eq!(offsets, [[0, 0], [0, 5], [5, 0], [5, 5]]);
    let addrs: Vec<u64> = got.iter().map(|e| e.address).collect();
    assert_eq!(addrs, [0xfb0, 0x1014, 0x1078, 0x10dc]);
    assert!(got.iter().all(|e| e.size == 100 && e.filter_mask == 0));
}

/// Encode `n` chunks of rank `rank` (a grid 7 chunks wide in the last
/// dimension) with nodes from 0x1000 on; return the entries, the root, the
/// image and the end of file.
/// Entries, chunk dims, root address, file image, end of file.
type Encoded = (Vec<ChunkEntry>, Vec<u64>, u64, BTreeMap<u64, Vec<u8>>, u64);

fn encoded(n: u64, rank: usize) -> Encoded {
    let dims: Vec<u64> = (0..rank as u64).map(|d| 3 + d).chain([8]).collect();
    let entries: Vec<ChunkEntry> = (0..n)
        .map(|i| {
            let mut offset = vec![0u64; rank];
            let mut rest = i;
            for d in (0..rank).rev() {
                let width = if d == 0 { u64::MAX } else { 7 };
                offset[d] = (rest % width) * dims[d];
                rest /= width;
            }
            ChunkEntry {
                offset,
                size: 10 + (i % 9) as u32,
                filter_mask: (i % 4) as u32,
                address: 0x100_0000 + 32 * i,
            }
        })
        .collect();
    let size = node_size(rank);
    let mut next = 0x1000;
    let addrs: Vec<Vec<u64>> = plan_levels(n as usize)
        .iter()
        .map(|&c| {
            (0..c)
                .map(|_| {
                    next += size;
                    next - size
                })
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    encode_tree(&entries, &dims, &addrs, &mut out).unwrap();
    let img: BTreeMap<u64, Vec<u8>> = addrs
        .iter()
        .flatten()
        .zip(out.chunks(size as usize))
        .map(|(&a, b)| (a, b.to_vec()))
        .collect();
    let root = addrs.last().unwrap()[0];
    (entries, dims, root, img, 0x200_0000)
}

#[test]
fn round_trips_through_the_encoder() {
    for rank in 1..=3 {
        for n in [1, 2, 64, 65, 130, 5000] {
            let (entries, dims, root, img, eof) = encoded(n, rank);
            let limit = img.len();
            let got = walk(reader(&img), root, &dims, None, K, eof, limit).unwrap();
            assert!(got == entries, "rank {rank}, {n} chunks");
            let max = vec![u64::MAX; rank];
            assert!(walk(reader(&img), root, &dims, Some(&max), K, eof, limit).is_ok());
            if limit > 1 {
                let short = walk(reader(&img), root, &dims, None, K, eof, limit - 1);
                assert!(
                    matches!(short, Err(Error::Malformed { .. })),
                    "rank {rank} n {n}"
                );
            }
        }
    }
}

#[test]
fn every_truncation_errors() {
    let (_, dims, root, img, eof) = encoded(3, 2);
    let node = &img[&root];
    let used = 24 + 4 * 40 - 8; // 3 (key, child) pairs and the closing key
    for cut in 0..used {
        assert!(
            decode_node(&node[..cut], root, 2, K, eof).is_err(),
            "cut {cut}"
        );
        let short = node[..cut].to_vec();
        assert!(walk(|_| Ok(short.clone()), root, &dims, None, K, eof, 1).is_err());
    }
    assert!(decode_node(&node[..used], root, 2, K, eof).is_ok());
}

#[test]
fn every_bit_flip_is_ok_or_an_error() {
    let (_, dims, root, img, eof) = encoded(65, 1);
    let used = 24 + 34 * 32; // the longer leaf: 33 pairs and a key
    for &at in img.keys() {
        for bit in 0..used * 8 {
            let mut img2 = img.clone();
            if let Some(b) = img2.get_mut(&at) {
                b[bit / 8] ^= 1 << (bit % 8);
            }
            if let Ok(chunks) = walk(reader(&img2), root, &dims, None, K, eof, 3) {
                assert!(chunks.len() <= 128);
                assert!(chunks.windows(2).all(|w| w[0].offset < w[1].offset));
            }
        }
    }
}

/// A rank-1 node by hand: (offset, size, child) pairs and a closing offset.
fn node(level: u8, used_override: Option<u16>, pairs: &[(u64, u32, u64)], closing: u64) -> Vec<u8> {
    let mut out = b"TREE\x01".to_vec();
    out.push(level);
    let used = used_override.unwrap_or(pairs.len() as u16);
    out.extend_from_slice(&used.to_le_bytes());
    out.extend_from_slice(&UNDEF_ADDR.to_le_bytes());
    out.extend_from_slice(&UNDEF_ADDR.to_le_bytes());
    for &(offset, size, child) in pairs {
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&0u64.to_le_bytes());
        out.extend_from_slice(&child.to_le_bytes());
    }
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&closing.to_le_bytes());
    out.extend_from_slice(&4u64.to_le_bytes());
    out
}

fn run(nodes: &[(u64, Vec<u8>)], root: u64) -> Result<Vec<ChunkEntry>> {
    let img = image(nodes, 0);
    walk(reader(&img), root, &[10, 4], Some(&[100]), K, 0x10000, 16)
}

fn reason(got: Result<Vec<ChunkEntry>>) -> String {
    match got {
        Err(Error::Malformed { reason, .. }) => reason,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn cycles_and_levels_are_malformed() {
    let leaf = node(0, None, &[(0, 40, 0x8000), (10, 40, 0x8100)], 10);
    assert_eq!(run(&[(0x100, leaf.clone())], 0x100).unwrap().len(), 2);
    // A child pointing to its own node.
    let selfish = node(1, None, &[(0, 0, 0x100)], 10);
    assert!(reason(run(&[(0x100, selfish)], 0x100)).contains("reached twice"));
    // A grandchild pointing back to the root.
    let root = node(2, None, &[(0, 0, 0x200)], 10);
    let mid = node(1, None, &[(0, 0, 0x100)], 10);
    assert!(reason(run(&[(0x100, root.clone()), (0x200, mid)], 0x100)).contains("reached twice"));
    // Two children that are the same leaf.
    let twice = node(1, None, &[(0, 0, 0x200), (10, 0, 0x200)], 20);
    assert!(reason(run(&[(0x100, twice), (0x200, leaf.clone())], 0x100)).contains("reached twice"));
    // Levels that do not decrease by one: equal, higher, skipping one.
    for (parent, child) in [(1, 1), (1, 2), (2, 0)] {
        let p = node(parent, None, &[(0, 0, 0x200)], 10);
        let c = node(child, None, &[(0, 40, 0x8000)], 10);
        let msg = reason(run(&[(0x100, p), (0x200, c)], 0x100));
        assert!(msg.contains("expected"), "{parent} {child}: {msg}");
    }
    // A long chain of distinct nodes stops at the limit.
    let chain: Vec<(u64, Vec<u8>)> = (0..40u64)
        .map(|i| {
            (
                0x100 * (i + 1),
                node(200 - i as u8, None, &[(0, 0, 0x100 * (i + 2))], 10),
            )
        })
        .collect();
    assert!(reason(run(&chain, 0x100)).contains("more than 16 nodes"));
}

#[test]
fn bad_nodes_are_malformed() {
    let ok = |n: Vec<u8>| run(&[(0x100, n)], 0x100);
    // Off the chunk grid, past the maximum dims, out of order, duplicates.
    assert!(reason(ok(node(0, None, &[(5, 40, 0x8000)], 10))).contains("not a multiple"));
    assert!(reason(ok(node(0, None, &[(100, 40, 0x8000)], 100))).contains("outside the maximum"));
    let down = node(0, None, &[(10, 40, 0x8000), (0, 40, 0x8100)], 10);
    assert!(reason(ok(down)).contains("below key"));
    let dup = node(0, None, &[(10, 40, 0x8000), (10, 40, 0x8100)], 10);
    assert!(reason(ok(dup)).contains("not above"));
    // Size 0, a chunk or child past the end, the undefined address.
    assert!(reason(ok(node(0, None, &[(0, 0, 0x8000)], 0))).contains("size 0"));
    assert!(reason(ok(node(0, None, &[(0, 40, 0xfff0)], 0))).contains("past the end"));
    assert!(reason(ok(node(0, None, &[(0, 40, 0x10000)], 0))).contains("past the end"));
    assert!(reason(ok(node(0, None, &[(0, 40, UNDEF_ADDR)], 0))).contains("undefined"));
    // More entries than 2K, or than the bytes hold.
    assert!(reason(ok(node(0, Some(65), &[(0, 40, 0x8000)], 0))).contains("entries used 65"));
    assert!(reason(ok(node(0, Some(2), &[(0, 40, 0x8000)], 0))).contains("bytes of keys"));
    // A group node, a wrong signature.
    let mut group = node(0, None, &[(0, 40, 0x8000)], 0);
    group[4] = 0;
    assert!(reason(ok(group)).contains("node type 0"));
    let mut sig = node(0, None, &[(0, 40, 0x8000)], 0);
    sig[0] = b'X';
    assert!(reason(ok(sig)).contains("signature"));
    // A nonzero last value in a chunk's key.
    let mut last = node(0, None, &[(0, 40, 0x8000)], 0);
    last[24 + 16] = 4;
    assert!(reason(ok(last)).contains("last key value 4"));
    // An empty root is an empty tree.
    assert!(ok(node(0, None, &[], 0)).unwrap().is_empty());
    // Bad arguments: root past the end, bad dims, rank mismatch, K 0.
    let leaf = node(0, None, &[(0, 40, 0x8000)], 0);
    let img = image(&[(0x100, leaf.clone())], 0);
    assert!(walk(reader(&img), 0x10000, &[10, 4], None, K, 0x10000, 4).is_err());
    assert!(walk(reader(&img), 0x100, &[10], None, K, 0x10000, 4).is_err());
    assert!(walk(reader(&img), 0x100, &[0, 4], None, K, 0x10000, 4).is_err());
    assert!(walk(reader(&img), 0x100, &[10, 4], Some(&[1, 1]), K, 0x10000, 4).is_err());
    assert!(decode_node(&leaf, 0x100, 1, 0, 0x10000).is_err());
    assert!(decode_node(&leaf, 0x100, 0, K, 0x10000).is_err());
    assert!(decode_node(&leaf, 0x100, 33, K, 0x10000).is_err());
    // A smaller K from the superblock bounds the entries.
    assert!(decode_node(
        &node(
            0,
            None,
            &[(0, 40, 0x8000), (10, 40, 0x8100), (20, 1, 0x8200)],
            20
        ),
        0x100,
        1,
        1,
        0x10000
    )
    .is_err());
    assert!(decode_node(
        &node(0, None, &[(0, 40, 0x8000), (10, 40, 0x8100)], 20),
        0x100,
        1,
        1,
        0x10000
    )
    .is_ok());
}
