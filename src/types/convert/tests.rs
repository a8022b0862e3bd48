//! Unit tests of the conversion kernels and the checks.

use super::*;

fn conv<T: Element>(values: &[T], to: Datatype) -> Result<Vec<u8>> {
    match prepare(values, &to, "/x")? {
        Source::Bytes(b) => Ok(b.into_owned()),
        Source::Convert(c) => Ok(c.to_vec()),
    }
}

#[test]
fn widening_and_rounding() {
    let f64s = conv(&[0.1f32, -2.5], Datatype::Float { size: 8 }).unwrap();
    let want: Vec<u8> = [f64::from(0.1f32), -2.5]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    assert_eq!(f64s, want);
    let i = conv(
        &[-3.9f64, 3.9, -0.5],
        Datatype::Int {
            size: 2,
            signed: true,
        },
    )
    .unwrap();
    assert_eq!(i, [0xfd, 0xff, 3, 0, 0, 0]);
    let f = conv(&[u64::MAX], Datatype::Float { size: 4 }).unwrap();
    assert_eq!(f, (u64::MAX as f32).to_le_bytes());
}

#[test]
fn misfits_name_index_and_value() {
    let e = conv(
        &[1i32, 2, 300],
        Datatype::Int {
            size: 1,
            signed: false,
        },
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::ConversionRange { index: 2, value, target, .. } if value == "300" && target == "u8"),
        "{e}"
    );
    let e = conv(
        &[0.0f64, f64::NAN],
        Datatype::Int {
            size: 8,
            signed: true,
        },
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::ConversionRange { index: 1, value, .. } if value == "NaN"),
        "{e}"
    );
    let e = conv(&[1e39f64], Datatype::Float { size: 4 }).unwrap_err();
    assert!(matches!(&e, Error::ConversionRange { index: 0, .. }), "{e}");
    // i64 bounds: 2^63 does not fit, -2^63 does.
    assert!(conv(
        &[2f64.powi(63)],
        Datatype::Int {
            size: 8,
            signed: true
        }
    )
    .is_err());
    assert!(conv(
        &[-(2f64.powi(63))],
        Datatype::Int {
            size: 8,
            signed: true
        }
    )
    .is_ok());
    assert!(conv(
        &[true],
        Datatype::Int {
            size: 1,
            signed: false
        }
    )
    .is_err());
}

#[test]
fn pieces_concatenate() {
    let src: Vec<i16> = (-500..500).collect();
    let Source::Convert(c) = prepare(&src, &Datatype::Float { size: 8 }, "/x").unwrap() else {
        panic!("expected a conversion");
    };
    let mut out = Vec::new();
    c.convert(0..333, &mut out);
    c.convert(333..1000, &mut out);
    assert_eq!(out, c.to_vec());
    assert_eq!(out.len(), 8000);
}
