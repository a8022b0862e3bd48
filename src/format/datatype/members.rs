//! The members of enum and compound datatypes, and h5py's `bool` members.
//! Spec notes: `spec-notes/datatype.md`.

use super::Datatype;

/// One member of an [`Datatype::Enum`].
///
/// # Examples
///
/// h5py's `enum_dtype({'RED': 0, 'GREEN': 1, 'BLUE': 42}, basetype='i1')`:
/// the message lists the names sorted, then the values in that order.
///
/// ```
/// use h5sink::format::datatype::{Datatype, EnumMember};
///
/// const RGB: &[EnumMember] = &[
///     EnumMember { name: "RED", value: 0 },
///     EnumMember { name: "GREEN", value: 1 },
///     EnumMember { name: "BLUE", value: 42 },
/// ];
/// let body = Datatype::Enum { size: 1, signed: true, members: RGB }.encode();
/// // Class 8 version 1, 3 members, size 1, then the 12-byte i8 base type.
/// assert_eq!(body[..8], [0x18, 3, 0, 0, 1, 0, 0, 0]);
/// assert_eq!(body[20..28], *b"BLUE\0\0\0\0");
/// assert_eq!(body[44..], [42, 1, 0]); // BLUE, GREEN, RED
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnumMember {
    /// Member name.
    pub name: &'static str,
    /// Its value (must fit the base type; it is written in the base
    /// type's size, two's complement).
    pub value: i64,
}

/// One member of a [`Datatype::Compound`].
///
/// # Examples
///
/// numpy's `[('x', '<f4'), ('y', '<f4'), ('label', '<i8')]`:
///
/// ```
/// use h5sink::format::datatype::{CompoundMember, Datatype};
///
/// const F32: Datatype = Datatype::Float { size: 4 };
/// const I64: Datatype = Datatype::Int { size: 8, signed: true };
/// const XYL: Datatype = Datatype::Compound {
///     size: 16,
///     members: &[
///         CompoundMember { name: "x", offset: 0, dtype: F32 },
///         CompoundMember { name: "y", offset: 4, dtype: F32 },
///         CompoundMember { name: "label", offset: 8, dtype: I64 },
///     ],
/// };
/// assert!(XYL.is_supported());
/// let body = XYL.encode();
/// // Class 6 version 1, 3 members, size 16; the first member's name.
/// assert_eq!(body[..10], [0x16, 3, 0, 0, 16, 0, 0, 0, b'x', 0]);
/// // Version 1 members: name (8), offset u32, 28 bytes of dims, type.
/// assert_eq!(body.len(), 8 + (8 + 4 + 28) * 3 + 20 + 20 + 12);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompoundMember {
    /// Member name.
    pub name: &'static str,
    /// Byte offset within the compound.
    pub offset: u32,
    /// Member type.
    pub dtype: Datatype,
}

/// The members of h5py's `bool`: FALSE = 0, TRUE = 1, in that order.
///
/// # Examples
///
/// [`Datatype::Bool`] is the enum over `i8` with these members, 38 bytes.
///
/// ```
/// use h5sink::format::datatype::{Datatype, BOOL_MEMBERS};
///
/// let as_enum = Datatype::Enum { size: 1, signed: true, members: BOOL_MEMBERS };
/// let body = Datatype::Bool.encode();
/// assert_eq!(body, as_enum.encode());
/// assert_eq!(body.len(), 38);
/// assert_eq!(body[20..36], *b"FALSE\0\0\0TRUE\0\0\0\0");
/// assert_eq!(body[36..], [0, 1]);
/// ```
pub const BOOL_MEMBERS: &[EnumMember] = &[
    EnumMember {
        name: "FALSE",
        value: 0,
    },
    EnumMember {
        name: "TRUE",
        value: 1,
    },
];
