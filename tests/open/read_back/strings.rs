//! Variable-length strings and attributes read back.

use super::{files, Det};
use h5sink::{Error, FixedAscii, VarLenUnicode};

#[test]
fn variable_length_strings() {
    let words = ["", "cat", "Straße", "日本語", &"long ".repeat(2000)];
    for (f, _dir) in files() {
        let c = f
            .new_dataset::<VarLenUnicode>()
            .shape(&[5])
            .create("contig")
            .unwrap();
        let k = f
            .new_dataset::<VarLenUnicode>()
            .shape(&[5])
            .compact()
            .create("compact")
            .unwrap();
        let ch = f
            .new_dataset::<VarLenUnicode>()
            .shape(&[5])
            .chunk(&[2])
            .deflate(4)
            .create("ch");
        let ch = ch.unwrap();
        for ds in [&c, &k, &ch] {
            assert_eq!(ds.read_strings().unwrap(), ["", "", "", "", ""]); // null references
            ds.write_strings(&words).unwrap();
            assert_eq!(ds.read_strings().unwrap(), words, "{}", ds.name());
        }
        let s = f.new_dataset::<VarLenUnicode>().create("title").unwrap();
        s.write_strings(&["run 1"]).unwrap();
        assert_eq!(s.read_strings().unwrap(), ["run 1"]);
        // Appends fill the open heap collection: read before and after flush.
        let b = f
            .new_dataset::<VarLenUnicode>()
            .shape(&[0])
            .resizable()
            .chunk(&[3]);
        let log = b.create("log").unwrap();
        let mut want: Vec<String> = Vec::new();
        for i in 0..40 {
            let batch: Vec<String> = (0..i % 4).map(|j| format!("line {i}.{j} ✓")).collect();
            log.append_strings(&batch).unwrap();
            want.extend(batch);
            assert_eq!(log.read_strings().unwrap(), want, "append {i}");
            if i % 7 == 0 {
                f.flush().unwrap();
            }
        }
        f.flush().unwrap();
        for ds in [&c, &k, &ch] {
            assert_eq!(ds.read_strings().unwrap(), words);
        }
        assert_eq!(log.read_strings().unwrap(), want);
        assert!(matches!(
            c.read_raw::<u8>(),
            Err(Error::TypeMismatch { .. })
        ));
        let n = f.new_dataset::<u8>().shape(&[1]).create("n").unwrap();
        assert!(matches!(n.read_strings(), Err(Error::TypeMismatch { .. })));
        f.close().unwrap();
    }
}

#[test]
fn attributes() {
    for (f, _dir) in files() {
        let ds = f.new_dataset::<u8>().shape(&[2]).create("x").unwrap();
        let a = ds.new_attr::<Det>().shape(&[2]).create("dets").unwrap();
        let zero = Det {
            x: 0.0,
            label: 0,
            ok: false,
            hist: [0; 3],
            code: FixedAscii::new("").unwrap(),
        };
        assert_eq!(a.read_raw::<Det>().unwrap(), [zero, zero]);
        let one = Det {
            x: 1.5,
            label: -7,
            ok: true,
            hist: [1, 2, 3],
            code: FixedAscii::new("xyzw").unwrap(),
        };
        a.write(&[one, zero]).unwrap();
        assert_eq!(a.read_raw::<Det>().unwrap(), [one, zero]);
        let n = f.new_attr::<f64>().shape(&[3]).create("range").unwrap();
        n.write(&[1i32, 2, 3]).unwrap(); // converted on write
        let s = f
            .new_attr::<VarLenUnicode>()
            .shape(&[2])
            .create("names")
            .unwrap();
        assert_eq!(s.read_strings().unwrap(), ["", ""]);
        s.write_strings(&["a", "ü"]).unwrap();
        f.flush().unwrap();
        assert_eq!(n.read_raw::<f64>().unwrap(), [1.0, 2.0, 3.0]);
        assert_eq!(s.read_strings().unwrap(), ["a", "ü"]);
        s.write_strings(&["b", ""]).unwrap();
        assert_eq!(s.read_strings().unwrap(), ["b", ""]);
        assert!(matches!(
            n.read_raw::<f32>(),
            Err(Error::TypeMismatch { .. })
        ));
        assert!(matches!(n.read_strings(), Err(Error::TypeMismatch { .. })));
        f.close().unwrap();
    }
}
