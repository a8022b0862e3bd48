//! wasm32-wasip1 check, run by scripts/wasm.sh through scripts/wasi-runner.mjs:
//! h5sink writes real files through WASI (`File::create`, i.e. `FileStorage`
//! on the seek+write fallback) and compresses chunks on a target without
//! threads (`available_parallelism` errs there, so `filter_all` must use one
//! thread rather than panic in `thread::scope`).
//!
//! Usage: wasi-check DIR  (a WASI path, e.g. /tmp). Writes DIR/demo.h5 (the same
//! objects as the wasm32-unknown-unknown module) and DIR/big.h5 (a 2000 x 300
//! f32 dataset in 40 x 60 chunks, shuffle + deflate + fletcher32, appended in
//! batches to a resizable dataset) and DIR/codecs.h5 (the same 2000 x 300 f32
//! values in 40 x 60 chunks with LZ4, bitshuffle+LZ4, bitshuffle+zstd, zstd,
//! Blosc lz4 / zstd and LZF: the plugin codecs of the default build, read
//! back here and by h5py + hdf5plugin in wasm/check.py), checks demo.h5
//! equals the in-memory build, and prints one line per file.

use h5sink::{BloscCodec, BloscShuffle, DatasetBuilder};

/// The codec datasets of codecs.h5, by name (wasm/check.py CODECS).
const CODECS: [&str; 7] = [
    "lz4",
    "bslz4",
    "bszstd",
    "zstd",
    "blosc_lz4",
    "blosc_zstd",
    "lzf",
];

fn codec(name: &str, b: DatasetBuilder<f32>) -> DatasetBuilder<f32> {
    match name {
        "lz4" => b.lz4(),
        "bslz4" => b.bitshuffle().lz4(),
        "bszstd" => b.bitshuffle().zstd(3),
        "zstd" => b.zstd(3),
        "blosc_lz4" => b.blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte),
        "blosc_zstd" => b.blosc(BloscCodec::Zstd, 5, BloscShuffle::Bit),
        _ => b.lzf(),
    }
}

/// The values of big.h5 and codecs.h5, rows `from..to` of 300.
fn rows(from: usize, to: usize) -> Vec<f32> {
    (from * 300..to * 300)
        .map(|i| ((i % 1013) as f32).sqrt())
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: wasi-check DIR")?);
    println!(
        "available_parallelism: {:?}",
        std::thread::available_parallelism().map(|n| n.get())
    );

    let demo = dir.join("demo.h5");
    let file = h5sink::File::create(&demo)?;
    // No reader grace period, as in memory: the same space reuse, the same bytes.
    file.set_reader_grace(std::time::Duration::ZERO);
    h5sink_wasm::fill(&file)?;
    file.close()?;
    let on_disk = std::fs::read(&demo)?;
    let in_memory = h5sink_wasm::build_demo()?;
    if on_disk != in_memory {
        return Err(format!(
            "demo.h5 ({} bytes) differs from the in-memory build ({} bytes)",
            on_disk.len(),
            in_memory.len()
        )
        .into());
    }
    println!("{}: {} bytes, identical to the in-memory build", demo.display(), on_disk.len());

    let (rows, cols) = (2000usize, 300usize);
    let big = dir.join("big.h5");
    let file = h5sink::File::create(&big)?;
    let ds = file
        .new_dataset::<f32>()
        .shape(&[0, cols])
        .resizable()
        .chunk(&[40, 60])
        .shuffle()
        .deflate(4)
        .fletcher32()
        .create("big")?;
    for batch in (0..rows).step_by(250) {
        ds.append_rows(&self::rows(batch, batch + 250))?;
        file.flush()?;
    }
    file.close()?;
    let n = std::fs::metadata(&big)?.len();
    println!(
        "{}: {} bytes for {} raw bytes (250 chunks, 8 flushes)",
        big.display(),
        n,
        rows * cols * 4
    );

    let path = dir.join("codecs.h5");
    let file = h5sink::File::create(&path)?;
    let want = self::rows(0, rows);
    for name in CODECS {
        let b = file.new_dataset::<f32>().shape(&[rows as u64, cols as u64]);
        codec(name, b.chunk(&[40, 60])).create(name)?.write_raw(&want)?;
    }
    file.close()?;
    let file = h5sink::File::open(&path)?;
    for name in CODECS {
        if file.dataset(name)?.read_raw::<f32>()? != want {
            return Err(format!("codecs.h5: {name} does not read back").into());
        }
    }
    println!(
        "{}: {} bytes, {} codecs read back: {}",
        path.display(),
        std::fs::metadata(&path)?.len(),
        CODECS.len(),
        CODECS.join(", ")
    );
    Ok(())
}
