//! Dataspace message (version 1). Spec notes: `spec-notes/dataspace.md`.

use crate::error::{Error, Result};

/// The largest rank HDF5 accepts.
pub const MAX_RANK: usize = 32;

/// Flag bit 0: maximum dimensions are present.
const FLAG_MAX_DIMS: u8 = 0x01;

/// Body of a Dataspace message for a fixed shape (`dims` empty = scalar).
///
/// A simple shape carries its dimensions and, like libhdf5, maximum
/// dimensions equal to them; a scalar is rank 0 with no flags (8 bytes).
pub fn encode(dims: &[u64]) -> Result<Vec<u8>> {
    let rank = match u8::try_from(dims.len()) {
        Ok(r) if dims.len() <= MAX_RANK => r,
        _ => {
            return Err(Error::RankTooHigh {
                rank: dims.len(),
                max: MAX_RANK,
            })
        }
    };
    let flags = if rank == 0 { 0 } else { FLAG_MAX_DIMS };
    let mut out = Vec::with_capacity(8 + 16 * dims.len());
    out.extend_from_slice(&[1, rank, flags, 0, 0, 0, 0, 0]);
    for _pass in 0..2 {
        // First the current dimensions, then the maximum dimensions.
        for d in dims {
            out.extend_from_slice(&d.to_le_bytes());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// h5py 3.16: `create_dataset('scalar', shape=(), dtype='i4')`.
    #[test]
    fn scalar() {
        assert_eq!(encode(&[]).unwrap(), hex("01 00 00 00 00 00 00 00"));
    }

    /// h5py 3.16: a 3-element vector.
    #[test]
    fn vector() {
        let want = hex("01 01 01 00 00000000 0300000000000000 0300000000000000");
        assert_eq!(encode(&[3]).unwrap(), want);
    }

    /// h5py 3.16: shape (0,), written or not.
    #[test]
    fn empty_vector() {
        let want = hex("01 01 01 00 00000000 0000000000000000 0000000000000000");
        assert_eq!(encode(&[0]).unwrap(), want);
    }

    /// h5py 3.16: shape (2, 3, 4).
    #[test]
    fn rank3() {
        let want = hex(
            "01 03 01 00 00000000 0200000000000000 0300000000000000 0400000000000000 \
             0200000000000000 0300000000000000 0400000000000000",
        );
        assert_eq!(encode(&[2, 3, 4]).unwrap(), want);
    }

    #[test]
    fn rank_limit() {
        assert_eq!(encode(&[1; 32]).unwrap().len(), 8 + 32 * 16);
        for rank in [33, 256, 300] {
            match encode(&vec![1; rank]) {
                Err(Error::RankTooHigh { rank: r, max: 32 }) => assert_eq!(r, rank),
                other => panic!("{other:?}"),
            }
        }
    }
}
