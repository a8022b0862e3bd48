//! The public names of a dataset's storage, in hdf5-metno's vocabulary:
//! [`Layout`] (compact, contiguous or chunked) and [`Filter`] (the chunk
//! filters h5sink writes and reads). Their `Display` is the text
//! `h5sink ls` prints.

use std::fmt;

use super::codecs::{BloscCodec, BloscShuffle};
use crate::format::filter_pipeline::Filter as Stored;

/// How a dataset's data is stored (hdf5-metno's `Layout`).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// use h5sink::Layout;
/// let file = h5sink::File::in_memory()?;
/// let small = file.new_dataset::<i32>().shape(&[4]).compact().create("small")?;
/// let grid = file.new_dataset::<f64>().shape(&[2, 3]).create("grid")?;
/// let grow = file.new_dataset::<u8>().shape(&[0]).resizable().create("grow")?;
/// assert_eq!((small.layout(), grid.layout(), grow.layout()),
///            (Layout::Compact, Layout::Contiguous, Layout::Chunked));
/// assert_eq!(Layout::Chunked.to_string(), "chunked");
/// assert_eq!(Layout::Virtual.to_string(), "virtual");
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Layout {
    /// The data sits in the object header (at most 64 KiB).
    Compact,
    /// The data is one block of the file.
    Contiguous,
    /// The data is split into chunks, each stored (and filtered) on its own.
    Chunked,
    /// The data lives in other datasets, mapped by a
    /// [`VirtualLayout`](crate::VirtualLayout) (h5py's virtual datasets).
    Virtual,
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::Compact => "compact",
            Layout::Contiguous => "contiguous",
            Layout::Chunked => "chunked",
            Layout::Virtual => "virtual",
        })
    }
}

/// A filter of a chunked dataset's pipeline (hdf5-metno's `Filter`), in
/// the order they are applied on write.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// use h5sink::Filter;
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<f32>().shape(&[100]).shuffle().deflate(4).fletcher32().create("x")?;
/// assert_eq!(ds.filters(), [Filter::Shuffle, Filter::Deflate(4), Filter::Fletcher32]);
/// let text: Vec<String> = ds.filters().iter().map(|f| f.to_string()).collect();
/// assert_eq!(text, ["shuffle", "deflate(4)", "fletcher32"]);
/// // Plugin filters print with hdf5plugin's names, as `h5sink ls` shows them.
/// use h5sink::{BloscCodec, BloscShuffle};
/// assert_eq!(Filter::BitshuffleZstd(3).to_string(), "bitshuffle(zstd(3))");
/// assert_eq!(Filter::Blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte).to_string(), "blosc(lz4, 5, shuffle)");
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Filter {
    /// Byte shuffle (HDF5 filter 2): all first bytes of the elements, then
    /// all second bytes, and so on. On a string dataset libhdf5 records it
    /// but skips it for every chunk; it is listed all the same, as h5py
    /// lists `shuffle=True`.
    Shuffle,
    /// zlib deflate (HDF5 filter 1, h5py's `gzip`) at a level 0 to 9.
    Deflate(u8),
    /// A Fletcher-32 checksum after each chunk (HDF5 filter 3).
    Fletcher32,
    /// LZF (filter 32000, h5py's `compression='lzf'`).
    Lzf,
    /// LZ4 (filter 32004).
    Lz4,
    /// Bitshuffle alone (filter 32008, no compression inside).
    Bitshuffle,
    /// Bitshuffle with LZ4 inside (filter 32008).
    BitshuffleLz4,
    /// Bitshuffle with zstd inside at a level (filter 32008).
    BitshuffleZstd(u8),
    /// zstd at a level (filter 32015).
    Zstd(u8),
    /// Blosc (filter 32001): compressor, level, shuffle.
    Blosc(BloscCodec, u8, BloscShuffle),
}

impl Filter {
    /// The public name of a filter of the model.
    pub(crate) fn of(f: &Stored) -> Filter {
        match *f {
            Stored::Shuffle { .. } | Stored::ShuffleSkipped => Filter::Shuffle,
            // Levels are 0..=9 (checked when written and when decoded).
            Stored::Deflate { level } => Filter::Deflate(u8::try_from(level).unwrap_or(u8::MAX)),
            Stored::Fletcher32 => Filter::Fletcher32,
            Stored::Lzf { .. } => Filter::Lzf,
            Stored::Lz4 { .. } => Filter::Lz4,
            Stored::Bitshuffle {
                compression, level, ..
            } => match compression {
                2 => Filter::BitshuffleLz4,
                3 => Filter::BitshuffleZstd(small(level)),
                _ => Filter::Bitshuffle,
            },
            Stored::Zstd { level } => Filter::Zstd(small(level)),
            Stored::Blosc {
                level,
                shuffle,
                codec,
                ..
            } => Filter::Blosc(
                if codec == 5 {
                    BloscCodec::Zstd
                } else {
                    BloscCodec::Lz4
                },
                small(level),
                match shuffle {
                    0 => BloscShuffle::None,
                    1 => BloscShuffle::Byte,
                    _ => BloscShuffle::Bit,
                },
            ),
        }
    }
}

/// A level known to be small (checked when written and when decoded).
fn small(level: u32) -> u8 {
    u8::try_from(level).unwrap_or(u8::MAX)
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Shuffle => f.write_str("shuffle"),
            Filter::Deflate(level) => write!(f, "deflate({level})"),
            Filter::Fletcher32 => f.write_str("fletcher32"),
            Filter::Lzf => f.write_str("lzf"),
            Filter::Lz4 => f.write_str("lz4"),
            Filter::Bitshuffle => f.write_str("bitshuffle"),
            Filter::BitshuffleLz4 => f.write_str("bitshuffle(lz4)"),
            Filter::BitshuffleZstd(level) => write!(f, "bitshuffle(zstd({level}))"),
            Filter::Zstd(level) => write!(f, "zstd({level})"),
            Filter::Blosc(codec, level, shuffle) => {
                // hdf5plugin's names for the codecs and Blosc's shuffles.
                let codec = match codec {
                    BloscCodec::Lz4 => "lz4",
                    BloscCodec::Zstd => "zstd",
                };
                let shuffle = match shuffle {
                    BloscShuffle::None => "noshuffle",
                    BloscShuffle::Byte => "shuffle",
                    BloscShuffle::Bit => "bitshuffle",
                };
                write!(f, "blosc({codec}, {level}, {shuffle})")
            }
        }
    }
}
