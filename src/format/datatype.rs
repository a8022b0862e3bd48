//! Datatype message (version 1). Spec notes: `spec-notes/datatype.md`.

/// Class 0, version 1: fixed-point (integer).
const FIXED_POINT: u8 = 0x10;
/// Class 1, version 1: floating-point.
const FLOATING_POINT: u8 = 0x11;
/// Class 9, version 1: variable-length.
const VARIABLE_LENGTH: u8 = 0x19;
/// Fixed-point bit field 0, bit 3: two's-complement signed.
const SIGNED: u8 = 0x08;
/// Floating-point bit field 0: little-endian, no padding, mantissa
/// normalization 2 ("implied most significant bit", IEEE).
const IEEE_LE: u8 = 0x20;
/// Bytes of a variable-length element: length u32, collection address, index u32.
const VLEN_SIZE: u32 = 16;

/// The element types h5sink writes.
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
        /// Names and values, in declaration order.
        members: &'static [EnumMember],
    },
    /// Compound (struct) type: named members at byte offsets.
    Compound {
        /// Bytes per element.
        size: u32,
        /// Members in declaration order.
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

/// One member of an [`Datatype::Enum`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnumMember {
    /// Member name.
    pub name: &'static str,
    /// Its value (must fit the base type).
    pub value: i64,
}

/// One member of a [`Datatype::Compound`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompoundMember {
    /// Member name.
    pub name: &'static str,
    /// Byte offset within the compound.
    pub offset: u32,
    /// Member type.
    pub dtype: Datatype,
}

/// The IEEE layout of a float: sign bit, exponent location and size,
/// mantissa size (its location is 0), exponent bias.
#[derive(Clone, Copy)]
struct IeeeLayout {
    sign: u8,
    exp_loc: u8,
    exp_size: u8,
    mant_size: u8,
    bias: u32,
}

const BINARY16: IeeeLayout = IeeeLayout {
    sign: 15,
    exp_loc: 10,
    exp_size: 5,
    mant_size: 10,
    bias: 15,
};
const BINARY32: IeeeLayout = IeeeLayout {
    sign: 31,
    exp_loc: 23,
    exp_size: 8,
    mant_size: 23,
    bias: 127,
};
const BINARY64: IeeeLayout = IeeeLayout {
    sign: 63,
    exp_loc: 52,
    exp_size: 11,
    mant_size: 52,
    bias: 1023,
};

fn ieee_layout(size: u8) -> Option<IeeeLayout> {
    match size {
        2 => Some(BINARY16),
        4 => Some(BINARY32),
        8 => Some(BINARY64),
        _ => None,
    }
}

impl Datatype {
    /// Bytes one element takes in a dataset (16 for a variable-length reference).
    pub fn element_size(&self) -> u32 {
        match *self {
            Datatype::Int { size, .. } | Datatype::Float { size } => u32::from(size),
            Datatype::VlenUtf8 => VLEN_SIZE,
            _ => todo!("new datatype classes"),
        }
    }

    /// Whether the type is one h5sink writes: integers of 1, 2, 4 or 8 bytes,
    /// floats of 2, 4 or 8 bytes, or variable-length UTF-8 strings.
    ///
    /// [`Datatype::encode`] never panics, but for other sizes its bytes
    /// describe a type no reader decodes as intended.
    pub fn is_supported(&self) -> bool {
        match *self {
            Datatype::Int { size, .. } => matches!(size, 1 | 2 | 4 | 8),
            Datatype::Float { size } => ieee_layout(size).is_some(),
            Datatype::VlenUtf8 => true,
            _ => todo!("new datatype classes"),
        }
    }

    /// Body of the Datatype message.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(20);
        match *self {
            Datatype::Int { size, signed } => {
                let bits = if signed { SIGNED } else { 0 };
                fixed_point(&mut out, size, bits);
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
                fixed_point(&mut out, 1, 0);
            }
            _ => todo!("new datatype classes"),
        }
        out
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
mod tests {
    use super::*;
    use crate::format::hex;

    fn int(size: u8, signed: bool) -> Vec<u8> {
        Datatype::Int { size, signed }.encode()
    }

    /// Bodies h5py 3.16 wrote for numpy i1..u8 (dataset headers of a real file).
    #[test]
    fn integers() {
        assert_eq!(int(1, true), hex("10 08 00 00 01000000 0000 0800"));
        assert_eq!(int(1, false), hex("10 00 00 00 01000000 0000 0800"));
        assert_eq!(int(2, true), hex("10 08 00 00 02000000 0000 1000"));
        assert_eq!(int(2, false), hex("10 00 00 00 02000000 0000 1000"));
        assert_eq!(int(4, true), hex("10 08 00 00 04000000 0000 2000"));
        assert_eq!(int(4, false), hex("10 00 00 00 04000000 0000 2000"));
        assert_eq!(int(8, true), hex("10 08 00 00 08000000 0000 4000"));
        assert_eq!(int(8, false), hex("10 00 00 00 08000000 0000 4000"));
    }

    /// Bodies h5py 3.16 wrote for numpy f2, f4, f8.
    #[test]
    fn floats() {
        let f = |size| Datatype::Float { size }.encode();
        assert_eq!(
            f(2),
            hex("11 20 0f 00 02000000 0000 1000 0a 05 00 0a 0f000000")
        );
        assert_eq!(
            f(4),
            hex("11 20 1f 00 04000000 0000 2000 17 08 00 17 7f000000")
        );
        assert_eq!(
            f(8),
            hex("11 20 3f 00 08000000 0000 4000 34 0b 00 34 ff030000")
        );
    }

    /// h5py 3.16 `string_dtype()`: vlen string, UTF-8, base u8.
    #[test]
    fn vlen_utf8() {
        let want = hex("19 01 01 00 10000000 10 00 00 00 01000000 0000 0800");
        assert_eq!(Datatype::VlenUtf8.encode(), want);
        assert_eq!(Datatype::VlenUtf8.element_size(), 16);
    }

    #[test]
    fn sizes_and_support() {
        assert_eq!(
            Datatype::Int {
                size: 8,
                signed: false
            }
            .element_size(),
            8
        );
        assert_eq!(Datatype::Float { size: 4 }.element_size(), 4);
        assert!(Datatype::Float { size: 8 }.is_supported());
        assert!(!Datatype::Float { size: 3 }.is_supported());
        assert!(!Datatype::Int {
            size: 3,
            signed: true
        }
        .is_supported());
        // Unsupported sizes still encode without panicking.
        assert_eq!(Datatype::Float { size: 255 }.encode().len(), 20);
        assert_eq!(
            Datatype::Int {
                size: 255,
                signed: true
            }
            .encode()
            .len(),
            12
        );
    }
}
