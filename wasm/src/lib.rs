//! h5sink in WebAssembly.
//!
//! [`build_demo`] builds a small HDF5 file in memory with every kind of object
//! h5sink writes: a group, a 2-D `f32` dataset written by rows, variable-length
//! UTF-8 strings, attributes, and a chunked, shuffled, deflated dataset.
//!
//! Built as a `wasm32-unknown-unknown` cdylib it exports plain functions (no
//! wasm-bindgen, no JS glue, no `unsafe`):
//!
//! - `h5_build() -> u32`: builds the file, keeps it in the module, returns its
//!   length; `u32::MAX` on error (the message is then the kept bytes).
//! - `h5_ptr() -> u32`: where the kept bytes start in linear memory, so the
//!   host copies them in one go: `new Uint8Array(memory.buffer, ptr, len)`.
//! - `h5_byte(i) -> u32`: byte `i` of the kept bytes (256 past the end), for
//!   hosts that cannot read linear memory.
//! - `h5_free()`: drops the kept bytes.
//!
//! `wasm/run.mjs` drives it under Node; `scripts/wasm.sh` checks the result
//! with h5py.

use std::sync::Mutex;

/// Rows and columns of `/features`.
pub const ROWS: usize = 6;
/// Columns of `/features`.
pub const COLS: usize = 5;
/// Shape of `/chunked` (rows, columns); chunks are 16 x 16.
pub const CHUNKED: [usize; 2] = [100, 40];

/// Value of `/features[r, c]`.
pub fn feature(r: usize, c: usize) -> f32 {
    r as f32 * 10.0 + c as f32 * 0.5
}

/// Value of `/chunked[r, c]`: compressible, but not constant.
pub fn chunked(r: usize, c: usize) -> i32 {
    (r * CHUNKED[1] + c) as i32 % 97 - 40
}

/// The class names in `/meta/names`.
pub const NAMES: [&str; 4] = ["cat", "dog", "ünïcødé ✓", ""];

/// Write the demo objects into `file` and commit them (`flush`).
pub fn fill(file: &h5sink::File) -> h5sink::Result<()> {
    file.new_attr_builder()
        .with_str("h5sink wasm demo")
        .create("title")?;
    let meta = file.create_group("meta")?;
    meta.new_dataset::<h5sink::VarLenUnicode>()
        .shape(&[NAMES.len()])
        .create("names")?
        .write_strings(&NAMES)?;

    let ds = file
        .new_dataset::<f32>()
        .shape(&[ROWS, COLS])
        .create("features")?;
    for r in 0..ROWS {
        let row: Vec<f32> = (0..COLS).map(|c| feature(r, c)).collect();
        ds.write_rows(r as u64, &row)?;
    }
    ds.new_attr_builder().with_str("kelvin").create("units")?;
    ds.new_attr::<f64>()
        .shape(&[3])
        .create("scale")?
        .write(&[1.0, 2.0, 3.0])?;

    let data: Vec<i32> = (0..CHUNKED[0] * CHUNKED[1])
        .map(|i| chunked(i / CHUNKED[1], i % CHUNKED[1]))
        .collect();
    file.new_dataset::<i32>()
        .shape(&CHUNKED)
        .chunk(&[16, 16])
        .shuffle()
        .deflate(6)
        .create("chunked")?
        .write_rows(0, &data)?;
    file.flush()
}

/// The demo file's bytes, built in memory.
pub fn build_demo() -> h5sink::Result<Vec<u8>> {
    let file = h5sink::File::in_memory()?;
    fill(&file)?;
    file.into_bytes()
}

static KEPT: Mutex<Vec<u8>> = Mutex::new(Vec::new());

fn kept() -> std::sync::MutexGuard<'static, Vec<u8>> {
    KEPT.lock().unwrap_or_else(|p| p.into_inner())
}

/// Build the demo file and keep it; its length, or `u32::MAX` on error.
#[no_mangle]
pub extern "C" fn h5_build() -> u32 {
    let (bytes, status) = match build_demo() {
        Ok(b) => {
            let n = u32::try_from(b.len()).unwrap_or(u32::MAX);
            (b, n)
        }
        Err(e) => (e.to_string().into_bytes(), u32::MAX),
    };
    *kept() = bytes;
    status
}

/// Length of the kept bytes (the file, or the error message).
#[no_mangle]
pub extern "C" fn h5_len() -> u32 {
    kept().len() as u32
}

/// Address of the kept bytes in linear memory.
#[no_mangle]
pub extern "C" fn h5_ptr() -> u32 {
    kept().as_ptr() as usize as u32
}

/// Byte `i` of the kept bytes, or 256 past the end.
#[no_mangle]
pub extern "C" fn h5_byte(i: u32) -> u32 {
    kept().get(i as usize).map_or(256, |&b| u32::from(b))
}

/// Drop the kept bytes.
#[no_mangle]
pub extern "C" fn h5_free() {
    *kept() = Vec::new();
}
