//! Refused reads, failed reads, and random chunked writes read back.

use h5sink::{Error, File, MemStorage};

#[test]
fn reads_on_a_closed_file_are_refused() {
    let f = File::in_memory().unwrap();
    let ds = f.new_dataset::<u8>().shape(&[2]).create("x").unwrap();
    f.close().unwrap();
    assert!(matches!(ds.read_raw::<u8>(), Err(Error::Closed { .. })));
}

/// A storage that cannot be read: reads fail, and the file stays writable.
#[derive(Clone, Default)]
struct WriteOnly(MemStorage);

impl h5sink::Storage for WriteOnly {
    fn write_at(&self, offset: u64, data: &[u8]) -> std::io::Result<()> {
        self.0.write_at(offset, data)
    }
    fn set_len(&self, len: u64) -> std::io::Result<()> {
        self.0.set_len(len)
    }
    fn len(&self) -> std::io::Result<u64> {
        self.0.len()
    }
    fn sync(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> std::path::PathBuf {
        "<write-only>".into()
    }
}

#[test]
fn a_failed_read_does_not_poison_the_file() {
    let storage = WriteOnly(MemStorage::new());
    let f = File::with_storage(storage.clone()).unwrap();
    let ds = f
        .new_dataset::<u8>()
        .shape(&[100_000])
        .create("big")
        .unwrap();
    ds.write_raw(&vec![5u8; 100_000]).unwrap();
    let e = ds.read_rows::<u8>(10, 3).unwrap_err();
    assert!(
        matches!(&e, Error::Io { action, .. } if action.starts_with("reading 3 bytes at offset ")),
        "{e}"
    );
    // Data still in memory reads fine; writes go on.
    let small = f.new_dataset::<u8>().shape(&[2]).create("small").unwrap();
    small.write_raw(&[1u8, 2]).unwrap();
    assert_eq!(small.read_raw::<u8>().unwrap(), [1, 2]);
    ds.write_rows(0, &[1u8]).unwrap();
    f.close().unwrap();
    assert!(storage.0.to_vec().starts_with(b"\x89HDF"));
}

/// Random shapes, chunk shapes, filters and write orders, compared with a
/// plain copy of what was written.
#[test]
fn random_chunked_writes_read_back_exactly() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n.max(1)
    };
    for case in 0..60 {
        let f = File::in_memory().unwrap();
        let rank = 1 + next(3) as usize;
        let shape: Vec<u64> = (0..rank).map(|_| 1 + next(9)).collect();
        let chunk: Vec<u64> = shape.iter().map(|&d| 1 + next(d)).collect();
        let mut b = f.new_dataset::<i16>().shape(&shape).chunk(&chunk);
        if next(2) == 1 {
            b = b.shuffle().deflate(next(9) as u8);
        }
        if next(2) == 1 {
            b = b.fletcher32();
        }
        let ds = b.create("r").unwrap();
        let row_len: u64 = shape[1..].iter().product();
        let mut want = vec![0i16; (shape[0] * row_len) as usize];
        let mut r = 0;
        while r < shape[0] {
            let n = 1 + next(shape[0] - r);
            let rows: Vec<i16> = (0..n * row_len).map(|_| next(60_000) as i16).collect();
            ds.write_rows(r, &rows).unwrap();
            want[(r * row_len) as usize..((r + n) * row_len) as usize].copy_from_slice(&rows);
            r += n;
            if next(3) == 0 {
                f.flush().unwrap();
            }
            let (s, c) = (next(shape[0]), 0);
            let c = c + next(shape[0] - s + 1);
            let got = ds.read_rows::<i16>(s, c).unwrap();
            let range = (s * row_len) as usize..((s + c) * row_len) as usize;
            assert_eq!(
                got, want[range],
                "case {case} shape {shape:?} chunk {chunk:?} rows {s}+{c}"
            );
        }
        assert_eq!(ds.read_raw::<i16>().unwrap(), want, "case {case}");
        f.close().unwrap();
    }
}
