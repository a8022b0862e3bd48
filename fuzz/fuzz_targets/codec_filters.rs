//! The plugin compression filters (LZF, LZ4, bitshuffle, zstd, Blosc) with
//! settings drawn from fuzz bytes, shared by `common.rs` (the encoders and
//! API interpreters) and `decoders_run.rs`, which include this file with
//! `#[path]`: usually settings h5sink writes, sometimes any value at all
//! (levels out of range, unknown compressors, element sizes of 0 or 2^32-1).
#![allow(dead_code)]

use h5sink::format::filter_pipeline::Filter;
use h5sink::{BloscCodec, BloscShuffle, DatasetBuilder, H5Type};

/// The filter `pick` selects for a chunk of `len` bytes, its settings from
/// `a`, `b` and `c`; `pick`'s top bit asks for unchecked settings.
pub fn plugin_filter(pick: u8, a: u32, b: u32, c: u32, len: usize) -> Filter {
    let wild = pick & 0x80 != 0;
    let len = u32::try_from(len).unwrap_or(u32::MAX);
    let element_size = if wild {
        a
    } else {
        [1, 2, 4, 8, 3, 16][a as usize % 6]
    };
    match pick % 5 {
        0 => Filter::Lzf {
            chunk_bytes: if wild { b } else { len },
        },
        1 => Filter::Lz4 {
            block_size: if wild {
                b
            } else {
                [0, 1, 64, 4096][b as usize % 4]
            },
        },
        2 => Filter::Bitshuffle {
            element_size,
            block_size: if wild {
                b
            } else {
                [0, 8, 256, 1024][b as usize % 4]
            },
            compression: if wild {
                c & 0xff
            } else {
                [0, 2, 3][c as usize % 3]
            },
            level: if wild { c >> 8 } else { 1 + (c >> 8) % 22 },
        },
        3 => Filter::Zstd {
            level: if wild { b } else { 1 + b % 22 },
        },
        _ => Filter::Blosc {
            element_size,
            chunk_bytes: if wild { b } else { len },
            level: if wild { c & 0xff } else { (c & 0xff) % 10 },
            shuffle: if wild { (c >> 8) & 0xff } else { (c >> 8) % 3 },
            codec: if wild {
                c >> 16
            } else {
                [1, 5][(c >> 16) as usize % 2]
            },
        },
    }
}

/// `b` with the codec option `pick` selects (levels up to 24 for zstd and
/// 11 for Blosc: some out of range, which `create` must refuse).
pub fn with_codec<T: H5Type>(b: DatasetBuilder<T>, pick: u8, level: u8) -> DatasetBuilder<T> {
    let shuffle =
        [BloscShuffle::None, BloscShuffle::Byte, BloscShuffle::Bit][usize::from(pick / 8) % 3];
    let zstd = level % 25;
    match pick % 8 {
        0 => b.lzf(),
        1 => b.lz4(),
        2 => b.bitshuffle(),
        3 => b.bitshuffle().lz4(),
        4 => b.bitshuffle().zstd(zstd),
        5 => b.zstd(zstd),
        6 => b.blosc(BloscCodec::Lz4, level % 12, shuffle),
        _ => b.blosc(BloscCodec::Zstd, level % 12, shuffle),
    }
}
