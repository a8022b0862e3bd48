//! What the LZ4 compressor keeps per thread between blocks, so that a
//! block neither allocates nor clears anything: the match finder's hash
//! table, and fixed-size input and output windows for blocks of at most
//! [`WINDOW`] bytes (the finder reads and writes them at masked positions,
//! which need no bounds checks).
//!
//! A table entry holds `base + position`; each block takes a `base` (a
//! multiple of [`WINDOW`]) more than 64 KiB above every value an earlier
//! block stored, so that older
//! entries fail the finder's distance test (a match at most 65,535 bytes
//! back) and read as empty. The table is cleared only when the bases
//! would pass `u32::MAX`.

use std::cell::RefCell;

/// Slots in the table: 13 bits (small inputs hash 13 bits, large 12).
pub(super) const SLOTS: usize = 1 << 13;
/// The largest block copied into the input window.
pub(super) const WINDOW: usize = 1 << 18;
/// Input window bytes: a block, then room for whole-word reads past it.
pub(super) const IN_CAP: usize = WINDOW + 64;
/// Output positions are masked with this (above any block's bound).
pub(super) const OUT_MASK: usize = (1 << 19) - 1;
/// Output window bytes: room for a fixed-size write at any masked position.
pub(super) const OUT_CAP: usize = OUT_MASK + 1 + 64;

/// The gap left between blocks' positions: past the farthest match.
const GAP: u64 = 1 << 16;

/// This thread's table and windows, and the base its next block takes.
pub(super) struct Kept {
    pub(super) slots: Box<[u32; SLOTS]>,
    pub(super) input: Box<[u8; IN_CAP]>,
    pub(super) output: Box<[u8; OUT_CAP]>,
    base: u32,
}

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// A zeroed boxed array (allocated on the heap, not built on the stack).
fn zeroed<T: Copy + Default, const N: usize>() -> Option<Box<[T; N]>> {
    vec![T::default(); N].into_boxed_slice().try_into().ok()
}

/// Fresh state: every entry reads as empty for the first base.
fn fresh() -> Option<Kept> {
    Some(Kept {
        slots: zeroed()?,
        input: zeroed()?,
        output: zeroed()?,
        base: WINDOW as u32,
    })
}

/// Whether a block of `len` bytes fits above `base` with the gap after
/// it, and the next multiple of [`WINDOW`] too.
fn fits(base: u64, len: usize) -> bool {
    base + len as u64 + GAP + WINDOW as u64 <= u64::from(u32::MAX)
}

/// Run `f` with this thread's state and the base of a block of `len`
/// bytes (its positions are stored as `base + position`): entries of
/// earlier blocks read as empty. `None` (and `f` is not run) when `len`
/// is too large for 32-bit entries.
pub(super) fn with_kept<R>(len: usize, f: impl FnOnce(&mut Kept, u32) -> R) -> Option<R> {
    if !fits(GAP, len) {
        return None;
    }
    let mut f = Some(f);
    let mut run = |kept: &mut Option<Kept>| {
        let reusable = kept
            .as_ref()
            .is_some_and(|k| k.base >= WINDOW as u32 && fits(u64::from(k.base), len));
        if !reusable {
            *kept = fresh();
        }
        let k = kept.as_mut()?;
        let base = k.base;
        let r = f.take()?(k, base);
        // Checked by `fits`: no overflow. A multiple of `WINDOW`.
        let next = (u64::from(base) + len as u64 + GAP).next_multiple_of(WINDOW as u64);
        k.base = u32::try_from(next).unwrap_or(0);
        Some(r)
    };
    let done = KEPT.try_with(|cell| cell.try_borrow_mut().ok().map(|mut k| run(&mut k)));
    match done {
        Ok(Some(r)) => r,
        // The state is in use further up this thread's stack, or gone.
        _ => run(&mut None),
    }
}
