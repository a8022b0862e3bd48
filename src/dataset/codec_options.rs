//! The plugin compression options of [`DatasetBuilder`] and
//! `DatasetWriterBuilder`: LZF, LZ4, bitshuffle, zstd and Blosc (see
//! `super::codecs`). Both builders keep them in `self.opts.codecs`; one
//! macro writes the methods (and their documentation) into each.

use super::builder::DatasetBuilder;
use super::codecs::{BloscCodec, BloscShuffle};
use crate::types::H5Type;

/// The five plugin codec options, for a builder whose `self.opts.codecs` is
/// a `CodecOptions`. Each method's example is `$before`, the option's call,
/// `$middle`, the filters the dataset then lists, and `$after`.
#[rustfmt::skip] // rustfmt re-indents a multi-line `#[doc]` here on every run
macro_rules! plugin_codec_options {
    ($before:literal, $middle:literal, $after:literal) => {
        /// Compress chunks with LZF (filter 32000), h5py's built-in `compression='lzf'`:
        /// h5py reads it without plugins. A chunk LZF cannot shrink is stored as
        /// it is, as h5py's filter does.
        ///
        #[doc = concat!($before, ".lzf()", $middle, "[Filter::Lzf]", $after)]
        pub fn lzf(mut self) -> Self {
            self.opts.codecs.lzf = true;
            self
        }

        /// Compress chunks with LZ4 (filter 32004, hdf5plugin's `LZ4()`), or with
        /// [`bitshuffle`](Self::bitshuffle), put LZ4 inside bitshuffle (hdf5plugin's
        /// `Bitshuffle()`, the default there).
        ///
        #[doc = concat!($before, ".lz4()", $middle, "[Filter::Lz4]", $after)]
        pub fn lz4(mut self) -> Self {
            self.opts.codecs.lz4 = true;
            self
        }

        /// Bit-shuffle chunks (filter 32008, hdf5plugin's `Bitshuffle`): alone it
        /// only transposes the bits; with [`lz4`](Self::lz4) or
        /// [`zstd`](Self::zstd) the same filter also compresses them, as DECTRIS
        /// detectors write.
        ///
        #[doc = concat!($before, ".bitshuffle().lz4()", $middle, "[Filter::BitshuffleLz4]", $after)]
        pub fn bitshuffle(mut self) -> Self {
            self.opts.codecs.bitshuffle = true;
            self
        }

        /// Compress chunks with zstd (filter 32015, hdf5plugin's `Zstd(clevel)`),
        /// or inside [`bitshuffle`](Self::bitshuffle). `level` 1 to 22 is
        /// recorded as hdf5plugin does (levels out of range are refused by
        /// `create`); h5sink's own encoder does each level's work, like
        /// libzstd's levels in kind (docs/zstd-choice.md).
        ///
        #[doc = concat!($before, ".zstd(3)", $middle, "[Filter::Zstd(3)]", $after)]
        pub fn zstd(mut self, level: u8) -> Self {
            self.opts.codecs.zstd = Some(level);
            self
        }

        /// Compress chunks with Blosc (filter 32001, hdf5plugin's
        /// `Blosc(cname, clevel, shuffle)`): `codec` LZ4 or zstd, `level` 0 to 9
        /// (higher is refused by `create`), and a byte or bit shuffle of each block.
        ///
        #[doc = concat!($before, ".blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte)", $middle,
            "[Filter::Blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte)]", $after)]
        pub fn blosc(mut self, codec: BloscCodec, level: u8, shuffle: BloscShuffle) -> Self {
            self.opts.codecs.blosc = Some((codec, level, shuffle));
            self
        }
    };
}
pub(crate) use plugin_codec_options;

impl<T: H5Type> DatasetBuilder<T> {
    plugin_codec_options!(
        "```
# fn main() -> h5sink::Result<()> {
use h5sink::{BloscCodec, BloscShuffle, Filter};
let file = h5sink::File::in_memory()?;
let ds = file.new_dataset::<f32>().shape(&[1000]).chunk(&[300])",
        ".create(\"c\")?;
let data: Vec<f32> = (0..1000).map(|i| (i % 7) as f32).collect();
ds.write_raw(&data)?;
assert_eq!(ds.filters(), ",
        ");
assert_eq!(ds.read_raw::<f32>()?, data);
# Ok(()) }
```"
    );
}
