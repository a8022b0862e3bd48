//! Little-endian word reads for the match finders of the LZ codecs (LZF,
//! LZ4): safe slice reads the optimiser turns into single loads. Callers
//! keep `i + 4` / `i + 8` within the slice (a read past it panics, and
//! the finders never do it).

/// Read 4 bytes at `i` (little-endian).
#[inline(always)]
pub(crate) fn r32(s: &[u8], i: usize) -> u32 {
    let b = &s[i..i + 4];
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// Read 8 bytes at `i` (little-endian).
#[inline(always)]
pub(crate) fn r64(s: &[u8], i: usize) -> u64 {
    let b = &s[i..i + 8];
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}
