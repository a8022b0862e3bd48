//! Stream a VGG16-shaped feature dataset (2000 x 25088 f32), its labels and
//! class names into a new HDF5 file, and report the throughput.
//!
//! ```text
//! cargo run --release --example features -- out.h5 [rows]
//! ```

use std::time::Instant;

const FEATURES: usize = 25088; // 512 x 7 x 7, VGG16's last pooling layer, flattened
const BATCH: usize = 32;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: features OUT.h5 [ROWS]")?;
    let rows: usize = match args.next() {
        Some(r) => r
            .parse()
            .map_err(|_| format!("ROWS must be a whole number, got {r:?}"))?,
        None => 2000,
    };
    let classes = ["cat", "dog", "horse", "ship", "truck"];

    // A few batches of ReLU-like features (non-negative, many zeros), made
    // before the clock starts so only the streaming is timed.
    let batches: Vec<Vec<f32>> = (0..4)
        .map(|b| {
            (0..BATCH * FEATURES)
                .map(|i| (((i + b * 7) % 97) as f32 - 60.0).max(0.0) * 0.125)
                .collect()
        })
        .collect();
    let mut labels = vec![0i64; BATCH];

    let start = Instant::now();
    let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[rows, FEATURES])
        .data_key("features")
        .buf_size(1000)
        .create()?;
    w.store_class_labels(&classes)?;
    let mut done = 0;
    while done < rows {
        let n = BATCH.min(rows - done);
        let batch = &batches[(done / BATCH) % batches.len()];
        for (i, l) in labels[..n].iter_mut().enumerate() {
            *l = ((done + i) % classes.len()) as i64;
        }
        w.add(&batch[..n * FEATURES], &labels[..n])?;
        done += n;
    }
    w.close()?;
    let secs = start.elapsed().as_secs_f64();
    let bytes = (rows * FEATURES * 4 + rows * 8) as f64;
    println!(
        "wrote {rows} rows x {FEATURES} f32 + labels + {} class names to {path} in {secs:.3} s: {:.0} rows/s, {:.2} GB/s",
        classes.len(),
        rows as f64 / secs,
        bytes / secs / 1e9
    );
    Ok(())
}
