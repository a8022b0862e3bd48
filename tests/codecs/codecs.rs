//! Plugin compression filters (LZF, LZ4, bitshuffle alone and with LZ4 or
//! zstd, zstd, Blosc with lz4 or zstd and each shuffle), on six element
//! types (i8, u16, i32, f32, f64, a compound; f16 too with the `half`
//! feature) with edge chunks in both
//! dimensions, checked by tests/oracle/codecs_check.py: h5py with
//! hdf5plugin reads every dataset exactly (against an unfiltered copy and
//! the formula), h5py without hdf5plugin reads LZF, h5dump with hdf5plugin's
//! plugin directory prints the data, and an h5py + hdf5plugin twin dumps
//! to the same `h5dump -p` text (addresses and stored sizes aside). Then
//! h5sink reads the twin's chunks (hdf5plugin's encoders) back, and a
//! `DatasetWriter` compresses on its worker threads.

#![cfg(all(
    feature = "lzf",
    feature = "lz4",
    feature = "bitshuffle",
    feature = "zstd",
    feature = "blosc"
))]

use crate::common;

use crate::common::python;
use h5sink::{BloscCodec, BloscShuffle, DatasetBuilder, Error, File, H5Type};
use std::path::Path;

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub struct Pair { pub a: f32, pub b: i16 }
}

const ROWS: u64 = 45;
const COLS: u64 = 7;

/// The filter settings, named as codecs_check.py names them.
const CONFIGS: [&str; 12] = [
    "lzf",
    "lz4",
    "bs",
    "bslz4",
    "bszstd",
    "zstd",
    "zstd9",
    "blosc_lz4_byte",
    "blosc_zstd_bit",
    "blosc_lz4_none",
    "shuffle_lz4_f32",
    "shuffle_zstd",
];

/// The options of config `name`.
fn set<T: H5Type>(name: &str, b: DatasetBuilder<T>) -> DatasetBuilder<T> {
    match name {
        "lzf" => b.lzf(),
        "lz4" => b.lz4(),
        "bs" => b.bitshuffle(),
        "bslz4" => b.bitshuffle().lz4(),
        "bszstd" => b.bitshuffle().zstd(3),
        "zstd" => b.zstd(3),
        "zstd9" => b.zstd(9),
        "blosc_lz4_byte" => b.blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte),
        "blosc_zstd_bit" => b.blosc(BloscCodec::Zstd, 3, BloscShuffle::Bit),
        "blosc_lz4_none" => b.blosc(BloscCodec::Lz4, 5, BloscShuffle::None),
        "shuffle_lz4_f32" => b.shuffle().lz4().fletcher32(),
        "shuffle_zstd" => b.shuffle().zstd(1),
        _ => panic!("no config {name}"),
    }
}

/// The element types written (f16 with the `half` feature).
fn types() -> Vec<&'static str> {
    let mut t = vec!["i8", "u16", "i32", "f32", "f64", "pair"];
    if cfg!(feature = "half") {
        t.push("f16");
    }
    t
}

/// Element `k` of each type (codecs_check.py computes the same).
fn base(k: u64) -> i64 {
    (k * 37 % 200) as i64 - 100
}

fn values<T>(f: impl Fn(u64) -> T) -> Vec<T> {
    (0..ROWS * COLS).map(f).collect()
}

/// Write `ref_<t>` (contiguous) and `<config>_<t>` for every config.
fn write_type<T: H5Type + Copy + h5sink::Element>(file: &File, t: &str, data: &[T]) {
    let r = file
        .new_dataset::<T>()
        .shape(&[ROWS, COLS])
        .create(&format!("ref_{t}"))
        .unwrap();
    r.write_raw(data).unwrap();
    for name in CONFIGS {
        let b = file.new_dataset::<T>().shape(&[ROWS, COLS]).chunk(&[20, 4]);
        let ds = set(name, b).create(&format!("{name}_{t}")).unwrap();
        ds.write_raw(data).unwrap();
    }
}

fn write_all(path: &Path) {
    let file = File::create(path).unwrap();
    write_type(&file, "i8", &values(|k| base(k) as i8));
    write_type(&file, "u16", &values(|k| (k * 37 % 200) as u16 * 300));
    write_type(&file, "i32", &values(|k| base(k) as i32 * 100_000));
    write_type(&file, "f32", &values(|k| base(k).max(0) as f32 * 0.25));
    write_type(&file, "f64", &values(|k| base(k) as f64 / 3.0));
    write_type(
        &file,
        "pair",
        &values(|k| Pair {
            a: k as f32 * 0.5,
            b: base(k) as i16,
        }),
    );
    #[cfg(feature = "half")]
    write_type(
        &file,
        "f16",
        &values(|k| half::f16::from_f32(base(k) as f32 * 0.5)),
    );
    // Bytes LZF cannot shrink: stored raw, the filter's mask bit set.
    let mut x = 0x2545_f491u32;
    let noise: Vec<u8> = (0..300)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 5) as u8
        })
        .collect();
    file.new_dataset::<u8>()
        .shape(&[300])
        .create("ref_noise")
        .unwrap()
        .write_raw(&noise)
        .unwrap();
    let lzf = file
        .new_dataset::<u8>()
        .shape(&[300])
        .chunk(&[100])
        .lzf()
        .create("lzf_noise")
        .unwrap();
    lzf.write_raw(&noise).unwrap();
    file.close().unwrap();
}

/// Every dataset of `twin` reads in h5sink as the same dataset of `ours`.
fn same_bytes(ours: &Path, twin: &Path) -> usize {
    let (a, b) = (File::open(ours).unwrap(), File::open(twin).unwrap());
    let mut n = 0;
    for t in types() {
        let want = a
            .dataset(&format!("ref_{t}"))
            .unwrap()
            .read_bytes()
            .unwrap();
        for name in CONFIGS {
            let path = format!("{name}_{t}");
            let mine = a.dataset(&path).unwrap();
            let theirs = b.dataset(&path).unwrap();
            assert_eq!(mine.filters(), theirs.filters(), "{path}");
            assert!(
                mine.read_bytes().unwrap() == want,
                "{path}: h5sink reads its own chunks"
            );
            assert!(
                theirs.read_bytes().unwrap() == want,
                "{path}: h5sink reads hdf5plugin's chunks"
            );
            n += 1;
        }
    }
    n
}

#[test]
fn codecs_read_by_h5py_h5dump_and_h5sink() {
    let dir = common::out_dir("codecs");
    let ours = dir.join("codecs.h5");
    write_all(&ours);
    let script =
        std::fs::read_to_string(common::repo_root().join("tests/oracle/codecs_check.py")).unwrap();
    let out = python(&script, &dir);
    print!("{out}");
    assert!(out.contains("codecs_check: ok"), "{out}");
    let n = same_bytes(&ours, &dir.join("twin.h5"));
    let twin = File::open(dir.join("twin.h5")).unwrap();
    let noise = twin.dataset("ref_noise").unwrap().read_bytes().unwrap();
    assert_eq!(
        twin.dataset("lzf_noise").unwrap().read_bytes().unwrap(),
        noise
    );
    assert_eq!(n, types().len() * CONFIGS.len());
}

#[test]
fn writer_compresses_on_worker_threads() {
    let dir = common::out_dir("codecs_writer");
    let path = dir.join("w.h5");
    let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[1000, 392])
        .chunk(&[63, 392])
        .bitshuffle()
        .lz4()
        .create()
        .unwrap();
    let row: Vec<f32> = (0..392)
        .map(|i| ((i * 7919) % 13) as f32 - 6.0)
        .map(|v| v.max(0.0))
        .collect();
    for r in 0..1000 / 40 {
        let rows: Vec<f32> = (0..40)
            .flat_map(|i| row.iter().map(move |v| v + (r * 40 + i) as f32))
            .collect();
        w.add(&rows, &vec![r as i64; 40]).unwrap();
    }
    w.close().unwrap();
    let out = python(
        "import h5py, hdf5plugin, numpy as np\n\
         f = h5py.File('w.h5', 'r'); d = f['images']\n\
         row = np.maximum(((np.arange(392) * 7919) % 13).astype('f4') - 6, 0)\n\
         want = row[None, :] + np.arange(1000, dtype='f4')[:, None]\n\
         assert d._filters['32008'] == (0, 4, 4, 0, 2), d._filters\n\
         assert np.array_equal(d[:], want), 'values differ'\n\
         print('stored', d.id.get_storage_size(), 'of', d.nbytes)\n",
        &dir,
    );
    print!("{out}");
    let back = File::open(&path)
        .unwrap()
        .dataset("images")
        .unwrap()
        .read_rows::<f32>(999, 1)
        .unwrap();
    assert_eq!(back, row.iter().map(|v| v + 999.0).collect::<Vec<_>>());
}

#[test]
fn refused_settings_are_specific_errors() {
    let file = File::in_memory().unwrap();
    let nb = || file.new_dataset::<f32>().shape(&[100]);
    let e = nb().zstd(23).create("z").unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                what: "zstd level",
                ..
            }
        ),
        "{e}"
    );
    let e = nb().zstd(0).create("z").unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                what: "zstd level",
                ..
            }
        ),
        "{e}"
    );
    let e = nb().bitshuffle().zstd(40).create("z").unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                what: "zstd level",
                ..
            }
        ),
        "{e}"
    );
    let e = nb()
        .blosc(BloscCodec::Lz4, 10, BloscShuffle::Byte)
        .create("b")
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                what: "Blosc level",
                ..
            }
        ),
        "{e}"
    );
    let e = nb().deflate(4).lz4().create("two").unwrap_err();
    assert_eq!(e.to_string(), "invalid compression deflate + lz4: a dataset takes one compression filter (bitshuffle may hold lz4 or zstd, not both)");
    let e = nb().bitshuffle().lz4().zstd(3).create("three").unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                what: "compression",
                ..
            }
        ),
        "{e}"
    );
    let e = nb()
        .lzf()
        .blosc(BloscCodec::Zstd, 1, BloscShuffle::Bit)
        .create("lb")
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                what: "compression",
                ..
            }
        ),
        "{e}"
    );
    let e = file
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[4])
        .lz4()
        .create("s")
        .unwrap_err();
    assert!(matches!(e, Error::BadShape { .. }), "{e}");
    // A Blosc chunk above 2 GiB.
    let e = file
        .new_dataset::<u8>()
        .shape(&[1u64 << 32])
        .chunk(&[(1u64 << 31) + 1])
        .blosc(BloscCodec::Lz4, 5, BloscShuffle::None)
        .create("big")
        .unwrap_err();
    assert!(e.to_string().contains("above Blosc's limit"), "{e}");
    // Nothing was created by the refused calls.
    assert!(file.dataset("z").is_err() && file.dataset("two").is_err());
}

#[test]
fn reopened_files_complete_compressed_last_chunks() {
    let dir = common::out_dir("codecs_append");
    let path = dir.join("append.h5");
    let vals: Vec<i32> = (0..33).map(|v| v * 1000 - 7).collect();
    let file = File::create(&path).unwrap();
    for name in CONFIGS {
        let b = file
            .new_dataset::<i32>()
            .shape(&[0, 3])
            .resizable()
            .chunk(&[4, 3]);
        set(name, b)
            .create(name)
            .unwrap()
            .append_rows(&vals[..15])
            .unwrap(); // chunk 1 holds one row
    }
    file.close().unwrap();
    let file = File::open_rw(&path).unwrap();
    for name in CONFIGS {
        let ds = file.dataset(name).unwrap();
        ds.append_rows(&vals[15..]).unwrap(); // completes chunk 1, fills chunk 2
        assert_eq!(ds.read_raw::<i32>().unwrap(), vals, "{name}");
    }
    file.close().unwrap();
    let out = python(
        &format!(
            "import h5py, hdf5plugin, numpy as np\n\
             want = (np.arange(33, dtype='i4') * 1000 - 7).reshape(11, 3)\n\
             f = h5py.File('append.h5', 'r')\n\
             for n in {CONFIGS:?}:\n    assert np.array_equal(f[n][:], want), n\n\
             print('append ok', len(f))\n"
        ),
        &dir,
    );
    assert!(out.contains("append ok 12"), "{out}");
}
