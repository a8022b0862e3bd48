//! Error messages that say what is wrong, and only that: a name too long
//! for its header message is an invalid name (not a value "too large"),
//! every echoed caller value is capped, paths are described as what they
//! are (empty, a directory, a link), maximum shapes print as numbers, and
//! a closed file answers `Error::Closed`.

use h5sink::{DatasetWriter, Error, File, VarLenUnicode};

/// The error of `r`, which must have failed.
fn fails<T>(r: h5sink::Result<T>, what: &str) -> Error {
    match r {
        Ok(_) => panic!("{what}: succeeded, expected an error"),
        Err(e) => e,
    }
}

/// The message of `e`, which must be short whatever the input was, and
/// show none of Rust's `Option` Debug text.
fn message(e: &Error) -> String {
    let msg = e.to_string();
    assert!(
        msg.chars().count() < 1200,
        "a {}-character message: {}...",
        msg.chars().count(),
        msg.chars().take(300).collect::<String>()
    );
    assert!(!msg.contains("Some("), "{msg}");
    msg
}

/// `msg` contains every one of `parts`.
fn says(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "message {msg:?} lacks {p:?}");
    }
}

// ----------------------------------------------------- attribute names

#[test]
fn attribute_name_too_long_is_an_invalid_name() {
    let f = File::in_memory().unwrap();
    let g = f.create_group("g").unwrap();
    let ds = f.new_dataset::<u8>().shape(&[2]).create("d").unwrap();
    let long = "n".repeat(70_000);
    let attempts = [
        fails(f.new_attr::<u8>().create(&long), "root new_attr"),
        fails(g.new_attr::<f64>().shape(&[2]).create(&long), "group"),
        fails(
            ds.new_attr_builder().with_data(&[1i32, 2]).create(&long),
            "with_data",
        ),
        fails(
            ds.new_attr_builder().with_str("v").create(&long),
            "with_str",
        ),
    ];
    for e in attempts {
        assert!(matches!(e, Error::InvalidName { .. }), "{e:?}");
        let msg = message(&e);
        says(&msg, &["too long", "70000 characters", "65528 bytes"]);
        assert!(!msg.contains("store large values"), "{msg}");
    }
    // Multi-byte characters count as their UTF-8 bytes.
    let wide = "ü".repeat(33_000);
    let e = fails(f.new_attr::<u8>().create(&wide), "66,000 bytes");
    assert!(matches!(e, Error::InvalidName { .. }), "{e:?}");
    // A long name that fits is accepted, with a value that fits beside it.
    let fits = "k".repeat(65_400);
    f.new_attr::<u8>()
        .create(&fits)
        .unwrap()
        .write_scalar(&7u8)
        .unwrap();
    // A long name with a value too large beside it: the value is too large.
    let e = fails(
        ds.new_attr_builder()
            .with_data(&[0u8; 2000])
            .create(&"v".repeat(64_000)),
        "name and value",
    );
    assert!(matches!(e, Error::AttributeTooLarge { .. }), "{e:?}");
    says(&message(&e), &["64000 characters", "65528"]);
    // A large value under a short name is too large, as before.
    let e = fails(
        ds.new_attr_builder()
            .with_data(&[0u8; 70_000])
            .create("big"),
        "large value",
    );
    assert!(matches!(e, Error::AttributeTooLarge { .. }), "{e:?}");
    says(
        &message(&e),
        &["\"big\"", "store large values as a dataset"],
    );
    f.close().unwrap();
}

// ------------------------------------------- echoed values are capped

#[test]
fn huge_names_and_paths_are_clipped_in_messages() {
    let f = File::in_memory().unwrap();
    let huge = "h".repeat(100_000);
    // A huge name is valid; every message about it is short.
    let g = f.create_group(&huge).unwrap();
    let errors = [
        fails(f.create_group(&huge), "duplicate group"),
        fails(f.create_group(&format!("{huge}/a//b")), "empty component"),
        fails(f.create_group(&format!("x/{huge}\0")), "NUL component"),
        fails(f.create_group(&format!("{huge}\0")), "NUL name"),
        fails(f.dataset(&format!("{huge}/missing")), "not found"),
        fails(g.group(&huge), "not found below the huge group"),
        fails(
            g.new_dataset::<u8>().shape(&[-1]).create(&huge),
            "bad shape",
        ),
        fails(
            g.new_dataset::<u8>()
                .shape(&[2])
                .chunk(&[1, 1])
                .create(&huge),
            "bad chunk",
        ),
    ];
    for e in &errors {
        says(&message(e), &["characters)"]);
    }
    let ds = g.new_dataset::<u8>().shape(&[2]).create(&huge).unwrap();
    let s = g
        .new_dataset::<VarLenUnicode>()
        .shape(&[0])
        .resizable()
        .create("s")
        .unwrap();
    let errors = [
        fails(ds.write_rows(1, &[1u8, 2]), "rows out of range"),
        fails(ds.write_raw(&[1u8]), "too few values"),
        fails(ds.write_rows(0, &[true]), "wrong type"),
        fails(ds.resize(&[3]), "not resizable"),
        fails(s.append_strings(&["a\0"]), "NUL in a string"),
        fails(ds.new_attr::<u8>().create(&format!("{huge}\0")), "NUL"),
        fails(g.new_dataset::<u8>().create(&huge), "duplicate dataset"),
    ];
    for e in &errors {
        says(&message(e), &["characters)"]);
    }
    let long = &huge[..1000];
    ds.new_attr::<u8>().create(long).unwrap();
    let e = fails(ds.new_attr::<u8>().create(long), "duplicate attribute");
    assert!(matches!(e, Error::DuplicateName { .. }), "{e:?}");
    says(&message(&e), &["attributes of", "characters)"]);
    f.close().unwrap();
}

// ------------------------------------------------------------- paths

#[test]
fn empty_path_directory_and_link_say_so() {
    let e = fails(File::create(""), "empty path");
    assert!(
        matches!(e, Error::InvalidArgument { what: "path", .. }),
        "{e:?}"
    );
    says(&message(&e), &["\"\"", "empty"]);
    let e = fails(DatasetWriter::<f32>::create("", &[2, 2]), "writer, empty");
    assert!(matches!(e, Error::InvalidArgument { .. }), "{e:?}");
    says(&message(&e), &["empty"]);

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("a-directory.h5");
    std::fs::create_dir(&d).unwrap();
    let e = fails(File::create(&d), "directory");
    assert!(
        matches!(&e, Error::Exists { path, .. } if path == &d),
        "{e:?}"
    );
    let msg = message(&e);
    says(&msg, &[&d.display().to_string(), "a directory is there"]);
    assert!(!msg.contains("file already exists"), "{msg}");

    let p = dir.path().join("existing.h5");
    std::fs::write(&p, b"data").unwrap();
    let msg = message(&fails(File::create(&p), "existing file"));
    says(&msg, &["the file already exists"]);

    #[cfg(unix)]
    {
        let link = dir.path().join("dangling.h5");
        std::os::unix::fs::symlink(dir.path().join("target.h5"), &link).unwrap();
        let msg = message(&fails(File::create(&link), "dangling link"));
        says(&msg, &["symbolic link"]);
    }
}

// ----------------------------------------------------- shapes and calls

#[test]
fn write_scalar_on_an_array_says_what_to_use() {
    let f = File::in_memory().unwrap();
    let ds = f.new_dataset::<f64>().shape(&[3]).create("x").unwrap();
    let e = fails(ds.write_scalar(&1.0), "write_scalar on [3]");
    assert!(matches!(e, Error::BadShape { .. }), "{e:?}");
    assert_eq!(
        message(&e),
        "dataset \"/x\": write_scalar writes one value, but the dataset holds 3 elements; \
         use write_raw or write_rows"
    );
    f.close().unwrap();
}

#[test]
fn maximum_shapes_print_as_numbers() {
    let f = File::in_memory().unwrap();
    let ds = f
        .new_dataset::<u8>()
        .shape(&[10, 2])
        .max_shape(&[Some(100), None])
        .chunk(&[10, 2])
        .create("x")
        .unwrap();
    let e = fails(ds.resize(&[101, 2]), "resize beyond the maximum");
    says(&message(&e), &["dimension 0", "101", "maximum 100"]);
    ds.resize(&[99, 2]).unwrap();
    let e = fails(ds.append_rows(&[0u8; 4]), "append beyond the maximum");
    says(&message(&e), &["dimension 0", "101", "maximum 100"]);
    assert_eq!(ds.shape(), [99, 2]);
    let e = fails(
        f.new_dataset::<u8>()
            .shape(&[5])
            .max_shape(&[Some(4)])
            .create("y"),
        "shape above its maximum",
    );
    says(&message(&e), &["dimension 0 is 5", "maximum is 4"]);
    let e = fails(
        f.new_dataset::<u8>()
            .shape(&[2])
            .max_shape(&[Some(4)])
            .chunk(&[8])
            .create("z"),
        "chunk above the maximum",
    );
    says(&message(&e), &["chunk dimension 0 is 8", "maximum is 4"]);
    let e = fails(
        f.new_dataset::<u8>()
            .shape(&[2])
            .max_shape(&[Some(4), None])
            .create("w"),
        "max_shape rank",
    );
    says(&message(&e), &["max_shape has 2 dimensions"]);
    f.close().unwrap();
}

#[test]
fn member_names_after_close_is_closed() {
    let f = File::in_memory().unwrap();
    let g = f.create_group("g").unwrap();
    let root = f.group("/").unwrap();
    f.close().unwrap();
    for (h, what) in [(&g, "g"), (&root, "root")] {
        let e = fails(h.member_names(), what);
        assert!(matches!(e, Error::Closed { by: "File::close" }), "{e:?}");
        says(&message(&e), &["closed", "File::close"]);
    }
}
