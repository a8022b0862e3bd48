//! The Fletcher-32 checksum filter (HDF5 filter 3). Spec notes:
//! `spec-notes/filters.md`.
//!
//! # Examples
//!
//! The filter appends the checksum on write; a reader recomputes it over
//! the rest of the chunk and refuses a mismatch:
//!
//! ```
//! use h5sink::filters::fletcher32::{append_checksum, fletcher32};
//! let mut stored = append_checksum(b"chunk bytes");
//! let (data, sum) = stored.split_at(stored.len() - 4);
//! assert_eq!(data, b"chunk bytes");
//! assert_eq!(sum, fletcher32(data).to_le_bytes());
//! stored[0] ^= 1; // a flipped bit no longer matches
//! let (data, sum) = stored.split_at(stored.len() - 4);
//! assert_ne!(sum, fletcher32(data).to_le_bytes());
//! ```

/// libhdf5's `H5_checksum_fletcher32` of `data`.
///
/// The data is read as big-endian 16-bit words (an odd last byte counts as
/// the high byte of a word whose low byte is 0). Both sums start at 0 and
/// are folded (`(s & 0xffff) + (s >> 16)`) after every 360 words, after the
/// odd byte, and once more at the end; the result is `sum2 << 16 | sum1`.
/// The fold points matter: folding is not a plain `mod 65535`.
///
/// # Examples
///
/// ```
/// use h5sink::filters::fletcher32;
/// // h5py 3.16, `fletcher32=True` on uint8 [0, 37, ..., 222]: 7 bytes, an odd last one.
/// let data: Vec<u8> = (0..7).map(|i| i * 37).collect();
/// assert_eq!(fletcher32(&data), 0xe755_bd4e);
/// assert_eq!(fletcher32(&[0xff; 4]), 0xffff_ffff); // a plain mod 65535 would give 0
/// assert_eq!(fletcher32(&[]), 0);
/// ```
pub fn fletcher32(data: &[u8]) -> u32 {
    // u32 arithmetic wraps as in C (it cannot overflow with 360-word blocks).
    let fold = |s: u32| (s & 0xffff).wrapping_add(s >> 16);
    let (mut sum1, mut sum2) = (0u32, 0u32);
    let (words, odd) = data.split_at(data.len() & !1);
    for block in words.chunks(2 * 360) {
        for w in block.chunks_exact(2) {
            sum1 = sum1.wrapping_add(u32::from(w[0]) << 8 | u32::from(w[1]));
            sum2 = sum2.wrapping_add(sum1);
        }
        sum1 = fold(sum1);
        sum2 = fold(sum2);
    }
    if let [odd] = odd {
        sum1 = sum1.wrapping_add(u32::from(*odd) << 8);
        sum2 = sum2.wrapping_add(sum1);
        sum1 = fold(sum1);
        sum2 = fold(sum2);
    }
    fold(sum2) << 16 | fold(sum1)
}

/// `data` followed by its [`fletcher32`] checksum as a little-endian u32:
/// what the filter stores on write.
///
/// # Examples
///
/// ```
/// use h5sink::filters::fletcher32::append_checksum;
/// // The chunk h5py 3.16 stores for uint8 [0, 37, ..., 222] with `fletcher32=True`.
/// let data: Vec<u8> = (0..7).map(|i| i * 37).collect();
/// let stored = append_checksum(&data);
/// assert_eq!(stored, [0x00, 0x25, 0x4a, 0x6f, 0x94, 0xb9, 0xde, 0x4e, 0xbd, 0x55, 0xe7]);
/// ```
pub fn append_checksum(data: &[u8]) -> Vec<u8> {
    let mut out = super::buffers::take(data.len() + 4);
    out.extend_from_slice(data);
    out.extend_from_slice(&fletcher32(data).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// h5py 3.16 `fletcher32=True` on uint8 `[0, 37, …, 222]` (7 bytes, so
    /// an odd trailing byte): stored chunk `00254a6f94b9de 4ebd55e7`.
    #[test]
    fn h5py_odd_length() {
        let data: Vec<u8> = (0..7).map(|i| i * 37).collect();
        assert_eq!(append_checksum(&data), hex("00254a6f94b9de 4ebd55e7"));
    }

    /// h5py 3.16 `fletcher32=True`, `(10, 10)` int32, chunk (5, 5) at
    /// (0, 0) and (0, 5): 100 bytes plus the checksum.
    #[test]
    fn h5py_int32_chunks() {
        for (col, sum) in [(0, "022623f0"), (5, "02a330a2")] {
            let data: Vec<u8> = (0..5)
                .flat_map(|r| (0..5).map(move |c| 10 * r + c + col))
                .flat_map(|v: i32| v.to_le_bytes())
                .collect();
            assert_eq!(fletcher32(&data).to_le_bytes().to_vec(), hex(sum));
        }
    }

    /// The fold after each 360-word block, checked against a direct
    /// transcription with block boundaries on long all-0xff data.
    #[test]
    fn long_inputs_fold_per_block() {
        for len in [0, 1, 2, 719, 720, 721, 722, 1440, 5000, 100_001] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + 255) as u8 | 0xf0).collect();
            let mut s1 = 0u64;
            let mut s2 = 0u64;
            let words = len / 2;
            let mut i = 0;
            while i < words {
                let end = (i + 360).min(words);
                for w in i..end {
                    s1 += u64::from(data[2 * w]) << 8 | u64::from(data[2 * w + 1]);
                    s2 += s1;
                }
                s1 = (s1 & 0xffff) + (s1 >> 16);
                s2 = (s2 & 0xffff) + (s2 >> 16);
                i = end;
            }
            if len % 2 == 1 {
                s1 += u64::from(data[len - 1]) << 8;
                s2 += s1;
                s1 = (s1 & 0xffff) + (s1 >> 16);
                s2 = (s2 & 0xffff) + (s2 >> 16);
            }
            s1 = (s1 & 0xffff) + (s1 >> 16);
            s2 = (s2 & 0xffff) + (s2 >> 16);
            assert_eq!(u64::from(fletcher32(&data)), s2 << 16 | s1, "len {len}");
        }
        assert_eq!(fletcher32(&[]), 0);
        // Folding keeps 0xffff where a plain mod 65535 would give 0.
        assert_eq!(fletcher32(&[0xff; 4]), 0xffff_ffff);
    }
}
