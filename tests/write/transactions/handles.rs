//! Handles of a file: they outlive the `File`, answer `Error::Closed`
//! naming the call after `File::close`, and see a resize made through any
//! other handle. Part of `tests/write/transactions.rs`.

use super::common::{self, Data, Json, Manifest, VLEN_STR};
use super::fails;
use h5sink::{Attribute, Dataset, Error, File, Group, VarLenUnicode};
// ------------------------------------------ 4. handles outlive the File

/// Makes a file at `path` and returns only a dataset of it: the `File`
/// is dropped on return.
fn make_dataset(path: &std::path::Path) -> Dataset {
    let f = File::create(path).unwrap();
    f.new_dataset::<i32>()
        .shape(&[0, 3])
        .resizable()
        .chunk(&[4, 3])
        .create("rows")
        .unwrap()
}

/// Makes a file at `path` and returns only a group of it.
fn make_group(path: &std::path::Path) -> Group {
    File::create(path).unwrap().create_group("runs").unwrap()
}

/// Makes a file at `path` and returns only an attribute of its root group.
fn make_attribute(path: &std::path::Path) -> Attribute {
    let f = File::create(path).unwrap();
    f.new_attr::<f64>().shape(&[2]).create("range").unwrap()
}

#[test]
fn handles_outlive_the_file() {
    let dir = common::out_dir("transactions_outlive");

    let mut m = Manifest::new("dataset_outlives");
    let ds = make_dataset(&m.h5_path(&dir));
    assert_eq!(ds.append_rows(&[1i32, 2, 3, 4, 5, 6]).unwrap(), 0);
    let clone = ds.clone();
    drop(ds);
    assert_eq!(clone.append_rows(&[7i32, 8, 9]).unwrap(), 2);
    clone.write_rows(0, &[10i32, 11, 12]).unwrap();
    drop(clone); // the last handle: commits and closes
    let v: Vec<Json> = [10, 11, 12, 4, 5, 6, 7, 8, 9].map(Json::from).to_vec();
    m.dataset("rows", "i32", &[3, 3], Data::Values(v))
        .chunks(&[4, 3])
        .maxshape(&[None, Some(3)]);
    m.write(&dir);

    let mut m = Manifest::new("group_outlives");
    let g = make_group(&m.h5_path(&dir));
    let x = g.new_dataset::<u16>().shape(&[2]).create("x").unwrap();
    drop(g);
    x.write_raw(&[5u16, 6]).unwrap();
    let note = x
        .new_attr_builder()
        .with_str("kept")
        .create("note")
        .unwrap();
    drop(x);
    note.write_str("changed").unwrap();
    drop(note);
    m.group("runs")
        .dataset(
            "runs/x",
            "u16",
            &[2],
            Data::Values(vec![5u16.into(), 6u16.into()]),
        )
        .attr(
            "runs/x",
            "note",
            VLEN_STR,
            &[],
            Data::Strings(vec!["changed".into()]),
        );
    m.write(&dir);

    let mut m = Manifest::new("attribute_outlives");
    let a = make_attribute(&m.h5_path(&dir));
    a.write(&[0.25f64, 0.75]).unwrap();
    drop(a);
    m.root_attr(
        "range",
        "f64",
        &[2],
        Data::Values(vec![0.25f64.into(), 0.75f64.into()]),
    );
    m.write(&dir);

    common::run_oracles(&dir);
}

/// `e` is `Error::Closed { by: "File::close" }`, and its message names
/// the call.
fn closed<T: std::fmt::Debug>(r: h5sink::Result<T>, what: &str) {
    let e = fails(r, what);
    assert!(
        matches!(e, Error::Closed { by: "File::close" }),
        "{what}: {e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("closed") && msg.contains("File::close"),
        "{what}: {msg}"
    );
}

#[test]
fn every_handle_call_after_close_is_closed() {
    let f = File::in_memory().unwrap();
    let g = f.create_group("g").unwrap();
    let x = g
        .new_dataset::<f32>()
        .shape(&[1, 2])
        .resizable()
        .create("x")
        .unwrap();
    let c = g.new_dataset::<f32>().shape(&[2]).create("c").unwrap();
    let s = g
        .new_dataset::<VarLenUnicode>()
        .shape(&[0])
        .resizable()
        .create("s")
        .unwrap();
    let a = x.new_attr::<u8>().create("a").unwrap();
    let sa = g.new_attr_builder().with_str("v").create("sa").unwrap();
    let (xc, gc, ac) = (x.clone(), g.clone(), a.clone());
    f.close().unwrap();
    for x in [&x, &xc] {
        closed(x.write_rows(0, &[1.0f32, 2.0]), "write_rows");
        closed(x.write_raw(&[1.0f32, 2.0]), "write_raw");
        closed(x.append_rows(&[1.0f32, 2.0]), "append_rows");
        closed(x.resize(&[3, 2]), "resize");
        closed(x.new_attr::<u8>().create("b"), "Dataset::new_attr");
        closed(
            x.new_attr_builder().with_data(&[1u8]).create("b"),
            "Dataset::new_attr_builder",
        );
        // Reads of the state still answer.
        assert_eq!((x.shape(), x.rows(), x.row_len()), (vec![1, 2], 1, 2));
    }
    closed(c.write_scalar(&1.0f32), "write_scalar");
    closed(s.append_strings(&["a"]), "append_strings");
    closed(s.write_strings::<&str>(&[]), "write_strings");
    for g in [&g, &gc] {
        closed(g.create_group("h"), "create_group");
        closed(g.new_dataset::<u8>().create("y"), "new_dataset");
        closed(g.group("."), "group");
        closed(g.dataset("x"), "dataset");
        closed(g.member_names(), "member_names");
        closed(g.new_attr::<u8>().create("b"), "Group::new_attr");
        closed(
            g.new_attr_builder().with_str("v").create("b"),
            "Group::new_attr_builder",
        );
    }
    for a in [&a, &ac] {
        closed(a.write(&[1u8]), "Attribute::write");
        closed(a.write_scalar(&1u8), "Attribute::write_scalar");
    }
    closed(sa.write_str("w"), "Attribute::write_str");
    closed(sa.write_strings(&["w"]), "Attribute::write_strings");
}

// ------------------------------- 5. shape and row_len after a resize

#[test]
fn shape_and_row_len_follow_resize_on_every_handle() {
    let f = File::in_memory().unwrap();
    let ds = f
        .new_dataset::<u8>()
        .shape(&[2, 3])
        .max_shape(&[None, None])
        .chunk(&[2, 2])
        .create("x")
        .unwrap();
    let clone = ds.clone();
    let reopened = f.dataset("x").unwrap();
    assert_eq!((ds.shape(), ds.row_len()), (vec![2, 3], 3));
    ds.resize(&[4, 5]).unwrap();
    for h in [&ds, &clone, &reopened] {
        assert_eq!((h.shape(), h.rows(), h.row_len()), (vec![4, 5], 4, 5));
    }
    clone.resize(&[6, 7]).unwrap();
    for h in [&ds, &clone, &reopened] {
        assert_eq!((h.shape(), h.rows(), h.row_len()), (vec![6, 7], 6, 7));
    }
    // Rows follow the new row length at once, on every handle.
    ds.write_rows(5, &[9u8; 7]).unwrap();
    let e = fails(reopened.write_rows(0, &[0u8; 5]), "old row length");
    assert!(matches!(e, Error::PartialRow { row_len: 7, .. }), "{e:?}");
    assert_eq!(clone.append_rows(&[1u8; 14]).unwrap(), 6);
    assert_eq!((ds.shape(), reopened.row_len()), (vec![8, 7], 7));
    f.close().unwrap();
}
