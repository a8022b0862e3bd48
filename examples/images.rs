//! Raw images as one `u8` dataset of N x H x W x C, chunked one image per
//! chunk and compressed with shuffle + deflate, with labels and class names.
//!
//! ```text
//! cargo run --release --example images -- OUT.h5
//! ```
//!
//! In h5py: `f["images"][i]` is image i as an (H, W, C) uint8 array, ready for
//! `PIL.Image.fromarray`; only the chunks of the images read are decompressed.

use h5sink::File;

const N: usize = 256; // images
const H: usize = 64;
const W: usize = 64;
const C: usize = 3; // RGB
const CLASSES: [&str; 3] = ["circle", "square", "stripes"];

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// A synthetic image of class `label`: a smooth gradient plus a shape.
fn image(i: usize, label: usize) -> Vec<u8> {
    let mut px = Vec::with_capacity(H * W * C);
    for y in 0..H {
        for x in 0..W {
            let (dx, dy) = (x as i64 - 32, y as i64 - 32);
            let on = match label {
                0 => dx * dx + dy * dy < 400,
                1 => dx.abs() < 16 && dy.abs() < 16,
                _ => (x / 8 + i) % 2 == 0,
            };
            let base = ((x + y + i) % 256) as u8 / 2;
            px.extend_from_slice(&[if on { 255 } else { base }, base, (i % 256) as u8]);
        }
    }
    px
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: images OUT.h5")?;
    let file = File::create(&path)?; // refuses an existing path with Error::Exists

    let images = file
        .new_dataset::<u8>()
        .shape(&[N, H, W, C])
        .chunk(&[1, H, W, C]) // one image per chunk: reading image i touches one chunk
        .shuffle()
        .deflate(4)
        .create("images")?;
    images
        .new_attr_builder()
        .with_str("NHWC")
        .create("layout")?;
    images
        .new_attr_builder()
        .with_str("RGB")
        .create("channels")?;

    let labels = file.new_dataset::<i64>().shape(&[N]).create("labels")?;
    let mut all_labels = Vec::with_capacity(N);
    for start in (0..N).step_by(32) {
        // A batch of 32 images, written as rows start..start + 32.
        let batch: Vec<u8> = (start..start + 32)
            .flat_map(|i| image(i, i % CLASSES.len()))
            .collect();
        images.write_rows(start as u64, &batch)?;
        all_labels.extend((start..start + 32).map(|i| (i % CLASSES.len()) as i64));
    }
    labels.write_raw(&all_labels)?;
    file.new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[CLASSES.len()])
        .create("label_names")?
        .write_strings(&CLASSES)?;
    file.close()?;

    let raw = N * H * W * C;
    let size = std::fs::metadata(&path)?.len();
    println!("wrote {path} ({size} bytes; the raw pixels alone are {raw} bytes):");
    println!(
        "  /images       u8 {N} x {H} x {W} x {C}, chunks 1 x {H} x {W} x {C}, shuffle + deflate 4"
    );
    println!("                attributes layout = \"NHWC\", channels = \"RGB\"");
    println!("  /labels       i64 {N}");
    println!(
        "  /label_names  {} variable-length UTF-8 strings: {CLASSES:?}",
        CLASSES.len()
    );
    Ok(())
}
