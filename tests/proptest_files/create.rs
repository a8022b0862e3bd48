//! Creating and writing the random datasets (typed and vlen strings) and
//! their manifest entries.

use super::plans::{DsSpec, Layout, Step};
use super::ty::{element, elements, vlen_strings};
use super::types::Gen;
use crate::common::{Data, Json, Manifest};
use h5sink::{Dataset, DatasetBuilder, Group, H5Type, VarLenUnicode};

// ------------------------------------------------------------ writing

pub(crate) type R<T> = Result<T, Box<dyn std::error::Error>>;

/// A dataset being written: runs its steps.
pub(crate) trait Plan {
    fn step(&self, s: &Step) -> h5sink::Result<()>;
}

struct Typed<T> {
    ds: Dataset,
    all: Vec<T>,
    row_len: usize,
    rest: Vec<u64>,
}

impl<T: Gen> Plan for Typed<T> {
    fn step(&self, s: &Step) -> h5sink::Result<()> {
        let l = self.row_len;
        match *s {
            Step::Rows(a, b) => self
                .ds
                .write_rows(a, &self.all[a as usize * l..b as usize * l]),
            Step::Raw => self.ds.write_raw(&self.all),
            Step::Scalar => self.ds.write_scalar(&self.all[0]),
            Step::Append(a, b) => {
                let start = self
                    .ds
                    .append_rows(&self.all[a as usize * l..b as usize * l])?;
                assert_eq!(start, a, "append_rows returned the wrong first row");
                Ok(())
            }
            Step::Resize(rows) => self.ds.resize(&with_rows(rows, &self.rest)),
            Step::Strings => unreachable!(),
        }
    }
}

/// The shape of `rows` rows of the other dimensions `rest`.
fn with_rows(rows: u64, rest: &[u64]) -> Vec<u64> {
    std::iter::once(rows).chain(rest.iter().copied()).collect()
}

struct Vlen {
    ds: Dataset,
    all: Vec<String>,
    /// Strings at creation: what `Step::Strings` writes.
    init: usize,
    row_len: usize,
    rest: Vec<u64>,
}

impl Plan for Vlen {
    fn step(&self, s: &Step) -> h5sink::Result<()> {
        let l = self.row_len;
        match *s {
            Step::Strings => self.ds.write_strings(&self.all[..self.init]),
            Step::Append(a, b) => {
                let start = self
                    .ds
                    .append_strings(&self.all[a as usize * l..b as usize * l])?;
                assert_eq!(start, a, "append_strings returned the wrong first row");
                Ok(())
            }
            Step::Resize(rows) => self.ds.resize(&with_rows(rows, &self.rest)),
            ref other => unreachable!("{other:?} on a vlen dataset"),
        }
    }
}

/// What the manifest says a non-vlen dataset holds.
fn dataset_data<T: Gen>(spec: &DsSpec, all: &[T], fill: Option<&T>) -> Data {
    let rows = spec.written.len() as u64;
    let n: u64 = spec.shape.iter().product();
    let row_len = if spec.shape.is_empty() {
        1
    } else {
        n / rows.max(1)
    };
    let k = spec.written.iter().take_while(|&&w| w).count() as u64;
    let prefix = spec.written[k as usize..].iter().all(|&w| !w);
    let chunked = spec.chunk.is_some();
    if k == rows && T::RAMP {
        return Data::Ramp { seed: spec.seed };
    }
    if k == rows || (!chunked && !prefix) || (!chunked && k == 0) {
        // Every element listed; never-written ones as the fill value.
        let unwritten = fill.copied().unwrap_or_else(T::zero).json();
        let values = (0..n)
            .map(|i| {
                let row = if spec.shape.is_empty() {
                    0
                } else {
                    i / row_len.max(1)
                };
                if spec.written[row as usize] {
                    all[i as usize].json()
                } else {
                    unwritten.clone()
                }
            })
            .collect();
        return Data::Values(values);
    }
    assert!(
        prefix,
        "chunked datasets are written in increasing row order"
    );
    if T::RAMP {
        Data::RampRows {
            seed: spec.seed,
            rows_written: k,
        }
    } else {
        Data::ValuesRows {
            values: all[..(k * row_len) as usize]
                .iter()
                .map(Gen::json)
                .collect(),
            rows_written: k,
        }
    }
}

pub(crate) fn create_typed<T: Gen>(
    g: &Group,
    name: &str,
    path: &str,
    spec: &DsSpec,
    m: &mut Manifest,
) -> R<Box<dyn Plan>> {
    let n: u64 = spec.shape.iter().product();
    let all: Vec<T> = elements(n, spec.seed);
    let fill: Option<T> = spec.fill.map(|s| element(0, s));
    let mut b = with_storage(g.new_dataset::<T>(), spec);
    if let Some(f) = fill {
        b = b.fill_value(f);
    }
    let ds = b.create(name)?;
    m.dataset(
        path,
        T::dtype(),
        &spec.shape,
        dataset_data(spec, &all, fill.as_ref()),
    );
    if let Some(f) = &fill {
        m.fill_value(f.json());
    }
    storage_manifest(spec, m);
    Ok(Box::new(Typed {
        ds,
        all,
        row_len: row_len(spec),
        rest: spec.shape.get(1..).unwrap_or(&[]).to_vec(),
    }))
}

/// Elements per row (1 for a scalar).
fn row_len(spec: &DsSpec) -> usize {
    spec.shape.get(1..).unwrap_or(&[]).iter().product::<u64>() as usize
}

/// The maximum shape of a resizable dataset.
fn max_shape(spec: &DsSpec) -> Vec<Option<u64>> {
    std::iter::once(spec.max_rows.flatten())
        .chain(spec.shape[1..].iter().map(|&d| Some(d)))
        .collect()
}

/// `b` with the shape at creation, layout and filters of `spec`.
fn with_storage<T: H5Type>(mut b: DatasetBuilder<T>, spec: &DsSpec) -> DatasetBuilder<T> {
    b = if spec.layout == Layout::Resizable {
        let mut init = spec.shape.clone();
        init[0] = spec.init_rows;
        b = b.shape(&init);
        match spec.max_rows {
            None => b.resizable(),
            Some(_) => b.max_shape(&max_shape(spec)),
        }
    } else {
        b.shape(&spec.shape)
    };
    if spec.layout == Layout::Compact {
        b = b.compact();
    }
    if let Some(c) = &spec.chunk {
        b = b.chunk(c);
    }
    if spec.shuffle {
        b = b.shuffle();
    }
    if let Some(level) = spec.deflate {
        b = b.deflate(level);
    }
    if spec.fletcher32 {
        b = b.fletcher32();
    }
    b
}

/// The layout and filters of `spec` in the manifest's dataset added last.
fn storage_manifest(spec: &DsSpec, m: &mut Manifest) {
    if spec.layout == Layout::Compact && spec.shape.is_empty() {
        // The twin cannot express it: libhdf5 gives a scalar dataset
        // created with a COMPACT dcpl the contiguous layout (vlen strings
        // too).
        m.no_twin();
    }
    if spec.layout == Layout::Compact {
        m.compact();
    }
    if let Some(c) = &spec.chunk {
        m.chunks(c);
    }
    if spec.layout == Layout::Resizable {
        m.maxshape(&max_shape(spec));
    }
    if spec.shuffle {
        m.shuffle();
    }
    if let Some(level) = spec.deflate {
        m.deflate(u32::from(level));
    }
    if spec.fletcher32 {
        m.fletcher32();
    }
}

pub(crate) fn create_vlen(
    g: &Group,
    name: &str,
    path: &str,
    spec: &DsSpec,
    m: &mut Manifest,
) -> R<Box<dyn Plan>> {
    let n: u64 = spec.shape.iter().product();
    let all = vlen_strings(n, spec.seed);
    let ds = with_storage(g.new_dataset::<VarLenUnicode>(), spec).create(name)?;
    let row_len = row_len(spec);
    let rows = spec.written.len();
    let k = spec.written.iter().take_while(|&&w| w).count();
    assert!(
        spec.written[k..].iter().all(|&w| !w),
        "vlen strings are written in increasing row order"
    );
    let data = if spec.chunk.is_none() && spec.steps.is_empty() {
        // The h5py twin would not allocate storage for a contiguous dataset
        // never written; h5sink does (by design, see README).
        m.no_twin();
        Data::Null
    } else if k == rows {
        Data::Strings(all.clone())
    } else if k == 0 {
        // Chunked: no chunk allocated, as in the twin.
        Data::Null
    } else {
        // Resized past the rows written: the rest read as empty strings.
        Data::ValuesRows {
            values: all[..k * row_len]
                .iter()
                .map(|s| Json::Str(s.clone()))
                .collect(),
            rows_written: k as u64,
        }
    };
    m.dataset(path, "vlen_str", &spec.shape, data);
    storage_manifest(spec, m);
    let init = if spec.layout == Layout::Resizable {
        spec.init_rows as usize * row_len
    } else {
        all.len()
    };
    Ok(Box::new(Vlen {
        ds,
        all,
        init,
        row_len,
        rest: spec.shape.get(1..).unwrap_or(&[]).to_vec(),
    }))
}
