//! CNN features with integer labels and class names: the layout of the h5py
//! `HDF5DatasetWriter` tutorial (`features`, `labels`, `label_names`).
//!
//! ```text
//! cargo run --release --example cnn_features -- OUT.h5              # fixed size: 1000 rows known up front
//! cargo run --release --example cnn_features -- OUT.h5 --unlimited  # row count unknown: chunked, appended, deflated
//! ```
//!
//! The "features" here are made up (a real pipeline would take them from a
//! network's last pooling layer); the file layout is the point. Read it back
//! with h5py: `f["features"][:]`, `f["labels"][:]`, `f["label_names"].asstr()[:]`.

use h5sink::DatasetWriter;

const DIM: usize = 512; // values per feature vector
const ROWS: usize = 1000; // images "seen"
const BATCH: usize = 32; // rows per add() call, as a data loader yields them
const CLASSES: [&str; 4] = ["cat", "dog", "horse", "ship"];

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// A fake feature batch: row r of the stream holds values depending on r.
fn batch(start: usize, n: usize) -> (Vec<f32>, Vec<i64>) {
    let rows = (start..start + n)
        .flat_map(|r| (0..DIM).map(move |j| ((r * 31 + j) % 97) as f32 / 97.0))
        .collect();
    let labels = (start..start + n)
        .map(|r| (r % CLASSES.len()) as i64)
        .collect();
    (rows, labels)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: cnn_features OUT.h5 [--unlimited]")?;
    let unlimited = match args.next().as_deref() {
        None => false,
        Some("--unlimited") => true,
        Some(other) => return Err(format!("unknown option {other:?}; expected --unlimited").into()),
    };

    // Fixed size: the dimensions are those of the whole dataset (rows first).
    // Unlimited: the dimensions are those of ONE row; the dataset grows.
    let builder = if unlimited {
        DatasetWriter::<f32>::builder(&path, &[DIM])
            .unlimited()
            .shuffle()
            .deflate(4)
    } else {
        DatasetWriter::<f32>::builder(&path, &[ROWS, DIM])
    };
    // Refuses an existing path with Error::Exists.
    let mut w = builder.data_key("features").buf_size(256).create()?;

    let mut start = 0;
    while start < ROWS {
        let n = BATCH.min(ROWS - start);
        let (rows, labels) = batch(start, n);
        w.add(&rows, &labels)?;
        start += n;
    }
    w.store_class_labels(&CLASSES)?;
    // Anything else can go beside the stream, e.g. a note on the root group.
    w.file()?
        .new_attr_builder()
        .with_str("synthetic features from examples/cnn_features.rs")
        .create("description")?;
    let rows = w.len();
    w.close()?;

    let size = std::fs::metadata(&path)?.len();
    let mode = if unlimited {
        "unlimited (chunked, shuffle + deflate 4)"
    } else {
        "fixed size (contiguous)"
    };
    println!("wrote {path} ({size} bytes), {mode}:");
    println!("  /features     f32 {rows} x {DIM}");
    println!("  /labels       i64 {rows} (class index per row)");
    println!(
        "  /label_names  {} variable-length UTF-8 strings: {CLASSES:?}",
        CLASSES.len()
    );
    println!("  /  attribute  description (string)");
    Ok(())
}
