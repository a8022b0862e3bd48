//! `DatasetWriter::with_storage`: the tutorial writer into memory or a
//! caller's storage writes exactly the bytes it writes to a path.

use h5sink::{DatasetWriter, MemStorage};

/// The same stream into a path and into memory: byte-identical files.
#[test]
fn memory_and_path_writers_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for unlimited in [false, true] {
        let path = dir.path().join(format!("w-{unlimited}.h5"));
        let mem = MemStorage::new();
        let dims: &[u64] = if unlimited { &[32] } else { &[500, 32] };
        let builders = [
            // No reader grace period, as on a storage: same space reuse.
            DatasetWriter::<u16>::builder(&path, dims).reader_grace(std::time::Duration::ZERO),
            DatasetWriter::<u16>::with_storage(mem.clone(), dims),
        ];
        for b in builders {
            let mut b = b.data_key("features").buf_size(64);
            if unlimited {
                b = b.unlimited().chunk(&[100, 32]).shuffle().deflate(3);
            }
            let mut w = b.create().unwrap();
            for batch in 0..10u16 {
                let rows: Vec<u16> = (0..50 * 32).map(|i| i as u16 ^ batch).collect();
                w.add(&rows, &[i64::from(batch); 50]).unwrap();
            }
            w.store_class_labels(&["airplane", "automobile", "bird"])
                .unwrap();
            w.close().unwrap();
        }
        let on_disk = std::fs::read(&path).unwrap();
        assert_eq!(
            on_disk.len() as u64,
            mem.to_vec().len() as u64,
            "unlimited = {unlimited}"
        );
        assert!(
            on_disk == mem.to_vec(),
            "unlimited = {unlimited}: the files differ"
        );
    }
}

/// A storage that already holds bytes is refused, as an existing path is.
#[test]
fn a_storage_with_bytes_is_refused() {
    let mem = MemStorage::new();
    h5sink::Storage::write_at(&mem, 0, b"not empty").unwrap();
    let r = DatasetWriter::<f32>::with_storage(mem.clone(), &[4, 4]).create();
    assert!(
        matches!(r, Err(h5sink::Error::Exists { .. })),
        "{:?}",
        r.err()
    );
    assert_eq!(mem.to_vec(), b"not empty");
}

/// Bad options are refused before anything is written to the storage.
#[test]
fn bad_options_leave_the_storage_empty() {
    let mem = MemStorage::new();
    let r = DatasetWriter::<f32>::with_storage(mem.clone(), &[4, 4])
        .buf_size(0)
        .create();
    assert!(matches!(
        r,
        Err(h5sink::Error::InvalidArgument {
            what: "buf_size",
            ..
        })
    ));
    assert!(mem.to_vec().is_empty());
}
