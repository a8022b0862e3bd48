//! Refused names and shapes, and a dataset pushing the end of file past u64:
//! the file holds exactly what succeeded.

use super::helpers::{fails, quoted};
use crate::common::{ramp, Data, Manifest};
use h5sink::{Error, File};
use std::path::Path;

/// Invalid and duplicate names between valid calls leave no trace: the file
/// holds exactly the members created successfully.
pub(crate) fn case_names(dir: &Path) {
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
pub(crate) fn case_shapes(dir: &Path) {
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
pub(crate) fn case_end_of_file(dir: &Path) {
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
