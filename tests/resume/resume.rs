//! `DatasetWriterBuilder::resume`, in one process: after an incomplete
//! `close` (the progress record and the -1 labels, read by h5py), after a
//! storage fault at every write of a stream, with chunked and compressed
//! fixed-size data whose last chunk is partly written, on a complete file;
//! several writers on one open file; mismatching options refused with the
//! file unchanged.

use h5sink::{DatasetWriter, Error, File, MemStorage, ROWS_WRITTEN_ATTR, UNWRITTEN_LABEL};

use crate::common::faults::StopAfter;
use crate::common::python;

const ROWS: u64 = 45;
const COLS: usize = 6;

fn rows(r: u64, n: u64) -> Vec<f32> {
    (r * COLS as u64..(r + n) * COLS as u64)
        .map(|v| v as f32 * 0.25)
        .collect()
}

fn labels(r: u64, n: u64) -> Vec<i64> {
    (r..r + n).map(|r| (r % 5) as i64).collect()
}

/// A writer of chunked, shuffled, deflated, Fletcher-32 rows (chunks of 4
/// rows: a stream stopping mid-chunk leaves one partly written).
fn chunked(storage: StopAfter) -> h5sink::DatasetWriterBuilder<f32> {
    DatasetWriter::<f32>::with_storage(storage, &[ROWS, COLS as u64])
        .chunk(&[4, COLS as u64])
        .shuffle()
        .deflate(3)
        .fletcher32()
        .buf_size(3)
}

/// Stream rows `from..ROWS` in adds of 2 rows, then the class names and close.
fn finish(mut w: DatasetWriter<f32>) -> h5sink::Result<()> {
    let mut r = w.len();
    while r < ROWS {
        let n = 2.min(ROWS - r);
        w.add(&rows(r, n), &labels(r, n))?;
        r += n;
    }
    w.store_class_labels(&["a", "b", "c", "d", "e"])?;
    w.close()
}

fn reference() -> Vec<u8> {
    let s = StopAfter::unlimited();
    finish(chunked(s.clone()).create().unwrap()).unwrap();
    s.to_vec()
}

/// The dataset values and attributes of a file, as h5sink reads them.
fn content(bytes: &[u8]) -> (Vec<f32>, Vec<i64>, Vec<String>, Vec<String>) {
    let f = File::open_storage(StopAfter::holding(bytes, 0)).unwrap();
    let images = f.dataset("images").unwrap();
    (
        images.read_raw::<f32>().unwrap(),
        f.dataset("labels").unwrap().read_raw::<i64>().unwrap(),
        f.dataset("label_names").unwrap().read_strings().unwrap(),
        images.attr_names().unwrap(),
    )
}

/// The storage fails at its k-th write, for every k of a whole stream; a
/// new process (here: a new writer on the bytes left) resumes and finishes.
#[test]
fn resume_after_a_storage_fault_at_every_write() {
    let want = content(&reference());
    let full = StopAfter::unlimited();
    finish(chunked(full.clone()).create().unwrap()).unwrap();
    let total = full.writes();
    let mut resumed_mid_stream = 0;
    for k in 0..total {
        let s = StopAfter::new(k);
        let Ok(w) = chunked(s.clone()).create() else {
            continue; // the file never got its datasets: a user starts anew
        };
        assert!(finish(w).is_err(), "k = {k}");
        let left = s.to_vec();
        let again = StopAfter::holding(&left, u64::MAX);
        let w = chunked(again.clone()).resume().unwrap();
        resumed_mid_stream += u64::from(!w.is_empty() && w.len() < ROWS);
        finish(w).unwrap();
        assert_eq!(content(&again.to_vec()), want, "k = {k}");
    }
    assert!(
        resumed_mid_stream > total / 2,
        "{resumed_mid_stream} of {total}"
    );
}

#[test]
fn an_incomplete_close_keeps_its_record_and_unwritten_labels_read_minus_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("part.h5");
    let mut w = DatasetWriter::<f32>::builder(&path, &[ROWS, COLS as u64])
        .buf_size(4)
        .create()
        .unwrap();
    w.add(&rows(0, 10), &labels(0, 10)).unwrap();
    w.close().unwrap();
    let script = format!(
        r#"
import h5py, numpy as np
with h5py.File("part.h5", "r") as f:
    assert f["images"].attrs["{ROWS_WRITTEN_ATTR}"] == 10
    lb = f["labels"][:]
    assert list(lb[:10]) == [r % 5 for r in range(10)], lb
    assert (lb[10:] == {UNWRITTEN_LABEL}).all(), lb
    assert f["labels"].fillvalue == -1
"#
    );
    python(&script, dir.path());
    // Resumed and completed: the record is gone, as if never interrupted.
    let w = DatasetWriter::<f32>::builder(&path, &[ROWS, COLS as u64])
        .buf_size(4)
        .resume()
        .unwrap();
    assert_eq!(w.len(), 10);
    finish(w).unwrap();
    let f = File::open(&path).unwrap();
    assert!(f
        .dataset("images")
        .unwrap()
        .attr_names()
        .unwrap()
        .is_empty());
    assert_eq!(
        f.dataset("labels").unwrap().read_raw::<i64>().unwrap(),
        labels(0, ROWS)
    );
    // A complete file resumes with nothing left to do.
    drop(f);
    let mut w = DatasetWriter::<f32>::builder(&path, &[ROWS, COLS as u64])
        .resume()
        .unwrap();
    assert_eq!(w.len(), ROWS);
    assert!(matches!(
        w.add(&rows(0, 1), &[0]),
        Err(Error::RowsOutOfRange { .. })
    ));
    w.close().unwrap();
}

#[test]
fn mismatching_options_are_refused_and_the_file_is_unchanged() {
    let s = StopAfter::unlimited();
    let mut w = chunked(s.clone()).create().unwrap();
    w.add(&rows(0, 5), &labels(0, 5)).unwrap();
    w.close().unwrap();
    let before = s.to_vec();
    let again = || StopAfter::holding(&before, u64::MAX);
    let cases: Vec<(&str, h5sink::Result<DatasetWriter<f32>>)> = vec![
        (
            "chunk shape",
            chunked(again()).chunk(&[5, COLS as u64]).resume(),
        ),
        ("filters", chunked(again()).deflate(4).resume()),
        (
            "shape",
            DatasetWriter::<f32>::with_storage(again(), &[ROWS + 1, COLS as u64]).resume(),
        ),
        (
            "layout",
            DatasetWriter::<f32>::with_storage(again(), &[ROWS, COLS as u64]).resume(),
        ),
    ];
    for (what, r) in cases {
        match r {
            Err(Error::ResumeMismatch { what: w, .. }) => assert_eq!(w, what),
            other => panic!("{what}: {other:?}"),
        }
    }
    let e = DatasetWriter::<f64>::with_storage(again(), &[ROWS, COLS as u64])
        .chunk(&[4, COLS as u64])
        .resume()
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::ResumeMismatch {
                what: "element type",
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("/images"), "{e}");
    let e = chunked(again()).data_key("features").resume().unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e}");
    let kept = again();
    let _ = chunked(kept.clone()).fletcher32().deflate(9).resume();
    assert_eq!(kept.to_vec(), before);
}

/// Train and val splits stream into one file opened with `open_rw` (an
/// h5py file), each writer with its own keys; a later run resumes both.
#[test]
fn several_writers_share_one_open_file_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    python(
        r#"
import h5py, numpy as np
with h5py.File("splits.h5", "w") as f:
    f.attrs["dataset"] = "toy"
    f.create_dataset("meta/mean", data=np.arange(6, dtype="<f4"))
"#,
        dir.path(),
    );
    let path = dir.path().join("splits.h5");
    let split = |f: &File, name: &str, n: u64| {
        DatasetWriter::<f32>::builder_in(f, &[n, COLS as u64])
            .data_key(&format!("{name}/images"))
            .labels_key(&format!("{name}/labels"))
            .label_names_key(&format!("{name}/label_names"))
            .buf_size(3)
    };
    let f = File::open_rw(&path).unwrap();
    let mut train = split(&f, "train", 20).create().unwrap();
    let mut val = split(&f, "val", 8).create().unwrap();
    train.add(&rows(0, 7), &labels(0, 7)).unwrap();
    val.add(&rows(0, 4), &labels(0, 4)).unwrap();
    train.close().unwrap();
    val.close().unwrap();
    f.close().unwrap();

    let f = File::open_rw(&path).unwrap();
    for (name, n) in [("train", 20), ("val", 8)] {
        let mut w = split(&f, name, n).resume().unwrap();
        let mut r = w.len();
        assert!(r > 0 && r < n, "{name}: {r}");
        while r < n {
            w.add(&rows(r, 1), &labels(r, 1)).unwrap();
            r += 1;
        }
        w.store_class_labels(&[name]).unwrap();
        w.close().unwrap();
    }
    f.close().unwrap();
    python(
        &format!(
            r#"
import h5py, numpy as np
with h5py.File("splits.h5", "r") as f:
    assert f.attrs["dataset"] == "toy"
    assert (f["meta/mean"][:] == np.arange(6)).all()
    for name, n in [("train", 20), ("val", 8)]:
        want = (np.arange(n * {COLS}, dtype=np.float64) * 0.25).astype("<f4").reshape(n, {COLS})
        assert (f[name + "/images"][:] == want).all(), name
        assert list(f[name + "/labels"][:]) == [r % 5 for r in range(n)], name
        assert "{ROWS_WRITTEN_ATTR}" not in f[name + "/images"].attrs
        assert [x.decode() if isinstance(x, bytes) else x for x in f[name + "/label_names"][:]] == [name]
"#
        ),
        dir.path(),
    );
}

#[test]
fn memory_storage_resumes_too() {
    let mem = MemStorage::new();
    let mut w = DatasetWriter::<f32>::with_storage(mem.clone(), &[COLS as u64])
        .unlimited()
        .deflate(1)
        .create()
        .unwrap();
    w.add(&rows(0, 9), &labels(0, 9)).unwrap();
    w.close().unwrap();
    let mut w = DatasetWriter::<f32>::with_storage(mem.clone(), &[COLS as u64])
        .unlimited()
        .deflate(1)
        .resume()
        .unwrap();
    assert_eq!(w.len(), 9);
    w.add(&rows(9, 3), &labels(9, 3)).unwrap();
    w.close().unwrap();
    let f = File::open_storage(mem).unwrap();
    assert_eq!(
        f.dataset("images").unwrap().read_raw::<f32>().unwrap(),
        rows(0, 12)
    );
}
