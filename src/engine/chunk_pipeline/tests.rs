//! The background filter pipeline through the public writer: failures
//! surface and poison, the in-flight bound holds, partial chunk rows close.

use crate::engine::chunk_pipeline::{background, max_in_flight};
use crate::engine::pool::FAIL_PILL;
use crate::{DatasetWriter, Error, File};

fn temp(name: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("h5sink-pipeline-{name}-{}.h5", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

/// Rows `start..start + n` of a 64-byte-wide u8 stream (row r: r, r+1, ...).
fn rows(start: usize, n: usize) -> Vec<u8> {
    (start..start + n)
        .flat_map(|r| (0..64).map(move |j| (r + j) as u8))
        .collect()
}

/// The peak of chunks in flight and the bound of the writer's dataset.
fn flight<T: crate::types::Element>(w: &DatasetWriter<T>) -> (usize, usize) {
    let id = w.data.id();
    w.file().unwrap().engine().read(|st| {
        let d = st.tree.dataset(id).unwrap();
        (
            st.pool.peak(),
            max_in_flight(d.chunked.as_ref().unwrap(), &d.shape),
        )
    })
}

#[test]
fn a_background_codec_error_surfaces_on_the_next_call_and_poisons_the_writer() {
    assert!(
        background(),
        "this test needs 2 cores: chunks filter in the background"
    );
    let path = temp("fail");
    let mut w = DatasetWriter::<u8>::builder(&path, &[64, 64])
        .chunk(&[4, 64])
        .lz4()
        .create()
        .unwrap();
    w.add(&rows(0, 4), &[0; 4]).unwrap();
    w.flush().unwrap(); // rows 0..4 committed
    let mut bad = rows(4, 4);
    bad[..FAIL_PILL.len()].copy_from_slice(FAIL_PILL);
    // The chunk is sealed and filtered in the background: this add returns
    // the failure only if it is already known when the add ends; else the
    // next call that finds it returns it, naming the chunk (a bounded wait,
    // since the filter thread may still be running).
    let mut row = 8;
    let mut sealing = w.add(&bad, &[0; 4]).err();
    let err = loop {
        if let Some(e) = sealing.take() {
            break e;
        }
        match w.add(&rows(row, 1), &[0]) {
            Ok(()) if row < 60 => {
                row += 1;
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Ok(()) => break w.flush().unwrap_err(),
            Err(e) => break e,
        }
    };
    let Error::Poisoned { first, .. } = &err else {
        panic!("expected Poisoned, got {err}");
    };
    assert!(
        first.contains("chunk [1, 0]") && first.contains("images"),
        "{first}"
    );
    assert!(first.contains("test failure pill"), "{first}");
    // Poisoned: every later call is refused, close too.
    assert!(matches!(
        w.add(&rows(row, 1), &[0]),
        Err(Error::Poisoned { .. })
    ));
    assert!(matches!(w.flush(), Err(Error::Poisoned { .. })));
    assert!(matches!(w.close(), Err(Error::Poisoned { .. })));
    // Nothing of the failed stream is visible: the file holds its last commit.
    let f = File::open(&path).unwrap();
    let d = f.dataset("images").unwrap();
    assert_eq!(d.read_rows::<u8>(0, 4).unwrap(), rows(0, 4));
    assert_eq!(d.read_rows::<u8>(4, 4).unwrap(), vec![0u8; 256]);
    let written = d
        .attr(crate::ROWS_WRITTEN_ATTR)
        .unwrap()
        .read_raw::<u64>()
        .unwrap();
    assert_eq!(written, [4]);
    drop(f);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_failure_found_at_flush_is_the_flush_error() {
    let path = temp("fail-flush");
    let mut w = DatasetWriter::<u8>::builder(&path, &[8, 64])
        .chunk(&[4, 64])
        .deflate(1)
        .create()
        .unwrap();
    let mut bad = rows(0, 8);
    bad[..FAIL_PILL.len()].copy_from_slice(FAIL_PILL);
    // In the background the add may return before the failure is known;
    // inline (one core) it fails the add itself. Either way the flush fails.
    let added = w.add(&bad, &[0; 8]);
    let err = w.flush().unwrap_err();
    assert!(
        matches!(&err, Error::Poisoned { first, .. } if first.contains("test failure pill")),
        "{err}"
    );
    if background() {
        assert!(
            matches!(&err, Error::Poisoned { first, .. } if first.contains("chunk [0, 0]")),
            "{err}"
        );
    } else {
        assert!(matches!(added, Err(Error::Poisoned { .. })));
    }
    assert!(w.close().is_err());
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn chunks_in_flight_never_exceed_the_bound() {
    assert!(
        background(),
        "this test needs 2 cores: chunks filter in the background"
    );
    let path = temp("bound");
    // 32 column chunks a band; 128 bands in one add: far past the bound.
    let (n, width) = (512usize, 2048usize);
    let mut w = DatasetWriter::<f32>::builder(&path, &[n, width])
        .chunk(&[4, 64])
        .zstd(9)
        .labels(false)
        .create()
        .unwrap();
    let data: Vec<f32> = (0..n * width).map(|i| (i % 977) as f32).collect();
    w.add_rows(&data).unwrap();
    let (peak, bound) = flight(&w);
    assert_eq!(bound, 2 * crate::engine::pool::cores() * 32);
    assert!(peak > 0 && peak <= bound, "peak {peak}, bound {bound}");
    w.close().unwrap();
    let back = File::open(&path)
        .unwrap()
        .dataset("images")
        .unwrap()
        .read_raw::<f32>()
        .unwrap();
    assert!(back == data, "values differ after the pipeline");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn close_after_many_partial_chunk_rows_keeps_every_row() {
    let path = temp("partial");
    // 7-row adds, buf_size 10 (commits mid chunk row), chunks of 6 rows,
    // 101 rows: the last chunk row is partial.
    let mut w = DatasetWriter::<u8>::builder(&path, &[101, 64])
        .chunk(&[6, 16])
        .buf_size(10)
        .shuffle()
        .lz4()
        .create()
        .unwrap();
    let mut r = 0;
    while r < 101 {
        let k = 7.min(101 - r);
        w.add(&rows(r, k), &vec![r as i64; k]).unwrap();
        if r % 3 == 0 {
            w.flush().unwrap();
        }
        r += k;
    }
    w.close().unwrap();
    let f = File::open(&path).unwrap();
    assert_eq!(
        f.dataset("images").unwrap().read_raw::<u8>().unwrap(),
        rows(0, 101)
    );
    drop(f);
    std::fs::remove_file(&path).unwrap();
}
