//! The whole data model against five readers: attributes, every type
//! (bool, fixed strings, f16, compounds with arrays, enums), fill values,
//! compact storage, `/`-paths and open handles, in-memory files. Each
//! scenario file is checked by h5py, pyfive, jsfive, h5wasm and h5dump, and
//! by an h5py twin with identical `h5dump -p` text; check.py prints the
//! reader matrix (n/a only where a reader's own code says it cannot).

use crate::common;

use crate::common::{ramp, ramp_bytes, ramp_u64, Data, Dtype, Json, Manifest, Ramp};
use h5sink::{Element, File, FixedAscii, FixedUnicode, Group};
use std::path::Path;

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    struct Point { x: f32, y: f32, label: i64 }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    struct Detection { score: f64, bbox: [f32; 4], cls: u16, grid: [[i8; 3]; 2] }
}

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug)]
    struct Track { id: u32, at: Point, flag: bool }
}

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Color: u8 { Red = 0, Green = 1, Blue = 42 }
}

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Level: i16 { Low = -300, Mid = 0, High = 300 }
}

fn point_dtype() -> Dtype {
    Dtype::compound(&[
        ("x", "f32".into()),
        ("y", "f32".into()),
        ("label", "i64".into()),
    ])
}

fn detection_dtype() -> Dtype {
    Dtype::compound(&[
        ("score", "f64".into()),
        ("bbox", Dtype::array("f32", &[4])),
        ("cls", "u16".into()),
        ("grid", Dtype::array("i8", &[2, 3])),
    ])
}

fn track_dtype() -> Dtype {
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

fn points(n: u64, seed: u64) -> Vec<Point> {
    (0..n)
        .map(|i| Point {
            x: leaf(i, 0, 3, seed),
            y: leaf(i, 1, 3, seed),
            label: leaf(i, 2, 3, seed),
        })
        .collect()
}

fn detections(n: u64, seed: u64) -> Vec<Detection> {
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

fn tracks(n: u64, seed: u64) -> Vec<Track> {
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

fn colors(n: u64, seed: u64) -> Vec<Color> {
    (0..n)
        .map(|i| [Color::Red, Color::Green, Color::Blue][(ramp_u64(i, seed) % 3) as usize])
        .collect()
}

fn levels(n: u64, seed: u64) -> Vec<Level> {
    (0..n)
        .map(|i| [Level::Low, Level::Mid, Level::High][(ramp_u64(i, seed) % 3) as usize])
        .collect()
}

fn bools(n: u64, seed: u64) -> Vec<bool> {
    (0..n).map(|i| ramp_u64(i, seed) & 1 == 1).collect()
}

/// `values` must encode exactly as the manifest's generator says.
fn same_bytes<T: Element>(values: &[T], dtype: &Dtype, seed: u64) {
    assert_eq!(
        &*T::encode(values),
        &ramp_bytes(dtype, 0, values.len(), seed)[..],
        "{dtype:?}"
    );
}

use crate::common::scenario;

fn enums() -> (Dtype, Dtype) {
    (
        Dtype::enumeration("u8", &[("Red", 0), ("Green", 1), ("Blue", 42)]),
        Dtype::enumeration("i16", &[("Low", -300), ("Mid", 0), ("High", 300)]),
    )
}

fn typed_datasets(dir: &Path) {
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

fn attributes(dir: &Path) {
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

fn storage_and_fill(dir: &Path) {
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

#[cfg(feature = "ndarray")]
fn arrays(dir: &Path) {
    scenario(dir, "ndarray", |f, m| {
        let a = ndarray::Array2::from_shape_vec((6, 4), ramp::<f64>(0, 24, 4)).unwrap();
        f.new_dataset::<f64>()
            .shape(&[6, 4])
            .create("whole")
            .unwrap()
            .write_array(&a)
            .unwrap();
        m.dataset_of::<f64>("whole", &[6, 4], Data::Ramp { seed: 4 });
        // Row slabs, one of them from a transposed (non-contiguous) view.
        let ds = f
            .new_dataset::<f64>()
            .shape(&[6, 4])
            .create("slabs")
            .unwrap();
        ds.write_rows_array(0, &a.slice(ndarray::s![0..3, ..]))
            .unwrap();
        let t = a.slice(ndarray::s![3..6, ..]).t().to_owned();
        ds.write_rows_array(3, &t.t()).unwrap();
        m.dataset_of::<f64>("slabs", &[6, 4], Data::Ramp { seed: 4 });
    });
}

fn paths(dir: &Path) {
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

#[test]
fn model_with_five_readers() {
    let dir = common::out_dir("model_conformance");
    typed_datasets(&dir);
    attributes(&dir);
    storage_and_fill(&dir);
    paths(&dir);
    #[cfg(feature = "ndarray")]
    arrays(&dir);
    common::run_oracles(&dir);
}
