//! The deflate filter (HDF5 filter 1) through `flate2` with its pure-Rust
//! `zlib-rs` backend (no C zlib).
//! Spec notes: `spec-notes/filters.md`.
//!
//! # Examples
//!
//! ```
//! use h5sink::filters::deflate::deflate;
//! let data: Vec<u8> = (0..1000u32).flat_map(|i| (i % 10).to_le_bytes()).collect();
//! let z = deflate(&data, 6);
//! assert!(z.len() < data.len() / 10);
//! assert_eq!(miniz_oxide::inflate::decompress_to_vec_zlib(&z).ok(), Some(data));
//! ```

use crate::format::filter_pipeline::MAX_DEFLATE_LEVEL;

/// Compress `data` into a zlib stream (RFC 1950: 2-byte header, deflate
/// data, Adler-32 trailer), which is what libhdf5's deflate filter stores
/// (it calls zlib's `compress2`). `level` is 0 (stored blocks) to 9;
/// higher values are treated as 9.
///
/// The output may be longer than the input for incompressible data;
/// libhdf5 stores such chunks as they are (see `spec-notes/filters.md`).
///
/// # Examples
///
/// ```
/// use h5sink::filters::deflate;
/// let z = deflate(b"Wikipedia", 4);
/// assert_eq!(z[0], 0x78); // CMF: deflate with a 32 KiB window
/// assert_eq!((u16::from(z[0]) << 8 | u16::from(z[1])) % 31, 0); // FCHECK
/// assert_eq!(z[z.len() - 4..], [0x11, 0xe6, 0x03, 0x98]); // Adler-32, big-endian
/// assert_eq!(deflate(b"Wikipedia", 4), deflate(b"Wikipedia", 4)); // deterministic
/// assert_eq!(deflate(b"Wikipedia", 200), deflate(b"Wikipedia", 9)); // capped at 9
/// assert_eq!(deflate(b"Wikipedia", 0).len(), 2 + 5 + 9 + 4); // one stored block
/// ```
pub fn deflate(data: &[u8], level: u8) -> Vec<u8> {
    // MAX_DEFLATE_LEVEL is 9: the cast cannot truncate.
    let level = level.min(MAX_DEFLATE_LEVEL as u8);
    let mut z = flate2::Compress::new(flate2::Compression::new(u32::from(level)), true);
    // zlib's compressBound: enough for one call to finish the stream; grow
    // and continue if it ever is not.
    let mut out = super::buffers::take(data.len() + data.len() / 1000 + 64);
    loop {
        let consumed = usize::try_from(z.total_in())
            .unwrap_or(data.len())
            .min(data.len());
        match z.compress_vec(&data[consumed..], &mut out, flate2::FlushCompress::Finish) {
            Ok(flate2::Status::StreamEnd) => return out,
            Ok(_) => out.reserve(out.capacity().max(64)),
            // Cannot happen with valid parameters; fall back to the stored form.
            Err(_) => return stored(data),
        }
    }
}

/// A zlib stream of stored (uncompressed) deflate blocks: always valid.
fn stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(65535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(b) = blocks.next() {
        let len = b.len() as u16; // at most 65535
        out.push(u8::from(blocks.peek().is_none()));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(b);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniz_oxide::inflate::decompress_to_vec_zlib;

    #[test]
    fn round_trip_every_level() {
        let data: Vec<u8> = (0..10_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        for level in 0..=12 {
            let z = deflate(&data, level);
            assert_eq!(z[0] & 0x0f, 8, "zlib CM = deflate");
            assert_eq!((u16::from(z[0]) << 8 | u16::from(z[1])) % 31, 0, "FCHECK");
            assert_eq!(decompress_to_vec_zlib(&z).unwrap(), data, "level {level}");
            if level > 0 {
                assert!(z.len() < data.len() / 2, "level {level}: {}", z.len());
            }
        }
        assert_eq!(deflate(&data, 200), deflate(&data, 9));
    }

    #[test]
    fn stored_fallback_is_a_valid_zlib_stream() {
        for n in [0usize, 1, 65535, 65536, 200_000] {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 % 256) as u8).collect();
            assert_eq!(decompress_to_vec_zlib(&stored(&data)).unwrap(), data, "{n}");
        }
    }

    #[test]
    fn empty_and_incompressible() {
        assert_eq!(decompress_to_vec_zlib(&deflate(&[], 4)).unwrap(), b"");
        // A xorshift stream does not compress: the zlib stream is longer.
        let mut x = 0x9e37_79b9u32;
        let data: Vec<u8> = (0..100)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        let z = deflate(&data, 4);
        assert!(z.len() > data.len());
        assert_eq!(decompress_to_vec_zlib(&z).unwrap(), data);
    }

    /// h5py 3.16 (zlib) gzip 4 on the first (5, 5) int32 chunk of
    /// `arange(100).reshape(10, 10)`: our stream differs in bytes but
    /// inflates to the same chunk.
    #[test]
    fn decodes_like_h5py_stream() {
        let h5py = crate::format::hex(
            "785e0dc3b71180301000b0275480a948953154a4fde743ba534444656d636b67ef6072\
             747276717533bb5b3c3cbdbc7d7cfdfc0148440227",
        );
        let chunk: Vec<u8> = (0..5)
            .flat_map(|r| (0..5).map(move |c| 10 * r + c))
            .flat_map(|v: i32| v.to_le_bytes())
            .collect();
        assert_eq!(decompress_to_vec_zlib(&h5py).unwrap(), chunk);
        assert_eq!(decompress_to_vec_zlib(&deflate(&chunk, 4)).unwrap(), chunk);
    }
}
