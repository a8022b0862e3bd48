//! h5py, pyfive and h5dump read converted values exactly.

use crate::common;
use crate::common::{Data, Json, Manifest};
use h5sink::DatasetWriter;

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
