//! How the LZ4 compressor reads its input and writes its output: straight
//! from and to slices (bounds-checked), or through this thread's
//! fixed-size windows at masked positions, where the compiler drops the
//! bounds checks (the positions the compressor uses are all below the
//! masks, so masking changes none of them).

use super::table::{IN_CAP, OUT_CAP, OUT_MASK, WINDOW};

/// The input of a block: `len()` bytes at positions `start()` on (the
/// positions the compressor uses and stores in its hash table).
pub(super) trait Bytes {
    /// The position of the first byte.
    fn start(&self) -> usize;
    /// The input's length.
    fn len(&self) -> usize;
    /// The input itself.
    fn all(&self) -> &[u8];
    /// The byte at position `i`.
    fn byte(&self, i: usize) -> u8;
    /// 8 bytes from position `i` (all in the input), little-endian.
    fn r64(&self, i: usize) -> u64;
    /// [`Bytes::r64`] if the 8 bytes are all in the input, else any
    /// value (never a panic).
    fn r64_any(&self, i: usize) -> u64;
    /// 16 bytes from position `i` (in the input), those past the input
    /// unspecified; `None` if they cannot be read.
    fn lit16(&self, i: usize) -> Option<&[u8; 16]>;
}

/// 8 bytes as a little-endian word.
#[inline(always)]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(b);
    u64::from_le_bytes(w)
}

/// A block read straight from its slice, at positions from `.1` on.
pub(super) struct Based<'a>(pub(super) &'a [u8], pub(super) usize);

impl Bytes for Based<'_> {
    #[inline(always)]
    fn start(&self) -> usize {
        self.1
    }
    #[inline(always)]
    fn len(&self) -> usize {
        self.0.len()
    }
    #[inline(always)]
    fn all(&self) -> &[u8] {
        self.0
    }
    #[inline(always)]
    fn byte(&self, i: usize) -> u8 {
        self.0[i - self.1]
    }
    #[inline(always)]
    fn r64(&self, i: usize) -> u64 {
        let i = i - self.1;
        word(&self.0[i..i + 8])
    }
    #[inline(always)]
    fn r64_any(&self, i: usize) -> u64 {
        let i = i.wrapping_sub(self.1);
        self.0.get(i..i.saturating_add(8)).map_or(0, word)
    }
    #[inline(always)]
    fn lit16(&self, i: usize) -> Option<&[u8; 16]> {
        let i = i - self.1;
        self.0.get(i..i + 16)?.try_into().ok()
    }
}

/// A block copied into this thread's input window, at positions from a
/// multiple of [`WINDOW`] on: a position masked is the byte's index.
pub(super) struct Padded<'a> {
    bytes: &'a [u8; IN_CAP],
    start: usize,
    len: usize,
}

impl<'a> Padded<'a> {
    /// The first `len` bytes (at most [`WINDOW`]) of `bytes`, at positions
    /// from `start` (a multiple of [`WINDOW`]) on.
    pub(super) fn new(bytes: &'a [u8; IN_CAP], start: usize, len: usize) -> Self {
        Padded {
            bytes,
            start,
            len: len.min(WINDOW),
        }
    }
}

/// A position masked so is its byte's index in the input window.
const IN_MASK: usize = WINDOW - 1;

impl Bytes for Padded<'_> {
    #[inline(always)]
    fn start(&self) -> usize {
        self.start
    }
    #[inline(always)]
    fn len(&self) -> usize {
        self.len
    }
    #[inline(always)]
    fn all(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
    #[inline(always)]
    fn byte(&self, i: usize) -> u8 {
        self.bytes[i & IN_MASK]
    }
    #[inline(always)]
    fn r64(&self, i: usize) -> u64 {
        let i = i & IN_MASK;
        word(&self.bytes[i..i + 8])
    }
    #[inline(always)]
    fn r64_any(&self, i: usize) -> u64 {
        self.r64(i)
    }
    #[inline(always)]
    fn lit16(&self, i: usize) -> Option<&[u8; 16]> {
        let i = i & IN_MASK;
        self.bytes[i..i + 16].try_into().ok()
    }
}

/// The output of a block.
pub(super) trait Sink {
    /// All of it.
    fn all(&mut self) -> &mut [u8];
    /// 32 bytes at `op`, if there is room.
    fn window(&mut self, op: usize) -> Option<&mut [u8; 32]>;
}

impl Sink for &mut [u8] {
    #[inline(always)]
    fn all(&mut self) -> &mut [u8] {
        self
    }
    #[inline(always)]
    fn window(&mut self, op: usize) -> Option<&mut [u8; 32]> {
        self.get_mut(op..op + 32)?.try_into().ok()
    }
}

/// This thread's output window.
pub(super) struct Ring<'a>(pub(super) &'a mut [u8; OUT_CAP]);

impl Sink for Ring<'_> {
    #[inline(always)]
    fn all(&mut self) -> &mut [u8] {
        &mut self.0[..]
    }
    #[inline(always)]
    fn window(&mut self, op: usize) -> Option<&mut [u8; 32]> {
        let o = op & OUT_MASK;
        (&mut self.0[o..o + 32]).try_into().ok()
    }
}
