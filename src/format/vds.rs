//! Virtual datasets: the Data Layout message of class 3 (version 4) and the
//! global heap object holding the mapping list. Spec: "Data Layout
//! Message" (version 4, virtual storage) and "Global Heap Block for Virtual
//! Dataset". Spec notes: `spec-notes/virtual-dataset.md`.
//!
//! # Examples
//!
//! h5py 3.16's `layout[0:5] = h5py.VirtualSource("src.h5", "x", (5, 4))`
//! in a 10 x 4 layout: 78 bytes, checksum last.
//!
//! ```
//! use h5sink::format::selection::{Hyperslab, Selection};
//! use h5sink::format::vds::{decode, encode, Mapping};
//!
//! let m = Mapping {
//!     file: "src.h5".into(),
//!     dataset: "x".into(),
//!     source: Selection::All,
//!     target: Selection::Slab(Hyperslab::new(&[0, 0], &[5, 4])),
//! };
//! let bytes = encode(std::slice::from_ref(&m))?;
//! assert_eq!(bytes.len(), 78);
//! assert_eq!(bytes[..9], [0, 1, 0, 0, 0, 0, 0, 0, 0]); // version 0, one mapping
//! assert_eq!(bytes[74..], [0xfb, 0x18, 0xc3, 0x9c]); // as libhdf5 2.0 wrote it
//! assert_eq!(decode(&bytes, 0)?, vec![m]);
//! # Ok::<(), h5sink::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::format::field::len64;
use crate::format::lookup3;
use crate::format::reader::Reader;
use crate::format::selection::Selection;

const STRUCTURE: &str = "virtual dataset mapping list";

/// Layout class of virtual storage.
///
/// ```
/// use h5sink::format::vds::{layout_body, CLASS_VIRTUAL};
/// assert_eq!(layout_body(0x800, 1)[1], CLASS_VIRTUAL);
/// ```
pub const CLASS_VIRTUAL: u8 = 3;

/// One mapping: the elements `source` of dataset `dataset` in file `file`
/// (`"."`: the file holding the virtual dataset) appear at `target` of the
/// virtual dataset, in the order each selection lists them.
///
/// ```
/// use h5sink::format::{selection::Selection, vds::Mapping};
/// let m = Mapping { file: ".".into(), dataset: "/a".into(), source: Selection::All, target: Selection::All };
/// assert_eq!(m.file, ".");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// The source file name as stored (`"."` for the same file).
    pub file: String,
    /// The source dataset's path in that file.
    pub dataset: String,
    /// The elements taken from the source dataset.
    pub source: Selection,
    /// Where they go in the virtual dataset.
    pub target: Selection,
}

/// The global heap object holding `mappings`: version 0, the count as an
/// 8-byte length, each mapping (file name and dataset name NUL-terminated,
/// source then virtual selection), and the lookup3 checksum of it all.
///
/// # Errors
///
/// [`Error::InvalidArgument`] for a name holding a NUL byte; the errors of
/// [`Selection::encode`].
///
/// ```
/// use h5sink::format::{selection::Selection, vds::{encode, Mapping}};
/// let bad = Mapping { file: "a\0b".into(), dataset: "x".into(), source: Selection::All, target: Selection::All };
/// assert!(matches!(encode(&[bad]), Err(h5sink::Error::InvalidArgument { .. })));
/// ```
pub fn encode(mappings: &[Mapping]) -> Result<Vec<u8>> {
    let mut out = vec![0u8];
    out.extend_from_slice(&len64(mappings.len()).to_le_bytes());
    for m in mappings {
        for (what, name) in [
            ("source file name", &m.file),
            ("source dataset name", &m.dataset),
        ] {
            if name.as_bytes().contains(&0) {
                return Err(Error::InvalidArgument {
                    what,
                    value: name.clone(),
                    reason: "it holds a NUL byte, which ends names in the mapping list",
                });
            }
            out.extend_from_slice(name.as_bytes());
            out.push(0);
        }
        m.source.encode(&mut out)?;
        m.target.encode(&mut out)?;
    }
    let sum = lookup3::hash(&out, 0);
    out.extend_from_slice(&sum.to_le_bytes());
    Ok(out)
}

/// Decode a mapping list read at file offset `base`, checksum checked.
///
/// # Errors
///
/// [`Error::Malformed`] for truncated bytes, a wrong checksum or a count
/// the bytes cannot hold; [`Error::Unsupported`] for versions above 0.
///
/// ```
/// use h5sink::format::vds::decode;
/// let mut bytes = vec![0u8; 9];
/// bytes.extend_from_slice(&h5sink::format::lookup3::hash(&bytes, 0).to_le_bytes());
/// assert_eq!(decode(&bytes, 0)?, vec![]);
/// bytes[2] = 1; // now the checksum is wrong
/// assert!(matches!(decode(&bytes, 0), Err(h5sink::Error::Malformed { .. })));
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode(bytes: &[u8], base: u64) -> Result<Vec<Mapping>> {
    let Some(body_len) = bytes.len().checked_sub(4) else {
        return Err(Reader::new(bytes, base, STRUCTURE).error("fewer than 4 bytes"));
    };
    let (body, sum) = bytes.split_at(body_len);
    let stored = u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]]);
    let computed = lookup3::hash(body, 0);
    let mut r = Reader::new(body, base, STRUCTURE);
    if stored != computed {
        return Err(r.error(format!(
            "checksum {stored:#010x} stored, {computed:#010x} computed"
        )));
    }
    let version = r.u8()?;
    if version != 0 {
        return Err(Error::Unsupported {
            structure: STRUCTURE,
            offset: base,
            detail: format!("version {version}; h5sink reads version 0, which libhdf5 2.0 writes into default files"),
        });
    }
    let n = r.u64()?;
    // Each mapping takes at least 2 name bytes and two 16-byte selections.
    if n > len64(r.remaining()) / 34 {
        return Err(r.error(format!("{n} mappings in {} bytes", r.remaining())));
    }
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let file = name(&mut r)?;
        let dataset = name(&mut r)?;
        let source = Selection::decode(&mut r)?;
        let target = Selection::decode(&mut r)?;
        out.push(Mapping {
            file,
            dataset,
            source,
            target,
        });
    }
    Ok(out)
}

/// A NUL-terminated name.
fn name(r: &mut Reader<'_>) -> Result<String> {
    let start = r.position();
    while r.u8()? != 0 {}
    let len = r.position() - start;
    r.seek(start)?;
    let bytes = r.bytes(len)?;
    Ok(String::from_utf8_lossy(&bytes[..len - 1]).into_owned())
}

/// Body of a version 4 virtual Data Layout message: the global heap
/// collection holding the mapping list and the object's index in it.
///
/// ```
/// use h5sink::format::vds::layout_body;
/// // h5py 3.16: `04 03 0008000000000000 01000000`.
/// let body = layout_body(0x800, 1);
/// assert_eq!(body, [4, 3, 0, 8, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
/// ```
pub fn layout_body(collection: u64, index: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(14);
    out.push(4);
    out.push(CLASS_VIRTUAL);
    out.extend_from_slice(&collection.to_le_bytes());
    out.extend_from_slice(&index.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::selection::{Hyperslab, UNLIMITED};

    fn sample() -> Vec<Mapping> {
        vec![
            Mapping {
                file: "grow.h5".into(),
                dataset: "g".into(),
                source: Selection::Slab(Hyperslab::new(&[0, 0], &[1, 4]).count(&[UNLIMITED, 1])),
                target: Selection::Slab(Hyperslab::new(&[0, 0], &[1, 4]).count(&[UNLIMITED, 1])),
            },
            Mapping {
                file: ".".into(),
                dataset: "a".into(),
                source: Selection::All,
                target: Selection::Slab(
                    Hyperslab::new(&[1, 1], &[1, 1])
                        .stride(&[1, 2])
                        .count(&[1, 6])
                        .normalized(),
                ),
            },
        ]
    }

    #[test]
    fn round_trip() {
        let m = sample();
        assert_eq!(decode(&encode(&m).unwrap(), 0).unwrap(), m);
    }

    /// Every truncation and every byte flip of a mapping list is an error
    /// or a list, never a panic (the checksum catches almost all flips;
    /// the body is also decoded with a fixed checksum to reach the parser).
    #[test]
    fn hostile_bytes_never_panic() {
        let bytes = encode(&sample()).unwrap();
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n], 0).is_err());
        }
        for i in 0..bytes.len() - 4 {
            for v in [0u8, 1, 0x7f, 0xff] {
                let mut b = bytes[..bytes.len() - 4].to_vec();
                b[i] = v;
                let sum = lookup3::hash(&b, 0);
                b.extend_from_slice(&sum.to_le_bytes());
                let _ = decode(&b, 0);
            }
        }
    }
}
