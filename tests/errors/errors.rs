//! The error contract: every bad input or failure gets one specific
//! [`Error`] variant whose message names the offending values, no input
//! panics, and the file on disk stays valid at its last commit with nothing
//! already flushed lost.
//!
//! `error_contract_with_real_readers` runs every case that leaves a file
//! behind, one after the other, each writing `<name>.h5` plus the manifest of
//! the state that must survive the error; then h5py, pyfive and h5dump check
//! them all in one Python run. Cases that leave no file are small tests of
//! their own.

use crate::common;

use std::io;
use std::path::Path;

use crate::common::faults::{Call, Fault, Logged, StopAfter, INJECTED};
use crate::common::{ramp, Data, Manifest, VLEN_STR};
use h5sink::{Dataset, DatasetWriter, Error, File, MemStorage, Storage, VarLenUnicode};

// ------------------------------------------------------------------ helpers

/// The error of `r`, which must have failed.
fn fails<T>(r: h5sink::Result<T>, what: &str) -> Error {
    match r {
        Ok(_) => panic!("{what}: succeeded, expected an error"),
        Err(e) => e,
    }
}

/// Asserts that `e`'s message contains every one of `parts`.
fn says(e: &Error, parts: &[String]) {
    let msg = e.to_string();
    for p in parts {
        assert!(msg.contains(p.as_str()), "message {msg:?} lacks {p:?}");
    }
}

/// `expect!(call, Pattern, [values...])`: `call` fails with an error that
/// matches `Pattern` and whose message contains each value's `to_string()`.
/// Evaluates to the error.
macro_rules! expect {
    ($call:expr, $pat:pat, [$($part:expr),* $(,)?]) => {{
        let e = fails($call, stringify!($call));
        assert!(
            matches!(e, $pat),
            "{}: expected {}, got {e:?}",
            stringify!($call),
            stringify!($pat)
        );
        says(&e, &[$($part.to_string()),*]);
        e
    }};
}

/// A message quotes names with `{:?}`; this is how a name appears in it.
fn quoted(name: &str) -> String {
    format!("{name:?}")
}

/// A fresh in-memory file (for cases that need no reader).
fn mem_file() -> File {
    File::with_storage(MemStorage::new()).unwrap()
}

/// Writes `bytes` as the scenario's file and `m` as its manifest.
fn save(dir: &Path, m: &Manifest, bytes: &[u8]) {
    std::fs::write(m.h5_path(dir), bytes).unwrap();
    m.write(dir);
}

fn assert_absent(path: &Path) {
    assert!(
        std::fs::symlink_metadata(path).is_err(),
        "{} exists, but the failed call must leave nothing there",
        path.display()
    );
}

// ------------------------------------------------- a storage that can fail

/// In-memory storage that fails on demand, like a disk that dies (see
/// [`faulty`]), and logs every mutating call with the scenario step it
/// belongs to.
type Faulty = Logged<StopAfter>;

/// A [`Faulty`] storage whose mutating call number `fail_at` (0-based,
/// `write_at` and `set_len` counted) and every later one fail. A `torn`
/// failing write first scribbles 0xEE over its range, as a write cut off
/// halfway can. `len` and `sync` fail once told to
/// ([`StopAfter::fail_len`], [`StopAfter::fail_syncs_after`]).
fn faulty(fail_at: usize, torn: bool) -> Faulty {
    let fault = if torn { Fault::Scribble } else { Fault::Error };
    Logged::new(StopAfter::new(fail_at as u64).fault(fault))
}

fn never_failing() -> Faulty {
    faulty(usize::MAX, false)
}

/// Asserts `e` is the injected I/O failure, reported on `s`'s name.
fn assert_injected_io(e: &Error, s: &Faulty) {
    match e {
        Error::Io { path, source, .. } => {
            assert_eq!(path, &s.describe());
            assert_eq!(source.to_string(), INJECTED);
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
    says(e, &[s.describe().display().to_string(), INJECTED.into()]);
}

/// Asserts `e` is `Error::Poisoned` quoting `first` in full.
fn assert_poisoned(e: Error, first: &Error) {
    match &e {
        Error::Poisoned {
            first: quoted,
            kind,
        } => {
            assert_eq!(quoted, &first.to_string());
            if let Error::Io { source, .. } = first {
                assert_eq!(*kind, source.kind(), "the first failure's kind is kept");
            }
        }
        other => panic!("expected Error::Poisoned, got {other:?}"),
    }
    says(&e, &[first.to_string()]);
}

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

// ------------------------------------------- cases checked by real readers

/// `File::create` and `DatasetWriter::create` never touch an existing path,
/// whatever is there.
fn case_existing_path(dir: &Path) {
    let p = dir.join("existing.bin");
    let known = b"not an HDF5 file, and it must stay exactly like this";
    std::fs::write(&p, known).unwrap();
    let path_str = p.display().to_string();
    let e = expect!(File::create(&p), Error::Exists { .. }, [path_str, "exists"]);
    assert!(matches!(&e, Error::Exists { path, .. } if path == &p));
    expect!(
        DatasetWriter::<f32>::create(&p, &[4, 2]),
        Error::Exists { .. },
        [path_str]
    );
    // Refused for its data key before the path is touched: the existing file stays.
    expect!(
        DatasetWriter::<u8>::builder(&p, &[4, 2])
            .data_key("labels")
            .create(),
        Error::InvalidArgument { .. },
        ["data_key"]
    );
    assert_eq!(std::fs::read(&p).unwrap(), known);

    // A directory is an existing path too.
    let d = dir.join("a-directory.h5");
    std::fs::create_dir(&d).unwrap();
    expect!(File::create(&d), Error::Exists { .. }, [d.display()]);
    assert!(d.is_dir());
}

/// A dangling symlink is refused, and not followed: its target is not created.
#[cfg(unix)]
fn case_dangling_symlink(dir: &Path) {
    let target = dir.join("symlink-target.h5");
    let link = dir.join("dangling.h5");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    expect!(File::create(&link), Error::Exists { .. }, [link.display()]);
    expect!(
        DatasetWriter::<f32>::create(&link, &[2, 2]),
        Error::Exists { .. },
        [link.display()]
    );
    assert_absent(&target);
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
}

#[cfg(not(unix))]
fn case_dangling_symlink(_dir: &Path) {}

/// A directory that does not exist: an I/O error naming the path.
fn case_missing_directory(dir: &Path) {
    let p = dir.join("no-such-dir").join("x.h5");
    let e = expect!(
        File::create(&p),
        Error::Io { .. },
        [p.display(), "creating the file"]
    );
    assert!(matches!(&e, Error::Io { path, source, .. }
        if path == &p && source.kind() == io::ErrorKind::NotFound));
    expect!(
        DatasetWriter::<f32>::create(&p, &[2, 2]),
        Error::Io { .. },
        [p.display()]
    );
    assert_absent(&dir.join("no-such-dir"));
}

/// Row writes: partial rows, rows out of range (nothing of the call
/// written), wrong element type, wrong element count. The rows written
/// before stay, and the rows past them still read as zeros.
fn case_row_writes(dir: &Path) {
    let mut m = Manifest::new("row_writes");
    let f = File::create(m.h5_path(dir)).unwrap();
    let x = f.new_dataset::<f64>().shape(&[10, 4]).create("x").unwrap();
    x.write_rows(0, &ramp::<f64>(0, 32, 5)).unwrap();
    f.flush().unwrap();

    expect!(
        x.write_rows(8, &[1.0f64; 7]),
        Error::PartialRow {
            values: 7,
            row_len: 4,
            ..
        },
        [7, 4, "\"/x\""]
    );
    // Rows 8..11 of 10: nothing of it may land in rows 8 and 9.
    expect!(
        x.write_rows(8, &[9.0f64; 12]),
        Error::RowsOutOfRange {
            start: 8,
            end: 11,
            rows: 10,
            ..
        },
        ["8..11", 10, "\"/x\""]
    );
    expect!(
        x.write_rows(u64::MAX, &[9.0f64; 4]),
        Error::RowsOutOfRange { end: u64::MAX, .. },
        [usize::MAX]
    );
    expect!(
        x.write_rows(11, &[0f64; 0]),
        Error::RowsOutOfRange {
            start: 11,
            end: 11,
            ..
        },
        ["11..11"]
    );
    expect!(
        x.write_rows(8, &[true; 8]),
        Error::TypeMismatch { .. },
        ["\"/x\"", "f64", "bool"]
    );
    expect!(
        x.write_raw(&[9.0f64; 39]),
        Error::BadShape { .. },
        [40, 39, "\"/x\""]
    );
    expect!(
        x.write_strings(&["a"]),
        Error::TypeMismatch { .. },
        ["f64", "string"]
    );
    f.close().unwrap();
    m.dataset_of::<f64>(
        "x",
        &[10, 4],
        Data::RampRows {
            seed: 5,
            rows_written: 8,
        },
    );
    m.write(dir);
}

/// `f64` values beyond `f32`'s range for an `f32` dataset, `write_rows` on a
/// scalar and a scalar value out of range or of the wrong type all leave
/// the data as it was.
fn case_type_and_scalar(dir: &Path) {
    let mut m = Manifest::new("type_and_scalar");
    let f = File::create(m.h5_path(dir)).unwrap();
    let v = f.new_dataset::<f32>().shape(&[3, 2]).create("v").unwrap();
    v.write_raw(&ramp::<f32>(0, 6, 8)).unwrap();
    let s = f.new_dataset::<i16>().create("s").unwrap();
    s.write_scalar(&ramp::<i16>(0, 1, 9)[0]).unwrap();
    f.flush().unwrap();
    expect!(
        v.write_rows::<f64>(0, &[0.0, 1e300]),
        Error::ConversionRange { index: 1, .. },
        ["\"/v\"", "f32", "1e300"]
    );
    expect!(
        s.write_rows(0, &[7i16]),
        Error::BadShape { .. },
        ["\"/s\"", "scalar"]
    );
    expect!(
        s.write_scalar(&40000u16),
        Error::ConversionRange { index: 0, .. },
        ["i16", "40000"]
    );
    expect!(
        s.write_scalar(&true),
        Error::TypeMismatch { .. },
        ["i16", "bool"]
    );
    f.close().unwrap();
    m.dataset_of::<f32>("v", &[3, 2], Data::Ramp { seed: 8 })
        .dataset_of::<i16>("s", &[], Data::Ramp { seed: 9 });
    m.write(dir);
}

/// A string dataset given too few or too many strings keeps its strings.
fn case_string_count(dir: &Path) {
    let mut m = Manifest::new("string_count");
    let f = File::create(m.h5_path(dir)).unwrap();
    let s = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[3])
        .create("names")
        .unwrap();
    s.write_strings(&["cat", "dög", ""]).unwrap();
    f.flush().unwrap();
    expect!(
        s.write_strings(&["x", "y"]),
        Error::StringCount {
            expected: 3,
            got: 2,
            ..
        },
        ["\"/names\"", 3, 2]
    );
    expect!(
        s.write_strings(&["a", "b", "c", "d"]),
        Error::StringCount {
            expected: 3,
            got: 4,
            ..
        },
        [3, 4]
    );
    expect!(
        s.write_rows(0, &[1u8]),
        Error::TypeMismatch { .. },
        ["\"/names\"", "u8"]
    );
    f.close().unwrap();
    m.dataset(
        "names",
        VLEN_STR,
        &[3],
        Data::Strings(vec!["cat".into(), "dög".into(), "".into()]),
    );
    m.write(dir);
}

/// Invalid and duplicate names between valid calls leave no trace: the file
/// holds exactly the members created successfully.
fn case_names(dir: &Path) {
    let mut m = Manifest::new("names");
    let f = File::create(m.h5_path(dir)).unwrap();
    let g = f.create_group("g").unwrap();
    f.flush().unwrap();
    for bad in ["", ".", "..", "a\0b"] {
        expect!(
            f.create_group(bad),
            Error::InvalidName { .. },
            [quoted(bad)]
        );
        expect!(
            g.new_dataset::<u8>().shape(&[2]).create(bad),
            Error::InvalidName { .. },
            [quoted(bad)]
        );
    }
    for bad in ["/", "a//b", "b/../c", "g/x/"] {
        expect!(
            f.create_group(bad),
            Error::InvalidPath { .. },
            [quoted(bad)]
        );
    }
    let x = g.new_dataset::<u8>().shape(&[2]).create("x").unwrap();
    x.write_raw(&ramp::<u8>(0, 2, 1)).unwrap();
    expect!(
        g.create_group("x"),
        Error::DuplicateName { .. },
        ["\"/g\"", "\"x\""]
    );
    expect!(
        g.new_dataset::<f64>().shape(&[100]).create("x"),
        Error::DuplicateName { .. },
        ["\"/g\"", "\"x\""]
    );
    expect!(
        f.create_group("g"),
        Error::DuplicateName { .. },
        ["\"/\"", "\"g\""]
    );
    // A name that only looks like a path component works.
    let dots = f.create_group("...").unwrap();
    f.close().unwrap();
    assert_eq!(dots.name(), "/...");
    m.group("g")
        .dataset_of::<u8>("g/x", &[2], Data::Ramp { seed: 1 })
        .group("...");
    m.write(dir);
}

/// Shapes refused at `create`: negative, rank 33, byte size past u64 (or
/// past i64::MAX, which numpy cannot represent). Each failure leaves nothing
/// behind: the name stays free, and the file holds only what succeeded.
fn case_shapes(dir: &Path) {
    let mut m = Manifest::new("shapes");
    let f = File::create(m.h5_path(dir)).unwrap();
    let keep = f.new_dataset::<u16>().shape(&[4]).create("keep").unwrap();
    keep.write_raw(&ramp::<u16>(0, 4, 2)).unwrap();
    f.flush().unwrap();

    expect!(
        f.new_dataset::<f32>().shape(&[3, -1, 2]).create("d"),
        Error::BadShape { .. },
        ["\"d\"", "dimension 1", "negative"]
    );
    expect!(
        f.new_dataset::<u8>().shape(&[1u8; 33]).create("d"),
        Error::RankTooHigh { rank: 33, max: 32 },
        [33, 32]
    );
    expect!(
        f.new_dataset::<f32>().shape(&[u64::MAX, 2]).create("d"),
        Error::ShapeOverflow {
            element_size: 4,
            ..
        },
        [format!("{:?}", [u64::MAX, 2]), "4-byte"]
    );
    expect!(
        f.new_dataset::<u8>()
            .shape(&[1u64 << 62, 1 << 62])
            .create("d"),
        Error::ShapeOverflow {
            element_size: 1,
            ..
        },
        [format!("{:?}", [1u64 << 62, 1 << 62])]
    );
    // No bytes, but numpy (so h5py) cannot represent the shape.
    expect!(
        f.new_dataset::<u8>().shape(&[0, 1u64 << 63]).create("d"),
        Error::ShapeOverflow { .. },
        [format!("{:?}", [0, 1u64 << 63])]
    );
    // The largest dimension libhdf5 opens is fine when it holds no bytes.
    f.new_dataset::<i8>()
        .shape(&[i64::MAX as u64, 0])
        .create("widest")
        .unwrap();
    // Every refused name is still free.
    let d = f.new_dataset::<f32>().shape(&[2, 3]).create("d").unwrap();
    d.write_rows(0, &ramp::<f32>(0, 6, 3)).unwrap();
    f.close().unwrap();
    m.dataset_of::<u16>("keep", &[4], Data::Ramp { seed: 2 })
        .dataset_of::<i8>("widest", &[i64::MAX as u64, 0], Data::Null)
        .dataset_of::<f32>("d", &[2, 3], Data::Ramp { seed: 3 });
    m.write(dir);
}

/// A dataset whose size fits but pushes the end-of-file address past u64:
/// `FieldOverflow` at `create`. The file (already unable to grow to the first
/// huge dataset) fails to commit and stays at its last commit.
fn case_end_of_file(dir: &Path) {
    let mut m = Manifest::new("end_of_file");
    let f = File::create(m.h5_path(dir)).unwrap();
    let x = f.new_dataset::<u8>().shape(&[3]).create("x").unwrap();
    x.write_raw(&ramp::<u8>(0, 3, 6)).unwrap();
    f.flush().unwrap();
    // The largest dataset h5sink accepts: i64::MAX bytes.
    let max = i64::MAX as u64;
    f.new_dataset::<u8>().shape(&[max]).create("big").unwrap();
    let e = expect!(
        f.new_dataset::<u8>().shape(&[max]).create("more"),
        Error::BadShape { .. },
        ["\"more\"", max, "64-bit address space"]
    );
    drop(e);
    // No file system holds 2^63 bytes: the commit fails, as a format limit
    // or as the file system's refusal to grow the file.
    let e = fails(f.flush(), "flush");
    match &e {
        Error::Io { path, .. } => assert_eq!(path, &m.h5_path(dir)),
        Error::FieldOverflow { .. } => {}
        other => panic!("expected Io or FieldOverflow, got {other:?}"),
    }
    assert!(f.close().is_err());
    m.dataset_of::<u8>("x", &[3], Data::Ramp { seed: 6 });
    m.write(dir);
}

/// `DatasetWriter::add`: out of range, label count and partial rows refuse
/// the whole call (`len()` unchanged, no row buffered), and a second
/// `store_class_labels` replaces the names. The writer then goes on normally.
fn case_writer_add(dir: &Path) {
    let mut m = Manifest::new("writer_add");
    let (rows, cols) = (10u64, 3usize);
    let data = |r: u64, n: usize| ramp::<f32>(r * cols as u64, n * cols, 7);
    let labels = |r: u64, n: usize| ramp::<i64>(r, n, 8);
    let mut w = DatasetWriter::<f32>::builder(m.h5_path(dir), &[rows, cols as u64])
        .buf_size(4)
        .create()
        .unwrap();
    w.add(&data(0, 6), &labels(0, 6)).unwrap(); // 4 written, 2 buffered
    assert_eq!(w.len(), 6);
    expect!(
        w.add(&data(6, 5), &labels(6, 5)),
        Error::RowsOutOfRange {
            start: 6,
            end: 11,
            rows: 10,
            ..
        },
        ["6..11", 10, "\"/images\""]
    );
    expect!(
        w.add(&data(6, 2), &labels(6, 3)),
        Error::LabelCount { rows: 2, labels: 3 },
        ["3 labels", "2 rows"]
    );
    let mut partial = data(6, 2);
    partial.pop();
    expect!(
        w.add(&partial, &labels(6, 2)),
        Error::PartialRow {
            values: 5,
            row_len: 3,
            ..
        },
        [5, 3, "\"/images\""]
    );
    assert_eq!(w.len(), 6, "failed calls accept no row");
    // A name with a NUL is refused before the names dataset exists: the
    // next call can still create it.
    expect!(
        w.store_class_labels(&["cat", "d\0g"]),
        Error::NulInString { index: 1, .. },
        ["NUL", "label_names"]
    );
    // A second call replaces the names (equal names are kept).
    w.store_class_labels(&["other"]).unwrap();
    w.store_class_labels(&["cat", "dog"]).unwrap();
    w.store_class_labels(&["cat", "dog"]).unwrap();
    // If a failed call had left rows in the buffer, these would be shifted.
    w.add(&data(6, 4), &labels(6, 4)).unwrap();
    assert_eq!(w.len(), 10);
    expect!(
        w.add(&data(0, 1), &labels(0, 1)),
        Error::RowsOutOfRange {
            start: 10,
            end: 11,
            ..
        },
        ["10..11"]
    );
    w.close().unwrap();
    m.dataset_of::<f32>("images", &[rows, cols as u64], Data::Ramp { seed: 7 })
        .dataset_of::<i64>("labels", &[rows], Data::Ramp { seed: 8 })
        .fill(-1.0)
        .dataset(
            "label_names",
            VLEN_STR,
            &[2],
            Data::Strings(vec!["cat".into(), "dog".into()]),
        );
    m.write(dir);
}

/// After `File::close`, every handle gets `Error::Closed` naming the call;
/// after a drop, handles keep the file open until the last one goes.
fn case_closed(dir: &Path) {
    let mut m = Manifest::new("closed");
    let f = File::create(m.h5_path(dir)).unwrap();
    let g = f.create_group("g").unwrap();
    let x = g.new_dataset::<i32>().shape(&[2, 2]).create("x").unwrap();
    let s = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[1])
        .create("s")
        .unwrap();
    x.write_rows(0, &ramp::<i32>(0, 4, 4)).unwrap();
    s.write_strings(&["kept"]).unwrap();
    f.close().unwrap();
    expect!(
        x.write_rows(0, &[0i32; 2]),
        Error::Closed { by: "File::close" },
        ["closed", "File::close"]
    );
    expect!(x.write_raw(&[0i32; 4]), Error::Closed { .. }, []);
    expect!(s.write_strings(&["lost"]), Error::Closed { .. }, []);
    expect!(g.create_group("h"), Error::Closed { .. }, []);
    expect!(g.new_dataset::<u8>().create("y"), Error::Closed { .. }, []);
    expect!(g.member_names(), Error::Closed { .. }, []);
    m.group("g")
        .dataset_of::<i32>("g/x", &[2, 2], Data::Ramp { seed: 4 })
        .dataset("s", VLEN_STR, &[1], Data::Strings(vec!["kept".into()]));
    m.write(dir);

    // Handles keep the file open after the File is dropped (as in
    // hdf5-metno); dropping the last handle commits and closes it.
    let mut m = Manifest::new("closed_by_drop");
    let f = File::create(m.h5_path(dir)).unwrap();
    let y = f.new_dataset::<u8>().shape(&[2]).create("y").unwrap();
    y.write_raw(&[0u8; 2]).unwrap();
    drop(f);
    y.write_raw(&ramp::<u8>(0, 2, 5)).unwrap();
    drop(y);
    m.dataset_of::<u8>("y", &[2], Data::Ramp { seed: 5 });
    m.write(dir);
}

// ---------------------------------------------- injected storage failures

/// A scenario of five steps over a [`Faulty`] storage; each ends with the
/// file in a new state on disk (see [`steps_state`]).
#[derive(Default)]
struct Steps {
    f: Option<File>,
    a: Option<Dataset>,
    s: Option<Dataset>,
}

const STEPS: usize = 5;

impl Steps {
    fn file(&self) -> &File {
        self.f.as_ref().expect("file open")
    }

    fn step(&mut self, st: &Faulty, i: usize) -> h5sink::Result<()> {
        st.tag(i);
        match i {
            // The file itself: its first commit.
            0 => self.f = Some(File::with_storage(st.clone())?),
            // New members, two rows of `a`, commit.
            1 => {
                let f = self.file();
                f.create_group("g")?;
                let a = f.new_dataset::<i32>().shape(&[4, 3]).create("a")?;
                self.a = Some(a.clone());
                a.write_rows(0, &ramp::<i32>(0, 6, 1))?;
                self.file().flush()?;
            }
            // The other rows of the committed `a`, straight to the file.
            2 => {
                let a = self.a.as_ref().expect("a");
                a.write_rows(2, &ramp::<i32>(6, 6, 1))?;
            }
            // Strings and a never-written dataset, commit.
            3 => {
                let g = self.file().create_group("g2")?;
                let s = g.new_dataset::<VarLenUnicode>().shape(&[2]).create("s")?;
                self.s = Some(s.clone());
                s.write_strings(&["x", "yy"])?;
                let f = self.file();
                f.new_dataset::<u16>().shape(&[5]).create("z")?;
                f.flush()?;
            }
            // Strings rewritten, one more dataset, close.
            _ => {
                let s = self.s.as_ref().expect("s");
                s.write_strings(&["new", "newer ü"])?;
                let b = self.file().new_dataset::<f64>().shape(&[3]).create("b")?;
                b.write_raw(&ramp::<f64>(0, 3, 2))?;
                self.f.take().expect("file open").close()?;
            }
        }
        Ok(())
    }
}

/// What the file holds once `done` steps completed.
fn steps_state(m: &mut Manifest, done: usize) {
    if done >= 2 {
        let a = if done == 2 {
            Data::RampRows {
                seed: 1,
                rows_written: 2,
            }
        } else {
            Data::Ramp { seed: 1 }
        };
        m.group("g").dataset_of::<i32>("a", &[4, 3], a);
    }
    if done >= 4 {
        let s: Vec<String> = if done == 4 {
            vec!["x".into(), "yy".into()]
        } else {
            vec!["new".into(), "newer ü".into()]
        };
        m.group("g2")
            .dataset("g2/s", VLEN_STR, &[2], Data::Strings(s))
            .dataset_of::<u16>("z", &[5], Data::Null)
            // h5sink reserves z's block at create; h5py allocates on first write.
            .no_twin();
    }
    if done >= 5 {
        m.dataset_of::<f64>("b", &[3], Data::Ramp { seed: 2 });
    }
}

/// Checks the message of the I/O error of op `op`: the action and its numbers.
fn says_action(e: &Error, op: Call) {
    match op {
        Call::Write { offset: 0, .. } => says(e, &["writing the superblock".into()]),
        Call::Write { offset, len } => says(
            e,
            &[
                format!("writing {len} bytes"),
                format!("at offset {offset}"),
            ],
        ),
        Call::SetLen(len) => says(e, &[format!("extending the file to {len} bytes")]),
        Call::Sync => panic!("the scenario does not sync"),
    }
}

/// Fails every mutating storage call of the scenario in turn. The failing
/// call's step returns `Error::Io` naming the storage, the action and its
/// numbers; every later call returns `Error::Poisoned` quoting it, and no
/// further call reaches the storage; the bytes left hold exactly the state
/// of the last completed step. `torn`: the failing write also scribbles over
/// its range first (skipped for the superblock and for rows written into a
/// committed dataset, whose bytes a torn write legitimately damages).
fn case_storage_failures(dir: &Path, torn: bool) {
    let probe = never_failing();
    let mut run = Steps::default();
    for i in 0..STEPS {
        run.step(&probe, i).unwrap();
    }
    let ops = probe.tagged();
    assert!(
        ops.iter().any(|(_, o)| matches!(o, Call::SetLen(_))),
        "the scenario must grow the file with set_len at least once: {ops:?}"
    );
    let mut checked = 0;
    for (k, &(step, op)) in ops.iter().enumerate() {
        let skip = torn && matches!(op, Call::SetLen(_) | Call::Write { offset: 0, .. });
        if skip || (torn && step == 2) {
            continue;
        }
        let name = format!("io_{}_{k}", if torn { "torn" } else { "fail" });
        let st = faulty(k, torn);
        let mut run = Steps::default();
        let (done, e) = (0..STEPS)
            .find_map(|i| run.step(&st, i).err().map(|e| (i, e)))
            .unwrap_or_else(|| panic!("{name}: no step failed"));
        assert_eq!(done, step, "{name}: failed in the step of op {k}");
        assert_injected_io(&e, &st);
        says_action(&e, op);

        // Poisoned from now on, through every handle; nothing reaches the storage.
        if let Some(a) = &run.a {
            assert_poisoned(fails(a.write_rows(0, &[0i32; 3]), "write_rows"), &e);
        }
        if let Some(s) = &run.s {
            assert_poisoned(fails(s.write_strings(&["p", "q"]), "write_strings"), &e);
        }
        if let Some(f) = run.f.take() {
            assert_poisoned(fails(f.create_group("late"), "create_group"), &e);
            assert_poisoned(fails(f.flush(), "flush"), &e);
            assert_poisoned(fails(f.sync(), "sync"), &e);
            assert_poisoned(fails(f.close(), "close"), &e);
        }
        drop(run);
        assert_eq!(
            st.calls().len(),
            k + 1,
            "{name}: storage used after the failure"
        );

        if done == 0 {
            continue; // no file was made: nothing valid to read
        }
        let mut m = Manifest::new(&name);
        steps_state(&mut m, done);
        save(dir, &m, &st.inner().to_vec());
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} failure points checked");
}

/// `len` failing during a commit, and `sync` failing at its first barrier
/// (before the superblock switch): both `Error::Io` with their action, both
/// poison the file, and the file holds its last commit, without the group
/// the failed call would have committed.
fn case_len_and_sync_failures(dir: &Path) {
    for (name, what) in [
        ("io_len", "reading the file length"),
        ("io_sync", "syncing"),
    ] {
        let st = never_failing();
        let mut run = Steps::default();
        for i in 0..3 {
            run.step(&st, i).unwrap();
        }
        let f = run.file();
        f.create_group("late").unwrap();
        let e = if name == "io_len" {
            st.inner().fail_len();
            expect!(f.flush(), Error::Io { .. }, [what])
        } else {
            st.inner().fail_syncs_after(0);
            expect!(f.sync(), Error::Io { .. }, [what])
        };
        assert_injected_io(&e, &st);
        assert_poisoned(fails(f.flush(), "flush"), &e);
        let mut m = Manifest::new(name);
        steps_state(&mut m, 3);
        drop(run);
        save(dir, &m, &st.inner().to_vec());
    }
}

/// A failure from a huge dataset that memory cannot hold: the file keeps
/// its last commit.
fn case_out_of_memory(dir: &Path) {
    let mut m = Manifest::new("io_out_of_memory");
    let mem = MemStorage::new();
    let f = File::with_storage(mem.clone()).unwrap();
    let x = f.new_dataset::<i64>().shape(&[3]).create("x").unwrap();
    x.write_raw(&ramp::<i64>(0, 3, 9)).unwrap();
    f.flush().unwrap();
    // 4 EiB of zeros cannot be held in memory: an I/O error, never an abort.
    f.new_dataset::<u8>()
        .shape(&[1u64 << 62])
        .create("huge")
        .unwrap();
    let e = expect!(f.flush(), Error::Io { .. }, ["<memory>", "bytes"]);
    assert!(matches!(&e, Error::Io { source, .. } if source.kind() == io::ErrorKind::OutOfMemory));
    assert_poisoned(fails(x.write_rows(0, &[1i64]), "write_rows"), &e);
    assert_poisoned(fails(f.close(), "close"), &e);
    m.dataset_of::<i64>("x", &[3], Data::Ramp { seed: 9 });
    save(dir, &m, &mem.to_vec());
}

// -------------------------------------------------------------- the driver

#[test]
fn error_contract_with_real_readers() {
    let dir = common::out_dir("errors");
    let dir = dir.as_path();
    case_existing_path(dir);
    case_dangling_symlink(dir);
    case_missing_directory(dir);
    case_row_writes(dir);
    case_type_and_scalar(dir);
    case_string_count(dir);
    case_names(dir);
    case_shapes(dir);
    case_end_of_file(dir);
    case_writer_add(dir);
    case_closed(dir);
    case_storage_failures(dir, false);
    case_storage_failures(dir, true);
    case_len_and_sync_failures(dir);
    case_out_of_memory(dir);
    common::run_oracles(dir);
}
