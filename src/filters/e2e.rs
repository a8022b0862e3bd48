#![cfg(test)]
//! End-to-end check: a whole file of chunked, filtered datasets built from
//! the format encoders alone (superblock 0, v1 headers, symbol-table root),
//! then read back by h5py (libhdf5 2.0) and h5dump. Like the integration
//! tests, a missing Python, h5py, numpy or h5dump is a failure, not a skip.

use crate::filters::apply;
use crate::format::btree::chunk::{self as chunk_btree, ChunkEntry};
use crate::format::btree::group::encode_group_node;
use crate::format::datatype::Datatype;
use crate::format::field::{len64, UNDEF_ADDR};
use crate::format::fill_value::{self, AllocTime, FillTime};
use crate::format::filter_pipeline::{self, Filter};
use crate::format::layout::chunked;
use crate::format::object_header::{self, kind, Message, FLAG_CONSTANT};
use crate::format::superblock::{Superblock, GROUP_INTERNAL_K, GROUP_LEAF_K};
use crate::format::{dataspace, local_heap, snod, symbol_table};
use std::process::Command;

/// One chunked dataset to write.
struct Ds {
    name: &'static str,
    dims: Vec<u64>,
    max: Vec<Option<u64>>,
    chunk: Vec<u64>,
    dtype: Datatype,
    filters: Vec<Filter>,
    /// Row-major little-endian elements.
    data: Vec<u8>,
}

/// The chunks of `ds` in offset order: (offset, raw bytes, zero-padded at
/// the edges as libhdf5 stores them).
fn chunks(ds: &Ds) -> Vec<(Vec<u64>, Vec<u8>)> {
    let esize = ds.dtype.element_size() as usize;
    let rank = ds.dims.len();
    let grid: Vec<u64> = ds
        .dims
        .iter()
        .zip(&ds.chunk)
        .map(|(d, c)| d.div_ceil(*c))
        .collect();
    let n_chunks: u64 = grid.iter().product();
    let in_chunk: u64 = ds.chunk.iter().product();
    let mut out = Vec::new();
    for ci in 0..n_chunks {
        let mut rest = ci;
        let mut origin = vec![0u64; rank];
        for d in (0..rank).rev() {
            origin[d] = (rest % grid[d]) * ds.chunk[d];
            rest /= grid[d];
        }
        let mut bytes = vec![0u8; in_chunk as usize * esize];
        for ei in 0..in_chunk {
            let (mut rest, mut flat, mut inside) = (ei, 0u64, true);
            let mut coord = vec![0u64; rank];
            for d in (0..rank).rev() {
                coord[d] = origin[d] + rest % ds.chunk[d];
                rest /= ds.chunk[d];
                inside &= coord[d] < ds.dims[d];
            }
            if inside {
                for (c, dim) in coord.iter().zip(&ds.dims) {
                    flat = flat * dim + c;
                }
                let (src, dst) = (flat as usize * esize, ei as usize * esize);
                bytes[dst..dst + esize].copy_from_slice(&ds.data[src..src + esize]);
            }
        }
        out.push((origin, bytes));
    }
    out
}

/// Encode a whole file holding `sets` (sorted by name, at most 8) in the
/// root group.
fn build(sets: &[Ds]) -> Vec<u8> {
    let (root_at, tree_at, heap_at) = (0x60u64, 0x88u64, 0x2a8u64);
    let mut heap = local_heap::LocalHeap::new();
    let names: Vec<u64> = sets.iter().map(|s| heap.add(s.name.as_bytes())).collect();
    let snod_at = heap_at + heap.size();
    let mut next = snod_at + snod::node_size(GROUP_LEAF_K);

    // Per dataset: header messages, tree bytes, stored chunks.
    let mut blocks: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut headers = Vec::new();
    for ds in sets {
        let esize = ds.dtype.element_size();
        let raw = chunks(ds);
        let space = dataspace::encode_with_max(&ds.dims, &ds.max).unwrap();
        let dt = ds.dtype.encode();
        let fill = fill_value::encode_default(AllocTime::Incremental, FillTime::IfSet);
        let pipeline = filter_pipeline::encode_v1(&ds.filters).unwrap();
        let chunk32: Vec<u32> = ds.chunk.iter().map(|&c| c as u32).collect();
        let placeholder = chunked::chunked_v3(UNDEF_ADDR, &chunk32, esize).unwrap();
        let msgs = |layout: &[u8]| -> Vec<u8> {
            let mut list = vec![
                Message {
                    kind: kind::DATASPACE,
                    flags: 0,
                    body: &space,
                },
                Message {
                    kind: kind::DATATYPE,
                    flags: FLAG_CONSTANT,
                    body: &dt,
                },
                Message {
                    kind: kind::FILL_VALUE,
                    flags: FLAG_CONSTANT,
                    body: &fill,
                },
            ];
            if !ds.filters.is_empty() {
                list.push(Message {
                    kind: filter_pipeline::MESSAGE_TYPE,
                    flags: filter_pipeline::MESSAGE_FLAGS,
                    body: &pipeline,
                });
            }
            list.push(Message {
                kind: kind::LAYOUT,
                flags: 0,
                body: layout,
            });
            let mut out = Vec::new();
            object_header::encode(&mut out, &list).unwrap();
            out
        };
        let header_at = next;
        next += len64(msgs(&placeholder).len());
        let rank = ds.dims.len();
        let plan = chunk_btree::plan_levels(raw.len());
        let node_addrs: Vec<Vec<u64>> = plan
            .iter()
            .map(|&n| {
                (0..n)
                    .map(|_| {
                        next += chunk_btree::node_size(rank);
                        next - chunk_btree::node_size(rank)
                    })
                    .collect()
            })
            .collect();
        let root = node_addrs.last().map_or(UNDEF_ADDR, |l| l[0]);
        let mut entries = Vec::new();
        let mut stored = Vec::new();
        for (offset, bytes) in raw {
            let (filtered, filter_mask) = apply(&ds.filters, &bytes).unwrap();
            entries.push(ChunkEntry {
                offset,
                size: filtered.len() as u32,
                filter_mask,
                address: next,
            });
            next += len64(filtered.len());
            stored.extend_from_slice(&filtered);
        }
        let mut dims = ds.chunk.clone();
        dims.push(u64::from(esize));
        let mut tree = Vec::new();
        chunk_btree::encode_tree(&entries, &dims, &node_addrs, &mut tree).unwrap();
        let layout = chunked::chunked_v3(root, &chunk32, esize).unwrap();
        headers.push(header_at);
        blocks.push((header_at, msgs(&layout)));
        blocks.push((node_addrs.first().map_or(next, |l| l[0]), tree));
        blocks.push((entries.first().map_or(next, |e| e.address), stored));
    }

    let sb = Superblock {
        eof: next,
        root_object_header: root_at,
        root_btree: tree_at,
        root_heap: heap_at,
    };
    let mut file = sb.encode().to_vec();
    let root_body = symbol_table::encode(tree_at, heap_at);
    let root_msgs = [Message {
        kind: kind::SYMBOL_TABLE,
        flags: 0,
        body: &root_body,
    }];
    object_header::encode(&mut file, &root_msgs).unwrap();
    let last_name = *names.last().unwrap();
    encode_group_node(
        &mut file,
        GROUP_INTERNAL_K,
        0,
        UNDEF_ADDR,
        UNDEF_ADDR,
        &[0, last_name],
        &[snod_at],
    )
    .unwrap();
    heap.encode(heap_at, &mut file).unwrap();
    let entries: Vec<snod::Entry> = names
        .iter()
        .zip(&headers)
        .map(|(&name_offset, &object_header)| snod::Entry {
            name_offset,
            object_header,
            cache: snod::Cache::None,
        })
        .collect();
    snod::encode_node(&mut file, GROUP_LEAF_K, &entries).unwrap();
    for (at, bytes) in blocks {
        assert_eq!(len64(file.len()), at, "blocks are contiguous");
        file.extend_from_slice(&bytes);
    }
    assert_eq!(len64(file.len()), next);
    file
}

fn le<T: Copy, const N: usize>(values: impl Iterator<Item = T>, to: fn(T) -> [u8; N]) -> Vec<u8> {
    values.flat_map(to).collect()
}

fn datasets() -> Vec<Ds> {
    let i4 = Datatype::Int {
        size: 4,
        signed: true,
    };
    let u1 = Datatype::Int {
        size: 1,
        signed: false,
    };
    let mut x = 0x2545_f491u32;
    let noise: Vec<u8> = (0..100)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect();
    let h5py_full = [
        Filter::Shuffle { element_size: 4 },
        Filter::Deflate { level: 4 },
        Filter::Fletcher32,
    ];
    vec![
        Ds {
            name: "a_full",
            dims: vec![10, 5],
            max: vec![None, Some(5)],
            chunk: vec![5, 5],
            dtype: i4,
            filters: h5py_full.to_vec(),
            data: le(0i32..50, i32::to_le_bytes),
        },
        Ds {
            name: "b_1d_3_levels",
            dims: vec![50_000],
            max: vec![Some(50_000)],
            chunk: vec![10],
            dtype: i4,
            filters: vec![Filter::Deflate { level: 1 }],
            data: le((0i32..50_000).map(|v| v * 7 - 3), i32::to_le_bytes),
        },
        Ds {
            name: "c_2d_2_levels",
            dims: vec![130, 70],
            max: vec![None, None],
            chunk: vec![4, 8],
            dtype: Datatype::Float { size: 8 },
            filters: vec![
                Filter::Shuffle { element_size: 8 },
                Filter::Deflate { level: 6 },
            ],
            data: le(
                (0..9100).map(|v| f64::from(v) * 0.25 - 100.0),
                f64::to_le_bytes,
            ),
        },
        Ds {
            name: "d_noise",
            dims: vec![100],
            max: vec![Some(100)],
            chunk: vec![100],
            dtype: u1,
            filters: vec![Filter::Deflate { level: 4 }, Filter::Fletcher32],
            data: noise,
        },
        Ds {
            name: "e_edges",
            dims: vec![3, 4, 5],
            max: vec![None, Some(4), None],
            chunk: vec![2, 3, 2],
            dtype: Datatype::Float { size: 4 },
            filters: vec![],
            data: le((0..60).map(|v| v as f32 + 0.5), f32::to_le_bytes),
        },
        Ds {
            name: "f_odd",
            dims: vec![7],
            max: vec![Some(7)],
            chunk: vec![7],
            dtype: u1,
            filters: vec![Filter::Fletcher32],
            data: (0..7).map(|i| i * 37).collect(),
        },
    ]
}

/// Reads every dataset whole and element by element (B-tree lookups), checks
/// the chunk index, then appends to the extendible one in place with libhdf5.
const CHECK: &str = r#"
import sys, os, shutil, numpy as np, h5py
d = sys.argv[1]
path = os.path.join(d, 'chunked.h5')
with h5py.File(path, 'r') as f:
    assert sorted(f) == sorted(n[:-4] for n in os.listdir(d) if n.endswith('.bin')), list(f)
    for name in f:
        ds = f[name]
        want = np.fromfile(os.path.join(d, name + '.bin'), dtype=ds.dtype).reshape(ds.shape)
        assert np.array_equal(ds[()], want), name
        for idx in list(np.ndindex(ds.shape))[::97] + [tuple(s - 1 for s in ds.shape)]:
            assert ds[idx] == want[idx], (name, idx)
        assert ds.id.get_num_chunks() > 0, name
    a = f['a_full']
    assert a.maxshape == (None, 5) and a.chunks == (5, 5) and a.compression == 'gzip'
    assert a.compression_opts == 4 and a.shuffle and a.fletcher32, a
    assert f['b_1d_3_levels'].id.get_num_chunks() == 5000
    noise = f['d_noise'].id.get_chunk_info(0)
    assert noise.size > 104 and noise.filter_mask == 0, noise  # stored deflated though larger
copy = os.path.join(d, 'appended.h5')
shutil.copy(path, copy)
with h5py.File(copy, 'r+') as f:
    for name, rows in (('a_full', 10), ('c_2d_2_levels', 70)):
        ds = f[name]
        old = ds[()]
        ds.resize(ds.shape[0] + rows, axis=0)
        ds[old.shape[0]:] = np.full((rows,) + old.shape[1:], 7, dtype=ds.dtype)
        ds[0, 0] = 99
with h5py.File(copy, 'r') as f:
    a = f['a_full'][()]
    assert a.shape == (20, 5) and a[0, 0] == 99 and (a[10:] == 7).all() and a[1, 1] == 6
    c = f['c_2d_2_levels'][()]
    assert c.shape == (200, 70) and (c[130:] == 7).all() and c[129, 69] == 9099 * 0.25 - 100
print('h5py ok')
"#;

fn python() -> String {
    std::env::var("H5SINK_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

#[test]
fn h5py_and_h5dump_read_our_chunked_files() {
    let sets = datasets();
    let file = build(&sets);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chunked.h5");
    std::fs::write(&path, &file).unwrap();
    for ds in &sets {
        std::fs::write(dir.path().join(format!("{}.bin", ds.name)), &ds.data).unwrap();
    }
    let out = Command::new(python())
        .args(["-c", CHECK])
        .arg(dir.path())
        .output()
        .expect("python3 with h5py and numpy is needed (scripts/test.sh installs them)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && report.contains("h5py ok"),
        "{report}"
    );

    let out = Command::new("h5dump")
        .arg(&path)
        .output()
        .expect("h5dump is needed (scripts/test.sh installs hdf5-tools)");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.is_empty(), "h5dump: {err}");
    for ds in &sets {
        assert!(text.contains(&format!("DATASET \"{}\"", ds.name)), "{text}");
    }
}
