//! `DatasetWriter` options refused: bad options leave no file, clashing
//! keys, an unlimited writer given whole-dataset dims, `add_rows` with
//! labels on; the default keys are public.

use h5sink::{DatasetWriter, Error};

/// Every bad option is an error at `create`, and no file is left behind.
#[test]
fn bad_options_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.h5");
    let b = || DatasetWriter::<f32>::builder(&p, &[10, 4]);
    let shape_errors = [
        ("negative chunk", b().chunk(&[-1, 4]).create()),
        ("zero chunk", b().chunk(&[0, 4]).create()),
        ("chunk rank", b().chunk(&[5]).create()),
        (
            "compact too big",
            DatasetWriter::<f32>::builder(&p, &[100_000, 4])
                .compact()
                .create(),
        ),
        ("compact and chunk", b().compact().chunk(&[5, 4]).create()),
        ("compact and filter", b().compact().fletcher32().create()),
        (
            "compact and unlimited",
            DatasetWriter::<f32>::builder(&p, &[4])
                .unlimited()
                .compact()
                .create(),
        ),
    ];
    for (what, r) in shape_errors {
        let e = r.err().unwrap_or_else(|| panic!("{what}: accepted"));
        assert!(matches!(e, Error::BadShape { .. }), "{what}: {e:?}");
        assert!(!p.exists(), "{what}: {} left behind", p.display());
    }
    let e = b().chunk(&[-1, 4]).create().unwrap_err();
    assert!(e.to_string().contains("chunk shape"), "{e}");
    let e = b().chunk(&[0, 4]).create().unwrap_err();
    assert!(e.to_string().contains("[0, 4]"), "{e}");
    let e = b().deflate(10).create().unwrap_err();
    assert!(e.to_string().contains("10"), "{e}");
    assert!(!p.exists());
}

/// Keys must name different datasets: the error names both.
#[test]
fn clashing_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.h5");
    let b = || DatasetWriter::<u8>::builder(&p, &[4, 2]);
    let cases = [
        (b().data_key("x").labels_key("x"), "\"x\""),
        (b().data_key("a/x").labels_key("/a/x"), "\"/a/x\""),
        (b().data_key("label_names"), "\"label_names\""),
        (b().labels_key("l").label_names_key("l"), "\"l\""),
        (
            b().data_key("train").labels_key("train/labels"),
            "\"train/labels\"",
        ),
    ];
    for (builder, both) in cases {
        let e = builder.create().unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { .. }), "{both}: {e:?}");
        assert!(e.to_string().contains(both), "{e}");
        assert!(!p.exists());
    }
    // Without labels, the data may take the name `labels`.
    let w = b().labels(false).data_key("labels").create().unwrap();
    w.close().unwrap();
    std::fs::remove_file(&p).unwrap();
    // Malformed paths.
    for bad in ["a//b", "t/", "t/../x"] {
        let e = b().labels_key(bad).create().unwrap_err();
        assert!(matches!(e, Error::InvalidPath { .. }), "{bad}: {e:?}");
        assert!(!p.exists());
    }
}

/// `.unlimited()` after full dims: the add error says the dims are ONE
/// row's shape and names them.
#[test]
fn unlimited_with_whole_dataset_dims_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.h5");
    let mut w = DatasetWriter::<f32>::builder(&p, &[70000, 784])
        .unlimited()
        .create()
        .unwrap();
    let e = w.add(&vec![0.5f32; 32 * 784], &[0; 32]).unwrap_err();
    assert!(
        matches!(
            &e,
            Error::UnlimitedPartialRow {
                values: 25088,
                row_len: 54_880_000,
                row_shape,
                ..
            } if row_shape == &[70000, 784]
        ),
        "{e:?}"
    );
    let text = e.to_string();
    for part in ["[70000, 784]", "ONE row", ".unlimited()", "&[N]"] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
    assert_eq!(w.len(), 0);
    w.close().unwrap();
    // A fixed-size writer keeps the plain PartialRow error.
    let p2 = dir.path().join("w2.h5");
    let mut w = DatasetWriter::<f32>::create(&p2, &[10, 4]).unwrap();
    let e = w.add(&[0.0f32; 5], &[0]).unwrap_err();
    assert!(matches!(e, Error::PartialRow { .. }), "{e:?}");
    w.close().unwrap();
}

/// `add_rows` on a writer with labels is refused, naming the remedy; a
/// refused call accepts nothing.
#[test]
fn add_rows_needs_labels_off() {
    let mem = h5sink::MemStorage::new();
    let mut w = DatasetWriter::<f32>::with_storage(mem, &[4, 2])
        .create()
        .unwrap();
    let e = w.add_rows(&[0.0f32; 4]).unwrap_err();
    assert!(
        matches!(
            e,
            Error::InvalidArgument {
                what: "add_rows",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("labels(false)"), "{e}");
    assert!(w.is_empty());
    w.add(&[0.0f32; 4], &[1, 2]).unwrap();
    w.close().unwrap();
}

/// The keys' defaults are public.
#[test]
fn default_keys_are_public() {
    assert_eq!(h5sink::LABELS_KEY, "labels");
    assert_eq!(h5sink::LABEL_NAMES_KEY, "label_names");
}
