//! Pure encoders, one module per on-disk structure: values in, bytes out, no I/O.
//!
//! Everything here writes the structures of h5py's default file layout
//! (superblock version 0, version 1 object headers, symbol-table groups).
//! Each module cites its page under `spec-notes/`, and each page names its
//! module:
//!
//! | module | on-disk structure | `spec-notes/` |
//! |---|---|---|
//! | [`superblock`] | superblock version 0 | `superblock.md` |
//! | [`object_header`] | version 1 object header, message framing | `object-header.md` |
//! | [`dataspace`] | Dataspace message, fixed or with maximum dimensions | `dataspace.md` |
//! | [`datatype`] | Datatype message | `datatype.md` |
//! | [`fill_value`] | Fill Value messages (new and old) | `fill-value.md` |
//! | [`layout`] | Data Layout message v3: contiguous, compact | `layout.md` |
//! | [`layout::chunked`] | Data Layout message v3: chunked | `chunked-layout.md` |
//! | [`filter_pipeline`] | Filter Pipeline message | `filter-pipeline.md` |
//! | [`attribute`] | Attribute message | `attribute.md` |
//! | [`symbol_table`] | Symbol Table message | `symbol-table.md` |
//! | [`btree`] | version 1 B-tree node header (`TREE`) | `btree.md` |
//! | [`btree::group`] | group B-tree nodes (type 0) | `group-btree.md` |
//! | [`btree::chunk`] | chunk B-tree (type 1), the chunk index | `chunk-btree.md` |
//! | [`snod`] | symbol table node (`SNOD`) and entry | `snod.md` |
//! | [`local_heap`] | local heap (`HEAP`) | `local-heap.md` |
//! | [`global_heap`] | global heap collection (`GCOL`), vlen references | `global-heap.md` |
//! | [`field`] | field widths and checked conversions (shared) | `fields.md` |
//! | [`reader`] | checked reading of untrusted bytes (shared by decoders) | `fields.md` |
//!
//! `layout_chunked` and `chunk_btree` are the former paths of moved code,
//! kept as re-exports.
//!
//! # Examples
//!
//! The start of an h5py-style file: the superblock, the root group's object
//! header (one Symbol Table message), then the root B-tree, each placed
//! right after the one before, at h5py's addresses 0x60, 0x88 and 0x2a8:
//!
//! ```
//! use h5sink::format::object_header::{self, kind, Message};
//! use h5sink::format::superblock::{Superblock, GROUP_INTERNAL_K, SIGNATURE, SIZE};
//! use h5sink::format::{btree::group, field::UNDEF_ADDR, symbol_table};
//!
//! let (root_btree, root_heap) = (0x88, 0x2a8);
//! let sb = Superblock { eof: 1188, root_object_header: SIZE, root_btree, root_heap };
//! let mut file = sb.encode().to_vec();
//! let body = symbol_table::encode(root_btree, root_heap);
//! let root = [Message { kind: kind::SYMBOL_TABLE, flags: 0, body: &body }];
//! object_header::encode(&mut file, &root)?;
//! assert_eq!(file.len() as u64, SIZE + object_header::size(&root)?); // 96 + 40
//! assert_eq!(file.len() as u64, root_btree);
//! let none = UNDEF_ADDR;
//! group::encode_group_node(&mut file, GROUP_INTERNAL_K, 0, none, none, &[0], &[])?;
//! assert_eq!(file.len() as u64, root_heap); // 0x88 + 544
//! assert_eq!(file[..8], SIGNATURE);
//! assert_eq!(file[0x88..0x8c], *b"TREE");
//! # Ok::<(), h5sink::Error>(())
//! ```

pub mod attribute;
pub mod btree;
pub mod dataspace;
pub mod datatype;
pub mod field;
pub mod fill_value;
pub mod filter_pipeline;
pub mod global_heap;
#[cfg(test)]
mod hostile;
pub mod layout;
pub(crate) mod link;
pub mod local_heap;
pub mod lookup3;
pub mod object_header;
pub mod reader;
pub mod selection;
pub mod snod;
pub mod superblock;
pub mod symbol_table;
pub mod vds;

/// Old path of [`btree::chunk`], the chunk B-tree encoder: the same
/// module, so `h5sink::format::chunk_btree::*` paths still compile.
pub use btree::chunk as chunk_btree;

/// Old home of the chunked layout and of the dataspace with maximum
/// dimensions, kept so that `h5sink::format::layout_chunked::*` paths still
/// compile. New code uses [`layout::chunked`] and
/// [`dataspace::encode_with_max`].
///
/// # Examples
///
/// The old paths name the very same functions:
///
/// ```
/// use h5sink::format::{dataspace, layout, layout_chunked};
///
/// let old = layout_chunked::chunked_v3(0x578, &[5, 5], 4)?;
/// assert_eq!(old, layout::chunked::chunked_v3(0x578, &[5, 5], 4)?);
/// assert_eq!(layout_chunked::chunk_bytes(&[5, 5], 4)?, 100);
/// let space = layout_chunked::encode_with_max(&[10, 5], &[None, Some(5)])?;
/// assert_eq!(space, dataspace::encode_with_max(&[10, 5], &[None, Some(5)])?);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub mod layout_chunked {
    pub use super::dataspace::encode_with_max;
    pub use super::layout::chunked::{chunk_bytes, chunked_v3};
}

/// Bytes from a hex string; whitespace is ignored (golden vectors in tests).
#[cfg(test)]
pub(crate) fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => panic!("not a hex digit: {}", b as char),
        })
        .collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits");
    digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect()
}

#[cfg(test)]
mod tests {
    use super::datatype::Datatype;
    use super::field::{len64, UNDEF_ADDR};
    use super::fill_value::{AllocTime, FillTime};
    use super::object_header::{kind, Message, FLAG_CONSTANT};
    use super::superblock::{Superblock, GROUP_INTERNAL_K, GROUP_LEAF_K};
    use super::*;

    /// The digest's §10 strategy-A file (1188 bytes, one dataset `x` =
    /// int32 [1, 2, 3]) as an xxd dump; `*` repeats the previous line.
    /// It opens in h5dump 1.10.8 and h5py 3.16 (HDF5 2.0.0).
    const GOLDEN_A: &str = "
00000000: 8948 4446 0d0a 1a0a 0000 0000 0008 0800
00000010: 0400 1000 0000 0000 0000 0000 0000 0000
00000020: ffff ffff ffff ffff a404 0000 0000 0000
00000030: ffff ffff ffff ffff 0000 0000 0000 0000
00000040: 6000 0000 0000 0000 0100 0000 0000 0000
00000050: 8800 0000 0000 0000 a802 0000 0000 0000
00000060: 0100 0100 0100 0000 1800 0000 0000 0000
00000070: 1100 1000 0000 0000 8800 0000 0000 0000
00000080: a802 0000 0000 0000 5452 4545 0000 0100
00000090: ffff ffff ffff ffff ffff ffff ffff ffff
000000a0: 0000 0000 0000 0000 d802 0000 0000 0000
000000b0: 0800 0000 0000 0000 0000 0000 0000 0000
000000c0: 0000 0000 0000 0000 0000 0000 0000 0000
*
000002a0: 0000 0000 0000 0000 4845 4150 0000 0000
000002b0: 1000 0000 0000 0000 0100 0000 0000 0000
000002c0: c802 0000 0000 0000 0000 0000 0000 0000
000002d0: 7800 0000 0000 0000 534e 4f44 0100 0100
000002e0: 0800 0000 0000 0000 2004 0000 0000 0000
000002f0: 0000 0000 0000 0000 0000 0000 0000 0000
*
00000420: 0100 0400 0100 0000 6800 0000 0000 0000
00000430: 0100 1800 0000 0000 0101 0100 0000 0000
00000440: 0300 0000 0000 0000 0300 0000 0000 0000
00000450: 0300 1000 0100 0000 1008 0000 0400 0000
00000460: 0000 2000 0000 0000 0500 0800 0100 0000
00000470: 0202 0201 0000 0000 0800 1800 0000 0000
00000480: 0301 9804 0000 0000 0000 0c00 0000 0000
00000490: 0000 0000 0000 0000 0100 0000 0200 0000
000004a0: 0300 0000
";

    /// Parse an xxd dump whose elided (`*`) lines repeat the line before.
    fn from_xxd(dump: &str) -> Vec<u8> {
        let mut out: Vec<u8> = Vec::new();
        let mut last: Vec<u8> = Vec::new();
        let mut repeating = false;
        for line in dump.lines().filter(|l| !l.trim().is_empty()) {
            if line.trim() == "*" {
                repeating = true;
                continue;
            }
            let (addr, bytes) = line.split_once(": ").unwrap();
            let addr = usize::from_str_radix(addr, 16).unwrap();
            while repeating && out.len() < addr {
                out.extend_from_slice(&last);
            }
            repeating = false;
            assert_eq!(out.len(), addr, "dump is not contiguous at {addr:#x}");
            last = hex(bytes);
            out.extend_from_slice(&last);
        }
        out
    }

    /// The four messages of a contiguous dataset header, in h5py's order.
    fn dataset_msgs<'a>(
        space: &'a [u8],
        dt: &'a [u8],
        fill: &'a [u8],
        layout: &'a [u8],
    ) -> [Message<'a>; 4] {
        [
            Message {
                kind: kind::DATASPACE,
                flags: 0,
                body: space,
            },
            Message {
                kind: kind::DATATYPE,
                flags: FLAG_CONSTANT,
                body: dt,
            },
            Message {
                kind: kind::FILL_VALUE,
                flags: FLAG_CONSTANT,
                body: fill,
            },
            Message {
                kind: kind::LAYOUT,
                flags: 0,
                body: layout,
            },
        ]
    }

    #[test]
    fn rebuilds_the_digest_golden_file() {
        let golden = from_xxd(GOLDEN_A);
        assert_eq!(golden.len(), 1188);

        // Layout: superblock, root header, TREE, HEAP, SNOD, dataset header, data.
        let root_body = symbol_table::encode(0x88, 0x2a8);
        let root_msgs = [Message {
            kind: kind::SYMBOL_TABLE,
            flags: 0,
            body: &root_body,
        }];
        let mut heap = local_heap::LocalHeap::new();
        let name = heap.add(b"x");
        let snod_at = 0x2a8 + heap.size();
        let dset_at = snod_at + snod::node_size(GROUP_LEAF_K);

        let dtype = Datatype::Int {
            size: 4,
            signed: true,
        };
        let space = dataspace::encode(&[3]).unwrap();
        let dt = dtype.encode();
        let fill = fill_value::encode_default(AllocTime::Late, FillTime::IfSet);
        let data: Vec<u8> = [1i32, 2, 3].iter().flat_map(|v| v.to_le_bytes()).collect();
        let placeholder = layout::contiguous(UNDEF_ADDR, 0);
        let header_size =
            object_header::size(&dataset_msgs(&space, &dt, &fill, &placeholder)).unwrap();
        let data_at = dset_at + header_size;
        let layout = layout::contiguous(data_at, len64(data.len()));
        let dset_msgs = dataset_msgs(&space, &dt, &fill, &layout);
        let eof = data_at + len64(data.len());

        let sb = Superblock {
            eof,
            root_object_header: 0x60,
            root_btree: 0x88,
            root_heap: 0x2a8,
        };
        let mut file = sb.encode().to_vec();
        object_header::encode(&mut file, &root_msgs).unwrap();
        assert_eq!(file.len(), 0x88);
        btree::group::encode_group_node(
            &mut file,
            GROUP_INTERNAL_K,
            0,
            UNDEF_ADDR,
            UNDEF_ADDR,
            &[0, name],
            &[snod_at],
        )
        .unwrap();
        assert_eq!(file.len(), 0x2a8);
        heap.encode(0x2a8, &mut file).unwrap();
        let entry = snod::Entry {
            name_offset: name,
            object_header: dset_at,
            cache: snod::Cache::None,
        };
        snod::encode_node(&mut file, GROUP_LEAF_K, &[entry]).unwrap();
        assert_eq!(len64(file.len()), dset_at);
        object_header::encode(&mut file, &dset_msgs).unwrap();
        file.extend_from_slice(&data);

        assert_eq!(len64(file.len()), eof);
        assert_eq!(file, golden);
    }

    /// The messages of two h5py 3.16 dataset headers, byte for byte (h5py
    /// then adds a NIL filler up to 256 bytes, which h5sink leaves out):
    /// `create_dataset('i4', (3,), dtype='i4', fillvalue=-1)` (unwritten)
    /// and a compact int32 `[0, 1, 2, 3]`.
    #[test]
    fn h5py_user_fill_and_compact_headers() {
        let i4 = Datatype::Int {
            size: 4,
            signed: true,
        };
        let space = dataspace::encode(&[3]).unwrap();
        let dt = i4.encode();
        let value = (-1i32).to_le_bytes();
        let fill = fill_value::encode_user(AllocTime::Late, FillTime::IfSet, &value).unwrap();
        let old = fill_value::encode_old(&value);
        let layout = layout::contiguous(UNDEF_ADDR, 12);
        let mut msgs = dataset_msgs(&space, &dt, &fill, &layout).to_vec();
        msgs.insert(
            3,
            Message {
                kind: kind::FILL_VALUE_OLD,
                flags: FLAG_CONSTANT,
                body: &old,
            },
        );
        let mut out = Vec::new();
        object_header::encode(&mut out, &msgs).unwrap();
        let want = hex(
            "0100180000000000010101000000000003000000000000000300000000000000
             0300100001000000100800000400000000002000000000000500100001000000
             0202020104000000ffffffff00000000040008000100000004000000ffffffff
             08001800000000000301ffffffffffffffff0c00000000000000000000000000",
        );
        assert_eq!(out[16..], want[..]);

        let space = dataspace::encode(&[4]).unwrap();
        let fill = fill_value::encode_default(AllocTime::Early, FillTime::IfSet);
        let data: Vec<u8> = (0i32..4).flat_map(|v| v.to_le_bytes()).collect();
        let layout = layout::compact(&data).unwrap();
        let mut out = Vec::new();
        object_header::encode(&mut out, &dataset_msgs(&space, &dt, &fill, &layout)).unwrap();
        let want = hex(
            "0100180000000000010101000000000004000000000000000400000000000000
             0300100001000000100800000400000000002000000000000500080001000000
             0201020100000000080018000000000003001000000000000100000002000000
             0300000000000000",
        );
        assert_eq!(out[16..], want[..]);
    }
}
