//! The plugin compression options of [`DatasetWriterBuilder`]: LZF, LZ4,
//! bitshuffle, zstd and Blosc, as on `DatasetBuilder` (chunks compress on
//! the writer's worker threads like deflate's).

use super::builder::DatasetWriterBuilder;
use crate::dataset::codecs::{BloscCodec, BloscShuffle};
use crate::types::Element;

impl<T: Element> DatasetWriterBuilder<T> {
    /// Compress chunks with LZF (filter 32000), h5py's built-in `compression='lzf'`:
    /// h5py reads it without plugins. A chunk LZF cannot shrink is stored as
    /// it is, as h5py's filter does.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{BloscCodec, BloscShuffle, Filter};
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wlzf-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 8]).lzf().create()?;
    /// w.add(&[1.5f32; 10 * 8], &[0i64; 10])?;
    /// w.close()?;
    /// let file = h5sink::File::open(&path)?;
    /// assert_eq!(file.dataset("images")?.filters(), [Filter::Lzf]);
    /// assert_eq!(file.dataset("images")?.read_raw::<f32>()?[..80], [1.5f32; 80]);
    /// # drop(file);
    /// # std::fs::remove_file(&path).unwrap();
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
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wlz4-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 8]).lz4().create()?;
    /// w.add(&[1.5f32; 10 * 8], &[0i64; 10])?;
    /// w.close()?;
    /// let file = h5sink::File::open(&path)?;
    /// assert_eq!(file.dataset("images")?.filters(), [Filter::Lz4]);
    /// assert_eq!(file.dataset("images")?.read_raw::<f32>()?[..80], [1.5f32; 80]);
    /// # drop(file);
    /// # std::fs::remove_file(&path).unwrap();
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
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wbitshuffle-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 8]).bitshuffle().lz4().create()?;
    /// w.add(&[1.5f32; 10 * 8], &[0i64; 10])?;
    /// w.close()?;
    /// let file = h5sink::File::open(&path)?;
    /// assert_eq!(file.dataset("images")?.filters(), [Filter::BitshuffleLz4]);
    /// assert_eq!(file.dataset("images")?.read_raw::<f32>()?[..80], [1.5f32; 80]);
    /// # drop(file);
    /// # std::fs::remove_file(&path).unwrap();
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
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wzstd-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 8]).zstd(3).create()?;
    /// w.add(&[1.5f32; 10 * 8], &[0i64; 10])?;
    /// w.close()?;
    /// let file = h5sink::File::open(&path)?;
    /// assert_eq!(file.dataset("images")?.filters(), [Filter::Zstd(3)]);
    /// assert_eq!(file.dataset("images")?.read_raw::<f32>()?[..80], [1.5f32; 80]);
    /// # drop(file);
    /// # std::fs::remove_file(&path).unwrap();
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
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wblosc-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 8]).blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte).create()?;
    /// w.add(&[1.5f32; 10 * 8], &[0i64; 10])?;
    /// w.close()?;
    /// let file = h5sink::File::open(&path)?;
    /// assert_eq!(file.dataset("images")?.filters(), [Filter::Blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte)]);
    /// assert_eq!(file.dataset("images")?.read_raw::<f32>()?[..80], [1.5f32; 80]);
    /// # drop(file);
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn blosc(mut self, codec: BloscCodec, level: u8, shuffle: BloscShuffle) -> Self {
        self.opts.codecs.blosc = Some((codec, level, shuffle));
        self
    }
}
