//! Streaming one input into its dataset: .npy bytes or CSV rows, in blocks.

use std::fs;
use std::io::Read;
use std::path::Path;

use h5sink::{Dataset, Element, H5Type};
use indicatif::ProgressBar;

use crate::args::Opts;
use crate::{csv, err, Fail};

/// Bytes of input data read per block (per dataset; at least one row).
const BLOCK_BYTES: usize = 4 << 20;

/// Where an input's values go.
pub enum Target<'a> {
    /// A new dataset `name` of `file`.
    New(&'a h5sink::File, &'a str),
    /// Appended to this existing, resizable dataset (checked before).
    Append(Dataset),
}

/// The dataset an input is written to, and where its rows start.
struct Sink {
    ds: Dataset,
    append: bool,
}

impl Sink {
    fn open<T: H5Type>(target: Target<'_>, shape: &[u64], o: &Opts) -> Result<Sink, Fail> {
        match target {
            Target::New(file, name) => Ok(Sink {
                ds: create::<T>(file, name, shape, o)?,
                append: false,
            }),
            Target::Append(ds) => Ok(Sink { ds, append: true }),
        }
    }

    /// Write `vals`, rows `at..` of the input.
    fn put<T: Element>(&self, at: u64, vals: &[T]) -> Result<(), Fail> {
        let r = if self.append {
            self.ds.append_rows(vals).map(|_| ())
        } else {
            self.ds.write_rows(at, vals)
        };
        r.map_err(|e| Fail::Error(e.to_string()))
    }
}

fn create<T: H5Type>(
    file: &h5sink::File,
    name: &str,
    shape: &[u64],
    o: &Opts,
) -> Result<Dataset, Fail> {
    let mut b = file.new_dataset::<T>().shape(shape);
    let chunked = o.chunk.is_some()
        || o.deflate.is_some()
        || o.compress.is_some()
        || o.shuffle
        || o.resizable;
    // A resizable dataset is chunked even with no rows yet.
    if chunked && !shape.is_empty() && (o.resizable || !shape.contains(&0)) {
        if let Some(c) = &o.chunk {
            let dims: Vec<u64> = shape
                .iter()
                .enumerate()
                .map(|(i, &d)| {
                    let want = c.get(i).copied().unwrap_or(d);
                    // The rows of a resizable dataset grow: no clamp to them.
                    let most = if i == 0 && o.resizable { u64::MAX } else { d };
                    want.clamp(1, most.max(1))
                })
                .collect();
            b = b.chunk(&dims);
        }
        if o.resizable {
            b = b.resizable();
        }
        if o.shuffle {
            b = b.shuffle();
        }
        if let Some(level) = o.deflate {
            b = b.deflate(level);
        }
        if let Some(c) = o.compress {
            b = c.apply(b);
        }
    }
    b.create(name).map_err(|e| Fail::Error(e.to_string()))
}

/// Elements as read from `.npy` bytes.
pub trait NpyElem: Element {
    const SIZE: usize;
    fn from_le(b: &[u8]) -> Self;
    fn from_be(b: &[u8]) -> Self;
}

/// The first `N` bytes of `b` (`decode` passes exactly `N`: its
/// `chunks_exact` pieces), zero-padded if fewer.
fn bytes<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    let n = b.len().min(N);
    a[..n].copy_from_slice(&b[..n]);
    a
}

macro_rules! npy_num {
    ($($t:ty),*) => {$(
        impl NpyElem for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn from_le(b: &[u8]) -> Self {
                <$t>::from_le_bytes(bytes(b))
            }
            #[inline]
            fn from_be(b: &[u8]) -> Self {
                <$t>::from_be_bytes(bytes(b))
            }
        }
    )*};
}
npy_num!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);

impl NpyElem for bool {
    const SIZE: usize = 1;
    fn from_le(b: &[u8]) -> Self {
        b[0] != 0
    }
    fn from_be(b: &[u8]) -> Self {
        b[0] != 0
    }
}

impl NpyElem for half::f16 {
    const SIZE: usize = 2;
    fn from_le(b: &[u8]) -> Self {
        half::f16::from_bits(u16::from_le_bytes([b[0], b[1]]))
    }
    fn from_be(b: &[u8]) -> Self {
        half::f16::from_bits(u16::from_be_bytes([b[0], b[1]]))
    }
}

fn decode<T: NpyElem>(raw: &[u8], big: bool, out: &mut Vec<T>) {
    out.clear();
    if big {
        out.extend(raw.chunks_exact(T::SIZE).map(T::from_be));
    } else {
        out.extend(raw.chunks_exact(T::SIZE).map(T::from_le));
    }
}

pub fn stream_npy<T: NpyElem>(
    target: Target<'_>,
    shape: &[u64],
    f: &mut fs::File,
    big: bool,
    o: &Opts,
    progress: &ProgressBar,
) -> Result<(), Fail> {
    let sink = Sink::open::<T>(target, shape, o)?;
    let mut vals: Vec<T> = Vec::new();
    let Some((&rows, rest)) = shape.split_first() else {
        let mut raw = vec![0u8; T::SIZE];
        f.read_exact(&mut raw)
            .or_else(|e| err(format!("truncated: {e}")))?;
        decode(&raw, big, &mut vals);
        progress.inc(T::SIZE as u64);
        return sink
            .ds
            .write_scalar(&vals[0])
            .map_err(|e| Fail::Error(e.to_string()));
    };
    let row_len: u64 = rest.iter().product();
    let row_bytes = usize::try_from(row_len * T::SIZE as u64)
        .or_else(|_| err(format!("one row ({row_len} values) does not fit in memory")))?;
    if row_bytes == 0 {
        return Ok(());
    }
    let block_rows = (BLOCK_BYTES / row_bytes).max(1) as u64;
    let mut raw = vec![0u8; block_rows.min(rows) as usize * row_bytes];
    let mut at = 0u64;
    while at < rows {
        let n = block_rows.min(rows - at);
        let buf = &mut raw[..n as usize * row_bytes];
        f.read_exact(buf)
            .or_else(|e| err(format!("truncated: reading rows {at}..{}: {e}", at + n)))?;
        decode(buf, big, &mut vals);
        sink.put(at, &vals)?;
        progress.inc(buf.len() as u64);
        at += n;
    }
    Ok(())
}

pub trait CsvElem: Element {
    fn parse(s: &str) -> Option<Self>;
}
impl CsvElem for i64 {
    fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}
impl CsvElem for f64 {
    fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

pub fn stream_csv<T: CsvElem>(
    target: Target<'_>,
    path: &Path,
    s: &csv::Scan,
    o: &Opts,
    progress: &ProgressBar,
) -> Result<(), Fail> {
    let shape = if s.cols == 1 {
        vec![s.rows]
    } else {
        vec![s.rows, s.cols as u64]
    };
    let sink = Sink::open::<T>(target, &shape, o)?;
    // An existing dataset keeps its attributes (checked to match before).
    if let Some(h) = s.header.as_ref().filter(|_| !sink.append) {
        sink.ds
            .new_attr_builder()
            .with_strings(&h.names)
            .create("column_names")
            .map_err(|e| Fail::Error(format!("header {:?}: {e}", h.names)))?;
    }
    let mut rows = csv::Rows::open(path, s).map_err(Fail::Error)?;
    let block_rows = (BLOCK_BYTES / 8 / s.cols.max(1)).max(1);
    let mut vals: Vec<T> = Vec::with_capacity(block_rows * s.cols);
    let mut at = 0u64;
    loop {
        vals.clear();
        let (n, bytes) = rows
            .next_block(block_rows, &mut vals, T::parse)
            .map_err(Fail::Error)?;
        progress.inc(bytes);
        if n == 0 {
            break;
        }
        if at + n as u64 > s.rows {
            return err("the file grew while reading");
        }
        sink.put(at, &vals)?;
        at += n as u64;
    }
    if at != s.rows {
        return err(format!(
            "the file shrank while reading ({at} of {} rows)",
            s.rows
        ));
    }
    Ok(())
}
