//! Rust element types and the HDF5 datatypes they are stored as.

use std::borrow::Cow;

use crate::format::datatype::Datatype;

mod compound;
pub(crate) mod convert;
pub(crate) mod decode;
mod strings;

/// Support for the `h5compound!` and `h5enum!` macros; not a stable API.
#[doc(hidden)]
pub mod internal {
    pub use super::compound::{compound_members, compound_size, enum_members};
}
pub use convert::ConvertInto;
pub use strings::{FixedAscii, FixedUnicode};

/// A Rust type with an HDF5 datatype.
///
/// Implemented for the numbers (`u8` … `f64`, stored little-endian exactly
/// as numpy's `<u1` … `<f8`), `bool` (as h5py stores numpy bools),
/// [`FixedAscii`], [`FixedUnicode`], [`VarLenUnicode`], arrays `[T; N]`,
/// and for structs and enums declared with [`h5compound!`](crate::h5compound)
/// and [`h5enum!`](crate::h5enum).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// file.new_dataset::<u64>().shape(&[2]).create("u")?.write_raw(&[1u64, 2])?;       // <u8
/// file.new_dataset::<bool>().shape(&[2]).create("b")?.write_raw(&[true, false])?;   // numpy bool
/// file.new_dataset::<[f32; 3]>().shape(&[2]).create("v")?.write_raw(&[[0.0f32; 3]; 2])?; // array type
/// file.close()?;
/// # Ok(()) }
/// ```
pub trait H5Type {
    /// The datatype written to the file.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{format::datatype::Datatype, FixedAscii, H5Type};
    /// assert_eq!(f32::DATATYPE, Datatype::Float { size: 4 });
    /// let body = f32::DATATYPE.encode(); // the Datatype message h5py writes for float32
    /// assert_eq!(body[0], 0x11); // version 1, class 1 (floating point)
    /// assert_eq!(body[4..8], 4u32.to_le_bytes()); // bytes per element
    /// assert_eq!(<[u16; 3]>::DATATYPE.element_size(), 6);
    /// assert_eq!(FixedAscii::<10>::DATATYPE.encode(), [0x13, 0x01, 0, 0, 10, 0, 0, 0]); // numpy S10
    /// ```
    const DATATYPE: Datatype;
    /// A short name for messages, e.g. `"f32"`.
    ///
    /// # Examples
    ///
    /// ```
    /// fn kind<T: h5sink::H5Type>() -> &'static str {
    ///     T::NAME
    /// }
    /// assert_eq!(kind::<f32>(), "f32");
    /// assert_eq!(kind::<bool>(), "bool");
    /// assert_eq!(kind::<h5sink::FixedAscii<8>>(), "fixed-length ASCII string");
    /// assert_eq!(kind::<h5sink::VarLenUnicode>(), "variable-length UTF-8 string");
    /// ```
    const NAME: &'static str;
}

/// A fixed-size element that can be written to datasets and attributes.
///
/// Everything [`H5Type`] covers except [`VarLenUnicode`], whose values are
/// written with `write_strings` instead.
///
/// ```
/// fn write_all<T: h5sink::Element>(ds: &h5sink::Dataset, values: &[T]) -> h5sink::Result<()> {
///     ds.write_raw(values)
/// }
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// write_all(&file.new_dataset::<i8>().shape(&[2]).create("a")?, &[-1i8, 1])?;
/// # Ok(()) }
/// ```
pub trait Element: H5Type + Copy {
    /// The file's bytes for `values`: borrowed (no copy) when the memory
    /// layout already is the file layout, as for numbers.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{Element, FixedAscii};
    /// use std::borrow::Cow;
    /// let ints = u16::encode(&[1, 258]);
    /// assert!(matches!(ints, Cow::Borrowed(&[1, 0, 2, 1]))); // numpy <u2, no copy
    /// assert_eq!(&*bool::encode(&[true, false]), [1, 0]);
    /// assert_eq!(&*<[i8; 2]>::encode(&[[1, -1], [2, -2]]), [1, 0xff, 2, 0xfe]);
    /// assert_eq!(&*FixedAscii::<4>::encode(&[FixedAscii::new("AB")?]), b"AB\0\0");
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    fn encode(values: &[Self]) -> Cow<'_, [u8]>;

    /// One value from its file bytes (exactly the datatype's size, as
    /// [`encode`](Self::encode) writes them), or `None` if they are no
    /// value of `Self`: an enum number that names no variant, a fixed
    /// string that is not ASCII or UTF-8 where `Self` needs it. Any
    /// non-zero byte reads as `true`, as numpy reads bools.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{Element, FixedAscii};
    /// assert_eq!(u16::decode(&[2, 1]), Some(258));
    /// assert_eq!(bool::decode(&[1]), Some(true));
    /// assert_eq!(<[i8; 2]>::decode(&[1, 0xff]), Some([1, -1]));
    /// assert_eq!(FixedAscii::<4>::decode(b"AB\0\0"), Some(FixedAscii::new("AB")?));
    /// assert_eq!(FixedAscii::<2>::decode(&[0xc3, 0xa9]), None); // not ASCII
    /// assert_eq!(u32::decode(&[1, 2]), None); // too few bytes
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    fn decode(bytes: &[u8]) -> Option<Self>;
}

/// A fixed-size number whose in-memory bytes are its on-disk bytes on a
/// little-endian machine. Rows of these are written without any copy.
///
/// ```
/// fn mean<T: h5sink::Numeric + Into<f64>>(xs: &[T]) -> f64 {
///     xs.iter().map(|&x| x.into()).sum::<f64>() / xs.len() as f64
/// }
/// assert_eq!(mean(&[1.0f32, 3.0]), 2.0);
/// ```
pub trait Numeric: Element + bytemuck::Pod {}

macro_rules! numeric {
    ($($t:ty => $dt:expr),* $(,)?) => {$(
        impl H5Type for $t {
            const DATATYPE: Datatype = $dt;
            const NAME: &'static str = stringify!($t);
        }
        impl Element for $t {
            fn encode(values: &[Self]) -> Cow<'_, [u8]> {
                Cow::Borrowed(bytemuck::cast_slice(values))
            }
            fn decode(bytes: &[u8]) -> Option<Self> {
                (bytes.len() == std::mem::size_of::<$t>()).then(|| bytemuck::pod_read_unaligned(bytes))
            }
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

#[cfg(feature = "half")]
numeric! { half::f16 => Datatype::Float { size: 2 } }

impl H5Type for bool {
    const DATATYPE: Datatype = Datatype::Bool;
    const NAME: &'static str = "bool";
}

impl Element for bool {
    fn encode(values: &[Self]) -> Cow<'_, [u8]> {
        Cow::Owned(values.iter().map(|&b| u8::from(b)).collect())
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [b] => Some(*b != 0),
            _ => None,
        }
    }
}

impl<T: H5Type, const N: usize> H5Type for [T; N] {
    const DATATYPE: Datatype = Datatype::Array {
        base: &T::DATATYPE,
        dims: &[N as u32],
    };
    const NAME: &'static str = "array";
}

impl<T: Element, const N: usize> Element for [T; N] {
    fn encode(values: &[Self]) -> Cow<'_, [u8]> {
        let mut out = Vec::new();
        for v in values {
            out.extend_from_slice(&T::encode(v));
        }
        Cow::Owned(out)
    }
    fn decode(bytes: &[u8]) -> Option<Self> {
        let size = T::DATATYPE.element_size() as usize;
        if size == 0 || bytes.len() != size * N {
            return None;
        }
        let values = bytes
            .chunks_exact(size)
            .map(T::decode)
            .collect::<Option<Vec<T>>>()?;
        <[T; N]>::try_from(values).ok()
    }
}

/// Variable-length UTF-8 string, the type h5py gives Python `str` data
/// (`h5py.string_dtype()`). Write such a dataset with
/// [`Dataset::write_strings`](crate::Dataset::write_strings).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let ds = file.new_dataset::<h5sink::VarLenUnicode>().shape(&[2]).create("captions")?;
/// ds.write_strings(&["a cat on a mat", "ein Hund, kein Kätzchen"])?; // any length, UTF-8
/// file.new_dataset::<h5sink::VarLenUnicode>().create("title")?.write_strings(&["run 1"])?; // scalar
/// file.new_attr::<h5sink::VarLenUnicode>().create("note")?.write_str("hello")?;
/// let s = h5sink::VarLenUnicode::from("x");
/// assert_eq!(s.as_ref(), "x");
/// file.close()?;
/// # Ok(()) }
/// ```
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
pub(crate) fn datatype_name(dt: &Datatype) -> String {
    dt.describe()
}

/// Dimensions as given by a user, or the reason they are refused.
pub(crate) fn parse_dims<D: Dim>(dims: &[D]) -> std::result::Result<Vec<u64>, String> {
    dims.iter()
        .enumerate()
        .map(|(i, d)| {
            d.to_dim()
                .ok_or_else(|| format!("dimension {i} is {d:?}, which is negative"))
        })
        .collect()
}

/// Bytes of an array of `shape` and `dtype`. numpy (so h5py) refuses even an
/// empty array whose non-zero dimensions times the element size exceed
/// `i64::MAX`: such shapes are refused here rather than written unreadable.
pub(crate) fn shape_bytes(shape: &[u64], dtype: &Datatype) -> crate::Result<u64> {
    shape_bytes_of(shape, dtype.element_size())
}

/// [`shape_bytes`] for elements of `elem_size` bytes.
pub(crate) fn shape_bytes_of(shape: &[u64], elem_size: u32) -> crate::Result<u64> {
    let elem = u64::from(elem_size);
    let extent = shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(elem, |acc, &d| acc.checked_mul(d))
        .filter(|&b| b <= i64::MAX as u64)
        .ok_or_else(|| crate::Error::ShapeOverflow {
            shape: shape.to_vec(),
            element_size: elem,
        })?;
    Ok(if shape.contains(&0) { 0 } else { extent })
}

/// A dimension length as users write it (`usize`, `u64`, or an integer literal).
///
/// Implemented for `usize`, `u64`, `u32`, `u16`, `u8`, `i32`, `i64` and
/// `isize`; a negative length is refused by `create`.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let (n, w) = (10usize, 4u64);
/// file.new_dataset::<u8>().shape(&[n as u64, w]).create("a")?;
/// file.new_dataset::<u8>().shape(&[10, 4]).create("b")?;          // i32 literals
/// assert!(file.new_dataset::<u8>().shape(&[-1, 4]).create("c").is_err());
/// # Ok(()) }
/// ```
pub trait Dim: Copy + std::fmt::Debug {
    /// The length, or `None` if negative.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::Dim;
    /// assert_eq!(7usize.to_dim(), Some(7));
    /// assert_eq!(i64::MAX.to_dim(), Some(i64::MAX as u64));
    /// assert_eq!((-1i32).to_dim(), None);
    /// let file = h5sink::File::in_memory()?;
    /// let negative = file.new_dataset::<u8>().shape(&[-1, 4]).create("x");
    /// assert!(matches!(negative, Err(h5sink::Error::BadShape { .. })));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    fn to_dim(self) -> Option<u64>;
}

macro_rules! dim_unsigned {
    ($($t:ty),*) => {$(impl Dim for $t { fn to_dim(self) -> Option<u64> { u64::try_from(self).ok() } })*};
}
dim_unsigned!(usize, u64, u32, u16, u8, i32, i64, isize);
