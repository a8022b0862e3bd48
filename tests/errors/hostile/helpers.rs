//! Helpers of the hostile-input tests: the expected error and its message,
//! the file still valid after it, temporary paths.

use h5sink::{Error, File};
use std::path::{Path, PathBuf};

pub(crate) fn mem() -> File {
    File::in_memory().unwrap()
}

/// `r` must be an error matching `ok`; its message must be non-empty.
/// Returns the message.
pub(crate) fn expect<T: std::fmt::Debug>(
    r: h5sink::Result<T>,
    ok: impl Fn(&Error) -> bool,
) -> String {
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
pub(crate) fn still_valid(f: File) {
    let bytes = f
        .into_bytes()
        .expect("the file must still close after a refused call");
    assert_eq!(&bytes[..8], b"\x89HDF\r\n\x1a\n");
}

pub(crate) fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
