//! h5sink as one more reader of every scenario file: `Manifest::write`
//! opens the file with `File::open` and requires every group, dataset and
//! attribute the manifest lists to read as the manifest says (the bytes the
//! Rust generators compute, strings as written), so every scenario also
//! proves that h5sink's own files round-trip through the loader.

use std::path::Path;

use super::{Attr, Manifest, Object};
use crate::common::{expected_bytes, expected_strings, Dtype};

/// Whether `d` holds a variable-length string inside a compound or array
/// (its bytes are heap addresses, which no generator knows).
fn nested_vlen(d: &Dtype) -> bool {
    match d {
        Dtype::Compound(m) => m.iter().any(|(_, t)| t.is_vlen() || nested_vlen(t)),
        Dtype::Array(base, _) => base.is_vlen() || nested_vlen(base),
        _ => false,
    }
}

fn check_attr(owner: &str, a: &Attr, h: h5sink::Attribute) {
    assert_eq!(h.shape(), a.shape, "{owner}@{}: shape", a.name);
    if a.dtype.is_vlen() {
        let got = h
            .read_strings()
            .unwrap_or_else(|e| panic!("{owner}@{}: {e}", a.name));
        assert_eq!(
            got,
            expected_strings(&a.shape, &a.data),
            "{owner}@{}",
            a.name
        );
    } else if !nested_vlen(&a.dtype) {
        let got = h
            .read_bytes()
            .unwrap_or_else(|e| panic!("{owner}@{}: {e}", a.name));
        assert!(
            got == a.expected_bytes(),
            "{owner}@{}: bytes differ",
            a.name
        );
    }
}

impl Manifest {
    /// Open the scenario's file with h5sink and check it against the
    /// manifest (see the module docs); panics naming the first difference.
    pub fn read_back(&self, dir: &Path) {
        let path = self.h5_path(dir);
        let f = h5sink::File::open(&path)
            .unwrap_or_else(|e| panic!("{}: h5sink cannot open it: {e}", path.display()));
        let name = self.name();
        for a in &self.root_attrs {
            check_attr(
                name,
                a,
                f.attr(&a.name).unwrap_or_else(|e| panic!("{name}: {e}")),
            );
        }
        for o in &self.objects {
            match o {
                Object::Group { path, attrs } => {
                    let g = f.group(path).unwrap_or_else(|e| panic!("{name}: {e}"));
                    for a in attrs {
                        check_attr(path, a, g.attr(&a.name).unwrap_or_else(|e| panic!("{e}")));
                    }
                }
                Object::Dataset {
                    path,
                    dtype,
                    shape,
                    data,
                    fill,
                    attrs,
                    ..
                } => {
                    let d = f.dataset(path).unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(&d.shape(), shape, "{name}: {path}: shape");
                    if dtype.is_vlen() {
                        let got = d.read_strings().unwrap_or_else(|e| panic!("{name}: {e}"));
                        assert_eq!(got, expected_strings(shape, data), "{name}: {path}");
                    } else if !nested_vlen(dtype) {
                        let got = d.read_bytes().unwrap_or_else(|e| panic!("{name}: {e}"));
                        let want = expected_bytes(dtype, shape, data, fill.as_ref());
                        assert!(
                            got == want,
                            "{name}: {path}: bytes differ from the manifest"
                        );
                    }
                    for a in attrs {
                        check_attr(path, a, d.attr(&a.name).unwrap_or_else(|e| panic!("{e}")));
                    }
                }
            }
        }
    }
}
