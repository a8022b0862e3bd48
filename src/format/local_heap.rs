//! Local heap (`HEAP`). Spec notes: `spec-notes/local-heap.md`.

use crate::error::Result;

/// Size of the heap header; the data segment follows it.
pub const HEADER_SIZE: u64 = 32;

/// A local heap being filled with link names.
#[derive(Clone, Debug)]
pub struct LocalHeap {
    segment: Vec<u8>,
}

impl LocalHeap {
    /// A heap holding only the empty string at offset 0.
    pub fn new() -> Self {
        todo!()
    }

    /// Store `name` (NUL-terminated, padded to 8) and return its offset.
    pub fn add(&mut self, name: &[u8]) -> u64 {
        let _ = name;
        todo!()
    }

    /// Bytes of header plus data segment.
    pub fn size(&self) -> u64 {
        todo!()
    }

    /// Append the heap, to be placed at `address`, to `out` (segment right after the header).
    pub fn encode(&self, address: u64, out: &mut Vec<u8>) -> Result<()> {
        let _ = (address, out, &self.segment);
        todo!()
    }
}

impl Default for LocalHeap {
    fn default() -> Self {
        Self::new()
    }
}
