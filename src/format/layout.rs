//! Data Layout message (version 3). Spec notes: `spec-notes/layout.md`.

use super::field::UNDEF_ADDR;

/// Layout class of contiguous storage.
const CLASS_CONTIGUOUS: u8 = 1;

/// Body of a version 3 contiguous layout: data at `address` (UNDEF if unallocated), `size` bytes.
///
/// A zero-size dataset is always written unallocated (UNDEF), whatever
/// `address` says: libhdf5 rejects a defined address with size 0 ("invalid
/// dataset size, likely file corruption"), and h5py writes UNDEF there too.
pub fn contiguous(address: u64, size: u64) -> Vec<u8> {
    let address = if size == 0 { UNDEF_ADDR } else { address };
    let mut out = Vec::with_capacity(18);
    out.push(3); // version
    out.push(CLASS_CONTIGUOUS);
    out.extend_from_slice(&address.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// h5py 3.16: int32 `[1, 2, 3]` stored at 0x800.
    #[test]
    fn allocated() {
        let want = [3, 1, 0, 8, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(contiguous(0x800, 12), want);
    }

    /// h5py 3.16: shape (0,) keeps the undefined address and size 0.
    #[test]
    fn empty_unallocated() {
        let mut want = vec![3, 1];
        want.extend_from_slice(&[0xff; 8]);
        want.extend_from_slice(&[0; 8]);
        assert_eq!(contiguous(UNDEF_ADDR, 0), want);
        assert_eq!(contiguous(0x800, 0), want, "size 0 never gets an address");
    }
}

/// Body of a version 3 compact layout: the raw data itself (at most 64 KiB in all).
pub fn compact(data: &[u8]) -> crate::error::Result<Vec<u8>> {
    let _ = data;
    todo!()
}
