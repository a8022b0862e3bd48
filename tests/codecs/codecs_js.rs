//! h5wasm (libhdf5 2.0.0 in WebAssembly) with the compression plugins of
//! the npm package h5wasm-plugins, under Node, reads h5sink's LZF, LZ4,
//! bitshuffle (alone, with LZ4, with zstd), zstd and Blosc (lz4 / zstd,
//! each shuffle) datasets exactly: tests/oracle/codecs_js_check.py compares
//! each with an unfiltered copy read by the same reader. Node and the
//! packages (`npm ci --prefix tests/oracle/js`) are required, never skipped.

#![cfg(all(
    feature = "lzf",
    feature = "lz4",
    feature = "bitshuffle",
    feature = "zstd",
    feature = "blosc"
))]

use crate::common;

use h5sink::{BloscCodec, BloscShuffle, DatasetBuilder, File, H5Type};

/// 45 x 7 values in chunks of 16 x 4: edge chunks in both dimensions.
const SHAPE: [u64; 2] = [45, 7];
const CHUNK: [u64; 2] = [16, 4];

/// The filter settings, as the dataset names carry them.
const CONFIGS: [&str; 11] = [
    "lzf",
    "lz4",
    "bs",
    "bslz4",
    "bszstd",
    "zstd",
    "zstd19",
    "blosclz4byte",
    "blosczstdbit",
    "blosclz4none",
    "shufflelz4fletcher",
];

fn set<T: H5Type>(name: &str, b: DatasetBuilder<T>) -> DatasetBuilder<T> {
    match name {
        "lzf" => b.lzf(),
        "lz4" => b.lz4(),
        "bs" => b.bitshuffle(),
        "bslz4" => b.bitshuffle().lz4(),
        "bszstd" => b.bitshuffle().zstd(3),
        "zstd" => b.zstd(3),
        "zstd19" => b.zstd(19),
        "blosclz4byte" => b.blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte),
        "blosczstdbit" => b.blosc(BloscCodec::Zstd, 3, BloscShuffle::Bit),
        "blosclz4none" => b.blosc(BloscCodec::Lz4, 9, BloscShuffle::None),
        "shufflelz4fletcher" => b.shuffle().lz4().fletcher32(),
        _ => panic!("no config {name}"),
    }
}

/// `ref_<t>` unfiltered, then `<config>_<t>` for every config.
fn write<T: H5Type + h5sink::Element + Copy>(file: &File, t: &str, f: impl Fn(u64) -> T) {
    let data: Vec<T> = (0..SHAPE[0] * SHAPE[1]).map(f).collect();
    let r = file.new_dataset::<T>().shape(&SHAPE);
    r.create(&format!("ref_{t}"))
        .unwrap()
        .write_raw(&data)
        .unwrap();
    for c in CONFIGS {
        let b = file.new_dataset::<T>().shape(&SHAPE).chunk(&CHUNK);
        let ds = set(c, b).create(&format!("{c}_{t}")).unwrap();
        ds.write_raw(&data).unwrap();
    }
}

#[test]
fn h5wasm_plugins_read_every_codec() {
    let dir = common::out_dir("codecs_js");
    let path = dir.join("codecs_js.h5");
    let file = File::create(&path).unwrap();
    let base = |k: u64| (k * 37 % 200) as i64 - 100;
    write(&file, "i8", |k| base(k) as i8);
    write(&file, "u16", |k| (k * 37 % 200) as u16 * 300);
    write(&file, "i32", |k| base(k) as i32 * 100_000);
    write(&file, "f32", |k| base(k).max(0) as f32 * 0.25);
    write(&file, "f64", |k| base(k) as f64 / 3.0);
    file.close().unwrap();
    common::run_python_script("tests/oracle/codecs_js_check.py", &[path.as_os_str()]);
}
