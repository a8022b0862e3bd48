//! Storing variable-length strings: global heap collections written whole
//! into new file space, and the 16-byte references that point into them.
//! Spec notes: `spec-notes/global-heap.md`.

use crate::engine::io::Io;
use crate::engine::model::OpenCollection;
use crate::engine::space::Extent;
use crate::engine::state::State;
use crate::error::{Error, Result};
use crate::format::{field, global_heap};

/// Strings stored in the file.
pub(crate) struct Stored {
    /// All the space written: the collections, then the references if asked.
    pub block: Extent,
    /// Address of the references inside `block` (when written there).
    pub refs_at: u64,
    /// The references, one 16-byte element per string.
    pub refs: Vec<u8>,
}

/// Write `strings` into new global heap collections, with their references
/// appended in the same block when `refs_in_block` (a string dataset's data
/// block); one positional write. Nothing existing is touched, so the
/// committed state stays valid whatever happens.
pub(crate) fn store<S: AsRef<str>>(
    io: &Io,
    st: &mut State,
    strings: &[S],
    refs_in_block: bool,
) -> Result<Stored> {
    let objects: Vec<&[u8]> = strings.iter().map(|s| s.as_ref().as_bytes()).collect();
    let lengths: Vec<u64> = objects.iter().map(|o| o.len() as u64).collect();
    let plans = global_heap::pack(&lengths)?;
    let heap_bytes = plans
        .iter()
        .try_fold(0u64, |a, p| field::add("global heap size", a, p.size))?;
    let refs_bytes = field::mul("string references size", objects.len() as u64, 16)?;
    let total = if refs_in_block {
        field::add("string block size", heap_bytes, refs_bytes)?
    } else {
        heap_bytes
    };
    let (block, mut buf) = reserve(st, "string block size", total)?;
    let mut refs = Vec::with_capacity(objects.len() * 16);
    let mut at = block.start;
    for p in &plans {
        let objs = objects.get(p.first..p.first + p.count).unwrap_or(&[]);
        global_heap::encode(&mut buf, p, objs)?;
        for (i, o) in objs.iter().enumerate() {
            let len = field::u32_field("string length in bytes", o.len() as u64)?;
            let index = field::u32_field("global heap object index", i as u64 + 1)?;
            refs.extend_from_slice(&global_heap::vlen_ref(len, at, index));
        }
        at += p.size;
    }
    if refs_in_block {
        buf.extend_from_slice(&refs);
    }
    debug_assert_eq!(buf.len() as u64, total);
    if !buf.is_empty() {
        io.write_at(block.start, &buf)?;
    }
    Ok(Stored {
        block,
        refs_at: block.start + heap_bytes,
        refs,
    })
}

/// Store `strings` in the global heap, filling the open collection first,
/// and return their 16-byte references (for chunks). Writes only space no
/// committed state uses.
pub(crate) fn store_refs<S: AsRef<str>>(io: &Io, st: &mut State, strings: &[S]) -> Result<Vec<u8>> {
    let new: Vec<&[u8]> = strings.iter().map(|s| s.as_ref().as_bytes()).collect();
    let open = st.open_heap.take();
    let held: &[Vec<u8>] = open.as_ref().map_or(&[], |o| &o.objects);
    let lengths: Vec<u64> = held
        .iter()
        .map(|o| o.len() as u64)
        .chain(new.iter().map(|o| o.len() as u64))
        .collect();
    let plans = global_heap::pack(&lengths)?;
    // Object i of the packed list: the held ones, then the new ones.
    let object = |i: usize| -> &[u8] {
        match held.get(i) {
            Some(o) => o,
            None => new.get(i - held.len()).copied().unwrap_or(&[]),
        }
    };
    let mut refs = Vec::with_capacity(new.len() * 16);
    let push_ref = |refs: &mut Vec<u8>, len: usize, at: u64, index: usize| -> Result<()> {
        let len = field::u32_field("string length in bytes", len as u64)?;
        let index = field::u32_field("global heap object index", index as u64 + 1)?;
        refs.extend_from_slice(&global_heap::vlen_ref(len, at, index));
        Ok(())
    };
    let mut fresh = &plans[..];
    let mut next_open = None;
    if let (Some(o), Some(first)) = (&open, plans.first()) {
        // The open collection is plan 0: its old objects plus what fits.
        fresh = &plans[1..];
        let objs: Vec<&[u8]> = (0..first.count).map(object).collect();
        if first.count > held.len() {
            let mut buf = Vec::with_capacity(first.size as usize);
            global_heap::encode(&mut buf, first, &objs)?;
            io.write_at(o.start, &buf)?;
            for (i, obj) in objs.iter().enumerate().skip(held.len()) {
                push_ref(&mut refs, obj.len(), o.start, i)?;
            }
        }
        next_open = Some(OpenCollection {
            start: o.start,
            objects: objs.iter().map(|b| b.to_vec()).collect(),
        });
    }
    if !fresh.is_empty() {
        let total = fresh
            .iter()
            .try_fold(0u64, |a, p| field::add("global heap size", a, p.size))?;
        let (block, mut buf) = reserve(st, "global heap size", total)?;
        let mut at = block.start;
        for p in fresh {
            let objs: Vec<&[u8]> = (p.first..p.first + p.count).map(object).collect();
            global_heap::encode(&mut buf, p, &objs)?;
            for (i, obj) in objs.iter().enumerate() {
                push_ref(&mut refs, obj.len(), at, i)?;
            }
            // A collection of the minimum size may have room left; one sized
            // for a single large object has none (and leaves the open one).
            if p.size == global_heap::MIN_COLLECTION_SIZE {
                next_open = Some(OpenCollection {
                    start: at,
                    objects: objs.iter().map(|b| b.to_vec()).collect(),
                });
            }
            at += p.size;
        }
        debug_assert_eq!(buf.len() as u64, total);
        io.write_at(block.start, &buf)?;
    }
    st.open_heap = next_open;
    Ok(refs)
}

/// File space for `total` bytes, and a buffer that will hold them.
fn reserve(st: &mut State, field: &'static str, total: u64) -> Result<(Extent, Vec<u8>)> {
    let cap = usize::try_from(total).map_err(|_| Error::FieldOverflow {
        field,
        value: total,
        max: usize::MAX as u64,
    })?;
    Ok((st.space.alloc(total)?, Vec::with_capacity(cap)))
}
