//! Compression while rows keep arriving: a chunk that becomes complete is
//! handed to the engine's filter threads ([`Pool`](crate::engine::pool::Pool),
//! one per core) and the call that completed it returns at once. Filtered
//! chunks are written (to new space, not yet in any committed index) in
//! the order they were sealed, at fixed points: a chunk row's worth when
//! the bound is reached, and all of them at a commit (which therefore
//! writes an index that points only at chunks on disk). Thread timing never
//! changes where anything lands: the same stream gives the same bytes.
//!
//! Memory: at most [`max_in_flight`] chunks (two chunk rows per core) are
//! in flight; a call that would exceed it waits for the oldest first.
//!
//! A chunk whose filters fail poisons the file: the call that finds the
//! failure (the next add, read, flush or close) returns
//! [`Error::Poisoned`] naming the chunk, and every later call is refused.
//! The file keeps its last commit: nothing of the failed stream becomes
//! visible. With one core, chunks are filtered inline instead.

use std::sync::Arc;

use crate::engine::chunk_store::{self, Placed};
use crate::engine::io::Io;
use crate::engine::model::{Chunked, NodeId, OpenChunk};
use crate::engine::pool::{self, Done, Job};
use crate::engine::state::State;
use crate::error::{Error, Result};
use crate::format::filter_pipeline::Filter;

/// Whether complete chunks are filtered in the background (more than one
/// core); otherwise inline.
pub(crate) fn background() -> bool {
    pool::cores() > 1
}

/// The most chunks of a dataset with chunk layout `c` and shape `shape`
/// that may be in flight: two chunk rows (every chunk of one band of
/// `chunk[0]` rows) per core.
pub(crate) fn max_in_flight(c: &Chunked, shape: &[u64]) -> usize {
    let band: u64 = shape
        .iter()
        .zip(&c.chunk)
        .skip(1)
        .map(|(&d, &k)| d.div_ceil(k.max(1)).max(1))
        .product();
    usize::try_from(band)
        .unwrap_or(usize::MAX)
        .saturating_mul(2 * pool::cores())
        .max(1)
}

/// Hand complete chunks of dataset `id` to the filter threads, first
/// writing the oldest results while the bound is reached; then write
/// whatever is ready.
pub(crate) fn submit(
    io: &Io,
    st: &mut State,
    id: NodeId,
    chunks: Vec<(Vec<u64>, OpenChunk)>,
) -> Result<()> {
    let Some((filters, bound)) = st.tree.dataset(id).and_then(|d| {
        let c = d.chunked.as_ref()?;
        Some((c.filters.clone(), max_in_flight(c, &d.shape)))
    }) else {
        return Ok(());
    };
    let band = (bound / (2 * pool::cores())).max(1);
    let filters: Arc<[Filter]> = filters.into();
    for (coords, o) in chunks {
        if st.pool.in_flight() >= bound {
            // Store the oldest chunk row's worth: a fixed amount, so the
            // file's layout does not depend on thread timing.
            drain(io, st, bound.saturating_sub(band))?;
        }
        if let Some(c) = st.tree.dataset_mut(id).and_then(|d| d.chunked.as_mut()) {
            c.in_flight.insert(coords.clone());
        }
        let job = Job {
            id,
            coords,
            data: o.data,
            filters: Arc::clone(&filters),
        };
        failing(io, st.pool.submit(job))?;
    }
    settle_ready(io, st)
}

/// Fail the call if a chunk finished filtering with an error (poisoning the
/// file); chunks that succeeded stay in flight until a commit or the bound
/// stores them.
pub(crate) fn settle_ready(io: &Io, st: &mut State) -> Result<()> {
    if st.pool.in_flight() == 0 {
        return Ok(());
    }
    match st.pool.failure() {
        Some((id, coords, e)) => Err(failed(io, st, id, &coords, &e)),
        None => Ok(()),
    }
}

/// Wait for every chunk in flight and write it.
pub(crate) fn settle(io: &Io, st: &mut State) -> Result<()> {
    drain(io, st, 0)
}

/// Wait for the oldest chunks until at most `keep` are in flight, then
/// write them, consecutive ones of a dataset in one block.
fn drain(io: &Io, st: &mut State, keep: usize) -> Result<()> {
    let mut done = Vec::new();
    while st.pool.in_flight() > keep {
        match failing(io, st.pool.oldest())? {
            Some(d) => done.push(d),
            None => break,
        }
    }
    place(io, st, done)
}

/// Poison the file for chunk `coords` of dataset `id`, which failed to
/// filter with error `e`: the error of this call and every later one.
fn failed(io: &Io, st: &State, id: NodeId, coords: &[u64], e: &str) -> Error {
    let what = crate::error::clip(&st.tree.path(id));
    io.fail(format!(
        "filtering chunk {coords:?} of dataset {what:?} in the background: {e}"
    ))
}

/// Poison the file if `r` is an error (the chunks in flight are lost).
fn failing<T>(io: &Io, r: Result<T>) -> Result<T> {
    r.map_err(|e| io.fail(e.to_string()))
}

/// Write finished chunks, consecutive ones of a dataset in one block. A
/// chunk that failed to filter poisons the file.
fn place(io: &Io, st: &mut State, done: Vec<Done>) -> Result<()> {
    let mut batch: Placed = Vec::new();
    let mut batch_id = None;
    for d in done {
        if let Some(c) = st.tree.dataset_mut(d.id).and_then(|x| x.chunked.as_mut()) {
            c.in_flight.remove(&d.coords);
        }
        let out = match d.out {
            Ok(out) => out,
            Err(e) => return Err(failed(io, st, d.id, &d.coords, &e.to_string())),
        };
        if batch_id != Some(d.id) {
            if let Some(prev) = batch_id {
                chunk_store::place(io, st, prev, std::mem::take(&mut batch))?;
            }
            batch_id = Some(d.id);
        }
        batch.push((d.coords, out));
    }
    match batch_id {
        Some(id) => chunk_store::place(io, st, id, batch),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
