//! Scenario files of attributes of every kind: 100 on one object, one at
//! the size limit.

use super::types::{colors, detection_dtype, detections, enums, point_dtype, points};
use crate::common::scenario;
use crate::common::{ramp, Data, Dtype, Json, Ramp};
use h5sink::FixedAscii;
use std::path::Path;

pub(crate) fn attributes(dir: &Path) {
    scenario(dir, "attrs_numeric", |f, m| {
        macro_rules! scalar {
            ($($t:ty),*) => {$(
                let v = ramp::<$t>(0, 1, 1)[0];
                f.new_attr::<$t>().create(concat!("scalar_", stringify!($t))).unwrap().write_scalar(&v).unwrap();
                m.root_attr(concat!("scalar_", stringify!($t)), <$t as Ramp>::DTYPE, &[], Data::Ramp { seed: 1 });
            )*};
        }
        scalar!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);
        let g = f.create_group("g").unwrap();
        m.group("g");
        g.new_attr_builder()
            .with_data(&ramp::<i32>(0, 3, 2))
            .create("ids")
            .unwrap();
        m.attr("g", "ids", "i32", &[3], Data::Ramp { seed: 2 });
        let a = g.new_attr::<f64>().shape(&[2, 3]).create("matrix").unwrap();
        a.write(&ramp::<f64>(0, 6, 3)).unwrap();
        m.attr("g", "matrix", "f64", &[2, 3], Data::Ramp { seed: 3 });
        let ds = g.new_dataset::<u8>().shape(&[2]).create("x").unwrap();
        ds.write_raw(&ramp::<u8>(0, 2, 4)).unwrap();
        m.dataset_of::<u8>("g/x", &[2], Data::Ramp { seed: 4 });
        ds.new_attr::<u16>()
            .shape(&[2, 2, 2])
            .create("cube")
            .unwrap()
            .write(&ramp::<u16>(0, 8, 5))
            .unwrap();
        m.attr("g/x", "cube", "u16", &[2, 2, 2], Data::Ramp { seed: 5 });
        ds.new_attr_builder()
            .with_scalar(&true)
            .create("flag")
            .unwrap();
        m.attr(
            "g/x",
            "flag",
            "bool",
            &[],
            Data::Values(vec![Json::Bool(true)]),
        );
        ds.new_attr_builder()
            .with_data(&[0u32; 0])
            .create("empty")
            .unwrap();
        m.attr("g/x", "empty", "u32", &[0], Data::Values(vec![]));
    });
    scenario(dir, "attrs_strings", |f, m| {
        f.new_attr_builder()
            .with_str("kelvin")
            .create("units")
            .unwrap();
        m.root_attr(
            "units",
            "vlen_str",
            &[],
            Data::Strings(vec!["kelvin".into()]),
        );
        let names = ["cat", "dög", "", "🦀"];
        f.new_attr_builder()
            .with_strings(&names)
            .create("names")
            .unwrap();
        m.root_attr(
            "names",
            "vlen_str",
            &[4],
            Data::Strings(names.map(String::from).into()),
        );
        let ds = f.new_dataset::<f32>().shape(&[2]).create("t").unwrap();
        ds.write_raw(&[1.5f32, 2.5]).unwrap();
        m.dataset(
            "t",
            "f32",
            &[2],
            Data::Values(vec![Json::Num(1.5), Json::Num(2.5)]),
        );
        let tag = FixedAscii::<8>::new("abc").unwrap();
        ds.new_attr_builder()
            .with_scalar(&tag)
            .create("tag")
            .unwrap();
        m.attr(
            "t",
            "tag",
            Dtype::FixedAscii(8),
            &[],
            Data::Strings(vec!["abc".into()]),
        );
        let a = ds
            .new_attr::<h5sink::VarLenUnicode>()
            .create("note")
            .unwrap();
        a.write_str("first").unwrap();
        a.write_str("rewritten ✓").unwrap();
        m.attr(
            "t",
            "note",
            "vlen_str",
            &[],
            Data::Strings(vec!["rewritten ✓".into()]),
        );
    });
    scenario(dir, "attrs_typed", |f, m| {
        let (color, _) = enums();
        f.new_attr_builder()
            .with_data(&colors(5, 11))
            .create("colors")
            .unwrap();
        m.root_attr("colors", color, &[5], Data::Ramp { seed: 11 });
        f.new_attr_builder()
            .with_data(&points(3, 12))
            .create("points")
            .unwrap();
        m.root_attr("points", point_dtype(), &[3], Data::Ramp { seed: 12 });
        f.new_attr_builder()
            .with_scalar(&detections(1, 13)[0])
            .create("det")
            .unwrap();
        m.root_attr("det", detection_dtype(), &[], Data::Ramp { seed: 13 });
    });
    scenario(dir, "attrs_100", |f, m| {
        let ds = f.new_dataset::<i32>().shape(&[3]).create("d").unwrap();
        ds.write_raw(&ramp::<i32>(0, 3, 1)).unwrap();
        m.dataset_of::<i32>("d", &[3], Data::Ramp { seed: 1 });
        for i in 0..100 {
            let name = format!("attr{i:03}");
            ds.new_attr_builder()
                .with_data(&ramp::<f64>(0, 20, i))
                .create(&name)
                .unwrap();
            m.attr("d", &name, "f64", &[20], Data::Ramp { seed: i });
        }
    });
    scenario(dir, "attr_near_limit", |f, m| {
        // 8000 f64 = 64000 bytes: the largest round size that fits a header message.
        f.new_attr_builder()
            .with_data(&ramp::<f64>(0, 8000, 2))
            .create("big")
            .unwrap();
        m.root_attr("big", "f64", &[8000], Data::Ramp { seed: 2 });
        let too_big = f
            .new_attr_builder()
            .with_data(&ramp::<f64>(0, 9000, 2))
            .create("bigger");
        assert!(
            matches!(too_big, Err(h5sink::Error::AttributeTooLarge { .. })),
            "{too_big:?}"
        );
    });
}
