//! Helpers of the error-contract tests: failing calls and their messages
//! (`expect!`), files saved for the readers, and a storage that fails on demand.

use crate::common::faults::{Fault, Logged, StopAfter, INJECTED};
use crate::common::Manifest;
use h5sink::{Error, File, MemStorage, Storage};
use std::path::Path;

// ------------------------------------------------------------------ helpers

/// The error of `r`, which must have failed.
pub(crate) fn fails<T>(r: h5sink::Result<T>, what: &str) -> Error {
    match r {
        Ok(_) => panic!("{what}: succeeded, expected an error"),
        Err(e) => e,
    }
}

/// Asserts that `e`'s message contains every one of `parts`.
pub(crate) fn says(e: &Error, parts: &[String]) {
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
        let e = $crate::errors::helpers::fails($call, stringify!($call));
        assert!(
            matches!(e, $pat),
            "{}: expected {}, got {e:?}",
            stringify!($call),
            stringify!($pat)
        );
        $crate::errors::helpers::says(&e, &[$($part.to_string()),*]);
        e
    }};
}

/// A message quotes names with `{:?}`; this is how a name appears in it.
pub(crate) fn quoted(name: &str) -> String {
    format!("{name:?}")
}

/// A fresh in-memory file (for cases that need no reader).
pub(crate) fn mem_file() -> File {
    File::with_storage(MemStorage::new()).unwrap()
}

/// Writes `bytes` as the scenario's file and `m` as its manifest.
pub(crate) fn save(dir: &Path, m: &Manifest, bytes: &[u8]) {
    std::fs::write(m.h5_path(dir), bytes).unwrap();
    m.write(dir);
}

pub(crate) fn assert_absent(path: &Path) {
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
pub(crate) type Faulty = Logged<StopAfter>;

/// A [`Faulty`] storage whose mutating call number `fail_at` (0-based,
/// `write_at` and `set_len` counted) and every later one fail. A `torn`
/// failing write first scribbles 0xEE over its range, as a write cut off
/// halfway can. `len` and `sync` fail once told to
/// ([`StopAfter::fail_len`], [`StopAfter::fail_syncs_after`]).
pub(crate) fn faulty(fail_at: usize, torn: bool) -> Faulty {
    let fault = if torn { Fault::Scribble } else { Fault::Error };
    Logged::new(StopAfter::new(fail_at as u64).fault(fault))
}

pub(crate) fn never_failing() -> Faulty {
    faulty(usize::MAX, false)
}

/// Asserts `e` is the injected I/O failure, reported on `s`'s name.
pub(crate) fn assert_injected_io(e: &Error, s: &Faulty) {
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
pub(crate) fn assert_poisoned(e: Error, first: &Error) {
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
