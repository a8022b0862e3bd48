//! [`ElementType`]: the element type of a dataset or attribute, either one
//! h5sink names with a [`Datatype`] or one decoded from a file that no
//! `Datatype` names (compounds, enums, arrays, big-endian numbers, opaque,
//! bit fields, time, references, variable-length sequences...). Spec
//! notes: `spec-notes/datatype.md` ("What the loader keeps").

use std::sync::Arc;

use super::decode::{ByteOrder, TypeDesc};
use super::Datatype;

/// The element type of a dataset or attribute in the model.
///
/// Objects made through the API always have a `Known` type. Objects loaded
/// from a file have a `Known` type when their type is exactly one h5sink
/// writes as a plain value (numbers, bool, strings), else a `File` type
/// that keeps the decoded description and the type's bytes as the file
/// holds them (shared, so handles clone cheaply; nothing leaks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ElementType {
    /// A type h5sink names.
    Known(Datatype),
    /// A type read from a file.
    File(Arc<FileType>),
}

/// A datatype read from a file: its description and its encoded bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FileType {
    /// What the type is.
    pub desc: TypeDesc,
    /// The Datatype encoding as read, re-emitted as it is when a message
    /// holding the type is written again.
    pub raw: Vec<u8>,
    /// File offset of the encoding (for messages).
    pub at: u64,
}

/// The plain types a decoded type may be stored as.
fn candidates(t: &TypeDesc) -> Vec<Datatype> {
    let mut c = Vec::with_capacity(16);
    for size in [1u8, 2, 4, 8] {
        c.push(Datatype::Int { size, signed: true });
        c.push(Datatype::Int {
            size,
            signed: false,
        });
    }
    c.extend([2u8, 4, 8].map(|size| Datatype::Float { size }));
    c.extend([Datatype::Bool, Datatype::VlenUtf8]);
    let size = t.element_size();
    c.push(Datatype::FixedString { size, utf8: true });
    c.push(Datatype::FixedString { size, utf8: false });
    c
}

/// `t` with every number's byte order little-endian.
fn little(t: &TypeDesc) -> Option<TypeDesc> {
    match t {
        TypeDesc::Int(i) if i.order == ByteOrder::Big => {
            let mut i = *i;
            i.order = ByteOrder::Little;
            Some(TypeDesc::Int(i))
        }
        TypeDesc::Float(f) if f.order == ByteOrder::Big => {
            let mut f = *f;
            f.order = ByteOrder::Little;
            Some(TypeDesc::Float(f))
        }
        _ => None,
    }
}

/// Whether `t` holds file addresses anywhere (references, and the heap
/// references of variable-length data).
fn holds_addresses(t: &TypeDesc) -> bool {
    match t {
        TypeDesc::Reference { .. }
        | TypeDesc::VlenSequence { .. }
        | TypeDesc::VlenString { .. } => true,
        TypeDesc::Compound { members, .. } => members.iter().any(|m| holds_addresses(&m.dtype)),
        TypeDesc::Array { base, .. } | TypeDesc::Enum { base, .. } => holds_addresses(base),
        _ => false,
    }
}

/// Whether `t` holds references (object header addresses) anywhere.
fn has_references(t: &TypeDesc) -> bool {
    match t {
        TypeDesc::Reference { .. } => true,
        TypeDesc::Compound { members, .. } => members.iter().any(|m| has_references(&m.dtype)),
        TypeDesc::Array { base, .. }
        | TypeDesc::VlenSequence { base, .. }
        | TypeDesc::Enum { base, .. } => has_references(base),
        _ => false,
    }
}

/// How stored elements become values of a type that reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadAs {
    /// The stored bytes are the values' bytes.
    Same,
    /// Each element's bytes in reverse order (big-endian numbers read as
    /// the little-endian numbers of the same kind).
    Swapped,
}

impl ElementType {
    /// The model's type for `desc`, decoded from `raw` at file offset
    /// `at`: `Known` when a plain `Datatype` is exactly that type, else
    /// `File`.
    pub fn from_file(desc: TypeDesc, raw: &[u8], at: u64) -> ElementType {
        match candidates(&desc).into_iter().find(|d| desc.matches(d)) {
            Some(dt) => ElementType::Known(dt),
            None => ElementType::File(Arc::new(FileType {
                desc,
                raw: raw.to_vec(),
                at,
            })),
        }
    }

    /// For a file type holding object or region references anywhere: the
    /// offset of its encoding. References are object header addresses.
    pub fn references_at(&self) -> Option<u64> {
        match self {
            ElementType::File(f) if has_references(&f.desc) => Some(f.at),
            _ => None,
        }
    }

    /// Bytes one element takes in the file.
    pub fn element_size(&self) -> u32 {
        match self {
            ElementType::Known(dt) => dt.element_size(),
            ElementType::File(f) => f.desc.element_size(),
        }
    }

    /// The `Datatype`, for a type h5sink names.
    pub fn known(&self) -> Option<&Datatype> {
        match self {
            ElementType::Known(dt) => Some(dt),
            ElementType::File(_) => None,
        }
    }

    /// Whether values of Rust type `dt` are stored as they are: `dt` is
    /// this type, or (for a file type) the type the file describes is
    /// exactly `dt`'s (`TypeDesc::matches`).
    pub fn accepts(&self, dt: &Datatype) -> bool {
        match self {
            ElementType::Known(k) => k == dt,
            ElementType::File(f) => f.desc.matches(dt),
        }
    }

    /// How elements of this type read as values of `dt`, if they do:
    /// as they are when accepted, byte-swapped for a big-endian integer or
    /// IEEE float that is `dt` but for its byte order.
    pub fn read_as(&self, dt: &Datatype) -> Option<ReadAs> {
        if self.accepts(dt) {
            return Some(ReadAs::Same);
        }
        match self {
            ElementType::File(f) => little(&f.desc)
                .filter(|l| l.matches(dt))
                .map(|_| ReadAs::Swapped),
            ElementType::Known(_) => None,
        }
    }

    /// Whether elements hold file addresses (references, variable-length
    /// data): their bytes mean nothing outside their file.
    pub fn holds_addresses(&self) -> bool {
        match self {
            ElementType::Known(dt) => *dt == Datatype::VlenUtf8,
            ElementType::File(f) => holds_addresses(&f.desc),
        }
    }

    /// The Datatype message body: encoded for a known type, as read for a
    /// file type.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            ElementType::Known(dt) => dt.encode(),
            ElementType::File(f) => f.raw.clone(),
        }
    }

    /// A short human name for messages ("f32", "big-endian i16",
    /// "compound {x: f32}").
    pub fn describe(&self) -> String {
        match self {
            ElementType::Known(dt) => dt.describe(),
            ElementType::File(f) => f.desc.describe(),
        }
    }
}

/// Reverse the bytes of every `size`-byte element of `bytes` in place.
pub(crate) fn swap_elements(bytes: &mut [u8], size: usize) {
    if size > 1 {
        for e in bytes.chunks_exact_mut(size) {
            e.reverse();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BE_I32: [u8; 12] = [0x10, 0x09, 0, 0, 4, 0, 0, 0, 0, 0, 32, 0];

    #[test]
    fn plain_types_are_known_others_kept_with_their_bytes() {
        let f4 = Datatype::Float { size: 4 };
        let t = ElementType::from_file(TypeDesc::decode(&f4.encode(), 0).unwrap(), &f4.encode(), 0);
        assert_eq!(t, ElementType::Known(f4));
        let be = ElementType::from_file(TypeDesc::decode(&BE_I32, 0).unwrap(), &BE_I32, 7);
        assert_eq!(be.references_at(), None);
        assert!(be.known().is_none());
        assert_eq!((be.element_size(), be.encode()), (4, BE_I32.to_vec()));
        assert_eq!(be.describe(), "big-endian i32");
        let i4 = Datatype::Int {
            size: 4,
            signed: true,
        };
        assert!(!be.accepts(&i4));
        assert_eq!(be.read_as(&i4), Some(ReadAs::Swapped));
        assert_eq!(
            be.read_as(&Datatype::Int {
                size: 4,
                signed: false
            }),
            None
        );
        assert!(!be.holds_addresses());
        let mut b = [1, 2, 3, 4, 5, 6, 7, 8];
        swap_elements(&mut b, 4);
        assert_eq!(b, [4, 3, 2, 1, 8, 7, 6, 5]);
    }

    #[test]
    fn references_and_sequences_hold_addresses() {
        let r = [0x17, 0, 0, 0, 8, 0, 0, 0];
        let t = ElementType::from_file(TypeDesc::decode(&r, 0).unwrap(), &r, 99);
        assert_eq!(t.references_at(), Some(99));
        assert!(t.holds_addresses());
        assert_eq!(
            t.read_as(&Datatype::Int {
                size: 8,
                signed: false
            }),
            None
        );
        assert!(ElementType::Known(Datatype::VlenUtf8).holds_addresses());
    }
}
