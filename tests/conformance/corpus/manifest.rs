//! The manifest tests/oracle/corpus.py writes next to each corpus file.

/// A dataset's or attribute's value as h5py reads it.
#[derive(Debug)]
pub struct Val {
    /// Object path.
    pub path: String,
    /// Attribute name, `None` for the dataset's own value.
    pub attr: Option<String>,
    /// Rust type name (tests/conformance/corpus/types.rs), `vstr` or `none`.
    pub rtype: String,
    /// Shape as `[2, 3]`.
    pub shape: String,
    /// Bytes in hex, or the hex of each string, comma-separated.
    pub data: String,
}

/// One corpus file's manifest.
#[derive(Debug, Default)]
pub struct Manifest {
    /// (path, "group" | "dataset", shape or "-"), h5py's visititems.
    pub objs: Vec<(String, String, String)>,
    /// (path, attribute names sorted and comma-joined).
    pub attrs: Vec<(String, String)>,
    /// Every value.
    pub vals: Vec<Val>,
    /// Chunked datasets with room to grow.
    pub grow: Vec<String>,
}

impl Manifest {
    pub fn parse(text: &str) -> Manifest {
        let mut m = Manifest::default();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split('\t').collect();
            match f[0] {
                "obj" => m.objs.push((f[1].into(), f[2].into(), f[3].into())),
                "attrs" => m.attrs.push((f[1].into(), f[2].into())),
                "val" => m.vals.push(Val {
                    path: f[1].into(),
                    attr: (f[2] != "-").then(|| f[2].to_string()),
                    rtype: f[3].into(),
                    shape: f[4].into(),
                    data: f[5].into(),
                }),
                "grow" => m.grow.push(f[1].into()),
                other => panic!("manifest line {other:?}"),
            }
        }
        m
    }

    /// The value line of dataset `path`.
    pub fn dataset_val(&self, path: &str) -> &Val {
        self.vals
            .iter()
            .find(|v| v.path == path && v.attr.is_none())
            .unwrap_or_else(|| panic!("no value of {path}"))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Strings as the manifest gives them: each one's UTF-8 in hex, joined by commas.
pub fn strings_text(strings: &[String]) -> String {
    strings
        .iter()
        .map(|s| hex(s.as_bytes()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Strings from their manifest text, `count` of them.
pub fn strings_of(text: &str, count: usize) -> Vec<String> {
    if count == 0 {
        return Vec::new();
    }
    text.split(',')
        .map(|h| String::from_utf8(unhex(h)).unwrap())
        .collect()
}
