//! Row I/O of contiguous and compact datasets: positional writes into a
//! data block, small uncommitted datasets staged in memory and written with
//! their neighbours at commit, compact data kept in the header.

use crate::engine::io::Io;
use crate::engine::model::{DatasetMeta, NodeId};
use crate::engine::space::Space;
use crate::engine::state::State;
use crate::error::{Error, Result};
use crate::format::field::UNDEF_ADDR;

/// Datasets up to this size are staged in memory until their first commit.
pub(crate) const STAGE_LIMIT: u64 = 64 * 1024;
/// Staged data beyond this is written out early, to bound memory.
const STAGED_MAX: u64 = 4 << 20;

/// Where bytes written to a contiguous or compact dataset go.
pub(crate) enum Route {
    /// Straight to the file at this address, without the lock.
    Direct(u64),
    /// Done under the lock (staged or compact).
    Done,
}

/// Write `bytes` at `offset` within dataset `id`'s data (the caller checked
/// the range): into the compact data or the staged image under the lock, or
/// return the file address for a direct positional write.
pub(crate) fn route(
    io: &Io,
    st: &mut State,
    id: NodeId,
    offset: u64,
    bytes: &[u8],
) -> Result<Route> {
    let committed = st.is_committed(id);
    let d = st.tree.dataset_mut(id).ok_or(Error::Bug {
        what: format!("row write to node {id}, which is not a dataset"),
    })?;
    if let Some(data) = d.compact.as_mut() {
        let start = offset as usize; // within the (small) compact data
        if let Some(dst) = data.get_mut(start..start + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        st.touch();
        return Ok(Route::Done);
    }
    if allocate_late(io, &mut st.space, d)? {
        let at = d.address + offset;
        st.touch();
        return Ok(Route::Direct(at));
    }
    let small = d.chunked.is_none() && d.size > 0 && d.size <= STAGE_LIMIT;
    if !small || committed || d.spilled {
        return Ok(Route::Direct(d.address + offset));
    }
    // Not on disk yet: stage, and write with its neighbours at commit.
    let mut grew = 0;
    let img = d.staged.get_or_insert_with(|| {
        grew = d.size;
        let n = d.size as usize; // at most STAGE_LIMIT
        match d.fill.as_deref() {
            Some(f) if !f.is_empty() => f.iter().copied().cycle().take(n).collect(),
            _ => vec![0; n],
        }
    });
    let start = offset as usize;
    if let Some(dst) = img.get_mut(start..start + bytes.len()) {
        dst.copy_from_slice(bytes);
    }
    st.staged_bytes += grew;
    st.touch();
    if st.staged_bytes > STAGED_MAX {
        write_staged(io, st)?;
    }
    Ok(Route::Done)
}

/// Allocate the data block of a loaded contiguous dataset whose storage
/// was never allocated (libhdf5 allocates contiguous storage late): a block
/// of new space, holding its fill value like libhdf5's allocation does.
/// Whether it allocated one (the caller marks the state dirty).
pub(crate) fn allocate_late(io: &Io, space: &mut Space, d: &mut DatasetMeta) -> Result<bool> {
    if d.chunked.is_some() || d.compact.is_some() || d.address != UNDEF_ADDR || d.size == 0 {
        return Ok(false);
    }
    let block = space.alloc_fresh(d.size)?;
    d.address = block.start;
    d.block = block;
    if let Some(f) = d.fill.as_deref().filter(|f| f.iter().any(|&b| b != 0)) {
        write_fill(io, block.start, block.len, f)?;
    }
    Ok(true)
}

/// Write every staged image to its data block, merging neighbours into one
/// write. The blocks are not yet committed: order does not matter.
pub(crate) fn write_staged(io: &Io, st: &mut State) -> Result<()> {
    if st.staged_bytes == 0 {
        return Ok(());
    }
    let mut images: Vec<(u64, Vec<u8>)> = Vec::new();
    let first = st.committed_nodes;
    for node in st.tree.nodes.iter_mut().skip(first) {
        if let crate::engine::model::NodeKind::Dataset(d) = &mut node.kind {
            if let Some(img) = d.staged.take() {
                images.push((d.address, img));
                d.spilled = true;
            }
        }
    }
    st.staged_bytes = 0;
    images.sort_by_key(|(a, _)| *a);
    let mut run: Vec<u8> = Vec::new();
    let mut run_at = 0;
    for (at, img) in images {
        if run.is_empty() || run_at + run.len() as u64 != at {
            write_run(io, run_at, &run)?;
            run.clear();
            run_at = at;
        }
        run.extend_from_slice(&img);
    }
    write_run(io, run_at, &run)
}

fn write_run(io: &Io, at: u64, run: &[u8]) -> Result<()> {
    if run.is_empty() {
        return Ok(());
    }
    io.write_at(at, run)
}

/// Fill a new data block with a repeated fill value, 1 MiB at a time.
pub(crate) fn write_fill(io: &Io, start: u64, len: u64, fill: &[u8]) -> Result<()> {
    let per = (1 << 20) / fill.len().max(1);
    let chunk: Vec<u8> = fill
        .iter()
        .copied()
        .cycle()
        .take(per.max(1) * fill.len())
        .collect();
    let mut at = 0u64;
    while at < len && !chunk.is_empty() {
        let n = (len - at).min(chunk.len() as u64) as usize;
        io.write_at(start + at, &chunk[..n])?;
        at += n as u64;
    }
    Ok(())
}
