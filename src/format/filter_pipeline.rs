//! Filter Pipeline message (type 0x000B), version 1, for the filters h5sink
//! applies: deflate, shuffle and Fletcher-32, and the registered plugin
//! filters LZF, LZ4, bitshuffle, zstd and Blosc (their ids, names and client
//! data in [`plugin`]). Spec notes: `spec-notes/filter-pipeline.md`,
//! `spec-notes/plugin-filters.md`.
//!
//! # Examples
//!
//! h5py's pipeline for `compression='gzip', compression_opts=4,
//! shuffle=True, fletcher32=True` on int32, placed in an object header:
//!
//! ```
//! use h5sink::format::filter_pipeline::{encode_v1, Filter, MESSAGE_FLAGS, MESSAGE_TYPE};
//! use h5sink::format::object_header::{self, Message};
//!
//! let body = encode_v1(&[
//!     Filter::Shuffle { element_size: 4 },
//!     Filter::Deflate { level: 4 },
//!     Filter::Fletcher32,
//! ])?;
//! assert_eq!((body[0], body[1], body.len()), (1, 3, 80)); // version 1, 3 filters
//! let msg = Message { kind: MESSAGE_TYPE, flags: MESSAGE_FLAGS, body: &body };
//! let mut header = Vec::new();
//! object_header::encode(&mut header, &[msg])?;
//! // After the 16-byte prefix: type 0x000B, size 80, flags 1 (constant).
//! assert_eq!(header[16..21], [0x0b, 0, 80, 0, 1]);
//! assert_eq!(header[24..], body[..]);
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::field::len64;
use crate::error::{Error, Result};

/// Object header message type of the Filter Pipeline message.
///
/// # Examples
///
/// ```
/// use h5sink::format::filter_pipeline::{encode_v1, MESSAGE_FLAGS, MESSAGE_TYPE};
/// use h5sink::format::object_header::{self, Message};
///
/// let body = encode_v1(&[])?;
/// let msg = Message { kind: MESSAGE_TYPE, flags: MESSAGE_FLAGS, body: &body };
/// let mut header = Vec::new();
/// object_header::encode(&mut header, &[msg])?;
/// assert_eq!(header[16..18], [0x0b, 0x00]); // the message's type field
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MESSAGE_TYPE: u16 = 0x000B;
/// libhdf5 (and so h5py) marks the Filter Pipeline message constant
/// (message flag bit 0) in dataset headers.
///
/// # Examples
///
/// ```
/// use h5sink::format::filter_pipeline::{encode_v1, Filter, MESSAGE_FLAGS, MESSAGE_TYPE};
/// use h5sink::format::object_header::{self, Message, FLAG_CONSTANT};
///
/// assert_eq!(MESSAGE_FLAGS, FLAG_CONSTANT);
/// let body = encode_v1(&[Filter::Fletcher32])?;
/// let msg = Message { kind: MESSAGE_TYPE, flags: MESSAGE_FLAGS, body: &body };
/// let mut header = Vec::new();
/// object_header::encode(&mut header, &[msg])?;
/// assert_eq!(header[20], 0x01); // the message's flags byte
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MESSAGE_FLAGS: u8 = 0x01;
/// The most filters one pipeline holds (libhdf5's `H5Z_MAX_NFILTERS`).
///
/// # Examples
///
/// ```
/// use h5sink::format::filter_pipeline::{encode_v1, Filter, MAX_FILTERS};
///
/// // 32 Fletcher-32 entries of 24 bytes each after the 8-byte header.
/// let full = encode_v1(&vec![Filter::Fletcher32; MAX_FILTERS])?;
/// assert_eq!((full[1], full.len()), (32, 8 + 32 * 24));
/// let err = encode_v1(&vec![Filter::Fletcher32; MAX_FILTERS + 1]);
/// assert!(matches!(err, Err(h5sink::Error::FieldOverflow { value: 33, max: 32, .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MAX_FILTERS: usize = 32;
/// The highest deflate level zlib (and so libhdf5) accepts.
///
/// # Examples
///
/// ```
/// use h5sink::format::filter_pipeline::{encode_v1, Filter, MAX_DEFLATE_LEVEL};
///
/// let body = encode_v1(&[Filter::Deflate { level: MAX_DEFLATE_LEVEL }])?;
/// assert_eq!(body[24..28], [9, 0, 0, 0]); // the level, as client data
/// let err = encode_v1(&[Filter::Deflate { level: MAX_DEFLATE_LEVEL + 1 }]);
/// assert!(matches!(err, Err(h5sink::Error::InvalidArgument { what: "deflate level", .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MAX_DEFLATE_LEVEL: u32 = 9;

/// Filter flag bit 0: the filter is optional (a chunk may skip it).
const FLAG_OPTIONAL: u16 = 0x0001;

/// One filter of a dataset's pipeline, applied in list order on write.
///
/// # Examples
///
/// ```
/// use h5sink::format::filter_pipeline::Filter;
///
/// let h5py_order = [
///     Filter::Shuffle { element_size: 8 },
///     Filter::Deflate { level: 4 },
///     Filter::Fletcher32,
/// ];
/// let ids: Vec<u16> = h5py_order.iter().map(Filter::id).collect();
/// assert_eq!(ids, [2, 1, 3]);
/// assert!(h5py_order.iter().all(|f| f.validate().is_ok()));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Filter {
    /// zlib-wrapped deflate (filter 1, "deflate"), `level` 0..=9.
    Deflate {
        /// Compression level, 0 (store) to 9 (smallest).
        level: u32,
    },
    /// Byte shuffle (filter 2, "shuffle") over elements of `element_size`
    /// bytes: all first bytes, then all second bytes, and so on.
    Shuffle {
        /// Bytes per element (the datatype size), at least 1.
        element_size: u32,
    },
    /// The shuffle filter as libhdf5 records it for variable-length data
    /// (h5py's `shuffle=True` on a string dataset): filter 2 with no client
    /// data, which every chunk skips (its bit in the chunk's filter mask is
    /// set), so the heap references are stored unshuffled.
    ShuffleSkipped,
    /// Fletcher-32 checksum appended to each chunk (filter 3, "fletcher32").
    Fletcher32,
    /// h5py's LZF (filter 32000); client data `[4, 261, chunk_bytes]`.
    #[allow(missing_docs)] // the uncompressed chunk size in bytes
    Lzf { chunk_bytes: u32 },
    /// The HDF5 LZ4 filter (32004); client data `[block_size]`.
    #[allow(missing_docs)] // bytes per LZ4 block, 0 for the default (1 GiB)
    Lz4 { block_size: u32 },
    /// Bitshuffle (32008), alone or with LZ4 or zstd inside; client data
    /// `[0, 4, element_size, block_size, compression]`, then the zstd level.
    Bitshuffle {
        /// Bytes per element.
        element_size: u32,
        /// Elements per block, 0 for bitshuffle's default.
        block_size: u32,
        /// 0 none, 2 LZ4, 3 zstd.
        compression: u32,
        /// The zstd level (0 otherwise).
        level: u32,
    },
    /// The HDF5 zstd filter (32015); client data `[level]`.
    #[allow(missing_docs)] // compression level, 1 to 22
    Zstd { level: u32 },
    /// Blosc (32001); client data `[2, 2, element_size, chunk_bytes, level, shuffle, codec]`.
    Blosc {
        /// Bytes per element (Blosc's type size).
        element_size: u32,
        /// The uncompressed chunk size in bytes.
        chunk_bytes: u32,
        /// Compression level, 0 to 9.
        level: u32,
        /// 0 none, 1 byte shuffle, 2 bit shuffle.
        shuffle: u32,
        /// 1 LZ4, 5 zstd (Blosc's compressor codes).
        codec: u32,
    },
}

impl Filter {
    /// The filter identification number (HDF5's `H5Z_FILTER_*`).
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::filter_pipeline::{encode_v1, Filter};
    ///
    /// let shuffle = Filter::Shuffle { element_size: 4 };
    /// assert_eq!(shuffle.id(), 2); // H5Z_FILTER_SHUFFLE
    /// let body = encode_v1(&[shuffle])?;
    /// assert_eq!(body[8..10], shuffle.id().to_le_bytes()); // first field of the entry
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn id(&self) -> u16 {
        match self {
            Filter::Deflate { .. } => 1,
            Filter::Shuffle { .. } | Filter::ShuffleSkipped => 2,
            Filter::Fletcher32 => 3,
            _ => plugin::id(self),
        }
    }

    /// The filter name libhdf5 writes into the message (NUL not included).
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::filter_pipeline::{encode_v1, Filter};
    ///
    /// assert_eq!(Filter::Fletcher32.name(), "fletcher32");
    /// let body = encode_v1(&[Filter::Fletcher32])?;
    /// // 10 bytes + NUL, padded to 16: the name length field says 16.
    /// assert_eq!(body[10..12], [16, 0]);
    /// assert_eq!(body[16..32], *b"fletcher32\0\0\0\0\0\0");
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Filter::Deflate { .. } => "deflate",
            Filter::Shuffle { .. } | Filter::ShuffleSkipped => "shuffle",
            Filter::Fletcher32 => "fletcher32",
            _ => plugin::name(self),
        }
    }

    /// Whether libhdf5 marks the filter optional: deflate and shuffle are
    /// (`H5Pset_deflate`, `H5Pset_shuffle`), and so are the plugin filters
    /// as h5py and hdf5plugin add them; Fletcher-32 is mandatory.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::filter_pipeline::{encode_v1, Filter};
    ///
    /// let deflate = Filter::Deflate { level: 4 };
    /// assert!(deflate.is_optional() && !Filter::Fletcher32.is_optional());
    /// // The flags field (bit 0 = optional) follows the id and name length.
    /// assert_eq!(encode_v1(&[deflate])?[12..14], [1, 0]);
    /// assert_eq!(encode_v1(&[Filter::Fletcher32])?[12..14], [0, 0]);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn is_optional(&self) -> bool {
        !matches!(self, Filter::Fletcher32)
    }

    /// The client data values stored with the filter.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::filter_pipeline::{encode_v1, Filter};
    ///
    /// let shuffle = Filter::Shuffle { element_size: 8 }; // float64
    /// assert_eq!(shuffle.client_data(), [8]);
    /// let body = encode_v1(&[shuffle])?;
    /// assert_eq!(body[14..16], [1, 0]); // number of values
    /// assert_eq!(body[24..32], [8, 0, 0, 0, 0, 0, 0, 0]); // the value, padded to 8
    /// assert!(Filter::Fletcher32.client_data().is_empty());
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn client_data(&self) -> Vec<u32> {
        match *self {
            Filter::Deflate { level } => vec![level],
            Filter::Shuffle { element_size } => vec![element_size],
            Filter::Fletcher32 | Filter::ShuffleSkipped => Vec::new(),
            _ => plugin::client_data(self),
        }
    }

    /// Check the parameters as libhdf5 does before it applies the filter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a deflate level above 9, a shuffle
    /// element size of 0, or a plugin filter setting out of range
    /// ([`plugin`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::filter_pipeline::Filter;
    /// use h5sink::Error;
    ///
    /// Filter::Deflate { level: 9 }.validate()?;
    /// Filter::Shuffle { element_size: 1 }.validate()?;
    /// let bad_level = Filter::Deflate { level: 10 }.validate();
    /// assert!(matches!(bad_level, Err(Error::InvalidArgument { what: "deflate level", .. })));
    /// let bad_size = Filter::Shuffle { element_size: 0 }.validate();
    /// assert!(matches!(
    ///     bad_size,
    ///     Err(Error::InvalidArgument { what: "shuffle element size", .. })
    /// ));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        match *self {
            Filter::Deflate { level } if level > MAX_DEFLATE_LEVEL => Err(Error::InvalidArgument {
                what: "deflate level",
                value: level.to_string(),
                reason: "zlib levels run from 0 to 9",
            }),
            Filter::Shuffle { element_size: 0 } => Err(Error::InvalidArgument {
                what: "shuffle element size",
                value: "0".to_string(),
                reason: "the element size must be at least 1 byte",
            }),
            _ => plugin::validate(self),
        }
    }
}

/// Check a whole pipeline: at most [`MAX_FILTERS`] filters, each valid.
///
/// # Errors
///
/// [`Error::FieldOverflow`] for more than 32 filters, else the first
/// [`Filter::validate`] error.
///
/// # Examples
///
/// ```
/// use h5sink::format::filter_pipeline::{validate, Filter, MAX_FILTERS};
/// use h5sink::Error;
///
/// validate(&[Filter::Shuffle { element_size: 4 }, Filter::Deflate { level: 4 }])?;
/// let bad = validate(&[Filter::Fletcher32, Filter::Shuffle { element_size: 0 }]);
/// assert!(matches!(bad, Err(Error::InvalidArgument { what: "shuffle element size", .. })));
/// let too_many = validate(&[Filter::Fletcher32; MAX_FILTERS + 1]);
/// assert!(matches!(too_many, Err(Error::FieldOverflow { max: 32, .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn validate(filters: &[Filter]) -> Result<()> {
    if filters.len() > MAX_FILTERS {
        return Err(Error::FieldOverflow {
            field: "filter pipeline filter count",
            value: len64(filters.len()),
            max: len64(MAX_FILTERS),
        });
    }
    filters.iter().try_for_each(Filter::validate)
}

/// Body of a version 1 Filter Pipeline message, as libhdf5 writes it for
/// h5py: `version 1, number of filters, 6 reserved bytes`, then for each
/// filter `id u16, name length u16, flags u16, number of values u16`, the
/// name NUL-terminated and padded to 8 (the length field holds the padded
/// size), the values as u32, and 4 zero bytes when their count is odd.
///
/// The body is a multiple of 8 bytes. Write it with [`MESSAGE_FLAGS`].
///
/// # Errors
///
/// As [`validate`].
///
/// # Examples
///
/// h5py 3.16's message for `compression='gzip', compression_opts=4`:
///
/// ```
/// use h5sink::format::filter_pipeline::{encode_v1, Filter};
///
/// let body = encode_v1(&[Filter::Deflate { level: 4 }])?;
/// assert_eq!(body[..8], [1, 1, 0, 0, 0, 0, 0, 0]); // version 1, 1 filter
/// // id 1, name length 8, flags 1 (optional), 1 client value
/// assert_eq!(body[8..16], [1, 0, 8, 0, 1, 0, 1, 0]);
/// assert_eq!(body[16..24], *b"deflate\0");
/// assert_eq!(body[24..32], [4, 0, 0, 0, 0, 0, 0, 0]); // level 4, then padding
/// assert_eq!(body.len(), 32);
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn encode_v1(filters: &[Filter]) -> Result<Vec<u8>> {
    validate(filters)?;
    let mut out = Vec::with_capacity(8 + 32 * filters.len());
    // Validated: at most 32 filters.
    out.extend_from_slice(&[1, filters.len() as u8, 0, 0, 0, 0, 0, 0]);
    for filter in filters {
        let name = filter.name().as_bytes();
        // Name plus NUL, padded to 8: at most 16 bytes for these names.
        let name_len = (name.len() + 1).div_ceil(8) * 8;
        let values = filter.client_data();
        let flags = if filter.is_optional() {
            FLAG_OPTIONAL
        } else {
            0
        };
        out.extend_from_slice(&filter.id().to_le_bytes());
        out.extend_from_slice(&(name_len as u16).to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&(values.len() as u16).to_le_bytes());
        out.extend_from_slice(name);
        out.resize(out.len() + name_len - name.len(), 0);
        for v in &values {
            out.extend_from_slice(&v.to_le_bytes());
        }
        if values.len() % 2 == 1 {
            out.extend_from_slice(&[0; 4]);
        }
    }
    Ok(out)
}

pub mod decode;
pub mod plugin;

#[cfg(test)]
mod tests;
