//! Conformance: files h5sink writes must read back exactly in h5py, pyfive
//! and h5dump, and dump identically (`h5dump -p`, address lines aside) to an
//! h5py-written twin with the same content. One Python run checks them all.

use crate::common;

use crate::common::{Data, Manifest, Ramp};
use h5sink::{Group, Numeric, VarLenUnicode};
use std::path::Path;

/// Create `name` in `g`, fill it with ramp values (rows in slabs of 3,
/// written last slab first, to exercise positional writes), and record it.
fn numeric<T: Ramp + Numeric>(g: &Group, m: &mut Manifest, name: &str, shape: &[u64], seed: u64) {
    let ds = g.new_dataset::<T>().shape(shape).create(name).unwrap();
    let n: u64 = shape.iter().product();
    let values = common::ramp::<T>(0, n as usize, seed);
    if shape.is_empty() {
        ds.write_scalar(&values[0]).unwrap();
    } else {
        let row = ds.row_len() as usize;
        let rows = shape[0] as usize;
        let mut starts: Vec<usize> = (0..rows).step_by(3).collect();
        starts.reverse();
        for s in starts {
            let e = (s + 3).min(rows);
            ds.write_rows(s as u64, &values[s * row..e * row]).unwrap();
        }
    }
    m.dataset_of::<T>(&path_of(g, name), shape, Data::Ramp { seed });
}

fn path_of(g: &Group, name: &str) -> String {
    format!("{}/{name}", g.name())
        .trim_start_matches('/')
        .to_string()
}

fn strings(g: &Group, m: &mut Manifest, name: &str, values: &[String]) {
    let ds = g
        .new_dataset::<VarLenUnicode>()
        .shape(&[values.len()])
        .create(name)
        .unwrap();
    ds.write_strings(values).unwrap();
    m.dataset(
        &path_of(g, name),
        common::VLEN_STR,
        &[values.len() as u64],
        Data::Strings(values.to_vec()),
    );
}

use crate::common::scenario;

fn all_types(dir: &Path, prefix: &str, shape: &[u64]) {
    macro_rules! each {
        ($($t:ty),*) => {$(
            scenario(dir, &format!("{prefix}_{}", stringify!($t)), |f, m| {
                numeric::<$t>(f, m, "x", shape, 11)
            });
        )*};
    }
    each!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);
}

fn members(dir: &Path, n: usize) {
    scenario(dir, &format!("group_{n}_members"), |f, m| {
        let g = f.create_group("g").unwrap();
        m.group("g");
        // Created in reverse order: the file must still list them sorted.
        for i in (0..n).rev() {
            let name = format!("m{i:05}");
            if i % 4 == 0 {
                g.create_group(&name).unwrap();
                m.group(&format!("g/{name}"));
            } else {
                numeric::<i16>(&g, m, &name, &[2], i as u64);
            }
        }
    });
}

#[test]
fn conformance_with_real_readers() {
    let dir = common::out_dir("conformance");
    let dir = dir.as_path();

    // Every element type, rank 2 and scalar.
    all_types(dir, "rank2", &[7, 5]);
    all_types(dir, "scalar", &[]);
    // Ranks and zero-length dimensions.
    for (name, shape) in [
        ("rank1", vec![10]),
        ("rank3", vec![4, 3, 2]),
        ("rank5", vec![2, 1, 3, 1, 2]),
        ("zero_rows", vec![0, 5]),
        ("zero_len_1d", vec![0]),
        ("zero_inner", vec![5, 0]),
        ("zero_middle", vec![3, 0, 2]),
    ] {
        scenario(dir, name, |f, m| numeric::<f32>(f, m, "x", &shape, 3));
    }
    let mut rank32 = vec![1u64; 32];
    rank32[0] = 3;
    rank32[17] = 2;
    rank32[31] = 2;
    scenario(dir, "rank32", |f, m| numeric::<u16>(f, m, "x", &rank32, 5));

    // Rows partly written: the rest reads as the fill value 0.
    scenario(dir, "partial_rows", |f, m| {
        let ds = f.new_dataset::<f64>().shape(&[10, 4]).create("x").unwrap();
        ds.write_rows(0, &common::ramp::<f64>(0, 16, 9)).unwrap();
        m.dataset_of::<f64>(
            "x",
            &[10, 4],
            Data::RampRows {
                seed: 9,
                rows_written: 4,
            },
        );
    });

    // Variable-length UTF-8 strings.
    scenario(dir, "strings_small", |f, m| {
        let v: Vec<String> = [
            "a",
            "bc",
            "",
            "ünïcödé",
            "日本語テキスト",
            "🦀 crab",
            "tab\tnew\nline",
        ]
        .map(String::from)
        .into();
        strings(f, m, "names", &v);
    });
    scenario(dir, "strings_100k", |f, m| {
        let big: String = (0..100 * 1024)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        strings(
            f,
            m,
            "big",
            &[
                String::new(),
                big.clone(),
                "after".into(),
                format!("{big}ü"),
            ],
        );
    });
    scenario(dir, "strings_many_collections", |f, m| {
        let v: Vec<String> = (0..1000)
            .map(|i| format!("class-{i}-{}", "x".repeat(i % 40)))
            .collect();
        strings(f, m, "names", &v);
    });
    scenario(dir, "strings_empty_dataset", |f, m| {
        strings(f, m, "none", &[])
    });

    // Groups: member counts around every node boundary, and nesting.
    for n in [0, 1, 8, 9, 33, 1000, 5000] {
        members(dir, n);
    }
    scenario(dir, "nested_groups", |f, m| {
        let mut g = f.create_group("a").unwrap();
        m.group("a");
        let mut path = String::from("a");
        for depth in 0..8 {
            numeric::<u8>(&g, m, &format!("d{depth}"), &[depth + 1], depth);
            g = g.create_group("sub").unwrap();
            path.push_str("/sub");
            m.group(&path);
        }
        let meta = f.create_group("meta").unwrap();
        m.group("meta");
        strings(&meta, m, "names", &["x".into(), "y".into()]);
    });

    // Several commits: members created after flushes, strings rewritten.
    scenario(dir, "multiple_commits", |f, m| {
        numeric::<i64>(f, m, "first", &[3], 1);
        f.flush().unwrap();
        let g = f.create_group("later").unwrap();
        m.group("later");
        numeric::<f32>(&g, m, "x", &[2, 2], 2);
        f.flush().unwrap();
        let s = f
            .new_dataset::<VarLenUnicode>()
            .shape(&[2])
            .create("s")
            .unwrap();
        s.write_strings(&["old", "older"]).unwrap();
        f.flush().unwrap();
        s.write_strings(&["new", "newer"]).unwrap();
        m.dataset(
            "s",
            common::VLEN_STR,
            &[2],
            Data::Strings(vec!["new".into(), "newer".into()]),
        );
        f.flush().unwrap();
        numeric::<u32>(f, m, "last", &[4], 3);
    });

    // Small datasets are staged in memory until their first commit; past
    // 4 MiB of staged data they are written out early. Writing every
    // dataset in two halves straddles that spill.
    scenario(dir, "staged_small_datasets", |f, m| {
        let g = f.create_group("small").unwrap();
        m.group("small");
        let n = 8192u64; // 64 KiB of f64: the largest staged size
        let sets: Vec<_> = (0..80u64)
            .map(|i| {
                let name = format!("s{i:03}");
                m.dataset_of::<f64>(&format!("small/{name}"), &[n], Data::Ramp { seed: i });
                g.new_dataset::<f64>().shape(&[n]).create(&name).unwrap()
            })
            .collect();
        for half in 0..2u64 {
            for (i, ds) in sets.iter().enumerate() {
                let start = half * n / 2;
                let values = common::ramp::<f64>(start, (n / 2) as usize, i as u64);
                ds.write_rows(start, &values).unwrap();
            }
        }
    });

    // The tutorial's file, written through DatasetWriter::<f64> with the
    // defaults (data key "images", buffer 1000 rows), 70000 rows reduced to 2500.
    let mut m = Manifest::new("tutorial");
    let (rows, cols) = (2500u64, 784u64);
    let mut w = h5sink::DatasetWriter::<f64>::create(m.h5_path(dir), &[rows, cols]).unwrap();
    let mut r = 0;
    for batch in [1, 31, 999, 1000, 1, 2000].iter().cycle() {
        let n = (*batch).min(rows - r);
        let data = common::ramp::<f64>(r * cols, (n * cols) as usize, 21);
        let labels = common::ramp::<i64>(r, n as usize, 4);
        w.add(&data, &labels).unwrap();
        r += n;
        if r == rows {
            break;
        }
    }
    assert_eq!(w.len(), rows);
    w.store_class_labels(&["airplane", "automobile", "bird", "cat"])
        .unwrap();
    w.close().unwrap();
    m.dataset_of::<f64>("images", &[rows, cols], Data::Ramp { seed: 21 })
        .dataset_of::<i64>("labels", &[rows], Data::Ramp { seed: 4 })
        .fill(-1.0)
        .dataset(
            "label_names",
            common::VLEN_STR,
            &[4],
            Data::Strings(
                ["airplane", "automobile", "bird", "cat"]
                    .map(String::from)
                    .into(),
            ),
        );
    m.write(dir);

    common::run_oracles(dir);
}
