//! A per-thread scratch buffer for the codecs' intermediate blocks (the
//! shuffled or bit-transposed bytes before LZ4 or zstd), so that
//! compressing a chunk allocates only its output.

use std::cell::RefCell;

/// Scratch buffers above this size are not kept between calls.
const KEEP_MAX: usize = 4 << 20;

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Run `f` on a scratch buffer of `len` bytes (contents unspecified).
pub(crate) fn with_scratch<R>(len: usize, f: impl FnOnce(&mut [u8]) -> R) -> R {
    if len > KEEP_MAX {
        return f(&mut vec![0; len]);
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            if buf.len() < len {
                buf.resize(len, 0);
            }
            f(&mut buf[..len])
        }
        // Already in use further up this thread's stack.
        Err(_) => f(&mut vec![0; len]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_large_uses_get_their_own_buffers() {
        let sum = with_scratch(16, |a| {
            a.fill(1);
            with_scratch(8, |b| {
                b.fill(2);
                b.len()
            }) + a.iter().map(|&x| usize::from(x)).sum::<usize>()
        });
        assert_eq!(sum, 8 + 16);
        assert_eq!(with_scratch(KEEP_MAX + 1, |a| a.len()), KEEP_MAX + 1);
        assert_eq!(with_scratch(0, |a| a.len()), 0);
    }
}
