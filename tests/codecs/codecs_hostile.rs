//! Hostile settings of the plugin codecs are specific errors that change
//! nothing: every plugin filter on variable-length strings, zstd and Blosc
//! levels out of range (on `DatasetBuilder` and on `DatasetWriterBuilder`,
//! which then creates no file), chunks at and past each codec's limit
//! (Blosc's 2 GiB, the chunked layout's 4 GiB for the others). And the
//! element sizes that strain the shuffles (1 and 3 bytes, over 255 bytes
//! for Blosc's type size, chunks not a multiple of bitshuffle's 8
//! elements) round-trip in h5sink and in h5py + hdf5plugin (required,
//! never skipped).

#![cfg(all(
    feature = "lzf",
    feature = "lz4",
    feature = "bitshuffle",
    feature = "zstd",
    feature = "blosc"
))]

use crate::common;

use h5sink::{
    BloscCodec, BloscShuffle, DatasetBuilder, DatasetWriter, Error, File, H5Type, VarLenUnicode,
};

/// Every plugin option, by name (generic over the element type).
fn codec<T: H5Type>(name: &str, b: DatasetBuilder<T>) -> DatasetBuilder<T> {
    match name {
        "lzf" => b.lzf(),
        "lz4" => b.lz4(),
        "bs" => b.bitshuffle(),
        "bslz4" => b.bitshuffle().lz4(),
        "bszstd" => b.bitshuffle().zstd(3),
        "zstd" => b.zstd(3),
        "blosc_lz4" => b.blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte),
        "blosc_zstd_bit" => b.blosc(BloscCodec::Zstd, 5, BloscShuffle::Bit),
        "blosc_none" => b.blosc(BloscCodec::Lz4, 9, BloscShuffle::None),
        _ => panic!("no codec {name}"),
    }
}

const CODECS: [&str; 9] = [
    "lzf",
    "lz4",
    "bs",
    "bslz4",
    "bszstd",
    "zstd",
    "blosc_lz4",
    "blosc_zstd_bit",
    "blosc_none",
];

#[test]
fn plugin_filters_refuse_vlen_strings() {
    let file = File::in_memory().unwrap();
    for name in CODECS {
        let b = file.new_dataset::<VarLenUnicode>().shape(&[4]).chunk(&[2]);
        let e = codec(name, b).create(name).unwrap_err();
        assert!(
            matches!(&e, Error::BadShape { dataset, .. } if dataset == name),
            "{name}: {e:?}"
        );
        assert!(
            e.to_string()
                .ends_with("are not written on variable-length strings; use deflate"),
            "{e}"
        );
        assert!(file.dataset(name).is_err(), "{name} was created");
    }
    // Deflate (which libhdf5 runs on the heap references) is the way.
    let ds = file
        .new_dataset::<VarLenUnicode>()
        .shape(&[2])
        .chunk(&[2])
        .deflate(4)
        .create("ok")
        .unwrap();
    ds.write_strings(&["a", "bc"]).unwrap();
}

#[test]
fn levels_out_of_range_name_the_level() {
    let file = File::in_memory().unwrap();
    let zstd_err = |l: u8| format!("invalid zstd level {l}: zstd levels run from 1 to 22");
    let blosc_err = |l: u8| format!("invalid Blosc level {l}: Blosc levels run from 0 to 9");
    let nb = || file.new_dataset::<f32>().shape(&[64]);
    for l in [0u8, 23, 255] {
        let e = nb().zstd(l).create("z").unwrap_err();
        assert_eq!(e.to_string(), zstd_err(l));
        let e = nb().bitshuffle().zstd(l).create("z").unwrap_err();
        assert_eq!(e.to_string(), zstd_err(l));
    }
    for l in [10u8, 255] {
        for c in [BloscCodec::Lz4, BloscCodec::Zstd] {
            let e = nb().blosc(c, l, BloscShuffle::Bit).create("b").unwrap_err();
            assert_eq!(e.to_string(), blosc_err(l));
        }
    }
    assert!(file.member_names().unwrap().is_empty());
    // The edges are taken.
    nb().zstd(1).create("z1").unwrap();
    nb().zstd(22).create("z22").unwrap();
    nb().blosc(BloscCodec::Zstd, 0, BloscShuffle::None)
        .create("b0")
        .unwrap();
    nb().blosc(BloscCodec::Lz4, 9, BloscShuffle::Byte)
        .create("b9")
        .unwrap();

    // A writer refuses them in `create`, before the file exists.
    let dir = common::out_dir("codecs_hostile_levels");
    let path = dir.join("w.h5");
    let w = || DatasetWriter::<f32>::builder(&path, &[8]);
    for (e, want) in [
        (w().zstd(0).create().err(), zstd_err(0)),
        (w().bitshuffle().zstd(23).create().err(), zstd_err(23)),
        (
            w().blosc(BloscCodec::Zstd, 10, BloscShuffle::Byte)
                .create()
                .err(),
            blosc_err(10),
        ),
    ] {
        assert_eq!(e.map(|e| e.to_string()), Some(want));
        assert!(!path.exists(), "a refused writer left {}", path.display());
    }
}

#[test]
fn chunk_limits_per_codec() {
    let file = File::in_memory().unwrap();
    let blosc_max = (1u64 << 31) - 17; // i32::MAX minus Blosc's 16-byte header
    let b = || file.new_dataset::<u8>().shape(&[1u64 << 33]);
    for c in [BloscCodec::Lz4, BloscCodec::Zstd] {
        let tag = format!("{c:?}");
        b().chunk(&[blosc_max])
            .blosc(c, 5, BloscShuffle::Byte)
            .create(&format!("at_{tag}"))
            .unwrap();
        for over in [blosc_max + 1, 3 << 30, (1 << 32) - 1] {
            let e = b()
                .chunk(&[over])
                .blosc(c, 5, BloscShuffle::Byte)
                .create("over")
                .unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "dataset \"over\": a chunk of {over} bytes is above Blosc's limit of 2147483631 bytes"
                )
            );
        }
    }
    // The others split a chunk into blocks (LZ4's 1 GiB, bitshuffle's
    // 8192 elements) or take it whole (LZF, zstd): any chunk the chunked
    // layout stores (at most 2^32 - 1 bytes per dimension) is taken.
    for name in CODECS.iter().filter(|n| !n.starts_with("blosc")) {
        codec(name, b().chunk(&[(1u64 << 32) - 1]))
            .create(&format!("max_{name}"))
            .unwrap();
        let e = codec(name, b().chunk(&[1u64 << 32]))
            .create("over")
            .unwrap_err();
        assert!(matches!(e, Error::BadShape { .. }), "{name}: {e}");
        assert!(e.to_string().contains("at most 4294967295"), "{e}");
    }
    assert!(file.dataset("over").is_err());
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct Three { pub a: u8, pub b: [u8; 2] }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct Wide { pub v: [f64; 40] }
}

/// `n` elements of `T` in chunks of `chunk`, every codec, read back here.
fn round_trip<T: H5Type + h5sink::Element + Copy + PartialEq + std::fmt::Debug>(
    file: &File,
    t: &str,
    data: &[T],
    chunk: u64,
) {
    for name in CODECS {
        let b = file
            .new_dataset::<T>()
            .shape(&[data.len() as u64])
            .chunk(&[chunk]);
        let ds = codec(name, b).create(&format!("{name}_{t}")).unwrap();
        ds.write_raw(data).unwrap();
        assert_eq!(ds.read_raw::<T>().unwrap(), data, "{name}_{t}");
    }
    file.new_dataset::<T>()
        .shape(&[data.len() as u64])
        .create(&format!("ref_{t}"))
        .unwrap()
        .write_raw(data)
        .unwrap();
}

#[test]
fn odd_element_sizes_round_trip_in_h5py() {
    let dir = common::out_dir("codecs_hostile_sizes");
    let file = File::create(dir.join("sizes.h5")).unwrap();
    // 1 byte, 29 elements in chunks of 13 (not a multiple of 8).
    let bytes: Vec<u8> = (0..29u32).map(|i| (i * 37 % 251) as u8).collect();
    round_trip(&file, "u8", &bytes, 13);
    // 3-byte records.
    let three: Vec<Three> = (0..45u8)
        .map(|i| Three {
            a: i,
            b: [i.wrapping_mul(7), 255 - i],
        })
        .collect();
    round_trip(&file, "three", &three, 11);
    // 320-byte records: Blosc's type size becomes 1, as in c-blosc.
    let wide: Vec<Wide> = (0..9)
        .map(|i| Wide {
            v: std::array::from_fn(|k| (i * 40 + k) as f64 / 3.0),
        })
        .collect();
    round_trip(&file, "wide", &wide, 4);
    file.close().unwrap();
    let out = common::python(
        "import h5py, hdf5plugin\n\
         f = h5py.File('sizes.h5')\n\
         n = 0\n\
         for t in ('u8', 'three', 'wide'):\n    \
             ref = f['ref_' + t][()].tobytes()\n    \
             for k in f:\n        \
                 if k.endswith('_' + t) and not k.startswith('ref_'):\n            \
                     assert f[k][()].tobytes() == ref, k\n            \
                     n += 1\n\
         print('read', n)\n",
        &dir,
    );
    assert_eq!(out.trim(), format!("read {}", 3 * CODECS.len()));
}
