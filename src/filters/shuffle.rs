//! The shuffle filter (HDF5 filter 2). Spec notes: `spec-notes/filters.md`.
//!
//! # Examples
//!
//! Small int32 values: after the shuffle the high bytes form runs of zeros,
//! which deflate compresses well.
//!
//! ```
//! use h5sink::filters::shuffle::{shuffle, unshuffle};
//! let values: Vec<u8> = [1i32, 2, 3, 4].iter().flat_map(|v| v.to_le_bytes()).collect();
//! let planes = shuffle(&values, 4);
//! assert_eq!(planes, [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
//! assert_eq!(unshuffle(&planes, 4), values);
//! ```

/// Byte-shuffle `data` as libhdf5's shuffle filter does on write: byte 0 of
/// every element, then byte 1 of every element, and so on.
///
/// Like libhdf5, data is returned unchanged when `element_size` is 0 or 1
/// or the buffer holds fewer than two whole elements; trailing bytes that
/// do not make a whole element are copied unchanged after the planes.
///
/// # Examples
///
/// ```
/// use h5sink::filters::shuffle;
/// let data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]; // two 4-byte elements and 3 bytes
/// assert_eq!(shuffle(&data, 4), [1, 5, 2, 6, 3, 7, 4, 8, 9, 10, 11]);
/// assert_eq!(shuffle(&data, 1), data); // one-byte elements: nothing to do
/// assert_eq!(shuffle(&data[..5], 4), data[..5]); // one whole element only
/// ```
pub fn shuffle(data: &[u8], element_size: usize) -> Vec<u8> {
    let mut out = super::buffers::filled(data.len(), 0);
    shuffle_into(data, element_size, &mut out);
    out
}

/// [`shuffle`] into `out`, which must be as long as `data` (otherwise
/// `out` is left as it is).
pub(crate) fn shuffle_into(data: &[u8], element_size: usize, out: &mut [u8]) {
    if out.len() != data.len() {
        return;
    }
    let n = data.len().checked_div(element_size).unwrap_or(0);
    if element_size <= 1 || n <= 1 {
        out.copy_from_slice(data);
        return;
    }
    let whole = n * element_size;
    match element_size {
        2 => planes::<2>(data, 2, n, out),
        4 => planes4(data, n, out),
        8 => planes::<8>(data, 8, n, out),
        s => planes::<0>(data, s, n, out),
    }
    out[whole..].copy_from_slice(&data[whole..]);
}

/// Byte-shuffle the `n` 4-byte elements at the start of `data` into
/// `out`: 8 elements (32 bytes) at a time, transposed as bytes within
/// 64-bit words (two 4 x 4 byte transposes side by side), each plane's 8
/// bytes stored as one word; the rest as [`planes`] does.
fn planes4(data: &[u8], n: usize, out: &mut [u8]) {
    const LO: u64 = 0x0000_0000_FFFF_FFFF;
    const B: u64 = 0x00FF_00FF_00FF_00FF;
    const H: u64 = 0x0000_FFFF_0000_FFFF;
    let groups = n / 8;
    let (p0, rest) = out.split_at_mut(n);
    let (p1, rest) = rest.split_at_mut(n);
    let (p2, p3) = rest.split_at_mut(n);
    let words = |b: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        u64::from_le_bytes(w)
    };
    let put = |p: &mut [u8], v: u64| p.copy_from_slice(&v.to_le_bytes());
    let quads = p0.chunks_exact_mut(8).zip(p1.chunks_exact_mut(8));
    let quads = quads.zip(p2.chunks_exact_mut(8).zip(p3.chunks_exact_mut(8)));
    for (src, ((q0, q1), (q2, q3))) in data.chunks_exact(32).zip(quads) {
        let (w0, w1) = (words(&src[0..8]), words(&src[8..16]));
        let (w2, w3) = (words(&src[16..24]), words(&src[24..32]));
        // Lanes: elements (0, 4), (1, 5), (2, 6), (3, 7).
        let a = (w0 & LO) | (w2 << 32);
        let b = (w0 >> 32) | (w2 & !LO);
        let c = (w1 & LO) | (w3 << 32);
        let d = (w1 >> 32) | (w3 & !LO);
        // Bytes 0 and 2, then 1 and 3, of each pair of elements.
        let ab02 = (a & B) | ((b & B) << 8);
        let ab13 = ((a >> 8) & B) | (b & !B);
        let cd02 = (c & B) | ((d & B) << 8);
        let cd13 = ((c >> 8) & B) | (d & !B);
        put(q0, (ab02 & H) | ((cd02 & H) << 16));
        put(q2, ((ab02 >> 16) & H) | (cd02 & !H));
        put(q1, (ab13 & H) | ((cd13 & H) << 16));
        put(q3, ((ab13 >> 16) & H) | (cd13 & !H));
    }
    for i in 8 * groups..n {
        for (j, p) in [&mut *p0, &mut *p1, &mut *p2, &mut *p3]
            .into_iter()
            .enumerate()
        {
            p[i] = data[4 * i + j];
        }
    }
}

/// Byte-shuffle the `n` elements of `S` bytes (0: `s`) at the start of
/// `data` into `out`: 8 elements at a time, each plane's next 8 bytes
/// written as one word; the last `n % 8` elements byte by byte.
fn planes<const S: usize>(data: &[u8], s: usize, n: usize, out: &mut [u8]) {
    let s = if S == 0 { s } else { S };
    let groups = n / 8;
    for (g, src) in data.chunks_exact(8 * s).take(groups).enumerate() {
        for j in 0..s {
            let mut w = [0u8; 8];
            for (t, b) in w.iter_mut().enumerate() {
                *b = src[t * s + j];
            }
            let p = j * n + 8 * g;
            out[p..p + 8].copy_from_slice(&w);
        }
    }
    for i in 8 * groups..n {
        for j in 0..s {
            out[j * n + i] = data[i * s + j];
        }
    }
}

/// Undo [`planes`].
fn unplanes<const S: usize>(data: &[u8], s: usize, n: usize, out: &mut [u8]) {
    let s = if S == 0 { s } else { S };
    let groups = n / 8;
    for (g, dst) in out.chunks_exact_mut(8 * s).take(groups).enumerate() {
        for j in 0..s {
            let p = j * n + 8 * g;
            let w = &data[p..p + 8];
            for (t, b) in w.iter().enumerate() {
                dst[t * s + j] = *b;
            }
        }
    }
    for i in 8 * groups..n {
        for j in 0..s {
            out[i * s + j] = data[j * n + i];
        }
    }
}

/// Undo [`shuffle`] (the filter's read direction), with the same rules for
/// small element sizes, short buffers and trailing bytes.
///
/// # Examples
///
/// ```
/// use h5sink::filters::shuffle::{shuffle, unshuffle};
/// assert_eq!(unshuffle(&[1, 5, 2, 6, 3, 7, 4, 8, 9, 10, 11], 4), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
/// let data: Vec<u8> = (0..100).collect();
/// for size in [2, 3, 8, 16] {
///     assert_eq!(unshuffle(&shuffle(&data, size), size), data);
/// }
/// ```
pub fn unshuffle(data: &[u8], element_size: usize) -> Vec<u8> {
    let mut out = vec![0; data.len()];
    unshuffle_into(data, element_size, &mut out);
    out
}

/// [`unshuffle`] into `out`, which must be as long as `data` (otherwise
/// `out` is left as it is).
pub(crate) fn unshuffle_into(data: &[u8], element_size: usize, out: &mut [u8]) {
    if out.len() != data.len() {
        return;
    }
    let n = data.len().checked_div(element_size).unwrap_or(0);
    if element_size <= 1 || n <= 1 {
        out.copy_from_slice(data);
        return;
    }
    let whole = n * element_size;
    match element_size {
        2 => unplanes::<2>(data, 2, n, out),
        4 => unplanes::<4>(data, 4, n, out),
        8 => unplanes::<8>(data, 8, n, out),
        s => unplanes::<0>(data, s, n, out),
    }
    out[whole..].copy_from_slice(&data[whole..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    /// h5py 3.16 `shuffle=True`, `(10, 10)` int32, chunk (5, 5) at (0, 0):
    /// the stored chunk is the 25 low bytes, then three planes of zeros.
    #[test]
    fn h5py_int32_chunk() {
        let values: Vec<i32> = (0..5)
            .flat_map(|r| (0..5).map(move |c| 10 * r + c))
            .collect();
        let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        let mut want = hex("00010203040a0b0c0d0e14151617181e1f20212228292a2b2c");
        want.resize(100, 0);
        assert_eq!(shuffle(&data, 4), want);
        assert_eq!(unshuffle(&want, 4), data);
    }

    #[test]
    fn planes_and_leftover() {
        let data = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        assert_eq!(shuffle(&data, 4), vec![1, 5, 2, 6, 3, 7, 4, 8, 9, 10, 11]);
        assert_eq!(shuffle(&data, 3), vec![1, 4, 7, 2, 5, 8, 3, 6, 9, 10, 11]);
        for size in 0..14 {
            assert_eq!(unshuffle(&shuffle(&data, size), size), data, "size {size}");
        }
    }

    /// The shuffle by its definition, byte by byte.
    fn naive(data: &[u8], s: usize) -> Vec<u8> {
        let n = data.len() / s;
        let mut out = data.to_vec();
        for i in 0..n {
            for j in 0..s {
                out[j * n + i] = data[i * s + j];
            }
        }
        out
    }

    #[test]
    fn word_paths_match_the_definition() {
        let data: Vec<u8> = (0u32..4099)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for s in [2, 3, 4, 5, 8, 12, 16] {
            for len in [2 * s, 7 * s + 1, 8 * s, 9 * s - 1, 64 * s + 3, 4099] {
                let d = &data[..len.min(data.len())];
                let z = shuffle(d, s);
                assert_eq!(z, naive(d, s), "s {s} len {}", d.len());
                assert_eq!(unshuffle(&z, s), d, "s {s} len {}", d.len());
            }
        }
        // A mismatched output is left alone.
        let mut out = [7u8; 3];
        shuffle_into(&data[..4], 2, &mut out);
        unshuffle_into(&data[..4], 2, &mut out);
        assert_eq!(out, [7; 3]);
    }

    #[test]
    fn untouched_cases() {
        let data = [1, 2, 3, 4, 5];
        assert_eq!(shuffle(&data, 0), data);
        assert_eq!(shuffle(&data, 1), data);
        assert_eq!(shuffle(&data, 3), data); // one whole element only
        assert_eq!(shuffle(&data, usize::MAX), data);
        assert!(shuffle(&[], 4).is_empty());
        assert_eq!(unshuffle(&data, 3), data);
    }
}
