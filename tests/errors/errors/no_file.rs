//! Error cases that leave no file behind: invalid and duplicate names,
//! `Error` as a std error, refused storages and `DatasetWriter` arguments.

use super::helpers::{
    assert_absent, assert_injected_io, fails, faulty, mem_file, never_failing, quoted,
};
use h5sink::{DatasetWriter, Error, File, MemStorage, Storage};
use std::io;

// ------------------------------------------------------ cases with no file

#[test]
fn invalid_names_are_refused_everywhere() {
    let f = mem_file();
    let g = f.create_group("g").unwrap();
    for bad in ["", ".", "..", "a\0b"] {
        expect!(
            f.create_group(bad),
            Error::InvalidName { .. },
            [quoted(bad)]
        );
        expect!(
            g.create_group(bad),
            Error::InvalidName { .. },
            [quoted(bad)]
        );
        expect!(
            f.new_dataset::<u8>().shape(&[1]).create(bad),
            Error::InvalidName { .. },
            [quoted(bad)]
        );
    }
    // Paths: empty components, navigation and trailing slashes are refused
    // whole (nothing along them is created).
    for bad in ["/", "g/", "a//b", "../x", "a/./b", "x/..", "a/\0"] {
        expect!(
            f.create_group(bad),
            Error::InvalidPath { .. },
            [quoted(bad)]
        );
        expect!(
            f.new_dataset::<u8>().shape(&[1]).create(bad),
            Error::InvalidPath { .. },
            [quoted(bad)]
        );
    }
    assert_eq!(f.member_names().unwrap(), ["g"]);
    // An absolute path names the root's members, whichever group it is used on.
    expect!(g.create_group("/g"), Error::DuplicateName { .. }, ["\"g\""]);
    // Close relatives of the bad names are fine.
    for good in ["...", "..a", " ", "ü", "a\\b"] {
        g.create_group(good).unwrap();
    }
}

#[test]
fn duplicate_names_name_the_group() {
    let f = mem_file();
    let g = f.create_group("g").unwrap();
    f.new_dataset::<u8>().create("x").unwrap();
    g.create_group("sub").unwrap();
    expect!(
        f.create_group("g"),
        Error::DuplicateName { .. },
        ["\"/\"", "\"g\""]
    );
    expect!(f.create_group("x"), Error::DuplicateName { .. }, ["\"x\""]);
    expect!(
        f.new_dataset::<f64>().create("g"),
        Error::DuplicateName { .. },
        ["\"g\""]
    );
    expect!(
        g.new_dataset::<u8>().create("sub"),
        Error::DuplicateName { .. },
        ["\"/g\"", "\"sub\""]
    );
}

#[test]
fn error_is_a_std_error_with_its_io_source() {
    fn bounds<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let e = fails(
        File::create("/nonexistent-h5sink-dir/x.h5"),
        "create in a missing dir",
    );
    bounds(&e);
    let source = std::error::Error::source(&e).expect("Io keeps its source");
    assert!(source.downcast_ref::<io::Error>().is_some());
}

#[test]
fn with_storage_refuses_non_empty_storage_and_failing_len() {
    let m = MemStorage::new();
    m.write_at(0, b"old bytes").unwrap();
    expect!(
        File::with_storage(m.clone()),
        Error::Exists { .. },
        ["<memory>"]
    );
    assert_eq!(m.to_vec(), b"old bytes", "existing bytes untouched");

    let s = never_failing();
    s.inner().fail_len();
    let e = expect!(
        File::with_storage(s.clone()),
        Error::Io { .. },
        ["reading the length"]
    );
    assert_injected_io(&e, &s);
    assert!(s.calls().is_empty(), "nothing written");
}

#[test]
fn failing_first_commit_is_an_io_error() {
    // Every mutating call of the first commit, failing in turn.
    let probe = never_failing();
    File::with_storage(probe.clone()).unwrap();
    let n = probe.calls().len();
    assert!(n >= 2, "metadata and superblock writes");
    for k in 0..n {
        let s = faulty(k, false);
        let e = expect!(File::with_storage(s.clone()), Error::Io { .. }, []);
        assert_injected_io(&e, &s);
        assert_eq!(s.calls().len(), k + 1, "no call after the failure");
    }
}

#[test]
fn writer_arguments_are_checked_before_the_file_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.h5");
    let w = |dims: &[i64]| DatasetWriter::<f32>::builder(&p, dims);
    expect!(
        w(&[10, 3]).buf_size(0).create(),
        Error::InvalidArgument {
            what: "buf_size",
            ..
        },
        ["buf_size", "0"]
    );
    assert_absent(&p);
    expect!(
        w(&[]).create(),
        Error::BadShape { .. },
        ["\"images\"", "at least one dimension"]
    );
    assert_absent(&p);
    expect!(
        w(&[10, -3]).create(),
        Error::BadShape { .. },
        ["\"images\"", "dimension 1", "negative"]
    );
    assert_absent(&p);
    expect!(
        w(&[1; 33]).create(),
        Error::RankTooHigh { rank: 33, max: 32 },
        [33, 32]
    );
    assert_absent(&p);
    for bad in ["", ".", "..", "x\0"] {
        expect!(
            w(&[10, 3]).data_key(bad).create(),
            Error::InvalidName { .. },
            [quoted(bad)]
        );
        assert_absent(&p);
    }
    // Data keys may be `/`-paths now (missing groups are created), but not
    // malformed ones.
    for bad in ["a//b", "a/../b", "a/"] {
        expect!(
            w(&[10, 3]).data_key(bad).create(),
            Error::InvalidPath { .. },
            [quoted(bad)]
        );
        assert_absent(&p);
    }
}

#[test]
fn writer_errors_found_in_the_file_remove_it() {
    // These pass the argument checks and fail once the file exists: the
    // half-made file is removed.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.h5");
    // A data key that clashes with the labels is refused before any file exists.
    expect!(
        DatasetWriter::<u8>::builder(&p, &[4, 2])
            .data_key("labels")
            .create(),
        Error::InvalidArgument { .. },
        ["data_key", "\"labels\""]
    );
    assert_absent(&p);
    expect!(
        DatasetWriter::<f32>::create(&p, &[u64::MAX, 2]),
        Error::ShapeOverflow {
            element_size: 4,
            ..
        },
        [u64::MAX, 2, 4]
    );
    assert_absent(&p);
    // No bytes, but numpy cannot represent the shape.
    expect!(
        DatasetWriter::<f32>::create(&p, &[0, u64::MAX]),
        Error::ShapeOverflow { .. },
        [u64::MAX]
    );
    assert_absent(&p);
}
