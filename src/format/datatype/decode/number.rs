//! The numeric datatypes' fields: [`IntDesc`] and [`FloatDesc`]. Spec
//! notes: `spec-notes/datatype.md` ("What we read").

use super::ByteOrder;

/// A fixed-point (integer) or bit field type.
///
/// ```
/// use h5sink::format::datatype::{decode::TypeDesc, Datatype};
///
/// let u2 = Datatype::Int { size: 2, signed: false };
/// let TypeDesc::Int(i) = TypeDesc::decode(&u2.encode(), 0)? else { panic!() };
/// assert_eq!((i.size, i.signed, i.bit_offset, i.precision), (2, false, 0, 16));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IntDesc {
    /// Bytes per element.
    pub size: u32,
    /// Two's complement (else unsigned); always false for a bit field.
    pub signed: bool,
    /// Byte order.
    pub order: ByteOrder,
    /// Padding of the unused bits: bit 0 low, bit 1 high (1 = ones).
    pub padding: u8,
    /// First significant bit.
    pub bit_offset: u16,
    /// Significant bits.
    pub precision: u16,
}

/// A floating-point type, with its bit fields as the message gives them.
///
/// ```
/// use h5sink::format::datatype::{decode::TypeDesc, Datatype};
///
/// let TypeDesc::Float(f) = TypeDesc::decode(&Datatype::Float { size: 8 }.encode(), 0)? else {
///     panic!()
/// };
/// assert!(f.is_ieee());
/// assert_eq!((f.exp_size, f.mant_size, f.bias), (11, 52, 1023));
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FloatDesc {
    /// Bytes per element.
    pub size: u32,
    /// Byte order (VAX order is refused as unsupported).
    pub order: ByteOrder,
    /// Padding bits: bit 0 low, bit 1 high, bit 2 internal (1 = ones).
    pub padding: u8,
    /// Mantissa normalization: 0 none, 1 most significant bit set, 2
    /// implied (IEEE).
    pub normalization: u8,
    /// Bit position of the sign.
    pub sign: u8,
    /// First significant bit.
    pub bit_offset: u16,
    /// Significant bits.
    pub precision: u16,
    /// Bit position of the exponent.
    pub exp_loc: u8,
    /// Bits of the exponent.
    pub exp_size: u8,
    /// Bit position of the mantissa.
    pub mant_loc: u8,
    /// Bits of the mantissa.
    pub mant_size: u8,
    /// Exponent bias.
    pub bias: u32,
}

impl FloatDesc {
    /// Whether this is IEEE 754 binary16, binary32 or binary64 (2, 4 or 8
    /// bytes, every field as IEEE defines it, no padding), in either byte
    /// order; any other float is kept but is not IEEE.
    ///
    /// ```
    /// use h5sink::format::datatype::{decode::TypeDesc, Datatype};
    ///
    /// let TypeDesc::Float(mut f) = TypeDesc::decode(&Datatype::Float { size: 2 }.encode(), 0)? else {
    ///     panic!()
    /// };
    /// assert!(f.is_ieee());
    /// f.bias = 16;
    /// assert!(!f.is_ieee());
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn is_ieee(&self) -> bool {
        let (sign, exp_size, mant_size, bias) = match self.size {
            2 => (15, 5, 10, 15),
            4 => (31, 8, 23, 127),
            8 => (63, 11, 52, 1023),
            _ => return false,
        };
        self.padding == 0
            && self.normalization == 2
            && self.sign == sign
            && self.bit_offset == 0
            && u32::from(self.precision) == self.size * 8
            && self.exp_loc == mant_size
            && self.exp_size == exp_size
            && self.mant_loc == 0
            && self.mant_size == mant_size
            && self.bias == bias
    }
}
