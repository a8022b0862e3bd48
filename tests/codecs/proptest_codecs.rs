//! Property test of the plugin codecs: random datasets (element type u8,
//! i16, u32, i64, f32 or f64; rank 1 to 3 with zero-length and edge
//! chunks; a random codec among LZF, LZ4, bitshuffle alone / with LZ4 /
//! with zstd, zstd and Blosc lz4 / zstd with each shuffle, at a random
//! level; shuffle and Fletcher-32 at random; values noise, small integers
//! or ramps; written whole, by row slabs, or appended to a resizable
//! dataset) read back exactly by h5sink, then all of a run's datasets by
//! h5py with hdf5plugin (values against an unfiltered copy in the same
//! file, and the pipeline's filter ids) and by h5wasm with h5wasm-plugins
//! (tests/oracle/codecs_js_check.py). Oracles are required, never skipped.
//!
//! `H5SINK_PROPTEST_CODEC_CASES` sets the number of cases (default 160);
//! proptest's own seed is fixed by `Config::rng_algorithm` + the default
//! source (`PROPTEST_RNG_SEED` changes it), and a failing case is printed.

#![cfg(all(
    feature = "lzf",
    feature = "lz4",
    feature = "bitshuffle",
    feature = "zstd",
    feature = "blosc"
))]

use crate::common;

use std::cell::RefCell;
use std::fmt::Write as _;

use h5sink::{BloscCodec, BloscShuffle, DatasetBuilder, Element, File, H5Type};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// One random dataset.
#[derive(Clone, Debug)]
struct Case {
    ty: u8,
    shape: Vec<u64>,
    chunk: Vec<u64>,
    codec: u8,
    level: u8,
    shuffle: bool,
    fletcher32: bool,
    /// 0 whole, 1 row slabs, 2 appended to a resizable dataset.
    write: u8,
    /// 0 noise, 1 small integers, 2 a ramp.
    values: u8,
    seed: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            0u8..6,
            prop::collection::vec(0u64..40, 1..=3),
            prop::collection::vec(1u64..48, 3),
        ),
        (0u8..9, any::<u8>(), any::<bool>(), any::<bool>()),
        (0u8..3, 0u8..3, any::<u64>()),
    )
        .prop_map(
            |((ty, shape, c), (codec, level, shuffle, fletcher32), (write, values, seed))| {
                // Dimensions of at least 1 (a fixed dimension of 0 cannot be
                // chunked), but a resizable dataset may stay at 0 rows; chunks
                // fit the fixed dimensions and may pass a resizable one.
                let resizable = write == 2;
                let shape: Vec<u64> = shape
                    .iter()
                    .enumerate()
                    .map(|(k, &d)| {
                        if k == 0 && resizable && d % 8 == 7 {
                            0
                        } else {
                            d.max(1)
                        }
                    })
                    .collect();
                let chunk = shape
                    .iter()
                    .zip(&c)
                    .enumerate()
                    .map(|(k, (&d, &c))| if k == 0 && resizable { c } else { c.min(d) })
                    .collect();
                Case {
                    ty,
                    shape,
                    chunk,
                    codec,
                    level,
                    shuffle,
                    fletcher32,
                    write,
                    values,
                    seed,
                }
            },
        )
}

impl Case {
    /// `b` with this case's filters.
    fn filters<T: H5Type>(&self, mut b: DatasetBuilder<T>) -> DatasetBuilder<T> {
        if self.shuffle {
            b = b.shuffle();
        }
        let zstd = 1 + self.level % 22;
        let (blosc_level, shuffle) = (
            self.level % 10,
            [BloscShuffle::None, BloscShuffle::Byte, BloscShuffle::Bit]
                [usize::from(self.level / 10) % 3],
        );
        b = match self.codec {
            0 => b.lzf(),
            1 => b.lz4(),
            2 => b.bitshuffle(),
            3 => b.bitshuffle().lz4(),
            4 => b.bitshuffle().zstd(zstd),
            5 => b.zstd(zstd),
            6 => b.blosc(BloscCodec::Lz4, blosc_level, shuffle),
            _ => b.blosc(BloscCodec::Zstd, blosc_level, shuffle),
        };
        if self.fletcher32 {
            b = b.fletcher32();
        }
        b
    }

    /// The filter ids h5py must see, in pipeline order.
    fn ids(&self) -> Vec<u32> {
        let codec = [32000, 32004, 32008, 32008, 32008, 32015, 32001, 32001]
            [usize::from(self.codec.min(7))];
        let mut ids = Vec::new();
        if self.shuffle {
            ids.push(2);
        }
        ids.push(codec);
        if self.fletcher32 {
            ids.push(3);
        }
        ids
    }
}

/// Element types made from a u64.
trait Val: H5Type + Element + Copy {
    fn of(x: u64) -> Self;
}

macro_rules! val {
    ($($t:ty => $f:expr),* $(,)?) => {$(
        impl Val for $t {
            fn of(x: u64) -> Self {
                let f: fn(u64) -> $t = $f;
                f(x)
            }
        }
    )*};
}

val! {
    u8 => |x| x as u8,
    i16 => |x| x as i16,
    u32 => |x| x as u32,
    i64 => |x| x as i64,
    f32 => |x| f32::from_bits(x as u32),
    f64 => |x| f64::from_bits(x),
}

fn values<T: Val>(c: &Case, n: u64) -> Vec<T> {
    let mut s = c.seed | 1;
    (0..n)
        .map(|i| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            T::of(match c.values {
                0 => s,
                1 => s % 4,
                _ => i.wrapping_mul(3),
            })
        })
        .collect()
}

/// Write case `i` as `c_<i>` (filtered) and `ref_<i>` (contiguous, no
/// filters) into `file`, and check h5sink reads `c_<i>` back.
fn write<T: Val>(file: &File, i: usize, c: &Case) -> Result<(), TestCaseError> {
    let n: u64 = c.shape.iter().product();
    let data = values::<T>(c, n);
    let name = format!("c_{i}");
    let b = file.new_dataset::<T>().chunk(&c.chunk);
    let ds = if c.write == 2 {
        let mut start = c.shape.clone();
        start[0] = 0;
        let ds = c
            .filters(b.shape(&start).resizable())
            .create(&name)
            .unwrap();
        let row = (n / c.shape[0].max(1)) as usize;
        for slab in data.chunks((row * 5).max(1)) {
            ds.append_rows(slab).unwrap();
        }
        ds
    } else {
        let ds = c.filters(b.shape(&c.shape)).create(&name).unwrap();
        if c.write == 1 && c.shape[0] > 0 {
            let row = (n / c.shape[0]) as usize;
            for (k, slab) in data.chunks((row * 3).max(1)).enumerate() {
                ds.write_rows(k as u64 * 3, slab).unwrap();
            }
        } else {
            ds.write_raw(&data).unwrap();
        }
        ds
    };
    let r = file
        .new_dataset::<T>()
        .shape(&c.shape)
        .create(&format!("ref_{i}"))
        .unwrap();
    r.write_raw(&data).unwrap();
    prop_assert_eq!(ds.shape(), c.shape.clone());
    prop_assert!(
        ds.read_bytes().unwrap() == r.read_bytes().unwrap(),
        "h5sink reads c_{} back",
        i
    );
    Ok(())
}

#[test]
fn random_codec_datasets_read_everywhere() {
    let dir = common::out_dir("proptest_codecs");
    let path = dir.join("codecs.h5");
    let file = File::create(&path).unwrap();
    let cases: u32 = std::env::var("H5SINK_PROPTEST_CODEC_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(160);
    let ids = RefCell::new(String::from("IDS = {\n"));
    let count = RefCell::new(0usize);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&case(), |c| {
            let i = *count.borrow();
            *count.borrow_mut() += 1;
            match c.ty {
                0 => write::<u8>(&file, i, &c)?,
                1 => write::<i16>(&file, i, &c)?,
                2 => write::<u32>(&file, i, &c)?,
                3 => write::<i64>(&file, i, &c)?,
                4 => write::<f32>(&file, i, &c)?,
                _ => write::<f64>(&file, i, &c)?,
            }
            let _ = writeln!(ids.borrow_mut(), "  'c_{i}': {:?},", c.ids());
            Ok(())
        })
        .unwrap();
    file.close().unwrap();
    let n = *count.borrow();
    let script = format!(
        "import h5py, hdf5plugin\n{}}}\n\
         f = h5py.File('codecs.h5')\n\
         for k, want in IDS.items():\n    \
             p = f[k].id.get_create_plist()\n    \
             got = [p.get_filter(j)[0] for j in range(p.get_nfilters())]\n    \
             assert got == want, (k, got, want)\n    \
             r = f['ref_' + k[2:]]\n    \
             assert f[k].shape == r.shape and f[k].dtype == r.dtype, k\n    \
             assert f[k][()].tobytes() == r[()].tobytes(), k\n\
         print('h5py read', len(IDS))\n",
        ids.borrow()
    );
    let out = common::python(&script, &dir);
    assert_eq!(out.trim(), format!("h5py read {n}"));
    common::run_python_script("tests/oracle/codecs_js_check.py", &[path.as_os_str()]);
}
