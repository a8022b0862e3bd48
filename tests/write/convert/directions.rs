//! Conversion in every direction among the number types, and literals and
//! rounding.

use super::numbers::{file_with, Num, VALUES};
use h5sink::{Error, File};

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
