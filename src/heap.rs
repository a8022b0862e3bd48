//! Storing variable-length strings: global heap collections written whole
//! into new file space, and the 16-byte references that point into them.

use crate::error::{Error, Result};
use crate::format::{field, global_heap};
use crate::shared::{Shared, State};
use crate::space::Extent;

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
    shared: &Shared,
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
    let cap = usize::try_from(total).map_err(|_| Error::FieldOverflow {
        field: "string block size",
        value: total,
        max: usize::MAX as u64,
    })?;
    let block = st.space.alloc(total)?;
    let mut buf = Vec::with_capacity(cap);
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
        shared.write_at(block.start, &buf)?;
    }
    Ok(Stored {
        block,
        refs_at: block.start + heap_bytes,
        refs,
    })
}
