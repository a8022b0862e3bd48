//! Variable-length strings, groups and attributes of every kind, read back
//! after reopening; then changed through `File::open_rw_storage` (strings
//! appended, groups, datasets and attributes added) and read again.

use super::sample::{new_file, reopen, same, samples, Color, Det, Sample};
use crate::{Attribute, File, FixedAscii, Group, VarLenUnicode};

const WORDS: [&str; 5] = ["", "cat", "Straße", "日本語", "tab\there"];

fn long() -> String {
    "long ".repeat(2000)
}

/// Vlen strings in every layout, and a resizable log of them.
fn write_strings(f: &File) {
    let s = f.create_group("strings/vlen").unwrap();
    let new = || s.new_dataset::<VarLenUnicode>().shape(&[5]);
    new()
        .create("contiguous")
        .unwrap()
        .write_strings(&WORDS)
        .unwrap();
    new()
        .compact()
        .create("compact")
        .unwrap()
        .write_strings(&WORDS)
        .unwrap();
    let ch = new()
        .chunk(&[2])
        .shuffle()
        .deflate(4)
        .create("chunked")
        .unwrap();
    ch.write_strings(&WORDS).unwrap();
    new().create("never_written").unwrap();
    let t = s.new_dataset::<VarLenUnicode>().create("scalar").unwrap();
    t.write_strings(&[long()]).unwrap();
    let b = s
        .new_dataset::<VarLenUnicode>()
        .shape(&[0])
        .chunk(&[3])
        .resizable();
    let log = b.create("log").unwrap();
    log.append_strings(&WORDS[..2]).unwrap();
    f.flush().unwrap();
    log.append_strings(&WORDS[2..]).unwrap();
}

fn check_strings(f: &File, grown: bool) {
    let s = f.group("strings/vlen").unwrap();
    for name in ["contiguous", "compact", "chunked"] {
        assert_eq!(
            s.dataset(name).unwrap().read_strings().unwrap(),
            WORDS,
            "{name}"
        );
    }
    let never = s.dataset("never_written").unwrap().read_strings().unwrap();
    assert_eq!(never, ["", "", "", "", ""]);
    assert_eq!(
        s.dataset("scalar").unwrap().read_strings().unwrap(),
        [long()]
    );
    let mut want: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
    if grown {
        want.extend(["emu".into(), long()]);
    }
    assert_eq!(s.dataset("log").unwrap().read_strings().unwrap(), want);
    assert_eq!(s.dataset("log").unwrap().max_shape(), [None]);
}

/// An attribute of every kind on `g` (the root, a group or, through
/// `on_dataset`, a dataset: the same builders).
macro_rules! write_attrs {
    ($g:expr) => {{
        let g = $g;
        g.new_attr_builder()
            .with_scalar(&-7i64)
            .create("i64")
            .unwrap();
        g.new_attr_builder()
            .with_scalar(&0.1f64)
            .create("f64")
            .unwrap();
        g.new_attr_builder()
            .with_data(&[1.5f32, -0.0, f32::NAN])
            .create("f32s")
            .unwrap();
        g.new_attr_builder()
            .with_data(&[u64::MAX, 0])
            .create("u64s")
            .unwrap();
        g.new_attr_builder()
            .with_scalar(&true)
            .create("bool")
            .unwrap();
        g.new_attr_builder()
            .with_str("Straße")
            .create("str")
            .unwrap();
        g.new_attr_builder()
            .with_strings(&WORDS)
            .create("strs")
            .unwrap();
        let grid = g.new_attr::<u8>().shape(&[2, 2]).create("grid").unwrap();
        grid.write(&[1u8, 2, 3, 255]).unwrap();
        let ascii = g
            .new_attr::<FixedAscii<5>>()
            .shape(&[4])
            .create("ascii")
            .unwrap();
        ascii.write(&samples::<FixedAscii<5>>(0, 4)).unwrap();
    }};
}

/// Attributes of an array, an enum and a compound type on `g`.
macro_rules! write_exotic_attrs {
    ($g:expr) => {{
        let g = $g;
        let arr = g.new_attr::<[u16; 3]>().create("arr").unwrap();
        arr.write_scalar(&<[u16; 3]>::sample(9)).unwrap();
        let color = g.new_attr::<Color>().shape(&[3]).create("color").unwrap();
        color.write(&samples::<Color>(0, 3)).unwrap();
        let det = g.new_attr::<Det>().shape(&[2]).create("det").unwrap();
        det.write(&samples::<Det>(5, 2)).unwrap();
    }};
}

const ATTRS: [&str; 9] = [
    "ascii", "bool", "f32s", "f64", "grid", "i64", "str", "strs", "u64s",
];
const EXOTIC: [&str; 3] = ["arr", "color", "det"];

fn check_attrs(names: Vec<String>, attr: impl Fn(&str) -> Attribute, what: &str) {
    let exotic = names.iter().any(|n| n == "arr");
    let mut want: Vec<&str> = ATTRS.to_vec();
    if exotic {
        want.extend(EXOTIC);
        want.sort_unstable();
    }
    assert_eq!(names, want, "{what}");
    let a = |name: &str| attr(name);
    assert_eq!(a("i64").read_raw::<i64>().unwrap(), [-7]);
    assert_eq!(a("f64").read_raw::<f64>().unwrap(), [0.1]);
    same(
        &a("f32s").read_raw::<f32>().unwrap(),
        &[1.5, -0.0, f32::NAN],
        what,
    );
    assert_eq!(a("u64s").read_raw::<u64>().unwrap(), [u64::MAX, 0]);
    assert_eq!(a("bool").read_raw::<bool>().unwrap(), [true]);
    assert_eq!(a("str").read_strings().unwrap(), ["Straße"]);
    assert_eq!(a("strs").read_strings().unwrap(), WORDS);
    assert_eq!(
        (a("grid").shape(), a("grid").read_raw::<u8>().unwrap()),
        (&[2u64, 2][..], vec![1, 2, 3, 255])
    );
    let ascii = a("ascii").read_raw::<FixedAscii<5>>().unwrap();
    same(&ascii, &samples::<FixedAscii<5>>(0, 4), what);
    if !exotic {
        return;
    }
    same(
        &a("arr").read_raw::<[u16; 3]>().unwrap(),
        &[<[u16; 3]>::sample(9)],
        what,
    );
    same(
        &a("color").read_raw::<Color>().unwrap(),
        &samples::<Color>(0, 3),
        what,
    );
    same(
        &a("det").read_raw::<Det>().unwrap(),
        &samples::<Det>(5, 2),
        what,
    );
}

fn check_all_attrs(f: &File) {
    check_attrs(f.attr_names().unwrap(), |n| f.attr(n).unwrap(), "root");
    let g: Group = f.group("meta/deep").unwrap();
    check_attrs(g.attr_names().unwrap(), |n| g.attr(n).unwrap(), "group");
    let d = f.dataset("meta/x").unwrap();
    check_attrs(d.attr_names().unwrap(), |n| d.attr(n).unwrap(), "dataset");
}

#[test]
fn strings_groups_and_attributes_round_trip() {
    let (f, mem) = new_file();
    write_strings(&f);
    write_attrs!(&*f);
    write_attrs!(f.create_group("meta/deep").unwrap());
    let x = f.new_dataset::<f32>().shape(&[2]).create("meta/x").unwrap();
    write_attrs!(&x);
    f.close().unwrap();

    let r = reopen(&mem);
    assert_eq!(r.member_names().unwrap(), ["meta", "strings"]);
    assert_eq!(
        r.group("meta").unwrap().member_names().unwrap(),
        ["deep", "x"]
    );
    assert!(r
        .group("meta/deep")
        .unwrap()
        .member_names()
        .unwrap()
        .is_empty());
    check_strings(&r, false);
    check_all_attrs(&r);
    drop(r);

    let w = File::open_rw_storage(mem.clone()).unwrap();
    let log = w.dataset("strings/vlen/log").unwrap();
    assert_eq!(log.append_strings(&["emu".to_string(), long()]).unwrap(), 5);
    let g = w.create_group("meta/deep/deeper").unwrap();
    g.new_attr_builder().with_str("new").create("note").unwrap();
    let y = g
        .new_dataset::<VarLenUnicode>()
        .shape(&[2])
        .create("y")
        .unwrap();
    y.write_strings(&["α", "β"]).unwrap();
    w.dataset("meta/x")
        .unwrap()
        .write_raw(&[1.0f32, 2.0])
        .unwrap();
    check_strings(&w, true);
    w.close().unwrap();

    let r = reopen(&mem);
    check_strings(&r, true);
    check_all_attrs(&r);
    let g = r.group("meta/deep/deeper").unwrap();
    assert_eq!(g.attr("note").unwrap().read_strings().unwrap(), ["new"]);
    assert_eq!(g.dataset("y").unwrap().read_strings().unwrap(), ["α", "β"]);
    assert_eq!(
        r.dataset("meta/x").unwrap().read_raw::<f32>().unwrap(),
        [1.0, 2.0]
    );
    assert_eq!(
        r.group("meta/deep").unwrap().member_names().unwrap(),
        ["deeper"]
    );
}

#[test]
fn array_enum_and_compound_attributes_round_trip() {
    let (f, mem) = new_file();
    write_attrs!(&*f);
    write_exotic_attrs!(&*f);
    let g = f.create_group("meta/deep").unwrap();
    write_attrs!(&g);
    write_exotic_attrs!(&g);
    let x = f.new_dataset::<f32>().shape(&[2]).create("meta/x").unwrap();
    write_attrs!(&x);
    write_exotic_attrs!(&x);
    f.close().unwrap();
    check_all_attrs(&reopen(&mem));
    let w = File::open_rw_storage(mem.clone()).unwrap();
    w.create_group("more").unwrap();
    w.close().unwrap();
    check_all_attrs(&reopen(&mem));
}
