//! A manifest's files: its JSON text, and the `.expect` files of what the
//! Rust generators say it holds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::super::{expected_bytes, expected_strings, json_str, strings_bytes};
use super::{Attr, Manifest, Object};

impl Manifest {
    /// The manifest as JSON text.
    pub fn to_json(&self) -> String {
        let mut j = String::from("{\n  \"name\": ");
        json_str(&self.name, &mut j);
        j.push_str(",\n  \"file\": ");
        json_str(&self.file, &mut j);
        let _ = write!(j, ",\n  \"twin\": {},", self.twin);
        if !self.root_attrs.is_empty() {
            j.push_str("\n  \"root_attrs\": ");
            write_attrs(&self.root_attrs, &mut j);
            j.push(',');
        }
        j.push_str("\n  \"objects\": [");
        for (k, o) in self.objects.iter().enumerate() {
            j.push_str(if k == 0 { "\n    " } else { ",\n    " });
            j.push_str("{\"path\": ");
            json_str(o.path(), &mut j);
            match o {
                Object::Group { attrs, .. } => {
                    j.push_str(", \"kind\": \"group\"");
                    if !attrs.is_empty() {
                        j.push_str(", \"attrs\": ");
                        write_attrs(attrs, &mut j);
                    }
                }
                Object::Dataset {
                    path,
                    dtype,
                    shape,
                    data,
                    fill,
                    compact,
                    storage,
                    attrs,
                } => {
                    storage.validate(path, shape, *compact);
                    j.push_str(", \"kind\": \"dataset\", \"dtype\": ");
                    dtype.write_json(&mut j);
                    let _ = write!(j, ", \"shape\": {shape:?}, \"data\": ");
                    data.write_json(&mut j);
                    if let Some(f) = fill {
                        j.push_str(", \"fill\": ");
                        f.write_json(&mut j);
                    }
                    if *compact {
                        j.push_str(", \"layout\": \"compact\"");
                    }
                    storage.write_json(&mut j);
                    if !attrs.is_empty() {
                        j.push_str(", \"attrs\": ");
                        write_attrs(attrs, &mut j);
                    }
                }
            }
            j.push('}');
        }
        j.push_str("\n  ]");
        self.links_json(&mut j);
        j.push_str("\n}\n");
        j
    }

    /// Writes `<dir>/<name>.json`, after reading the scenario's file back
    /// with h5sink (`read_back`); returns its path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        if self.read_back {
            self.read_back(dir);
        }
        let path = dir.join(format!("{}.json", self.name));
        std::fs::write(&path, self.to_json())
            .unwrap_or_else(|e| panic!("cannot write manifest {}: {e}", path.display()));
        path
    }

    /// Writes what the Rust generators say every dataset and attribute
    /// holds, for `tests/oracle/crosscheck.py`: `<dir>/<name>.expect/<k>.bin`
    /// for the k-th object when it is a dataset, `<k>.attr<j>.bin` for its
    /// j-th attribute, `root.attr<j>.bin` for the root's; raw file bytes,
    /// vlen strings as (u32 LE length, UTF-8) records.
    pub fn write_expect(&self, dir: &Path) {
        let edir = dir.join(format!("{}.expect", self.name));
        std::fs::create_dir_all(&edir).unwrap();
        let put = |file: String, bytes: Vec<u8>| std::fs::write(edir.join(file), bytes).unwrap();
        for (j, a) in self.root_attrs.iter().enumerate() {
            put(format!("root.attr{j}.bin"), a.expected_bytes());
        }
        for (k, o) in self.objects.iter().enumerate() {
            let attrs = match o {
                Object::Group { attrs, .. } => attrs,
                Object::Dataset {
                    dtype,
                    shape,
                    data,
                    fill,
                    attrs,
                    ..
                } => {
                    let bytes = if dtype.is_vlen() {
                        strings_bytes(&expected_strings(shape, data))
                    } else {
                        expected_bytes(dtype, shape, data, fill.as_ref())
                    };
                    put(format!("{k}.bin"), bytes);
                    attrs
                }
            };
            for (j, a) in attrs.iter().enumerate() {
                put(format!("{k}.attr{j}.bin"), a.expected_bytes());
            }
        }
    }
}

fn write_attrs(attrs: &[Attr], out: &mut String) {
    out.push('[');
    for (k, a) in attrs.iter().enumerate() {
        out.push_str(if k == 0 { "\n      " } else { ",\n      " });
        a.write_json(out);
    }
    out.push(']');
}
