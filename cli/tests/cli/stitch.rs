//! End-to-end tests of `h5sink stitch`: three shards written by
//! `DatasetWriter` (fixed, unlimited + deflate, and an interrupted fixed
//! stream) stitched into virtual datasets that h5py reads as the row-wise
//! concatenation, from another working directory (the mappings name the
//! shards relative to OUT's directory); every disagreement is one line
//! naming the shard and dataset, exit 1, and no file left.

use crate::common::*;
use std::path::Path;

use h5sink::{DatasetWriter, File};

/// Rows `first..first + n` of 4 f32 each (value = 10 * row + column) and
/// their labels (row % 3).
fn rows(first: u64, n: u64) -> (Vec<f32>, Vec<i64>) {
    let f = (first..first + n)
        .flat_map(|r| (0..4).map(move |c| (10 * r + c) as f32))
        .collect();
    let l = (first..first + n).map(|r| (r % 3) as i64).collect();
    (f, l)
}

fn shards(dir: &Path) {
    std::fs::create_dir_all(dir.join("shards")).unwrap();
    let names = ["cat", "dog", "eel"];
    // Fixed, complete: rows 0..5.
    let mut w = DatasetWriter::<f32>::builder(dir.join("shards/a.h5"), &[5, 4])
        .data_key("features")
        .create()
        .unwrap();
    let (f, l) = rows(0, 5);
    w.add(&f, &l).unwrap();
    w.store_class_labels(&names).unwrap();
    w.close().unwrap();
    // Unlimited, deflate: rows 5..12.
    let mut w = DatasetWriter::<f32>::builder(dir.join("shards/b.h5"), &[4])
        .data_key("features")
        .unlimited()
        .deflate(4)
        .create()
        .unwrap();
    let (f, l) = rows(5, 7);
    w.add(&f, &l).unwrap();
    w.store_class_labels(&names).unwrap();
    w.close().unwrap();
    // Fixed for 10 rows, interrupted after 3: rows 12..15.
    let mut w = DatasetWriter::<f32>::builder(dir.join("shards/c.h5"), &[10, 4])
        .data_key("features")
        .create()
        .unwrap();
    let (f, l) = rows(12, 3);
    w.add(&f, &l).unwrap();
    w.store_class_labels(&names).unwrap();
    w.close().unwrap();
}

#[test]
fn stitched_shards_read_as_their_concatenation() {
    let d = tmp("stitch");
    shards(&d);
    let out = ok(
        &d,
        &[
            "stitch",
            "all.h5",
            "shards/a.h5",
            "shards/b.h5",
            "shards/c.h5",
        ],
    );
    assert_eq!(out.trim(), "all.h5: 3 datasets from 3 shards (15 rows)");
    let listing = ok(&d, &["ls", "all.h5"]);
    assert!(
        listing.contains("/features     Dataset {15, 4}  f32  virtual"),
        "{listing}"
    );
    assert!(
        listing.contains("/labels       Dataset {15}  i64  virtual"),
        "{listing}"
    );
    // h5py, from another directory: sources are found next to all.h5.
    let abs = d.join("all.h5");
    py(
        &d,
        &format!(
            "import os\nos.chdir('/')\nf = h5py.File({abs:?}, 'r')\n\
             r = np.arange(15)\n\
             want = (10 * r[:, None] + np.arange(4)[None, :]).astype('f4')\n\
             assert f['features'].dtype == 'f4' and np.array_equal(f['features'][...], want), f['features'][...]\n\
             assert np.array_equal(f['labels'][...], r % 3), f['labels'][...]\n\
             assert [s.decode() if isinstance(s, bytes) else s for s in f['label_names'][...]] == ['cat', 'dog', 'eel']\n\
             assert list(f.attrs['h5sink_stitched_from']) == ['shards/a.h5', 'shards/b.h5', 'shards/c.h5']\n\
             assert [(s.file_name, s.dset_name) for s in f['labels'].virtual_sources()] == [('shards/a.h5', '/labels'), ('shards/b.h5', '/labels'), ('shards/c.h5', '/labels')]\n"
        ),
    );
    // h5sink describes what it wrote.
    let f = File::open(&abs).unwrap();
    let m = f.dataset("features").unwrap().virtual_mappings();
    assert_eq!(m.len(), 3);
    assert_eq!(m[2].file, "shards/c.h5");
    // Never overwritten.
    let before = std::fs::read(&abs).unwrap();
    let o = run(&d, &["stitch", "all.h5", "shards/a.h5"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&abs).unwrap(), before);
}

#[test]
fn disagreeing_shards_are_refused_and_leave_nothing() {
    let d = tmp("stitch-bad");
    shards(&d);
    let make = |name: &str, build: &dyn Fn(&File)| {
        let f = File::create(d.join(name)).unwrap();
        build(&f);
        f.close().unwrap();
    };
    let names = |f: &File, n: &[&str]| {
        f.new_dataset::<h5sink::VarLenUnicode>()
            .shape(&[n.len() as u64])
            .create("label_names")
            .unwrap()
            .write_strings(n)
            .unwrap();
    };
    let labels = |f: &File| {
        f.new_dataset::<i64>().shape(&[2]).create("labels").unwrap();
    };
    make("wide.h5", &|f| {
        f.new_dataset::<f32>()
            .shape(&[2, 5])
            .create("features")
            .unwrap();
        labels(f);
        names(f, &["cat", "dog", "eel"]);
    });
    make("f64.h5", &|f| {
        f.new_dataset::<f64>()
            .shape(&[2, 4])
            .create("features")
            .unwrap();
        labels(f);
        names(f, &["cat", "dog", "eel"]);
    });
    make("nolabels.h5", &|f| {
        f.new_dataset::<f32>()
            .shape(&[2, 4])
            .create("features")
            .unwrap();
        names(f, &["cat", "dog", "eel"]);
    });
    make("names.h5", &|f| {
        f.new_dataset::<f32>()
            .shape(&[2, 4])
            .create("features")
            .unwrap();
        labels(f);
        names(f, &["cat", "dog"]);
    });
    let a = "shards/a.h5";
    fails(
        &d,
        &["stitch", "o.h5", a, "wide.h5"],
        &["shard wide.h5: dataset features has rows of shape [5]"],
    );
    fails(
        &d,
        &["stitch", "o.h5", a, "f64.h5"],
        &["shard f64.h5: dataset features holds f64", "holds f32"],
    );
    fails(
        &d,
        &["stitch", "o.h5", a, "nolabels.h5"],
        &["shard nolabels.h5 has no dataset labels"],
    );
    fails(
        &d,
        &["stitch", "o.h5", "nolabels.h5", a],
        &["shard shards/a.h5 has a dataset labels that shard nolabels.h5 lacks"],
    );
    fails(
        &d,
        &["stitch", "o.h5", a, "names.h5"],
        &["shard names.h5: dataset label_names differs"],
    );
    fails(
        &d,
        &["stitch", "o.h5", a, "missing.h5"],
        &["cannot open shard missing.h5"],
    );
    std::fs::write(d.join("junk.h5"), b"not hdf5").unwrap();
    fails(
        &d,
        &["stitch", "o.h5", "junk.h5"],
        &["cannot open shard junk.h5"],
    );
    let o = run(&d, &["stitch", "o.h5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("o.h5").exists());
}
