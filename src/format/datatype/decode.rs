//! Decoding the Datatype message (type 0x0003) from untrusted bytes into
//! [`TypeDesc`], an owned description of any class h5py or libhdf5 writes
//! with default settings (versions 1 to 5). Spec notes:
//! `spec-notes/datatype.md` ("What we read").
//!
//! [`Datatype`](super::Datatype) is `Copy` with `'static` member slices, so
//! a decoded type cannot be one without leaking; [`TypeDesc::matches`]
//! says whether a decoded type is exactly the file type of a `Datatype`.
//! The reading is in `decode/read.rs` and `decode/composite.rs` (the
//! nesting classes), the number fields in `decode/number.rs`, matching and
//! `describe` in `decode/describe.rs`.
//!
//! # Examples
//!
//! ```
//! use h5sink::format::datatype::{decode::TypeDesc, Datatype};
//!
//! let f4 = Datatype::Float { size: 4 };
//! let desc = TypeDesc::decode(&f4.encode(), 0)?;
//! assert!(desc.matches(&f4));
//! assert_eq!((desc.element_size(), desc.describe().as_str()), (4, "f32"));
//! # Ok::<(), h5sink::Error>(())
//! ```

mod composite;
mod describe;
mod number;
mod read;

pub use number::{FloatDesc, IntDesc};

use crate::error::Result;
use crate::format::reader::Reader;

/// The structure name in errors.
const STRUCTURE: &str = "datatype message";

/// Byte order of a number.
///
/// ```
/// use h5sink::format::datatype::decode::{ByteOrder, TypeDesc};
///
/// // h5py's `h5t.STD_I32BE`.
/// let body = [0x10, 0x09, 0, 0, 4, 0, 0, 0, 0, 0, 32, 0];
/// let TypeDesc::Int(i) = TypeDesc::decode(&body, 0)? else { panic!() };
/// assert_eq!((i.order, i.signed), (ByteOrder::Big, true));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// Least significant byte first.
    Little,
    /// Most significant byte first.
    Big,
}

/// How a string shorter than its field is completed.
///
/// ```
/// use h5sink::format::datatype::decode::{StringPad, TypeDesc};
///
/// // A C string of 5 bytes, space-padded (`H5T_STR_SPACEPAD`).
/// let body = [0x13, 0x02, 0, 0, 5, 0, 0, 0];
/// let TypeDesc::String { pad, .. } = TypeDesc::decode(&body, 0)? else { panic!() };
/// assert_eq!(pad, StringPad::SpacePad);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StringPad {
    /// NUL-terminated (code 0).
    NullTerm,
    /// NUL-padded, like numpy `S` (code 1).
    NullPad,
    /// Space-padded, like Fortran (code 2).
    SpacePad,
}

/// Character set of a string.
///
/// ```
/// use h5sink::format::datatype::{decode::{Charset, TypeDesc}, Datatype};
///
/// let u10 = Datatype::FixedString { size: 10, utf8: true };
/// let TypeDesc::String { charset, .. } = TypeDesc::decode(&u10.encode(), 0)? else { panic!() };
/// assert_eq!(charset, Charset::Utf8);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Charset {
    /// ASCII (code 0).
    Ascii,
    /// UTF-8 (code 1).
    Utf8,
}

/// What a reference points at.
///
/// ```
/// use h5sink::format::datatype::decode::{RefKind, TypeDesc};
///
/// // h5py's `h5t.STD_REF_OBJ`: class 7, object, 8 bytes.
/// let body = [0x17, 0, 0, 0, 8, 0, 0, 0];
/// assert_eq!(TypeDesc::decode(&body, 0)?, TypeDesc::Reference { size: 8, kind: RefKind::Object });
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// An object (its header address).
    Object,
    /// A dataset region.
    Region,
}

/// One member of a decoded compound type.
///
/// ```
/// use h5sink::format::datatype::{decode::TypeDesc, CompoundMember, Datatype};
///
/// const M: &[CompoundMember] = &[CompoundMember { name: "x", offset: 0, dtype: Datatype::Float { size: 4 } }];
/// let c = Datatype::Compound { size: 4, members: M };
/// let TypeDesc::Compound { members, .. } = TypeDesc::decode(&c.encode(), 0)? else { panic!() };
/// assert_eq!((members[0].name.as_str(), members[0].offset), ("x", 0));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MemberDesc {
    /// Member name (UTF-8, without NUL).
    pub name: String,
    /// Byte offset within the compound.
    pub offset: u32,
    /// Member type (a version 1 member with dimensions is an array).
    pub dtype: TypeDesc,
}

/// One member of a decoded enum type.
///
/// ```
/// use h5sink::format::datatype::{decode::TypeDesc, Datatype};
///
/// let TypeDesc::Enum { members, .. } = TypeDesc::decode(&Datatype::Bool.encode(), 0)? else {
///     panic!()
/// };
/// assert_eq!((members[1].name.as_str(), &members[1].value[..]), ("TRUE", &[1u8][..]));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnumValue {
    /// Member name (UTF-8, without NUL).
    pub name: String,
    /// Its value: the base type's bytes, in the base type's byte order.
    pub value: Vec<u8>,
}

/// A decoded Datatype message: owned, of any class h5sink reads.
///
/// # Examples
///
/// h5py's `string_dtype()` and a sequence of i32 (`vlen_dtype('i4')`):
///
/// ```
/// use h5sink::format::datatype::{decode::TypeDesc, Datatype};
///
/// let s = TypeDesc::decode(&Datatype::VlenUtf8.encode(), 0)?;
/// assert!(s.matches(&Datatype::VlenUtf8));
/// let body = [0x19, 0, 0, 0, 16, 0, 0, 0, 0x10, 8, 0, 0, 4, 0, 0, 0, 0, 0, 32, 0];
/// let seq = TypeDesc::decode(&body, 0)?;
/// assert_eq!(seq.describe(), "variable-length sequence of i32");
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeDesc {
    /// Class 0: an integer.
    Int(IntDesc),
    /// Class 1: a float.
    Float(FloatDesc),
    /// Class 2: a time value.
    Time {
        /// Bytes per element.
        size: u32,
        /// Byte order.
        order: ByteOrder,
        /// Significant bits.
        precision: u16,
    },
    /// Class 3: a fixed-length string.
    String {
        /// Bytes per element.
        size: u32,
        /// Padding.
        pad: StringPad,
        /// Character set.
        charset: Charset,
    },
    /// Class 4: a bit field (`signed` is false).
    Bitfield(IntDesc),
    /// Class 5: opaque bytes with an ASCII tag.
    Opaque {
        /// Bytes per element.
        size: u32,
        /// The tag, without its NUL padding.
        tag: String,
    },
    /// Class 6: a compound.
    Compound {
        /// Bytes per element.
        size: u32,
        /// Members in the message's order.
        members: Vec<MemberDesc>,
    },
    /// Class 7: a reference (version 1 to 3 encoding).
    Reference {
        /// Bytes per element.
        size: u32,
        /// What it points at.
        kind: RefKind,
    },
    /// Class 8: an enum over an integer base type.
    Enum {
        /// The base integer (its size is the element size).
        base: Box<TypeDesc>,
        /// Names and values, in the message's order.
        members: Vec<EnumValue>,
    },
    /// Class 9, type 1: a variable-length string.
    VlenString {
        /// Bytes per element in the file (a heap reference: 16).
        size: u32,
        /// Padding.
        pad: StringPad,
        /// Character set.
        charset: Charset,
        /// The base type the message gives (libhdf5 writes u8).
        base: Box<TypeDesc>,
    },
    /// Class 9, type 0: a variable-length sequence of a base type.
    VlenSequence {
        /// Bytes per element in the file (a heap reference: 16).
        size: u32,
        /// The element type.
        base: Box<TypeDesc>,
    },
    /// Class 10: a fixed-size array of a base type.
    Array {
        /// Bytes per element: the base size times the dimensions.
        size: u32,
        /// Dimensions (row-major), 1 to 32 of them, none zero.
        dims: Vec<u32>,
        /// Element type.
        base: Box<TypeDesc>,
    },
}

impl TypeDesc {
    /// Decode a Datatype message body read at file offset `base`.
    /// Trailing bytes (header padding) are ignored.
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`](crate::Error::Malformed) for invalid bytes
    /// (truncation, bad codes, sizes that disagree, members outside their
    /// compound); [`Error::Unsupported`](crate::Error::Unsupported) for
    /// valid types h5sink does not read: VAX floats, version 4 references,
    /// complex numbers (class 11), versions above 5, nesting deeper than
    /// [`MAX_DEPTH`](super::MAX_DEPTH), names that are not UTF-8.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::datatype::decode::TypeDesc;
    /// use h5sink::Error;
    ///
    /// // h5py's `h5t.IEEE_F64BE`.
    /// let be = [0x11, 0x21, 63, 0, 8, 0, 0, 0, 0, 0, 64, 0, 52, 11, 0, 52, 0xff, 3, 0, 0];
    /// assert_eq!(TypeDesc::decode(&be, 0)?.describe(), "big-endian f64");
    /// assert!(matches!(TypeDesc::decode(&be[..12], 0), Err(Error::Malformed { .. })));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn decode(body: &[u8], base: u64) -> Result<TypeDesc> {
        let mut r = Reader::new(body, base, STRUCTURE);
        read::read(&mut r, 0)
    }

    /// Decode one datatype from `r` and leave `r` after it, for structures
    /// that embed a datatype.
    ///
    /// # Errors
    ///
    /// As [`TypeDesc::decode`].
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::{datatype::{decode::TypeDesc, Datatype}, reader::Reader};
    ///
    /// let mut bytes = Datatype::Int { size: 1, signed: false }.encode();
    /// bytes.push(0xAA);
    /// let mut r = Reader::new(&bytes, 0, "attribute message");
    /// assert_eq!(TypeDesc::read(&mut r)?.element_size(), 1);
    /// assert_eq!(r.u8()?, 0xAA);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn read(r: &mut Reader<'_>) -> Result<TypeDesc> {
        read::read(r, 0)
    }

    /// Bytes one element takes in the file.
    ///
    /// ```
    /// use h5sink::format::datatype::{decode::TypeDesc, Datatype};
    ///
    /// assert_eq!(TypeDesc::decode(&Datatype::VlenUtf8.encode(), 0)?.element_size(), 16);
    /// assert_eq!(TypeDesc::decode(&Datatype::Bool.encode(), 0)?.element_size(), 1);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn element_size(&self) -> u32 {
        match self {
            TypeDesc::Int(i) | TypeDesc::Bitfield(i) => i.size,
            TypeDesc::Float(f) => f.size,
            TypeDesc::Enum { base, .. } => base.element_size(),
            TypeDesc::Time { size, .. }
            | TypeDesc::String { size, .. }
            | TypeDesc::Opaque { size, .. }
            | TypeDesc::Compound { size, .. }
            | TypeDesc::Reference { size, .. }
            | TypeDesc::VlenString { size, .. }
            | TypeDesc::VlenSequence { size, .. }
            | TypeDesc::Array { size, .. } => *size,
        }
    }
}

#[cfg(test)]
mod tests;
