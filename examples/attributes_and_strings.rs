//! Attributes of every kind (numbers, bool, arrays, enums, compounds, fixed
//! and variable-length strings) on the root group, a group and a dataset, and
//! string datasets: variable-length UTF-8, fixed ASCII and fixed UTF-8.
//!
//! ```text
//! cargo run --release --example attributes_and_strings -- OUT.h5
//! ```
//!
//! In h5py: `dict(f.attrs)`, `f["run"].attrs["split"]`,
//! `f["strings/vlen"].asstr()[:]`, `f["strings/ascii"][:]` (bytes).

use h5sink::{File, FixedAscii, FixedUnicode, VarLenUnicode};

h5sink::h5enum! {
    /// Stored as an HDF5 enum over u8; h5py: `h5py.check_enum_dtype(dtype)`.
    #[derive(Clone, Copy, Debug)]
    enum Split: u8 { Train = 0, Val = 1, Test = 2 }
}

h5sink::h5compound! {
    /// Stored as a packed compound; h5py reads a numpy structured value.
    #[derive(Clone, Copy, Debug)]
    struct Normalization { mean: [f32; 3], std: [f32; 3], scale: f64 }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: attributes_and_strings OUT.h5")?;
    let file = File::create(&path)?; // refuses an existing path with Error::Exists

    // On the root group (a File is its root group): the one-call builder.
    file.new_attr_builder()
        .with_str("attributes_and_strings example")
        .create("title")?; // h5py: attrs["title"] = "..."
    file.new_attr_builder()
        .with_scalar(&3u32)
        .create("version")?;
    file.new_attr_builder()
        .with_scalar(&true)
        .create("complete")?;
    file.new_attr_builder()
        .with_data(&[0.1f64, 0.01, 0.001])
        .create("learning_rates")?;
    file.new_attr_builder()
        .with_strings(&["alice", "bob"])
        .create("authors")?;

    // On a group: typed attributes, any shape.
    let run = file.create_group("run")?;
    run.new_attr::<Split>()
        .create("split")?
        .write_scalar(&Split::Val)?;
    run.new_attr::<Normalization>()
        .create("normalization")?
        .write_scalar(&Normalization {
            mean: [0.485, 0.456, 0.406],
            std: [0.229, 0.224, 0.225],
            scale: 1.0 / 255.0,
        })?;
    run.new_attr::<i32>()
        .shape(&[2, 3])
        .create("grid")?
        .write(&[1, 2, 3, 4, 5, 6])?;
    run.new_attr::<FixedAscii<8>>()
        .create("code")?
        .write_scalar(&FixedAscii::<8>::new("RUN-0042")?)?;
    run.new_attr::<FixedUnicode<12>>()
        .create("site")?
        .write_scalar(&FixedUnicode::<12>::new("Zürich")?)?;

    // On a dataset.
    let loss = run.new_dataset::<f32>().shape(&[5]).create("loss")?;
    loss.write_raw(&[2.3f32, 1.7, 1.2, 0.9, 0.8])?;
    loss.new_attr_builder()
        .with_str("cross-entropy")
        .create("units")?;
    loss.new_attr::<VarLenUnicode>()
        .shape(&[2])
        .create("axes")?
        .write_strings(&["epoch", "value"])?;

    // String datasets.
    let strings = file.create_group("strings")?;
    let vlen = ["short", "a much longer string, any length", "日本語", ""];
    strings
        .new_dataset::<VarLenUnicode>()
        .shape(&[vlen.len()])
        .create("vlen")?
        .write_strings(&vlen)?;
    let ascii = [
        FixedAscii::<6>::new("cat")?,
        FixedAscii::<6>::new("dog")?,
        FixedAscii::<6>::new("horses")?,
    ];
    strings
        .new_dataset::<FixedAscii<6>>()
        .shape(&[3])
        .create("ascii")?
        .write_raw(&ascii)?;
    let utf8 = [
        FixedUnicode::<10>::new("Straße")?,
        FixedUnicode::<10>::new("café")?,
    ];
    strings
        .new_dataset::<FixedUnicode<10>>()
        .shape(&[2])
        .create("utf8")?
        .write_raw(&utf8)?;
    strings
        .new_dataset::<VarLenUnicode>()
        .create("scalar")?
        .write_strings(&["one string"])?;

    // Too large for an object header: a specific error, the file unharmed.
    let big = vec![0u8; 70_000];
    if let Err(e) = run.new_attr_builder().with_data(&big).create("too_big") {
        println!("as expected, refused: {e}");
    }
    file.close()?;

    println!("wrote {path}:");
    println!("  /  attributes   title (str), version (u32), complete (bool), learning_rates (f64 x 3), authors (str x 2)");
    println!("  /run attributes split (enum Split = Val), normalization (compound), grid (i32 2 x 3), code (S8), site (UTF-8, 12 bytes)");
    println!("  /run/loss       f32 x 5; attributes units (str), axes (str x 2)");
    println!(
        "  /strings/vlen   {} variable-length UTF-8 strings",
        vlen.len()
    );
    println!("  /strings/ascii  3 fixed ASCII strings of 6 bytes (numpy S6)");
    println!("  /strings/utf8   2 fixed UTF-8 strings of 10 bytes");
    println!("  /strings/scalar one variable-length string (scalar)");
    Ok(())
}
