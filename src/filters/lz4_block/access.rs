//! How the LZ4 compressor reads its input and writes its output: straight
//! from and to slices (bounds-checked), or through this thread's
//! fixed-size windows at masked positions, where the compiler drops the
//! bounds checks (the positions the compressor uses are all below the
//! masks, so masking changes none of them).

use super::table::{IN_CAP, OUT_CAP, OUT_MASK, WINDOW};

/// The input of a block: `len()` bytes.
pub(super) trait Bytes {
    /// The input's length.
    fn len(&self) -> usize;
    /// The input itself.
    fn all(&self) -> &[u8];
    /// The byte at `i` (< `len()`).
    fn byte(&self, i: usize) -> u8;
    /// 8 bytes at `i` (`i + 8` <= `len()`), little-endian.
    fn r64(&self, i: usize) -> u64;
    /// 16 bytes from `i` (< `len()`), those past the input unspecified;
    /// `None` if they cannot be read.
    fn lit16(&self, i: usize) -> Option<[u8; 16]>;
}

/// 8 bytes as a little-endian word.
#[inline(always)]
fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(b);
    u64::from_le_bytes(w)
}

impl Bytes for &[u8] {
    #[inline(always)]
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    #[inline(always)]
    fn all(&self) -> &[u8] {
        self
    }
    #[inline(always)]
    fn byte(&self, i: usize) -> u8 {
        self[i]
    }
    #[inline(always)]
    fn r64(&self, i: usize) -> u64 {
        word(&self[i..i + 8])
    }
    #[inline(always)]
    fn lit16(&self, i: usize) -> Option<[u8; 16]> {
        let mut b = [0u8; 16];
        b.copy_from_slice(self.get(i..i + 16)?);
        Some(b)
    }
}

/// A block copied into this thread's input window.
pub(super) struct Padded<'a> {
    bytes: &'a [u8; IN_CAP],
    len: usize,
}

impl<'a> Padded<'a> {
    /// The first `len` bytes (at most [`WINDOW`]) of `bytes`.
    pub(super) fn new(bytes: &'a [u8; IN_CAP], len: usize) -> Self {
        Padded {
            bytes,
            len: len.min(WINDOW),
        }
    }
}

/// Positions in the input window (all below [`WINDOW`]) keep their value.
const IN_MASK: usize = WINDOW - 1;

impl Bytes for Padded<'_> {
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
    fn lit16(&self, i: usize) -> Option<[u8; 16]> {
        let i = i & IN_MASK;
        let mut b = [0u8; 16];
        b.copy_from_slice(&self.bytes[i..i + 16]);
        Some(b)
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
