//! Datatype message (versions 1 and 2). Spec notes: `spec-notes/datatype.md`.
//!
//! Atomic classes live here; enum, compound and array (and libhdf5's rules
//! for their versions and member order) in `datatype/compound.rs`, their
//! member types in `datatype/members.rs`, the float layouts in
//! `datatype/ieee.rs` and [`Datatype::describe`]'s text in
//! `datatype/describe.rs`.
//!
//! # Examples
//!
//! The Datatype message of h5py's `dtype='i4'` dataset, constant, in its
//! object header.
//!
//! ```
//! use h5sink::format::datatype::Datatype;
//! use h5sink::format::object_header::{self, kind, Message, FLAG_CONSTANT};
//!
//! let dt = Datatype::Int { size: 4, signed: true };
//! assert!(dt.is_supported());
//! let body = dt.encode();
//! // Class 0 version 1, signed, size 4, bit offset 0, precision 32.
//! assert_eq!(body, [0x10, 0x08, 0, 0, 4, 0, 0, 0, 0, 0, 32, 0]);
//! let msgs = [Message { kind: kind::DATATYPE, flags: FLAG_CONSTANT, body: &body }];
//! let mut header = Vec::new();
//! object_header::encode(&mut header, &msgs)?;
//! // Type 3, size 16 (12 padded to 8), flags 1, then the body and padding.
//! assert_eq!(header[16..24], [3, 0, 16, 0, 1, 0, 0, 0]);
//! assert_eq!(header[24..36], body[..]);
//! assert_eq!(header.len(), 16 + 8 + 16);
//! # Ok::<(), h5sink::Error>(())
//! ```

mod compound;
pub mod decode;
mod describe;
mod element;
mod ieee;
mod members;

use ieee::{ieee_layout, BINARY64};

pub(crate) use element::{swap_elements, ElementType, ReadAs};
pub use members::{CompoundMember, EnumMember, BOOL_MEMBERS};

/// Class 0, version 1: fixed-point (integer).
const FIXED_POINT: u8 = 0x10;
/// Class 1, version 1: floating-point.
const FLOATING_POINT: u8 = 0x11;
/// Class 3, version 1: fixed-length string.
const STRING: u8 = 0x13;
/// Class 9, version 1: variable-length.
const VARIABLE_LENGTH: u8 = 0x19;
/// String bit field 0, bits 0-3: padding 1 = null-pad (numpy `S`, h5py).
const NULL_PAD: u8 = 0x01;
/// Character set 1 = UTF-8 (ASCII is 0).
const CSET_UTF8: u8 = 0x01;
/// Fixed-point bit field 0, bit 3: two's-complement signed.
const SIGNED: u8 = 0x08;
/// Floating-point bit field 0: little-endian, no padding, mantissa
/// normalization 2 ("implied most significant bit", IEEE).
const IEEE_LE: u8 = 0x20;
/// Bytes of a variable-length element: length u32, collection address, index u32.
const VLEN_SIZE: u32 = 16;

/// The element types h5sink writes.
///
/// # Examples
///
/// ```
/// use h5sink::format::datatype::Datatype;
///
/// // numpy `S10`: class 3, null-pad, ASCII, size 10.
/// let s10 = Datatype::FixedString { size: 10, utf8: false };
/// assert_eq!(s10.encode(), [0x13, 0x01, 0, 0, 10, 0, 0, 0]);
/// // An element of h5py's `string_dtype()` is a 16-byte heap reference.
/// assert_eq!(Datatype::VlenUtf8.element_size(), 16);
/// // A compound member `[f32; 4]`.
/// let hist = Datatype::Array { base: &Datatype::Float { size: 4 }, dims: &[4] };
/// assert_eq!((hist.element_size(), hist.describe().as_str()), (16, "[f32; 4]"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Datatype {
    /// Little-endian two's-complement or unsigned integer of 1, 2, 4 or 8 bytes.
    Int {
        /// Bytes per element.
        size: u8,
        /// Signed (two's complement) or unsigned.
        signed: bool,
    },
    /// Little-endian IEEE float of 4 or 8 bytes (2, half precision, also encodes).
    Float {
        /// Bytes per element.
        size: u8,
    },
    /// Variable-length UTF-8 string (h5py's `string_dtype()`).
    VlenUtf8,
    /// numpy's `bool` as h5py stores it: an enum over a signed 8-bit integer
    /// with members FALSE = 0 and TRUE = 1.
    Bool,
    /// Fixed-length string of `size` bytes, null-padded: numpy `S<size>`
    /// (ASCII) or h5py's `string_dtype('utf-8', size)` (UTF-8).
    FixedString {
        /// Bytes per element.
        size: u32,
        /// Character set UTF-8 (else ASCII).
        utf8: bool,
    },
    /// Enumeration over a little-endian integer base type.
    Enum {
        /// Bytes of the base integer.
        size: u8,
        /// Whether the base integer is signed.
        signed: bool,
        /// Names and values, in any order: the message lists them sorted by
        /// name (bytewise), as h5py's `enum_dtype` inserts them.
        members: &'static [EnumMember],
    },
    /// Compound (struct) type: named members at byte offsets.
    Compound {
        /// Bytes per element.
        size: u32,
        /// Members in declaration order (numpy's field order). The message
        /// keeps that order, except that a compound holding a
        /// variable-length string anywhere lists its members by offset, as
        /// libhdf5 re-sorts it when it stores the type.
        members: &'static [CompoundMember],
    },
    /// Fixed-size array of a base type, e.g. a compound member `[f32; 4]`.
    Array {
        /// Element type.
        base: &'static Datatype,
        /// Dimensions (row-major).
        dims: &'static [u32],
    },
}

impl Datatype {
    /// Bytes one element takes in a dataset: 16 for a variable-length
    /// reference, 1 for `Bool`, the base size times the product of the
    /// dimensions for an array. An array whose size overflows a u32 (or that
    /// nests deeper than [`MAX_DEPTH`]) reports `u32::MAX`, and
    /// [`Datatype::is_supported`] is false for it.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::datatype::Datatype;
    ///
    /// assert_eq!(Datatype::Float { size: 8 }.element_size(), 8);
    /// assert_eq!(Datatype::Bool.element_size(), 1);
    /// // `[[u16; 3]; 2]`: 2 × 3 × 2 bytes.
    /// const U16: Datatype = Datatype::Int { size: 2, signed: false };
    /// assert_eq!(Datatype::Array { base: &U16, dims: &[2, 3] }.element_size(), 12);
    /// // Too large for the u32 size field.
    /// let huge = Datatype::Array { base: &U16, dims: &[u32::MAX] };
    /// assert_eq!(huge.element_size(), u32::MAX);
    /// assert!(!huge.is_supported());
    /// ```
    pub fn element_size(&self) -> u32 {
        size_at(self, 0).unwrap_or(u32::MAX)
    }

    /// Whether the type is one h5sink writes and libhdf5 accepts:
    ///
    /// - integers of 1, 2, 4 or 8 bytes, floats of 2, 4 or 8 bytes,
    ///   variable-length UTF-8 strings, `Bool`;
    /// - fixed-length strings of at least 1 byte;
    /// - enums over a 1, 2, 4 or 8-byte integer with 1 to 65535 members,
    ///   non-empty names without NUL, no repeated name or value, and every
    ///   value within the base integer's range;
    /// - compounds of at least 1 byte with 1 to 65535 supported members,
    ///   non-empty unique names without NUL, each member inside the
    ///   compound and none overlapping another;
    /// - arrays of rank 1 to 32, no zero dimension, a supported base and a
    ///   total size that fits a u32;
    /// - nesting (compound and array levels) at most [`MAX_DEPTH`] deep.
    ///
    /// [`Datatype::encode`] never panics, but for anything else its bytes
    /// describe a type no reader decodes as intended.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::datatype::{Datatype, EnumMember};
    ///
    /// assert!(Datatype::Float { size: 2 }.is_supported());
    /// // A 3-byte float still encodes (20 bytes), but is not supported.
    /// assert!(!Datatype::Float { size: 3 }.is_supported());
    /// assert_eq!(Datatype::Float { size: 3 }.encode().len(), 20);
    /// assert!(!Datatype::FixedString { size: 0, utf8: false }.is_supported());
    /// // Enum values must fit the base integer: 256 does not fit a u8.
    /// const X: &[EnumMember] = &[EnumMember { name: "X", value: 256 }];
    /// assert!(!Datatype::Enum { size: 1, signed: false, members: X }.is_supported());
    /// ```
    pub fn is_supported(&self) -> bool {
        supported_at(self, 0)
    }

    /// Body of the Datatype message, byte for byte as h5py 3.16 (HDF5 2.0,
    /// default file format bounds) writes it for the same numpy dtype.
    ///
    /// Every class is written at version 1, except that arrays are version
    /// 2, and a compound or enum is raised to version 2 where libhdf5
    /// raises it (a compound holding an array; see `spec-notes/datatype.md`).
    ///
    /// # Examples
    ///
    /// h5py 3.16's bodies for `f8` and for `string_dtype()`:
    ///
    /// ```
    /// use h5sink::format::datatype::Datatype;
    ///
    /// let f8 = Datatype::Float { size: 8 }.encode();
    /// // Class 1 version 1, IEEE little-endian, sign bit 63, size 8.
    /// assert_eq!(f8[..8], [0x11, 0x20, 63, 0, 8, 0, 0, 0]);
    /// // Bit offset 0, precision 64, exponent at 52 (11 bits), mantissa
    /// // at 0 (52 bits), bias 1023.
    /// assert_eq!(f8[8..], [0, 0, 64, 0, 52, 11, 0, 52, 0xff, 0x03, 0, 0]);
    /// let vlen = Datatype::VlenUtf8.encode();
    /// // Class 9: a UTF-8 string of size 16, whose base type is u8.
    /// assert_eq!(vlen[..8], [0x19, 0x01, 0x01, 0, 16, 0, 0, 0]);
    /// assert_eq!(vlen[8..], Datatype::Int { size: 1, signed: false }.encode());
    /// ```
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(20);
        encode_into(self, &mut out, 1, 0);
        out
    }

    /// A short human name for error messages: `"f32"`, `"bool"`,
    /// `"fixed-length ASCII string of 10 bytes"`, `"enum over i8"`,
    /// `"[f32; 4]"`, `"compound {x: f32, y: f32}"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::datatype::{CompoundMember, Datatype};
    ///
    /// assert_eq!(Datatype::Int { size: 8, signed: false }.describe(), "u64");
    /// let s = Datatype::FixedString { size: 10, utf8: false };
    /// assert_eq!(s.describe(), "fixed-length ASCII string of 10 bytes");
    /// // Row-major dims (2, 3) read as Rust's `[[f32; 3]; 2]`.
    /// let a = Datatype::Array { base: &Datatype::Float { size: 4 }, dims: &[2, 3] };
    /// assert_eq!(a.describe(), "[[f32; 3]; 2]");
    /// const OK: CompoundMember = CompoundMember { name: "ok", offset: 0, dtype: Datatype::Bool };
    /// let c = Datatype::Compound { size: 1, members: &[OK] };
    /// assert_eq!(c.describe(), "compound {ok: bool}");
    /// ```
    pub fn describe(&self) -> String {
        let mut out = String::new();
        describe::describe_into(self, &mut out, 0);
        out
    }
}

/// The deepest nesting of compound and array levels that
/// [`Datatype::is_supported`] accepts (the type itself is depth 0). It also
/// bounds the encoder's recursion, so a (cyclic) `'static` type can not
/// overflow the stack.
///
/// # Examples
///
/// `MAX_DEPTH` nested array levels are supported; one more is not.
///
/// ```
/// use h5sink::format::datatype::{Datatype, MAX_DEPTH};
///
/// let mut dt: &'static Datatype = &Datatype::Int { size: 1, signed: false };
/// for _ in 0..MAX_DEPTH {
///     dt = Box::leak(Box::new(Datatype::Array { base: dt, dims: &[1] }));
/// }
/// assert!(dt.is_supported()); // the integer sits at depth MAX_DEPTH
/// assert_eq!(dt.element_size(), 1);
/// let deeper = Datatype::Array { base: dt, dims: &[1] };
/// assert!(!deeper.is_supported());
/// assert_eq!(deeper.element_size(), u32::MAX);
/// ```
pub const MAX_DEPTH: usize = 32;

/// Element size of `dt` nested `depth` levels deep; `None` if too deep or
/// if an array's size overflows a u32.
fn size_at(dt: &Datatype, depth: usize) -> Option<u32> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match *dt {
        Datatype::Int { size, .. } | Datatype::Float { size } | Datatype::Enum { size, .. } => {
            u32::from(size)
        }
        Datatype::VlenUtf8 => VLEN_SIZE,
        Datatype::Bool => 1,
        Datatype::FixedString { size, .. } | Datatype::Compound { size, .. } => size,
        Datatype::Array { base, dims } => {
            let mut total = size_at(base, depth + 1)?;
            for &d in dims {
                total = total.checked_mul(d)?;
            }
            total
        }
    })
}

fn supported_at(dt: &Datatype, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match *dt {
        Datatype::Int { size, .. } => matches!(size, 1 | 2 | 4 | 8),
        Datatype::Float { size } => ieee_layout(size).is_some(),
        Datatype::VlenUtf8 | Datatype::Bool => true,
        Datatype::FixedString { size, .. } => size > 0,
        Datatype::Enum {
            size,
            signed,
            members,
        } => compound::enum_ok(size, signed, members),
        Datatype::Compound { size, members } => compound::compound_ok(size, members, depth),
        Datatype::Array { base, dims } => compound::array_ok(dt, base, dims, depth),
    }
}

/// Append the message body of `dt`. `floor` is the version libhdf5's
/// "upgrade" pass imposes from an enclosing compound (1 = none).
fn encode_into(dt: &Datatype, out: &mut Vec<u8>, floor: u8, depth: usize) {
    if depth > MAX_DEPTH {
        return; // unsupported (see is_supported); stop rather than recurse forever
    }
    match *dt {
        Datatype::Int { size, signed } => {
            let bits = if signed { SIGNED } else { 0 };
            fixed_point(out, size, bits);
        }
        Datatype::Float { size } => {
            // An unsupported size gets binary64's field layout (see is_supported).
            let l = ieee_layout(size).unwrap_or(BINARY64);
            out.extend_from_slice(&[FLOATING_POINT, IEEE_LE, l.sign, 0]);
            out.extend_from_slice(&u32::from(size).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // bit offset
            out.extend_from_slice(&precision(size).to_le_bytes());
            out.extend_from_slice(&[l.exp_loc, l.exp_size, 0, l.mant_size]);
            out.extend_from_slice(&l.bias.to_le_bytes());
        }
        Datatype::VlenUtf8 => {
            // Bit field: type 1 = string, padding 0; charset 1 = UTF-8.
            out.extend_from_slice(&[VARIABLE_LENGTH, 0x01, 0x01, 0x00]);
            out.extend_from_slice(&VLEN_SIZE.to_le_bytes());
            // Base type: unsigned 8-bit integer, as libhdf5 and h5py write it.
            fixed_point(out, 1, 0);
        }
        Datatype::FixedString { size, utf8 } => {
            // Bit field 0: padding in bits 0-3, character set in bits 4-7.
            let cset = if utf8 { CSET_UTF8 << 4 } else { 0 };
            out.extend_from_slice(&[STRING, NULL_PAD | cset, 0, 0]);
            out.extend_from_slice(&size.to_le_bytes());
        }
        Datatype::Bool => compound::encode_enum(out, 1, true, BOOL_MEMBERS, floor),
        Datatype::Enum {
            size,
            signed,
            members,
        } => compound::encode_enum(out, size, signed, members, floor),
        Datatype::Compound { size, members } => {
            compound::encode_compound(out, size, members, floor, depth)
        }
        Datatype::Array { base, dims } => compound::encode_array(out, dt, base, dims, floor, depth),
    }
}

/// Precision in bits of a `size`-byte type (fits: 8 * 255 < 65536).
fn precision(size: u8) -> u16 {
    u16::from(size) * 8
}

/// A version 1 fixed-point datatype: little-endian, no padding, bit offset 0.
fn fixed_point(out: &mut Vec<u8>, size: u8, bits: u8) {
    out.extend_from_slice(&[FIXED_POINT, bits, 0, 0]);
    out.extend_from_slice(&u32::from(size).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&precision(size).to_le_bytes());
}

#[cfg(test)]
mod tests;
