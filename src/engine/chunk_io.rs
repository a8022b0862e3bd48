//! Chunked datasets: rows are copied into in-memory chunks; a chunk that is
//! complete is filtered (on the background filter threads while rows keep
//! arriving, see `engine::chunk_pipeline`; inline on one core) and written
//! once to new file space. At each
//! commit the chunks still open are written too, to new space, so the file
//! holds every row written so far; the chunk index (a v1 B-tree) is planned
//! with the other metadata and points at them only once they are on disk.

use crate::engine::io::Io;
use crate::engine::model::{chunk_len, Chunked, NodeId, OpenChunk, StoredChunk};
use crate::engine::state::State;
use crate::engine::{chunk_pipeline, chunk_read, chunk_store};
use crate::error::{Error, Result};
use crate::filters::buffers;

/// Copy whole rows, starting at row `start`, from `bytes` (row-major, in
/// the file's element format) into the dataset's chunks, then store every
/// chunk that became complete. The caller checked the rows are in range.
pub(crate) fn write_rows(
    io: &Io,
    st: &mut State,
    id: NodeId,
    start: u64,
    bytes: &[u8],
) -> Result<()> {
    // A chunk that failed to filter in the background stops the call here,
    // before anything of it is copied.
    chunk_pipeline::settle_ready(io, st)?;
    let Some(d) = st.tree.dataset_mut(id) else {
        return Err(not_chunked(id));
    };
    let (shape, elem, fill) = (
        d.shape.clone(),
        u64::from(d.dtype.element_size()),
        d.fill.clone(),
    );
    let fill = fill.as_deref();
    let Some(c) = d.chunked.as_mut() else {
        return Err(not_chunked(id));
    };
    let rank = shape.len();
    let last = rank - 1;
    let row_elems: u64 = shape[1..].iter().product();
    let n_rows = (bytes.len() as u64 / elem)
        .checked_div(row_elems)
        .unwrap_or(0);
    // Refuse before copying anything if a touched chunk was already sealed.
    if let Some(b) = c.sealed_band(start, n_rows) {
        return Err(sealed(start, n_rows, b));
    }
    let k0 = c.chunk[0];
    let band = |r: u64| r / k0;
    let clen = chunk_len(&c.chunk, elem) as usize;
    reopen(
        io,
        c,
        band(start),
        band(start + n_rows.saturating_sub(1)),
        clen,
    )?;
    let put = |c: &mut Chunked, coords: &[u64], off: u64, src: u64, n: u64| {
        if !c.open.contains_key(coords) {
            let data = match fill {
                Some(f) if !f.is_empty() => {
                    let mut d = buffers::take(clen);
                    d.extend(f.iter().copied().cycle().take(clen));
                    d
                }
                _ => buffers::filled(clen, 0),
            };
            c.open.insert(
                coords.to_vec(),
                OpenChunk {
                    data,
                    written: 0,
                    dirty: true,
                },
            );
        }
        let Some(chunk) = c.open.get_mut(coords) else {
            return;
        };
        let (dst, src, len) = (
            (off * elem) as usize,
            (src * elem) as usize,
            (n * elem) as usize,
        );
        if let (Some(d), Some(s)) = (
            chunk.data.get_mut(dst..dst + len),
            bytes.get(src..src + len),
        ) {
            d.copy_from_slice(s);
        }
        chunk.written += n;
        chunk.dirty = true;
    };
    if rank == 1 {
        let (k, end) = (c.chunk[0], start + n_rows);
        let mut i = start;
        while i < end {
            let seg_end = ((i / k + 1) * k).min(end);
            put(c, &[i / k], i % k, i - start, seg_end - i);
            i = seg_end;
        }
    } else {
        // Lines along the last dimension, split where chunks meet.
        let line = shape[last];
        let lines_per_row: u64 = shape[1..last].iter().product();
        let kl = c.chunk[last];
        let mut idx = vec![0u64; rank];
        let mut coords = vec![0u64; rank];
        for r in 0..n_rows {
            for l in 0..lines_per_row {
                idx[0] = start + r;
                let mut rem = l;
                for k in (1..last).rev() {
                    idx[k] = rem % shape[k];
                    rem /= shape[k];
                }
                let src_line = (r * lines_per_row + l) * line;
                let mut j = 0;
                while j < line {
                    let seg_end = ((j / kl + 1) * kl).min(line);
                    for ((co, &i), &k) in coords.iter_mut().zip(&idx[..last]).zip(&c.chunk) {
                        *co = i / k;
                    }
                    coords[last] = j / kl;
                    // Offset inside the chunk, row-major over the chunk shape.
                    let off = idx[..last]
                        .iter()
                        .zip(&c.chunk)
                        .fold(0u64, |o, (&i, &k)| o * k + i % k);
                    let off = off * kl + j % kl;
                    put(c, &coords, off, src_line + j, seg_end - j);
                    j = seg_end;
                }
            }
        }
    }
    // Chunks of the bands written that are now complete.
    let (b0, b1) = (band(start), band(start + n_rows.saturating_sub(1)));
    let touched: Vec<Vec<u64>> = c
        .open
        .range(vec![b0]..vec![b1 + 1])
        .map(|(k, _)| k.clone())
        .collect();
    let done: Vec<Vec<u64>> = touched
        .into_iter()
        .filter(|k| {
            c.open
                .get(k)
                .is_some_and(|o| o.written >= c.inside(k, &shape))
                && !c.growable(k, &shape)
        })
        .collect();
    let sealed: Vec<(Vec<u64>, OpenChunk)> = done
        .into_iter()
        .filter_map(|k| c.open.remove(&k).map(|o| (k, o)))
        .collect();
    let background = !c.filters.is_empty() && chunk_pipeline::background();
    st.touch();
    if background {
        chunk_pipeline::submit(io, st, id, sealed)
    } else {
        store(io, st, id, sealed)
    }
}

/// Read back the loaded chunks of bands `b0..=b1` that may still grow, so
/// that the rows written complete them (each is stored anew, in new space;
/// the old copy is never written).
fn reopen(io: &Io, c: &mut Chunked, b0: u64, b1: u64, clen: usize) -> Result<()> {
    let wanted: Vec<(Vec<u64>, StoredChunk)> = c
        .stored
        .range(vec![b0]..vec![b1.saturating_add(1)])
        .filter(|(k, s)| s.partial.is_some() && !c.open.contains_key(*k))
        .map(|(k, s)| (k.clone(), *s))
        .collect();
    for (coords, s) in wanted {
        let data = chunk_read::read_chunk(io, c, &s, clen)?;
        c.open.insert(
            coords,
            OpenChunk {
                data,
                written: s.partial.unwrap_or(0),
                dirty: false,
            },
        );
    }
    Ok(())
}

/// The error for rows `start..start + n` that fall in chunk band `band`,
/// already compressed and written.
pub(crate) fn sealed(start: u64, n: u64, band: u64) -> Error {
    Error::InvalidArgument {
        what: "rows",
        value: format!("{}..{} (chunk row {band})", start, start + n),
        reason: "they fall in a chunk already compressed and written; h5sink writes each chunk once, so write rows in order or whole chunks",
    }
}

fn not_chunked(id: NodeId) -> Error {
    Error::Bug {
        what: format!("chunk write to node {id}, which is not a chunked dataset"),
    }
}

/// Write every open chunk that changed (at a commit), keeping it open.
pub(crate) fn store_open(io: &Io, st: &mut State, id: NodeId) -> Result<()> {
    let Some(c) = st.tree.dataset_mut(id).and_then(|d| d.chunked.as_mut()) else {
        return Ok(());
    };
    let dirty: Vec<(Vec<u64>, OpenChunk)> = c
        .open
        .iter_mut()
        .filter(|(_, o)| o.dirty)
        .map(|(k, o)| {
            o.dirty = false;
            (k.clone(), o.clone())
        })
        .collect();
    store(io, st, id, dirty)
}

/// Filter `chunks` (in parallel, on this thread and scoped ones), write
/// them in one block of new space, and record them in the index.
fn store(io: &Io, st: &mut State, id: NodeId, chunks: Vec<(Vec<u64>, OpenChunk)>) -> Result<()> {
    if chunks.is_empty() {
        return Ok(());
    }
    let filters = match st.tree.dataset_mut(id).and_then(|d| d.chunked.as_ref()) {
        Some(c) => c.filters.clone(),
        None => return Ok(()),
    };
    let coords: Vec<Vec<u64>> = chunks.iter().map(|(k, _)| k.clone()).collect();
    // As in the background: a chunk that fails to filter poisons the file,
    // so no commit makes the rows around it visible without it.
    let outputs = chunk_store::filter_all(&filters, chunks).map_err(|e| {
        let what = crate::error::clip(&st.tree.path(id));
        io.fail(format!("filtering chunks of dataset {what:?}: {e}"))
    })?;
    chunk_store::place(io, st, id, coords.into_iter().zip(outputs).collect())
}
