//! The state behind every handle of one file, and the commit protocol.
//!
//! A commit makes the file on disk describe the current tree:
//! 1. plan every metadata block and encode them into one buffer;
//! 2. write that buffer into space the committed state does not use;
//! 3. grow the file to the new end-of-file address (data blocks reserved
//!    since the last commit may not have been written yet), or, with a
//!    reader grace period, well past it (see `engine::lead`);
//! 4. rewrite the 96-byte superblock, which points at the new root: this
//!    single small write is the switch from the old state to the new one.
//!    With a reader grace period and a new end-of-file address, two writes:
//!    the new end alone first, then the new root, so that a reader whose
//!    read overlaps a write sees old and new fields that agree.
//!
//! A crash before step 4 leaves the old state intact (nothing it references
//! was touched); after it, the new state is complete. Space of the previous
//! state is reused only once the switch is done and the reader grace period
//! has passed, so a reader that read the old superblock can finish reading.
//!
//! That ordering holds for a crash of the process: the operating system
//! still writes everything out. Against power loss, a *durable* commit
//! (`File::sync`, or every commit after `File::set_durable(true)`) adds two
//! barriers: `fsync` after step 3, so the disk holds everything the new
//! superblock points at before it is written, and `fsync` after step 4, so
//! the switch is on disk before the next commit reuses the old state's space.

use crate::engine::emit;
use crate::engine::io::Io;
use crate::engine::plan;
use crate::engine::rows;
use crate::engine::state::State;
use crate::engine::{chunk_io, chunk_pipeline};
use crate::error::Result;
use crate::format::superblock::Superblock;

/// Make the file on disk describe `st.tree` (no-op if nothing changed).
///
/// The metadata goes into an arena no commit a reader may still use
/// occupies (see `engine::arenas`): a spare one past the reader grace
/// period if one is large enough, else a new one with twice the room it
/// needs, so a stream of growing commits reuses space instead of leaving
/// every old copy behind (without a grace period dead space stays a small
/// multiple of the metadata, however many commits there are; with one, it
/// is the metadata of the commits within one grace period); the final
/// commit (`closing`) takes exactly what it needs. With `durable`, `fsync` barriers surround
/// the superblock switch.
pub(crate) fn commit(io: &Io, st: &mut State, closing: bool, durable: bool) -> Result<()> {
    io.check()?;
    // Chunks filtering in the background go to disk before any index.
    chunk_pipeline::settle(io, st)?;
    if !st.is_dirty() {
        if closing && st.lead.is_ahead() {
            // The last superblock may record an end past the content.
            let end = st.space.end();
            switch(io, st, None, end, true)?;
            if durable {
                io.sync("syncing the superblock to disk")?;
            }
            trim(io, st, end)?;
        }
        return Ok(());
    }
    rows::write_staged(io, st)?;
    // Open chunks go to disk before the index that points at them.
    let chunked: Vec<_> = (0..st.tree.nodes.len())
        .filter(|&id| st.tree.dataset(id).is_some_and(|d| d.chunked.is_some()))
        .collect();
    for id in chunked {
        chunk_io::store_open(io, st, id)?;
    }
    // Plan at 0 to learn the size, then move the plan to its arena.
    let mut p = plan::plan(&st.tree, 0)?;
    let size = p.size();
    let region = st.arenas.take(&mut st.space, size, closing)?;
    p.rebase(region.start);
    let bytes = emit::emit(&p)?;
    io.write_described(region.start, &bytes, || {
        format!(
            "writing {} bytes of metadata at offset {}",
            bytes.len(),
            region.start
        )
    })?;
    let eof = st.space.end();
    // The final commit records its exact end (the tail is cut below).
    let grace = if closing {
        std::time::Duration::ZERO
    } else {
        st.space.grace()
    };
    let recorded = st.lead.grow(io, eof, grace)?;
    if durable {
        io.sync("syncing data and metadata to disk before the superblock switch")?;
    }
    let sb = p.superblock(recorded);
    let careful = !st.space.grace().is_zero() || st.lead.is_ahead();
    switch(io, st, Some(sb), recorded, careful)?;
    if durable {
        io.sync("syncing the superblock to disk")?;
    }
    st.committed(region);
    if closing {
        trim(io, st, eof)?;
    }
    Ok(())
}

/// Write the superblock recording `eof` and the root of `sb` (the last
/// one's root with `None`). With `careful` (a reader may be reading it) and a
/// new end, two writes: the new end with the old root first (valid: the
/// old root's references lie below its end, which the new one covers), then
/// the new root, so a read overlapping the writes gets fields that agree.
fn switch(io: &Io, st: &mut State, sb: Option<Superblock>, eof: u64, careful: bool) -> Result<()> {
    if let Some(prev) = st
        .published
        .filter(|p| p.eof != eof && (careful || sb.is_none()))
    {
        let grown = Superblock { eof, ..prev };
        io.write_described(0, &grown.encode(), || "writing the superblock".into())?;
        st.published = Some(grown);
    }
    if let Some(sb) = sb {
        io.write_described(0, &sb.encode(), || "writing the superblock".into())?;
        st.published = Some(sb);
    }
    Ok(())
}

/// After the final superblock, which records `eof` exactly: cut the tail
/// the file was grown ahead by.
fn trim(io: &Io, st: &State, eof: u64) -> Result<()> {
    if st.lead.is_ahead() && io.len()? > eof {
        io.trim_to(eof)?;
    }
    Ok(())
}
