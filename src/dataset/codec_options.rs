//! The plugin compression options of [`DatasetBuilder`]: LZF, LZ4,
//! bitshuffle, zstd and Blosc (see `super::codecs`).

use super::builder::DatasetBuilder;
use super::codecs::{BloscCodec, BloscShuffle};
use crate::types::H5Type;

impl<T: H5Type> DatasetBuilder<T> {
    /// Compress chunks with LZF (filter 32000), h5py's built-in `compression='lzf'`:
    /// h5py reads it without plugins. A chunk LZF cannot shrink is stored as
    /// it is, as h5py's filter does.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{BloscCodec, BloscShuffle, Filter};
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[1000]).chunk(&[300]).lzf().create("c")?;
    /// let data: Vec<f32> = (0..1000).map(|i| (i % 7) as f32).collect();
    /// ds.write_raw(&data)?;
    /// assert_eq!(ds.filters(), [Filter::Lzf]);
    /// assert_eq!(ds.read_raw::<f32>()?, data);
    /// # Ok(()) }
    /// ```
    pub fn lzf(mut self) -> Self {
        self.opts.codecs.lzf = true;
        self
    }

    /// Compress chunks with LZ4 (filter 32004, hdf5plugin's `LZ4()`), or with
    /// [`bitshuffle`](Self::bitshuffle), put LZ4 inside bitshuffle (hdf5plugin's
    /// `Bitshuffle()`, the default there).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{BloscCodec, BloscShuffle, Filter};
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[1000]).chunk(&[300]).lz4().create("c")?;
    /// let data: Vec<f32> = (0..1000).map(|i| (i % 7) as f32).collect();
    /// ds.write_raw(&data)?;
    /// assert_eq!(ds.filters(), [Filter::Lz4]);
    /// assert_eq!(ds.read_raw::<f32>()?, data);
    /// # Ok(()) }
    /// ```
    pub fn lz4(mut self) -> Self {
        self.opts.codecs.lz4 = true;
        self
    }

    /// Bit-shuffle chunks (filter 32008, hdf5plugin's `Bitshuffle`): alone it
    /// only transposes the bits; with [`lz4`](Self::lz4) or
    /// [`zstd`](Self::zstd) the same filter also compresses them, as DECTRIS
    /// detectors write.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{BloscCodec, BloscShuffle, Filter};
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[1000]).chunk(&[300]).bitshuffle().lz4().create("c")?;
    /// let data: Vec<f32> = (0..1000).map(|i| (i % 7) as f32).collect();
    /// ds.write_raw(&data)?;
    /// assert_eq!(ds.filters(), [Filter::BitshuffleLz4]);
    /// assert_eq!(ds.read_raw::<f32>()?, data);
    /// # Ok(()) }
    /// ```
    pub fn bitshuffle(mut self) -> Self {
        self.opts.codecs.bitshuffle = true;
        self
    }

    /// Compress chunks with zstd (filter 32015, hdf5plugin's `Zstd(clevel)`),
    /// or inside [`bitshuffle`](Self::bitshuffle). `level` 1 to 22 is
    /// recorded as hdf5plugin does (levels out of range are refused by
    /// `create`); the pure-Rust encoder compresses at about zstd's level 1
    /// whatever the level (docs/zstd-choice.md).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{BloscCodec, BloscShuffle, Filter};
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[1000]).chunk(&[300]).zstd(3).create("c")?;
    /// let data: Vec<f32> = (0..1000).map(|i| (i % 7) as f32).collect();
    /// ds.write_raw(&data)?;
    /// assert_eq!(ds.filters(), [Filter::Zstd(3)]);
    /// assert_eq!(ds.read_raw::<f32>()?, data);
    /// # Ok(()) }
    /// ```
    pub fn zstd(mut self, level: u8) -> Self {
        self.opts.codecs.zstd = Some(level);
        self
    }

    /// Compress chunks with Blosc (filter 32001, hdf5plugin's
    /// `Blosc(cname, clevel, shuffle)`): `codec` LZ4 or zstd, `level` 0 to 9
    /// (higher is refused by `create`), and a byte or bit shuffle of each block.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{BloscCodec, BloscShuffle, Filter};
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[1000]).chunk(&[300]).blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte).create("c")?;
    /// let data: Vec<f32> = (0..1000).map(|i| (i % 7) as f32).collect();
    /// ds.write_raw(&data)?;
    /// assert_eq!(ds.filters(), [Filter::Blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte)]);
    /// assert_eq!(ds.read_raw::<f32>()?, data);
    /// # Ok(()) }
    /// ```
    pub fn blosc(mut self, codec: BloscCodec, level: u8, shuffle: BloscShuffle) -> Self {
        self.opts.codecs.blosc = Some((codec, level, shuffle));
        self
    }
}
