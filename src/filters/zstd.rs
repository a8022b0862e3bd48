//! Zstandard frames for the HDF5 zstd filter (32015), bitshuffle and Blosc,
//! through the pure-Rust `ruzstd` (docs/zstd-choice.md). The filter stores
//! one frame per chunk, no header of its own; its reader sizes the output
//! from the frame's content size, so every frame we write carries it.
//! Spec notes: `spec-notes/zstd-filter.md`.

use crate::error::{Error, Result};

/// zstd's frame magic number, little-endian.
const MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// One zstd frame of `data` with its content size in the header. `level`
/// is recorded by the filter; `ruzstd` 0.8 has one compressing level (about
/// zstd's 1), used for every level.
///
/// # Errors
///
/// [`Error::Unsupported`] when built without the `zstd` feature, or
/// [`Error::Bug`] if the encoder's frame header is not the one expected.
pub(crate) fn frame(data: &[u8], level: u32) -> Result<Vec<u8>> {
    let _ = level;
    #[cfg(feature = "zstd")]
    {
        use ruzstd::encoding::{compress_to_vec, CompressionLevel};
        let z = compress_to_vec(data, CompressionLevel::Fastest);
        add_content_size(z, data.len() as u64)
    }
    #[cfg(not(feature = "zstd"))]
    {
        let _ = data;
        Err(off())
    }
}

/// The error of a build without the `zstd` feature.
#[cfg(not(feature = "zstd"))]
fn off() -> Error {
    Error::Unsupported {
        structure: "filter pipeline message",
        offset: 0,
        detail: "zstd: h5sink was built without its `zstd` feature".to_string(),
    }
}

/// Put the 8-byte Frame_Content_Size field into the header of a frame that
/// has none (no single segment, no dictionary: `ruzstd`'s frames), after
/// its window descriptor (RFC 8878, 3.1.1.1).
#[cfg_attr(not(feature = "zstd"), allow(dead_code))]
fn add_content_size(mut z: Vec<u8>, size: u64) -> Result<Vec<u8>> {
    let fhd = z.get(4).copied().unwrap_or(0xff);
    // FCS flag 0, single segment 0, dictionary id flag 0.
    if z.get(..4) != Some(&MAGIC[..]) || fhd & 0b1110_0011 != 0 {
        return Err(Error::Bug {
            what: format!("zstd encoder wrote frame header descriptor {fhd:#04x}"),
        });
    }
    z[4] = fhd | 0b1100_0000;
    z.splice(6..6, size.to_le_bytes());
    Ok(z)
}

/// Decode one zstd frame that must produce exactly `len` bytes; never
/// more than `len + 1` bytes are produced.
pub(crate) fn unframe(z: &[u8], len: usize) -> std::result::Result<Vec<u8>, String> {
    #[cfg(feature = "zstd")]
    {
        use std::io::Read;
        let mut src = z;
        let dec = ruzstd::decoding::StreamingDecoder::new(&mut src)
            .map_err(|e| format!("corrupt zstd frame header: {e}"))?;
        let mut out = Vec::with_capacity(len.min(1 << 26));
        dec.take(len as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("corrupt zstd frame of {} bytes: {e}", z.len()))?;
        if out.len() != len {
            return Err(format!(
                "zstd frame of {} bytes gives {}{} bytes, expected {len}",
                z.len(),
                if out.len() > len { "over " } else { "" },
                out.len().min(len)
            ));
        }
        Ok(out)
    }
    #[cfg(not(feature = "zstd"))]
    {
        let _ = (z, len);
        Err(off().to_string())
    }
}

#[cfg(all(test, feature = "zstd"))]
mod tests {
    use super::*;
    use crate::format::hex;

    /// hdf5plugin 7.1 `Zstd(clevel=3)` on float32 `arange(1000) % 7`, chunk
    /// (30, 10), chunk (0, 0): one 46-byte frame.
    const H5PLUGIN: &str = "28b52ffd60b003250100c80000803f0000004000004040000080400000a0400000c0400003008bfcfc209016002c";

    fn chunk() -> Vec<u8> {
        (0..300)
            .flat_map(|i| ((i % 7) as f32).to_le_bytes())
            .collect()
    }

    #[test]
    fn reads_hdf5plugin_and_round_trips() {
        assert_eq!(unframe(&hex(H5PLUGIN), 1200).unwrap(), chunk());
        assert!(unframe(&hex(H5PLUGIN), 1199).is_err());
        assert!(unframe(&hex(H5PLUGIN), 1201).is_err());
        for data in [chunk(), vec![], vec![7u8; 1 << 20]] {
            let z = frame(&data, 3).unwrap();
            assert_eq!(z[4] & 0xc0, 0xc0); // an 8-byte content size
            assert_eq!(z[6..14], (data.len() as u64).to_le_bytes());
            assert_eq!(unframe(&z, data.len()).unwrap(), data);
        }
    }

    #[test]
    fn hostile_frames_are_refused() {
        let z = frame(&chunk(), 3).unwrap();
        for cut in 0..z.len() {
            assert!(unframe(&z[..cut], 1200).is_err(), "cut {cut}");
        }
        for bit in 0..z.len() * 8 {
            let mut bad = z.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            if let Ok(out) = unframe(&bad, 1200) {
                assert_eq!(out.len(), 1200);
            }
        }
    }
}
