//! Every kind of write refuses a misfit whole and leaves the file
//! byte-identical.

use h5sink::{Error, File};

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
