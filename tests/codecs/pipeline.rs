//! Chunks compressed in the background while rows arrive: h5py with
//! hdf5plugin reads every value of streams whose `buf_size` is not a
//! multiple of the chunk height (commits land mid chunk row), with edge
//! chunks on both dimensions, for several codecs (python3 + h5py +
//! hdf5plugin are oracles: missing, the test fails).

use crate::common;

use crate::common::python;
use h5sink::{BloscCodec, BloscShuffle, DatasetWriter, DatasetWriterBuilder};

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
            .buf_size(100);
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
