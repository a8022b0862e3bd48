//! The compound and enum types of the model scenarios, their manifest
//! dtypes, and their generated values (checked against the manifest's
//! generator).

use crate::common::{ramp_bytes, ramp_u64, Dtype, Ramp};
use h5sink::Element;

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Point { x: f32, y: f32, label: i64 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Detection { score: f64, bbox: [f32; 4], cls: u16, grid: [[i8; 3]; 2] }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Track { id: u32, at: Point, flag: bool }
}

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub(crate) enum Color: u8 { Red = 0, Green = 1, Blue = 42 }
}

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub(crate) enum Level: i16 { Low = -300, Mid = 0, High = 300 }
}

pub(crate) fn point_dtype() -> Dtype {
    Dtype::compound(&[
        ("x", "f32".into()),
        ("y", "f32".into()),
        ("label", "i64".into()),
    ])
}

pub(crate) fn detection_dtype() -> Dtype {
    Dtype::compound(&[
        ("score", "f64".into()),
        ("bbox", Dtype::array("f32", &[4])),
        ("cls", "u16".into()),
        ("grid", Dtype::array("i8", &[2, 3])),
    ])
}

pub(crate) fn track_dtype() -> Dtype {
    Dtype::compound(&[
        ("id", "u32".into()),
        ("at", point_dtype()),
        ("flag", "bool".into()),
    ])
}

/// Leaf `j` of record `i` of a compound with `leaves` leaves.
fn leaf<T: Ramp>(i: u64, j: u64, leaves: u64, seed: u64) -> T {
    T::ramp(ramp_u64(i * leaves + j, seed))
}

pub(crate) fn points(n: u64, seed: u64) -> Vec<Point> {
    (0..n)
        .map(|i| Point {
            x: leaf(i, 0, 3, seed),
            y: leaf(i, 1, 3, seed),
            label: leaf(i, 2, 3, seed),
        })
        .collect()
}

pub(crate) fn detections(n: u64, seed: u64) -> Vec<Detection> {
    let l = 12;
    (0..n)
        .map(|i| Detection {
            score: leaf(i, 0, l, seed),
            bbox: [1, 2, 3, 4].map(|j| leaf(i, j, l, seed)),
            cls: leaf(i, 5, l, seed),
            grid: [[6, 7, 8], [9, 10, 11]].map(|r| r.map(|j| leaf(i, j, l, seed))),
        })
        .collect()
}

pub(crate) fn tracks(n: u64, seed: u64) -> Vec<Track> {
    (0..n)
        .map(|i| Track {
            id: leaf(i, 0, 5, seed),
            at: Point {
                x: leaf(i, 1, 5, seed),
                y: leaf(i, 2, 5, seed),
                label: leaf(i, 3, 5, seed),
            },
            flag: ramp_u64(i * 5 + 4, seed) & 1 == 1,
        })
        .collect()
}

pub(crate) fn colors(n: u64, seed: u64) -> Vec<Color> {
    (0..n)
        .map(|i| [Color::Red, Color::Green, Color::Blue][(ramp_u64(i, seed) % 3) as usize])
        .collect()
}

pub(crate) fn levels(n: u64, seed: u64) -> Vec<Level> {
    (0..n)
        .map(|i| [Level::Low, Level::Mid, Level::High][(ramp_u64(i, seed) % 3) as usize])
        .collect()
}

pub(crate) fn bools(n: u64, seed: u64) -> Vec<bool> {
    (0..n).map(|i| ramp_u64(i, seed) & 1 == 1).collect()
}

/// `values` must encode exactly as the manifest's generator says.
pub(crate) fn same_bytes<T: Element>(values: &[T], dtype: &Dtype, seed: u64) {
    assert_eq!(
        &*T::encode(values),
        &ramp_bytes(dtype, 0, values.len(), seed)[..],
        "{dtype:?}"
    );
}

pub(crate) fn enums() -> (Dtype, Dtype) {
    (
        Dtype::enumeration("u8", &[("Red", 0), ("Green", 1), ("Blue", 42)]),
        Dtype::enumeration("i16", &[("Low", -300), ("Mid", 0), ("High", 300)]),
    )
}
