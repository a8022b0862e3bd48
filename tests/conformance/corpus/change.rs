//! The changes `File::open_rw` makes to each corpus file: a new dataset,
//! an attribute on an existing object, rows appended to every resizable
//! dataset of a type the test names. Described for tests/oracle/corpus.py
//! in NAME.changes.

use h5sink::{Dataset, Element, Error, File};

use super::manifest::{strings_of, unhex, Manifest};
use super::types::{dispatch, from_bytes, Op};

/// Append rows to a dataset: copies of its first `k` rows (`bytes` holds
/// them), or one row of zeros when it has none. The changes line's
/// (count, mode), `None` when zeros are no value of the type.
struct Append<'a> {
    ds: &'a Dataset,
    bytes: Vec<u8>,
    rows: u64,
    row_len: usize,
}

impl Op for Append<'_> {
    type Out = Result<Option<(u64, &'static str)>, Error>;
    fn run<T: Element>(self) -> Self::Out {
        let size = T::DATATYPE.element_size() as usize;
        let k = self.rows.min(2);
        let (values, mode) = if k == 0 {
            match from_bytes::<T>(&vec![0; self.row_len * size]) {
                Some(v) => (v, "zero"),
                None => return Ok(None),
            }
        } else {
            let n = k as usize * self.row_len * size;
            (from_bytes::<T>(&self.bytes[..n]).unwrap(), "copy")
        };
        self.ds.append_rows(&values)?;
        Ok(Some((k.max(1), mode)))
    }
}

/// Make the changes; the changes file's text.
pub fn change(f: &File, m: &Manifest) -> String {
    let mut out = String::new();
    f.new_dataset::<i32>()
        .shape(&[2, 2])
        .create("h5sink_added")
        .unwrap()
        .write_raw(&[1, 2, 3, 4])
        .unwrap();
    let mut datasets: Vec<&str> = m
        .objs
        .iter()
        .filter(|o| o.1 == "dataset")
        .map(|o| o.0.as_str())
        .collect();
    datasets.sort();
    let target = datasets.first().copied().unwrap_or("/");
    let builder = if target == "/" {
        f.new_attr_builder()
    } else {
        f.dataset(target).unwrap().new_attr_builder()
    };
    builder.with_scalar(&42i64).create("h5sink_attr").unwrap();
    out.push_str(&format!("attr\t{target}\n"));
    for path in &m.grow {
        let val = m.dataset_val(path);
        let ds = f.dataset(path).unwrap();
        let shape = ds.shape();
        let (rows, row_len) = (shape[0], ds.row_len() as usize);
        if val.rtype == "vstr" {
            let strings = strings_of(&val.data, (rows as usize) * row_len);
            let k = rows.min(2);
            if k > 0 {
                ds.append_strings(&strings[..k as usize * row_len]).unwrap();
                out.push_str(&format!("append\t{path}\t{k}\tcopy\n"));
            }
            continue;
        }
        let op = Append {
            ds: &ds,
            bytes: unhex(&val.data),
            rows,
            row_len,
        };
        match dispatch(&val.rtype, op) {
            None => {} // no Rust type names it: nothing to append
            Some(Ok(None)) => {}
            Some(Ok(Some((k, mode)))) => out.push_str(&format!("append\t{path}\t{k}\t{mode}\n")),
            // Big-endian numbers read swapped but are not written.
            Some(Err(Error::TypeMismatch { expected, .. })) if expected.contains("big-endian") => {}
            Some(Err(e)) => panic!("{path}: appending failed: {e}"),
        }
    }
    out
}
