//! A region worker: writes the rows of one region token (from
//! `Dataset::region` in the process that created the file) from raw
//! little-endian values on stdin, e.g. a numpy array's `tobytes()`. Rows
//! count from the region's first row; stdin may hold fewer rows than the
//! region (the rest keep what they held), never more.
//!
//! ```text
//! cargo run --release --example region_worker -- FILE.h5 TOKEN [--sync] < rows.bin
//! ```
//!
//! From Python (a Dask task, say), with `arr` the task's rows:
//! `subprocess.run(["region_worker", path, token], input=arr.astype("<f4").tobytes(), check=True)`.
//! It prints `wrote N of M rows` on stderr; exit status 1 on any error
//! (nothing written for a token of another file, another element type, or
//! more rows than the region has: they are checked before each write).

use std::io::Read;

use h5sink::{Numeric, Region, RegionWriter};

/// Rows are read and written about this many bytes at a time.
const PIECE: usize = 4 << 20;

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sync = args.iter().any(|a| a == "--sync");
    let rest: Vec<&String> = args.iter().filter(|a| *a != "--sync").collect();
    let [path, token] = rest[..] else {
        return Err("usage: region_worker FILE.h5 TOKEN [--sync] < rows.bin".into());
    };
    let (done, rows) = copy(path, token, sync, std::io::stdin().lock())?;
    eprintln!("wrote {done} of {rows} rows");
    Ok(())
}

/// Copy `input` (raw little-endian values) into the region of `token`, as
/// the token's number type; (rows written, rows of the region).
/// `tests/write/region_refusals.rs` runs it too.
pub fn copy(
    path: &str,
    token: &str,
    sync: bool,
    input: impl Read,
) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let region: Region = token.parse()?;
    match region.dtype_description() {
        "f32" => write::<f32>(path, token, sync, input),
        "f64" => write::<f64>(path, token, sync, input),
        "i8" => write::<i8>(path, token, sync, input),
        "u8" => write::<u8>(path, token, sync, input),
        "i16" => write::<i16>(path, token, sync, input),
        "u16" => write::<u16>(path, token, sync, input),
        "i32" => write::<i32>(path, token, sync, input),
        "u32" => write::<u32>(path, token, sync, input),
        "i64" => write::<i64>(path, token, sync, input),
        "u64" => write::<u64>(path, token, sync, input),
        other => Err(format!("this worker writes numbers; the region holds {other}").into()),
    }
}

/// [`copy`] for the number type `T`.
fn write<T: Numeric>(
    path: &str,
    token: &str,
    sync: bool,
    mut input: impl Read,
) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let w = RegionWriter::<T>::open(path, token)?;
    let row_bytes = w.region().row_bytes() as usize;
    let per = (PIECE / row_bytes).max(1);
    let mut buf = vec![0u8; per * row_bytes];
    let mut first = 0u64;
    loop {
        let n = fill(&mut input, &mut buf)?;
        if n % row_bytes != 0 {
            return Err(format!(
                "the input ended inside a row: {n} bytes are not whole rows of {row_bytes} bytes"
            )
            .into());
        }
        let mut values = vec![T::zeroed(); n / std::mem::size_of::<T>()];
        bytemuck::cast_slice_mut::<T, u8>(&mut values).copy_from_slice(&buf[..n]);
        w.write_rows(first, &values)?;
        first += (n / row_bytes) as u64;
        if n < buf.len() {
            break;
        }
    }
    let rows = w.region().rows();
    w.finish(sync)?;
    Ok((first, rows))
}

/// Read until `buf` is full or the input ends; the bytes read.
fn fill(input: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
