//! The planner and emitter on a tree built by hand, with no storage and no
//! commit machinery: every block inside the planned region, none
//! overlapping, `rebase` moving them all, the emitted bytes carrying each
//! block's signature at its planned address; and the same tree built
//! through the public API gives byte-identical metadata.

use std::collections::BTreeMap;

use crate::engine::emit::emit;
use crate::engine::messages::{self, borrow};
use crate::engine::model::{Attr, Chunked, DatasetMeta, NodeKind, StoredChunk, Tree};
use crate::engine::plan::{plan, NodePlan, Plan};
use crate::engine::space::Extent;
use crate::format::btree;
use crate::format::btree::chunk as chunk_btree;
use crate::format::field::UNDEF_ADDR;
use crate::format::filter_pipeline::Filter;
use crate::format::object_header;
use crate::format::snod;
use crate::format::superblock::{GROUP_INTERNAL_K, GROUP_LEAF_K};
use crate::types::H5Type;
use crate::{File, MemStorage};

/// Subgroups of `/many`: more than 32 symbol table nodes of 8 entries, so
/// the group's B-tree has two levels.
const MANY: usize = 300;

/// Data addresses of the hand-built tree's datasets.
struct Addrs {
    /// The contiguous dataset's data block.
    contig: u64,
    /// The chunked dataset's chunks, by chunk coordinates.
    chunks: BTreeMap<Vec<u64>, StoredChunk>,
}

fn invented_addrs() -> Addrs {
    let chunk = |i: u64| StoredChunk {
        address: 1_000_000 + 100 * i,
        size: 12,
        mask: 0,
        partial: None,
    };
    Addrs {
        contig: 900_000,
        chunks: (0..3).map(|i| (vec![i, 0], chunk(i))).collect(),
    }
}

/// `/g` (with an i32 attribute) holding the contiguous f32 dataset `x` of
/// 4 elements, `/c`: 5 rows of 3 u16 in chunks of 2 rows, shuffled and
/// deflated, resizable, and `/many` with `MANY` empty subgroups.
fn hand_tree(a: &Addrs) -> Tree {
    let mut t = Tree::new();
    let group = || NodeKind::Group(BTreeMap::new());
    let g = t.add(0, "g", group()).unwrap();
    t.nodes[g].attrs.push(Attr {
        name: "units".into(),
        dtype: crate::format::datatype::ElementType::Known(i32::DATATYPE),
        shape: vec![2],
        data: [7i32, -7].iter().flat_map(|v| v.to_le_bytes()).collect(),
        block: None,
        raw: None,
    });
    let contig = DatasetMeta {
        dtype: crate::format::datatype::ElementType::Known(f32::DATATYPE),
        shape: vec![4],
        address: a.contig,
        size: 16,
        block: Extent {
            start: a.contig,
            len: 16,
        },
        fill: None,
        compact: None,
        staged: None,
        spilled: false,
        chunked: None,
        virt: None,
    };
    t.add(g, "x", NodeKind::Dataset(contig)).unwrap();
    let mut c = Chunked::new(
        vec![2, 3],
        vec![None, Some(3)],
        vec![
            Filter::Shuffle { element_size: 2 },
            Filter::Deflate { level: 4 },
        ],
    );
    c.stored = a.chunks.clone();
    let chunked = DatasetMeta {
        dtype: crate::format::datatype::ElementType::Known(u16::DATATYPE),
        shape: vec![5, 3],
        address: UNDEF_ADDR,
        size: 0,
        block: Extent { start: 0, len: 0 },
        fill: None,
        compact: None,
        staged: None,
        spilled: false,
        chunked: Some(Box::new(c)),
        virt: None,
    };
    t.add(0, "c", NodeKind::Dataset(chunked)).unwrap();
    let many = t.add(0, "many", group()).unwrap();
    for i in 0..MANY {
        t.add(many, &format!("m{i:03}"), group()).unwrap();
    }
    t
}

/// Every planned block: address, length and the signature its bytes start
/// with (`[1]`, the version byte, for a v1 object header).
fn blocks(p: &Plan) -> Vec<(u64, u64, &'static [u8])> {
    const OH: &[u8] = b"\x01";
    let mut out: Vec<(u64, u64, &'static [u8])> = Vec::new();
    for node in p.nodes.iter().flatten() {
        match node {
            NodePlan::Dataset {
                oh,
                messages,
                index,
            } => {
                out.push((*oh, object_header::size(&borrow(messages)).unwrap(), OH));
                if let Some(ix) = index {
                    let len = chunk_btree::node_size(ix.dims.len() - 1);
                    for &addr in ix.levels.iter().flatten() {
                        out.push((addr, len, b"TREE"));
                    }
                }
            }
            NodePlan::Group(g) => {
                let header = messages::group(g.btree_root(), g.heap_addr, &g.attrs);
                out.push((g.oh, object_header::size(&borrow(&header)).unwrap(), OH));
                out.push((g.heap_addr, g.heap.size(), b"HEAP"));
                let node = btree::group_node_size(GROUP_INTERNAL_K);
                for b in g.levels.iter().flatten() {
                    out.push((b.addr, node, b"TREE"));
                }
                for s in &g.snods {
                    out.push((s.addr, snod::node_size(GROUP_LEAF_K), b"SNOD"));
                }
            }
        }
    }
    out.sort();
    out
}

/// The blocks of `p` tile `[base, base + size)` exactly: inside it, no
/// overlap, no gap.
fn assert_tiles(p: &Plan) {
    let mut at = p.base;
    for (addr, len, sig) in blocks(p) {
        assert_eq!(addr, at, "block {sig:?} at {addr}, expected {at}");
        at += len;
    }
    assert_eq!(at, p.base + p.size(), "blocks end before the region");
}

#[test]
fn planned_blocks_tile_the_region() {
    let t = hand_tree(&invented_addrs());
    for base in [96, 4096, 1 << 40] {
        let p = plan(&t, base).unwrap();
        assert_tiles(&p);
        // Every node is planned, the root first.
        assert_eq!(p.order.len(), t.nodes.len());
        assert_eq!(p.order[0], 0);
        assert!(p.nodes.iter().all(Option::is_some));
        // The group of MANY members has two B-tree levels, one root.
        let many = t.lookup(0, "many").unwrap();
        match &p.nodes[many] {
            Some(NodePlan::Group(g)) => {
                assert_eq!(g.snods.len(), MANY.div_ceil(8));
                assert_eq!(g.levels.len(), 2);
                assert_eq!(g.levels[1].len(), 1);
            }
            other => panic!("/many planned as {other:?}"),
        }
    }
}

#[test]
fn rebase_moves_every_block() {
    let t = hand_tree(&invented_addrs());
    let mut moved = plan(&t, 96).unwrap();
    let direct = plan(&t, 123_456).unwrap();
    moved.rebase(123_456);
    assert_eq!(moved.base, 123_456);
    assert_eq!(moved.size(), direct.size());
    assert_eq!(blocks(&moved), blocks(&direct));
    assert_tiles(&moved);
    assert!(emit(&moved).unwrap() == emit(&direct).unwrap());
    // And back.
    moved.rebase(96);
    assert_eq!(blocks(&moved), blocks(&plan(&t, 96).unwrap()));
}

#[test]
fn emitted_blocks_start_where_planned() {
    let t = hand_tree(&invented_addrs());
    let base = 4096;
    let p = plan(&t, base).unwrap();
    let bytes = emit(&p).unwrap();
    assert_eq!(bytes.len() as u64, p.size());
    let all = blocks(&p);
    assert_eq!(all.iter().filter(|b| b.2 == b"\x01").count(), t.nodes.len());
    for (addr, _, sig) in all {
        let at = (addr - base) as usize;
        assert_eq!(&bytes[at..at + sig.len()], sig, "block at {addr}");
    }
    // The chunked dataset's index lists the chunk addresses given.
    let c = t.lookup(0, "c").unwrap();
    let Some(NodePlan::Dataset {
        index: Some(ix), ..
    }) = &p.nodes[c]
    else {
        panic!("/c has no planned chunk index");
    };
    let addrs: Vec<u64> = ix.entries.iter().map(|e| e.address).collect();
    assert_eq!(addrs, [1_000_000, 1_000_100, 1_000_200]);
    for a in addrs {
        assert!(bytes.windows(8).any(|w| w == a.to_le_bytes()), "{a}");
    }
}

/// The same content through the API: its committed metadata region and
/// superblock are the hand-built tree's, byte for byte (the data addresses,
/// which the model does not choose, are taken from the API's file).
#[test]
fn hand_built_tree_emits_the_files_metadata() {
    let storage = MemStorage::new();
    let f = File::with_storage(storage.clone()).unwrap();
    let g = f.create_group("g").unwrap();
    g.new_attr_builder()
        .with_data(&[7i32, -7])
        .create("units")
        .unwrap();
    let x = g.new_dataset::<f32>().shape(&[4]).create("x").unwrap();
    x.write_raw(&[1.0f32, 2.0, 3.0, 4.0]).unwrap();
    let c = f
        .new_dataset::<u16>()
        .shape(&[0, 3])
        .resizable()
        .chunk(&[2, 3])
        .shuffle()
        .deflate(4)
        .create("c")
        .unwrap();
    c.append_rows(&[5u16; 15]).unwrap();
    let many = f.create_group("many").unwrap();
    for i in 0..MANY {
        many.create_group(&format!("m{i:03}")).unwrap();
    }
    let engine = f.engine().clone();
    f.close().unwrap();
    let bytes = storage.to_vec();

    let (api, base) = engine.read(|st| {
        let arena = st.arenas.current.expect("a committed arena");
        (st.tree.clone(), arena.start)
    });
    let x = api.lookup(0, "g/x").and_then(|id| api.dataset(id)).unwrap();
    let c = api.lookup(0, "c").and_then(|id| api.dataset(id)).unwrap();
    let addrs = Addrs {
        contig: x.address,
        chunks: c.chunked.as_ref().unwrap().stored.clone(),
    };
    assert_eq!(addrs.chunks.len(), 3);
    let hand = hand_tree(&addrs);
    assert_eq!(hand.nodes.len(), api.nodes.len());

    let p = plan(&hand, base).unwrap();
    assert_tiles(&p);
    let region = emit(&p).unwrap();
    let at = base as usize;
    assert!(
        bytes[at..at + region.len()] == region[..],
        "the hand-built tree's metadata differs from the file's"
    );
    assert_eq!(p.superblock(bytes.len() as u64).encode()[..], bytes[..96]);
}
