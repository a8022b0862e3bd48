//! Dataspace selections as HDF5 serializes them (spec: "Dataspace
//! Selection" in the Global Heap Block for Virtual Dataset section): "all",
//! hyperslabs (version 1 block lists, version 2 and 3 regular forms) and,
//! when read, point lists and "none". Spec notes:
//! `spec-notes/virtual-dataset.md` ("Selections").
//!
//! libhdf5 2.0 in a default file (h5py 3.16) writes a regular hyperslab as
//! a version 1 list of its blocks (32-bit coordinates), and switches to the
//! version 2 regular form (start, stride, count, block as 64-bit values)
//! when a count is unlimited or a coordinate needs more than 32 bits;
//! h5sink does the same.
//!
//! # Examples
//!
//! Rows 0..5 of a 10 x 4 dataset, as h5py's `layout[0:5]` stores it:
//!
//! ```
//! use h5sink::format::selection::{Hyperslab, Selection};
//!
//! let rows = Selection::Slab(Hyperslab::new(&[0, 0], &[5, 4]));
//! let mut out = Vec::new();
//! rows.encode(&mut out)?;
//! assert_eq!(out[..8], [2, 0, 0, 0, 1, 0, 0, 0]); // hyperslab, version 1
//! assert_eq!(out.len(), 16 + 24); // one block: (0,0)..=(4,3)
//! let back = Selection::decode(&mut h5sink::format::reader::Reader::new(&out, 0, "selection"))?;
//! assert_eq!(back, rows);
//! # Ok::<(), h5sink::Error>(())
//! ```

mod decode;
mod slab;

pub use slab::{Hyperslab, UNLIMITED};

use crate::error::{Error, Result};
use crate::format::field::len64;

/// Selection type codes of the serialized form.
const TYPE_NONE: u32 = 0;
const TYPE_POINTS: u32 = 1;
const TYPE_HYPERSLAB: u32 = 2;
const TYPE_ALL: u32 = 3;

/// Regular hyperslabs of more blocks than this are written in the compact
/// version 2 form rather than as a version 1 block list.
///
/// ```
/// use h5sink::format::selection::{Hyperslab, Selection, MAX_LISTED_BLOCKS};
/// let many = Hyperslab::new(&[0], &[1]).stride(&[2]).count(&[MAX_LISTED_BLOCKS + 1]);
/// let mut out = Vec::new();
/// Selection::Slab(many).encode(&mut out)?;
/// assert_eq!((out[4], out.len()), (2, 9 + 8 + 32)); // version 2: 49 bytes, not 8 MiB
/// # Ok::<(), h5sink::Error>(())
/// ```
pub const MAX_LISTED_BLOCKS: u64 = 1 << 20;

/// A selection of elements of a dataspace.
///
/// # Examples
///
/// ```
/// use h5sink::format::selection::{Hyperslab, Selection};
///
/// assert_eq!(Selection::All.elements(&[10, 4]), Some(40));
/// let odd = Selection::Slab(Hyperslab::new(&[1], &[1]).stride(&[2]).count(&[5]));
/// assert_eq!(odd.elements(&[10]), Some(5));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// No element.
    None,
    /// Every element of the extent.
    All,
    /// A regular hyperslab (any count may be [`UNLIMITED`]).
    Slab(Hyperslab),
    /// An irregular hyperslab: blocks given by their first and last
    /// coordinates (inclusive), as read from a file.
    Blocks(Vec<(Vec<u64>, Vec<u64>)>),
    /// Single elements, as read from a file.
    Points(Vec<Vec<u64>>),
}

impl Selection {
    /// Elements selected in an extent of `dims` (`None` when unlimited).
    ///
    /// ```
    /// use h5sink::format::selection::{Hyperslab, Selection, UNLIMITED};
    /// let grows = Selection::Slab(Hyperslab::new(&[0, 0], &[1, 4]).count(&[UNLIMITED, 1]));
    /// assert_eq!(grows.elements(&[5, 4]), None);
    /// assert_eq!(Selection::None.elements(&[5, 4]), Some(0));
    /// ```
    pub fn elements(&self, dims: &[u64]) -> Option<u64> {
        match self {
            Selection::None => Some(0),
            Selection::All => dims.iter().try_fold(1u64, |a, &d| a.checked_mul(d)),
            Selection::Slab(h) => h.elements(),
            Selection::Blocks(b) => b.iter().try_fold(0u64, |acc, (s, e)| {
                let n = s
                    .iter()
                    .zip(e)
                    .try_fold(1u64, |a, (&s, &e)| a.checked_mul(e.checked_sub(s)? + 1))?;
                acc.checked_add(n)
            }),
            Selection::Points(p) => Some(len64(p.len())),
        }
    }

    /// Append the serialized selection to `out`, in the version libhdf5
    /// writes into a default file (see the module docs).
    ///
    /// # Errors
    ///
    /// [`Error::FieldOverflow`] when a block list does not fit its 32-bit
    /// fields, [`Error::InvalidArgument`] for a rank above 32.
    ///
    /// ```
    /// use h5sink::format::selection::{Hyperslab, Selection, UNLIMITED};
    /// let mut all = Vec::new();
    /// Selection::All.encode(&mut all)?;
    /// assert_eq!(all, [3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    /// let mut grows = Vec::new();
    /// Selection::Slab(Hyperslab::new(&[3], &[1]).count(&[UNLIMITED])).encode(&mut grows)?;
    /// assert_eq!(grows[4..9], [2, 0, 0, 0, 1]); // version 2, regular
    /// assert_eq!(grows.len(), 9 + 4 + 4 + 32);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<()> {
        let u32s = |out: &mut Vec<u8>, v: &[u32]| {
            v.iter()
                .for_each(|x| out.extend_from_slice(&x.to_le_bytes()))
        };
        match self {
            Selection::None => u32s(out, &[TYPE_NONE, 1, 0, 0]),
            Selection::All => u32s(out, &[TYPE_ALL, 1, 0, 0]),
            Selection::Slab(h) => {
                let rank = rank32(h.rank())?;
                match h.listed_blocks() {
                    Some(blocks) => list_v1(out, rank, &blocks)?,
                    None => {
                        u32s(out, &[TYPE_HYPERSLAB, 2]);
                        out.push(1); // flags: regular
                        let len = 4 + 32 * u64::from(rank);
                        u32s(out, &[len as u32, rank]);
                        for d in 0..h.rank() {
                            for v in [h.start[d], h.stride[d], h.count[d], h.block[d]] {
                                out.extend_from_slice(&v.to_le_bytes());
                            }
                        }
                    }
                }
            }
            Selection::Blocks(blocks) => {
                let rank = blocks.first().map_or(0, |b| b.0.len());
                list_v1(out, rank32(rank)?, blocks)?
            }
            Selection::Points(points) => {
                let rank = rank32(points.first().map_or(0, Vec::len))?;
                let n = u32_of("point count", len64(points.len()))?;
                let len = points_len(rank, points.len())?;
                u32s(out, &[TYPE_POINTS, 1, 0, len, rank, n]);
                for p in points {
                    for &c in p {
                        u32s(out, &[u32_of("point coordinate", c)?]);
                    }
                }
            }
        }
        Ok(())
    }

    /// Decode one serialized selection (any version libhdf5 writes).
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] for truncated or inconsistent bytes,
    /// [`Error::Unsupported`] for versions h5sink does not know.
    ///
    /// ```
    /// use h5sink::format::{reader::Reader, selection::Selection};
    /// let all = [3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    /// assert_eq!(Selection::decode(&mut Reader::new(&all, 0, "selection"))?, Selection::All);
    /// assert!(Selection::decode(&mut Reader::new(&all[..9], 0, "selection")).is_err());
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn decode(r: &mut crate::format::reader::Reader<'_>) -> Result<Selection> {
        decode::decode(r)
    }
}

fn rank32(rank: usize) -> Result<u32> {
    if rank > crate::format::dataspace::MAX_RANK {
        return Err(Error::InvalidArgument {
            what: "selection rank",
            value: rank.to_string(),
            reason: "HDF5 allows at most 32 dimensions",
        });
    }
    Ok(rank as u32)
}

fn u32_of(field: &'static str, v: u64) -> Result<u32> {
    crate::format::field::u32_field(field, v)
}

fn points_len(rank: u32, n: usize) -> Result<u32> {
    let coords = crate::format::field::mul("point list size", len64(n), u64::from(rank))?;
    let bytes = crate::format::field::mul("point list size", coords, 4)?;
    u32_of("point list size", bytes.saturating_add(8))
}

/// A version 1 hyperslab: its blocks, first and last coordinates as u32.
fn list_v1(out: &mut Vec<u8>, rank: u32, blocks: &[(Vec<u64>, Vec<u64>)]) -> Result<()> {
    let n = u32_of("hyperslab block count", len64(blocks.len()))?;
    let body =
        crate::format::field::mul("hyperslab size", len64(blocks.len()), 8 * u64::from(rank))?;
    let len = u32_of("hyperslab size", body.saturating_add(8))?;
    for v in [TYPE_HYPERSLAB, 1, 0, len, rank, n] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for (s, e) in blocks {
        for &c in s.iter().chain(e) {
            out.extend_from_slice(&u32_of("hyperslab coordinate", c)?.to_le_bytes());
        }
    }
    Ok(())
}
