//! Hostile names and paths inside a file: empty, `.`/`..`, NUL, empty
//! components, through a dataset, duplicates, missing members.

use super::helpers::{expect, mem, still_valid};
use h5sink::Error;

// ------------------------------------------------------------------ names

#[test]
fn name_empty() {
    let f = mem();
    expect(f.create_group(""), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    still_valid(f);
}

#[test]
fn name_dot_and_dotdot() {
    let f = mem();
    expect(f.create_group("."), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    expect(f.new_dataset::<u8>().create(".."), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    still_valid(f);
}

#[test]
fn name_with_nul() {
    let f = mem();
    expect(f.create_group("a\0b"), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    still_valid(f);
}

#[test]
fn path_with_dotdot_component() {
    let f = mem();
    expect(f.create_group("a/../b"), |e| {
        matches!(e, Error::InvalidPath { .. })
    });
    assert!(f.member_names().unwrap().is_empty(), "nothing created");
    still_valid(f);
}

#[test]
fn path_with_empty_component() {
    let f = mem();
    expect(f.create_group("a//b"), |e| {
        matches!(e, Error::InvalidPath { .. })
    });
    expect(f.create_group("a/"), |e| {
        matches!(e, Error::InvalidPath { .. })
    });
    assert!(f.member_names().unwrap().is_empty(), "nothing created");
    still_valid(f);
}

#[test]
fn path_through_a_dataset() {
    let f = mem();
    f.new_dataset::<u8>().shape(&[1]).create("d").unwrap();
    expect(f.create_group("d/x"), |e| {
        matches!(e, Error::InvalidPath { .. })
    });
    still_valid(f);
}

#[test]
fn duplicate_group_and_dataset_names() {
    let f = mem();
    f.create_group("g").unwrap();
    expect(f.create_group("g"), |e| {
        matches!(e, Error::DuplicateName { .. })
    });
    expect(f.new_dataset::<u8>().create("g"), |e| {
        matches!(e, Error::DuplicateName { .. })
    });
    still_valid(f);
}

#[test]
fn attribute_name_empty_nul_duplicate() {
    let f = mem();
    expect(f.new_attr::<u8>().create(""), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    expect(f.new_attr::<u8>().create("a\0"), |e| {
        matches!(e, Error::InvalidName { .. })
    });
    f.new_attr::<u8>().create("a").unwrap();
    expect(f.new_attr::<u8>().create("a"), |e| {
        matches!(e, Error::DuplicateName { .. })
    });
    still_valid(f);
}

#[test]
fn open_missing_dataset_or_group() {
    let f = mem();
    f.create_group("g").unwrap();
    expect(f.dataset("nope"), |e| matches!(e, Error::NotFound { .. }));
    expect(f.dataset("g"), |e| matches!(e, Error::NotFound { .. }));
    expect(f.group("g/x/y"), |e| matches!(e, Error::NotFound { .. }));
    still_valid(f);
}
