//! Large converted writes go out in pieces of at most 1 MiB (a storage
//! recording its largest write).

use h5sink::{File, MemStorage, Storage};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A storage that records the largest single write.
#[derive(Clone, Default)]
struct MaxWrite {
    inner: MemStorage,
    max: Arc<AtomicUsize>,
}

impl Storage for MaxWrite {
    fn write_at(&self, offset: u64, data: &[u8]) -> std::io::Result<()> {
        self.max.fetch_max(data.len(), Ordering::SeqCst);
        self.inner.write_at(offset, data)
    }
    fn set_len(&self, len: u64) -> std::io::Result<()> {
        self.inner.set_len(len)
    }
    fn len(&self) -> std::io::Result<u64> {
        self.inner.len()
    }
    fn sync(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> std::path::PathBuf {
        "<max-write>".into()
    }
}

/// 64 MiB of f32 into an f64 dataset (contiguous, then chunked): written
/// in pieces of at most 1 MiB, each value exact.
#[test]
fn large_write_in_bounded_pieces() {
    let n = 16 << 20; // 16 Mi values = 64 MiB of f32, 128 MiB of f64
    let src: Vec<f32> = (0..n).map(|i| i as f32 * 0.25 - 1e6).collect();
    let wide: Vec<f64> = src.iter().map(|&v| f64::from(v)).collect();
    let run = |values: &dyn Fn(&h5sink::Dataset) -> h5sink::Result<()>, chunked: bool| {
        let s = MaxWrite::default();
        let f = File::with_storage(s.clone()).unwrap();
        let b = f.new_dataset::<f64>().shape(&[n as u64 / 1024, 1024]);
        let ds = if chunked { b.chunk(&[64, 1024]) } else { b }
            .create("x")
            .unwrap();
        s.max.store(0, Ordering::SeqCst);
        values(&ds).unwrap();
        let max = s.max.load(Ordering::SeqCst);
        f.close().unwrap();
        (s.inner.to_vec(), max)
    };
    for chunked in [false, true] {
        let (got, max) = run(&|ds| ds.write_rows(0, &src), chunked);
        assert!(max <= 1 << 20, "chunked {chunked}: a write of {max} bytes");
        let (want, _) = run(&|ds| ds.write_rows(0, &wide), chunked);
        assert!(got == want, "chunked {chunked}: converted bytes differ");
    }
}
