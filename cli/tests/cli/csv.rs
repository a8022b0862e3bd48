//! CSV header rules, quoted numbers, the `column_names` attribute and BOMs,
//! read back with h5py.

use crate::common::*;

/// A first line with any number is data: a typo, `NA` or a text field in it
/// is an error naming file, line, column and text (no longer a silently
/// dropped "header").
#[test]
fn first_line_with_a_number_is_data() {
    let d = tmp("csv-first");
    std::fs::write(d.join("typo.csv"), "1,2x\n3,4\n").unwrap();
    std::fs::write(d.join("na.csv"), "1,NA,3\n4,5,6\n").unwrap();
    std::fs::write(d.join("mixed.csv"), "id,2020\n1,2\n").unwrap();
    std::fs::write(d.join("qtext.csv"), "\"1\",\"b\"\n1,2\n").unwrap();
    for (file, want) in [
        (
            "typo.csv",
            ["typo.csv", "line 1, column 2", "\"2x\" is not a number"],
        ),
        (
            "na.csv",
            ["na.csv", "line 1, column 2", "\"NA\" is not a number"],
        ),
        (
            "mixed.csv",
            ["mixed.csv", "line 1, column 1", "\"id\" is not a number"],
        ),
        (
            "qtext.csv",
            ["qtext.csv", "line 1, column 2", "\"b\" is not a number"],
        ),
    ] {
        let arg = format!("x={file}");
        let err = fails(&d, &["pack", "out.h5", &arg], &want);
        assert!(err.contains("--header"), "no hint at --header: {err}");
    }
    // Later lines too, after a detected header; and an unterminated quote.
    std::fs::write(d.join("late.csv"), "a,b\n1,2\n\n3,oops\n").unwrap();
    fails(
        &d,
        &["pack", "out.h5", "x=late.csv"],
        &["x=late.csv", "line 4, column 2", "\"oops\" is not a number"],
    );
    std::fs::write(d.join("open.csv"), "1,2\n3,\"4\n").unwrap();
    fails(
        &d,
        &["pack", "out.h5", "x=open.csv"],
        &["x=open.csv", "line 2, column 2", "no closing quote"],
    );
    // The same first lines are headers when --header says so.
    ok(
        &d,
        &["pack", "out.h5", "x=typo.csv", "y=mixed.csv", "--header"],
    );
    py(
        &d,
        r#"
f = h5py.File('out.h5')
x, y = f['x'], f['y']
assert x.dtype == np.int64 and x.shape == (1, 2) and (x[()] == [[3, 4]]).all(), x[()]
assert list(x.attrs['column_names']) == ['1', '2x'], x.attrs['column_names']
assert list(y.attrs['column_names']) == ['id', '2020']
assert h5py.check_string_dtype(x.attrs['column_names'].dtype).length is None
"#,
    );
}

/// Quoted numbers are numbers; a first line of them is data.
#[test]
fn quoted_numbers() {
    let d = tmp("csv-quoted");
    std::fs::write(d.join("q.csv"), "\"1\",\"2\"\n\"3.5\", \" 4 \"\n").unwrap();
    std::fs::write(d.join("qi.csv"), "\"1\",2\n3,\"-4\"\n").unwrap();
    let out = ok(&d, &["pack", "out.h5", "q=q.csv", "qi=qi.csv"]);
    assert!(
        out.starts_with("h5sink: 2 rows, 2 datasets") && !out.contains("header"),
        "{out}"
    );
    py(
        &d,
        r#"
f = h5py.File('out.h5')
q, qi = f['q'], f['qi']
assert q.dtype == np.float64 and (q[()] == [[1, 2], [3.5, 4]]).all(), q[()]
assert qi.dtype == np.int64 and (qi[()] == [[1, 2], [3, -4]]).all(), qi[()]
assert 'column_names' not in q.attrs and 'column_names' not in qi.attrs
"#,
    );
}

/// A first line with no number at all is a header: the summary says so, and
/// its names (quoted ones may hold commas and quotes) become column_names.
#[test]
fn detected_header_kept_as_column_names() {
    let d = tmp("csv-header");
    std::fs::write(
        d.join("h.csv"),
        "\"name, first\",\"say \"\"hi\"\"\", z ,\n1,2,3,4\n5,6,7,8.5\n",
    )
    .unwrap();
    std::fs::write(d.join("labels.csv"), "label\n0\n1\n").unwrap();
    std::fs::write(d.join("plain.csv"), "1,2\n3,4\n").unwrap();
    let out = ok(
        &d,
        &[
            "pack",
            "out.h5",
            "g/h=h.csv",
            "labels=labels.csv",
            "p=plain.csv",
        ],
    );
    assert_eq!(out.trim().lines().count(), 1, "{out}");
    assert!(
        out.contains("header line detected and skipped")
            && out.contains("g/h=h.csv, labels=labels.csv")
            && !out.contains("plain.csv"),
        "{out}"
    );
    py(
        &d,
        r#"
f = h5py.File('out.h5')
h = f['g/h']
assert h.shape == (2, 4) and (h[()] == [[1, 2, 3, 4], [5, 6, 7, 8.5]]).all(), h[()]
assert list(h.attrs['column_names']) == ['name, first', 'say "hi"', 'z', ''], h.attrs['column_names']
l = f['labels']
assert l.shape == (2,) and list(l.attrs['column_names']) == ['label']
assert 'column_names' not in f['p'].attrs
"#,
    );
    // With --header the summary does not call it detected.
    let out = ok(&d, &["pack", "h.h5", "h=h.csv", "--header"]);
    assert!(!out.contains("detected"), "{out}");
    py(
        &d,
        "assert h5py.File('h.h5')['h'].attrs['column_names'][0] == 'name, first'",
    );
    // --header on a file of numbers takes its first line as names.
    let out = ok(&d, &["pack", "p.h5", "p=plain.csv", "--header"]);
    assert!(out.starts_with("h5sink: 1 rows"), "{out}");
    py(&d, "p = h5py.File('p.h5')['p']\nassert list(p.attrs['column_names']) == ['1', '2'] and (p[()] == [[3, 4]]).all()");
}

/// A UTF-8 BOM at the start of a CSV file or of --class-names is dropped.
#[test]
fn bom_is_stripped() {
    let d = tmp("csv-bom");
    std::fs::write(d.join("h.csv"), "\u{feff}a,b\r\n1,2\r\n").unwrap();
    std::fs::write(d.join("n.csv"), "\u{feff}1,2\n3,4\n").unwrap();
    std::fs::write(d.join("names.txt"), "\u{feff}cat\r\ndog\r\n").unwrap();
    let out = ok(
        &d,
        &["pack", "out.h5", "h=h.csv", "--class-names", "names.txt"],
    );
    assert!(
        out.contains("detected and skipped") && out.contains("h=h.csv"),
        "{out}"
    );
    ok(&d, &["pack", "n.h5", "n=n.csv"]);
    py(
        &d,
        r#"
f = h5py.File('out.h5')
assert list(f['h'].attrs['column_names']) == ['a', 'b'], f['h'].attrs['column_names']
assert [s.decode() for s in f['label_names'][()]] == ['cat', 'dog'], f['label_names'][()]
n = h5py.File('n.h5')['n']
assert n.dtype == np.int64 and (n[()] == [[1, 2], [3, 4]]).all() and 'column_names' not in n.attrs
"#,
    );
}
