//! The engine's transaction guarantees, proved through the public API:
//!
//! 1. a refused call changes nothing (shape and file bytes);
//! 2. concurrent one-row appends through clones of one dataset each get
//!    their own row: every value lands exactly once;
//! 3. attributes created while another thread commits are all in the file;
//! 4. handles outlive the `File`, and after `File::close` every call on
//!    every handle is `Error::Closed` naming the call;
//! 5. `shape()` and `row_len()` are current after a resize, on every handle.
//!
//! Files that readers must accept are checked by all five (h5py, pyfive,
//! h5dump, jsfive and h5wasm; `common::run_oracles`).

use crate::common;
#[path = "transactions/handles.rs"]
mod handles;

use crate::common::{Data, Json, Manifest, VLEN_STR};
use h5sink::{Dataset, Error, File, VarLenUnicode};

// ------------------------------------------------------------------ helpers

/// The error of `r`, which must have failed.
fn fails<T: std::fmt::Debug>(r: h5sink::Result<T>, what: &str) -> Error {
    match r {
        Ok(v) => panic!("{what}: succeeded with {v:?}, expected an error"),
        Err(e) => e,
    }
}

/// The in-memory file `build` makes, closed, as bytes.
fn bytes_of(build: impl FnOnce(&File)) -> Vec<u8> {
    let f = File::in_memory().unwrap();
    build(&f);
    f.into_bytes().unwrap()
}

const THREADS: u64 = 8;
const PER_THREAD: u64 = 2000;
/// Divides `THREADS * PER_THREAD`: pyfive reads chunked vlen strings only
/// without a partial edge chunk.
const STR_CHUNK: u64 = 250;

/// The unique value thread `t` appends as its `seq`-th row.
fn value(t: u64, seq: u64) -> i64 {
    (t * 1_000_000 + seq) as i64
}

/// The unique string thread `t` appends as its `seq`-th row.
fn string(t: u64, seq: u64) -> String {
    format!("thread {t} row {seq}")
}

/// `(row, value)` pairs from every thread, as one array by row: each row
/// must have been claimed exactly once, and each value appended exactly once.
fn by_row<V: Clone + Ord + std::fmt::Debug>(claims: Vec<(u64, V)>, n: u64) -> Vec<V> {
    let mut slots: Vec<Option<V>> = vec![None; n as usize];
    for (row, v) in claims {
        let slot = slots
            .get_mut(row as usize)
            .unwrap_or_else(|| panic!("row {row} returned, beyond {n} rows"));
        assert!(slot.is_none(), "row {row} returned twice");
        *slot = Some(v);
    }
    let values: Vec<V> = slots
        .into_iter()
        .enumerate()
        .map(|(i, v)| v.unwrap_or_else(|| panic!("row {i} was never returned")))
        .collect();
    let mut sorted = values.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len() as u64, n, "a value was appended twice");
    values
}

// ------------------------------------- 1. a refused call changes nothing

/// A chunked, resizable f32 dataset (at most 4 rows of 2) with one row and
/// a vlen string dataset (at most 3 strings) with one string.
fn refusal_base(f: &File) -> (Dataset, Dataset) {
    let x = f
        .new_dataset::<f32>()
        .shape(&[0, 2])
        .max_shape(&[Some(4), Some(2)])
        .chunk(&[2, 2])
        .deflate(4)
        .create("x")
        .unwrap();
    assert_eq!(x.append_rows(&[1.0f32, 2.0]).unwrap(), 0);
    let s = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[0])
        .max_shape(&[Some(3)])
        .chunk(&[2])
        .create("s")
        .unwrap();
    assert_eq!(s.append_strings(&["first"]).unwrap(), 0);
    (x, s)
}

/// The rows both files get after the refused calls.
fn refusal_tail(x: &Dataset, s: &Dataset) {
    assert_eq!(x.append_rows(&[3.0f32, 4.0, 5.0, 6.0]).unwrap(), 1);
    assert_eq!(s.append_strings(&["second"]).unwrap(), 1);
}

#[test]
fn refused_appends_change_nothing() {
    for flushed in [false, true] {
        let untouched = bytes_of(|f| {
            let (x, s) = refusal_base(f);
            if flushed {
                f.flush().unwrap();
            }
            refusal_tail(&x, &s);
        });
        let refused = bytes_of(|f| {
            let (x, s) = refusal_base(f);
            if flushed {
                f.flush().unwrap();
            }
            let before = (x.shape(), s.shape());
            // Numbers convert as libhdf5 converts; bool rows do not, and a
            // value beyond f32 is refused whole.
            let e = fails(x.append_rows(&[true, false]), "bool rows into f32");
            assert!(matches!(e, Error::TypeMismatch { .. }), "{e:?}");
            let e = fails(x.append_rows(&[1.0f64, 1e300]), "1e300 into f32");
            assert!(
                matches!(e, Error::ConversionRange { index: 1, .. }),
                "{e:?}"
            );
            let e = fails(x.append_rows(&[1.0f32, 2.0, 3.0]), "1.5 rows");
            assert!(matches!(e, Error::PartialRow { .. }), "{e:?}");
            let e = fails(x.append_rows(&[0.0f32; 8]), "4 rows onto 1 of 4");
            assert!(
                matches!(&e, Error::BadShape { reason, .. } if reason.contains("maximum 4")),
                "{e:?}"
            );
            let e = fails(x.append_strings(&["x"]), "strings into f32");
            assert!(matches!(e, Error::TypeMismatch { .. }), "{e:?}");
            let e = fails(s.append_strings(&["a", "b\0c"]), "NUL");
            assert!(matches!(e, Error::NulInString { index: 1, .. }), "{e:?}");
            let e = fails(s.append_strings(&["a", "b", "c"]), "3 onto 1 of 3");
            assert!(matches!(e, Error::BadShape { .. }), "{e:?}");
            let e = fails(s.append_rows(&[1u8]), "numbers into strings");
            assert!(matches!(e, Error::TypeMismatch { .. }), "{e:?}");
            let e = fails(x.resize(&[5, 2]), "resize beyond the maximum");
            assert!(matches!(e, Error::BadShape { .. }), "{e:?}");
            let e = fails(x.resize(&[0, 2]), "shrink");
            assert!(matches!(e, Error::BadShape { .. }), "{e:?}");
            assert_eq!((x.shape(), s.shape()), before);
            assert_eq!(before, (vec![1, 2], vec![1]));
            refusal_tail(&x, &s);
        });
        assert!(
            refused == untouched,
            "refused calls changed the file (flushed: {flushed}; {} vs {} bytes)",
            refused.len(),
            untouched.len()
        );
    }
    // Same check, all refusals before the very first append.
    let fresh = |refuse: bool| {
        bytes_of(|f| {
            let x = f
                .new_dataset::<f32>()
                .shape(&[0, 2])
                .max_shape(&[Some(4), Some(2)])
                .chunk(&[2, 2])
                .create("x")
                .unwrap();
            if refuse {
                assert!(x.append_rows(&[true, false]).is_err());
                assert!(x.append_rows(&[1.0f32]).is_err());
                assert!(x.append_rows(&[0.0f32; 10]).is_err());
                assert_eq!(x.shape(), [0, 2]);
            }
            x.append_rows(&[7.0f32, 8.0]).unwrap();
        })
    };
    assert!(fresh(true) == fresh(false), "refusals changed a fresh file");
}

/// The flushed variant above, through the readers: the refusals leave the
/// rows appended before and after them, and nothing else.
#[test]
fn refused_appends_readers_see_only_accepted_rows() {
    let dir = common::out_dir("transactions_refused");
    let mut m = Manifest::new("refused");
    let f = File::create(m.h5_path(&dir)).unwrap();
    let (x, s) = refusal_base(&f);
    f.flush().unwrap();
    assert!(x.append_rows(&[true, false]).is_err());
    assert!(x.append_rows(&[1.0f64, 1e300]).is_err());
    assert!(x.append_rows(&[0.0f32; 3]).is_err());
    assert!(x.append_rows(&[0.0f32; 8]).is_err());
    assert!(s.append_strings(&["a", "b\0"]).is_err());
    assert!(s.append_strings(&["a", "b", "c"]).is_err());
    refusal_tail(&x, &s);
    f.close().unwrap();
    let xs: Vec<Json> = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]
        .into_iter()
        .map(Json::from)
        .collect();
    m.dataset("x", "f32", &[3, 2], Data::Values(xs))
        .chunks(&[2, 2])
        .maxshape(&[Some(4), Some(2)])
        .deflate(4)
        .dataset(
            "s",
            VLEN_STR,
            &[2],
            Data::Strings(vec!["first".into(), "second".into()]),
        )
        .chunks(&[2])
        .maxshape(&[Some(3)]);
    m.write(&dir);
    common::run_oracles(&dir);
}

// ------------------------------ 2. concurrent appends through clones

#[test]
fn concurrent_single_row_appends_land_once_each() {
    let dir = common::out_dir("transactions_appends");
    let mut m = Manifest::new("appends");
    let f = File::create(m.h5_path(&dir)).unwrap();
    let nums = f
        .new_dataset::<i64>()
        .shape(&[0])
        .resizable()
        .chunk(&[256])
        .deflate(4)
        .create("nums")
        .unwrap();
    let strs = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[0])
        .resizable()
        .chunk(&[STR_CHUNK])
        .create("strs")
        .unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    let (num_claims, str_claims) = std::thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (nums, strs) = (nums.clone(), strs.clone());
                s.spawn(move || {
                    let mut n = Vec::with_capacity(PER_THREAD as usize);
                    let mut st = Vec::with_capacity(PER_THREAD as usize);
                    for seq in 0..PER_THREAD {
                        let v = value(t, seq);
                        n.push((nums.append_rows(&[v]).unwrap(), v));
                        let text = string(t, seq);
                        st.push((strs.append_strings(&[&text]).unwrap(), text));
                    }
                    (n, st)
                })
            })
            .collect();
        // Commits interleave with the appends.
        let (f, done) = (&f, &done);
        s.spawn(move || {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                f.flush().unwrap();
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        });
        let mut all = (Vec::new(), Vec::new());
        for w in workers {
            let (n, st) = w.join().unwrap();
            all.0.extend(n);
            all.1.extend(st);
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        all
    });
    let total = THREADS * PER_THREAD;
    assert_eq!((nums.rows(), strs.rows()), (total, total));
    // Each thread's own rows come back in the order it appended them.
    for t in 0..THREADS {
        let rows: Vec<u64> = num_claims
            .iter()
            .filter(|(_, v)| (*v as u64) / 1_000_000 == t)
            .map(|(r, _)| *r)
            .collect();
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "thread {t}");
    }
    let values = by_row(num_claims, total);
    let strings = by_row(str_claims, total);
    f.close().unwrap();
    m.dataset(
        "nums",
        "i64",
        &[total],
        Data::Values(values.into_iter().map(Json::from).collect()),
    )
    .chunks(&[256])
    .maxshape(&[None])
    .deflate(4)
    .dataset("strs", VLEN_STR, &[total], Data::Strings(strings))
    .chunks(&[STR_CHUNK])
    .maxshape(&[None]);
    m.write(&dir);
    common::run_oracles(&dir);
}

// --------------------------- 3. attributes created during commits

#[test]
fn attributes_created_during_commits_are_all_kept() {
    const N: usize = 500;
    let dir = common::out_dir("transactions_attrs");
    let mut m = Manifest::new("attrs");
    let f = File::create(m.h5_path(&dir)).unwrap();
    let g = f.create_group("g").unwrap();
    let ds = f.new_dataset::<u8>().shape(&[2]).create("d").unwrap();
    ds.write_raw(&[1u8, 2]).unwrap();
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let (g2, ds2, done2) = (g.clone(), ds.clone(), &done);
        let maker = s.spawn(move || {
            for i in 0..N {
                if i % 2 == 0 {
                    g2.new_attr_builder()
                        .with_data(&[i as i32, -(i as i32)])
                        .create(&format!("n{i:03}"))
                        .unwrap();
                } else {
                    ds2.new_attr_builder()
                        .with_str(&format!("value {i}"))
                        .create(&format!("s{i:03}"))
                        .unwrap();
                }
            }
            done2.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        let (f, done) = (&f, &done);
        s.spawn(move || {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                f.flush().unwrap();
            }
        });
        maker.join().unwrap();
    });
    f.close().unwrap();
    m.group("g")
        .dataset_of::<u8>("d", &[2], Data::Values(vec![1u8.into(), 2u8.into()]));
    for i in 0..N {
        if i % 2 == 0 {
            let v = vec![Json::from(i as i32), Json::from(-(i as i32))];
            m.attr("g", &format!("n{i:03}"), "i32", &[2], Data::Values(v));
        } else {
            m.attr(
                "d",
                &format!("s{i:03}"),
                VLEN_STR,
                &[],
                Data::Strings(vec![format!("value {i}")]),
            );
        }
    }
    m.write(&dir);
    common::run_oracles(&dir);
}
