//! Chunks compressed in the background while rows arrive: h5py with
//! hdf5plugin reads every value of streams whose `buf_size` is below the
//! chunk height (commits land mid chunk row), with edge chunks on both
//! dimensions, for several codecs (python3 + h5py + hdf5plugin are oracles:
//! missing, the test fails); with chunks no taller than the buffer, commits
//! wait for the end of a chunk row.

use crate::common;

use crate::common::python;
use h5sink::{BloscCodec, BloscShuffle, DatasetWriter, DatasetWriterBuilder, File};

const ROWS: usize = 1000;
const WIDTH: usize = 1000;

fn value(r: usize, c: usize) -> f32 {
    (((r * 31 + c * 7) % 23) as f32 - 11.0).max(0.0) + r as f32 / 8.0
}

#[test]
fn h5py_reads_compressed_streams_with_commits_mid_chunk_row() {
    type Options = fn(DatasetWriterBuilder<f32>) -> DatasetWriterBuilder<f32>;
    let configs: [(&str, Options); 4] = [
        ("gzip", |b| b.deflate(4).shuffle()),
        ("lz4", |b| b.lz4()),
        ("bslz4", |b| b.bitshuffle().lz4()),
        ("blosc", |b| b.blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte)),
    ];
    let dir = common::out_dir("pipeline");
    for (name, options) in configs {
        let path = dir.join(format!("{name}.h5"));
        let b = DatasetWriter::<f32>::builder(&path, &[ROWS, WIDTH])
            .data_key("features")
            .chunk(&[63, 392])
            .buf_size(40);
        let mut w = options(b).create().unwrap();
        for start in (0..ROWS).step_by(32) {
            let n = 32.min(ROWS - start);
            let rows: Vec<f32> = (start..start + n)
                .flat_map(|r| (0..WIDTH).map(move |c| value(r, c)))
                .collect();
            let labels: Vec<i64> = (start..start + n).map(|r| r as i64).collect();
            w.add(&rows, &labels).unwrap();
        }
        w.close().unwrap();
    }
    let out = python(
        "import h5py, hdf5plugin, numpy as np\n\
         r = np.arange(1000)[:, None]; c = np.arange(1000)[None, :]\n\
         want = np.maximum(((r * 31 + c * 7) % 23).astype('f4') - 11, 0) + (r / 8).astype('f4')\n\
         for name in ['gzip', 'lz4', 'bslz4', 'blosc']:\n\
         \x20   f = h5py.File(name + '.h5', 'r')\n\
         \x20   d = f['features']\n\
         \x20   assert d.chunks == (63, 392), d.chunks\n\
         \x20   assert len(d._filters) >= 1, d._filters\n\
         \x20   assert np.array_equal(d[:], want), name + ': values differ'\n\
         \x20   assert np.array_equal(f['labels'][:], np.arange(1000)), name + ': labels differ'\n\
         \x20   print(name, 'exact', d.id.get_storage_size(), 'of', d.nbytes)\n",
        &dir,
    );
    print!("{out}");
    assert_eq!(out.matches("exact").count(), 4, "{out}");
}

/// Thread timing never changes where chunks land: the same compressed
/// stream, written twice, gives the same bytes.
#[test]
fn the_same_stream_gives_the_same_bytes() {
    let dir = common::out_dir("pipeline_same_bytes");
    let mut files = Vec::new();
    for i in 0..3 {
        let path = dir.join(format!("s{i}.h5"));
        let mut w = DatasetWriter::<f32>::builder(&path, &[ROWS, WIDTH])
            .chunk(&[63, 392])
            .buf_size(150)
            .lz4()
            .reader_grace(std::time::Duration::ZERO)
            .create()
            .unwrap();
        for start in (0..ROWS).step_by(32) {
            let n = 32.min(ROWS - start);
            let rows: Vec<f32> = (start..start + n)
                .flat_map(|r| (0..WIDTH).map(move |c| value(r, c)))
                .collect();
            w.add(&rows, &vec![0; n]).unwrap();
        }
        w.close().unwrap();
        files.push(std::fs::read(&path).unwrap());
    }
    assert!(
        files[0] == files[1] && files[1] == files[2],
        "the files differ"
    );
}

/// The rows a reader sees committed after each add of 4 rows: chunks 7
/// rows tall, a buffer of 20 rows. Each commit comes at the first end of a
/// chunk row at or after 20 more rows (21, 42, 63, ...), in the middle of
/// an add (split there), so no chunk is ever committed half-filled; the
/// last partial chunk row is committed by `close`.
#[test]
fn commits_wait_for_the_end_of_a_chunk_row() {
    let dir = common::out_dir("pipeline_commit_bands");
    for unlimited in [false, true] {
        let path = dir.join(format!("bands-{unlimited}.h5"));
        let b =
            DatasetWriter::<f32>::builder(&path, if unlimited { &[16][..] } else { &[100, 16] })
                .chunk(&[7, 16])
                .buf_size(20)
                .lz4();
        let mut w = if unlimited { b.unlimited() } else { b }.create().unwrap();
        let committed = || -> u64 {
            let f = File::open(&path).unwrap();
            let d = f.dataset("images").unwrap();
            if unlimited {
                d.shape()[0]
            } else {
                d.attr(h5sink::ROWS_WRITTEN_ATTR)
                    .unwrap()
                    .read_raw::<u64>()
                    .unwrap()[0]
            }
        };
        let mut seen = vec![committed()];
        for start in (0..100).step_by(4) {
            let rows: Vec<f32> = (start * 16..(start + 4) * 16).map(|v| v as f32).collect();
            w.add(&rows, &[start as i64; 4]).unwrap();
            let now = committed();
            if seen.last() != Some(&now) {
                seen.push(now);
            }
        }
        w.close().unwrap();
        assert_eq!(seen, [0, 21, 42, 63, 84], "unlimited: {unlimited}");
        let f = File::open(&path).unwrap();
        let values = f.dataset("images").unwrap().read_raw::<f32>().unwrap();
        let want: Vec<f32> = (0..1600).map(|v| v as f32).collect();
        assert_eq!(values, want, "unlimited: {unlimited}");
    }
}
