//! Codec kernel micro-benchmark, single thread, in the same run as the C
//! kernels hdf5plugin and h5py use:
//! - h5sink: `filters::apply` per chunk for LZF, LZ4, bitshuffle (alone and
//!   with LZ4), Blosc lz4 (byte and bit shuffle, level 5) and the shuffle
//!   filter, best of `RUNS` passes over `CHUNKS` chunks;
//! - C kernels per chunk from python3 (liblzf through `lzf`, liblz4 and
//!   c-blosc through `numcodecs`, one thread), same chunks, best of `RUNS`;
//! - h5py + hdf5plugin writing the whole 400 MB array with each filter in
//!   one `ds[...] = data` call into /dev/shm (h5py's and libhdf5's per-chunk
//!   overhead included).
//!
//! Timings are on-CPU time of the benchmark thread (Linux schedstat), best
//! of the runs, so that other processes on the cores do not count.
//!
//! The data is benches/compress.rs's 4000 x 25088 ReLU-like quantised f32,
//! cut into (63, 392) chunks (98,784 bytes, row-major sub-blocks); only
//! whole chunks, `CHUNKS` of them (default 400) evenly spread.
//!
//! ```text
//! cargo bench --bench kernels          # RUNS=5 CHUNKS=400 H5PY=1 by default
//! ONLY=bitshuffle H5PY=0 cargo bench --bench kernels   # codecs named so
//! ```

use h5sink::filters::apply;
use h5sink::format::filter_pipeline::Filter;
use std::path::PathBuf;
use std::time::Instant;

mod common;

use common::{CHUNK, FEATURES};

const ROWS: usize = 4000;

/// `count` whole chunks, evenly spread, each as its row-major bytes.
fn chunks(data: &[f32], count: usize) -> Vec<Vec<u8>> {
    let (gr, gc) = (ROWS / CHUNK[0], FEATURES / CHUNK[1]);
    let total = gr * gc;
    let step = (total / count.max(1)).max(1);
    (0..total)
        .step_by(step)
        .take(count)
        .map(|k| common::chunk_bytes(data, k / gc * CHUNK[0], k % gc * CHUNK[1]))
        .collect()
}

/// Nanoseconds this thread has run on a CPU (Linux schedstat): timings
/// that leave out the time other processes hold the cores.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn codecs() -> Vec<(&'static str, Vec<Filter>)> {
    let chunk_bytes = (CHUNK[0] * CHUNK[1] * 4) as u32;
    let bs = |compression| Filter::Bitshuffle {
        element_size: 4,
        block_size: 0,
        compression,
        level: 0,
    };
    let blosc = |shuffle| Filter::Blosc {
        element_size: 4,
        chunk_bytes,
        level: 5,
        shuffle,
        codec: 1,
    };
    vec![
        ("lzf", vec![Filter::Lzf { chunk_bytes }]),
        ("lz4", vec![Filter::Lz4 { block_size: 0 }]),
        ("bitshuffle", vec![bs(0)]),
        ("bitshuffle+lz4", vec![bs(2)]),
        ("blosc lz4 shuffle", vec![blosc(1)]),
        ("blosc lz4 bitshuffle", vec![blosc(2)]),
        ("shuffle", vec![Filter::Shuffle { element_size: 4 }]),
    ]
}

const PY: &str = r##"
import os, sys, time
import numpy as np
chunks_path, raw, dirn, csize, runs, do_h5py = sys.argv[1:7]
csize, runs, do_h5py = int(csize), int(runs), do_h5py == "1"
buf = np.fromfile(chunks_path, dtype="<f4")
chunks = [buf[i:i + csize // 4] for i in range(0, buf.size, csize // 4)]
gb = buf.nbytes / 1e9
def cpu():
    with open("/proc/thread-self/schedstat") as f:
        return int(f.read().split()[0]) / 1e9
def best(f):
    t = 1e9; size = 0
    for _ in range(runs):
        s = cpu(); size = sum(len(f(c)) for c in chunks); t = min(t, cpu() - s)
    return gb / t, size / buf.nbytes
def kernel(name, f):
    try:
        r = best(f); print(f"C {name} {r[0]:.4f} {r[1]:.5f}")
    except Exception as e:
        print(f"# C {name}: {e}", file=sys.stderr)
try:
    import lzf
    kernel("lzf", lambda c: lzf.compress(c.tobytes(), c.nbytes) or b"")
except Exception as e:
    print("# lzf", e, file=sys.stderr)
try:
    import numcodecs
    from numcodecs import blosc as nb
    nb.use_threads = False
    nb.set_nthreads(1)
    lz = numcodecs.LZ4(acceleration=1)
    kernel("lz4", lambda c: lz.encode(c)[4:])
    for name, sh in (("blosc lz4 shuffle", 1), ("blosc lz4 bitshuffle", 2)):
        codec = numcodecs.Blosc(cname="lz4", clevel=5, shuffle=sh, blocksize=0)
        kernel(name, codec.encode)
except Exception as e:
    print("# numcodecs", e, file=sys.stderr)
if do_h5py:
    import h5py, hdf5plugin
    data = np.fromfile(raw, dtype="<f4").reshape(4000, 25088)
    gball = data.nbytes / 1e9
    for name, kw in (
        ("lzf", dict(compression="lzf")),
        ("lz4", dict(**hdf5plugin.LZ4())),
        ("bitshuffle", dict(**hdf5plugin.Bitshuffle(cname="none"))),
        ("bitshuffle+lz4", dict(**hdf5plugin.Bitshuffle(cname="lz4"))),
        ("blosc lz4 shuffle", dict(**hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE))),
        ("blosc lz4 bitshuffle", dict(**hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.BITSHUFFLE))),
        ("shuffle", dict(shuffle=True)),
    ):
        path = os.path.join(dirn, f"kernels-h5py-{os.getpid()}.h5")
        t = 1e9
        for _ in range(max(1, min(runs, 2))):
            s = time.perf_counter()
            with h5py.File(path, "w") as f:
                ds = f.create_dataset("x", data.shape, dtype="<f4", chunks=(63, 392), **kw)
                ds[...] = data
                stored = ds.id.get_storage_size()
            t = min(t, time.perf_counter() - s)
            os.remove(path)
        print(f"H {name} {gball / t:.4f} {stored / data.nbytes:.5f}")
"##;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("kernels benchmark: run it with `cargo bench --bench kernels`");
        return;
    }
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (runs, count, h5py) = (env("RUNS", 5), env("CHUNKS", 400), env("H5PY", 1));
    let dir =
        PathBuf::from(std::env::var("H5SINK_BENCH_DIR").unwrap_or_else(|_| "/dev/shm".into()));
    let data = common::features(ROWS);
    let chunks = chunks(&data, count);
    let csize = chunks[0].len();
    let gb = (csize * chunks.len()) as f64 / 1e9;
    println!(
        "{} chunks of {csize} bytes ({gb:.3} GB), best of {runs}, one thread",
        chunks.len()
    );
    let mut ours = Vec::new();
    let only = std::env::var("ONLY").unwrap_or_default();
    for (name, pipeline) in codecs() {
        if !name.starts_with(only.as_str()) {
            continue;
        }
        let (mut best, mut best_cpu, mut stored) = (f64::MAX, f64::MAX, 0usize);
        for _ in 0..runs {
            let (t, c0) = (Instant::now(), cpu_ns());
            stored = 0;
            for c in &chunks {
                let (z, _) = apply(&pipeline, c).unwrap();
                stored += z.len();
            }
            best = best.min(t.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (c0, cpu_ns()) {
                best_cpu = best_cpu.min((b - a) as f64 / 1e9);
            }
        }
        let ratio = stored as f64 / (csize * chunks.len()) as f64;
        println!(
            "h5sink {name:22} {:7.3} GB/s wall, {:7.3} GB/s on-CPU, size {ratio:.5}",
            gb / best,
            gb / best_cpu
        );
        ours.push((name, gb / best_cpu, ratio));
    }
    let cpath = dir.join(format!("kernels-chunks-{}.raw", std::process::id()));
    let raw = dir.join(format!("kernels-features-{}.raw", std::process::id()));
    std::fs::write(&cpath, chunks.concat()).unwrap();
    if h5py == 1 {
        std::fs::write(&raw, bytemuck::cast_slice::<f32, u8>(&data)).unwrap();
    }
    drop(data);
    let args = [
        cpath.clone().into(),
        raw.clone().into(),
        dir.into(),
        csize.to_string().into(),
        runs.to_string().into(),
        h5py.to_string().into(),
    ];
    let out = common::python(PY, &args);
    let _ = std::fs::remove_file(&cpath);
    let _ = std::fs::remove_file(&raw);
    let text = match out {
        Ok(o) => {
            eprint!("{}", String::from_utf8_lossy(&o.stderr));
            String::from_utf8_lossy(&o.stdout).to_string()
        }
        Err(e) => {
            println!("python3 not available: {e}");
            String::new()
        }
    };
    let find = |kind: &str, name: &str| {
        text.lines().find_map(|l| {
            let rest = l.strip_prefix(kind)?.strip_prefix(name)?;
            let mut it = rest.split_whitespace();
            let (a, b) = (
                it.next()?.parse::<f64>().ok()?,
                it.next()?.parse::<f64>().ok()?,
            );
            it.next().is_none().then_some((a, b))
        })
    };
    println!("\nGB/s on-CPU, one thread (h5py: wall clock, whole write)\ncodec                   h5sink GB/s size | C kernel GB/s size | h5py write GB/s size | h5sink/C");
    for (name, speed, ratio) in ours {
        let c = find("C ", name);
        let h = find("H ", name);
        let show = |v: Option<(f64, f64)>| {
            v.map_or("      -        -".to_string(), |(s, r)| {
                format!("{s:7.3} {r:.5}")
            })
        };
        let vs = c.map_or("-".to_string(), |(s, _)| format!("{:.2}x", speed / s));
        println!(
            "{name:22} {speed:7.3} {ratio:.5} | {} | {} | {vs}",
            show(c),
            show(h)
        );
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load: {}", load.trim());
}
