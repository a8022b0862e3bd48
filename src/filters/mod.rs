//! Chunk filters as libhdf5 applies them on write: shuffle, deflate
//! (through `flate2` on the pure-Rust `zlib-rs`) and Fletcher-32, the plugin
//! filters LZF, LZ4, bitshuffle, zstd and Blosc (`plugin`), plus h5py's
//! automatic chunk shape. Pure functions, no I/O. Spec notes:
//! `spec-notes/filters.md`, `spec-notes/filter-pipeline.md`,
//! `spec-notes/plugin-filters.md`.
//!
//! # Examples
//!
//! The pipeline h5py builds for `shuffle=True, compression='gzip',
//! fletcher32=True` on int32, run on one chunk and undone as a reader does:
//!
//! ```
//! use h5sink::filters::{self, fletcher32, shuffle};
//! use h5sink::format::filter_pipeline::Filter;
//! let pipeline = [Filter::Shuffle { element_size: 4 }, Filter::Deflate { level: 4 }, Filter::Fletcher32];
//! let chunk: Vec<u8> = (0..25i32).flat_map(|v| v.to_le_bytes()).collect();
//! let (stored, mask) = filters::apply(&pipeline, &chunk)?;
//! assert_eq!(mask, 0); // no filter skipped
//! let (z, sum) = stored.split_at(stored.len() - 4);
//! assert_eq!(sum, fletcher32(z).to_le_bytes()); // the checksum covers the zlib stream
//! let shuffled = miniz_oxide::inflate::decompress_to_vec_zlib(z).ok();
//! assert_eq!(shuffled.map(|s| shuffle::unshuffle(&s, 4)), Some(chunk));
//! # Ok::<(), h5sink::Error>(())
//! ```

pub mod chunking;
pub mod deflate;
pub mod fletcher32;
pub mod reverse;
pub mod shuffle;

mod bit_transpose;
mod bitshuffle;
mod blosc;
pub(crate) mod buffers;
mod lz4;
mod lz4_block;
mod lzf;
pub(crate) mod plugin;
mod scratch;
mod words;
mod zstd;

#[cfg(test)]
mod e2e;

pub use chunking::guess_chunk;
pub use deflate::deflate;
pub use fletcher32::fletcher32;
pub use reverse::unapply;
pub use shuffle::shuffle;

use crate::error::Result;
use crate::format::field::{self, len64};
use crate::format::filter_pipeline::{self, Filter};

/// Run `chunk` through `filters` in pipeline order, as libhdf5 does when it
/// writes a chunk, and return the bytes to store with the chunk's filter
/// mask (bit i set = filter i skipped).
///
/// libhdf5 skips an *optional* filter only when the filter itself fails;
/// of ours only LZF does, on a chunk it cannot shrink (h5py's filter). In particular a deflated
/// chunk longer than its input is still stored deflated (libhdf5 2.0 gives
/// the zlib call a buffer of `ceil(1.001 n) + 12` bytes, which always
/// suffices).
///
/// # Errors
///
/// The errors of [`filter_pipeline::validate`] (over 32 filters, a deflate
/// level above 9, a shuffle element size of 0), or
/// [`crate::Error::FieldOverflow`] if the stored chunk would reach 4 GiB
/// (the B-tree key holds its size as a u32).
///
/// # Examples
///
/// ```
/// use h5sink::filters::apply;
/// use h5sink::format::filter_pipeline::Filter;
/// let chunk = [7u8; 100];
/// let (stored, mask) = apply(&[Filter::Fletcher32], &chunk)?;
/// assert_eq!((stored.len(), mask), (104, 0)); // the data, then its checksum
/// assert_eq!(&stored[..100], &chunk[..]);
/// let (z, _) = apply(&[Filter::Deflate { level: 9 }], &chunk)?;
/// assert!(z[0] == 0x78 && z.len() < 20); // a zlib stream
/// // Level 0 (stored blocks) is longer than the input, and still not skipped.
/// let (z0, mask) = apply(&[Filter::Deflate { level: 0 }], &chunk)?;
/// assert_eq!((z0.len(), mask), (111, 0)); // 2 + 5 + 100 + 4 bytes
/// let bad_level = apply(&[Filter::Deflate { level: 10 }], &chunk);
/// assert!(matches!(bad_level, Err(h5sink::Error::InvalidArgument { what: "deflate level", .. })));
/// let too_many = apply(&[Filter::Fletcher32; 33], &chunk);
/// assert!(matches!(too_many, Err(h5sink::Error::FieldOverflow { max: 32, .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn apply(filters: &[Filter], chunk: &[u8]) -> Result<(Vec<u8>, u32)> {
    filter_pipeline::validate(filters)?;
    // The input until a filter runs, then each filter's output.
    let mut data = std::borrow::Cow::Borrowed(chunk);
    let mut mask = 0u32;
    for (i, filter) in filters.iter().enumerate() {
        let out = match *filter {
            Filter::Deflate { level } => deflate(&data, u8::try_from(level).unwrap_or(u8::MAX)),
            Filter::Shuffle { element_size } => {
                shuffle(&data, usize::try_from(element_size).unwrap_or(usize::MAX))
            }
            Filter::ShuffleSkipped => {
                mask |= 1 << i;
                continue;
            }
            Filter::Fletcher32 => fletcher32::append_checksum(&data),
            _ => match plugin::apply_one(filter, &data)? {
                Some(out) => out,
                None => {
                    mask |= 1 << i;
                    continue;
                }
            },
        };
        // The previous filter's output is spent: keep it for another chunk.
        if let std::borrow::Cow::Owned(spent) = std::mem::replace(&mut data, out.into()) {
            buffers::give(spent);
        }
    }
    field::u32_field("filtered chunk size", len64(data.len()))?;
    Ok((data.into_owned(), mask))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;
    use miniz_oxide::inflate::decompress_to_vec_zlib;

    /// The pipeline h5py builds for `compression='gzip', compression_opts=4,
    /// shuffle=True, fletcher32=True` on int32.
    const H5PY_ORDER: [Filter; 3] = [
        Filter::Shuffle { element_size: 4 },
        Filter::Deflate { level: 4 },
        Filter::Fletcher32,
    ];

    /// Chunk `(5, 5)` number `row` of h5py's `arange(50).reshape(10, 5)`.
    fn chunk(row: i32) -> Vec<u8> {
        (25 * row..25 * row + 25)
            .flat_map(|v| v.to_le_bytes())
            .collect()
    }

    /// h5py 3.16 stored chunks (40 bytes each) of that dataset: zlib stream
    /// of the shuffled chunk, then the Fletcher-32 of the stream (LE).
    const H5PY_CHUNKS: [&str; 2] = [
        "785e6360646266616563e7e0e4e2e6e1e5e317101412161115139760a01e00006270012d d296770d",
        "785e939492969195935750545256515553d7d0d4d2d6d1d5d3373064a01e00003957039e 7f61f63f",
    ];

    #[test]
    fn h5py_gzip_shuffle_fletcher32_chunks() {
        for (row, stored) in H5PY_CHUNKS.iter().enumerate() {
            let stored = hex(stored);
            let raw = chunk(row as i32);
            let (ours, mask) = apply(&H5PY_ORDER, &raw).unwrap();
            assert_eq!(mask, 0);
            // The checksum covers the zlib stream, in both files.
            let (h5py_z, h5py_sum) = stored.split_at(stored.len() - 4);
            assert_eq!(fletcher32(h5py_z).to_le_bytes(), h5py_sum);
            let (our_z, our_sum) = ours.split_at(ours.len() - 4);
            assert_eq!(fletcher32(our_z).to_le_bytes(), our_sum);
            // Both streams inflate to the same shuffled chunk.
            let shuffled = decompress_to_vec_zlib(h5py_z).unwrap();
            assert_eq!(decompress_to_vec_zlib(our_z).unwrap(), shuffled);
            assert_eq!(shuffle::unshuffle(&shuffled, 4), raw);
        }
    }

    #[test]
    fn order_matters_and_mask_is_zero() {
        let raw = chunk(0);
        let (only_sum, _) = apply(&[Filter::Fletcher32], &raw).unwrap();
        assert_eq!(&only_sum[..100], &raw[..]);
        assert_eq!(only_sum.len(), 104);
        let (sh, _) = apply(&[Filter::Shuffle { element_size: 4 }], &raw).unwrap();
        assert_eq!(sh, shuffle(&raw, 4));
        assert_eq!(apply(&[], &raw).unwrap(), (raw.clone(), 0));
        // Incompressible data is still stored deflated, mask 0 (libhdf5 2.0).
        let noise: Vec<u8> = (0u32..100)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let (z, mask) = apply(&[Filter::Deflate { level: 4 }], &noise).unwrap();
        assert_eq!(mask, 0);
        assert_eq!(decompress_to_vec_zlib(&z).unwrap(), noise);
    }

    #[test]
    fn skipped_shuffle_sets_its_mask_bit_and_leaves_the_bytes() {
        let refs: Vec<u8> = (0..64).collect();
        let (out, mask) = apply(
            &[Filter::ShuffleSkipped, Filter::Deflate { level: 4 }],
            &refs,
        )
        .unwrap();
        assert_eq!(mask, 1);
        assert_eq!(decompress_to_vec_zlib(&out).unwrap(), refs);
        let (out, mask) = apply(
            &[Filter::Deflate { level: 4 }, Filter::ShuffleSkipped],
            &refs,
        )
        .unwrap();
        assert_eq!(mask, 2);
        assert_eq!(decompress_to_vec_zlib(&out).unwrap(), refs);
    }

    #[test]
    fn invalid_pipelines() {
        assert!(apply(&[Filter::Deflate { level: 10 }], b"abc").is_err());
        assert!(apply(&[Filter::Shuffle { element_size: 0 }], b"abc").is_err());
        assert!(apply(&[Filter::Fletcher32; 33], b"abc").is_err());
    }
}
