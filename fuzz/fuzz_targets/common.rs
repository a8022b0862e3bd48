//! The fuzz interpreters, shared by the cargo-fuzz targets (`api_ops.rs`,
//! `encoders.rs`) and by the stable replay test `tests/fuzz_smoke.rs`, which
//! includes this file with `#[path]`. It depends on nothing but `h5sink` and
//! std: inputs are decoded by the small hand-written reader `Src` (not the
//! `arbitrary` crate), so a saved input replays to the same operations under
//! libFuzzer and under a plain `cargo test`. The sparse store it writes to
//! comes from the tests' fault-injecting storages (`tests/common/faults/`).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use h5sink::format::datatype::{CompoundMember, Datatype, EnumMember};
use h5sink::{Dataset, FixedAscii, FixedUnicode, Group, VarLenUnicode};

// ---------------------------------------------------------------- input ----

/// Reads fuzz bytes; past the end every read is 0, so any input decodes.
pub struct Src<'a> {
    data: &'a [u8],
}

impl<'a> Src<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Src { data }
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
    pub fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    pub fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | u64::from(self.u32()) << 32
    }
    /// Up to `max` raw bytes (a length byte, then the bytes).
    pub fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = (self.u16() as usize) % (max + 1);
        let n = n.min(self.data.len());
        let (a, b) = self.data.split_at(n);
        self.data = b;
        a.to_vec()
    }
    /// A small count, usually tiny.
    pub fn count(&mut self, max: usize) -> usize {
        let b = self.u8();
        if b & 0x80 == 0 {
            (b as usize & 7).min(max)
        } else {
            (self.u16() as usize) % (max + 1)
        }
    }
    /// A hostile dimension: zero, small, or one of the edges.
    pub fn dim(&mut self) -> u64 {
        match self.u8() % 16 {
            0 => 0,
            1 => 1,
            2..=7 => u64::from(self.u8() % 9),
            8 => u64::from(self.u16()),
            9 => u64::from(u32::MAX),
            10 => 1 << 40,
            11 => i64::MAX as u64,
            12 => u64::MAX,
            13 => self.u64(),
            14 => 1024,
            _ => 65536,
        }
    }
    /// A shape of rank up to 40 (usually 0..=3).
    pub fn shape(&mut self) -> Vec<u64> {
        let b = self.u8();
        let rank = if b & 0xf0 == 0xf0 {
            b as usize % 41
        } else {
            b as usize % 4
        };
        (0..rank).map(|_| self.dim()).collect()
    }
    /// A hostile name or path.
    pub fn name(&mut self) -> String {
        const FIXED: &[&str] = &[
            "a",
            "b",
            "c",
            "ds",
            "grp",
            "a/b",
            "grp/ds",
            "a/b/c/d",
            "",
            ".",
            "..",
            "/",
            "//",
            "/a",
            "a/",
            "a//b",
            "./a",
            "a/../b",
            "x\0y",
            "\0",
            " ",
            "é",
            "\u{feff}",
            "🦀/🦀",
            "label_names",
            "images",
            "\u{ffff}",
        ];
        match self.u8() % 8 {
            0..=4 => FIXED[self.u8() as usize % FIXED.len()].to_string(),
            5 => "n".repeat(self.u16() as usize % 70000),
            _ => String::from_utf8_lossy(&self.bytes(64)).into_owned(),
        }
    }
    pub fn string(&mut self) -> String {
        match self.u8() % 4 {
            0 => String::new(),
            1 => "s".repeat(self.u16() as usize % 70000),
            _ => String::from_utf8_lossy(&self.bytes(300)).into_owned(),
        }
    }
}

// ------------------------------------------------------ element types ----

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug)]
    pub enum Color: u8 { Red = 0, Green = 1, Blue = 200 }
}

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug)]
    pub enum Sign: i64 { Neg = -9_000_000_000, Zero = 0, Pos = 9_000_000_000 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    pub struct Inner { pub ok: bool, pub pair: [i16; 2], pub c: Color }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    pub struct Outer { pub x: f64, pub tag: FixedAscii<3>, pub inner: Inner, pub grid: [[u8; 2]; 3], pub s: Sign }
}

/// Values decoded from fuzz bytes.
pub trait Gen: Sized + Copy {
    fn gen(src: &mut Src) -> Self;
}

macro_rules! gen_num {
    ($($t:ty),*) => {$(impl Gen for $t {
        fn gen(src: &mut Src) -> Self {
            let mut b = [0u8; std::mem::size_of::<$t>()];
            for x in b.iter_mut() { *x = src.u8(); }
            <$t>::from_le_bytes(b)
        }
    })*};
}
gen_num!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);

impl Gen for bool {
    fn gen(src: &mut Src) -> Self {
        src.bool()
    }
}
impl<T: Gen, const N: usize> Gen for [T; N] {
    fn gen(src: &mut Src) -> Self {
        let first = T::gen(src);
        let mut out = [first; N];
        for x in out.iter_mut().skip(1) {
            *x = T::gen(src);
        }
        out
    }
}
impl<const N: usize> Gen for FixedAscii<N> {
    fn gen(src: &mut Src) -> Self {
        let s = String::from_utf8_lossy(&src.bytes(N + 2)).into_owned();
        FixedAscii::new(&s).unwrap_or_else(|e| {
            let _ = e.to_string();
            FixedAscii::new("").expect("empty fits")
        })
    }
}
impl<const N: usize> Gen for FixedUnicode<N> {
    fn gen(src: &mut Src) -> Self {
        let s = String::from_utf8_lossy(&src.bytes(N + 2)).into_owned();
        FixedUnicode::new(&s).unwrap_or_else(|e| {
            let _ = e.to_string();
            FixedUnicode::new("").expect("empty fits")
        })
    }
}
impl Gen for Color {
    fn gen(src: &mut Src) -> Self {
        [Color::Red, Color::Green, Color::Blue][src.u8() as usize % 3]
    }
}
impl Gen for Sign {
    fn gen(src: &mut Src) -> Self {
        [Sign::Neg, Sign::Zero, Sign::Pos][src.u8() as usize % 3]
    }
}
impl Gen for Inner {
    fn gen(src: &mut Src) -> Self {
        Inner {
            ok: Gen::gen(src),
            pair: Gen::gen(src),
            c: Gen::gen(src),
        }
    }
}
impl Gen for Outer {
    fn gen(src: &mut Src) -> Self {
        Outer {
            x: Gen::gen(src),
            tag: Gen::gen(src),
            inner: Gen::gen(src),
            grid: Gen::gen(src),
            s: Gen::gen(src),
        }
    }
}

/// Number of element types in `with_type!` (index 13 is the vlen string).
pub const TYPES: u8 = 21;
pub const VLEN: u8 = 13;

/// Run `$body` with `$T` bound to element type number `$i % TYPES`; the
/// vlen string index runs `$vlen` instead (it is not an `Element`).
macro_rules! with_type {
    ($i:expr, $T:ident => $body:expr, vlen => $vlen:expr) => {{
        match $i % TYPES {
            0 => {
                type $T = u8;
                $body
            }
            1 => {
                type $T = i8;
                $body
            }
            2 => {
                type $T = u16;
                $body
            }
            3 => {
                type $T = i16;
                $body
            }
            4 => {
                type $T = u32;
                $body
            }
            5 => {
                type $T = i32;
                $body
            }
            6 => {
                type $T = u64;
                $body
            }
            7 => {
                type $T = i64;
                $body
            }
            8 => {
                type $T = f32;
                $body
            }
            9 => {
                type $T = f64;
                $body
            }
            10 => {
                type $T = bool;
                $body
            }
            11 => {
                type $T = FixedAscii<5>;
                $body
            }
            12 => {
                type $T = FixedUnicode<7>;
                $body
            }
            13 => $vlen,
            14 => {
                type $T = [f32; 3];
                $body
            }
            15 => {
                type $T = Outer;
                $body
            }
            16 => {
                type $T = Color;
                $body
            }
            17 => {
                type $T = [[u8; 2]; 2];
                $body
            }
            18 => {
                type $T = FixedAscii<1>;
                $body
            }
            19 => {
                type $T = Inner;
                $body
            }
            _ => {
                type $T = Sign;
                $body
            }
        }
    }};
}

// ------------------------------------------------------------ storage ----

// The sparse store, shared with the tests' fault-injecting storages.
#[path = "../../tests/common/faults/mod.rs"]
mod faults;

#[path = "codec_filters.rs"]
mod codec_filters;

use faults::{Sparse, SyncLog};

// ----------------------------------------------------------- api_ops ----

/// The largest declared size (bytes) of a dataset created on a plain
/// `File::in_memory()` file, where h5sink legitimately reserves the bytes.
pub const MEM_CAP: u64 = 1 << 20;
/// Pages (4 KiB) the sparse store may hold: 256 MiB; values written per call
/// are bounded, so more means h5sink allocated for a declared shape.
pub const SPARSE_PAGE_CAP: usize = 65536;

/// Every error is an `h5sink::Error` by type; also render it.
fn seen<T>(r: h5sink::Result<T>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty(), "empty error message: {e:?}");
            let _ = format!("{e:?}");
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                let _ = s.to_string();
                src = s.source();
            }
            None
        }
    }
}

fn declared_bytes(shape: &[u64], elem: u64) -> u64 {
    shape
        .iter()
        .try_fold(elem, |a, &d| a.checked_mul(d))
        .unwrap_or(u64::MAX)
}

fn gen_vec<T: Gen>(src: &mut Src, n: usize) -> Vec<T> {
    (0..n).map(|_| T::gen(src)).collect()
}

/// How many values a write passes: often a multiple of the row length.
fn value_count(src: &mut Src, ds: &Dataset) -> usize {
    let row = ds.row_len().max(1);
    match src.u8() % 4 {
        0 => src.count(4096),
        _ => {
            let rows = u64::from(src.u8() % 5);
            row.saturating_mul(rows).min(4096) as usize
        }
    }
}

fn create_dataset<T: h5sink::H5Type + 'static>(
    src: &mut Src,
    g: &Group,
    name: &str,
    shape: &[u64],
    fill: Option<bool>,
) -> Option<Dataset> {
    let mut b = g.new_dataset::<T>().shape(shape);
    let flags = src.u8();
    if flags & 1 != 0 {
        b = b.compact();
    }
    if flags & 2 != 0 {
        let c = if src.bool() {
            src.shape()
        } else {
            shape.iter().map(|&d| d.clamp(1, 64)).collect()
        };
        if chunk_allowed(&c, u64::from(T::DATATYPE.element_size())) {
            b = b.chunk(&c);
        }
    }
    if flags & 4 != 0 {
        b = b.resizable();
    }
    if flags & 8 != 0 {
        let m: Vec<Option<u64>> = (0..src.count(40))
            .map(|_| if src.bool() { None } else { Some(src.dim()) })
            .collect();
        b = b.max_shape(&m);
    }
    if flags & 16 != 0 {
        b = b.deflate(src.u8() % 12);
    }
    if flags & 32 != 0 {
        b = b.shuffle();
    }
    if flags & 64 != 0 {
        b = b.fletcher32();
    }
    if flags & 128 != 0 {
        b = codec_filters::with_codec(b, src.u8(), src.u8());
    }
    let _ = fill;
    seen(b.create(name))
}

fn create_dataset_fill<T: h5sink::Element + Gen + 'static>(
    src: &mut Src,
    g: &Group,
    name: &str,
    shape: &[u64],
) -> Option<Dataset> {
    let v = T::gen(src);
    let mut b = g.new_dataset::<T>().shape(shape).fill_value(v);
    let flags = src.u8();
    if flags & 1 != 0 {
        b = b.compact();
    }
    if flags & 2 != 0 {
        b = b.resizable();
    }
    if flags & 4 != 0 {
        b = b.chunk(&shape.iter().map(|&d| d.clamp(1, 16)).collect::<Vec<_>>());
    }
    if flags & 8 != 0 {
        b = b.deflate(1).shuffle();
    }
    seen(b.create(name))
}

fn pick<'v, T>(src: &mut Src, v: &'v [T]) -> Option<&'v T> {
    if v.is_empty() {
        None
    } else {
        Some(&v[src.u8() as usize % v.len()])
    }
}

/// Either a group or a dataset, to hang an attribute on.
fn attr_target(
    src: &mut Src,
    groups: &[Group],
    dsets: &[Dataset],
) -> (Option<h5sink::AttrBuilder>, u8) {
    let which = src.u8();
    let b = if which & 1 == 0 {
        pick(src, groups).map(|g| g.new_attr_builder())
    } else {
        pick(src, dsets).map(|d| d.new_attr_builder())
    };
    (b, which)
}

/// Known, reported, still-open bugs of h5sink that the harness steers
/// around so fuzzing goes on past them (see fuzz/README.md, "Findings").
/// Set H5SINK_FUZZ_KNOWN=1 to hit them anyway (the replay of
/// fuzz/regressions/open/ does).
fn avoid_known() -> bool {
    std::env::var_os("H5SINK_FUZZ_KNOWN").is_none()
}

/// Finding 1 (fixed): an attribute name whose message cannot be encoded
/// (name over 65535 bytes) made attr.rs `check_size` compute
/// `u64::MAX.div_ceil(8) * 8`.
/// Fixed: now `Error::AttributeTooLarge`; kept as a regression input.
fn attr_name(src: &mut Src) -> String {
    src.name()
}

// ------------------------------------------- vlen strings, durability ----

/// A string for the heap: mostly short, some empty, non-ASCII, long, or
/// about the size of a heap collection (4,096 bytes, 16 of them header),
/// so appends fill the open collection to its edge and past it.
fn vstring(src: &mut Src) -> String {
    match src.u8() % 8 {
        0 => String::new(),
        1 => "s".repeat(src.u16() as usize % 70000),
        2 => "e".repeat(4000 + src.u8() as usize % 96),
        3 => "é".repeat(src.u8() as usize * 8),
        _ => String::from_utf8_lossy(&src.bytes(40)).into_owned(),
    }
}

fn vstrings(src: &mut Src, n: usize) -> Vec<String> {
    (0..n).map(|_| vstring(src)).collect()
}

/// A shape for a string dataset: usually rank 1–3 with a small first
/// dimension (often 0, to append to) and small rows (sometimes 0 wide);
/// a quarter of the time a hostile `Src::shape`.
fn string_shape(src: &mut Src) -> Vec<u64> {
    let b = src.u8();
    if b % 4 == 0 {
        return src.shape();
    }
    let rank = 1 + (b as usize >> 2) % 3;
    (0..rank)
        .map(|i| match (i, src.u8()) {
            (0, x) if x >= 248 => src.dim(),
            (0, x) => u64::from(x % 9),
            (_, x) => u64::from(x % 5),
        })
        .collect()
}

/// A variable-length string dataset: chunked (a chunk fitting the shape, or
/// a hostile one), resizable, a maximum shape (fitting or not), shuffle,
/// deflate 0–11, fletcher32, or compact (which conflicts with the rest).
fn create_string_dataset(src: &mut Src, g: &Group, name: &str, shape: &[u64]) -> Option<Dataset> {
    let mut b = g.new_dataset::<VarLenUnicode>().shape(shape);
    let flags = src.u8();
    if flags & 1 != 0 {
        let c: Vec<u64> = if src.u8() % 8 == 0 {
            src.shape()
        } else {
            shape
                .iter()
                .map(|&d| d.clamp(1, u64::from(1 + src.u8() % 8)))
                .collect()
        };
        if chunk_allowed(&c, 16) {
            b = b.chunk(&c);
        }
    }
    if flags & 2 != 0 {
        b = b.resizable();
    }
    if flags & 4 != 0 {
        let m: Vec<Option<u64>> = if src.bool() {
            shape
                .iter()
                .map(|&d| match src.u8() % 4 {
                    0 => None,
                    1 => Some(d),
                    2 => Some(d.saturating_add(u64::from(src.u8() % 9))),
                    _ => Some(src.dim()),
                })
                .collect()
        } else {
            (0..src.count(40))
                .map(|_| if src.bool() { None } else { Some(src.dim()) })
                .collect()
        };
        b = b.max_shape(&m);
    }
    if flags & 8 != 0 {
        b = b.shuffle();
    }
    if flags & 16 != 0 {
        b = b.deflate(src.u8() % 12);
    }
    if flags & 32 != 0 {
        b = b.fletcher32();
    }
    if flags & 64 != 0 && src.u8() % 4 == 0 {
        b = b.compact();
    }
    if flags & 128 != 0 {
        // Refused on strings (the plugin filters cannot skip heap references).
        b = codec_filters::with_codec(b, src.u8(), src.u8());
    }
    seen(b.create(name))
}

/// Usually a string dataset made by the string ops, else any dataset (of
/// another type, or a vlen one made by the generic ops or opened by path).
fn pick_str(src: &mut Src, sdsets: &[Dataset], dsets: &[Dataset]) -> Option<Dataset> {
    if src.u8() % 4 != 0 && !sdsets.is_empty() {
        pick(src, sdsets).cloned()
    } else {
        pick(src, dsets).cloned()
    }
}

/// How many strings an append passes: usually whole rows (0–4 of them),
/// else any small count (a partial row unless it happens to fit).
fn string_count(src: &mut Src, ds: &Dataset) -> usize {
    let row = ds.row_len();
    if src.u8() % 4 == 0 || row == 0 || row > 256 {
        src.count(64)
    } else {
        (row * u64::from(src.u8() % 5)) as usize
    }
}

/// `append_strings`, checking what it promises when it succeeds: the index
/// of the first new row is the old row count, and the rows grew by the
/// strings' rows.
fn append_strings_checked(ds: &Dataset, strings: &[String]) {
    let before = ds.shape();
    if let Some(start) = seen(ds.append_strings(strings)) {
        if let Some(&rows) = before.first() {
            let row: u64 = before.iter().skip(1).product();
            assert_eq!(start, rows, "append_strings: first new row");
            assert_eq!(
                ds.rows(),
                rows + strings.len() as u64 / row.max(1),
                "append_strings: rows after the append"
            );
        }
    }
}

/// Over one operation on a `Sparse` store with durable commits on from
/// start to end and no injected fault: every superblock written was
/// written after a sync of everything before it, and synced itself.
fn check_durable(before: &SyncLog, after: &SyncLog, durable: bool) {
    if !durable || after.faults != before.faults || after.sb_writes == before.sb_writes {
        return;
    }
    assert_eq!(
        after.sb_over_unsynced, before.sb_over_unsynced,
        "durable commit: superblock written before the data was synced"
    );
    assert!(
        !after.sb_unsynced,
        "durable commit: superblock not synced afterwards"
    );
}

/// `File::sync`; when it succeeds on a `Sparse` store without a fault, the
/// store must have been synced.
fn sync_checked(f: &h5sink::File, sparse: &Sparse, sparse_mode: bool) {
    let before = sparse.log();
    if seen(f.sync()).is_some() && sparse_mode {
        let after = sparse.log();
        if after.faults == before.faults {
            assert!(
                after.syncs > before.syncs,
                "File::sync returned Ok without a storage sync"
            );
            check_durable(&before, &after, true);
        }
    }
}

/// Dimensions for a `DatasetWriter`: usually rank 1–3, small; a quarter of
/// the time a hostile `Src::shape` (rank 0 included).
fn writer_dims(src: &mut Src) -> Vec<u64> {
    let b = src.u8();
    if b % 4 == 0 {
        return src.shape();
    }
    let rank = 1 + (b as usize >> 2) % 3;
    (0..rank)
        .map(|i| {
            if i == 0 {
                u64::from(src.u8() % 17)
            } else {
                u64::from(src.u8() % 5)
            }
        })
        .collect()
}

/// Files a `DatasetWriter` session produced: (name suffix, bytes).
type Outputs = Vec<(String, Vec<u8>)>;

/// One `DatasetWriter::with_storage` session on a store of its own (a
/// `Sparse` in sparse mode, else a `MemStorage`): builder options, then up
/// to 15 calls (`add` with whole or partial rows and right or wrong label
/// counts, `flush`, `store_class_labels`, `set_durable`/`sync`/`flush` on
/// `file()`, a resizable vlen string dataset beside the stream, storage
/// faults), then `close` or a drop. A closed file goes to `out`, as does
/// the image of a store that failed (the last commit must be readable).
fn writer_session<T: h5sink::Element + Gen + 'static>(
    src: &mut Src,
    sparse_mode: bool,
    tag: &str,
    out: &mut Outputs,
) {
    let dims = writer_dims(src);
    let flags = src.u8();
    let unlimited = flags & 1 != 0;
    // In memory, the data (64 bytes an element at most) and the labels
    // (8 bytes a row, as many rows as the first dimension) are reserved.
    let rows = if unlimited {
        &[][..]
    } else {
        dims.get(..1).unwrap_or(&[])
    };
    // The labels of a fixed-size stream are filled with -1 at creation (as
    // libhdf5 fills a contiguous block with its fill value): real bytes,
    // even on a sparse store.
    if (!sparse_mode && declared_bytes(&dims, 64) > MEM_CAP) || declared_bytes(rows, 8) > MEM_CAP {
        return;
    }
    let sparse = Sparse::default();
    let mem = h5sink::MemStorage::new();
    let mut b = if sparse_mode {
        h5sink::DatasetWriter::<T>::with_storage(sparse.clone(), &dims)
    } else {
        h5sink::DatasetWriter::<T>::with_storage(mem.clone(), &dims)
    };
    if unlimited {
        b = b.unlimited();
    }
    if flags & 2 != 0 {
        let c: Vec<u64> = if src.u8() % 8 == 0 {
            src.shape()
        } else {
            let rank = dims.len() + usize::from(unlimited);
            (0..rank).map(|_| u64::from(1 + src.u8() % 8)).collect()
        };
        if chunk_allowed(&c, u64::from(T::DATATYPE.element_size())) {
            b = b.chunk(&c);
        }
    }
    if flags & 4 != 0 {
        b = b.shuffle();
    }
    if flags & 8 != 0 {
        b = b.deflate(src.u8() % 12);
    }
    if flags & 16 != 0 {
        b = b.data_key(&src.name());
    }
    if flags & 32 != 0 {
        b = b.buf_size(src.count(64));
    }
    let mut durable = flags & 64 != 0;
    if durable {
        b = b.durable();
    }
    // (Not checked for durability: `create` makes the empty file with a
    // plain commit before it turns durable commits on.)
    let Some(mut w) = seen(b.create()) else {
        return;
    };
    // Values per row, as the writer sees them.
    let row_len = if unlimited {
        &dims[..]
    } else {
        dims.get(1..).unwrap_or(&[])
    }
    .iter()
    .try_fold(1u64, |a, &d| a.checked_mul(d))
    .unwrap_or(u64::MAX);
    let mut strs: Option<Dataset> = None;
    for _ in 0..src.u8() % 16 {
        if src.is_empty() {
            break;
        }
        let before = sparse.log();
        let d0 = durable;
        match src.u8() % 8 {
            0..=2 => {
                let rows = usize::from(src.u8() % 6);
                let n = if row_len <= 4096 && src.u8() % 4 != 0 {
                    (row_len as usize * rows).min(8192)
                } else {
                    src.count(64)
                };
                let labels = if src.u8() % 4 == 0 {
                    src.count(8)
                } else {
                    rows
                };
                let v: Vec<T> = gen_vec(src, n);
                let l: Vec<i64> = gen_vec(src, labels);
                let len = w.len();
                if seen(w.add(&v, &l)).is_some() {
                    assert_eq!(w.len(), len + labels as u64, "DatasetWriter::len after add");
                }
            }
            3 => {
                seen(w.flush());
            }
            4 => {
                let n = src.count(8);
                let names = vstrings(src, n);
                seen(w.store_class_labels(&names));
            }
            5 => {
                let Some(f) = seen(w.file()) else {
                    continue;
                };
                match src.u8() % 3 {
                    0 => {
                        durable = src.bool();
                        f.set_durable(durable);
                    }
                    1 => sync_checked(f, &sparse, sparse_mode),
                    _ => {
                        seen(f.flush());
                    }
                }
            }
            6 => {
                let Some(f) = seen(w.file()) else {
                    continue;
                };
                if strs.is_none() {
                    let name = src.name();
                    strs = seen(
                        f.new_dataset::<VarLenUnicode>()
                            .shape(&[0])
                            .resizable()
                            .chunk(&[u64::from(1 + src.u8() % 8)])
                            .create(&name),
                    );
                }
                if let Some(ds) = &strs {
                    let n = src.count(16);
                    let s = vstrings(src, n);
                    append_strings_checked(ds, &s);
                }
            }
            _ => {
                if sparse_mode {
                    sparse.arm(src.bool(), u32::from(src.u8() % 8));
                }
            }
        }
        if sparse_mode {
            assert!(
                sparse.pages() <= SPARSE_PAGE_CAP,
                "DatasetWriter: {} pages",
                sparse.pages()
            );
            check_durable(&before, &sparse.log(), d0 && durable);
        }
        let _ = (w.len(), w.is_empty(), format!("{w:?}"));
    }
    let before = sparse.log();
    let closed = if src.u8() % 8 == 0 {
        drop(w); // best-effort close in Drop
        false
    } else {
        seen(w.close()).is_some()
    };
    if sparse_mode {
        check_durable(&before, &sparse.log(), durable);
    }
    let faults = sparse.log().faults;
    assert!(
        !(closed && faults > 0),
        "DatasetWriter closed Ok although its storage failed"
    );
    if closed {
        let bytes = if sparse_mode {
            sparse.to_vec(64 << 20)
        } else {
            Some(mem.to_vec())
        };
        if let Some(bytes) = bytes {
            assert_eq!(
                &bytes[..8],
                b"\x89HDF\r\n\x1a\n",
                "writer file lacks the signature"
            );
            out.push((format!("-{tag}"), bytes));
        }
    } else if faults > 0 {
        if let Some(bytes) = sparse.to_vec(64 << 20) {
            out.push((format!("-{tag}-poisoned"), bytes));
        }
    }
}

/// The largest chunk (bytes) the harness asks for: a write fills a whole
/// chunk in memory and a commit writes it whole, legitimately, so a 1 GiB
/// chunk would be an OOM of the harness, not of h5sink.
pub const CHUNK_CAP: u64 = 64 << 20;

/// Whether to request chunk shape `chunk` for elements of `elem` bytes:
/// at most `CHUNK_CAP` bytes. A dimension over `u32::MAX` is always
/// requested: h5sink must refuse it (finding 2, fixed).
fn chunk_allowed(chunk: &[u64], elem: u64) -> bool {
    if chunk.iter().any(|&d| d > u64::from(u32::MAX)) {
        return true;
    }
    declared_bytes(chunk, elem.max(1)) <= CHUNK_CAP
}

static WRITTEN: AtomicUsize = AtomicUsize::new(0);

/// Decode and run one sequence of API operations.
pub fn run_api_ops(data: &[u8]) {
    let mut src = Src::new(data);
    let mode = src.u8();
    let sparse_mode = mode & 1 == 1;
    let sparse = Sparse::default();
    let Some(file) = seen(if sparse_mode {
        h5sink::File::with_storage(sparse.clone())
    } else {
        h5sink::File::in_memory()
    }) else {
        return;
    };
    let mut file = Some(file);
    let root: Group = (**file.as_ref().unwrap()).clone();
    let mut groups: Vec<Group> = vec![root];
    let mut dsets: Vec<Dataset> = Vec::new();
    let mut attrs: Vec<h5sink::Attribute> = Vec::new();
    let mut closed_ok: Option<Vec<u8>> = None;
    let mut steps = 0;
    // String datasets made by the string ops (also in `dsets`).
    let mut sdsets: Vec<Dataset> = Vec::new();
    // Whether `set_durable(true)` is in force.
    let mut durable = false;
    // Files of DatasetWriter sessions.
    let mut extra: Outputs = Vec::new();
    let mut sessions = 0;

    while !src.is_empty() && steps < 64 {
        steps += 1;
        let log_before = sparse.log();
        let durable_before = durable;
        // 0–19: the operations of the first version of this target (inputs
        // saved then decode as they did); 20–39: string datasets that are
        // chunked, filtered or growing, durability, storage faults, and
        // DatasetWriter sessions.
        match src.u8() % 40 {
            0 => {
                let g = pick(&mut src, &groups).cloned();
                let name = src.name();
                if let Some(g) = g {
                    if let Some(n) = seen(g.create_group(&name)) {
                        let _ = n.name();
                        groups.push(n);
                    }
                }
            }
            1..=3 => {
                let Some(g) = pick(&mut src, &groups).cloned() else {
                    continue;
                };
                let name = src.name();
                let shape = src.shape();
                let ty = src.u8();
                let fill = src.u8() % 4 == 0;
                // Element size upper bound (Outer is the largest: 38 bytes).
                let bytes = declared_bytes(&shape, 64);
                if !sparse_mode && bytes > MEM_CAP {
                    continue;
                }
                // A fill value over a huge contiguous block writes it all: legit work.
                let fill = fill && bytes <= MEM_CAP;
                let ds = if fill {
                    with_type!(ty, T => create_dataset_fill::<T>(&mut src, &g, &name, &shape),
                        vlen => create_dataset::<VarLenUnicode>(&mut src, &g, &name, &shape, None))
                } else {
                    with_type!(ty, T => create_dataset::<T>(&mut src, &g, &name, &shape, None),
                        vlen => create_dataset::<VarLenUnicode>(&mut src, &g, &name, &shape, None))
                };
                if let Some(ds) = ds {
                    let _ = (ds.name().len(), ds.shape(), ds.rows(), ds.row_len());
                    dsets.push(ds);
                }
            }
            4 | 5 => {
                let Some(ds) = pick(&mut src, &dsets).cloned() else {
                    continue;
                };
                let ty = src.u8();
                let start = match src.u8() % 4 {
                    0 => src.u64() as usize,
                    _ => src.u8() as usize % 8,
                };
                let n = value_count(&mut src, &ds);
                with_type!(ty, T => {
                    let v: Vec<T> = gen_vec(&mut src, n);
                    seen(ds.write_rows(start as u64, &v));
                }, vlen => {
                    let s: Vec<String> = (0..n.min(64)).map(|_| src.string()).collect();
                    seen(ds.write_strings(&s));
                });
            }
            6 => {
                let Some(ds) = pick(&mut src, &dsets).cloned() else {
                    continue;
                };
                let ty = src.u8();
                let n = if src.bool() {
                    ds.shape()
                        .iter()
                        .try_fold(1u64, |a, &d| a.checked_mul(d))
                        .unwrap_or(u64::MAX)
                        .min(4096) as usize
                } else {
                    src.count(4096)
                };
                with_type!(ty, T => {
                    let v: Vec<T> = gen_vec(&mut src, n);
                    seen(ds.write_raw(&v));
                }, vlen => {
                    let s: Vec<String> = (0..n.min(256)).map(|_| src.string()).collect();
                    seen(ds.write_strings(&s));
                });
            }
            7 => {
                let Some(ds) = pick(&mut src, &dsets).cloned() else {
                    continue;
                };
                let ty = src.u8();
                with_type!(ty, T => {
                    let v = T::gen(&mut src);
                    seen(ds.write_scalar(&v));
                }, vlen => {
                    let s = [src.string()];
                    seen(ds.write_strings(&s));
                });
            }
            8 | 9 => {
                let Some(ds) = pick(&mut src, &dsets).cloned() else {
                    continue;
                };
                let ty = src.u8();
                let n = value_count(&mut src, &ds);
                with_type!(ty, T => {
                    let v: Vec<T> = gen_vec(&mut src, n);
                    seen(ds.append_rows(&v));
                }, vlen => {});
            }
            10 => {
                let Some(ds) = pick(&mut src, &dsets).cloned() else {
                    continue;
                };
                let shape = if src.bool() {
                    let mut s = ds.shape();
                    if let Some(d) = s.first_mut() {
                        *d = src.dim();
                    }
                    s
                } else {
                    src.shape()
                };
                if !sparse_mode && declared_bytes(&shape, 64) > MEM_CAP {
                    continue;
                }
                seen(ds.resize(&shape));
            }
            11 => {
                let (Some(b), which) = attr_target(&mut src, &groups, &dsets) else {
                    continue;
                };
                let name = attr_name(&mut src);
                let ty = src.u8();
                let b = match which >> 1 & 3 {
                    0 => b.with_str(&src.string()),
                    1 => {
                        let s: Vec<String> = (0..src.count(300)).map(|_| src.string()).collect();
                        b.with_strings(&s)
                    }
                    2 => {
                        with_type!(ty, T => { let v = T::gen(&mut src); b.with_scalar(&v) }, vlen => b)
                    }
                    _ => with_type!(ty, T => {
                        let n = src.count(20000);
                        let v: Vec<T> = gen_vec(&mut src, n);
                        b.with_data(&v)
                    }, vlen => b),
                };
                if let Some(a) = seen(b.create(&name)) {
                    let _ = (a.name().len(), a.shape().len());
                    attrs.push(a);
                }
            }
            12 => {
                let which = src.u8();
                let name = attr_name(&mut src);
                let shape = src.shape();
                let ty = src.u8();
                let a = if which & 1 == 0 {
                    let Some(g) = pick(&mut src, &groups).cloned() else {
                        continue;
                    };
                    with_type!(ty, T => seen(g.new_attr::<T>().shape(&shape).create(&name)),
                        vlen => seen(g.new_attr::<VarLenUnicode>().shape(&shape).create(&name)))
                } else {
                    let Some(d) = pick(&mut src, &dsets).cloned() else {
                        continue;
                    };
                    with_type!(ty, T => seen(d.new_attr::<T>().shape(&shape).create(&name)),
                        vlen => seen(d.new_attr::<VarLenUnicode>().shape(&shape).create(&name)))
                };
                if let Some(a) = a {
                    attrs.push(a);
                }
            }
            13 => {
                let Some(a) = pick(&mut src, &attrs).cloned() else {
                    continue;
                };
                let ty = src.u8();
                match src.u8() % 4 {
                    0 => with_type!(ty, T => {
                        let n = a.shape().iter().try_fold(1u64, |x, &d| x.checked_mul(d)).unwrap_or(0).min(20000) as usize;
                        let n = if src.bool() { n } else { src.count(20000) };
                        let v: Vec<T> = gen_vec(&mut src, n);
                        seen(a.write(&v));
                    }, vlen => {}),
                    1 => {
                        with_type!(ty, T => { let v = T::gen(&mut src); seen(a.write_scalar(&v)); }, vlen => {})
                    }
                    2 => {
                        seen(a.write_str(&src.string()));
                    }
                    _ => {
                        let s: Vec<String> = (0..src.count(300)).map(|_| src.string()).collect();
                        seen(a.write_strings(&s));
                    }
                }
            }
            14 => {
                if let Some(f) = file.as_ref() {
                    seen(f.flush());
                }
            }
            15 => {
                let Some(g) = pick(&mut src, &groups).cloned() else {
                    continue;
                };
                let p = src.name();
                if src.bool() {
                    if let Some(d) = seen(g.dataset(&p)) {
                        dsets.push(d);
                    }
                } else if let Some(n) = seen(g.group(&p)) {
                    groups.push(n);
                }
                seen(g.member_names());
            }
            16 => {
                // Close (or take the bytes), then keep using the handles.
                if let Some(f) = file.take() {
                    if !sparse_mode && src.bool() {
                        closed_ok = seen(f.into_bytes());
                    } else if seen(f.close()).is_some() && sparse_mode {
                        closed_ok = sparse.to_vec(64 << 20);
                    }
                }
            }
            17 | 28 => {
                if let Some(f) = file.as_ref() {
                    sync_checked(f, &sparse, sparse_mode);
                }
            }
            20 | 21 | 36 => {
                let Some(g) = pick(&mut src, &groups).cloned() else {
                    continue;
                };
                let name = src.name();
                let shape = string_shape(&mut src);
                if !sparse_mode && declared_bytes(&shape, 64) > MEM_CAP {
                    continue;
                }
                if let Some(ds) = create_string_dataset(&mut src, &g, &name, &shape) {
                    let _ = (ds.name().len(), ds.shape(), ds.rows(), ds.row_len());
                    sdsets.push(ds.clone());
                    dsets.push(ds);
                }
            }
            22..=24 | 33 | 34 => {
                let Some(ds) = pick_str(&mut src, &sdsets, &dsets) else {
                    continue;
                };
                let n = string_count(&mut src, &ds);
                let s = vstrings(&mut src, n);
                append_strings_checked(&ds, &s);
            }
            25 | 26 | 35 => {
                let Some(ds) = pick_str(&mut src, &sdsets, &dsets) else {
                    continue;
                };
                // One string per element (the right count), or any count.
                let elems = ds
                    .shape()
                    .iter()
                    .try_fold(1u64, |a, &d| a.checked_mul(d))
                    .unwrap_or(u64::MAX);
                let n = if src.u8() % 4 != 0 && elems <= 1024 {
                    elems as usize
                } else {
                    src.count(64)
                };
                let s = vstrings(&mut src, n);
                seen(ds.write_strings(&s));
            }
            27 => {
                if let Some(f) = file.as_ref() {
                    durable = src.bool();
                    f.set_durable(durable);
                }
            }
            29 => {
                // A storage fault: the write or sync after the next 0–7
                // fails. The file is then poisoned; its store must still
                // hold the last commit, a readable file.
                if sparse_mode {
                    sparse.arm(src.bool(), u32::from(src.u8() % 8));
                }
            }
            30 | 31 => {
                sessions += 1;
                let ty = src.u8();
                if sessions <= 4 {
                    let tag = format!("w{sessions}");
                    with_type!(ty, T => writer_session::<T>(&mut src, sparse_mode, &tag, &mut extra),
                        vlen => {});
                }
            }
            32 => {
                let Some(ds) = pick_str(&mut src, &sdsets, &dsets) else {
                    continue;
                };
                let mut shape = ds.shape();
                match src.u8() % 4 {
                    0 => shape = string_shape(&mut src),
                    1 => {
                        if let Some(d) = shape.first_mut() {
                            *d = d.saturating_sub(u64::from(src.u8() % 4));
                        }
                    }
                    _ => {
                        if let Some(d) = shape.first_mut() {
                            *d = d.saturating_add(u64::from(src.u8() % 8));
                        }
                    }
                }
                if !sparse_mode && declared_bytes(&shape, 64) > MEM_CAP {
                    continue;
                }
                seen(ds.resize(&shape));
            }
            37..=39 => {
                // A burst of appends to one dataset, with commits between
                // some of them: the open heap collection fills across calls
                // and is sealed by each commit.
                let Some(ds) = pick_str(&mut src, &sdsets, &dsets) else {
                    continue;
                };
                for _ in 0..1 + src.u8() % 16 {
                    if src.is_empty() {
                        break;
                    }
                    let n = string_count(&mut src, &ds);
                    let s = vstrings(&mut src, n);
                    append_strings_checked(&ds, &s);
                    match (src.u8() % 8, file.as_ref()) {
                        (0, Some(f)) => {
                            seen(f.flush());
                        }
                        (1, Some(f)) => sync_checked(f, &sparse, sparse_mode),
                        _ => {}
                    }
                }
            }
            _ => {
                // A huge declared dataset, never written: must cost nothing.
                let Some(g) = pick(&mut src, &groups).cloned() else {
                    continue;
                };
                if !sparse_mode {
                    continue;
                }
                let name = src.name();
                let big = [1u64 << 20, 1 << 20, 1 << 10];
                let ty = src.u8();
                with_type!(ty, T => { seen(g.new_dataset::<T>().shape(&big).create(&name)); },
                    vlen => { seen(g.new_dataset::<VarLenUnicode>().shape(&big).create(&name)); });
                if src.bool() {
                    with_type!(ty, T => { seen(g.new_dataset::<T>().shape(&[1u64 << 30, 1 << 20]).resizable().create(&name)); },
                        vlen => {});
                }
            }
        }
        if sparse_mode {
            assert!(
                sparse.pages() <= SPARSE_PAGE_CAP,
                "h5sink wrote {} pages for bounded writes (logical length {})",
                sparse.pages(),
                sparse.logical_len()
            );
            check_durable(&log_before, &sparse.log(), durable_before && durable);
        }
    }
    if let Some(f) = file.take() {
        let log_before = sparse.log();
        if sparse_mode {
            if seen(f.close()).is_some() {
                closed_ok = sparse.to_vec(64 << 20);
            }
            check_durable(&log_before, &sparse.log(), durable);
        } else {
            closed_ok = seen(f.into_bytes());
        }
    }
    if sparse_mode {
        assert!(
            sparse.pages() <= SPARSE_PAGE_CAP,
            "h5sink wrote {} pages",
            sparse.pages()
        );
    }
    // A failed storage call poisons the file: it cannot close Ok. Its store
    // keeps the last commit, which must be a readable file.
    let faults = sparse.log().faults;
    let mut outputs: Outputs = Vec::new();
    if faults > 0 {
        assert!(
            closed_ok.is_none(),
            "the file closed Ok although its storage failed"
        );
        if let Some(bytes) = sparse.to_vec(64 << 20) {
            if !dsets.is_empty() {
                outputs.push(("-poisoned".into(), bytes));
            }
        }
    }
    if let Some(bytes) = closed_ok {
        assert_eq!(
            &bytes[..8],
            b"\x89HDF\r\n\x1a\n",
            "closed file lacks the signature"
        );
        if !dsets.is_empty() {
            outputs.push((String::new(), bytes));
        }
    }
    outputs.append(&mut extra);
    if let Ok(dir) = std::env::var("H5SINK_FUZZ_OUT") {
        let max: usize = std::env::var("H5SINK_FUZZ_OUT_MAX")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2000);
        let h = data.iter().fold(0xcbf29ce484222325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
        });
        for (suffix, bytes) in outputs {
            if WRITTEN.fetch_add(1, Ordering::Relaxed) < max {
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(
                    PathBuf::from(&dir).join(format!("{h:016x}{suffix}.h5")),
                    bytes,
                );
            }
        }
    }
}

// ---------------------------------------------------------- encoders ----

static POOL: Mutex<Vec<&'static Datatype>> = Mutex::new(Vec::new());
const POOL_MAX: usize = 4096;

/// A `&'static` datatype: leaked, but at most `POOL_MAX` are ever made
/// (after that, pool entries are reused), and the pool keeps them
/// reachable, so LeakSanitizer stays quiet.
fn leak(src: &mut Src, dt: Datatype) -> &'static Datatype {
    let mut pool = POOL.lock().unwrap();
    if pool.len() >= POOL_MAX {
        return pool[src.u16() as usize % pool.len()];
    }
    let r: &'static Datatype = Box::leak(Box::new(dt));
    pool.push(r);
    r
}

static NAMES: &[&str] = &[
    "a",
    "b",
    "",
    "x\0y",
    "FALSE",
    "TRUE",
    "é",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];
static SLICES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

fn leak_slice<T: 'static>(v: Vec<T>) -> &'static [T] {
    // Same bound as the pool: count leaked slices, keep them reachable via a
    // static address list (LSan scans statics).
    let mut s = SLICES.lock().unwrap();
    let r: &'static [T] = Box::leak(v.into_boxed_slice());
    s.push(r.as_ptr() as usize);
    r
}

fn slices_full() -> bool {
    SLICES.lock().unwrap().len() >= POOL_MAX
}

/// An arbitrary (often invalid) datatype; composite ones nest pool entries.
pub fn datatype(src: &mut Src, depth: usize) -> Datatype {
    let k = src.u8();
    let composite = depth < 6 && !slices_full();
    match k % 8 {
        0 => Datatype::Int {
            size: src.u8(),
            signed: src.bool(),
        },
        1 => Datatype::Float { size: src.u8() },
        2 => Datatype::VlenUtf8,
        3 => Datatype::Bool,
        4 => Datatype::FixedString {
            size: src.u32(),
            utf8: src.bool(),
        },
        5 if composite => {
            let n = src.count(300);
            let members: Vec<EnumMember> = (0..n)
                .map(|_| EnumMember {
                    name: NAMES[src.u8() as usize % NAMES.len()],
                    value: src.u64() as i64,
                })
                .collect();
            Datatype::Enum {
                size: src.u8(),
                signed: src.bool(),
                members: leak_slice(members),
            }
        }
        6 if composite => {
            let n = src.count(64);
            let mut members = Vec::with_capacity(n);
            for _ in 0..n {
                let name = NAMES[src.u8() as usize % NAMES.len()];
                let offset = if src.bool() {
                    src.u32()
                } else {
                    u32::from(src.u8())
                };
                let dtype = if src.bool() {
                    datatype(src, depth + 1)
                } else {
                    let pool = POOL.lock().unwrap();
                    if pool.is_empty() {
                        Datatype::Bool
                    } else {
                        *pool[src.u16() as usize % pool.len()]
                    }
                };
                members.push(CompoundMember {
                    name,
                    offset,
                    dtype,
                });
            }
            Datatype::Compound {
                size: src.u32(),
                members: leak_slice(members),
            }
        }
        7 if composite => {
            let inner = datatype(src, depth + 1);
            let base = leak(src, inner);
            let dims: Vec<u32> = (0..src.count(40))
                .map(|_| {
                    if src.bool() {
                        src.u32()
                    } else {
                        u32::from(src.u8() % 5)
                    }
                })
                .collect();
            Datatype::Array {
                base,
                dims: leak_slice(dims),
            }
        }
        _ => Datatype::Int {
            size: 4,
            signed: true,
        },
    }
}

fn ok<T>(r: h5sink::Result<T>) -> Option<T> {
    seen(r)
}

fn u64s(src: &mut Src, max: usize) -> Vec<u64> {
    (0..src.count(max)).map(|_| src.dim()).collect()
}

/// Decode one encoder call and run it.
/// One plugin filter over `d`: `apply` never panics, and what it encodes
/// with settings h5sink writes decodes back to `d`; the same chunk damaged
/// (a byte changed, cut short) decodes to `d`'s length or is an error.
fn codec_round_trip(src: &mut Src, d: &[u8]) {
    use h5sink::filters::{apply, unapply};
    let pick = src.u8();
    let f = codec_filters::plugin_filter(pick, src.u32(), src.u32(), src.u32(), d.len());
    let Ok((enc, mask)) = apply(&[f], d) else {
        assert!(
            pick & 0x80 != 0 || d.is_empty() || f.validate().is_err(),
            "{f:?} refused"
        );
        return;
    };
    let back = unapply(&[f], mask, &enc, d.len(), 0);
    if pick & 0x80 == 0 {
        assert_eq!(
            back.ok().as_deref(),
            Some(d),
            "{f:?}: unapply(apply(x)) != x"
        );
    }
    let mut bad = enc;
    if !bad.is_empty() {
        let i = src.u32() as usize % bad.len();
        bad[i] ^= src.u8();
        bad.truncate(src.u32() as usize % (bad.len() + 1));
    }
    if let Ok(out) = unapply(&[f], mask, &bad, d.len(), 0) {
        assert_eq!(
            out.len(),
            d.len(),
            "{f:?}: a damaged chunk decoded to another length"
        );
    }
}

pub fn run_encoders(data: &[u8]) {
    use h5sink::filters;
    use h5sink::format::filter_pipeline::Filter;
    use h5sink::format::*;
    let mut src = Src::new(data);
    let mut n = 0;
    while !src.is_empty() && n < 16 {
        n += 1;
        match src.u8() % 16 {
            0 => {
                let sb = superblock::Superblock {
                    eof: src.u64(),
                    root_object_header: src.u64(),
                    root_btree: src.u64(),
                    root_heap: src.u64(),
                };
                let b = sb.encode();
                assert_eq!(&b[..8], &superblock::SIGNATURE);
            }
            1 => {
                let bodies: Vec<Vec<u8>> = (0..src.count(8))
                    .map(|_| {
                        let len = if src.bool() {
                            src.u32() as usize % 70000
                        } else {
                            src.u8() as usize
                        };
                        vec![src.u8(); len]
                    })
                    .collect();
                let msgs: Vec<object_header::Message> = bodies
                    .iter()
                    .map(|b| object_header::Message {
                        kind: src.u16(),
                        flags: src.u8(),
                        body: b,
                    })
                    .collect();
                let size = ok(object_header::size(&msgs));
                let mut out = Vec::new();
                if ok(object_header::encode(&mut out, &msgs)).is_some() {
                    assert_eq!(
                        Some(out.len() as u64),
                        size,
                        "object header size disagrees with encode"
                    );
                }
            }
            2 => {
                let dims = if src.bool() {
                    u64s(&mut src, 40)
                } else {
                    (0..src.u8() as usize).map(|_| src.u64()).collect()
                };
                ok(dataspace::encode(&dims));
                let max: Vec<Option<u64>> = (0..src.count(40))
                    .map(|_| if src.bool() { None } else { Some(src.dim()) })
                    .collect();
                ok(dataspace::encode_with_max(&dims, &max));
            }
            3 | 4 => {
                let dt = datatype(&mut src, 0);
                let b = dt.encode();
                let _ = (dt.describe(), dt.element_size(), dt.is_supported(), b.len());
            }
            5 => {
                let alloc = [
                    fill_value::AllocTime::Early,
                    fill_value::AllocTime::Late,
                    fill_value::AllocTime::Incremental,
                ][src.u8() as usize % 3];
                let fill = [
                    fill_value::FillTime::OnAlloc,
                    fill_value::FillTime::Never,
                    fill_value::FillTime::IfSet,
                ][src.u8() as usize % 3];
                let _ = fill_value::encode_default(alloc, fill);
                let len = if src.bool() {
                    src.u32() as usize % 70000
                } else {
                    src.u8() as usize
                };
                let v = vec![src.u8(); len];
                ok(fill_value::encode_user(alloc, fill, &v));
                let _ = fill_value::encode_old(&v);
            }
            6 => {
                let _ = layout::contiguous(src.u64(), src.u64());
                let len = if src.bool() {
                    src.u32() as usize % 70000
                } else {
                    src.u8() as usize
                };
                ok(layout::compact(&vec![src.u8(); len]));
                let dims: Vec<u32> = (0..src.count(40)).map(|_| src.u32()).collect();
                let es = src.u32();
                ok(layout::chunked::chunked_v3(src.u64(), &dims, es));
                ok(layout::chunked::chunk_bytes(&dims, es));
            }
            7 => {
                let filters: Vec<Filter> = (0..src.count(40))
                    .map(|_| match src.u8() % 3 {
                        0 => Filter::Deflate {
                            level: if src.bool() {
                                src.u32()
                            } else {
                                u32::from(src.u8() % 11)
                            },
                        },
                        1 => Filter::Shuffle {
                            element_size: if src.bool() {
                                src.u32()
                            } else {
                                u32::from(src.u8())
                            },
                        },
                        _ => Filter::Fletcher32,
                    })
                    .collect();
                for f in &filters {
                    let _ = (f.id(), f.name(), f.is_optional(), f.client_data());
                    ok(f.validate());
                }
                ok(filter_pipeline::validate(&filters));
                ok(filter_pipeline::encode_v1(&filters));
                let chunk = src.bytes(8192);
                if filters.len() <= 8 {
                    ok(filters::apply(&filters, &chunk));
                }
            }
            8 => {
                let shape = u64s(&mut src, 40);
                let es = if src.bool() {
                    src.u64()
                } else {
                    u64::from(src.u8())
                };
                if let Some(c) = ok(filters::guess_chunk(&shape, es)) {
                    assert_eq!(c.len(), shape.len());
                }
            }
            9 => {
                let d = src.bytes(8192);
                let es = if src.bool() {
                    src.u32() as usize
                } else {
                    src.u8() as usize
                };
                let s = filters::shuffle(&d, es);
                assert_eq!(s.len(), d.len());
                if es > 0 {
                    assert_eq!(
                        filters::shuffle::unshuffle(&s, es),
                        d,
                        "unshuffle(shuffle(x)) != x"
                    );
                }
                let _ = filters::fletcher32(&d);
                let c = filters::fletcher32::append_checksum(&d);
                assert_eq!(c.len(), d.len() + 4);
                let _ = filters::deflate(&d, src.u8());
                codec_round_trip(&mut src, &d);
            }
            10 => {
                let rank = src.count(40);
                let chunk_dims: Vec<u64> = (0..=rank).map(|_| src.dim()).collect();
                let n = src.count(300);
                let mut entries = Vec::new();
                let mut off = vec![0u64; rank];
                for _ in 0..n {
                    if rank > 0 && src.bool() {
                        let i = src.u8() as usize % rank;
                        off[i] = off[i]
                            .wrapping_add(chunk_dims[i].wrapping_mul(u64::from(src.u8() % 3)));
                    }
                    entries.push(btree::chunk::ChunkEntry {
                        offset: if src.u8() == 255 {
                            u64s(&mut src, 40)
                        } else {
                            off.clone()
                        },
                        size: src.u32(),
                        filter_mask: src.u32(),
                        address: src.u64(),
                    });
                }
                let levels = btree::chunk::plan_levels(entries.len());
                let mut next = src.u64() % (1 << 40);
                let mut addrs: Vec<Vec<u64>> = levels
                    .iter()
                    .map(|&k| {
                        (0..k)
                            .map(|_| {
                                next += 4096;
                                next
                            })
                            .collect()
                    })
                    .collect();
                if src.u8() == 0 {
                    addrs.pop();
                }
                let _ = btree::chunk::node_size(rank);
                let mut out = Vec::new();
                ok(btree::chunk::encode_tree(
                    &entries,
                    &chunk_dims,
                    &addrs,
                    &mut out,
                ));
            }
            11 => {
                let mut heap = local_heap::LocalHeap::new();
                for _ in 0..src.count(300) {
                    let b = src.bytes(300);
                    let _ = heap.add(&b);
                }
                let _ = heap.size();
                let mut out = Vec::new();
                ok(heap.encode(src.u64(), &mut out));
            }
            12 => {
                let k = src.u16();
                let _ = btree::group::group_node_size(k);
                let nk = src.count(100);
                let keys: Vec<u64> = (0..nk).map(|_| src.u64()).collect();
                let children: Vec<u64> = (0..src.count(100)).map(|_| src.u64()).collect();
                let mut out = Vec::new();
                ok(btree::group::encode_group_node(
                    &mut out,
                    k % 64,
                    src.u8(),
                    src.u64(),
                    src.u64(),
                    &keys,
                    &children,
                ));
            }
            13 => {
                let leaf_k = src.u16() % 64;
                let _ = snod::node_size(leaf_k);
                let entries: Vec<snod::Entry> = (0..src.count(200))
                    .map(|_| snod::Entry {
                        name_offset: src.u64(),
                        object_header: src.u64(),
                        cache: if src.bool() {
                            snod::Cache::None
                        } else {
                            snod::Cache::Group {
                                btree: src.u64(),
                                heap: src.u64(),
                            }
                        },
                    })
                    .collect();
                let mut out = Vec::new();
                if let Some(e) = entries.first() {
                    snod::encode_entry(&mut out, e);
                    assert_eq!(out.len() as u64, snod::ENTRY_SIZE);
                }
                out.clear();
                ok(snod::encode_node(&mut out, leaf_k, &entries));
                let _ = symbol_table::encode(src.u64(), src.u64());
            }
            14 => {
                let lens: Vec<u64> = (0..src.count(3000))
                    .map(|_| match src.u8() % 4 {
                        0 => src.u64(),
                        1 => u64::from(src.u16()),
                        _ => u64::from(src.u8()),
                    })
                    .collect();
                if let Some(plans) = ok(global_heap::pack(&lens)) {
                    for p in plans.iter().take(4) {
                        if lens[p.first..p.first + p.count].iter().all(|&l| l <= 65536) {
                            let objs: Vec<Vec<u8>> = lens[p.first..p.first + p.count]
                                .iter()
                                .map(|&l| vec![7u8; l as usize])
                                .collect();
                            let refs: Vec<&[u8]> = objs.iter().map(|o| o.as_slice()).collect();
                            let mut out = Vec::new();
                            if ok(global_heap::encode(&mut out, p, &refs)).is_some() {
                                assert_eq!(
                                    out.len() as u64,
                                    p.size,
                                    "collection size differs from its plan"
                                );
                            }
                        }
                    }
                }
                let bogus = global_heap::CollectionPlan {
                    size: src.u64() % (1 << 20),
                    first: 0,
                    count: src.count(10),
                };
                let objs: Vec<Vec<u8>> = (0..src.count(10)).map(|_| src.bytes(5000)).collect();
                let refs: Vec<&[u8]> = objs.iter().map(|o| o.as_slice()).collect();
                ok(global_heap::encode(&mut Vec::new(), &bogus, &refs));
                let _ = global_heap::vlen_ref(src.u32(), src.u64(), src.u32());
            }
            _ => {
                let name = if src.bool() {
                    NAMES[src.u8() as usize % NAMES.len()].to_string()
                } else {
                    src.name()
                };
                let dt = datatype(&mut src, 0).encode();
                let ds = ok(dataspace::encode(&u64s(&mut src, 40))).unwrap_or_default();
                let len = if src.bool() {
                    src.u32() as usize % 70000
                } else {
                    src.u8() as usize
                };
                let d = vec![src.u8(); len];
                ok(attribute::encode(&name, &dt, &ds, &d));
            }
        }
    }
}
