//! The element types a random file may hold, and how element i of each is
//! generated from ramp leaves (`Gen`): numbers, bool, f16, the enums and
//! compounds declared here.

#[cfg(feature = "half")]
use crate::common;
use crate::common::{ramp_u64, Dtype, Json, Ramp};
use h5sink::Element;

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub(crate) enum Color: u8 { Red = 0, Green = 1, Blue = 42 }
}

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub(crate) enum Level: i16 { Low = -300, Mid = 0, High = 300 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Point { x: f32, y: f32, label: i64 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Det { score: f64, bbox: [f32; 3], cls: u16 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Track { id: u32, at: Point, flag: bool }
}

// ------------------------------------------------------------ element types

/// Ramp leaves of one element: leaf j of element i is `ramp_u64(i * L + j)`.
pub(crate) struct Leaves {
    pub(crate) k: u64,
    pub(crate) seed: u64,
}

impl Leaves {
    pub(crate) fn of(i: u64, leaves: u64, seed: u64) -> Self {
        Leaves {
            k: i.wrapping_mul(leaves),
            seed,
        }
    }
    pub(crate) fn next(&mut self) -> u64 {
        let x = ramp_u64(self.k, self.seed);
        self.k += 1;
        x
    }
}

/// An element type the generator knows: its manifest dtype, how element i
/// is generated from its ramp leaves (exactly `common::ramp_bytes` for
/// rampable types) and its JSON for `Data::Values` / fill values.
pub(crate) trait Gen: Element + Copy + 'static {
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
