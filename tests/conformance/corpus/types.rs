//! The Rust types the corpus reads values as, by the manifest's RTYPE
//! (tests/oracle/corpus.py): numbers, bool, fixed strings, and the
//! compounds, enums and arrays of tests/oracle/corpus_files.py declared
//! with `h5compound!` / `h5enum!`.

use std::borrow::Cow;

use h5sink::format::datatype::Datatype;
use h5sink::{Element, FixedAscii, FixedUnicode, H5Type};

h5sink::h5compound! {
    /// numpy `[("x", "<f4"), ("y", "<f4"), ("label", "<i8")]`.
    #[derive(Clone, Copy, Debug)]
    pub struct Point { pub x: f32, pub y: f32, pub label: i64 }
}

h5sink::h5compound! {
    /// numpy `[("a", "i1"), ("b", "<f8")]`.
    #[derive(Clone, Copy, Debug)]
    pub struct Inner { pub a: i8, pub b: f64 }
}

h5sink::h5compound! {
    /// numpy `[("id", "<u2"), ("p", INNER), ("hist", "<f4", (4,))]`.
    #[derive(Clone, Copy, Debug)]
    pub struct Nested { pub id: u16, pub p: Inner, pub hist: [f32; 4] }
}

h5sink::h5enum! {
    /// `h5py.enum_dtype({"Red": 0, "Green": 1, "Blue": 42}, basetype="u1")`.
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub enum Rgb: u8 { Red = 0, Green = 1, Blue = 42 }
}

h5sink::h5enum! {
    /// `h5py.enum_dtype({"Low": -5, "Mid": 0, "High": 300}, basetype="<i2")`.
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub enum Level: i16 { Low = -5, Mid = 0, High = 300 }
}

/// numpy float16, as its bits (without the `half` feature).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct F16(pub u16);

impl H5Type for F16 {
    const DATATYPE: Datatype = Datatype::Float { size: 2 };
    const NAME: &'static str = "f16";
}

impl Element for F16 {
    fn encode(values: &[Self]) -> Cow<'_, [u8]> {
        Cow::Owned(values.iter().flat_map(|v| v.0.to_le_bytes()).collect())
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        Some(F16(u16::from_le_bytes(bytes.try_into().ok()?)))
    }
}

/// A generic operation on one element type.
pub trait Op {
    /// What it gives.
    type Out;
    /// Run it for element type `T`.
    fn run<T: Element>(self) -> Self::Out;
}

/// Run `op` for the type RTYPE names, or `None` for an unknown name.
pub fn dispatch<O: Op>(rtype: &str, op: O) -> Option<O::Out> {
    Some(match rtype {
        "i1" => op.run::<i8>(),
        "i2" => op.run::<i16>(),
        "i4" => op.run::<i32>(),
        "i8" => op.run::<i64>(),
        "u1" => op.run::<u8>(),
        "u2" => op.run::<u16>(),
        "u4" => op.run::<u32>(),
        "u8" => op.run::<u64>(),
        "f2" => op.run::<F16>(),
        "f4" => op.run::<f32>(),
        "f8" => op.run::<f64>(),
        "b1" => op.run::<bool>(),
        "S1" => op.run::<FixedAscii<1>>(),
        "S4" => op.run::<FixedAscii<4>>(),
        "S5" => op.run::<FixedAscii<5>>(),
        "S12" => op.run::<FixedAscii<12>>(),
        "S16" => op.run::<FixedAscii<16>>(),
        "U8" => op.run::<FixedUnicode<8>>(),
        "point" => op.run::<Point>(),
        "nested" => op.run::<Nested>(),
        "rgb" => op.run::<Rgb>(),
        "level" => op.run::<Level>(),
        "f4x4" => op.run::<[f32; 4]>(),
        "i2x2x3" => op.run::<[[i16; 3]; 2]>(),
        _ => return None,
    })
}

/// Values of `T` from their file bytes (`None` if some are no `T`).
pub fn from_bytes<T: Element>(bytes: &[u8]) -> Option<Vec<T>> {
    let size = T::DATATYPE.element_size() as usize;
    bytes.chunks(size).map(T::decode).collect()
}
