//! Decoding the Data Layout message (type 0x0008) from untrusted bytes:
//! version 3 (and the same compact and contiguous classes in versions 4
//! and 5). Spec notes: `spec-notes/layout.md` ("What we read").
//!
//! # Examples
//!
//! ```
//! use h5sink::format::layout::{self, decode::Layout};
//!
//! let body = layout::contiguous(0x800, 12);
//! let got = Layout::decode(&body, 0, 0x80c)?;
//! assert_eq!(got, Layout::Contiguous { address: Some(0x800), size: 12 });
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::chunked::{self, Chunked};
use crate::error::{Error, Result};
use crate::format::reader::Reader;

const STRUCTURE: &str = "data layout message";

/// A decoded Data Layout message: where a dataset's raw data is.
///
/// # Examples
///
/// h5py 3.16's compact int32 `[0, 1, 2, 3]`:
///
/// ```
/// use h5sink::format::layout::{compact, decode::Layout};
///
/// let data: Vec<u8> = (0i32..4).flat_map(i32::to_le_bytes).collect();
/// assert_eq!(Layout::decode(&compact(&data)?, 0, 4096)?, Layout::Compact(data));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The raw data itself, held in the message.
    Compact(Vec<u8>),
    /// One block of `size` bytes at `address` (`None`: not allocated).
    Contiguous {
        /// File address of the data, below the end of the file.
        address: Option<u64>,
        /// Bytes of data.
        size: u64,
    },
    /// Chunks indexed by a version 1 B-tree.
    Chunked(Chunked),
    /// A virtual dataset (version 4, class 3): its mapping list is object
    /// `index` of the global heap collection at `collection`
    /// (see [`vds`](crate::format::vds)).
    Virtual {
        /// Address of the global heap collection (`None`: no mappings).
        collection: Option<u64>,
        /// Index of the mapping list object in it.
        index: u32,
    },
}

fn unsupported(at: u64, detail: String) -> Error {
    Error::Unsupported {
        structure: STRUCTURE,
        offset: at,
        detail,
    }
}

impl Layout {
    /// Decode a Data Layout message body read at file offset `base` in a
    /// file of `eof` bytes (every address must be below it, and allocated
    /// contiguous data must end by it). Trailing bytes are ignored.
    ///
    /// # Errors
    ///
    /// - [`Error::Malformed`]: truncation, version 0 or class above 3, a
    ///   virtual class in version 3, an address at or past `eof`, data
    ///   past `eof`, a chunked dimensionality outside 2..=33, a zero chunk
    ///   dimension or element size, a chunk of 4 GiB or more;
    /// - [`Error::Unsupported`]: versions 1 and 2 (HDF5 1.4 to 1.6),
    ///   versions 4 and 5 chunked layouts (their index type is named:
    ///   single chunk, implicit, fixed array, extensible array, version 2
    ///   B-tree), versions above 5.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::layout::decode::Layout;
    /// use h5sink::Error;
    ///
    /// // HDF5 2.0 (`libver='latest'`), chunks=(4,) of i4 with maxshape=(4,):
    /// // version 4, chunked, indexed as a single chunk.
    /// let body = [4, 2, 0, 2, 1, 4, 4, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    /// let e = Layout::decode(&body, 0, 4096).unwrap_err();
    /// assert!(matches!(&e, Error::Unsupported { detail, .. } if detail.contains("single chunk")));
    /// // A contiguous block that ends past the end of the file.
    /// let body = h5sink::format::layout::contiguous(0x800, 12);
    /// assert!(matches!(Layout::decode(&body, 0, 0x808), Err(Error::Malformed { .. })));
    /// ```
    pub fn decode(body: &[u8], base: u64, eof: u64) -> Result<Layout> {
        let mut r = Reader::new(body, base, STRUCTURE);
        let version = r.u8()?;
        match version {
            1 | 2 => {
                let detail = format!("data layout version {version} (HDF5 1.4 to 1.6 files)");
                return Err(unsupported(base, detail + "; h5sink reads version 3"));
            }
            3..=5 => {}
            0 => return Err(r.error("version 0")),
            v => {
                return Err(unsupported(
                    base,
                    format!("data layout version {v}; h5sink reads version 3"),
                ))
            }
        }
        let class = r.u8()?;
        match class {
            0 => {
                let size = usize::from(r.u16()?);
                Ok(Layout::Compact(r.bytes(size)?.to_vec()))
            }
            1 => {
                let at = r.offset();
                let address = r.address(eof)?;
                let size = r.u64()?;
                if let Some(a) = address {
                    if a.checked_add(size).map_or(true, |end| end > eof) {
                        return Err(Error::Malformed {
                            structure: STRUCTURE,
                            offset: at,
                            reason: format!(
                                "{size} bytes at address {a} reach past the end of the file ({eof} bytes)"
                            ),
                        });
                    }
                }
                Ok(Layout::Contiguous { address, size })
            }
            2 if version == 3 => Ok(Layout::Chunked(chunked::read_v3(&mut r, eof)?)),
            2 => Err(new_index(&mut r, version)),
            3 if version >= 4 => {
                let collection = r.address(eof)?;
                let index = r.u32()?;
                Ok(Layout::Virtual { collection, index })
            }
            c => Err(r.error(format!("layout class {c} in version {version}"))),
        }
    }
}

/// The error for a version 4 or 5 chunked layout: Unsupported naming its
/// chunk index, or Malformed if the bytes before the index type are bad.
fn new_index(r: &mut Reader<'_>, version: u8) -> Error {
    let at = r.offset();
    let index = (|| -> Result<u8> {
        r.skip(1)?; // flags
        let ndims = usize::from(r.u8()?);
        let width = usize::from(r.u8()?);
        if !(1..=8).contains(&width) || ndims > crate::format::dataspace::MAX_RANK + 1 {
            return Err(r.error(format!("{ndims} chunk dimensions of {width} bytes")));
        }
        r.skip(ndims * width)?;
        r.u8()
    })();
    let name = match index {
        Err(e) => return e,
        Ok(1) => "single chunk",
        Ok(2) => "implicit",
        Ok(3) => "fixed array",
        Ok(4) => "extensible array",
        Ok(5) => "version 2 B-tree",
        Ok(i) => return r.error(format!("chunk index type {i}, expected 1 to 5")),
    };
    unsupported(
        at,
        format!("a version {version} chunked layout indexed by {name} (index type {}); h5sink reads version 3 chunked layouts (version 1 B-tree index)", index.unwrap_or(0)),
    )
}

#[cfg(test)]
mod tests;
