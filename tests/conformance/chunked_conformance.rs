//! Chunked, compressed and resized datasets against the five readers and
//! the h5py twin (same chunks and filters; h5dump lines with stored sizes
//! normalised, since our deflate is not zlib's).

use crate::common;

use crate::common::{ramp, Data, Manifest, Ramp};
use h5sink::{DatasetBuilder, Element};

use crate::common::scenario;

/// Fill a dataset with ramp values in row slabs of `slab`, in order.
fn fill<T: Ramp + Element>(
    b: DatasetBuilder<T>,
    name: &str,
    shape: &[u64],
    slab: usize,
    seed: u64,
) {
    let ds = b.shape(shape).create(name).unwrap();
    let row: u64 = shape[1..].iter().product();
    let rows = shape[0] as usize;
    let mut r = 0;
    while r < rows {
        let n = slab.min(rows - r);
        ds.write_rows(r as u64, &ramp::<T>(r as u64 * row, n * row as usize, seed))
            .unwrap();
        r += n;
    }
}

#[test]
fn chunked_with_five_readers() {
    let dir = common::out_dir("chunked_conformance");
    let dir = dir.as_path();

    // B-trees of 1 leaf, a full leaf, two leaves, three levels.
    for (name, n, chunk) in [
        ("chunks_1", 10u64, 10u64),
        ("chunks_64", 640, 10),
        ("chunks_65", 650, 10),
        ("chunks_5000", 5000, 1),
    ] {
        scenario(dir, name, |f, m| {
            fill::<i32>(f.new_dataset::<i32>().chunk(&[chunk]), "x", &[n], 7, 1);
            m.dataset_of::<i32>("x", &[n], Data::Ramp { seed: 1 })
                .chunks(&[chunk]);
        });
    }
    // 100,000 chunks: a three-level tree (1563 leaves, 25 nodes, 1 root).
    scenario(dir, "chunks_100000", |f, m| {
        fill::<u8>(f.new_dataset::<u8>().chunk(&[1]), "x", &[100_000], 4096, 14);
        m.dataset_of::<u8>("x", &[100_000], Data::Ramp { seed: 14 })
            .chunks(&[1]);
    });
    scenario(dir, "edge_chunks_2d", |f, m| {
        fill::<f32>(f.new_dataset::<f32>().chunk(&[4, 3]), "x", &[10, 7], 3, 2);
        m.dataset_of::<f32>("x", &[10, 7], Data::Ramp { seed: 2 })
            .chunks(&[4, 3]);
    });
    scenario(dir, "rank3", |f, m| {
        fill::<i16>(
            f.new_dataset::<i16>().chunk(&[3, 2, 2]),
            "x",
            &[7, 3, 5],
            2,
            3,
        );
        m.dataset_of::<i16>("x", &[7, 3, 5], Data::Ramp { seed: 3 })
            .chunks(&[3, 2, 2]);
    });
    scenario(dir, "filters", |f, m| {
        for level in [1u8, 4, 9] {
            let name = format!("deflate{level}");
            fill::<f64>(
                f.new_dataset::<f64>().chunk(&[16, 8]).deflate(level),
                &name,
                &[40, 20],
                9,
                4,
            );
            m.dataset_of::<f64>(&name, &[40, 20], Data::Ramp { seed: 4 })
                .chunks(&[16, 8])
                .deflate(u32::from(level));
        }
        fill::<u16>(
            f.new_dataset::<u16>().chunk(&[32]).shuffle(),
            "shuffle",
            &[100],
            100,
            5,
        );
        m.dataset_of::<u16>("shuffle", &[100], Data::Ramp { seed: 5 })
            .chunks(&[32])
            .shuffle();
        fill::<i64>(
            f.new_dataset::<i64>().chunk(&[7]).fletcher32(),
            "fletcher",
            &[50],
            11,
            6,
        );
        m.dataset_of::<i64>("fletcher", &[50], Data::Ramp { seed: 6 })
            .chunks(&[7])
            .fletcher32();
        fill::<f32>(
            f.new_dataset::<f32>()
                .chunk(&[5, 5])
                .shuffle()
                .deflate(4)
                .fletcher32(),
            "all",
            &[12, 9],
            5,
            7,
        );
        m.dataset_of::<f32>("all", &[12, 9], Data::Ramp { seed: 7 })
            .chunks(&[5, 5])
            .shuffle()
            .deflate(4)
            .fletcher32();
    });
    scenario(dir, "auto_chunks", |f, m| {
        // A filter without a chunk shape takes h5py's guess.
        let ds = f
            .new_dataset::<u8>()
            .shape(&[300, 50])
            .deflate(6)
            .create("x")
            .unwrap();
        ds.write_raw(&ramp::<u8>(0, 15000, 8)).unwrap();
        let chunk = h5sink::filters::guess_chunk(&[300, 50], 1).unwrap();
        m.dataset_of::<u8>("x", &[300, 50], Data::Ramp { seed: 8 })
            .chunks(&chunk)
            .deflate(6);
    });
    scenario(dir, "resized", |f, m| {
        let ds = f
            .new_dataset::<f32>()
            .shape(&[0, 5])
            .resizable()
            .chunk(&[3, 5])
            .create("appended")
            .unwrap();
        for i in 0..7u64 {
            ds.append_rows(&ramp::<f32>(i * 10, 10, 9)).unwrap();
            if i == 3 {
                f.flush().unwrap();
            }
        }
        m.dataset_of::<f32>("appended", &[14, 5], Data::Ramp { seed: 9 })
            .chunks(&[3, 5])
            .maxshape(&[None, Some(5)]);
        let g = f
            .new_dataset::<i32>()
            .shape(&[2, 2])
            .max_shape(&[None, None])
            .chunk(&[2, 2])
            .create("grown")
            .unwrap();
        g.resize(&[4, 3]).unwrap();
        g.write_raw(&ramp::<i32>(0, 12, 10)).unwrap();
        m.dataset_of::<i32>("grown", &[4, 3], Data::Ramp { seed: 10 })
            .chunks(&[2, 2])
            .maxshape(&[None, None]);
    });
    scenario(dir, "fill_partial_chunked", |f, m| {
        let ds = f
            .new_dataset::<i32>()
            .shape(&[10, 4])
            .chunk(&[3, 4])
            .fill_value(-9)
            .deflate(4)
            .create("x")
            .unwrap();
        ds.write_rows(0, &ramp::<i32>(0, 16, 11)).unwrap();
        m.dataset_of::<i32>(
            "x",
            &[10, 4],
            Data::RampRows {
                seed: 11,
                rows_written: 4,
            },
        )
        .chunks(&[3, 4])
        .deflate(4)
        .fill(-9.0);
    });

    // The writer with an unknown row count.
    let mut m = Manifest::new("writer_unlimited");
    let mut w = h5sink::DatasetWriter::<f32>::builder(m.h5_path(dir), &[16])
        .unlimited()
        .deflate(4)
        .shuffle()
        .buf_size(100)
        .create()
        .unwrap();
    for r in 0..1234u64 {
        w.add(&ramp::<f32>(r * 16, 16, 12), &ramp::<i64>(r, 1, 13))
            .unwrap();
    }
    w.store_class_labels(&["cat", "dog"]).unwrap();
    w.close().unwrap();
    let chunk = h5sink::filters::guess_chunk(&[0, 16], 4).unwrap();
    let lchunk = h5sink::filters::guess_chunk(&[0], 8).unwrap();
    m.dataset_of::<f32>("images", &[1234, 16], Data::Ramp { seed: 12 })
        .chunks(&chunk)
        .maxshape(&[None, Some(16)])
        .shuffle()
        .deflate(4);
    m.dataset_of::<i64>("labels", &[1234], Data::Ramp { seed: 13 })
        .fill(-1.0)
        .chunks(&lchunk)
        .maxshape(&[None]);
    m.dataset(
        "label_names",
        common::VLEN_STR,
        &[2],
        Data::Strings(vec!["cat".into(), "dog".into()]),
    );
    m.write(dir);

    vlen_string_scenarios(dir);

    common::run_oracles(dir);
}

/// Chunked and growing variable-length string datasets: appends of a few
/// strings at a time with commits between them (the open heap collection
/// is filled, sealed, and new ones started), filters, a rank-2 grid with
/// edge chunks, rows of two strings, and odd strings (empty, non-ASCII,
/// larger than a collection).
fn vlen_string_scenarios(dir: &std::path::Path) {
    let odd = |i: usize| match i % 50 {
        7 => String::new(),
        13 => format!("Straße ✓ {i}"),
        29 => "x".repeat(5000 + i),
        _ => format!("img/{i:05}.png"),
    };
    for (name, filtered, exact) in [
        ("vlen_append", false, false),
        ("vlen_append_deflate", true, false),
        ("vlen_append_whole_chunks", false, true),
    ] {
        scenario(dir, name, |f, m| {
            let mut b = f
                .new_dataset::<h5sink::VarLenUnicode>()
                .shape(&[0])
                .resizable()
                .chunk(&[40]);
            if filtered {
                b = b.shuffle().deflate(4);
            }
            let ds = b.create("paths").unwrap();
            let n = if exact { 400 } else { 437 };
            let all: Vec<String> = (0..n).map(odd).collect();
            let mut i = 0;
            while i < n {
                let k = (1 + i % 5).min(n - i);
                assert_eq!(ds.append_strings(&all[i..i + k]).unwrap(), i as u64);
                i += k;
                if i % 60 < 5 {
                    f.flush().unwrap();
                }
            }
            let e = m.dataset("paths", common::VLEN_STR, &[n as u64], Data::Strings(all));
            e.chunks(&[40]).maxshape(&[None]);
            if filtered {
                e.shuffle().deflate(4);
            }
        });
    }
    scenario(dir, "vlen_chunked_grid", |f, m| {
        let cells: Vec<String> = (0..35).map(|i| odd(i * 3)).collect();
        f.new_dataset::<h5sink::VarLenUnicode>()
            .shape(&[5, 7])
            .chunk(&[2, 3])
            .create("grid")
            .unwrap()
            .write_strings(&cells)
            .unwrap();
        m.dataset("grid", common::VLEN_STR, &[5, 7], Data::Strings(cells))
            .chunks(&[2, 3]);
    });
    scenario(dir, "vlen_append_rows", |f, m| {
        let ds = f
            .new_dataset::<h5sink::VarLenUnicode>()
            .shape(&[0, 2])
            .resizable()
            .chunk(&[8, 2])
            .create("pairs")
            .unwrap();
        let cells: Vec<String> = (0..2 * 30)
            .map(|i| format!("{}={}", i / 2, odd(i)))
            .collect();
        for (r, pair) in cells.chunks(2).enumerate() {
            assert_eq!(ds.append_strings(pair).unwrap(), r as u64);
        }
        m.dataset("pairs", common::VLEN_STR, &[30, 2], Data::Strings(cells))
            .chunks(&[8, 2])
            .maxshape(&[None, Some(2)]);
    });
}
