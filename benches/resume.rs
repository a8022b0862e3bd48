//! Resume benchmark: a fixed-size `DatasetWriter` file of 1,000,000 rows of
//! 25,088 f32 (100.35 GB, sparse: only the rows written take disk space)
//! holds a stream stopped after 3 buffers; `resume` opens it and `close`
//! records the progress again. Each round times `resume` and `close` and
//! counts the bytes `resume` reads, through a storage that counts reads:
//! opening reads metadata only, never a row.
//!
//! ```text
//! cargo bench --bench resume              # file in /dev/shm, 9 rounds
//! H5SINK_BENCH_DIR=/tmp ROUNDS=5 cargo bench --bench resume
//! ```

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Instant;

use h5sink::{DatasetWriter, FileStorage, Storage};

const ROWS: u64 = 1_000_000;
const ROW_LEN: u64 = 25_088;
const BUF: usize = 64;

/// A file's storage that counts the bytes read through it.
struct Counting {
    inner: FileStorage,
    read: Arc<AtomicU64>,
}

impl Storage for Counting {
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.inner.write_at(offset, data)
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.read.fetch_add(buf.len() as u64, Relaxed);
        self.inner.read_at(offset, buf)
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        self.inner.set_len(len)
    }
    fn len(&self) -> io::Result<u64> {
        self.inner.len()
    }
    fn sync(&self) -> io::Result<()> {
        self.inner.sync()
    }
    fn describe(&self) -> PathBuf {
        self.inner.describe()
    }
}

fn bench_dir() -> PathBuf {
    std::env::var_os("H5SINK_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/dev/shm"))
}

fn make(path: &Path) {
    let _ = std::fs::remove_file(path);
    let mut w = DatasetWriter::<f32>::builder(path, &[ROWS, ROW_LEN])
        .data_key("features")
        .buf_size(BUF)
        .create()
        .expect("create");
    let row: Vec<f32> = (0..ROW_LEN).map(|i| i as f32).collect();
    for r in 0..3 * BUF as i64 {
        w.add(&row, &[r % 1000]).expect("add");
    }
    w.store_class_labels(&["a", "b"]).expect("names");
    w.close().expect("close");
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(9);
    let path = bench_dir().join(format!("h5sink-bench-resume-{}.h5", std::process::id()));
    let t = Instant::now();
    make(&path);
    let meta = std::fs::metadata(&path).expect("metadata");
    println!(
        "file: {} bytes declared ({:.2} GB), made in {:.2} s",
        meta.len(),
        meta.len() as f64 / 1e9,
        t.elapsed().as_secs_f64()
    );
    let mut resume_ms = Vec::new();
    for round in 0..rounds {
        let read = Arc::new(AtomicU64::new(0));
        let storage = Counting {
            inner: FileStorage::open_rw(&path).expect("open"),
            read: read.clone(),
        };
        let t = Instant::now();
        let w = DatasetWriter::<f32>::with_storage(storage, &[ROWS, ROW_LEN])
            .data_key("features")
            .buf_size(BUF)
            .resume()
            .expect("resume");
        let resumed = t.elapsed();
        assert_eq!(w.len(), 3 * BUF as u64);
        let bytes = read.load(Relaxed);
        let t = Instant::now();
        w.close().expect("close");
        let closed = t.elapsed();
        // Rows are 100,352 bytes: reading under one row proves none was read.
        assert!(bytes < ROW_LEN * 4, "resume read {bytes} bytes");
        println!(
            "round {round}: resume {:.3} ms (read {bytes} bytes), close {:.3} ms",
            resumed.as_secs_f64() * 1e3,
            closed.as_secs_f64() * 1e3
        );
        resume_ms.push(resumed.as_secs_f64() * 1e3);
    }
    resume_ms.sort_by(f64::total_cmp);
    println!(
        "resume of a {:.2} GB file: median {:.3} ms over {rounds} rounds (min {:.3}, max {:.3})",
        meta.len() as f64 / 1e9,
        resume_ms[rounds / 2],
        resume_ms[0],
        resume_ms[rounds - 1]
    );
    let _ = std::fs::remove_file(&path);
}
