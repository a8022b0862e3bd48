//! The expected model of the `open_modify` target (see `open_modify_run.rs`):
//! what every dataset and attribute an operation touched must read back as
//! after the file is closed and opened again, the input reader `Src`, and
//! the typed helpers (values of a dataset's own element type, generated from
//! fuzz bytes with `Element::decode`).
#![allow(dead_code)]

use std::collections::BTreeMap;

use h5sink::format::datatype::Datatype;
use h5sink::{Attribute, Dataset, Element, File, FixedAscii, Group};

/// Datasets (and attributes) declaring more bytes than this are tracked by
/// shape only: reading them whole is the caller's choice, not the file's.
pub const CONTENT_MAX: u64 = 1 << 20;

/// Run `$m!(T)` for the Rust type `T` of datatype `$dt`, giving `Some` of
/// its value; `None` for types without one here (vlen strings included).
macro_rules! typed {
    ($dt:expr, $m:ident) => {
        match $dt {
            Datatype::Int {
                size: 1,
                signed: true,
            } => Some($m!(i8)),
            Datatype::Int {
                size: 2,
                signed: true,
            } => Some($m!(i16)),
            Datatype::Int {
                size: 4,
                signed: true,
            } => Some($m!(i32)),
            Datatype::Int {
                size: 8,
                signed: true,
            } => Some($m!(i64)),
            Datatype::Int {
                size: 1,
                signed: false,
            } => Some($m!(u8)),
            Datatype::Int {
                size: 2,
                signed: false,
            } => Some($m!(u16)),
            Datatype::Int {
                size: 4,
                signed: false,
            } => Some($m!(u32)),
            Datatype::Int {
                size: 8,
                signed: false,
            } => Some($m!(u64)),
            Datatype::Float { size: 4 } => Some($m!(f32)),
            Datatype::Float { size: 8 } => Some($m!(f64)),
            Datatype::Bool => Some($m!(bool)),
            Datatype::FixedString {
                size: 1,
                utf8: false,
            } => Some($m!(FixedAscii<1>)),
            Datatype::FixedString {
                size: 2,
                utf8: false,
            } => Some($m!(FixedAscii<2>)),
            Datatype::FixedString {
                size: 4,
                utf8: false,
            } => Some($m!(FixedAscii<4>)),
            Datatype::FixedString {
                size: 8,
                utf8: false,
            } => Some($m!(FixedAscii<8>)),
            _ => None,
        }
    };
}
pub(crate) use typed;

/// A little-endian reader over the operation bytes; zeros once exhausted.
pub struct Src<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Src<'a> {
    /// A reader over `b`.
    pub fn new(b: &'a [u8]) -> Self {
        Src { b, i: 0 }
    }
    /// Whether every byte was read.
    pub fn done(&self) -> bool {
        self.i >= self.b.len()
    }
    /// The next byte (0 past the end).
    pub fn u8(&mut self) -> u8 {
        let v = self.b.get(self.i).copied().unwrap_or(0);
        self.i += 1;
        v
    }
    /// The next 8 bytes as a u64.
    pub fn u64(&mut self) -> u64 {
        (0..8).fold(0u64, |a, k| a | u64::from(self.u8()) << (8 * k))
    }
    /// The next `n` bytes (zero-padded past the end).
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.u8()).collect()
    }
    /// A short string from a hostile alphabet (multi-byte characters, NUL).
    pub fn string(&mut self) -> String {
        const CH: [&str; 8] = ["a", "b", "Z", " ", "é", "日本", "\0", "/"];
        let n = usize::from(self.u8() % 8);
        (0..n).map(|_| CH[usize::from(self.u8() % 8)]).collect()
    }
    /// A member name or path, mostly plain, sometimes hostile.
    pub fn name(&mut self) -> String {
        const NAMES: [&str; 12] = [
            "a", "b", "g", "x", "a/b", "new", "", ".", "..", "/", "x/../y", "é/日",
        ];
        match self.u8() % 16 {
            k @ 0..=11 => NAMES[usize::from(k)].to_string(),
            12 => "n".repeat(usize::from(self.u8()) * 4),
            _ => format!("m{}", self.u8() % 4),
        }
    }
}

/// `n` values of `T` from the input bytes (`Element::decode` of each
/// element's bytes, or of zeros when those are no value of `T`).
pub fn values<T: Element>(src: &mut Src, n: usize) -> Option<Vec<T>> {
    let size = T::DATATYPE.element_size() as usize;
    let zero = T::decode(&vec![0u8; size])?;
    Some(
        (0..n)
            .map(|_| T::decode(&src.bytes(size)).unwrap_or(zero))
            .collect(),
    )
}

/// What a dataset or attribute holds, as the model expects to read it.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// Elements of a fixed-size type: their file bytes (`Element::encode`).
    Bytes(Vec<u8>),
    /// Variable-length strings.
    Strings(Vec<String>),
    /// Not tracked (unreadable, too large, or of a type without a Rust type here).
    Unknown,
}

/// The product of `shape`, `None` on overflow.
pub fn elements(shape: &[u64]) -> Option<u64> {
    shape.iter().try_fold(1u64, |a, &b| a.checked_mul(b))
}

/// A dataset's whole content as read now, if small and readable.
pub fn read_dataset(d: &Dataset) -> Content {
    let Some(dt) = d.dtype() else {
        return Content::Unknown;
    };
    let bytes = elements(&d.shape()).and_then(|n| n.checked_mul(u64::from(dt.element_size())));
    if !bytes.is_some_and(|b| b <= CONTENT_MAX) {
        return Content::Unknown;
    }
    macro_rules! raw {
        ($t:ty) => {
            d.read_raw::<$t>()
                .map(|v| Content::Bytes(<$t>::encode(&v).into_owned()))
                .unwrap_or(Content::Unknown)
        };
    }
    match dt {
        Datatype::VlenUtf8 => d.read_strings().map_or(Content::Unknown, Content::Strings),
        dt => typed!(dt, raw).unwrap_or(Content::Unknown),
    }
}

/// An attribute's content as read now.
pub fn read_attr(a: &Attribute) -> Content {
    macro_rules! raw {
        ($t:ty) => {
            a.read_raw::<$t>()
                .map(|v| Content::Bytes(<$t>::encode(&v).into_owned()))
                .unwrap_or(Content::Unknown)
        };
    }
    match a.dtype() {
        Some(Datatype::VlenUtf8) => a.read_strings().map_or(Content::Unknown, Content::Strings),
        Some(dt) => typed!(dt, raw).unwrap_or(Content::Unknown),
        None => Content::Unknown,
    }
}

/// A dataset an operation touched.
#[derive(Clone, Debug)]
pub struct Tracked {
    /// Its shape now.
    pub shape: Vec<u64>,
    /// Its content now.
    pub content: Content,
    /// Every shape it had (a file left by a fault may hold any committed one).
    pub shapes: Vec<Vec<u64>>,
    /// Created by an operation (a fault may leave a file without it).
    pub created: bool,
}

impl Tracked {
    /// The state of `d` as read now.
    pub fn of(d: &Dataset, created: bool) -> Self {
        let shape = d.shape();
        Tracked {
            shapes: vec![shape.clone()],
            shape,
            content: read_dataset(d),
            created,
        }
    }
    /// Record the shape now as one the dataset had.
    pub fn set_shape(&mut self, shape: Vec<u64>) {
        if !self.shapes.contains(&shape) {
            self.shapes.push(shape.clone());
        }
        self.shape = shape;
    }
}

/// What the closed file must hold.
#[derive(Default, Debug)]
pub struct Model {
    /// Datasets by path.
    pub datasets: BTreeMap<String, Tracked>,
    /// Attributes by (owner path, name).
    pub attrs: BTreeMap<(String, String), Content>,
}

/// The object at `path` (absolute, as `name()` gives it) in `f`.
fn group_at(f: &File, path: &str) -> h5sink::Result<Group> {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() {
        return Ok((**f).clone());
    }
    f.group(rel)
}

fn dataset_at(f: &File, path: &str) -> h5sink::Result<Dataset> {
    f.dataset(path.trim_start_matches('/'))
}

impl Model {
    /// Asserts that `f` (the file closed and opened again) holds the model.
    pub fn check(&self, f: &File) {
        for (path, t) in &self.datasets {
            let d = dataset_at(f, path).unwrap_or_else(|e| panic!("dataset {path:?} gone: {e}"));
            assert_eq!(d.shape(), t.shape, "shape of {path:?}");
            if t.content != Content::Unknown {
                assert_eq!(read_dataset(&d), t.content, "content of {path:?}");
            }
        }
        for ((owner, name), want) in &self.attrs {
            let a = match group_at(f, owner) {
                Ok(g) => g.attr(name),
                Err(_) => dataset_at(f, owner).and_then(|d| d.attr(name)),
            }
            .unwrap_or_else(|e| panic!("attribute {name:?} of {owner:?} gone: {e}"));
            if *want != Content::Unknown {
                assert_eq!(read_attr(&a), *want, "attribute {name:?} of {owner:?}");
            }
        }
    }

    /// After a fault: every tracked dataset that is there has a shape it
    /// had at some point, and datasets of the original file are there.
    pub fn check_some_state(&self, f: &File) {
        for (path, t) in &self.datasets {
            match dataset_at(f, path) {
                Ok(d) => assert!(
                    t.shapes.contains(&d.shape()),
                    "{path:?}: {:?} not in {:?}",
                    d.shape(),
                    t.shapes
                ),
                Err(e) => assert!(
                    t.created,
                    "original dataset {path:?} gone after a fault: {e}"
                ),
            }
        }
    }
}
