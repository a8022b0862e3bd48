//! Rust element types and the HDF5 datatypes they are stored as.

use crate::format::datatype::Datatype;

/// A Rust type h5sink can store as dataset elements.
///
/// Implemented for the fixed-size numbers (`u8` … `f64`, stored
/// little-endian, exactly as numpy's `<u1` … `<f8`) and for
/// [`VarLenUnicode`] (h5py's variable-length UTF-8 `str`).
pub trait H5Type {
    /// The datatype written to the file.
    const DATATYPE: Datatype;
    /// A short name for messages, e.g. `"f32"`.
    const NAME: &'static str;
}

/// A fixed-size number whose in-memory bytes are its on-disk bytes on a
/// little-endian machine. Rows of these are written without any copy.
pub trait Numeric: H5Type + bytemuck::Pod {}

macro_rules! numeric {
    ($($t:ty => $dt:expr),* $(,)?) => {$(
        impl H5Type for $t {
            const DATATYPE: Datatype = $dt;
            const NAME: &'static str = stringify!($t);
        }
        impl Numeric for $t {}
    )*};
}

numeric! {
    u8 => Datatype::Int { size: 1, signed: false },
    i8 => Datatype::Int { size: 1, signed: true },
    u16 => Datatype::Int { size: 2, signed: false },
    i16 => Datatype::Int { size: 2, signed: true },
    u32 => Datatype::Int { size: 4, signed: false },
    i32 => Datatype::Int { size: 4, signed: true },
    u64 => Datatype::Int { size: 8, signed: false },
    i64 => Datatype::Int { size: 8, signed: true },
    f32 => Datatype::Float { size: 4 },
    f64 => Datatype::Float { size: 8 },
}

/// Variable-length UTF-8 string, the type h5py gives Python `str` data
/// (`h5py.string_dtype()`). Write such a dataset with
/// [`Dataset::write_strings`](crate::Dataset::write_strings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarLenUnicode(pub String);

impl H5Type for VarLenUnicode {
    const DATATYPE: Datatype = Datatype::VlenUtf8;
    const NAME: &'static str = "variable-length UTF-8 string";
}

impl From<&str> for VarLenUnicode {
    fn from(s: &str) -> Self {
        VarLenUnicode(s.to_owned())
    }
}

impl AsRef<str> for VarLenUnicode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A name for a datatype in error messages.
pub(crate) fn datatype_name(dt: &Datatype) -> &'static str {
    match dt {
        Datatype::Int {
            size: 1,
            signed: false,
        } => u8::NAME,
        Datatype::Int {
            size: 1,
            signed: true,
        } => i8::NAME,
        Datatype::Int {
            size: 2,
            signed: false,
        } => u16::NAME,
        Datatype::Int {
            size: 2,
            signed: true,
        } => i16::NAME,
        Datatype::Int {
            size: 4,
            signed: false,
        } => u32::NAME,
        Datatype::Int {
            size: 4,
            signed: true,
        } => i32::NAME,
        Datatype::Int { signed: false, .. } => u64::NAME,
        Datatype::Int { signed: true, .. } => i64::NAME,
        Datatype::Float { size: 4 } => f32::NAME,
        Datatype::Float { .. } => f64::NAME,
        Datatype::VlenUtf8 => VarLenUnicode::NAME,
        Datatype::Bool => "bool",
        Datatype::FixedString { .. } => "fixed-length string",
        Datatype::Enum { .. } => "enum",
        Datatype::Compound { .. } => "compound",
        Datatype::Array { .. } => "array",
    }
}

/// A dimension length as users write it (`usize`, `u64`, or an integer literal).
pub trait Dim: Copy + std::fmt::Debug {
    /// The length, or `None` if negative.
    fn to_dim(self) -> Option<u64>;
}

macro_rules! dim_unsigned {
    ($($t:ty),*) => {$(impl Dim for $t { fn to_dim(self) -> Option<u64> { u64::try_from(self).ok() } })*};
}
dim_unsigned!(usize, u64, u32, u16, u8, i32, i64, isize);
