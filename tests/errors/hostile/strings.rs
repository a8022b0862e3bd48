//! Hostile strings: fixed strings with NUL, too long or not ASCII, and vlen
//! strings with NUL.

use super::helpers::{expect, mem, still_valid};
use h5sink::{Error, FixedAscii, FixedUnicode};

// ---------------------------------------------------------------- strings

#[test]
fn fixed_ascii_with_nul() {
    expect(FixedAscii::<8>::new("a\0b"), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
}

#[test]
fn fixed_ascii_too_long() {
    expect(FixedAscii::<2>::new("abc"), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
}

#[test]
fn fixed_ascii_not_ascii() {
    expect(FixedAscii::<8>::new("dög"), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
}

#[test]
fn fixed_unicode_too_long_in_bytes() {
    // Three characters, six bytes: the length is in bytes, as in HDF5.
    expect(FixedUnicode::<4>::new("ééé"), |e| {
        matches!(e, Error::InvalidArgument { .. })
    });
    FixedUnicode::<6>::new("ééé").unwrap();
}

#[test]
fn vlen_string_with_nul_is_refused() {
    // Readers (libhdf5 among them) end a variable-length string at its
    // first NUL, so "a\0b" would read back as "a"; h5py refuses to write it.
    // Each way a string reaches the file refuses it, naming the string.
    let f = mem();
    let s = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[2])
        .create("s")
        .unwrap();
    expect(s.write_strings(&["ok", "a\0b"]), |e| {
        matches!(e, Error::NulInString { index: 1, .. }) && e.to_string().contains("NUL")
    });
    let grow = f
        .new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[0])
        .resizable()
        .create("grow")
        .unwrap();
    expect(grow.append_strings(&["\0"]), |e| {
        matches!(e, Error::NulInString { index: 0, .. })
    });
    assert_eq!(
        grow.shape(),
        [0],
        "a refused append does not grow the dataset"
    );
    expect(f.new_attr_builder().with_str("x\0y").create("a"), |e| {
        matches!(e, Error::NulInString { .. })
    });
    let attr = f.new_attr::<h5sink::VarLenUnicode>().create("b").unwrap();
    expect(attr.write_str("x\0"), |e| {
        matches!(e, Error::NulInString { .. })
    });
    assert!(
        f.new_attr_builder().with_str("fine").create("a").is_ok(),
        "the refused attribute was not created"
    );
    still_valid(f);
}
