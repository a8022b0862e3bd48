//! Reading whole rows of a chunked dataset. Each chunk the rows touch is
//! taken from memory (an open chunk: the newest bytes), or read from the
//! file and unfiltered (a stored chunk, one at a time, so memory holds one
//! chunk beside the rows asked for); chunks never written read as the fill
//! value. Spec notes: `spec-notes/chunked-layout.md`.

use crate::engine::io::Io;
use crate::engine::model::{chunk_len, Chunked, StoredChunk};
use crate::error::{Error, Result};

/// Rows `start..start + count` of a chunked dataset of `shape` and
/// `elem`-byte elements, into `out` (exactly those rows, row-major, already
/// holding the fill value). The caller checked the rows are in range.
pub(crate) fn read_rows(
    io: &Io,
    c: &Chunked,
    shape: &[u64],
    elem: u64,
    start: u64,
    count: u64,
    out: &mut [u8],
) -> Result<()> {
    let Some(&k0) = c.chunk.first() else {
        return Ok(());
    };
    if count == 0 || out.is_empty() || k0 == 0 {
        return Ok(());
    }
    let clen = to_usize(chunk_len(&c.chunk, elem))?;
    let bands = vec![start / k0]..vec![(start + count - 1) / k0 + 1];
    let region = Region {
        shape,
        kshape: &c.chunk,
        elem,
        start,
        end: start + count,
    };
    // Open chunks hold the newest bytes; stored ones are read only when no
    // open chunk replaces them.
    for (coords, open) in c.open.range(bands.clone()) {
        region.copy(&open.data, coords, out)?;
    }
    for (coords, s) in c.stored.range(bands) {
        if c.open.contains_key(coords) {
            continue;
        }
        let data = read_chunk(io, c, s, clen)?;
        region.copy(&data, coords, out)?;
    }
    Ok(())
}

/// The unfiltered bytes of stored chunk `s` (`clen` bytes once unfiltered).
pub(crate) fn read_chunk(io: &Io, c: &Chunked, s: &StoredChunk, clen: usize) -> Result<Vec<u8>> {
    let mut stored = vec![0; to_usize(u64::from(s.size))?];
    io.read_at(s.address, &mut stored)?;
    if c.filters.is_empty() {
        if stored.len() != clen {
            return Err(Error::Malformed {
                structure: "chunk",
                offset: s.address,
                reason: format!(
                    "an unfiltered chunk of {} bytes, the chunk shape needs {clen}",
                    stored.len()
                ),
            });
        }
        return Ok(stored);
    }
    crate::filters::unapply(&c.filters, s.mask, &stored, clen, s.address)
}

fn to_usize(n: u64) -> Result<usize> {
    usize::try_from(n).map_err(|_| Error::FieldOverflow {
        field: "chunk size in memory",
        value: n,
        max: usize::MAX as u64,
    })
}

/// The rows being read, and the dataset's geometry.
struct Region<'a> {
    shape: &'a [u64],
    kshape: &'a [u64],
    elem: u64,
    start: u64,
    end: u64,
}

impl Region<'_> {
    /// Copy the part of chunk `coords` (its bytes `chunk`, a whole chunk)
    /// that lies in the rows into `out`, a line of the last dimension at a
    /// time.
    fn copy(&self, chunk: &[u8], coords: &[u64], out: &mut [u8]) -> Result<()> {
        let rank = self.shape.len();
        if coords.len() != rank || self.kshape.len() != rank || rank == 0 {
            return Err(bug(coords));
        }
        // The chunk's box, clipped to the dataset and (dimension 0) the rows.
        let mut lo = Vec::with_capacity(rank);
        let mut hi = Vec::with_capacity(rank);
        for ((&c, &k), &d) in coords.iter().zip(self.kshape).zip(self.shape) {
            let l = c.saturating_mul(k);
            lo.push(l);
            hi.push(l.saturating_add(k).min(d));
        }
        let from0 = lo[0].max(self.start);
        let to0 = hi[0].min(self.end);
        if from0 >= to0 || lo.iter().zip(&hi).any(|(l, h)| l >= h) {
            return Ok(());
        }
        let last = rank - 1;
        let (run_from, run_to) = if last == 0 {
            (from0, to0)
        } else {
            (lo[last], hi[last])
        };
        let run = to_usize((run_to - run_from) * self.elem)?;
        // Index of the first element of each line, over dimensions 0..last.
        let mut idx: Vec<u64> = lo.clone();
        idx[0] = from0;
        idx[last] = run_from;
        loop {
            let (mut in_chunk, mut in_out) = (0u64, 0u64);
            for k in 0..rank {
                in_chunk = in_chunk * self.kshape[k] + (idx[k] - lo[k]);
                let (dim, i) = if k == 0 {
                    (self.end - self.start, idx[0] - self.start)
                } else {
                    (self.shape[k], idx[k])
                };
                in_out = in_out * dim + i;
            }
            let src = to_usize(in_chunk * self.elem)?;
            let dst = to_usize(in_out * self.elem)?;
            match (chunk.get(src..src + run), out.get_mut(dst..dst + run)) {
                (Some(s), Some(d)) => d.copy_from_slice(s),
                _ => return Err(bug(coords)),
            }
            // Next line: count up over dimensions last-1 down to 0.
            let mut k = last;
            loop {
                if k == 0 {
                    return Ok(());
                }
                k -= 1;
                let to = if k == 0 { to0 } else { hi[k] };
                idx[k] += 1;
                if idx[k] < to {
                    break;
                }
                idx[k] = if k == 0 { from0 } else { lo[k] };
            }
        }
    }
}

fn bug(coords: &[u64]) -> Error {
    Error::Bug {
        what: format!("chunk {coords:?} does not fit the rows being read"),
    }
}
