//! The `open_modify` interpreter, shared by the fuzz target and
//! `tests/fuzz_smoke.rs`: an existing file opened read-write, walked,
//! changed by a few operations, closed, and checked.
//!
//! Input: `[fault: u8][tail length: u16 LE][file image][tail]`; the last
//! `tail length` bytes are the operations (all bytes after the header when
//! the length is larger). Fault byte: bit 7 clear = no fault; else the
//! storage's mutating call number `k = fault & 31` (0-based) fails, bits 5–6
//! saying how: 0 it and every later call fail cleanly (`StopAfter`), 1 the
//! same with the failing write torn (first half written), 2 the same
//! scribbling 0xEE, 3 only that call fails cleanly (`FailKth`).
//!
//! Checks: no panic and no `Error::Bug`; (a) after a successful close the
//! bytes open with `File::open_storage` and every dataset and attribute an
//! operation touched reads back as the model says (`open_modify_model.rs`);
//! (b) with no successful mutating call the bytes are the input's, byte
//! for byte; (c) after a fault (or a failed close) the bytes open read-only
//! if the original did and the fault was clean, the walk does not panic,
//! and every touched dataset has one of the shapes it had; a file whose
//! storage failed never closes `Ok`.
#![allow(dead_code)]

#[path = "../../tests/common/faults/mod.rs"]
mod faults;
#[path = "open_modify_model.rs"]
mod model;
#[path = "open_read_run.rs"]
mod open_read_run;
#[path = "open_modify_ops.rs"]
mod ops;

use std::io;
use std::path::PathBuf;

use faults::{FailKth, Fault, StopAfter};
use h5sink::{Error, File, Storage};

/// Larger images are skipped.
pub const IMAGE_MAX: usize = 1 << 20;

/// An input's parts.
pub struct Input<'a> {
    /// The fault byte.
    pub fault: u8,
    /// The file.
    pub image: &'a [u8],
    /// The operation bytes.
    pub ops: &'a [u8],
}

/// Splits an input (see the module docs).
pub fn split(data: &[u8]) -> Input<'_> {
    let fault = data.first().copied().unwrap_or(0);
    let tail = data
        .get(1..3)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let rest = data.get(3..).unwrap_or(&[]);
    let cut = rest.len().saturating_sub(tail);
    Input {
        fault,
        image: &rest[..cut],
        ops: &rest[cut..],
    }
}

/// The input of `image` with operation bytes `ops` and fault byte `fault`.
pub fn join(fault: u8, image: &[u8], ops: &[u8]) -> Vec<u8> {
    let n = u16::try_from(ops.len()).expect("a short tail");
    let mut v = vec![fault];
    v.extend_from_slice(&n.to_le_bytes());
    v.extend_from_slice(image);
    v.extend_from_slice(ops);
    v
}

/// The storage of one run: a file image that may fail at its k-th write.
#[derive(Clone)]
enum Store {
    Stop(StopAfter, u64, Fault),
    Kth(FailKth, u64),
}

impl Store {
    fn new(fault: u8, image: &[u8]) -> Store {
        if fault & 0x80 == 0 {
            return Store::Stop(StopAfter::holding(image, u64::MAX), u64::MAX, Fault::Error);
        }
        let k = u64::from(fault & 31);
        let kind = match (fault >> 5) & 3 {
            0 => Fault::Error,
            1 => Fault::Short,
            2 => Fault::Scribble,
            _ => return Store::Kth(FailKth::holding(image, Fault::Error, k + 1), k),
        };
        Store::Stop(StopAfter::holding(image, k).fault(kind), k, kind)
    }
    fn inner(&self) -> &dyn Storage {
        match self {
            Store::Stop(s, ..) => s,
            Store::Kth(s, _) => s,
        }
    }
    /// Whether an injected fault hit.
    fn faulted(&self) -> bool {
        match self {
            Store::Stop(s, k, _) => s.writes() > *k,
            Store::Kth(s, k) => s.writes() > *k,
        }
    }
    /// Whether a failing write may have left torn bytes.
    fn torn(&self) -> bool {
        matches!(self, Store::Stop(_, _, Fault::Short | Fault::Scribble))
    }
    fn bytes(&self) -> Vec<u8> {
        match self {
            Store::Stop(s, ..) => s.to_vec(),
            Store::Kth(s, _) => s.to_vec(),
        }
    }
}

impl Storage for Store {
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.inner().write_at(offset, data)
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.inner().read_at(offset, buf)
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        self.inner().set_len(len)
    }
    fn len(&self) -> io::Result<u64> {
        self.inner().len()
    }
    fn sync(&self) -> io::Result<()> {
        self.inner().sync()
    }
    fn describe(&self) -> PathBuf {
        self.inner().describe()
    }
}

/// `e`, unless it is `Error::Bug`.
pub fn no_bug(e: Error) -> Error {
    if std::env::var_os("H5SINK_FUZZ_VERBOSE").is_some() {
        eprintln!("  -> {e}");
    }
    assert!(!matches!(e, Error::Bug { .. }), "Error::Bug: {e}");
    assert!(!e.to_string().is_empty());
    e
}

/// The fuzz entry point.
pub fn run_open_modify(data: &[u8]) {
    let input = split(data);
    if input.image.len() > IMAGE_MAX {
        return;
    }
    let store = Store::new(input.fault, input.image);
    let f = match File::open_rw_storage(store.clone()) {
        Ok(f) => f,
        Err(e) => {
            no_bug(e);
            assert!(store.bytes() == input.image, "a refused open_rw wrote");
            return;
        }
    };
    open_read_run::walk(&f);
    let (model, changed) = {
        let mut s = ops::Session::new(&f, input.ops);
        s.run();
        (s.model, s.changed)
    };
    let closed = f.close();
    let bytes = store.bytes();
    let faulted = store.faulted();
    if std::env::var_os("H5SINK_FUZZ_VERBOSE").is_some() {
        eprintln!(
            "open_modify: changed {changed}, faulted {faulted}, close {:?}, {} datasets / {} attributes tracked, {} -> {} bytes",
            closed.as_ref().map_err(|e| e.to_string()),
            model.datasets.len(),
            model.attrs.len(),
            input.image.len(),
            bytes.len()
        );
    }
    if faulted {
        assert!(closed.is_err(), "a file whose storage failed closed Ok");
    }
    match closed {
        Ok(()) => {
            if !changed {
                assert!(bytes == input.image, "nothing changed, yet the bytes did");
            }
            let g = open_read_run::open_and_walk(&bytes)
                .and_then(|_| open_mem(&bytes))
                .unwrap_or_else(|e| panic!("a file closed Ok does not open: {e}"));
            model.check(&g);
        }
        Err(e) => {
            no_bug(e);
            let must_open = !store.torn() && open_read_run::open_and_walk(input.image).is_ok();
            match open_read_run::open_and_walk(&bytes).and_then(|_| open_mem(&bytes)) {
                Ok(g) => model.check_some_state(&g),
                Err(e) => assert!(!must_open, "left unreadable by a clean fault: {e}"),
            }
        }
    }
}

fn open_mem(bytes: &[u8]) -> h5sink::Result<File> {
    let mem = h5sink::MemStorage::new();
    if !bytes.is_empty() {
        mem.write_at(0, bytes).expect("memory");
    }
    File::open_storage(mem)
}
