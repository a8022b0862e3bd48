//! Recycled chunk-sized byte buffers, shared by every thread.
//!
//! A stream of chunks allocates and frees two buffers of about a chunk each
//! per chunk (the chunk's bytes, the filter's output), on different threads.
//! Freed straight away, the allocator hands that memory back to the system
//! and the next chunk faults it in again, page by page, zeroed by the
//! kernel: on the benchmark stream (LZ4, 98,784-byte chunks) those faults
//! cost about a fifth of the filter threads' time. Buffers given back here
//! are kept for the next [`take`] instead, up to a bound ([`KEEP_BYTES`]
//! in all), so memory stays bounded.

use std::sync::{Mutex, PoisonError};

/// Buffers below this capacity are not kept: the allocator serves them
/// without system calls.
const KEEP_MIN: usize = 16 << 10;
/// Nor above this one: rare, and too much memory to hold on to.
const KEEP_EACH_MAX: usize = 8 << 20;
/// At most this many bytes of capacity are kept, in all.
const KEEP_BYTES: usize = 32 << 20;

/// The buffers kept and their total capacity.
struct Kept {
    bufs: Vec<Vec<u8>>,
    bytes: usize,
}

static KEPT: Mutex<Kept> = Mutex::new(Kept {
    bufs: Vec::new(),
    bytes: 0,
});

/// Capacities are rounded up to whole steps of [`KEEP_MIN`], so a chunk's
/// buffer and a filter output a little larger than it are served by the
/// same kept buffers.
fn rounded(n: usize) -> usize {
    if n < KEEP_MIN {
        n
    } else {
        n.div_ceil(KEEP_MIN).saturating_mul(KEEP_MIN)
    }
}

/// An empty buffer with room for at least `capacity` bytes: a kept one if
/// one is large enough (the smallest such), else a new one.
pub(crate) fn take(capacity: usize) -> Vec<u8> {
    let want = rounded(capacity);
    if !(KEEP_MIN..=KEEP_EACH_MAX).contains(&want) {
        return Vec::with_capacity(capacity);
    }
    let mut k = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    let best = k
        .bufs
        .iter()
        .enumerate()
        .filter(|(_, b)| b.capacity() >= want)
        .min_by_key(|(_, b)| b.capacity())
        .map(|(i, _)| i);
    match best {
        Some(i) => {
            let b = k.bufs.swap_remove(i);
            k.bytes -= b.capacity();
            b
        }
        None => Vec::with_capacity(want),
    }
}

/// A buffer of `len` bytes, each `value`.
pub(crate) fn filled(len: usize, value: u8) -> Vec<u8> {
    let mut b = take(len);
    b.resize(len, value);
    b
}

/// Give `buf` back for a later [`take`] (dropped if it is too small or
/// too large to keep, or if the kept buffers are at their bound).
pub(crate) fn give(mut buf: Vec<u8>) {
    let cap = buf.capacity();
    if !(KEEP_MIN..=KEEP_EACH_MAX).contains(&cap) {
        return;
    }
    buf.clear();
    let mut k = KEPT.lock().unwrap_or_else(PoisonError::into_inner);
    if k.bytes + cap <= KEEP_BYTES {
        k.bytes += cap;
        k.bufs.push(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes kept now.
    fn kept() -> usize {
        KEPT.lock().unwrap_or_else(PoisonError::into_inner).bytes
    }

    #[test]
    fn buffers_come_back_empty_large_enough_and_bounded() {
        // Other tests share the kept buffers: only check what holds anyway.
        let mut a = take(100_000);
        assert!(a.is_empty() && a.capacity() >= 100_000);
        assert_eq!(a.capacity() % KEEP_MIN, 0);
        a.extend_from_slice(&[7; 1000]);
        give(a);
        let b = take(99_000);
        assert!(b.is_empty() && b.capacity() >= 99_000);
        let f = filled(70_000, 3);
        assert!(f.len() == 70_000 && f.iter().all(|&x| x == 3));
        give(b);
        give(f);
        // Small and huge buffers are never kept.
        assert_eq!(take(10).capacity(), 10);
        give(Vec::with_capacity(KEEP_EACH_MAX + 1));
        give(Vec::with_capacity(100));
        // However much is given back, the bound holds.
        for _ in 0..(KEEP_BYTES / (1 << 20) + 8) {
            give(Vec::with_capacity(1 << 20));
        }
        assert!(kept() <= KEEP_BYTES);
        assert!(take(1 << 20).capacity() >= 1 << 20);
        assert_eq!(rounded(KEEP_MIN + 1), 2 * KEEP_MIN);
        assert_eq!(rounded(5), 5);
        assert_eq!(rounded(usize::MAX), usize::MAX);
    }
}
