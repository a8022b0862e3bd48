//! Property test: random FILES, checked for their exact contents by real
//! readers.
//!
//! Every case is a random tree of groups, datasets and attributes written
//! with h5sink, described by a manifest of what it must hold
//! (`tests/common` `Manifest`), and all files of a run are checked by ONE
//! `check.py` run (h5py, pyfive, the JS readers, h5dump and the h5py twin).
//!
//! What a case may hold: every element type (u8..f64, bool, f16 with the
//! `half` feature, `FixedAscii<N>`, `FixedUnicode<N>`, vlen strings with
//! empty and non-ASCII values, enums and compounds declared once below, a
//! compound with an array member and a nested compound), ranks 0 to 4,
//! zero-length dimensions, contiguous, compact, chunked (random chunk shape,
//! shuffle / deflate / fletcher32) and resizable datasets grown with
//! `append_rows` and `resize`, user fill values, attributes of every type
//! and rank 0..2 on the root, groups and datasets. Rows are written in
//! slabs of random size: in shuffled order for contiguous and compact
//! datasets, some slabs never written; in increasing order for chunked
//! datasets (h5sink refuses writes into a chunk it already compressed and
//! wrote), the written rows then a prefix. Vlen string datasets take every
//! layout too: contiguous, compact and chunked ones are written whole with
//! `write_strings` (or never); resizable ones are written whole at their
//! creation size (or created empty), grown by `append_strings` slabs and
//! maybe finally `resize`d past the rows written, with the same random
//! filters, `resizable()` or an explicit `max_shape` (unlimited or bounded).
//! Writes to all datasets, attribute creation and `flush()` calls are
//! interleaved at random.
//!
//! Reproducing: every case derives from a u64 case seed, which derives from
//! the run seed and the case index. The run seed is fixed
//! (`DEFAULT_SEED`) unless `H5SINK_PROPTEST_SEED` is set (decimal or 0x
//! hex); the test prints it. Environment:
//!
//! - `H5SINK_PROPTEST_SEED=<u64>`: the run seed;
//! - `H5SINK_PROPTEST_CASES=<n>`: how many cases (default 320);
//! - `H5SINK_PROPTEST_CASE=<i>`: run only case `i` of that seed (its file
//!   is `target/oracle-out/proptest_files/case<i>.h5`, manifest beside it).
//!
//! A failing scenario in the check.py output is named `case<i>` (i = case
//! index); rerun it alone with
//! `H5SINK_PROPTEST_SEED=<seed> H5SINK_PROPTEST_CASE=<i> cargo test --release
//! --all-features --test proptest_files -- --nocapture`.

mod common;

use common::{ramp_u64, Data, Dtype, Json, Manifest, Ramp};
use h5sink::{
    Dataset, DatasetBuilder, Element, File, FixedAscii, FixedUnicode, Group, H5Type, VarLenUnicode,
};
use proptest::prelude::Rng as _;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::Path;

const DEFAULT_SEED: u64 = 0x5EED_F11E_2026_1128;
const DEFAULT_CASES: u64 = 320;

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Color: u8 { Red = 0, Green = 1, Blue = 42 }
}

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Level: i16 { Low = -300, Mid = 0, High = 300 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    struct Point { x: f32, y: f32, label: i64 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    struct Det { score: f64, bbox: [f32; 3], cls: u16 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    struct Track { id: u32, at: Point, flag: bool }
}

// ------------------------------------------------------------ element types

/// Ramp leaves of one element: leaf j of element i is `ramp_u64(i * L + j)`.
struct Leaves {
    k: u64,
    seed: u64,
}

impl Leaves {
    fn of(i: u64, leaves: u64, seed: u64) -> Self {
        Leaves {
            k: i.wrapping_mul(leaves),
            seed,
        }
    }
    fn next(&mut self) -> u64 {
        let x = ramp_u64(self.k, self.seed);
        self.k += 1;
        x
    }
}

/// An element type the generator knows: its manifest dtype, how element i
/// is generated from its ramp leaves (exactly `common::ramp_bytes` for
/// rampable types) and its JSON for `Data::Values` / fill values.
trait Gen: Element + Copy + 'static {
    const RAMP: bool = true;
    const LEAVES: u64 = 1;
    fn dtype() -> Dtype;
    fn gen(l: &mut Leaves) -> Self;
    fn json(&self) -> Json;
    /// What an element never written reads as without a fill value.
    fn zero() -> Self;
}

macro_rules! gen_int {
    ($($t:ty),*) => {$(
        impl Gen for $t {
            fn dtype() -> Dtype { Dtype::Named(<$t as Ramp>::DTYPE) }
            fn gen(l: &mut Leaves) -> Self { <$t as Ramp>::ramp(l.next()) }
            fn json(&self) -> Json { Json::Int(i128::from(*self)) }
            fn zero() -> Self { 0 }
        }
    )*};
}
gen_int!(u8, i8, u16, i16, u32, i32, u64, i64);

macro_rules! gen_float {
    ($($t:ty),*) => {$(
        impl Gen for $t {
            fn dtype() -> Dtype { Dtype::Named(<$t as Ramp>::DTYPE) }
            fn gen(l: &mut Leaves) -> Self { <$t as Ramp>::ramp(l.next()) }
            fn json(&self) -> Json { Json::Num(f64::from(*self)) }
            fn zero() -> Self { 0.0 }
        }
    )*};
}
gen_float!(f32, f64);

impl Gen for bool {
    fn dtype() -> Dtype {
        Dtype::Named("bool")
    }
    fn gen(l: &mut Leaves) -> Self {
        <bool as Ramp>::ramp(l.next())
    }
    fn json(&self) -> Json {
        Json::Bool(*self)
    }
    fn zero() -> Self {
        false
    }
}

#[cfg(feature = "half")]
impl Gen for half::f16 {
    fn dtype() -> Dtype {
        Dtype::Named("f16")
    }
    fn gen(l: &mut Leaves) -> Self {
        half::f16::from_f64((l.next() % common::RAMP_F16_MOD) as f64 * 0.5 - 500.0)
    }
    fn json(&self) -> Json {
        Json::Num(self.to_f64())
    }
    fn zero() -> Self {
        half::f16::from_f64(0.0)
    }
}

impl Gen for Color {
    fn dtype() -> Dtype {
        Dtype::enumeration("u8", &[("Red", 0), ("Green", 1), ("Blue", 42)])
    }
    fn gen(l: &mut Leaves) -> Self {
        [Color::Red, Color::Green, Color::Blue][(l.next() % 3) as usize]
    }
    fn json(&self) -> Json {
        Json::Int(*self as u8 as i128)
    }
    fn zero() -> Self {
        Color::Red
    }
}

impl Gen for Level {
    fn dtype() -> Dtype {
        Dtype::enumeration("i16", &[("Low", -300), ("Mid", 0), ("High", 300)])
    }
    fn gen(l: &mut Leaves) -> Self {
        [Level::Low, Level::Mid, Level::High][(l.next() % 3) as usize]
    }
    fn json(&self) -> Json {
        // By name half of the time: check.py accepts both.
        match self {
            Level::Low => Json::Int(-300),
            Level::Mid => Json::Str("Mid".into()),
            Level::High => Json::Int(300),
        }
    }
    fn zero() -> Self {
        Level::Mid
    }
}

impl Gen for Point {
    const LEAVES: u64 = 3;
    fn dtype() -> Dtype {
        Dtype::compound(&[
            ("x", "f32".into()),
            ("y", "f32".into()),
            ("label", "i64".into()),
        ])
    }
    fn gen(l: &mut Leaves) -> Self {
        Point {
            x: f32::gen(l),
            y: f32::gen(l),
            label: i64::gen(l),
        }
    }
    fn json(&self) -> Json {
        Json::Arr(vec![self.x.json(), self.y.json(), self.label.json()])
    }
    fn zero() -> Self {
        Point {
            x: 0.0,
            y: 0.0,
            label: 0,
        }
    }
}

impl Gen for Det {
    const LEAVES: u64 = 5;
    fn dtype() -> Dtype {
        Dtype::compound(&[
            ("score", "f64".into()),
            ("bbox", Dtype::array("f32", &[3])),
            ("cls", "u16".into()),
        ])
    }
    fn gen(l: &mut Leaves) -> Self {
        Det {
            score: f64::gen(l),
            bbox: [f32::gen(l), f32::gen(l), f32::gen(l)],
            cls: u16::gen(l),
        }
    }
    fn json(&self) -> Json {
        Json::Arr(vec![
            self.score.json(),
            Json::Arr(self.bbox.iter().map(Gen::json).collect()),
            self.cls.json(),
        ])
    }
    fn zero() -> Self {
        Det {
            score: 0.0,
            bbox: [0.0; 3],
            cls: 0,
        }
    }
}

impl Gen for Track {
    const LEAVES: u64 = 5;
    fn dtype() -> Dtype {
        Dtype::compound(&[
            ("id", "u32".into()),
            ("at", Point::dtype()),
            ("flag", "bool".into()),
        ])
    }
    fn gen(l: &mut Leaves) -> Self {
        Track {
            id: u32::gen(l),
            at: Point::gen(l),
            flag: bool::gen(l),
        }
    }
    fn json(&self) -> Json {
        Json::Arr(vec![self.id.json(), self.at.json(), self.flag.json()])
    }
    fn zero() -> Self {
        Track {
            id: 0,
            at: Point::zero(),
            flag: false,
        }
    }
}

/// Strings the string types draw from: empty, ASCII, non-ASCII, control
/// characters, quotes, a long one (no NUL: h5py cannot write it).
const STRINGS: &[&str] = &[
    "",
    "a",
    "hello world",
    "ü",
    "Grüße, Welt",
    "日本語のテキスト",
    "🦀🦀",
    "tab\tand\nnewline",
    "quote\" back\\slash",
    "0123456789abcdefghijklmnopqrstuvwxyz",
    "ÿ",
    "x",
];

/// `s` cut to at most `n` bytes at a character boundary (ASCII only: the
/// non-ASCII characters dropped).
fn fit(s: &str, n: usize, ascii: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if ascii && !c.is_ascii() {
            continue;
        }
        if out.len() + c.len_utf8() > n {
            break;
        }
        out.push(c);
    }
    out
}

fn pick_string(x: u64) -> &'static str {
    STRINGS[(x % STRINGS.len() as u64) as usize]
}

fn long_string(x: u64) -> String {
    // Now and then a long string, spanning heap objects well over 100 bytes.
    if x % 13 == 0 {
        "long ✓ ".repeat(40 + (x % 50) as usize)
    } else {
        pick_string(x / 13).to_string()
    }
}

impl<const N: usize> Gen for FixedAscii<N> {
    const RAMP: bool = false;
    fn dtype() -> Dtype {
        Dtype::FixedAscii(N as u32)
    }
    fn gen(l: &mut Leaves) -> Self {
        FixedAscii::new(&fit(pick_string(l.next()), N, true)).unwrap()
    }
    fn json(&self) -> Json {
        Json::Str(String::from_utf8(self.as_bytes().to_vec()).unwrap())
    }
    fn zero() -> Self {
        FixedAscii::new("").unwrap()
    }
}

impl<const N: usize> Gen for FixedUnicode<N> {
    const RAMP: bool = false;
    fn dtype() -> Dtype {
        Dtype::FixedUtf8(N as u32)
    }
    fn gen(l: &mut Leaves) -> Self {
        FixedUnicode::new(&fit(pick_string(l.next()), N, false)).unwrap()
    }
    fn json(&self) -> Json {
        Json::Str(String::from_utf8(self.as_bytes().to_vec()).unwrap())
    }
    fn zero() -> Self {
        FixedUnicode::new("").unwrap()
    }
}

/// Type-erased element type of a dataset or attribute.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ty {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F32,
    F64,
    Bool,
    #[cfg(feature = "half")]
    F16,
    A1,
    A7,
    U12,
    Vlen,
    Color,
    Level,
    Point,
    Det,
    Track,
}

const TYS: &[Ty] = &[
    Ty::U8,
    Ty::I8,
    Ty::U16,
    Ty::I16,
    Ty::U32,
    Ty::I32,
    Ty::U64,
    Ty::I64,
    Ty::F32,
    Ty::F64,
    Ty::Bool,
    #[cfg(feature = "half")]
    Ty::F16,
    Ty::A1,
    Ty::A7,
    Ty::U12,
    Ty::Vlen,
    Ty::Vlen,
    Ty::Color,
    Ty::Level,
    Ty::Point,
    Ty::Det,
    Ty::Track,
];

/// Calls `$f::<T>($args)` for the Rust type of `$ty` (not `Ty::Vlen`).
macro_rules! dispatch {
    ($ty:expr, $f:ident ( $($arg:expr),* )) => {
        match $ty {
            Ty::U8 => $f::<u8>($($arg),*),
            Ty::I8 => $f::<i8>($($arg),*),
            Ty::U16 => $f::<u16>($($arg),*),
            Ty::I16 => $f::<i16>($($arg),*),
            Ty::U32 => $f::<u32>($($arg),*),
            Ty::I32 => $f::<i32>($($arg),*),
            Ty::U64 => $f::<u64>($($arg),*),
            Ty::I64 => $f::<i64>($($arg),*),
            Ty::F32 => $f::<f32>($($arg),*),
            Ty::F64 => $f::<f64>($($arg),*),
            Ty::Bool => $f::<bool>($($arg),*),
            #[cfg(feature = "half")]
            Ty::F16 => $f::<half::f16>($($arg),*),
            Ty::A1 => $f::<FixedAscii<1>>($($arg),*),
            Ty::A7 => $f::<FixedAscii<7>>($($arg),*),
            Ty::U12 => $f::<FixedUnicode<12>>($($arg),*),
            Ty::Color => $f::<Color>($($arg),*),
            Ty::Level => $f::<Level>($($arg),*),
            Ty::Point => $f::<Point>($($arg),*),
            Ty::Det => $f::<Det>($($arg),*),
            Ty::Track => $f::<Track>($($arg),*),
            Ty::Vlen => unreachable!("vlen strings are handled apart"),
        }
    };
}

/// Element `i` of data `seed`.
fn element<T: Gen>(i: u64, seed: u64) -> T {
    T::gen(&mut Leaves::of(i, T::LEAVES, seed))
}

fn elements<T: Gen>(n: u64, seed: u64) -> Vec<T> {
    (0..n).map(|i| element(i, seed)).collect()
}

fn vlen_strings(n: u64, seed: u64) -> Vec<String> {
    (0..n).map(|i| long_string(ramp_u64(i, seed))).collect()
}

// ------------------------------------------------------------ random source

/// Draws from proptest's `TestRunner` RNG (ChaCha, seeded by the case seed).
struct Rng(TestRunner);

impl Rng {
    fn new(case_seed: u64) -> Self {
        let mut bytes = [0u8; 32];
        for (k, b) in bytes.chunks_mut(8).enumerate() {
            b.copy_from_slice(&splitmix(case_seed ^ (k as u64).wrapping_mul(0xA5A5)).to_le_bytes());
        }
        Rng(TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
        ))
    }
    fn u64(&mut self) -> u64 {
        self.0.rng().next_u64()
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.u64() % n
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    /// True with probability `pct` percent.
    fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn case_seed(run_seed: u64, index: u64) -> u64 {
    splitmix(run_seed ^ splitmix(index))
}

// ------------------------------------------------------------ case plans

#[derive(Clone, Copy, Debug, PartialEq)]
enum Layout {
    Contiguous,
    Compact,
    Chunked,
    Resizable,
}

/// One write to a dataset (row ranges `[a, b)` of the first dimension).
#[derive(Clone, Debug)]
enum Step {
    Rows(u64, u64),
    Raw,
    Scalar,
    Append(u64, u64),
    Resize(u64),
    Strings,
}

#[derive(Clone, Debug)]
struct DsSpec {
    ty: Ty,
    layout: Layout,
    /// Final shape.
    shape: Vec<u64>,
    /// Resizable: rows at creation.
    init_rows: u64,
    /// Resizable: `None` for `resizable()`, else `max_shape` with this first
    /// maximum (`None`: unlimited) and the other dimensions fixed.
    max_rows: Option<Option<u64>>,
    chunk: Option<Vec<u64>>,
    shuffle: bool,
    deflate: Option<u8>,
    fletcher32: bool,
    /// Seed of the user fill value, if any.
    fill: Option<u64>,
    seed: u64,
    /// In the order they run.
    steps: Vec<Step>,
    /// Per row (one entry for a scalar): written?
    written: Vec<bool>,
}

fn rows_of(shape: &[u64]) -> u64 {
    shape.first().copied().unwrap_or(1)
}

/// Cut `[0, rows)` into slabs of random sizes.
fn slabs(rng: &mut Rng, rows: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut a = 0;
    let max = if rng.pct(30) { rows.max(1) } else { 3 };
    while a < rows {
        let b = (a + rng.range(1, max)).min(rows);
        out.push((a, b));
        a = b;
    }
    out
}

fn gen_dims(rng: &mut Rng, rank: usize, zero_ok: bool) -> Vec<u64> {
    let max = [1, 12, 6, 4, 3][rank];
    (0..rank)
        .map(|_| {
            if zero_ok && rng.pct(8) {
                0
            } else {
                rng.range(1, max)
            }
        })
        .collect()
}

fn gen_dataset(rng: &mut Rng) -> DsSpec {
    let ty = rng.pick(TYS);
    let layout = if ty == Ty::Vlen {
        // Compact string datasets keep their heap references in the header
        // (they once lost them: every element read back as NULL). Chunked
        // ones keep them in (filtered) chunks, resizable ones get them by
        // `append_strings`.
        match rng.below(100) {
            0..=11 => Layout::Compact,
            12..=49 => Layout::Contiguous,
            50..=74 => Layout::Chunked,
            _ => Layout::Resizable,
        }
    } else {
        match rng.below(10) {
            0..=2 => Layout::Contiguous,
            3 => Layout::Compact,
            4..=7 => Layout::Chunked,
            _ => Layout::Resizable,
        }
    };
    let mut spec = DsSpec {
        ty,
        layout,
        shape: Vec::new(),
        init_rows: 0,
        max_rows: None,
        chunk: None,
        shuffle: false,
        deflate: None,
        fletcher32: false,
        fill: None,
        seed: rng.u64(),
        steps: Vec::new(),
        written: Vec::new(),
    };
    if ty != Ty::Vlen && rng.pct(35) {
        spec.fill = Some(rng.u64());
    }
    match layout {
        Layout::Contiguous | Layout::Compact => {
            let rank = rng.below(5) as usize;
            spec.shape = gen_dims(rng, rank, true);
            if ty == Ty::Vlen {
                // Written whole, or (rarely) never.
                let w = rng.pct(92);
                spec.written = vec![w; rows_of(&spec.shape) as usize];
                if w {
                    spec.steps.push(Step::Strings);
                }
            } else if rank == 0 {
                let w = rng.pct(85);
                spec.written = vec![w];
                if w {
                    spec.steps
                        .push(if rng.pct(50) { Step::Scalar } else { Step::Raw });
                }
            } else {
                let rows = spec.shape[0];
                spec.written = vec![false; rows as usize];
                if rng.pct(15) {
                    spec.steps.push(Step::Raw);
                    spec.written.iter_mut().for_each(|w| *w = true);
                } else {
                    let mut s = slabs(rng, rows);
                    rng.shuffle(&mut s);
                    let skip = if rng.pct(50) { 0 } else { 25 };
                    for (a, b) in s {
                        if rng.pct(skip) {
                            continue;
                        }
                        spec.written[a as usize..b as usize]
                            .iter_mut()
                            .for_each(|w| *w = true);
                        spec.steps.push(Step::Rows(a, b));
                    }
                }
            }
        }
        Layout::Chunked => {
            let rank = rng.range(1, 4) as usize;
            spec.shape = gen_dims(rng, rank, false);
            spec.chunk = Some(spec.shape.iter().map(|&d| rng.range(1, d)).collect());
            let rows = spec.shape[0];
            if ty == Ty::Vlen {
                // `write_strings` writes every chunk once: whole, or never.
                let w = rng.pct(90);
                spec.written = vec![w; rows as usize];
                if w {
                    spec.steps.push(Step::Strings);
                }
                return with_filters(rng, spec);
            }
            let k = if rng.pct(60) {
                rows
            } else {
                rng.range(0, rows)
            };
            for (a, b) in slabs(rng, k) {
                spec.steps.push(Step::Rows(a, b));
            }
            spec.written = (0..rows).map(|r| r < k).collect();
        }
        Layout::Resizable => {
            let rank = rng.range(1, 3) as usize;
            let rest = gen_dims(rng, rank - 1, false);
            spec.init_rows = if rng.pct(50) { 0 } else { rng.range(1, 3) };
            let appended = rng.range(0, 10);
            let extra = if rng.pct(30) { rng.range(1, 3) } else { 0 };
            let mut chunk = vec![rng.range(1, 4)];
            chunk.extend(rest.iter().map(|&d| rng.range(1, d)));
            spec.chunk = Some(chunk);
            if ty == Ty::Vlen {
                // Strings at creation are written whole (`write_strings` on
                // the initial shape), then appended in whole rows.
                if spec.init_rows > 0 {
                    spec.steps.push(Step::Strings);
                }
            } else {
                for (a, b) in slabs(rng, spec.init_rows) {
                    spec.steps.push(Step::Rows(a, b));
                }
            }
            for (a, b) in slabs(rng, appended) {
                spec.steps
                    .push(Step::Append(spec.init_rows + a, spec.init_rows + b));
            }
            let k = spec.init_rows + appended;
            if extra > 0 {
                spec.steps.push(Step::Resize(k + extra));
            }
            if ty == Ty::Vlen && rng.pct(50) {
                // A bounded maximum holds the final rows and a whole chunk.
                let least = (k + extra).max(spec.chunk.as_ref().map_or(1, |c| c[0]));
                spec.max_rows = Some(if rng.pct(50) {
                    None
                } else {
                    Some(least + rng.range(0, 2))
                });
            }
            spec.shape = std::iter::once(k + extra).chain(rest).collect();
            spec.written = (0..k + extra).map(|r| r < k).collect();
        }
    }
    with_filters(rng, spec)
}

/// The random filters of a chunked dataset.
fn with_filters(rng: &mut Rng, mut spec: DsSpec) -> DsSpec {
    if spec.chunk.is_some() {
        spec.shuffle = rng.pct(30);
        if rng.pct(45) {
            spec.deflate = Some(rng.range(0, 9) as u8);
        }
        // Not on vlen strings: libhdf5 (HDF5 2.0, h5py 3.16) refuses to
        // create them with fletcher32 ("not suitable for filters":
        // H5Z_ignore_filters allows only optional filters on
        // variable-length types, and fletcher32 is mandatory), so no h5py
        // twin can be written. h5sink writes them, and libhdf5 reads them.
        spec.fletcher32 = rng.pct(30) && spec.ty != Ty::Vlen;
    }
    spec
}

#[derive(Clone, Debug)]
struct AttrSpec {
    ty: Ty,
    shape: Vec<u64>,
    seed: u64,
    /// Use the `new_attr_builder().with_*` form where it can express the shape.
    builder: bool,
}

fn gen_attr(rng: &mut Rng) -> AttrSpec {
    let rank = rng.pick(&[0usize, 0, 1, 1, 2]);
    AttrSpec {
        ty: rng.pick(TYS),
        shape: gen_dims(rng, rank, true),
        seed: rng.u64(),
        builder: rng.pct(50),
    }
}

const NAMES: &[&str] = &[
    "a",
    "data",
    "x y",
    "grüße",
    "数据",
    "UPPER",
    "dot.ted",
    "under_score",
    "n",
];

fn gen_name(rng: &mut Rng, k: usize) -> String {
    format!("{}{k}", rng.pick(NAMES))
}

// ------------------------------------------------------------ writing

type R<T> = Result<T, Box<dyn std::error::Error>>;

/// A dataset being written: runs its steps.
trait Plan {
    fn step(&self, s: &Step) -> h5sink::Result<()>;
}

struct Typed<T> {
    ds: Dataset,
    all: Vec<T>,
    row_len: usize,
    rest: Vec<u64>,
}

impl<T: Gen> Plan for Typed<T> {
    fn step(&self, s: &Step) -> h5sink::Result<()> {
        let l = self.row_len;
        match *s {
            Step::Rows(a, b) => self
                .ds
                .write_rows(a, &self.all[a as usize * l..b as usize * l]),
            Step::Raw => self.ds.write_raw(&self.all),
            Step::Scalar => self.ds.write_scalar(&self.all[0]),
            Step::Append(a, b) => {
                let start = self
                    .ds
                    .append_rows(&self.all[a as usize * l..b as usize * l])?;
                assert_eq!(start, a, "append_rows returned the wrong first row");
                Ok(())
            }
            Step::Resize(rows) => self.ds.resize(&with_rows(rows, &self.rest)),
            Step::Strings => unreachable!(),
        }
    }
}

/// The shape of `rows` rows of the other dimensions `rest`.
fn with_rows(rows: u64, rest: &[u64]) -> Vec<u64> {
    std::iter::once(rows).chain(rest.iter().copied()).collect()
}

struct Vlen {
    ds: Dataset,
    all: Vec<String>,
    /// Strings at creation: what `Step::Strings` writes.
    init: usize,
    row_len: usize,
    rest: Vec<u64>,
}

impl Plan for Vlen {
    fn step(&self, s: &Step) -> h5sink::Result<()> {
        let l = self.row_len;
        match *s {
            Step::Strings => self.ds.write_strings(&self.all[..self.init]),
            Step::Append(a, b) => {
                let start = self
                    .ds
                    .append_strings(&self.all[a as usize * l..b as usize * l])?;
                assert_eq!(start, a, "append_strings returned the wrong first row");
                Ok(())
            }
            Step::Resize(rows) => self.ds.resize(&with_rows(rows, &self.rest)),
            ref other => unreachable!("{other:?} on a vlen dataset"),
        }
    }
}

/// What the manifest says a non-vlen dataset holds.
fn dataset_data<T: Gen>(spec: &DsSpec, all: &[T], fill: Option<&T>) -> Data {
    let rows = spec.written.len() as u64;
    let n: u64 = spec.shape.iter().product();
    let row_len = if spec.shape.is_empty() {
        1
    } else {
        n / rows.max(1)
    };
    let k = spec.written.iter().take_while(|&&w| w).count() as u64;
    let prefix = spec.written[k as usize..].iter().all(|&w| !w);
    let chunked = spec.chunk.is_some();
    if k == rows && T::RAMP {
        return Data::Ramp { seed: spec.seed };
    }
    if k == rows || (!chunked && !prefix) || (!chunked && k == 0) {
        // Every element listed; never-written ones as the fill value.
        let unwritten = fill.copied().unwrap_or_else(T::zero).json();
        let values = (0..n)
            .map(|i| {
                let row = if spec.shape.is_empty() {
                    0
                } else {
                    i / row_len.max(1)
                };
                if spec.written[row as usize] {
                    all[i as usize].json()
                } else {
                    unwritten.clone()
                }
            })
            .collect();
        return Data::Values(values);
    }
    assert!(
        prefix,
        "chunked datasets are written in increasing row order"
    );
    if T::RAMP {
        Data::RampRows {
            seed: spec.seed,
            rows_written: k,
        }
    } else {
        Data::ValuesRows {
            values: all[..(k * row_len) as usize]
                .iter()
                .map(Gen::json)
                .collect(),
            rows_written: k,
        }
    }
}

fn create_typed<T: Gen>(
    g: &Group,
    name: &str,
    path: &str,
    spec: &DsSpec,
    m: &mut Manifest,
) -> R<Box<dyn Plan>> {
    let n: u64 = spec.shape.iter().product();
    let all: Vec<T> = elements(n, spec.seed);
    let fill: Option<T> = spec.fill.map(|s| element(0, s));
    let mut b = with_storage(g.new_dataset::<T>(), spec);
    if let Some(f) = fill {
        b = b.fill_value(f);
    }
    let ds = b.create(name)?;
    m.dataset(
        path,
        T::dtype(),
        &spec.shape,
        dataset_data(spec, &all, fill.as_ref()),
    );
    if let Some(f) = &fill {
        m.fill_value(f.json());
    }
    storage_manifest(spec, m);
    Ok(Box::new(Typed {
        ds,
        all,
        row_len: row_len(spec),
        rest: spec.shape.get(1..).unwrap_or(&[]).to_vec(),
    }))
}

/// Elements per row (1 for a scalar).
fn row_len(spec: &DsSpec) -> usize {
    spec.shape.get(1..).unwrap_or(&[]).iter().product::<u64>() as usize
}

/// The maximum shape of a resizable dataset.
fn max_shape(spec: &DsSpec) -> Vec<Option<u64>> {
    std::iter::once(spec.max_rows.flatten())
        .chain(spec.shape[1..].iter().map(|&d| Some(d)))
        .collect()
}

/// `b` with the shape at creation, layout and filters of `spec`.
fn with_storage<T: H5Type>(mut b: DatasetBuilder<T>, spec: &DsSpec) -> DatasetBuilder<T> {
    b = if spec.layout == Layout::Resizable {
        let mut init = spec.shape.clone();
        init[0] = spec.init_rows;
        b = b.shape(&init);
        match spec.max_rows {
            None => b.resizable(),
            Some(_) => b.max_shape(&max_shape(spec)),
        }
    } else {
        b.shape(&spec.shape)
    };
    if spec.layout == Layout::Compact {
        b = b.compact();
    }
    if let Some(c) = &spec.chunk {
        b = b.chunk(c);
    }
    if spec.shuffle {
        b = b.shuffle();
    }
    if let Some(level) = spec.deflate {
        b = b.deflate(level);
    }
    if spec.fletcher32 {
        b = b.fletcher32();
    }
    b
}

/// The layout and filters of `spec` in the manifest's dataset added last.
fn storage_manifest(spec: &DsSpec, m: &mut Manifest) {
    if spec.layout == Layout::Compact && spec.shape.is_empty() {
        // The twin cannot express it: libhdf5 gives a scalar dataset
        // created with a COMPACT dcpl the contiguous layout (vlen strings
        // too).
        m.no_twin();
    }
    if spec.layout == Layout::Compact {
        m.compact();
    }
    if let Some(c) = &spec.chunk {
        m.chunks(c);
    }
    if spec.layout == Layout::Resizable {
        m.maxshape(&max_shape(spec));
    }
    if spec.shuffle {
        m.shuffle();
    }
    if let Some(level) = spec.deflate {
        m.deflate(u32::from(level));
    }
    if spec.fletcher32 {
        m.fletcher32();
    }
}

fn create_vlen(
    g: &Group,
    name: &str,
    path: &str,
    spec: &DsSpec,
    m: &mut Manifest,
) -> R<Box<dyn Plan>> {
    let n: u64 = spec.shape.iter().product();
    let all = vlen_strings(n, spec.seed);
    let ds = with_storage(g.new_dataset::<VarLenUnicode>(), spec).create(name)?;
    let row_len = row_len(spec);
    let rows = spec.written.len();
    let k = spec.written.iter().take_while(|&&w| w).count();
    assert!(
        spec.written[k..].iter().all(|&w| !w),
        "vlen strings are written in increasing row order"
    );
    let data = if spec.chunk.is_none() && spec.steps.is_empty() {
        // The h5py twin would not allocate storage for a contiguous dataset
        // never written; h5sink does (by design, see README).
        m.no_twin();
        Data::Null
    } else if k == rows {
        Data::Strings(all.clone())
    } else if k == 0 {
        // Chunked: no chunk allocated, as in the twin.
        Data::Null
    } else {
        // Resized past the rows written: the rest read as empty strings.
        Data::ValuesRows {
            values: all[..k * row_len]
                .iter()
                .map(|s| Json::Str(s.clone()))
                .collect(),
            rows_written: k as u64,
        }
    };
    m.dataset(path, "vlen_str", &spec.shape, data);
    storage_manifest(spec, m);
    let init = if spec.layout == Layout::Resizable {
        spec.init_rows as usize * row_len
    } else {
        all.len()
    };
    Ok(Box::new(Vlen {
        ds,
        all,
        init,
        row_len,
        rest: spec.shape.get(1..).unwrap_or(&[]).to_vec(),
    }))
}

#[derive(Clone)]
enum Obj {
    G(Group),
    D(Dataset),
}

macro_rules! on_obj {
    ($obj:expr, $o:ident => $e:expr) => {
        match $obj {
            Obj::G($o) => $e,
            Obj::D($o) => $e,
        }
    };
}

fn create_attr<T: Gen>(
    obj: &Obj,
    owner: &str,
    name: &str,
    a: &AttrSpec,
    m: &mut Manifest,
) -> R<()> {
    let n: u64 = a.shape.iter().product();
    let vals: Vec<T> = elements(n, a.seed);
    match (a.shape.len(), a.builder) {
        (0, true) => {
            drop(on_obj!(obj, o => o.new_attr_builder().with_scalar(&vals[0]).create(name))?)
        }
        (1, true) => drop(on_obj!(obj, o => o.new_attr_builder().with_data(&vals).create(name))?),
        (0, false) => on_obj!(obj, o => o.new_attr::<T>().create(name))?.write_scalar(&vals[0])?,
        _ => on_obj!(obj, o => o.new_attr::<T>().shape(&a.shape).create(name))?.write(&vals)?,
    }
    let data = if T::RAMP {
        Data::Ramp { seed: a.seed }
    } else {
        Data::Values(vals.iter().map(Gen::json).collect())
    };
    m.attr(owner, name, T::dtype(), &a.shape, data);
    Ok(())
}

fn create_vlen_attr(obj: &Obj, owner: &str, name: &str, a: &AttrSpec, m: &mut Manifest) -> R<()> {
    let n: u64 = a.shape.iter().product();
    let vals = vlen_strings(n, a.seed);
    match (a.shape.len(), a.builder) {
        (0, true) => drop(on_obj!(obj, o => o.new_attr_builder().with_str(&vals[0]).create(name))?),
        (1, true) => {
            drop(on_obj!(obj, o => o.new_attr_builder().with_strings(&vals).create(name))?)
        }
        (0, false) => {
            on_obj!(obj, o => o.new_attr::<VarLenUnicode>().create(name))?.write_str(&vals[0])?
        }
        _ => on_obj!(obj, o => o.new_attr::<VarLenUnicode>().shape(&a.shape).create(name))?
            .write_strings(&vals)?,
    }
    m.attr(owner, name, "vlen_str", &a.shape, Data::Strings(vals));
    Ok(())
}

/// One random operation of the interleaved stream.
enum Op {
    Write(usize),
    Attr(usize),
    Flush,
}

/// Writes case `index` into `dir`: its file and manifest.
fn run_case(dir: &Path, index: u64, seed: u64, verbose: bool) -> R<()> {
    let mut rng = Rng::new(seed);
    let mut m = Manifest::new(&format!("case{index:04}"));
    let file = File::create(m.h5_path(dir))?;
    // Objects: (manifest path, handle).
    let mut groups: Vec<(String, Group)> = vec![(String::new(), (*file).clone())];
    let mut objs: Vec<(String, Obj)> = vec![(String::new(), Obj::G((*file).clone()))];
    let mut plans: Vec<(Box<dyn Plan>, Vec<Step>)> = Vec::new();
    let n_objects = rng.range(1, 7);
    for k in 0..n_objects as usize {
        let (parent_path, parent) = groups[rng.below(groups.len() as u64) as usize].clone();
        let name = gen_name(&mut rng, k);
        let path = if parent_path.is_empty() {
            name.clone()
        } else {
            format!("{parent_path}/{name}")
        };
        if groups.len() < 4 && rng.pct(25) {
            let g = parent.create_group(&name)?;
            m.group(&path);
            groups.push((path.clone(), g.clone()));
            objs.push((path, Obj::G(g)));
        } else {
            let spec = gen_dataset(&mut rng);
            if verbose {
                println!("  {path}: {spec:?}");
            }
            let plan = if spec.ty == Ty::Vlen {
                create_vlen(&parent, &name, &path, &spec, &mut m)?
            } else {
                dispatch!(spec.ty, create_typed(&parent, &name, &path, &spec, &mut m))?
            };
            let ds = file.dataset(&path)?;
            objs.push((path, Obj::D(ds)));
            plans.push((plan, spec.steps));
        }
    }
    let mut attrs: Vec<(usize, AttrSpec)> = Vec::new();
    for _ in 0..rng.range(0, 6) {
        let owner = rng.below(objs.len() as u64) as usize;
        attrs.push((owner, gen_attr(&mut rng)));
    }
    // The operation stream: every dataset's steps in order, attributes and
    // flushes, interleaved at random.
    let mut ops: Vec<Op> = Vec::new();
    let mut next: Vec<usize> = vec![0; plans.len()];
    let mut attr_next = 0;
    loop {
        let mut live: Vec<usize> = (0..plans.len())
            .filter(|&d| next[d] < plans[d].1.len())
            .collect();
        if attr_next < attrs.len() {
            live.push(usize::MAX);
        }
        if live.is_empty() {
            break;
        }
        match rng.pick(&live) {
            usize::MAX => {
                ops.push(Op::Attr(attr_next));
                attr_next += 1;
            }
            d => {
                ops.push(Op::Write(d));
                next[d] += 1;
            }
        }
        if rng.pct(10) {
            ops.push(Op::Flush);
        }
    }
    let mut next: Vec<usize> = vec![0; plans.len()];
    let mut per_owner: Vec<usize> = vec![0; objs.len()];
    for op in ops {
        match op {
            Op::Write(d) => {
                let (plan, steps) = &plans[d];
                let s = &steps[next[d]];
                next[d] += 1;
                plan.step(s)
                    .map_err(|e| format!("dataset #{d} step {s:?}: {e}"))?;
            }
            Op::Attr(k) => {
                let (owner, a) = &attrs[k];
                let (path, obj) = &objs[*owner];
                let name = format!("{}{}", gen_name(&mut rng, per_owner[*owner]), "_attr");
                per_owner[*owner] += 1;
                if verbose {
                    println!("  attr {path:?}/{name}: {a:?}");
                }
                if a.ty == Ty::Vlen {
                    create_vlen_attr(obj, path, &name, a, &mut m)?;
                } else {
                    dispatch!(a.ty, create_attr(obj, path, &name, a, &mut m))?;
                }
            }
            Op::Flush => file.flush()?,
        }
    }
    file.close()?;
    m.write(dir);
    Ok(())
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    let parsed = match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|e| panic!("{name}={v:?}: not a u64 ({e})")))
}

#[test]
fn random_files_read_back_exactly() {
    let start = std::time::Instant::now();
    let run_seed = env_u64("H5SINK_PROPTEST_SEED").unwrap_or(DEFAULT_SEED);
    let cases = env_u64("H5SINK_PROPTEST_CASES").unwrap_or(DEFAULT_CASES);
    let only = env_u64("H5SINK_PROPTEST_CASE");
    let dir = common::out_dir("proptest_files");
    let rerun = |i: u64| {
        format!(
            "H5SINK_PROPTEST_SEED={run_seed:#x} H5SINK_PROPTEST_CASE={i} cargo test --release \
             --all-features --test proptest_files -- --nocapture"
        )
    };
    println!(
        "proptest_files: run seed {run_seed:#x} (H5SINK_PROPTEST_SEED), {} case(s), files in {}",
        if only.is_some() { 1 } else { cases },
        dir.display()
    );
    let indices: Vec<u64> = match only {
        Some(i) => vec![i],
        None => (0..cases).collect(),
    };
    for &i in &indices {
        let seed = case_seed(run_seed, i);
        if only.is_some() {
            println!("case {i}: case seed {seed:#x}");
        }
        let r = std::panic::catch_unwind(|| run_case(&dir, i, seed, only.is_some()));
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!(
                "case {i} (run seed {run_seed:#x}, case seed {seed:#x}): h5sink refused a valid \
                 call: {e}\nrerun it alone: {}",
                rerun(i)
            ),
            Err(p) => {
                eprintln!(
                    "case {i} (run seed {run_seed:#x}, case seed {seed:#x}) panicked while \
                     writing\nrerun it alone: {}",
                    rerun(i)
                );
                std::panic::resume_unwind(p);
            }
        }
    }
    let written = start.elapsed();
    let r = std::panic::catch_unwind(|| common::run_oracles(&dir));
    println!(
        "proptest_files: {} case(s) written in {:.1?}, checked in {:.1?}",
        indices.len(),
        written,
        start.elapsed() - written
    );
    if let Err(p) = r {
        eprintln!(
            "proptest_files: the readers failed some case(s) above (scenario `case<i>` = case \
             index i) of run seed {run_seed:#x}. Rerun one alone: {}",
            rerun(0).replace("CASE=0", "CASE=<i>")
        );
        std::panic::resume_unwind(p);
    }
}
