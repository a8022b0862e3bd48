//! Writes convert numbers as libhdf5 does: every number type into every
//! numeric dataset, values that do not fit refused with the value and its
//! position, and a refused call changes no byte of the file. The expected
//! values are computed here independently (in f64 and i128 arithmetic),
//! not with h5sink's conversion code.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::{Data, Json, Manifest};
use h5sink::{DatasetWriter, Element, Error, File, MemStorage, Storage};

/// A test-side number type: exact representation of an f64 (for sources)
/// and libhdf5's conversion of an f64 (for targets).
trait Num: Element + std::fmt::Debug {
    /// `v` exactly as `Self`, if it is representable.
    fn exact(v: f64) -> Option<Self>;
    /// `v` converted as libhdf5 converts (truncation toward zero for
    /// integers; rounding for floats), or `None` if it does not fit.
    fn expect(v: f64) -> Option<Self>;
}

macro_rules! int_num {
    ($($t:ty),*) => {$(
        impl Num for $t {
            fn exact(v: f64) -> Option<Self> {
                (v.fract() == 0.0).then(|| ()).and_then(|()| Self::expect(v))
            }
            fn expect(v: f64) -> Option<Self> {
                if !v.is_finite() || v.abs() > 1e30 {
                    return None;
                }
                let t = v.trunc() as i128;
                (t >= <$t>::MIN as i128 && t <= <$t>::MAX as i128).then(|| t as $t)
            }
        }
    )*};
}
int_num!(u8, i8, u16, i16, u32, i32, u64, i64);

impl Num for f32 {
    fn exact(v: f64) -> Option<Self> {
        (f64::from(v as f32) == v || v.is_nan()).then_some(v as f32)
    }
    fn expect(v: f64) -> Option<Self> {
        let r = v as f32;
        (r.is_finite() || !v.is_finite()).then_some(r)
    }
}

impl Num for f64 {
    fn exact(v: f64) -> Option<Self> {
        Some(v)
    }
    fn expect(v: f64) -> Option<Self> {
        Some(v)
    }
}

#[cfg(feature = "half")]
impl Num for half::f16 {
    fn exact(v: f64) -> Option<Self> {
        let h = half::f16::from_f64(v);
        (h.to_f64() == v || v.is_nan()).then_some(h)
    }
    fn expect(v: f64) -> Option<Self> {
        let h = half::f16::from_f64(v);
        (h.is_finite() || !v.is_finite()).then_some(h)
    }
}

/// Values tried in every direction (each source takes those it holds).
const VALUES: &[f64] = &[
    0.0,
    1.0,
    -1.0,
    2.5,
    -2.75,
    100.0,
    127.0,
    128.0,
    -128.0,
    -129.0,
    255.0,
    256.0,
    65504.0,
    65535.0,
    65536.0,
    70000.5,
    2147483647.0,
    -2147483648.0,
    4294967295.0,
    4294967296.0,
    9007199254740993.0,    // 2^53 + 1: not an f64, so rounds to 2^53 here already
    9223372036854775807.0, // 2^63 as an f64
    -9223372036854775808.0,
    18446744073709551615.0, // 2^64 as an f64
    1e20,
    3.4028235e38,
    1e39,
    -1e300,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
];

/// The bytes of an in-memory file with one dataset of `D` and `shape`,
/// built by `write` (which may fail: the error is returned with the bytes).
fn file_with<D: Element>(
    n: usize,
    write: impl FnOnce(&h5sink::Dataset) -> h5sink::Result<()>,
) -> (Vec<u8>, h5sink::Result<()>) {
    let f = File::in_memory().unwrap();
    let ds = f.new_dataset::<D>().shape(&[n as u64]).create("x").unwrap();
    let r = write(&ds);
    (f.into_bytes().unwrap(), r)
}

/// One direction: the fitting values are written as `expect` says; each
/// value that does not fit is refused with its index and changes nothing.
fn direction<S: Num, D: Num>() -> (usize, usize) {
    let src: Vec<(f64, S)> = VALUES
        .iter()
        .filter_map(|&v| S::exact(v).map(|s| (v, s)))
        .collect();
    let fits: Vec<(S, D)> = src
        .iter()
        .filter_map(|&(v, s)| D::expect(v).map(|d| (s, d)))
        .collect();
    let misfits: Vec<S> = src
        .iter()
        .filter(|(v, _)| D::expect(*v).is_none())
        .map(|&(_, s)| s)
        .collect();
    let what = format!(
        "{} -> {}",
        std::any::type_name::<S>(),
        std::any::type_name::<D>()
    );

    let s: Vec<S> = fits.iter().map(|p| p.0).collect();
    let d: Vec<D> = fits.iter().map(|p| p.1).collect();
    let (got, r) = file_with::<D>(s.len(), |ds| ds.write_raw(&s));
    r.unwrap_or_else(|e| panic!("{what}: {e}"));
    let (want, r) = file_with::<D>(d.len(), |ds| ds.write_raw(&d));
    r.unwrap();
    assert!(got == want, "{what}: converted {s:?} differ from {d:?}");

    for bad in &misfits {
        // The misfit last, after every fitting value: its index is named.
        let mut vals = s.clone();
        vals.push(*bad);
        let (got, r) = file_with::<D>(vals.len(), |ds| ds.write_raw(&vals));
        let (untouched, _) = file_with::<D>(vals.len(), |_| Ok(()));
        match r {
            Err(Error::ConversionRange {
                index,
                ref value,
                ref target,
                ref dataset,
            }) => {
                assert_eq!(index, s.len() as u64, "{what}: {bad:?}");
                assert_eq!(value, &format!("{bad:?}"), "{what}");
                assert_eq!(dataset, "/x");
                assert_eq!(target, &D::DATATYPE.describe(), "{what}");
            }
            other => panic!("{what}: {bad:?} gave {other:?}"),
        }
        assert!(got == untouched, "{what}: a refused write changed the file");
    }
    (fits.len(), misfits.len())
}

macro_rules! all_directions {
    ($($s:ty),*; $ds:tt) => {{
        let mut total = (0, 0);
        $( let t = all_directions!(@to $s; $ds); total.0 += t.0; total.1 += t.1; )*
        total
    }};
    (@to $s:ty; [$($d:ty),*]) => {{
        let mut total = (0, 0);
        $( let t = direction::<$s, $d>(); total.0 += t.0; total.1 += t.1; )*
        total
    }};
}

#[test]
fn every_direction() {
    let (fits, misfits) = all_directions!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64;
        [u8, i8, u16, i16, u32, i32, u64, i64, f32, f64]);
    assert!(
        fits > 500 && misfits > 300,
        "{fits} fits, {misfits} misfits"
    );
    #[cfg(feature = "half")]
    {
        use half::f16;
        let (a, b) = all_directions!(f16; [u8, i8, u16, i16, u32, i32, u64, i64, f16, f32, f64]);
        let (c, d) = all_directions!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64; [f16]);
        assert!(a + c > 50 && b + d > 50);
    }
}

#[test]
fn literals_and_rounding() {
    let f = File::in_memory().unwrap();
    f.new_dataset::<i64>()
        .create("n")
        .unwrap()
        .write_scalar(&42)
        .unwrap();
    let u = f.new_dataset::<u8>().shape(&[3]).create("u").unwrap();
    u.write_raw(&[0.9f64, 254.99, -0.99]).unwrap(); // truncated: 0, 254, 0
    let bytes = f.into_bytes().unwrap();
    assert!(bytes.windows(8).any(|w| w == 42i64.to_le_bytes()));
    assert!(bytes.windows(3).any(|w| w == [0, 254, 0]));
}

/// A write on the file or on its attribute.
type Call = dyn Fn(&File, &h5sink::Attribute) -> h5sink::Result<()>;

/// Every kind of write refuses a misfit whole: the file's bytes are those
/// of a file where the call was never made.
#[test]
fn refused_calls_change_nothing() {
    let build = |call: &dyn Fn(&File, &h5sink::Attribute) -> h5sink::Result<()>| {
        let f = File::in_memory().unwrap();
        let big = f
            .new_dataset::<u16>()
            .shape(&[100_000, 4])
            .create("big")
            .unwrap();
        big.write_rows(0, &[1u16; 400]).unwrap();
        let log = f
            .new_dataset::<i8>()
            .shape(&[0, 3])
            .resizable()
            .deflate(1)
            .create("log")
            .unwrap();
        log.append_rows(&[1i8, 2, 3]).unwrap();
        let s = f.new_dataset::<f32>().create("s").unwrap();
        s.write_scalar(&1.5f32).unwrap();
        let a = f.new_attr::<u32>().shape(&[2]).create("a").unwrap();
        a.write(&[1u32, 2]).unwrap();
        f.flush().unwrap();
        let r = call(&f, &a);
        (f.into_bytes().unwrap(), r)
    };
    let (untouched, _) = build(&|_, _| Ok(()));
    let mut rows = vec![7i64; 400_000];
    rows[399_999] = 65536;
    let calls: Vec<(&str, Box<Call>)> = vec![
        (
            "write_rows, last of 400000",
            Box::new(move |f, _| f.dataset("big")?.write_rows(0, &rows)),
        ),
        (
            "write_raw NaN",
            Box::new(|f, _| f.dataset("big")?.write_raw(&[f64::NAN; 400_000])),
        ),
        (
            "append_rows",
            Box::new(|f, _| {
                f.dataset("log")?
                    .append_rows(&[1i32, 2, 3, 4, 5, 128])
                    .map(drop)
            }),
        ),
        (
            "write_scalar",
            Box::new(|f, _| f.dataset("s")?.write_scalar(&1e300f64)),
        ),
        ("attribute", Box::new(|_, a| a.write(&[1i64, -1]))),
    ];
    for (what, call) in &calls {
        let (bytes, r) = build(call.as_ref());
        assert!(
            matches!(r, Err(Error::ConversionRange { .. })),
            "{what}: {r:?}"
        );
        assert!(
            bytes == untouched,
            "{what}: the refused call changed the file"
        );
    }
    let (bytes, r) = build(&|f, _| f.dataset("log")?.append_rows(&[1i32, 2, 3]).map(drop));
    assert!(
        r.is_ok() && bytes != untouched,
        "a fitting append changes the file"
    );
}

/// A storage that records the largest single write.
#[derive(Clone, Default)]
struct MaxWrite {
    inner: MemStorage,
    max: Arc<AtomicUsize>,
}

impl Storage for MaxWrite {
    fn write_at(&self, offset: u64, data: &[u8]) -> std::io::Result<()> {
        self.max.fetch_max(data.len(), Ordering::SeqCst);
        self.inner.write_at(offset, data)
    }
    fn set_len(&self, len: u64) -> std::io::Result<()> {
        self.inner.set_len(len)
    }
    fn len(&self) -> std::io::Result<u64> {
        self.inner.len()
    }
    fn sync(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn describe(&self) -> std::path::PathBuf {
        "<max-write>".into()
    }
}

/// 64 MiB of f32 into an f64 dataset (contiguous, then chunked): written
/// in pieces of at most 1 MiB, each value exact.
#[test]
fn large_write_in_bounded_pieces() {
    let n = 16 << 20; // 16 Mi values = 64 MiB of f32, 128 MiB of f64
    let src: Vec<f32> = (0..n).map(|i| i as f32 * 0.25 - 1e6).collect();
    let wide: Vec<f64> = src.iter().map(|&v| f64::from(v)).collect();
    let run = |values: &dyn Fn(&h5sink::Dataset) -> h5sink::Result<()>, chunked: bool| {
        let s = MaxWrite::default();
        let f = File::with_storage(s.clone()).unwrap();
        let b = f.new_dataset::<f64>().shape(&[n as u64 / 1024, 1024]);
        let ds = if chunked { b.chunk(&[64, 1024]) } else { b }
            .create("x")
            .unwrap();
        s.max.store(0, Ordering::SeqCst);
        values(&ds).unwrap();
        let max = s.max.load(Ordering::SeqCst);
        f.close().unwrap();
        (s.inner.to_vec(), max)
    };
    for chunked in [false, true] {
        let (got, max) = run(&|ds| ds.write_rows(0, &src), chunked);
        assert!(max <= 1 << 20, "chunked {chunked}: a write of {max} bytes");
        let (want, _) = run(&|ds| ds.write_rows(0, &wide), chunked);
        assert!(got == want, "chunked {chunked}: converted bytes differ");
    }
}

/// h5py, pyfive and h5dump read converted values exactly: f32 rows through
/// `DatasetWriter::<f64>`, an i32 literal into an i64 scalar, f64 into f32
/// and u8 (rounded, truncated), i16 rows appended to a chunked f64 dataset
/// and a converted attribute.
#[test]
fn readers_see_converted_values() {
    let dir = common::out_dir("convert");
    let mut m = Manifest::new("writer_f32_into_f64");
    let mut w = DatasetWriter::<f64>::builder(m.h5_path(&dir), &[250, 3])
        .buf_size(40)
        .create()
        .unwrap();
    let rows: Vec<f32> = (0..750).map(|i| i as f32 / 3.0 - 17.1).collect();
    // Small adds (buffered), then a bulk add (written straight through).
    w.add(&rows[..30], &[0i64; 10]).unwrap();
    w.add(&rows[30..90], &[1i64; 20]).unwrap();
    w.add(&rows[90..], &[2i64; 220]).unwrap();
    w.close().unwrap();
    let images = rows.iter().map(|&v| Json::Num(f64::from(v))).collect();
    let labels = [0, 1, 2]
        .iter()
        .zip([10, 20, 220])
        .flat_map(|(&l, n)| std::iter::repeat(Json::Int(l)).take(n))
        .collect();
    m.dataset("images", "f64", &[250, 3], Data::Values(images))
        .dataset("labels", "i64", &[250], Data::Values(labels))
        .fill(-1.0);
    m.write(&dir);

    common::scenario(&dir, "numbers", |f, m| {
        f.new_dataset::<i64>()
            .create("epochs")
            .unwrap()
            .write_scalar(&42)
            .unwrap();
        let x = [0.1f64, -1e-30, 3.4e38, f64::INFINITY, f64::NAN];
        f.new_dataset::<f32>()
            .shape(&[5])
            .create("f32")
            .unwrap()
            .write_raw(&x)
            .unwrap();
        f.new_dataset::<u8>()
            .shape(&[3])
            .create("u8")
            .unwrap()
            .write_raw(&[0.5f64, 254.9, 7.0])
            .unwrap();
        let log = f
            .new_dataset::<f64>()
            .shape(&[0, 2])
            .resizable()
            .chunk(&[4, 2])
            .deflate(4)
            .create("log")
            .unwrap();
        let ints: Vec<i16> = (0..20).map(|i| i * 1000 - 9000).collect();
        log.append_rows(&ints[..6]).unwrap();
        log.append_rows(&ints[6..]).unwrap();
        f.new_attr::<f64>()
            .shape(&[2])
            .create("scale")
            .unwrap()
            .write(&[1u8, 200])
            .unwrap();
        m.dataset("epochs", "i64", &[], Data::Values(vec![Json::Int(42)]))
            .dataset(
                "f32",
                "f32",
                &[5],
                Data::Values(x.iter().map(|&v| Json::Num(f64::from(v as f32))).collect()),
            )
            .dataset(
                "u8",
                "u8",
                &[3],
                Data::Values(vec![Json::Int(0), Json::Int(254), Json::Int(7)]),
            )
            .dataset(
                "log",
                "f64",
                &[10, 2],
                Data::Values(ints.iter().map(|&v| Json::Num(f64::from(v))).collect()),
            )
            .chunks(&[4, 2])
            .maxshape(&[None, Some(2)])
            .deflate(4)
            .root_attr(
                "scale",
                "f64",
                &[2],
                Data::Values(vec![Json::Num(1.0), Json::Num(200.0)]),
            );
    });
    common::run_oracles(&dir);
}
