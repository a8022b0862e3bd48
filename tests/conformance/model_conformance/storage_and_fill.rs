//! Scenario files of fill values, compact storage and an in-memory file.

use crate::common::scenario;
use crate::common::{ramp, Data, Json, Manifest};
use h5sink::File;
use std::path::Path;

pub(crate) fn storage_and_fill(dir: &Path) {
    scenario(dir, "fill_values", |f, m| {
        let ds = f
            .new_dataset::<f32>()
            .shape(&[6, 2])
            .fill_value(-1.5)
            .create("partial")
            .unwrap();
        ds.write_rows(0, &ramp::<f32>(0, 4, 1)).unwrap();
        m.dataset_of::<f32>(
            "partial",
            &[6, 2],
            Data::RampRows {
                seed: 1,
                rows_written: 2,
            },
        )
        .fill(-1.5);
        f.new_dataset::<i32>()
            .shape(&[5])
            .fill_value(7)
            .create("never")
            .unwrap();
        m.dataset_of::<i32>("never", &[5], Data::Null)
            .fill(7.0)
            .no_twin();
        f.new_dataset::<u64>()
            .shape(&[3])
            .fill_value(u64::MAX)
            .create("umax")
            .unwrap()
            .write_raw(&[1u64, 2, 3])
            .unwrap();
        m.dataset(
            "umax",
            "u64",
            &[3],
            Data::Values(vec![1u64.into(), 2u64.into(), 3u64.into()]),
        )
        .fill_value(Json::Int(u64::MAX.into()));
    });
    scenario(dir, "compact", |f, m| {
        let ds = f
            .new_dataset::<i32>()
            .shape(&[10])
            .compact()
            .create("small")
            .unwrap();
        ds.write_rows(0, &ramp::<i32>(0, 10, 1)).unwrap();
        m.dataset_of::<i32>("small", &[10], Data::Ramp { seed: 1 })
            .compact();
        let g = f.create_group("g").unwrap();
        m.group("g");
        let ds = g
            .new_dataset::<f64>()
            .shape(&[4, 4])
            .compact()
            .fill_value(2.5)
            .create("grid")
            .unwrap();
        ds.write_rows(0, &ramp::<f64>(0, 8, 2)).unwrap();
        m.dataset_of::<f64>(
            "g/grid",
            &[4, 4],
            Data::RampRows {
                seed: 2,
                rows_written: 2,
            },
        )
        .fill(2.5)
        .compact();
        let big = f
            .new_dataset::<u8>()
            .shape(&[70_000])
            .compact()
            .create("too_big");
        assert!(big.is_err(), "70000 bytes cannot be compact");
    });
    scenario(dir, "in_memory", |_, _| {});
    // Overwrite the placeholder with a file built in memory.
    let mut m = Manifest::new("in_memory");
    let f = File::in_memory().unwrap();
    f.new_dataset::<u16>()
        .shape(&[4, 4])
        .create("a/b/m")
        .unwrap()
        .write_raw(&ramp::<u16>(0, 16, 3))
        .unwrap();
    f.new_attr_builder()
        .with_str("from memory")
        .create("origin")
        .unwrap();
    let bytes = f.into_bytes().unwrap();
    std::fs::remove_file(m.h5_path(dir)).unwrap();
    std::fs::write(m.h5_path(dir), bytes).unwrap();
    m.root_attr(
        "origin",
        "vlen_str",
        &[],
        Data::Strings(vec!["from memory".into()]),
    )
    .group("a")
    .group("a/b")
    .dataset_of::<u16>("a/b/m", &[4, 4], Data::Ramp { seed: 3 });
    m.write(dir);
}
