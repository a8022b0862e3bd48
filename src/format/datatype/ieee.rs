//! The IEEE 754 field layouts of the floating-point datatypes.
//! Spec notes: `spec-notes/datatype.md`.

/// The IEEE layout of a float: sign bit, exponent location and size,
/// mantissa size (its location is 0), exponent bias.
#[derive(Clone, Copy)]
pub(super) struct IeeeLayout {
    pub(super) sign: u8,
    pub(super) exp_loc: u8,
    pub(super) exp_size: u8,
    pub(super) mant_size: u8,
    pub(super) bias: u32,
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
pub(super) const BINARY64: IeeeLayout = IeeeLayout {
    sign: 63,
    exp_loc: 52,
    exp_size: 11,
    mant_size: 52,
    bias: 1023,
};

/// The layout of a `size`-byte float, if IEEE defines one h5sink writes.
pub(super) fn ieee_layout(size: u8) -> Option<IeeeLayout> {
    match size {
        2 => Some(BINARY16),
        4 => Some(BINARY32),
        8 => Some(BINARY64),
        _ => None,
    }
}
