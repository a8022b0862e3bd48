//! Scenario file of `/`-paths and open handles.

use crate::common::scenario;
use crate::common::{ramp, Data, Json};
use h5sink::Group;
use std::path::Path;

pub(crate) fn paths(dir: &Path) {
    scenario(dir, "paths", |f, m| {
        let ds = f.new_dataset::<f32>().shape(&[3]).create("a/b/c").unwrap();
        ds.write_raw(&ramp::<f32>(0, 3, 1)).unwrap();
        m.group("a")
            .group("a/b")
            .dataset_of::<f32>("a/b/c", &[3], Data::Ramp { seed: 1 });
        f.create_group("x/y/z").unwrap();
        m.group("x").group("x/y").group("x/y/z");
        let y: Group = f.group("x/y").unwrap();
        y.new_dataset::<i8>()
            .shape(&[2])
            .create("/top")
            .unwrap()
            .write_raw(&ramp::<i8>(0, 2, 2))
            .unwrap();
        m.dataset_of::<i8>("top", &[2], Data::Ramp { seed: 2 });
        y.new_dataset::<i8>()
            .shape(&[2])
            .create("z/deep")
            .unwrap()
            .write_raw(&ramp::<i8>(0, 2, 3))
            .unwrap();
        m.dataset_of::<i8>("x/y/z/deep", &[2], Data::Ramp { seed: 3 });
        // Handles opened later keep adding: rows, members, attributes.
        f.flush().unwrap();
        let c = f.dataset("a/b/c").unwrap();
        c.new_attr_builder()
            .with_scalar(&1i64)
            .create("reopened")
            .unwrap();
        m.attr(
            "a/b/c",
            "reopened",
            "i64",
            &[],
            Data::Values(vec![Json::Int(1)]),
        );
        let b = f.group("/a/b").unwrap();
        b.create_group("later").unwrap();
        m.group("a/b/later");
        for (bad, what) in [
            ("a/b/c/d", "through a dataset"),
            ("a/b/c", "existing"),
            ("q//r", "empty component"),
        ] {
            assert!(f.create_group(bad).is_err(), "{what}");
        }
        assert!(
            f.dataset("a/b").is_err() && f.group("a/b/c").is_err() && f.dataset("nope").is_err()
        );
    });
}
