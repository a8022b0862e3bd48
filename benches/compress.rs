//! Chunked streaming benchmark, per codec, in the same run:
//! - for each codec (none, gzip 4 + shuffle, LZF, LZ4, bitshuffle + LZ4,
//!   zstd 3, Blosc lz4 + shuffle 5, Blosc zstd + shuffle 3): h5sink's
//!   `DatasetWriter` (chunks (63, 392), adds of 32 rows, ReLU-like f32
//!   features: non-negative, about half zeros) against h5py + hdf5plugin's
//!   tutorial writer (buffer of 1000 rows, `ds[a:b] = buf`) with the same
//!   chunks and filter, interleaved, several rounds: throughput of both, the
//!   ratio of speeds (median and range over rounds) and of file sizes;
//! - the plain positional-write floor (the same rows, no HDF5 at all), and
//!   uncompressed chunked streaming against it.
//!
//! ```text
//! cargo bench --bench compress                        # files in /dev/shm
//! CODECS=lz4,bslz4 RUNS=3 ROWS=2000 cargo bench --bench compress
//! ```
//! Codec names: none, gzip, lzf, lz4, bslz4, zstd, blosc-lz4, blosc-zstd.
//! `STAGES=1` first times where the time goes, one thread, per stage: the
//! add copy, the partition into chunks, each codec's filters, the write.
//! `BUF=1008` sets the writer's buffer (default 1000 rows, the tutorial's;
//! a multiple of the chunk height commits no partial chunk rows), and
//! `GRACE_MS=0` its reader grace period (default the library's 2 s).
//! Without python3, h5py and hdf5plugin the benchmark stops with an error.

use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use h5sink::format::filter_pipeline::Filter as Stored;
use h5sink::{BloscCodec, BloscShuffle, DatasetWriterBuilder};

mod common;

use common::{features, CHUNK, FEATURES};

const BATCH: usize = 32;

/// Every codec of the table: name, h5sink's options, h5py's arguments.
type Options = fn(DatasetWriterBuilder<f32>) -> DatasetWriterBuilder<f32>;
const CODECS: [(&str, Options, &str); 8] = [
    ("none", |b| b, "{}"),
    (
        "gzip",
        |b| b.deflate(4).shuffle(),
        "dict(compression='gzip', compression_opts=4, shuffle=True)",
    ),
    ("lzf", |b| b.lzf(), "dict(compression='lzf')"),
    ("lz4", |b| b.lz4(), "dict(**hdf5plugin.LZ4())"),
    (
        "bslz4",
        |b| b.bitshuffle().lz4(),
        "dict(**hdf5plugin.Bitshuffle(cname='lz4'))",
    ),
    ("zstd", |b| b.zstd(3), "dict(**hdf5plugin.Zstd(clevel=3))"),
    (
        "blosc-lz4",
        |b| b.blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte),
        "dict(**hdf5plugin.Blosc(cname='lz4', clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))",
    ),
    (
        "blosc-zstd",
        |b| b.blosc(BloscCodec::Zstd, 3, BloscShuffle::Byte),
        "dict(**hdf5plugin.Blosc(cname='zstd', clevel=3, shuffle=hdf5plugin.Blosc.SHUFFLE))",
    ),
];

/// Seconds for h5sink's writer to stream `data` with `options`.
fn h5sink_run(path: &Path, data: &[f32], rows: usize, options: Options) -> f64 {
    let labels: Vec<i64> = (0..BATCH as i64).collect();
    let t = Instant::now();
    let b = h5sink::DatasetWriter::<f32>::builder(path, &[rows, FEATURES])
        .data_key("features")
        .buf_size(env_or("BUF", 1000))
        .chunk(&CHUNK);
    // GRACE_MS: the reader grace period (default: the library's, 2 s).
    let b = match std::env::var("GRACE_MS").ok().and_then(|g| g.parse().ok()) {
        Some(ms) => b.reader_grace(std::time::Duration::from_millis(ms)),
        None => b,
    };
    let mut w = options(b).create().unwrap();
    for batch in data.chunks(BATCH * FEATURES) {
        w.add(batch, &labels[..batch.len() / FEATURES]).unwrap();
    }
    w.close().unwrap();
    t.elapsed().as_secs_f64()
}

/// Seconds to write the same rows with plain positional writes of 1000 rows.
fn plain_run(path: &Path, data: &[f32]) -> f64 {
    let t = Instant::now();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .unwrap();
    let mut buf: Vec<f32> = Vec::with_capacity(1000 * FEATURES);
    let mut at = 4096u64;
    for batch in data.chunks(BATCH * FEATURES) {
        for row in batch.chunks(FEATURES) {
            buf.extend_from_slice(row);
            if buf.len() == 1000 * FEATURES {
                f.write_all_at(bytemuck::cast_slice(&buf), at).unwrap();
                at += (buf.len() * 4) as u64;
                buf.clear();
            }
        }
    }
    if !buf.is_empty() {
        f.write_all_at(bytemuck::cast_slice(&buf), at).unwrap();
    }
    t.elapsed().as_secs_f64()
}

/// The tutorial's HDF5DatasetWriter, with the same chunks and filter.
const H5PY: &str = r#"
import os, sys, time
import numpy as np, h5py, hdf5plugin
raw, path, rows, feats, batch, opts = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
data = np.fromfile(raw, dtype="<f4").reshape(rows, feats)
labels = np.arange(batch, dtype=np.int64)
kw = eval(opts)
t = time.perf_counter()
db = h5py.File(path, "w")
ds = db.create_dataset("features", (rows, feats), dtype="float32", chunks=(63, 392), **kw)
lb = db.create_dataset("labels", (rows,), dtype="int")
buf, lbuf, idx = [], [], 0
for i in range(0, rows, batch):
    buf.extend(data[i:i + batch]); lbuf.extend(labels[:len(data[i:i + batch])])
    if len(buf) >= 1000:
        ds[idx:idx + len(buf)] = buf; lb[idx:idx + len(buf)] = lbuf; idx += len(buf); buf, lbuf = [], []
if buf:
    ds[idx:idx + len(buf)] = buf; lb[idx:idx + len(buf)] = lbuf
db.close()
print(time.perf_counter() - t, os.path.getsize(path))
"#;

/// Seconds and file size of h5py + hdf5plugin writing the rows with `opts`;
/// stops the benchmark, loudly, if the rival cannot run.
fn h5py_run(raw: &Path, path: &Path, rows: usize, opts: &str) -> (f64, u64) {
    let args = [
        raw.into(),
        path.into(),
        rows.to_string().into(),
        FEATURES.to_string().into(),
        BATCH.to_string().into(),
        opts.into(),
    ];
    let out = common::python(H5PY, &args);
    let _ = std::fs::remove_file(path);
    let parsed = out.as_ref().ok().and_then(|o| {
        let t = String::from_utf8_lossy(&o.stdout).to_string();
        let mut it = t.split_whitespace();
        Some((
            it.next()?.parse::<f64>().ok()?,
            it.next()?.parse::<u64>().ok()?,
        ))
    });
    match parsed {
        Some(r) => r,
        None => {
            eprintln!("ERROR: the rival (python3 + h5py + hdf5plugin) did not run: the benchmark compares against it and cannot go on without it.");
            match out {
                Ok(o) => eprintln!("python3 said: {}", String::from_utf8_lossy(&o.stderr)),
                Err(e) => eprintln!("python3 could not start: {e}"),
            }
            eprintln!("install them: pip install h5py hdf5plugin");
            std::process::exit(2);
        }
    }
}

/// The on-disk filter pipeline of codec `name` (the settings its writer
/// options record), for the stage timings.
fn pipeline(name: &str) -> Vec<Stored> {
    let chunk_bytes = (CHUNK[0] * CHUNK[1] * 4) as u32;
    let blosc = |level, codec| Stored::Blosc {
        element_size: 4,
        chunk_bytes,
        level,
        shuffle: 1,
        codec,
    };
    match name {
        "gzip" => vec![
            Stored::Shuffle { element_size: 4 },
            Stored::Deflate { level: 4 },
        ],
        "lzf" => vec![Stored::Lzf { chunk_bytes }],
        "lz4" => vec![Stored::Lz4 { block_size: 0 }],
        "bslz4" => vec![Stored::Bitshuffle {
            element_size: 4,
            block_size: 0,
            compression: 2,
            level: 0,
        }],
        "zstd" => vec![Stored::Zstd { level: 3 }],
        "blosc-lz4" => vec![blosc(5, 1)],
        "blosc-zstd" => vec![blosc(3, 5)],
        _ => Vec::new(),
    }
}

/// One thread, per stage, in GB/s of rows: copying 32-row adds into a
/// 1000-row buffer; partitioning rows into (63, 392) chunks; each codec's
/// filters over every chunk; positional writes of the filtered chunks.
fn stages(dir: &Path, data: &[f32], rows: usize, codecs: &[&(&str, Options, &str)]) {
    let gb = (rows * FEATURES * 4) as f64 / 1e9;
    let t = Instant::now();
    let mut buf: Vec<f32> = Vec::with_capacity(1000 * FEATURES);
    for batch in data.chunks(BATCH * FEATURES) {
        if buf.len() + batch.len() > buf.capacity() {
            std::hint::black_box(&buf);
            buf.clear();
        }
        buf.extend_from_slice(batch);
    }
    let copy = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (kr, kc) = (CHUNK[0], CHUNK[1]);
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    for band in data.chunks(kr * FEATURES) {
        for c0 in (0..FEATURES).step_by(kc) {
            let mut chunk = vec![0f32; kr * kc];
            for (r, row) in band.chunks(FEATURES).enumerate() {
                let w = kc.min(FEATURES - c0);
                chunk[r * kc..r * kc + w].copy_from_slice(&row[c0..c0 + w]);
            }
            chunks.push(bytemuck::cast_slice(&chunk).to_vec());
        }
    }
    let partition = t.elapsed().as_secs_f64();
    println!(
        "stages, one thread, GB/s of rows: add copy {:.2}, partition into chunks {:.2}",
        gb / copy,
        gb / partition
    );
    for (name, _, _) in codecs {
        let filters = pipeline(name);
        let t = Instant::now();
        let out: Vec<Vec<u8>> = chunks
            .iter()
            .map(|c| {
                if filters.is_empty() {
                    c.clone()
                } else {
                    h5sink::filters::apply(&filters, c).unwrap().0
                }
            })
            .collect();
        let filter = t.elapsed().as_secs_f64();
        let p = dir.join(format!("h5sink-bench-stage-{}.bin", std::process::id()));
        let f = std::fs::File::create(&p).unwrap();
        let t = Instant::now();
        let mut at = 0u64;
        for c in &out {
            f.write_all_at(c, at).unwrap();
            at += c.len() as u64;
        }
        let write = t.elapsed().as_secs_f64();
        let _ = std::fs::remove_file(&p);
        println!(
            "stages: {name:<10} filter {:.3} GB/s, write {:.2} GB/s ({at} bytes)",
            gb / filter,
            gb / write
        );
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(default)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Per codec: h5sink and h5py seconds and file sizes, one entry per round.
#[derive(Default)]
struct Tally {
    ours: Vec<f64>,
    theirs: Vec<f64>,
    size: u64,
    size_py: u64,
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("compress benchmark: run it with `cargo bench --bench compress`");
        return;
    }
    let dir =
        PathBuf::from(std::env::var("H5SINK_BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()));
    let runs: usize = env_or("RUNS", 3);
    let rows: usize = env_or("ROWS", 4000);
    let wanted = std::env::var("CODECS").unwrap_or_default();
    let codecs: Vec<_> = CODECS
        .iter()
        .filter(|(n, _, _)| wanted.is_empty() || wanted.split(',').any(|w| w.trim() == *n))
        .collect();
    if codecs.is_empty() {
        eprintln!("ERROR: CODECS={wanted:?} names no codec; known: none, gzip, lzf, lz4, bslz4, zstd, blosc-lz4, blosc-zstd");
        std::process::exit(2);
    }
    let data = features(rows);
    let raw = dir.join(format!("h5sink-bench-features-{}.raw", std::process::id()));
    std::fs::write(&raw, bytemuck::cast_slice::<f32, u8>(&data)).unwrap();
    let gb = (rows * FEATURES * 4) as f64 / 1e9;
    let path = |n: &str| dir.join(format!("h5sink-bench-{n}-{}.h5", std::process::id()));
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{rows} x {FEATURES} f32, chunks {CHUNK:?}, adds of {BATCH} rows, {runs} rounds, {} cores, load {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    if env_or("STAGES", 0) == 1 {
        stages(&dir, &data, rows, &codecs);
    }
    let mut tallies: Vec<Tally> = codecs.iter().map(|_| Tally::default()).collect();
    let mut plain = Vec::new();
    for run in 0..runs {
        let pp = path("plain");
        let _ = std::fs::remove_file(&pp);
        plain.push(plain_run(&pp, &data));
        let _ = std::fs::remove_file(&pp);
        for ((name, options, opts), t) in codecs.iter().zip(&mut tallies) {
            let p = path(name);
            let _ = std::fs::remove_file(&p);
            let s = h5sink_run(&p, &data, rows, *options);
            t.size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            if std::env::var_os("KEEP").is_none() {
                let _ = std::fs::remove_file(&p);
            }
            let (py, n) = h5py_run(&raw, &path("h5py"), rows, opts);
            t.size_py = n;
            t.ours.push(s);
            t.theirs.push(py);
            println!(
                "round {run}: {name:<10} h5sink {:.3} GB/s ({} bytes), h5py {:.3} GB/s ({n} bytes)",
                gb / s,
                t.size,
                gb / py
            );
        }
    }
    let _ = std::fs::remove_file(&raw);
    let floor = gb / median(&mut plain.clone());
    println!();
    println!(
        "| filter | h5sink GB/s | h5py + hdf5plugin GB/s | speed ratio (median, range) | file size ratio | h5sink / pwrite floor |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for ((name, _, _), t) in codecs.iter().zip(&tallies) {
        let mut ratios: Vec<f64> = t.theirs.iter().zip(&t.ours).map(|(p, s)| p / s).collect();
        let (lo, hi) = ratios
            .iter()
            .fold((f64::MAX, 0f64), |(l, h), &r| (l.min(r), h.max(r)));
        let ours = gb / median(&mut t.ours.clone());
        println!(
            "| {name} | {ours:.3} | {:.3} | {:.2}x ({lo:.2}-{hi:.2}) | {:.4} | {:.2} |",
            gb / median(&mut t.theirs.clone()),
            median(&mut ratios),
            t.size as f64 / t.size_py as f64,
            ours / floor
        );
    }
    println!("| plain pwrite floor | {floor:.3} | | | | 1.00 |");
    println!("(medians over {runs} rounds)");
}
