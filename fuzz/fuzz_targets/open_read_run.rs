//! The `open_read` interpreter, shared by the fuzz target, `tests/fuzz_smoke.rs`
//! and `tests/open/open_hostile.rs`: the input is a whole file. It is opened with
//! `File::open_storage(MemStorage)`; if that works, every group is walked,
//! every member listed, every dataset read (`read_raw` with the element
//! type its `dtype()` names, `read_rows`, `read_scalar`, `read_strings`) and
//! every attribute read. Errors are fine; a panic is a finding, and so is
//! `Error::Bug` (a hostile file must give a specific error).
#![allow(dead_code)]

use h5sink::format::datatype::Datatype;
use h5sink::{Attribute, Dataset, Error, File, FixedAscii, FixedUnicode, Group, MemStorage};

/// `$m!(FixedAscii<N>)` or `$m!(FixedUnicode<N>)` for the listed sizes.
macro_rules! fixed {
    ($size:expr, $utf8:expr, $m:ident, $($n:literal)*) => {
        match ($size, $utf8) {
            $(($n, false) => $m!(FixedAscii<$n>), ($n, true) => $m!(FixedUnicode<$n>),)*
            _ => {}
        }
    };
}

/// Run `$m!(T)` for the Rust type `T` of datatype `$dt` (types without one
/// here, e.g. f16 without the `half` feature, are skipped).
macro_rules! by_type {
    ($dt:expr, $m:ident) => {
        match $dt {
            Datatype::Int { size: 1, signed: true } => $m!(i8),
            Datatype::Int { size: 2, signed: true } => $m!(i16),
            Datatype::Int { size: 4, signed: true } => $m!(i32),
            Datatype::Int { size: 8, signed: true } => $m!(i64),
            Datatype::Int { size: 1, signed: false } => $m!(u8),
            Datatype::Int { size: 2, signed: false } => $m!(u16),
            Datatype::Int { size: 4, signed: false } => $m!(u32),
            Datatype::Int { size: 8, signed: false } => $m!(u64),
            Datatype::Float { size: 4 } => $m!(f32),
            Datatype::Float { size: 8 } => $m!(f64),
            Datatype::Bool => $m!(bool),
            Datatype::FixedString { size, utf8 } => fixed!(size, utf8, $m, 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 24 32 64),
            _ => {}
        }
    };
}

/// Whole-dataset reads above this many declared bytes read a few rows
/// instead: a tiny file may declare a huge (sparse, chunked) dataset, and
/// reading it whole is the caller's choice, not the file's.
pub const WHOLE_READ_MAX: u64 = 16 << 20;

/// What a walk saw: objects visited and errors met (besides the open).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Walk {
    /// Groups, datasets and attributes visited.
    pub objects: usize,
    /// Reads that returned an error.
    pub errors: usize,
}

/// Open `data` as a file and walk it. `Err` is the open's error.
pub fn open_and_walk(data: &[u8]) -> Result<Walk, Error> {
    let mem = MemStorage::new();
    if !data.is_empty() {
        h5sink::Storage::write_at(&mem, 0, data).expect("MemStorage takes any bytes");
    }
    let f = File::open_storage(mem).map_err(no_bug)?;
    Ok(walk(&f))
}

/// Walk an open file: every group, member, dataset and attribute, read.
pub fn walk(f: &File) -> Walk {
    let mut w = Walk::default();
    walk_group(f, &mut w, 0, &mut std::collections::HashSet::new());
    w
}

/// The fuzz entry point (`Error::Bug` and panics are findings).
pub fn run_open_read(data: &[u8]) {
    let _ = open_and_walk(data);
}

/// `e`, unless it is `Error::Bug`: a hostile file must give a specific error.
fn no_bug(e: Error) -> Error {
    assert!(
        !matches!(e, Error::Bug { .. }),
        "Error::Bug from a file: {e}"
    );
    e
}

fn note<T>(w: &mut Walk, r: Result<T, Error>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            no_bug(e);
            w.errors += 1;
            None
        }
    }
}

/// Each group once (`seen`): hard links may give a group several names
/// or make a cycle, and soft links may lead back up. (A `Group` hashes its
/// file's address and its node, neither of which changes: clippy's
/// `mutable_key_type` sees only the engine's interior mutability.)
#[allow(clippy::mutable_key_type)]
fn walk_group(g: &Group, w: &mut Walk, depth: usize, seen: &mut std::collections::HashSet<Group>) {
    if !seen.insert(g.clone()) {
        return;
    }
    w.objects += 1;
    assert!(depth < 10_000, "a group tree deeper than any file allows");
    if let Some(names) = note(w, g.attr_names()) {
        for n in names {
            if let Some(a) = note(w, g.attr(&n)) {
                read_attr(&a, w);
            }
        }
    }
    let Some(names) = note(w, g.member_names()) else {
        return;
    };
    for name in names {
        if let Ok(sub) = g.group(&name) {
            walk_group(&sub, w, depth + 1, seen);
        } else if let Some(d) = note(w, g.dataset(&name)) {
            read_dataset(&d, w);
        }
    }
}

fn read_attr(a: &Attribute, w: &mut Walk) {
    w.objects += 1;
    macro_rules! raw {
        ($t:ty) => {{
            let r = a.read_raw::<$t>().map(|v| v.len());
            if let Some(n) = note(w, r) {
                assert_eq!(n as u64, a.shape().iter().product::<u64>());
            }
        }};
    }
    // A type only the file describes (compound, enum, ...): no Rust type
    // to read it with here.
    let Some(dt) = a.dtype() else { return };
    match dt {
        Datatype::VlenUtf8 => {
            note(w, a.read_strings());
        }
        dt => by_type!(dt, raw),
    }
}

fn read_dataset(d: &Dataset, w: &mut Walk) {
    w.objects += 1;
    if let Some(names) = note(w, d.attr_names()) {
        for n in names {
            if let Some(a) = note(w, d.attr(&n)) {
                read_attr(&a, w);
            }
        }
    }
    let Some(dt) = d.dtype() else { return };
    let shape = d.shape();
    let elems = shape.iter().try_fold(1u64, |a, &b| a.checked_mul(b));
    let bytes = elems.and_then(|n| n.checked_mul(u64::from(dt.element_size())));
    let whole = bytes.is_some_and(|b| b <= WHOLE_READ_MAX);
    let rows = d.rows();
    let row_bytes = d.row_len().saturating_mul(u64::from(dt.element_size()));
    let few = if row_bytes > WHOLE_READ_MAX {
        0
    } else {
        rows.min(2)
    };
    macro_rules! raw {
        ($t:ty) => {{
            if whole {
                let r = d.read_raw::<$t>().map(|v| v.len());
                if let Some(n) = note(w, r) {
                    assert_eq!(Some(n as u64), elems, "read_raw of {}", d.name());
                }
                if elems == Some(1) {
                    note(w, d.read_scalar::<$t>());
                }
            }
            if few > 0 {
                note(w, d.read_rows::<$t>(0, few));
                note(w, d.read_rows::<$t>(rows - few, few));
            }
        }};
    }
    match dt {
        Datatype::VlenUtf8 => {
            if whole {
                note(w, d.read_strings());
            }
        }
        dt => by_type!(dt, raw),
    }
}
