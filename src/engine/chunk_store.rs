//! Storing filtered chunks: the filter pipeline over a batch of chunks on
//! all cores (scoped threads, for the chunks a commit stores), and the
//! write of filtered chunks into one block of new space, recorded in the
//! dataset's chunk index (see `engine::chunk_io`).

use crate::engine::io::Io;
use crate::engine::model::{NodeId, OpenChunk, StoredChunk};
use crate::engine::space::Extent;
use crate::engine::state::State;
use crate::error::{Error, Result};
use crate::filters::buffers;
use crate::format::filter_pipeline::Filter;

/// Chunks (or runs of small chunks) of at least this many bytes are written
/// with their own positional write, without another copy.
const DIRECT_WRITE: usize = 256 * 1024;

/// Filtered chunks: coordinates, bytes and filter mask.
pub(crate) type Placed = Vec<(Vec<u64>, (Vec<u8>, u32))>;

/// Write filtered chunks (coordinates, bytes and filter mask) in one block
/// of new space, and record them in dataset `id`'s index; the space of
/// chunks they replace is freed after the next commit.
pub(crate) fn place(io: &Io, st: &mut State, id: NodeId, chunks: Placed) -> Result<()> {
    if chunks.is_empty() {
        return Ok(());
    }
    let total: u64 = chunks.iter().map(|(_, (d, _))| d.len() as u64).sum();
    let block = st.space.alloc(total)?;
    // Small chunks are gathered into one write; large ones go out as they are.
    let mut pending = buffers::take(DIRECT_WRITE + DIRECT_WRITE / 2);
    let mut pending_at = block.start;
    let mut at = block.start;
    let mut placed = Vec::with_capacity(chunks.len());
    for (coords, (data, mask)) in chunks {
        let size = crate::format::field::u32_field("stored chunk size", data.len() as u64)?;
        placed.push((
            coords,
            StoredChunk {
                address: at,
                size,
                mask,
                partial: None,
            },
        ));
        if data.len() >= DIRECT_WRITE {
            if !pending.is_empty() {
                io.write_at(pending_at, &pending)?;
                pending.clear();
            }
            io.write_at(at, &data)?;
            pending_at = at + data.len() as u64;
        } else {
            pending.extend_from_slice(&data);
            if pending.len() >= DIRECT_WRITE {
                io.write_at(pending_at, &pending)?;
                pending.clear();
                pending_at = at + data.len() as u64;
            }
        }
        at += data.len() as u64;
        buffers::give(data);
    }
    if !pending.is_empty() {
        io.write_at(pending_at, &pending)?;
    }
    buffers::give(pending);
    let mut old = Vec::new();
    if let Some(c) = st.tree.dataset_mut(id).and_then(|d| d.chunked.as_mut()) {
        for (coords, s) in placed {
            if let Some(prev) = c.stored.insert(coords, s) {
                old.push(Extent {
                    start: prev.address,
                    len: u64::from(prev.size),
                });
            }
        }
    }
    for e in old {
        st.retire(e);
    }
    st.touch();
    Ok(())
}

/// Run the filters over every chunk, on all cores when there are several.
pub(crate) fn filter_all(
    filters: &[Filter],
    chunks: Vec<(Vec<u64>, OpenChunk)>,
) -> Result<Vec<(Vec<u8>, u32)>> {
    if filters.is_empty() {
        return Ok(chunks.into_iter().map(|(_, o)| (o.data, 0)).collect());
    }
    let out = filter_each(filters, &chunks);
    // The chunks' bytes are spent: keep the buffers for later chunks.
    for (_, o) in chunks {
        buffers::give(o.data);
    }
    out
}

/// [`filter_all`] without giving the chunks' buffers back.
fn filter_each(
    filters: &[Filter],
    chunks: &[(Vec<u64>, OpenChunk)],
) -> Result<Vec<(Vec<u8>, u32)>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks.len());
    if threads <= 1 {
        return chunks
            .iter()
            .map(|(_, o)| crate::engine::pool::filter(filters, &o.data))
            .collect();
    }
    let per = chunks.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .chunks(per)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(_, o)| crate::engine::pool::filter(filters, &o.data))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(chunks.len());
        for h in handles {
            match h.join() {
                Ok(r) => out.extend(r?),
                Err(_) => {
                    return Err(Error::Bug {
                        what: "a chunk filter thread panicked".into(),
                    })
                }
            }
        }
        Ok(out)
    })
}
