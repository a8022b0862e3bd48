//! Compound (struct) and enum types declared with [`h5compound!`] and
//! [`h5enum!`]: the datatype is computed at compile time from the fields.

use crate::format::datatype::{CompoundMember, Datatype, EnumMember};

/// Bytes of one element of `dt`, usable in constants.
pub(crate) const fn const_size(dt: &Datatype) -> u32 {
    match dt {
        Datatype::Int { size, .. } | Datatype::Float { size } | Datatype::Enum { size, .. } => {
            *size as u32
        }
        Datatype::Bool => 1,
        Datatype::VlenUtf8 => 16,
        Datatype::FixedString { size, .. } | Datatype::Compound { size, .. } => *size,
        Datatype::Array { base, dims } => {
            let mut n = const_size(base);
            let mut i = 0;
            while i < dims.len() {
                n *= dims[i];
                i += 1;
            }
            n
        }
    }
}

/// Members of a packed compound: each member starts where the previous
/// one ends (numpy's layout for `np.dtype([...])` without `align=True`).
#[doc(hidden)]
pub const fn compound_members<const N: usize>(
    fields: [(&'static str, Datatype); N],
) -> [CompoundMember; N] {
    let mut out = [CompoundMember {
        name: "",
        offset: 0,
        dtype: Datatype::Bool,
    }; N];
    let mut offset = 0;
    let mut i = 0;
    while i < N {
        out[i] = CompoundMember {
            name: fields[i].0,
            offset,
            dtype: fields[i].1,
        };
        offset += const_size(&fields[i].1);
        i += 1;
    }
    out
}

/// Size of a packed compound with these members.
#[doc(hidden)]
pub const fn compound_size(members: &[CompoundMember]) -> u32 {
    match members.last() {
        Some(m) => m.offset + const_size(&m.dtype),
        None => 0,
    }
}

/// The enum datatype over integer `base` (a compile error for other bases).
#[doc(hidden)]
pub const fn enum_members(base: Datatype, members: &'static [EnumMember]) -> Datatype {
    match base {
        Datatype::Int { size, signed } => Datatype::Enum {
            size,
            signed,
            members,
        },
        _ => panic!("h5enum! needs an integer base type"),
    }
}

/// Declare a struct stored as an HDF5 compound type, readable in h5py as a
/// numpy structured array. Fields may be numbers, `bool`, fixed-length
/// strings, arrays `[T; N]`, enums and other compounds. Derive `Clone` and
/// `Copy` on it.
///
/// ```
/// h5sink::h5compound! {
///     #[derive(Clone, Copy, Debug)]
///     pub struct Detection { pub x: f32, pub y: f32, pub label: i64, pub hist: [f32; 4] }
/// }
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// let rows = [Detection { x: 1.0, y: 2.0, label: 7, hist: [0.0; 4] }];
/// file.new_dataset::<Detection>().shape(&[1]).create("det")?.write_raw(&rows)?;
/// file.close()?;
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! h5compound {
    ($(#[$meta:meta])* $vis:vis struct $name:ident {
        $($(#[$fmeta:meta])* $fvis:vis $field:ident : $fty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        $vis struct $name { $($(#[$fmeta])* $fvis $field: $fty),* }

        impl $crate::H5Type for $name {
            const DATATYPE: $crate::format::datatype::Datatype = $crate::format::datatype::Datatype::Compound {
                size: $crate::types_internal::compound_size(&$crate::types_internal::compound_members(
                    [$((stringify!($field), <$fty as $crate::H5Type>::DATATYPE)),*],
                )),
                members: &$crate::types_internal::compound_members(
                    [$((stringify!($field), <$fty as $crate::H5Type>::DATATYPE)),*],
                ),
            };
            const NAME: &'static str = stringify!($name);
        }

        impl $crate::Element for $name {
            fn encode(values: &[Self]) -> ::std::borrow::Cow<'_, [u8]> {
                let mut out = ::std::vec::Vec::new();
                for v in values {
                    $(out.extend_from_slice(&<$fty as $crate::Element>::encode(::std::slice::from_ref(&v.$field)));)*
                }
                ::std::borrow::Cow::Owned(out)
            }
            fn decode(bytes: &[u8]) -> ::std::option::Option<Self> {
                if bytes.len() != <Self as $crate::H5Type>::DATATYPE.element_size() as usize {
                    return ::std::option::Option::None;
                }
                let mut at = 0usize;
                $(
                    let $field = {
                        let n = <$fty as $crate::H5Type>::DATATYPE.element_size() as usize;
                        let v = <$fty as $crate::Element>::decode(bytes.get(at..at + n)?)?;
                        at += n;
                        v
                    };
                )*
                let _ = at;
                ::std::option::Option::Some($name { $($field),* })
            }
        }
    };
}

/// Declare a fieldless enum stored as an HDF5 enum over an integer base
/// (h5py reads it with `h5py.check_enum_dtype`). Derive `Clone` and `Copy`.
///
/// ```
/// h5sink::h5enum! {
///     #[derive(Clone, Copy, Debug, PartialEq)]
///     pub enum Color: u8 { Red = 0, Green = 1, Blue = 42 }
/// }
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// file.new_dataset::<Color>().shape(&[2]).create("c")?.write_raw(&[Color::Blue, Color::Red])?;
/// file.close()?;
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! h5enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident : $base:ident {
        $($(#[$vmeta:meta])* $var:ident = $val:expr),* $(,)?
    }) => {
        $(#[$meta])*
        #[repr($base)]
        $vis enum $name { $($(#[$vmeta])* $var = $val),* }

        impl $crate::H5Type for $name {
            const DATATYPE: $crate::format::datatype::Datatype = $crate::types_internal::enum_members(
                <$base as $crate::H5Type>::DATATYPE,
                &[$($crate::format::datatype::EnumMember { name: stringify!($var), value: $val as i64 }),*],
            );
            const NAME: &'static str = stringify!($name);
        }

        impl $crate::Element for $name {
            fn encode(values: &[Self]) -> ::std::borrow::Cow<'_, [u8]> {
                ::std::borrow::Cow::Owned(values.iter().flat_map(|&v| (v as $base).to_le_bytes()).collect())
            }
            fn decode(bytes: &[u8]) -> ::std::option::Option<Self> {
                let raw = <$base>::from_le_bytes(bytes.try_into().ok()?);
                $(if raw == ($val as $base) { return ::std::option::Option::Some($name::$var); })*
                ::std::option::Option::None
            }
        }
    };
}
