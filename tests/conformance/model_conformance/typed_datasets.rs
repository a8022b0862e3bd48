//! Scenario files of typed datasets: bool, fixed strings, f16, compounds
//! (flat, with array members, nested), enums.

use super::types::{
    bools, colors, detection_dtype, detections, enums, levels, point_dtype, points, same_bytes,
    track_dtype, tracks, Color, Detection, Level, Point, Track,
};
#[cfg(feature = "half")]
use crate::common;
#[cfg(feature = "half")]
use crate::common::ramp;
use crate::common::scenario;
use crate::common::{Data, Dtype, Json};
use h5sink::{FixedAscii, FixedUnicode};
use std::path::Path;

pub(crate) fn typed_datasets(dir: &Path) {
    scenario(dir, "bool", |f, m| {
        let v = bools(12, 3);
        f.new_dataset::<bool>()
            .shape(&[3, 4])
            .create("flags")
            .unwrap()
            .write_raw(&v)
            .unwrap();
        m.dataset("flags", "bool", &[3, 4], Data::Ramp { seed: 3 });
    });
    scenario(dir, "fixed_strings", |f, m| {
        let words = ["", "a", "cat", "ten chars!"];
        let a: Vec<FixedAscii<10>> = words.iter().map(|w| FixedAscii::new(w).unwrap()).collect();
        f.new_dataset::<FixedAscii<10>>()
            .shape(&[4])
            .create("ascii")
            .unwrap()
            .write_raw(&a)
            .unwrap();
        m.dataset(
            "ascii",
            Dtype::FixedAscii(10),
            &[4],
            Data::Strings(words.map(String::from).into()),
        );
        let utf = ["ünï", "日本", "", "ok"];
        let u: Vec<FixedUnicode<12>> = utf.iter().map(|w| FixedUnicode::new(w).unwrap()).collect();
        f.new_dataset::<FixedUnicode<12>>()
            .shape(&[2, 2])
            .create("utf8")
            .unwrap()
            .write_raw(&u)
            .unwrap();
        m.dataset(
            "utf8",
            Dtype::FixedUtf8(12),
            &[2, 2],
            Data::Strings(utf.map(String::from).into()),
        );
    });
    scenario(dir, "compound_flat", |f, m| {
        let v = points(50, 5);
        same_bytes(&v, &point_dtype(), 5);
        f.new_dataset::<Point>()
            .shape(&[50])
            .create("points")
            .unwrap()
            .write_raw(&v)
            .unwrap();
        m.dataset("points", point_dtype(), &[50], Data::Ramp { seed: 5 });
    });
    scenario(dir, "compound_arrays", |f, m| {
        let v = detections(20, 6);
        same_bytes(&v, &detection_dtype(), 6);
        let ds = f
            .new_dataset::<Detection>()
            .shape(&[10, 2])
            .create("det")
            .unwrap();
        ds.write_rows(0, &v[..10]).unwrap();
        ds.write_rows(5, &v[10..]).unwrap();
        m.dataset("det", detection_dtype(), &[10, 2], Data::Ramp { seed: 6 });
    });
    scenario(dir, "compound_nested", |f, m| {
        let v = tracks(9, 7);
        same_bytes(&v, &track_dtype(), 7);
        f.new_dataset::<Track>()
            .shape(&[9])
            .create("tracks")
            .unwrap()
            .write_raw(&v)
            .unwrap();
        m.dataset("tracks", track_dtype(), &[9], Data::Ramp { seed: 7 });
    });
    scenario(dir, "enums", |f, m| {
        let (color, level) = enums();
        let c = colors(30, 8);
        same_bytes(&c, &color, 8);
        f.new_dataset::<Color>()
            .shape(&[30])
            .create("color")
            .unwrap()
            .write_raw(&c)
            .unwrap();
        m.dataset("color", color, &[30], Data::Ramp { seed: 8 });
        let l = levels(6, 9);
        same_bytes(&l, &level, 9);
        f.new_dataset::<Level>()
            .shape(&[2, 3])
            .create("level")
            .unwrap()
            .write_raw(&l)
            .unwrap();
        m.dataset("level", level, &[2, 3], Data::Ramp { seed: 9 });
        f.new_dataset::<Color>()
            .create("scalar")
            .unwrap()
            .write_scalar(&Color::Blue)
            .unwrap();
        m.dataset("scalar", enums().0, &[], Data::Values(vec![Json::Int(42)]));
    });
    #[cfg(feature = "half")]
    scenario(dir, "f16", |f, m| {
        let v: Vec<half::f16> = ramp::<common::F16>(0, 24, 10)
            .iter()
            .map(|h| half::f16::from_bits(h.0))
            .collect();
        f.new_dataset::<half::f16>()
            .shape(&[4, 6])
            .create("half")
            .unwrap()
            .write_raw(&v)
            .unwrap();
        m.dataset("half", "f16", &[4, 6], Data::Ramp { seed: 10 });
    });
}
