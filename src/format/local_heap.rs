//! Local heap (`HEAP`). Spec notes: `spec-notes/local-heap.md`.
//!
//! # Examples
//!
//! A group's link names: add them, use the offsets in the group's symbol
//! table entries and B-tree keys, then place the heap (the digest's golden
//! file puts the root's at 0x2a8):
//!
//! ```
//! use h5sink::format::local_heap::{LocalHeap, HEADER_SIZE};
//!
//! let mut heap = LocalHeap::new();
//! assert_eq!(heap.add(b"x"), 8);
//! let mut out = Vec::new();
//! heap.encode(0x2a8, &mut out)?;
//! assert_eq!(out.len() as u64, heap.size()); // 32 + 16
//! assert_eq!(out[..4], *b"HEAP");
//! assert_eq!(out[HEADER_SIZE as usize + 8..], *b"x\0\0\0\0\0\0\0");
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::field::{self, len64};
use crate::error::Result;

mod decode;
pub use decode::{decode, name_at, HeapHeader};

/// Size of the heap header; the data segment follows it.
///
/// # Examples
///
/// The header records the segment's address (bytes 24..32): right after
/// itself.
///
/// ```
/// use h5sink::format::local_heap::{LocalHeap, HEADER_SIZE};
///
/// let heap = LocalHeap::new();
/// let mut out = Vec::new();
/// heap.encode(0x100, &mut out)?;
/// assert_eq!(out[24..32], (0x100 + HEADER_SIZE).to_le_bytes());
/// assert_eq!(heap.size(), HEADER_SIZE + 8); // the empty string, padded
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const HEADER_SIZE: u64 = 32;

/// Free-list head meaning "no free block" (libhdf5's `H5HL_FREE_NULL`);
/// libhdf5 rejects the undefined address here.
///
/// # Examples
///
/// The segment is sized exactly, so the free-list head (bytes 16..24) is
/// always this value:
///
/// ```
/// use h5sink::format::{field::UNDEF_ADDR, local_heap::{LocalHeap, FREE_LIST_NONE}};
///
/// let mut heap = LocalHeap::new();
/// heap.add(b"data");
/// let mut out = Vec::new();
/// heap.encode(0x2a8, &mut out)?;
/// assert_eq!(out[16..24], FREE_LIST_NONE.to_le_bytes());
/// assert_ne!(FREE_LIST_NONE, UNDEF_ADDR);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const FREE_LIST_NONE: u64 = 1;

/// A local heap being filled with link names.
///
/// # Examples
///
/// The root heap of the digest's golden file (`""` and `"x"`, at 0x2a8):
///
/// ```
/// use h5sink::format::local_heap::LocalHeap;
///
/// let mut heap = LocalHeap::new();
/// heap.add(b"x");
/// let mut out = Vec::new();
/// heap.encode(0x2a8, &mut out)?;
/// let mut want = b"HEAP\0\0\0\0".to_vec();
/// for word in [16u64, 1, 0x2c8] { // segment size, free list, segment address
///     want.extend_from_slice(&word.to_le_bytes());
/// }
/// want.extend_from_slice(&[0; 8]); // ""
/// want.extend_from_slice(b"x\0\0\0\0\0\0\0");
/// assert_eq!(out, want);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct LocalHeap {
    segment: Vec<u8>,
}

impl LocalHeap {
    /// A heap holding only the empty string at offset 0.
    ///
    /// # Examples
    ///
    /// An empty group's heap: an 8-byte segment, so the first name lands at 8.
    ///
    /// ```
    /// use h5sink::format::local_heap::{LocalHeap, HEADER_SIZE};
    ///
    /// let mut heap = LocalHeap::new();
    /// assert_eq!(heap.size(), HEADER_SIZE + 8);
    /// assert_eq!(heap.add(b"first"), 8);
    /// ```
    pub fn new() -> Self {
        LocalHeap {
            segment: vec![0; 8],
        }
    }

    /// Store `name` (NUL-terminated, padded to 8) and return its offset.
    ///
    /// The name should not contain NUL bytes; the caller validates names.
    ///
    /// # Examples
    ///
    /// Names of 7, 8 and 9 bytes take 8, 16 and 16 bytes (NUL included):
    ///
    /// ```
    /// use h5sink::format::local_heap::LocalHeap;
    ///
    /// let mut heap = LocalHeap::new();
    /// assert_eq!(heap.add(b"1234567"), 8);
    /// assert_eq!(heap.add(b"12345678"), 16);
    /// assert_eq!(heap.add(b"123456789"), 32);
    /// assert_eq!(heap.add(b""), 48);
    /// ```
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
    ///
    /// # Examples
    ///
    /// Tells where the next structure goes before the heap is encoded (in
    /// the golden file the root's `SNOD` follows its heap at 0x2a8 + 48):
    ///
    /// ```
    /// use h5sink::format::local_heap::LocalHeap;
    ///
    /// let mut heap = LocalHeap::new();
    /// heap.add(b"x");
    /// let snod_at = 0x2a8 + heap.size();
    /// assert_eq!(snod_at, 0x2d8);
    /// let mut out = Vec::new();
    /// heap.encode(0x2a8, &mut out)?;
    /// assert_eq!(out.len() as u64, heap.size());
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn size(&self) -> u64 {
        HEADER_SIZE.saturating_add(len64(self.segment.len()))
    }

    /// Append the heap, to be placed at `address`, to `out` (segment right after the header).
    ///
    /// The segment is sized exactly to its names, so the free list is empty.
    ///
    /// # Examples
    ///
    /// An address whose segment address (`address + 32`) overflows is refused:
    ///
    /// ```
    /// use h5sink::format::local_heap::LocalHeap;
    ///
    /// let heap = LocalHeap::new();
    /// let mut out = Vec::new();
    /// heap.encode(u64::MAX - 32, &mut out)?;
    /// assert_eq!(out[24..32], u64::MAX.to_le_bytes());
    /// assert!(matches!(
    ///     heap.encode(u64::MAX - 31, &mut out),
    ///     Err(h5sink::Error::FieldOverflow { field: "local heap data segment address", .. })
    /// ));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
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
