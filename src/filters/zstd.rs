//! Zstandard frames for the HDF5 zstd filter (32015), bitshuffle and Blosc.
//! Frames are written by our own encoder (the submodules, from RFC 8878;
//! docs/zstd-choice.md) and read through the pure-Rust `ruzstd` decoder.
//! The filter stores one frame per chunk, no header of its own; its reader
//! sizes the output from the frame's content size, so every frame we write
//! carries it. Spec notes: `spec-notes/zstd-filter.md`.

#[cfg(feature = "zstd")]
mod bits;
#[cfg(feature = "zstd")]
mod block;
#[cfg(feature = "zstd")]
mod fast;
#[cfg(feature = "zstd")]
mod find;
#[cfg(feature = "zstd")]
mod fse;
#[cfg(feature = "zstd")]
mod huffman;
#[cfg(feature = "zstd")]
mod literals;
#[cfg(feature = "zstd")]
mod matcher;
#[cfg(feature = "zstd")]
mod sequences;
#[cfg(feature = "zstd")]
mod tables;

use crate::error::{Error, Result};

/// The highest zstd level.
const MAX_LEVEL: u32 = 22;

/// One zstd frame of `data` with its content size in the header,
/// compressed at `level` (1 to 22; 0 means zstd's default, 3).
///
/// # Errors
///
/// [`Error::Unsupported`] when built without the `zstd` feature, or
/// [`Error::InvalidArgument`] for a level above 22.
pub(crate) fn frame(data: &[u8], level: u32) -> Result<Vec<u8>> {
    if level > MAX_LEVEL {
        return Err(Error::InvalidArgument {
            what: "zstd level",
            value: level.to_string(),
            reason: "zstd levels run from 1 to 22",
        });
    }
    #[cfg(feature = "zstd")]
    {
        Ok(block::frame(data, if level == 0 { 3 } else { level }))
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
            assert_eq!(z[4] & 0x20, 0x20); // single segment, content size present
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

#[cfg(all(test, feature = "zstd"))]
mod round_trip;
