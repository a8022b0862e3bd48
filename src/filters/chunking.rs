//! h5py's automatic chunk shape (`h5py._hl.filters.guess_chunk`, h5py
//! 3.16), reimplemented with the same floating-point steps so that it
//! gives the same shapes. Spec notes: `spec-notes/filters.md`.
//!
//! # Examples
//!
//! The chunk h5py gives a `(60000, 784)` float32 dataset created with
//! `compression='gzip'` (MNIST's training images, flattened):
//!
//! ```
//! use h5sink::filters::chunking::guess_chunk;
//! let chunk = guess_chunk(&[60000, 784], 4)?;
//! assert_eq!(chunk, [938, 25]);
//! let bytes = chunk.iter().product::<u64>() * 4;
//! assert!((8 * 1024..1024 * 1024).contains(&bytes)); // within the 8 KiB..1 MiB bounds
//! # Ok::<(), h5sink::Error>(())
//! ```

use crate::error::{Error, Result};

/// Chunk sizes are steered towards multiples of 16 KiB ...
const CHUNK_BASE: f64 = 16.0 * 1024.0;
/// ... not much below 8 KiB (a soft limit) ...
const CHUNK_MIN: f64 = 8.0 * 1024.0;
/// ... and below 1 MiB (a hard limit, unless one element is larger).
const CHUNK_MAX: f64 = 1024.0 * 1024.0;

/// The product of `dims`, multiplied left to right in f64 as h5py does.
fn product(dims: &[f64]) -> f64 {
    dims.iter().fold(1.0, |acc, d| acc * d)
}

/// The chunk shape h5py picks when a dataset needs chunks but none were
/// given (for `compression=`, `shuffle=`, `fletcher32=` or `maxshape=`).
///
/// The algorithm: treat a zero dimension as 1024 (h5py's guess for an
/// unlimited dimension that is still empty; a non-zero current size is
/// used as it is, whatever the maximum). Aim at
/// `16 KiB × 2^log10(dataset bytes / 1 MiB)`, clamped to 8 KiB..1 MiB.
/// Then halve the dimensions in turn (round up), first, second, …, first
/// again, until the chunk is under 1 MiB and either under the target or
/// within 50 % of it, or down to one element.
///
/// `element_size` 0 gives the shape itself (with zeros as 1024), as in h5py.
///
/// # Errors
///
/// [`Error::InvalidArgument`] for rank 0: a scalar cannot be chunked.
///
/// # Examples
///
/// ```
/// use h5sink::filters::guess_chunk;
/// assert_eq!(guess_chunk(&[1000, 1000], 8)?, [63, 63]); // 8 MB of f64: ~32 KB chunks
/// assert_eq!(guess_chunk(&[10, 5], 4)?, [10, 5]); // small: one chunk
/// assert_eq!(guess_chunk(&[0, 5], 4)?, [512, 5]); // empty unlimited axis: taken as 1024
/// assert_eq!(guess_chunk(&[2, 2], 1 << 20)?, [1, 1]); // elements of 1 MiB: one each
/// let scalar = guess_chunk(&[], 4);
/// assert!(matches!(scalar, Err(h5sink::Error::InvalidArgument { what: "shape", .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn guess_chunk(shape: &[u64], element_size: u64) -> Result<Vec<u64>> {
    if shape.is_empty() {
        return Err(Error::InvalidArgument {
            what: "shape",
            value: "()".to_string(),
            reason: "a scalar dataset cannot be chunked",
        });
    }
    // Precision is lost above 2^53, exactly as in h5py's float64 array.
    let mut chunks: Vec<f64> = shape
        .iter()
        .map(|&d| if d == 0 { 1024.0 } else { d as f64 })
        .collect();
    let typesize = element_size as f64;

    let dset_size = product(&chunks) * typesize;
    let target = (CHUNK_BASE * 2f64.powf((dset_size / (1024.0 * 1024.0)).log10()))
        .clamp(CHUNK_MIN, CHUNK_MAX);

    let mut idx = 0usize;
    loop {
        let chunk_bytes = product(&chunks) * typesize;
        let near = chunk_bytes < target || ((chunk_bytes - target).abs() / target) < 0.5;
        if near && chunk_bytes < CHUNK_MAX {
            break;
        }
        if product(&chunks) == 1.0 {
            break; // one element is already above the limit
        }
        let axis = idx % chunks.len();
        chunks[axis] = (chunks[axis] / 2.0).ceil();
        idx += 1;
    }
    // Values are whole numbers no larger than the shape's (or 1024).
    Ok(chunks.into_iter().map(|c| c as u64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `h5py._hl.filters.guess_chunk(shape, maxshape, itemsize)` in h5py
    /// 3.16 (maxshape does not change the result; zero dims stand for
    /// empty unlimited ones, e.g. `(0, 5)` with `maxshape=(None, 5)`).
    const H5PY: &[(&[u64], u64, &[u64])] = &[
        (&[4000, 25088], 4, &[63, 392]),
        (&[100], 4, &[100]),
        (&[10, 10], 4, &[10, 10]),
        (&[0], 4, &[1024]),
        (&[0, 5], 4, &[512, 5]),
        (&[10, 5], 4, &[10, 5]),
        (&[1_000_000], 8, &[3907]),
        (&[1000, 1000], 8, &[63, 63]),
        (&[3, 4, 5], 2, &[3, 4, 5]),
        (&[60000, 784], 4, &[938, 25]),
        (&[60000, 28, 28], 1, &[3750, 4, 4]),
        (&[1], 1, &[1]),
        (&[1], 2_000_000, &[1]),
        (&[2, 2], 1_048_576, &[1, 1]),
        (&[7], 1, &[7]),
        (&[0, 0, 0], 4, &[32, 32, 64]),
        (&[1_000_000_000_000], 8, &[119_210]),
        (&[1_000_000, 1_000_000], 4, &[489, 489]),
        (&[100, 200, 300, 400], 16, &[4, 13, 19, 25]),
        (&[5], 0, &[5]),
        (&[17, 31, 1], 3, &[17, 31, 1]),
        (&[1_000_000_000_000_000, 100_000, 1000], 8, &[116_416, 1, 1]),
        (&[i64::MAX as u64], 1, &[524_288]),
        (&[123_456, 789], 8, &[965, 13]),
    ];

    #[test]
    fn matches_h5py() {
        for (shape, size, want) in H5PY {
            assert_eq!(
                guess_chunk(shape, *size).unwrap(),
                *want,
                "{shape:?} x {size}"
            );
        }
    }

    #[test]
    fn extremes_do_not_panic() {
        assert!(guess_chunk(&[], 4).is_err());
        let huge = guess_chunk(&[u64::MAX; 32], u64::MAX).unwrap();
        assert_eq!(huge, vec![1; 32]);
        assert_eq!(guess_chunk(&[u64::MAX], 0).unwrap(), vec![u64::MAX]);
        for chunk in guess_chunk(&[u64::MAX, 3, 0], 8).unwrap() {
            assert!(chunk >= 1);
        }
    }
}
