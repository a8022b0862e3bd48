//! Calls at the wrong time for the file: after close, after an I/O failure
//! (poisoned), on non-empty storage, `into_bytes` of a file on disk.

use super::helpers::{expect, mem, tmp};
use crate::common::faults;
use faults::{StopAfter, INJECTED};
use h5sink::{Error, File, MemStorage, Storage};

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
