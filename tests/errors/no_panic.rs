//! Property test: random sequences of API calls, with hostile names, shapes,
//! row ranges and strings, never panic; every call returns `Ok` or a typed
//! `Error`; and whatever state the calls leave, the bytes are a complete
//! file (end-of-file address = length). A sample of the files is then opened
//! and read whole by h5py in one batch.

use crate::common;

use h5sink::{Dataset, Error, File, Group, MemStorage, VarLenUnicode};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

#[derive(Clone, Debug)]
enum Op {
    Group {
        parent: usize,
        name: String,
    },
    Dataset {
        parent: usize,
        name: String,
        dtype: u8,
        shape: Vec<u64>,
    },
    Rows {
        ds: usize,
        start: usize,
        values: usize,
    },
    Raw {
        ds: usize,
        values: usize,
    },
    Strings {
        ds: usize,
        strings: Vec<String>,
    },
    Flush,
    Close,
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,6}",
        1 => Just(String::new()),
        1 => Just(".".to_string()),
        1 => Just("..".to_string()),
        1 => "[a-z]{0,3}/[a-z]{0,3}",
        1 => "[a-z]{0,3}\0[a-z]{0,3}",
        1 => "\\PC{1,12}",
    ]
}

fn dim() -> impl Strategy<Value = u64> {
    prop_oneof![6 => 0u64..6, 1 => Just(u64::MAX), 1 => Just(1u64 << 62), 1 => Just(1u64 << 40)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0usize..8, name()).prop_map(|(parent, name)| Op::Group { parent, name }),
        4 => (0usize..8, name(), 0u8..11, prop::collection::vec(dim(), 0..5))
            .prop_map(|(parent, name, dtype, shape)| Op::Dataset { parent, name, dtype, shape }),
        4 => (0usize..8, prop_oneof![5 => 0usize..8, 1 => Just(usize::MAX)], 0usize..200)
            .prop_map(|(ds, start, values)| Op::Rows { ds, start, values }),
        1 => (0usize..8, 0usize..200).prop_map(|(ds, values)| Op::Raw { ds, values }),
        2 => (0usize..8, prop::collection::vec("\\PC{0,20}", 0..12)).prop_map(|(ds, strings)| Op::Strings { ds, strings }),
        2 => Just(Op::Flush),
        1 => Just(Op::Close),
    ]
}

fn create(g: &Group, name: &str, dtype: u8, shape: &[u64]) -> h5sink::Result<Dataset> {
    // Keep real allocations small: shapes over 1 MiB must fail (they overflow)
    // or are skipped, since MemStorage would hold them in memory.
    // (16 bytes: the largest element; u64 overflow of that is left to h5sink
    // only when the real element size overflows too, i.e. for u64::MAX dims.)
    let n = shape.iter().try_fold(16u64, |a, &d| a.checked_mul(d));
    let overflows_anyway = shape.contains(&u64::MAX) && !shape.contains(&0);
    if !overflows_anyway && n.map_or(true, |n| n > 1 << 20) {
        return Err(Error::Closed { by: "File::close" });
    }
    macro_rules! t {
        ($($i:literal => $t:ty),*) => {
            match dtype { $($i => g.new_dataset::<$t>().shape(shape).create(name),)* _ => g.new_dataset::<VarLenUnicode>().shape(shape).create(name) }
        };
    }
    t!(0 => u8, 1 => i8, 2 => u16, 3 => i16, 4 => u32, 5 => i32, 6 => u64, 7 => i64, 8 => f32, 9 => f64)
}

/// Write `values` elements of the dataset's own type (any type works: a
/// mismatch is an error, and we try f32 first to provoke it sometimes).
fn rows(ds: &Dataset, start: usize, values: usize, raw: bool) -> h5sink::Result<()> {
    let f = vec![1.5f32; values];
    let r = if raw {
        ds.write_raw(&f)
    } else {
        ds.write_rows(start as u64, &f)
    };
    match r {
        Err(Error::TypeMismatch { .. }) => {
            let b = vec![7u8; values];
            if raw {
                ds.write_raw(&b)
            } else {
                ds.write_rows(start as u64, &b)
            }
        }
        r => r,
    }
}

fn run(ops: &[Op]) -> (Vec<u8>, bool) {
    let mem = MemStorage::new();
    let file = File::with_storage(mem.clone()).expect("an empty MemStorage always works");
    let mut groups: Vec<Group> = vec![(*file).clone()];
    let mut sets: Vec<Dataset> = Vec::new();
    let mut file = Some(file);
    let mut closed = false;
    for op in ops {
        let r: h5sink::Result<()> = match op {
            Op::Group { parent, name } => groups[parent % groups.len()]
                .create_group(name)
                .map(|g| groups.push(g)),
            Op::Dataset {
                parent,
                name,
                dtype,
                shape,
            } => create(&groups[parent % groups.len()], name, *dtype, shape).map(|d| sets.push(d)),
            Op::Rows { ds, start, values } if !sets.is_empty() => {
                rows(&sets[ds % sets.len()], *start, *values, false)
            }
            Op::Raw { ds, values } if !sets.is_empty() => {
                rows(&sets[ds % sets.len()], 0, *values, true)
            }
            Op::Strings { ds, strings } if !sets.is_empty() => {
                sets[ds % sets.len()].write_strings(strings)
            }
            Op::Flush => file
                .as_ref()
                .map_or(Err(Error::Closed { by: "File::close" }), |f| f.flush()),
            Op::Close => {
                closed = true;
                file.take()
                    .map_or(Err(Error::Closed { by: "File::close" }), |f| f.close())
            }
            _ => Ok(()),
        };
        if closed {
            // After close, handles must refuse work with Error::Closed.
            if let Err(e) = &r {
                assert!(matches!(e, Error::Closed { .. }), "after close: {e}");
            }
        }
        let _ = r.map_err(|e| e.to_string()); // every error has a message
    }
    if let Some(f) = file {
        f.close().unwrap();
    }
    (mem.to_vec(), closed)
}

fn eof(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes[40..48].try_into().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    #[test]
    fn random_calls_never_panic(ops in prop::collection::vec(op(), 0..40)) {
        let (bytes, _) = run(&ops);
        prop_assert_eq!(&bytes[..8], b"\x89HDF\r\n\x1a\n");
        prop_assert_eq!(eof(&bytes), bytes.len() as u64);
    }
}

/// A fixed sample of random programs, read whole by h5py.
#[test]
fn random_files_open_in_h5py() {
    let dir = common::out_dir("no_panic");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = prop::collection::vec(op(), 0..40);
    for i in 0..60 {
        let ops = strategy.new_tree(&mut runner).unwrap().current();
        let (bytes, _) = run(&ops);
        std::fs::write(dir.join(format!("case{i:03}.h5")), bytes).unwrap();
    }
    common::run_python_script("tests/oracle/read_all.py", &[dir.as_os_str()]);
}
