//! Local heap (`HEAP`). Spec notes: `spec-notes/local-heap.md`.

use super::field::{self, len64};
use crate::error::Result;

/// Size of the heap header; the data segment follows it.
pub const HEADER_SIZE: u64 = 32;

/// Free-list head meaning "no free block" (libhdf5's `H5HL_FREE_NULL`);
/// libhdf5 rejects the undefined address here.
pub const FREE_LIST_NONE: u64 = 1;

/// A local heap being filled with link names.
#[derive(Clone, Debug)]
pub struct LocalHeap {
    segment: Vec<u8>,
}

impl LocalHeap {
    /// A heap holding only the empty string at offset 0.
    pub fn new() -> Self {
        LocalHeap {
            segment: vec![0; 8],
        }
    }

    /// Store `name` (NUL-terminated, padded to 8) and return its offset.
    ///
    /// The name should not contain NUL bytes; the caller validates names.
    pub fn add(&mut self, name: &[u8]) -> u64 {
        let offset = len64(self.segment.len());
        self.segment.extend_from_slice(name);
        // The NUL terminator, then zeros up to the next multiple of 8.
        let len = name.len().saturating_add(1);
        let padded = len.saturating_add(7) & !7;
        let zeros = padded.saturating_sub(name.len());
        self.segment
            .resize(self.segment.len().saturating_add(zeros), 0);
        offset
    }

    /// Bytes of header plus data segment.
    pub fn size(&self) -> u64 {
        HEADER_SIZE.saturating_add(len64(self.segment.len()))
    }

    /// Append the heap, to be placed at `address`, to `out` (segment right after the header).
    ///
    /// The segment is sized exactly to its names, so the free list is empty.
    pub fn encode(&self, address: u64, out: &mut Vec<u8>) -> Result<()> {
        let segment_address = field::add("local heap data segment address", address, HEADER_SIZE)?;
        out.extend_from_slice(b"HEAP");
        out.extend_from_slice(&[0, 0, 0, 0]); // version 0, 3 reserved
        out.extend_from_slice(&len64(self.segment.len()).to_le_bytes());
        out.extend_from_slice(&FREE_LIST_NONE.to_le_bytes());
        out.extend_from_slice(&segment_address.to_le_bytes());
        out.extend_from_slice(&self.segment);
        Ok(())
    }
}

impl Default for LocalHeap {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// The root heap of the digest's golden file (§10): "" and "x", at 0x2a8.
    #[test]
    fn one_name() {
        let mut heap = LocalHeap::new();
        assert_eq!(heap.add(b"x"), 8);
        assert_eq!(heap.size(), 48);
        let mut out = Vec::new();
        heap.encode(0x2a8, &mut out).unwrap();
        let want = hex(
            "48454150 00000000 1000000000000000 0100000000000000 c802000000000000 \
             0000000000000000 7800000000000000",
        );
        assert_eq!(out, want);
    }

    /// Names land where h5py 3.16 put them (`d00`..`d08` at 8, 16, ..., 72),
    /// and the segment equals h5py's up to its trailing free block.
    #[test]
    fn offsets_and_padding_match_h5py() {
        let mut heap = LocalHeap::new();
        for i in 0..9u64 {
            assert_eq!(heap.add(format!("d{i:02}").as_bytes()), 8 + 8 * i);
        }
        let mut out = Vec::new();
        heap.encode(0, &mut out).unwrap();
        assert_eq!(&out[32..48], &hex("0000000000000000 6430300000000000")[..]);
        assert_eq!(out.len(), 32 + 80);
        // Lengths 7, 8 and 9 around the padding boundary.
        let mut heap = LocalHeap::new();
        assert_eq!(heap.add(b"1234567"), 8);
        assert_eq!(heap.add(b"12345678"), 16);
        assert_eq!(heap.add(b"123456789"), 32);
        assert_eq!(heap.add(b""), 48);
        assert_eq!(heap.size(), 32 + 56);
    }

    /// An empty group's heap: just the empty string.
    #[test]
    fn empty() {
        let heap = LocalHeap::default();
        let mut out = Vec::new();
        heap.encode(0x100, &mut out).unwrap();
        assert_eq!(len64(out.len()), heap.size());
        assert_eq!(
            &out[8..32],
            &hex("0800000000000000 0100000000000000 2001000000000000")[..]
        );
        assert!(heap.encode(u64::MAX - 8, &mut out).is_err());
    }
}
