//! Tests of the oracle harness itself; they need h5py, numpy, pyfive and
//! h5dump (scripts/test.sh installs them) but not h5sink.

use crate::common;

use crate::common::{Data, Manifest, Ramp};
use std::path::Path;

/// tests/oracle/selftest.py: check.py passes correct h5py-written files and
/// fails deliberately wrong ones in exactly the expected checks.
#[test]
fn oracle_harness_selftest() {
    common::run_python_script("tests/oracle/selftest.py", &[]);
}

/// Known values, computed independently with Python integers.
#[test]
fn ramp_known_values() {
    assert_eq!(common::ramp_u64(0, 7), 7);
    assert_eq!(common::ramp_u64(1, 0), 2_654_435_761);
    assert_eq!(common::ramp_u64(3, u64::MAX), 7_963_307_282);
    assert_eq!(common::ramp::<u8>(1, 2, 0), vec![177, 98]);
    assert_eq!(common::ramp::<i16>(1, 2, 0), vec![31_153, -3_230]);
    assert_eq!(common::ramp::<f64>(0, 2, 1), vec![-999.75, 105_950.0]);
    assert_eq!(common::ramp::<f32>(0, 2, 1), vec![-999.75f32, 105_950.0]);
}

fn push<T: Ramp>(
    m: &mut Manifest,
    expect: &mut Vec<Vec<u8>>,
    path: &str,
    shape: &[u64],
    data: Data,
) {
    expect.push(common::le_bytes(&common::expected::<T>(shape, &data)));
    m.dataset_of::<T>(path, shape, data);
}

fn push_all_types(
    m: &mut Manifest,
    expect: &mut Vec<Vec<u8>>,
    prefix: &str,
    shape: &[u64],
    data: Data,
) {
    let p = |t: &str| format!("{prefix}{t}");
    push::<u8>(m, expect, &p("u8"), shape, data.clone());
    push::<i8>(m, expect, &p("i8"), shape, data.clone());
    push::<u16>(m, expect, &p("u16"), shape, data.clone());
    push::<i16>(m, expect, &p("i16"), shape, data.clone());
    push::<u32>(m, expect, &p("u32"), shape, data.clone());
    push::<i32>(m, expect, &p("i32"), shape, data.clone());
    push::<u64>(m, expect, &p("u64"), shape, data.clone());
    push::<i64>(m, expect, &p("i64"), shape, data.clone());
    push::<f32>(m, expect, &p("f32"), shape, data.clone());
    push::<f64>(m, expect, &p("f64"), shape, data);
}

fn strings_bytes(strings: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in strings {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out
}

fn write_expect(dir: &Path, m: &Manifest, expect: &[Option<Vec<u8>>]) {
    let edir = dir.join(format!("{}.expect", m.name()));
    std::fs::create_dir_all(&edir).unwrap();
    for (k, bytes) in expect.iter().enumerate() {
        if let Some(b) = bytes {
            std::fs::write(edir.join(format!("{k}.bin")), b).unwrap();
        }
    }
}

/// The Rust ramp generator and manifest writer agree with check.py: Rust
/// writes manifests plus the bytes it expects each dataset to hold, and
/// tests/oracle/crosscheck.py recomputes them from the parsed manifests.
#[test]
fn rust_helpers_match_python() {
    let dir = common::out_dir("rust_helpers_match_python");

    // Numeric: every dtype, full / partial / never written, seeds that wrap.
    let mut m = Manifest::unchecked("numeric");
    let mut expect = Vec::new();
    m.group("full").group("rows").group("null").group("scalar");
    push_all_types(
        &mut m,
        &mut expect,
        "full/a_",
        &[5, 7],
        Data::Ramp { seed: 3 },
    );
    push_all_types(
        &mut m,
        &mut expect,
        "full/wrap_",
        &[300],
        Data::Ramp { seed: u64::MAX - 5 },
    );
    push_all_types(
        &mut m,
        &mut expect,
        "full/hi_",
        &[2, 3, 4],
        Data::Ramp { seed: 1 << 63 },
    );
    push_all_types(
        &mut m,
        &mut expect,
        "rows/",
        &[6, 3],
        Data::RampRows {
            seed: 9,
            rows_written: 4,
        },
    );
    push_all_types(&mut m, &mut expect, "null/", &[4], Data::Null);
    push_all_types(
        &mut m,
        &mut expect,
        "scalar/",
        &[],
        Data::Ramp { seed: 12_345 },
    );
    push::<f64>(&mut m, &mut expect, "zero", &[0, 5], Data::Ramp { seed: 1 });
    // Groups have no expect file; pad to keep manifest object indices.
    let mut indexed: Vec<Option<Vec<u8>>> = vec![None; 4];
    indexed.extend(expect.into_iter().map(Some));
    m.write(&dir);
    write_expect(&dir, &m, &indexed);

    // Strings: everything JSON must escape, non-ASCII, long, empty.
    let tricky: Vec<String> = [
        "plain",
        "",
        "quote \" backslash \\ slash /",
        "controls \u{0} \u{1} \u{8} \t \n \u{c} \r \u{1f} \u{7f}",
        "ü ñ 漢字 \u{1F600} \u{2028}\u{2029} \u{FFFF}",
        "{\"not\": \"json\"}",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(std::iter::once("long ".repeat(20_000)))
    .collect();
    let mut s = Manifest::unchecked("strings \"quoted\" \\ ü");
    let n = tricky.len() as u64;
    s.group("g \u{1} \"x\"");
    s.dataset(
        "g \u{1} \"x\"/names",
        common::VLEN_STR,
        &[n],
        Data::Strings(tricky.clone()),
    );
    s.dataset(
        "scalar",
        common::VLEN_STR,
        &[],
        Data::Strings(vec!["ß".into()]),
    );
    s.dataset("null", common::VLEN_STR, &[2], Data::Null);
    s.no_twin();
    s.write(&dir);
    write_expect(
        &dir,
        &s,
        &[
            None,
            Some(strings_bytes(&tricky)),
            Some(strings_bytes(&["ß".to_string()])),
            Some(strings_bytes(&[String::new(), String::new()])),
        ],
    );

    common::run_python_script("tests/oracle/crosscheck.py", &[dir.as_os_str()]);
}
