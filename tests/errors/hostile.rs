//! Hostile input: one test per bad input (the table in docs/hostile-inputs.md).
//! Each gets a specific `Error` (never a panic), and where a file was open
//! it still closes into a complete HDF5 file afterwards. Also: nothing
//! allocates memory in proportion to a declared shape before data arrives.

use crate::common::faults;

use std::path::{Path, PathBuf};
use std::process::Command;

use faults::{StopAfter, INJECTED};
use h5sink::{DatasetWriter, Error, File, FixedAscii, FixedUnicode, MemStorage, Storage};

fn mem() -> File {
    File::in_memory().unwrap()
}

/// `r` must be an error matching `ok`; its message must be non-empty.
/// Returns the message.
fn expect<T: std::fmt::Debug>(r: h5sink::Result<T>, ok: impl Fn(&Error) -> bool) -> String {
    match r {
        Err(e) if ok(&e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty());
            println!("{msg}");
            msg
        }
        other => panic!("unexpected result: {other:?}"),
    }
}

/// The file still commits into a complete HDF5 file after the error.
fn still_valid(f: File) {
    let bytes = f
        .into_bytes()
        .expect("the file must still close after a refused call");
    assert_eq!(&bytes[..8], b"\x89HDF\r\n\x1a\n");
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ------------------------------------------------------------------ names

#[test]
fn name_empty() {
    let f = mem();
    expect(f.create_group(""), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    still_valid(f);
}

#[test]
fn name_dot_and_dotdot() {
    let f = mem();
    expect(f.create_group("."), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    expect(f.new_dataset::<u8>().create(".."), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    still_valid(f);
}

#[test]
fn name_with_nul() {
    let f = mem();
    expect(f.create_group("a\0b"), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    still_valid(f);
}

#[test]
fn path_with_dotdot_component() {
    let f = mem();
    expect(f.create_group("a/../b"), |e| {
        matches!(e, Error::InvalidPath { .. })
    });
    assert!(f.member_names().unwrap().is_empty(), "nothing created");
    still_valid(f);
}

#[test]
fn path_with_empty_component() {
    let f = mem();
    expect(f.create_group("a//b"), |e| {
        matches!(e, Error::InvalidPath { .. })
    });
    expect(f.create_group("a/"), |e| {
        matches!(e, Error::InvalidPath { .. })
    });
    assert!(f.member_names().unwrap().is_empty(), "nothing created");
    still_valid(f);
}

#[test]
fn path_through_a_dataset() {
    let f = mem();
    f.new_dataset::<u8>().shape(&[1]).create("d").unwrap();
    expect(f.create_group("d/x"), |e| {
        matches!(e, Error::InvalidPath { .. })
    });
    still_valid(f);
}

#[test]
fn duplicate_group_and_dataset_names() {
    let f = mem();
    f.create_group("g").unwrap();
    expect(f.create_group("g"), |e| {
        matches!(e, Error::DuplicateName { .. })
    });
    expect(f.new_dataset::<u8>().create("g"), |e| {
        matches!(e, Error::DuplicateName { .. })
    });
    still_valid(f);
}

#[test]
fn attribute_name_empty_nul_duplicate() {
    let f = mem();
    expect(f.new_attr::<u8>().create(""), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    expect(f.new_attr::<u8>().create("a\0"), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    f.new_attr::<u8>().create("a").unwrap();
    expect(f.new_attr::<u8>().create("a"), |e| {
        matches!(e, Error::DuplicateName { .. })
    });
    still_valid(f);
}

#[test]
fn open_missing_dataset_or_group() {
    let f = mem();
    f.create_group("g").unwrap();
    expect(f.dataset("nope"), |e| matches!(e, Error::NotFound { .. }));
    expect(f.dataset("g"), |e| matches!(e, Error::NotFound { .. }));
    expect(f.group("g/x/y"), |e| matches!(e, Error::NotFound { .. }));
    still_valid(f);
}

// ----------------------------------------------------------------- shapes

#[test]
fn rank_above_32() {
    let f = mem();
    expect(f.new_dataset::<u8>().shape(&[1u64; 33]).create("d"), |e| {
        matches!(e, Error::RankTooHigh { rank: 33, max: 32 })
    });
    expect(f.new_attr::<u8>().shape(&[1u64; 33]).create("a"), |e| {
        matches!(e, Error::RankTooHigh { rank: 33, .. })
    });
    still_valid(f);
}

#[test]
fn negative_dimension() {
    let f = mem();
    expect(f.new_dataset::<u8>().shape(&[4i64, -1]).create("d"), |e| {
        matches!(e, Error::BadShape { .. })
    });
    still_valid(f);
}

#[test]
fn shape_bytes_overflow_u64() {
    let f = mem();
    expect(
        f.new_dataset::<f64>().shape(&[u64::MAX, 2]).create("d"),
        |e| {
            matches!(
                e,
                Error::ShapeOverflow {
                    element_size: 8,
                    ..
                }
            )
        },
    );
    still_valid(f);
}

#[test]
fn shape_bytes_above_i64_max() {
    let f = mem();
    // 2^60 elements of 8 bytes = 2^63 bytes: one past i64::MAX.
    expect(
        f.new_dataset::<f64>()
            .shape(&[1u64 << 30, 1 << 30])
            .create("d"),
        |e| matches!(e, Error::ShapeOverflow { .. }),
    );
    still_valid(f);
}

#[test]
fn attribute_too_large() {
    let f = mem();
    let ds = f.new_dataset::<u8>().shape(&[1]).create("d").unwrap();
    expect(ds.new_attr::<u8>().shape(&[70_000]).create("big"), |e| {
        matches!(e, Error::AttributeTooLarge { .. })
    });
    expect(
        ds.new_attr::<f64>().shape(&[1u64 << 40]).create("huge"),
        |e| matches!(e, Error::AttributeTooLarge { .. }),
    );
    // A variable-length string attribute of 100 KB is fine: its bytes live
    // in the global heap, only a 16-byte reference in the header.
    ds.new_attr_builder()
        .with_str(&"x".repeat(100_000))
        .create("s")
        .unwrap();
    still_valid(f);
}

#[test]
fn compact_too_big() {
    let f = mem();
    expect(
        f.new_dataset::<u8>()
            .shape(&[100_000])
            .compact()
            .create("d"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    expect(
        f.new_dataset::<u8>()
            .shape(&[1u64 << 50])
            .compact()
            .create("e"),
        |e| matches!(e, Error::BadShape { .. } | Error::FieldOverflow { .. }),
    );
    still_valid(f);
}

// ------------------------------------------------------------------- rows

#[test]
fn partial_row() {
    let f = mem();
    let ds = f.new_dataset::<f32>().shape(&[4, 3]).create("d").unwrap();
    expect(ds.write_rows(0, &[1.0f32; 4]), |e| {
        matches!(
            e,
            Error::PartialRow {
                values: 4,
                row_len: 3,
                ..
            }
        )
    });
    still_valid(f);
}

#[test]
fn rows_out_of_range() {
    let f = mem();
    let ds = f.new_dataset::<f32>().shape(&[4, 3]).create("d").unwrap();
    expect(ds.write_rows(3, &[1.0f32; 6]), |e| {
        matches!(
            e,
            Error::RowsOutOfRange {
                start: 3,
                end: 5,
                rows: 4,
                ..
            }
        )
    });
    expect(ds.write_rows(u64::MAX, &[1.0f32; 3]), |e| {
        matches!(e, Error::RowsOutOfRange { .. })
    });
    still_valid(f);
}

#[test]
fn wrong_element_type() {
    let f = mem();
    let ds = f.new_dataset::<f32>().shape(&[4]).create("d").unwrap();
    expect(ds.write_rows(0, &[true]), |e| {
        matches!(e, Error::TypeMismatch { .. })
    });
    expect(ds.write_rows(0, &[1e300f64]), |e| {
        matches!(e, Error::ConversionRange { .. })
    });
    expect(ds.write_strings(&["a"; 4]), |e| {
        matches!(e, Error::TypeMismatch { .. })
    });
    still_valid(f);
}

#[test]
fn rows_of_a_scalar() {
    let f = mem();
    let ds = f.new_dataset::<i32>().create("s").unwrap();
    expect(ds.write_rows(0, &[1i32]), |e| {
        matches!(e, Error::BadShape { .. })
    });
    still_valid(f);
}

#[test]
fn write_raw_wrong_count() {
    let f = mem();
    let ds = f.new_dataset::<i32>().shape(&[2, 2]).create("d").unwrap();
    expect(ds.write_raw(&[1i32; 3]), |e| {
        matches!(e, Error::BadShape { .. })
    });
    still_valid(f);
}

#[test]
fn string_count() {
    let f = mem();
    let ds = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[3])
        .create("s")
        .unwrap();
    expect(ds.write_strings(&["a", "b"]), |e| {
        matches!(
            e,
            Error::StringCount {
                expected: 3,
                got: 2,
                ..
            }
        )
    });
    still_valid(f);
}

// ---------------------------------------------------------------- strings

#[test]
fn fixed_ascii_with_nul() {
    expect(FixedAscii::<8>::new("a\0b"), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
}

#[test]
fn fixed_ascii_too_long() {
    expect(FixedAscii::<2>::new("abc"), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
}

#[test]
fn fixed_ascii_not_ascii() {
    expect(FixedAscii::<8>::new("dög"), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
}

#[test]
fn fixed_unicode_too_long_in_bytes() {
    // Three characters, six bytes: the length is in bytes, as in HDF5.
    expect(FixedUnicode::<4>::new("ééé"), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
    FixedUnicode::<6>::new("ééé").unwrap();
}

#[test]
fn vlen_string_with_nul_is_refused() {
    // Readers (libhdf5 among them) end a variable-length string at its
    // first NUL, so "a\0b" would read back as "a"; h5py refuses to write it.
    // Each way a string reaches the file refuses it, naming the string.
    let f = mem();
    let s = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[2])
        .create("s")
        .unwrap();
    expect(s.write_strings(&["ok", "a\0b"]), |e| {
        matches!(e, Error::NulInString { index: 1, .. }) && e.to_string().contains("NUL")
    });
    let grow = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[0])
        .resizable()
        .create("grow")
        .unwrap();
    expect(grow.append_strings(&["\0"]), |e| {
        matches!(e, Error::NulInString { index: 0, .. })
    });
    assert_eq!(
        grow.shape(),
        [0],
        "a refused append does not grow the dataset"
    );
    expect(f.new_attr_builder().with_str("x\0y").create("a"), |e| {
        matches!(e, Error::NulInString { .. })
    });
    let attr = f.new_attr::<h5sink::VarLenUnicode>().create("b").unwrap();
    expect(attr.write_str("x\0"), |e| {
        matches!(e, Error::NulInString { .. })
    });
    assert!(
        f.new_attr_builder().with_str("fine").create("a").is_ok(),
        "the refused attribute was not created"
    );
    still_valid(f);
}

// ----------------------------------------------------- chunks and resizing

#[test]
fn chunk_larger_than_max_shape() {
    let f = mem();
    expect(
        f.new_dataset::<u8>().shape(&[10]).chunk(&[20]).create("d"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    still_valid(f);
}

#[test]
fn chunk_zero_or_wrong_rank() {
    let f = mem();
    expect(
        f.new_dataset::<u8>()
            .shape(&[10, 4])
            .chunk(&[0, 4])
            .create("a"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    expect(
        f.new_dataset::<u8>()
            .shape(&[10, 4])
            .chunk(&[5])
            .create("b"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    expect(
        f.new_dataset::<u8>()
            .shape(&[10, 4])
            .chunk(&[-5i64, 4])
            .create("c"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    still_valid(f);
}

#[test]
fn chunk_of_4_gib() {
    let f = mem();
    expect(
        f.new_dataset::<f64>()
            .shape(&[0u64, 1 << 20])
            .max_shape(&[None, Some(1 << 20)])
            .chunk(&[1u64 << 10, 1 << 20])
            .create("d"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    // 1-byte elements: a dimension past u32 (the layout's field width) is
    // refused, not clamped (fuzz finding 2: the first write allocated the
    // whole unclamped chunk).
    for k in [1u64 << 32, 1 << 33, i64::MAX as u64] {
        expect(
            f.new_dataset::<u8>()
                .shape(&[0u64])
                .resizable()
                .chunk(&[k])
                .create("u"),
            |e| matches!(e, Error::BadShape { reason, .. } if reason.contains("32-bit")),
        );
    }
    still_valid(f);
}

#[test]
fn chunking_a_scalar_or_compact_and_bad_string_appends() {
    let f = mem();
    expect(f.new_dataset::<u8>().deflate(4).create("s"), |e| {
        matches!(e, Error::BadShape { .. })
    });
    expect(
        f.new_dataset::<u8>()
            .shape(&[4])
            .compact()
            .deflate(4)
            .create("c"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    // Strings: appends need a resizable string dataset and whole rows; a
    // chunk is written once.
    let fixed = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[4])
        .create("v")
        .unwrap();
    expect(fixed.append_strings(&["a"]), |e| {
        matches!(e, Error::BadShape { .. })
    });
    let pairs = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[0, 2])
        .resizable()
        .create("pairs")
        .unwrap();
    expect(pairs.append_strings(&["k", "v", "odd"]), |e| {
        matches!(
            e,
            Error::PartialRow {
                values: 3,
                row_len: 2,
                ..
            }
        )
    });
    let numbers = f
        .new_dataset::<f32>()
        .shape(&[0])
        .resizable()
        .create("n")
        .unwrap();
    expect(numbers.append_strings(&["1.5"]), |e| {
        matches!(e, Error::TypeMismatch { .. })
    });
    let grid = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[2])
        .chunk(&[2])
        .create("grid")
        .unwrap();
    grid.write_strings(&["a", "b"]).unwrap();
    expect(grid.write_strings(&["c", "d"]), |e| {
        matches!(e, Error::InvalidArgument { what: "rows", .. })
    });
    // libhdf5 refuses a mandatory filter on variable-length data.
    expect(
        f.new_dataset::<h5sink::VarLenUnicode>()
            .shape(&[4])
            .fletcher32()
            .create("checked"),
        |e| matches!(e, Error::BadShape { reason, .. } if reason.contains("fletcher32")),
    );
    still_valid(f);
}

#[test]
fn deflate_level_10() {
    let f = mem();
    expect(
        f.new_dataset::<u8>().shape(&[4]).deflate(10).create("d"),
        |e| {
            matches!(
                e,
                Error::InvalidArgument {
                    what: "deflate level",
                    ..
                }
            )
        },
    );
    still_valid(f);
}

#[test]
fn max_shape_wrong_rank_or_below_shape() {
    let f = mem();
    expect(
        f.new_dataset::<u8>()
            .shape(&[4, 4])
            .max_shape(&[None])
            .create("a"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    expect(
        f.new_dataset::<u8>()
            .shape(&[4])
            .max_shape(&[Some(3)])
            .create("b"),
        |e| matches!(e, Error::BadShape { .. }),
    );
    still_valid(f);
}

#[test]
fn resize_beyond_max_or_shrinking() {
    let f = mem();
    let ds = f
        .new_dataset::<u8>()
        .shape(&[4, 2])
        .max_shape(&[Some(8), Some(2)])
        .create("d")
        .unwrap();
    expect(ds.resize(&[9, 2]), |e| matches!(e, Error::BadShape { .. }));
    expect(ds.resize(&[4, 3]), |e| matches!(e, Error::BadShape { .. }));
    expect(ds.resize(&[3, 2]), |e| matches!(e, Error::BadShape { .. }));
    expect(ds.resize(&[4]), |e| matches!(e, Error::BadShape { .. }));
    assert_eq!(ds.shape(), vec![4, 2]);
    still_valid(f);
}

#[test]
fn resize_or_append_contiguous() {
    let f = mem();
    let ds = f.new_dataset::<u8>().shape(&[4]).create("d").unwrap();
    expect(ds.resize(&[5]), |e| matches!(e, Error::BadShape { .. }));
    expect(ds.append_rows(&[1u8]), |e| {
        matches!(e, Error::BadShape { .. })
    });
    still_valid(f);
}

#[test]
fn rewriting_a_sealed_chunk() {
    // h5sink writes each chunk once: rows falling in a chunk already
    // compressed and written are refused, and nothing of the call is kept.
    let f = mem();
    let ds = f
        .new_dataset::<i32>()
        .shape(&[8])
        .chunk(&[4])
        .deflate(4)
        .create("d")
        .unwrap();
    ds.write_rows(0, &[1i32; 8]).unwrap();
    f.flush().unwrap();
    expect(ds.write_rows(0, &[2i32; 4]), |e| {
        matches!(e, Error::InvalidArgument { what: "rows", .. })
    });
    expect(ds.write_rows(2, &[3i32; 4]), |e| {
        matches!(e, Error::InvalidArgument { what: "rows", .. })
    });
    still_valid(f);
}

// ------------------------------------------------------ state of the file

#[test]
fn write_after_close() {
    let f = mem();
    let ds = f.new_dataset::<u8>().shape(&[4]).create("d").unwrap();
    let g = f.create_group("g").unwrap();
    f.into_bytes().unwrap();
    expect(ds.write_rows(0, &[1u8]), |e| {
        matches!(e, Error::Closed { .. })
    });
    expect(g.create_group("x"), |e| matches!(e, Error::Closed { .. }));
    expect(ds.new_attr::<u8>().create("a"), |e| {
        matches!(e, Error::Closed { .. })
    });
}

#[test]
fn writer_after_failure_is_poisoned() {
    // Every write fails from `s.stop()` on, after the file was created.
    let s = StopAfter::unlimited();
    let f = File::with_storage(s.clone()).unwrap();
    let ds = f.new_dataset::<u8>().shape(&[1 << 20]).create("d").unwrap();
    f.flush().unwrap();
    s.stop();
    expect(ds.write_rows(0, &[1u8; 16]), |e| {
        matches!(e, Error::Io { .. })
    });
    let msg = expect(ds.write_rows(0, &[1u8; 16]), |e| {
        matches!(e, Error::Poisoned { .. })
    });
    assert!(msg.contains(INJECTED), "{msg}");
    expect(f.flush(), |e| matches!(e, Error::Poisoned { .. }));
    expect(f.close(), |e| matches!(e, Error::Poisoned { .. }));
}

#[test]
fn non_empty_storage() {
    let m = MemStorage::new();
    m.write_at(0, b"precious").unwrap();
    expect(File::with_storage(m.clone()), |e| {
        matches!(e, Error::Exists { .. })
    });
    assert_eq!(m.to_vec(), b"precious");
}

#[test]
fn into_bytes_of_a_file_on_disk() {
    let d = tmp("into_bytes");
    let f = File::create(d.join("f.h5")).unwrap();
    expect(f.into_bytes(), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
}

// ------------------------------------------------------------ DatasetWriter

#[test]
fn writer_buf_size_0_and_labels_key() {
    let d = tmp("writer_args");
    expect(
        DatasetWriter::<f32>::builder(d.join("a.h5"), &[4, 2])
            .buf_size(0)
            .create(),
        |e| {
            matches!(
                e,
                Error::InvalidArgument {
                    what: "buf_size",
                    ..
                }
            )
        },
    );
    expect(
        DatasetWriter::<f32>::builder(d.join("b.h5"), &[4, 2])
            .data_key("labels")
            .create(),
        |e| {
            matches!(
                e,
                Error::InvalidArgument {
                    what: "data_key",
                    ..
                }
            )
        },
    );
    expect(
        DatasetWriter::<f32>::create(d.join("c.h5"), &[] as &[u64]),
        |e| matches!(e, Error::BadShape { .. }),
    );
    // `/`-paths are data keys now; malformed ones are refused.
    expect(
        DatasetWriter::<f32>::builder(d.join("e.h5"), &[4, 2])
            .data_key("a//b")
            .create(),
        |e| matches!(e, Error::InvalidPath { .. }),
    );
    for p in ["a.h5", "b.h5", "c.h5", "e.h5"] {
        assert!(!d.join(p).exists(), "{p} left behind by a refused create");
    }
}

#[test]
fn writer_label_count_and_overflow() {
    let d = tmp("writer_rows");
    let mut w = DatasetWriter::<f32>::create(d.join("w.h5"), &[4, 2]).unwrap();
    expect(w.add(&[0.0f32; 4], &[1]), |e| {
        matches!(e, Error::LabelCount { rows: 2, labels: 1 })
    });
    expect(w.add(&[0.0f32; 3], &[1]), |e| {
        matches!(e, Error::PartialRow { .. })
    });
    w.add(&[0.0f32; 6], &[1, 2, 3]).unwrap();
    expect(w.add(&[0.0f32; 4], &[1, 2]), |e| {
        matches!(
            e,
            Error::RowsOutOfRange {
                start: 3,
                end: 5,
                rows: 4,
                ..
            }
        )
    });
    assert_eq!(w.len(), 3);
    w.close().unwrap();
}

// ----------------------------------------------------------------- paths

#[test]
fn existing_path_is_not_touched() {
    let d = tmp("existing");
    let p = d.join("f.h5");
    std::fs::write(&p, b"precious").unwrap();
    expect(File::create(&p), |e| matches!(e, Error::Exists { .. }));
    expect(DatasetWriter::<f32>::create(&p, &[1, 1]), |e| {
        matches!(e, Error::Exists { .. })
    });
    assert_eq!(std::fs::read(&p).unwrap(), b"precious");
}

#[test]
fn dangling_symlink_at_the_path() {
    let d = tmp("dangling");
    let p = d.join("f.h5");
    let target = d.join("target.h5");
    std::os::unix::fs::symlink(&target, &p).unwrap();
    expect(File::create(&p), |e| matches!(e, Error::Exists { .. }));
    assert!(!target.exists(), "the symlink's target was created");
    assert!(std::fs::symlink_metadata(&p)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn symlink_to_an_existing_file() {
    let d = tmp("symlink");
    let p = d.join("f.h5");
    let target = d.join("target.h5");
    std::fs::write(&target, b"precious").unwrap();
    std::os::unix::fs::symlink(&target, &p).unwrap();
    expect(File::create(&p), |e| matches!(e, Error::Exists { .. }));
    assert_eq!(std::fs::read(&target).unwrap(), b"precious");
}

#[test]
fn directory_that_does_not_exist() {
    let d = tmp("missing_dir");
    let p = d.join("no/such/dir/f.h5");
    let msg = expect(File::create(&p), |e| {
        matches!(e, Error::Io { path, source, .. }
            if path == &p && source.kind() == std::io::ErrorKind::NotFound)
    });
    assert!(msg.contains("no/such/dir/f.h5"), "{msg}");
}

#[test]
fn path_is_a_directory() {
    let d = tmp("is_dir");
    expect(File::create(&d), |e| matches!(e, Error::Exists { .. }));
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn directory_not_writable() {
    let d = tmp("readonly");
    let ro = d.join("ro");
    std::fs::create_dir_all(&ro).unwrap();
    let mounted = if is_root() {
        // Root bypasses permission bits: use a read-only mount instead.
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs"])
            .arg(&ro)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            println!(
                "SKIP directory_not_writable: root ignores chmod 0o500 and `mount -o ro` failed"
            );
            return;
        }
        true
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        false
    };
    let p = ro.join("f.h5");
    let r = File::create(&p);
    if mounted {
        let _ = Command::new("umount").arg(&ro).status();
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let msg = expect(r, |e| {
        matches!(e, Error::Io { path, source, .. }
            if path == &p && (source.raw_os_error() == Some(30) || source.kind() == std::io::ErrorKind::PermissionDenied))
    });
    assert!(msg.contains("creating the file"), "{msg}");
}

// ----------------------------------------------------------------- memory

fn vm_hwm_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = s.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Huge declared shapes cost no memory until data arrives: an 8 TiB
/// contiguous dataset (a sparse file), a 2^50-row chunked one, a
/// resizable dataset grown to 2^40 rows of 2^20 floats, a 2^30-string
/// vlen dataset (16 GiB of references): peak RSS grows
/// by under 32 MiB.
#[test]
fn huge_declared_shapes_allocate_nothing() {
    let d = tmp("huge");
    let before = vm_hwm_kib();
    let f = File::create(d.join("huge.h5")).unwrap();
    let big = f
        .new_dataset::<f64>()
        .shape(&[1u64 << 40])
        .create("big")
        .unwrap();
    f.new_dataset::<f32>()
        .shape(&[1u64 << 50, 256])
        .chunk(&[64, 256])
        .deflate(4)
        .create("chunked")
        .unwrap()
        .write_rows(0, &[1.0f32; 256])
        .unwrap();
    f.new_dataset::<f32>()
        .shape(&[0u64, 1 << 20])
        .resizable()
        .create("grows")
        .unwrap()
        .resize(&[1u64 << 40, 1 << 20])
        .unwrap();
    f.new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[1u64 << 30])
        .create("names")
        .unwrap();
    big.write_rows((1 << 40) - 4, &[1.0f64; 4]).unwrap();
    f.flush().unwrap();
    f.close().unwrap();
    let len = std::fs::metadata(d.join("huge.h5")).unwrap().len();
    let after = vm_hwm_kib();
    println!("file length {len} bytes; VmHWM {before} KiB -> {after} KiB");
    assert!(
        len >= 8 << 40,
        "the 8 TiB dataset's space is reserved in the file"
    );
    assert!(
        after.saturating_sub(before) < 32 * 1024,
        "peak RSS grew by {} KiB",
        after - before
    );
    let _ = std::fs::remove_dir_all(&d);
}
