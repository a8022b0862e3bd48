//! Reading back what was written: every layout (contiguous, staged small
//! datasets, compact, chunked with open and stored chunks, edge chunks,
//! filters), every element type, strings and attributes, before and after
//! `flush`, in memory and in a file. Reopening a closed file needs the
//! loader and is not covered here.

use h5sink::{Dataset, Error, File, FixedAscii, FixedUnicode, MemStorage};

#[path = "read_back/edges.rs"]
mod edges;
#[path = "read_back/strings.rs"]
mod strings;

h5sink::h5compound! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Det { x: f32, label: i64, ok: bool, hist: [u16; 3], code: FixedAscii<4> }
}

h5sink::h5enum! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Color: i16 { Red = -1, Green = 1, Blue = 300 }
}

/// Where a file is written: memory, or a file in a temporary directory.
fn files() -> Vec<(File, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let disk = File::create(dir.path().join("t.h5")).unwrap();
    vec![
        (File::with_storage(MemStorage::new()).unwrap(), None),
        (disk, Some(dir)),
    ]
}

/// The storage options tried for every dataset of `rows` x `cols`.
#[derive(Clone, Copy, Debug)]
enum Layout {
    Contiguous,
    Compact,
    Chunked,
    Filtered,
    Edge,
}

const LAYOUTS: [Layout; 5] = [
    Layout::Contiguous,
    Layout::Compact,
    Layout::Chunked,
    Layout::Filtered,
    Layout::Edge,
];

fn make<T: h5sink::Element>(f: &File, name: &str, layout: Layout, shape: &[u64]) -> Dataset {
    let b = f.new_dataset::<T>().shape(shape);
    let b = match layout {
        Layout::Contiguous => b,
        Layout::Compact => b.compact(),
        Layout::Chunked => b.chunk(&[2, shape[1]]),
        Layout::Filtered => b.chunk(&[2, shape[1]]).shuffle().deflate(6).fletcher32(),
        Layout::Edge => b.chunk(&[3, 2]).deflate(1),
    };
    b.create(name).unwrap()
}

/// Write `values` (rows x cols) into a dataset of each layout, reading it
/// back whole and by rows before and after flush.
fn round_trip<T: h5sink::Element + PartialEq + std::fmt::Debug>(
    name: &str,
    values: &[T],
    cols: u64,
) {
    let rows = values.len() as u64 / cols;
    for (f, _dir) in files() {
        for layout in LAYOUTS {
            let ds = make::<T>(&f, &format!("{name}_{layout:?}"), layout, &[rows, cols]);
            // Half the rows, then a read: open chunks and staged data.
            let half = (rows / 2) as usize * cols as usize;
            ds.write_rows(0, &values[..half]).unwrap();
            assert_eq!(
                ds.read_rows::<T>(0, rows / 2).unwrap(),
                &values[..half],
                "{name} {layout:?}"
            );
            ds.write_rows(rows / 2, &values[half..]).unwrap();
            assert_eq!(ds.read_raw::<T>().unwrap(), values, "{name} {layout:?}");
            f.flush().unwrap();
            assert_eq!(
                ds.read_raw::<T>().unwrap(),
                values,
                "{name} {layout:?} flushed"
            );
            let r1 = rows - 1;
            let last = ds.read_rows::<T>(r1, 1).unwrap();
            assert_eq!(
                last,
                &values[(r1 * cols) as usize..],
                "{name} {layout:?} last row"
            );
        }
        f.close().unwrap();
    }
}

#[test]
fn numbers_bools_and_arrays_in_every_layout() {
    let n = 7 * 5;
    round_trip("u8", &(0..n).map(|i| i as u8).collect::<Vec<_>>(), 5);
    round_trip("i8", &(0..n).map(|i| -(i as i8)).collect::<Vec<_>>(), 5);
    round_trip(
        "u16",
        &(0..n)
            .map(|i| (i as u16).wrapping_mul(999))
            .collect::<Vec<_>>(),
        5,
    );
    round_trip(
        "i16",
        &(0..n)
            .map(|i| (i as i16).wrapping_mul(-999))
            .collect::<Vec<_>>(),
        5,
    );
    round_trip(
        "u32",
        &(0..n)
            .map(|i| (i as u32).wrapping_mul(1_000_003))
            .collect::<Vec<_>>(),
        5,
    );
    round_trip("i32", &(0..n).map(|i| -i * 77_777).collect::<Vec<_>>(), 5);
    round_trip(
        "u64",
        &(0..n).map(|i| u64::MAX - i as u64).collect::<Vec<_>>(),
        5,
    );
    round_trip(
        "i64",
        &(0..n).map(|i| i64::MIN + i as i64).collect::<Vec<_>>(),
        5,
    );
    round_trip(
        "f32",
        &(0..n).map(|i| i as f32 * -0.25).collect::<Vec<_>>(),
        5,
    );
    round_trip(
        "f64",
        &(0..n).map(|i| 1e300 / (i as f64 + 1.0)).collect::<Vec<_>>(),
        5,
    );
    round_trip("bool", &(0..n).map(|i| i % 3 == 0).collect::<Vec<_>>(), 5);
    round_trip(
        "arr",
        &(0..n).map(|i| [i as f32, -(i as f32)]).collect::<Vec<_>>(),
        5,
    );
}

#[test]
fn strings_compounds_and_enums_in_every_layout() {
    let n = 6 * 4;
    let ascii: Vec<_> = (0..n)
        .map(|i| FixedAscii::<4>::new(&format!("a{i}")).unwrap())
        .collect();
    round_trip("ascii", &ascii, 4);
    let utf: Vec<_> = (0..n)
        .map(|i| FixedUnicode::<8>::new(&format!("é{i}")).unwrap())
        .collect();
    round_trip("utf", &utf, 4);
    let dets: Vec<_> = (0..n)
        .map(|i| Det {
            x: i as f32 / 3.0,
            label: -(i as i64),
            ok: i % 2 == 0,
            hist: [i as u16, 2, 3],
            code: FixedAscii::new("ab").unwrap(),
        })
        .collect();
    round_trip("det", &dets, 4);
    let colors: Vec<_> = (0..n)
        .map(|i| [Color::Red, Color::Green, Color::Blue][i % 3])
        .collect();
    round_trip("color", &colors, 4);
}

#[test]
fn never_written_elements_read_as_the_fill_value() {
    for (f, _dir) in files() {
        for layout in LAYOUTS {
            let name = format!("plain_{layout:?}");
            let ds = make::<i32>(&f, &name, layout, &[5, 3]);
            assert_eq!(ds.read_raw::<i32>().unwrap(), [0; 15], "{layout:?}");
        }
        for big in [false, true] {
            // Small datasets are staged; large ones go to disk at once.
            let rows = if big { 100_000 } else { 5 };
            let b = f.new_dataset::<f32>().shape(&[rows, 3]).fill_value(-1.5);
            let ds = b.create(&format!("fill_{big}")).unwrap();
            assert!(ds.read_raw::<f32>().unwrap().iter().all(|&v| v == -1.5));
            ds.write_rows(1, &[1.0f32, 2.0, 3.0]).unwrap();
            let got = ds.read_rows::<f32>(0, 3).unwrap();
            assert_eq!(got, [-1.5, -1.5, -1.5, 1.0, 2.0, 3.0, -1.5, -1.5, -1.5]);
            let ck = f
                .new_dataset::<u16>()
                .shape(&[rows, 3])
                .chunk(&[4, 2])
                .fill_value(9);
            let ck = ck
                .deflate(3)
                .create(&format!("fill_chunked_{big}"))
                .unwrap();
            ck.write_rows(0, &[1u16, 2, 3]).unwrap(); // one row of an open chunk
            f.flush().unwrap(); // the open chunks are stored, and stay open
            ck.write_rows(1, &[4u16, 5, 6]).unwrap();
            assert_eq!(
                ck.read_rows::<u16>(0, 3).unwrap(),
                [1, 2, 3, 4, 5, 6, 9, 9, 9]
            );
            let last = ck.read_rows::<u16>(rows - 1, 1).unwrap();
            assert_eq!(last, [9, 9, 9]);
        }
        f.close().unwrap();
    }
}

#[test]
fn scalars() {
    for (f, _dir) in files() {
        let s = f.new_dataset::<f64>().create("lr").unwrap();
        assert_eq!(s.read_scalar::<f64>().unwrap(), 0.0);
        s.write_scalar(&0.25f64).unwrap();
        assert_eq!(s.read_scalar::<f64>().unwrap(), 0.25);
        let c = f.new_dataset::<Color>().compact().create("c").unwrap();
        c.write_scalar(&Color::Blue).unwrap();
        f.flush().unwrap();
        assert_eq!(c.read_scalar::<Color>().unwrap(), Color::Blue);
        assert_eq!(s.read_raw::<f64>().unwrap(), [0.25]);
        assert_eq!(s.read_rows::<f64>(0, 1).unwrap(), [0.25]);
        let v = f
            .new_dataset::<u8>()
            .shape(&[1, 1])
            .chunk(&[1, 1])
            .create("one")
            .unwrap();
        v.write_raw(&[7u8]).unwrap();
        assert_eq!(v.read_scalar::<u8>().unwrap(), 7);
        let e = f.new_dataset::<u8>().shape(&[0]).create("empty").unwrap();
        assert!(e.read_raw::<u8>().unwrap().is_empty());
        assert!(matches!(e.read_scalar::<u8>(), Err(Error::BadShape { .. })));
        f.close().unwrap();
    }
}

#[test]
fn read_rows_ranges_and_edge_chunks_in_three_dimensions() {
    let shape = [11u64, 5, 4];
    let all: Vec<u32> = (0..11 * 5 * 4).collect();
    for (f, _dir) in files() {
        let ds = f
            .new_dataset::<u32>()
            .shape(&shape)
            .chunk(&[3, 2, 3])
            .shuffle()
            .deflate(2);
        let ds = ds.create("cube").unwrap();
        ds.write_raw(&all).unwrap();
        for flushed in [false, true] {
            for start in 0..=11u64 {
                for count in 0..=11 - start {
                    let got = ds.read_rows::<u32>(start, count).unwrap();
                    let want = &all[(start * 20) as usize..((start + count) * 20) as usize];
                    assert_eq!(got, want, "rows {start}+{count} flushed {flushed}");
                }
            }
            let e = ds.read_rows::<u32>(10, 2).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::RowsOutOfRange {
                        start: 10,
                        end: 12,
                        rows: 11,
                        ..
                    }
                ),
                "{e}"
            );
            assert!(matches!(
                ds.read_rows::<u32>(u64::MAX, 2),
                Err(Error::RowsOutOfRange { .. })
            ));
            assert!(matches!(
                ds.read_rows::<i32>(0, 1),
                Err(Error::TypeMismatch { .. })
            ));
            f.flush().unwrap();
        }
        f.close().unwrap();
    }
}

#[test]
fn appended_rows_are_read_from_open_and_stored_chunks() {
    for (f, _dir) in files() {
        let b = f
            .new_dataset::<i64>()
            .shape(&[0, 3])
            .resizable()
            .chunk(&[4, 3])
            .fletcher32();
        let ds = b.create("log").unwrap();
        let mut want = Vec::new();
        for step in 0..20i64 {
            let rows: Vec<i64> = (0..3 * (step % 3 + 1)).map(|v| v * 100 + step).collect();
            ds.append_rows(&rows).unwrap();
            want.extend_from_slice(&rows);
            if step % 4 == 0 {
                f.flush().unwrap();
            }
            assert_eq!(ds.read_raw::<i64>().unwrap(), want, "step {step}");
        }
        ds.resize(&[ds.rows() + 5, 3]).unwrap(); // new rows never written: zeros
        want.extend_from_slice(&[0; 15]);
        assert_eq!(ds.read_raw::<i64>().unwrap(), want);
        f.close().unwrap();
    }
}

#[test]
fn a_dataset_of_100000_chunks() {
    let f = File::in_memory().unwrap();
    let ds = f
        .new_dataset::<u32>()
        .shape(&[100_000])
        .chunk(&[1])
        .create("many")
        .unwrap();
    let all: Vec<u32> = (0..100_000).map(|i| i * 3).collect();
    ds.write_raw(&all).unwrap();
    assert_eq!(ds.read_raw::<u32>().unwrap(), all);
    f.flush().unwrap();
    assert_eq!(ds.read_rows::<u32>(99_990, 10).unwrap(), all[99_990..]);
    f.close().unwrap();
}
