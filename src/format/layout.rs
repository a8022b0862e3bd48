//! Data Layout message (version 3). Spec notes: `spec-notes/layout.md`.

/// Body of a version 3 contiguous layout: data at `address` (UNDEF if unallocated), `size` bytes.
pub fn contiguous(address: u64, size: u64) -> Vec<u8> {
    let _ = (address, size);
    todo!()
}
