//! Random plans of a case: dataset specs (type, shape, layout, filters,
//! write steps), attribute specs and names.

use super::rng::Rng;
use super::ty::{Ty, TYS};

// ------------------------------------------------------------ case plans

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Layout {
    Contiguous,
    Compact,
    Chunked,
    Resizable,
}

/// One write to a dataset (row ranges `[a, b)` of the first dimension).
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Rows(u64, u64),
    Raw,
    Scalar,
    Append(u64, u64),
    Resize(u64),
    Strings,
}

#[derive(Clone, Debug)]
pub(crate) struct DsSpec {
    pub(crate) ty: Ty,
    pub(crate) layout: Layout,
    /// Final shape.
    pub(crate) shape: Vec<u64>,
    /// Resizable: rows at creation.
    pub(crate) init_rows: u64,
    /// Resizable: `None` for `resizable()`, else `max_shape` with this first
    /// maximum (`None`: unlimited) and the other dimensions fixed.
    pub(crate) max_rows: Option<Option<u64>>,
    pub(crate) chunk: Option<Vec<u64>>,
    pub(crate) shuffle: bool,
    pub(crate) deflate: Option<u8>,
    pub(crate) fletcher32: bool,
    /// Seed of the user fill value, if any.
    pub(crate) fill: Option<u64>,
    pub(crate) seed: u64,
    /// In the order they run.
    pub(crate) steps: Vec<Step>,
    /// Per row (one entry for a scalar): written?
    pub(crate) written: Vec<bool>,
}

fn rows_of(shape: &[u64]) -> u64 {
    shape.first().copied().unwrap_or(1)
}

/// Cut `[0, rows)` into slabs of random sizes.
fn slabs(rng: &mut Rng, rows: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut a = 0;
    let max = if rng.pct(30) { rows.max(1) } else { 3 };
    while a < rows {
        let b = (a + rng.range(1, max)).min(rows);
        out.push((a, b));
        a = b;
    }
    out
}

fn gen_dims(rng: &mut Rng, rank: usize, zero_ok: bool) -> Vec<u64> {
    let max = [1, 12, 6, 4, 3][rank];
    (0..rank)
        .map(|_| {
            if zero_ok && rng.pct(8) {
                0
            } else {
                rng.range(1, max)
            }
        })
        .collect()
}

pub(crate) fn gen_dataset(rng: &mut Rng) -> DsSpec {
    let ty = rng.pick(TYS);
    let layout = if ty == Ty::Vlen {
        // Compact string datasets keep their heap references in the header
        // (they once lost them: every element read back as NULL). Chunked
        // ones keep them in (filtered) chunks, resizable ones get them by
        // `append_strings`.
        match rng.below(100) {
            0..=11 => Layout::Compact,
            12..=49 => Layout::Contiguous,
            50..=74 => Layout::Chunked,
            _ => Layout::Resizable,
        }
    } else {
        match rng.below(10) {
            0..=2 => Layout::Contiguous,
            3 => Layout::Compact,
            4..=7 => Layout::Chunked,
            _ => Layout::Resizable,
        }
    };
    let mut spec = DsSpec {
        ty,
        layout,
        shape: Vec::new(),
        init_rows: 0,
        max_rows: None,
        chunk: None,
        shuffle: false,
        deflate: None,
        fletcher32: false,
        fill: None,
        seed: rng.u64(),
        steps: Vec::new(),
        written: Vec::new(),
    };
    if ty != Ty::Vlen && rng.pct(35) {
        spec.fill = Some(rng.u64());
    }
    match layout {
        Layout::Contiguous | Layout::Compact => {
            let rank = rng.below(5) as usize;
            spec.shape = gen_dims(rng, rank, true);
            if ty == Ty::Vlen {
                // Written whole, or (rarely) never.
                let w = rng.pct(92);
                spec.written = vec![w; rows_of(&spec.shape) as usize];
                if w {
                    spec.steps.push(Step::Strings);
                }
            } else if rank == 0 {
                let w = rng.pct(85);
                spec.written = vec![w];
                if w {
                    spec.steps
                        .push(if rng.pct(50) { Step::Scalar } else { Step::Raw });
                }
            } else {
                let rows = spec.shape[0];
                spec.written = vec![false; rows as usize];
                if rng.pct(15) {
                    spec.steps.push(Step::Raw);
                    spec.written.iter_mut().for_each(|w| *w = true);
                } else {
                    let mut s = slabs(rng, rows);
                    rng.shuffle(&mut s);
                    let skip = if rng.pct(50) { 0 } else { 25 };
                    for (a, b) in s {
                        if rng.pct(skip) {
                            continue;
                        }
                        spec.written[a as usize..b as usize]
                            .iter_mut()
                            .for_each(|w| *w = true);
                        spec.steps.push(Step::Rows(a, b));
                    }
                }
            }
        }
        Layout::Chunked => {
            let rank = rng.range(1, 4) as usize;
            spec.shape = gen_dims(rng, rank, false);
            spec.chunk = Some(spec.shape.iter().map(|&d| rng.range(1, d)).collect());
            let rows = spec.shape[0];
            if ty == Ty::Vlen {
                // `write_strings` writes every chunk once: whole, or never.
                let w = rng.pct(90);
                spec.written = vec![w; rows as usize];
                if w {
                    spec.steps.push(Step::Strings);
                }
                return with_filters(rng, spec);
            }
            let k = if rng.pct(60) {
                rows
            } else {
                rng.range(0, rows)
            };
            for (a, b) in slabs(rng, k) {
                spec.steps.push(Step::Rows(a, b));
            }
            spec.written = (0..rows).map(|r| r < k).collect();
        }
        Layout::Resizable => {
            let rank = rng.range(1, 3) as usize;
            let rest = gen_dims(rng, rank - 1, false);
            spec.init_rows = if rng.pct(50) { 0 } else { rng.range(1, 3) };
            let appended = rng.range(0, 10);
            let extra = if rng.pct(30) { rng.range(1, 3) } else { 0 };
            let mut chunk = vec![rng.range(1, 4)];
            chunk.extend(rest.iter().map(|&d| rng.range(1, d)));
            spec.chunk = Some(chunk);
            if ty == Ty::Vlen {
                // Strings at creation are written whole (`write_strings` on
                // the initial shape), then appended in whole rows.
                if spec.init_rows > 0 {
                    spec.steps.push(Step::Strings);
                }
            } else {
                for (a, b) in slabs(rng, spec.init_rows) {
                    spec.steps.push(Step::Rows(a, b));
                }
            }
            for (a, b) in slabs(rng, appended) {
                spec.steps
                    .push(Step::Append(spec.init_rows + a, spec.init_rows + b));
            }
            let k = spec.init_rows + appended;
            if extra > 0 {
                spec.steps.push(Step::Resize(k + extra));
            }
            if ty == Ty::Vlen && rng.pct(50) {
                // A bounded maximum holds the final rows and a whole chunk.
                let least = (k + extra).max(spec.chunk.as_ref().map_or(1, |c| c[0]));
                spec.max_rows = Some(if rng.pct(50) {
                    None
                } else {
                    Some(least + rng.range(0, 2))
                });
            }
            spec.shape = std::iter::once(k + extra).chain(rest).collect();
            spec.written = (0..k + extra).map(|r| r < k).collect();
        }
    }
    with_filters(rng, spec)
}

/// The random filters of a chunked dataset.
fn with_filters(rng: &mut Rng, mut spec: DsSpec) -> DsSpec {
    if spec.chunk.is_some() {
        spec.shuffle = rng.pct(30);
        if rng.pct(45) {
            spec.deflate = Some(rng.range(0, 9) as u8);
        }
        // Not on vlen strings: libhdf5 (HDF5 2.0, h5py 3.16) refuses to
        // create them with fletcher32 ("not suitable for filters":
        // H5Z_ignore_filters allows only optional filters on
        // variable-length types, and fletcher32 is mandatory), so no h5py
        // twin can be written. h5sink writes them, and libhdf5 reads them.
        spec.fletcher32 = rng.pct(30) && spec.ty != Ty::Vlen;
    }
    spec
}

#[derive(Clone, Debug)]
pub(crate) struct AttrSpec {
    pub(crate) ty: Ty,
    pub(crate) shape: Vec<u64>,
    pub(crate) seed: u64,
    /// Use the `new_attr_builder().with_*` form where it can express the shape.
    pub(crate) builder: bool,
}

pub(crate) fn gen_attr(rng: &mut Rng) -> AttrSpec {
    let rank = rng.pick(&[0usize, 0, 1, 1, 2]);
    AttrSpec {
        ty: rng.pick(TYS),
        shape: gen_dims(rng, rank, true),
        seed: rng.u64(),
        builder: rng.pct(50),
    }
}

const NAMES: &[&str] = &[
    "a",
    "data",
    "x y",
    "grüße",
    "数据",
    "UPPER",
    "dot.ted",
    "under_score",
    "n",
];

pub(crate) fn gen_name(rng: &mut Rng, k: usize) -> String {
    format!("{}{k}", rng.pick(NAMES))
}
