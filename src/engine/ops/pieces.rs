//! Writes of converted numbers in bounded pieces: each piece of at most
//! [`PIECE`] bytes is converted into one reusable buffer and sent on, so a
//! large write never holds a converted copy of all its values. Every value
//! was checked before the write began, and the whole range under the lock:
//! the pieces themselves cannot be refused.

use crate::engine::chunk_io;
use crate::engine::io::Io;
use crate::engine::model::NodeId;
use crate::engine::ops::tree::dataset;
use crate::engine::rows::{self, Route, STAGE_LIMIT};
use crate::engine::state::State;
use crate::error::Result;
use crate::types::convert::{Conversion, Source, PIECE};

/// What is left to write after the lock is released.
pub(crate) enum After {
    /// Nothing: the rows went to chunks, compact data or a staged image.
    Nothing,
    /// The caller's bytes, at this file address.
    Bytes(u64),
    /// These converted bytes, at this file address.
    Owned(u64, Vec<u8>),
    /// The converted values, piece by piece, from this file address.
    Pieces(u64),
}

/// Send `src` (rows from row `start`, at byte `offset` of the dataset's
/// contiguous data) to a contiguous or compact dataset: small datasets take
/// a whole converted copy (at most [`STAGE_LIMIT`] bytes), large ones get
/// their pieces written directly after the lock.
pub(crate) fn contiguous(
    io: &Io,
    st: &mut State,
    id: NodeId,
    offset: u64,
    src: &Source<'_>,
) -> Result<After> {
    let c = match src {
        Source::Bytes(b) => {
            return Ok(match rows::route(io, st, id, offset, b)? {
                Route::Direct(at) => After::Bytes(at),
                Route::Done => After::Nothing,
            })
        }
        Source::Convert(c) => c,
    };
    let d = dataset(st, id)?;
    if d.compact.is_none() && d.size > STAGE_LIMIT {
        // Always a direct write: `route` needs no bytes for it.
        return Ok(match rows::route(io, st, id, offset, &[])? {
            Route::Direct(at) => After::Pieces(at),
            Route::Done => After::Nothing,
        });
    }
    let whole = c.to_vec();
    Ok(match rows::route(io, st, id, offset, &whole)? {
        Route::Direct(at) => After::Owned(at, whole),
        Route::Done => After::Nothing,
    })
}

/// Copy `src` (`n` rows from row `start`) into chunked dataset `id`. The
/// caller checked that no row falls in a sealed chunk. Converted pieces end
/// where a band of chunks ends, so a band sealed by one piece is never
/// touched by the next.
pub(crate) fn chunks(
    io: &Io,
    st: &mut State,
    id: NodeId,
    start: u64,
    n: u64,
    src: &Source<'_>,
) -> Result<()> {
    let c = match src {
        Source::Bytes(b) => return chunk_io::write_rows(io, st, id, start, b),
        Source::Convert(c) => c,
    };
    let d = dataset(st, id)?;
    let row_len = d.row_len();
    let band = d
        .chunked
        .as_ref()
        .and_then(|c| c.chunk.first().copied())
        .unwrap_or(1)
        .max(1);
    let row_bytes = (row_len * c.target_size() as u64).max(1);
    let per = (PIECE as u64 / row_bytes).max(1);
    let end = start + n;
    let mut buf = Vec::new();
    let mut r = start;
    while r < end {
        let next = (r.saturating_add(per)).div_ceil(band).saturating_mul(band);
        let stop = next.min(end).max(r + 1);
        buf.clear();
        let values = ((r - start) * row_len) as usize..((stop - start) * row_len) as usize;
        c.convert(values, &mut buf);
        chunk_io::write_rows(io, st, id, r, &buf)?;
        r = stop;
    }
    Ok(())
}

/// Finish a write after the lock: the bytes left to write, if any.
pub(crate) fn finish(io: &Io, after: After, src: &Source<'_>) -> Result<()> {
    match (after, src) {
        (After::Nothing, _) => Ok(()),
        (After::Bytes(at), Source::Bytes(b)) => io.write_at(at, b),
        (After::Owned(at, bytes), _) => io.write_at(at, &bytes),
        (After::Pieces(at), Source::Convert(c)) => pieces(io, at, c),
        (After::Bytes(_), Source::Convert(_)) | (After::Pieces(_), Source::Bytes(_)) => {
            Err(crate::error::Error::Bug {
                what: "a direct write whose bytes do not match its plan".into(),
            })
        }
    }
}

/// Write every value of `c`, converted a piece at a time, from address `at`.
fn pieces(io: &Io, at: u64, c: &Conversion<'_>) -> Result<()> {
    let size = c.target_size();
    let per = (PIECE / size).max(1);
    let mut buf = Vec::with_capacity(per * size);
    let mut i = 0;
    while i < c.len() {
        let stop = (i + per).min(c.len());
        buf.clear();
        c.convert(i..stop, &mut buf);
        io.write_at(at + (i * size) as u64, &buf)?;
        i = stop;
    }
    Ok(())
}
