//! Fixed-length strings, as numpy `S<N>` (ASCII) and h5py's
//! `string_dtype('utf-8', N)` store them: `N` bytes, null-padded.

use std::borrow::Cow;

use super::{Element, H5Type};
use crate::error::{Error, Result};
use crate::format::datatype::Datatype;

macro_rules! fixed {
    (
        $(#[$doc:meta])* $name:ident, $utf8:expr, $what:literal,
        new: $(#[$new_doc:meta])*
        as_bytes: $(#[$bytes_doc:meta])*
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name<const N: usize>([u8; N]);

        impl<const N: usize> $name<N> {
            /// The string, null-padded to `N` bytes; an error if it is
            /// longer than `N` bytes, holds a NUL, or (`FixedAscii` only)
            /// is not ASCII.
            $(#[$new_doc])*
            pub fn new(s: &str) -> Result<Self> {
                Self::from_bytes(s.as_bytes())
            }

            fn from_bytes(b: &[u8]) -> Result<Self> {
                let reason = if b.len() > N {
                    "longer than the fixed length"
                } else if b.contains(&0) {
                    "contains NUL, which ends a null-padded string"
                } else if !$utf8 && !b.is_ascii() {
                    "is not ASCII"
                } else {
                    let mut out = [0u8; N];
                    out[..b.len()].copy_from_slice(b);
                    return Ok($name(out));
                };
                Err(Error::InvalidArgument {
                    what: $what,
                    value: format!("{:?} ({} bytes, fixed length {N})", String::from_utf8_lossy(b), b.len()),
                    reason,
                })
            }

            /// The stored bytes without the padding.
            $(#[$bytes_doc])*
            pub fn as_bytes(&self) -> &[u8] {
                let end = self.0.iter().position(|&c| c == 0).unwrap_or(N);
                &self.0[..end]
            }
        }

        impl<const N: usize> H5Type for $name<N> {
            const DATATYPE: Datatype = Datatype::FixedString { size: N as u32, utf8: $utf8 };
            const NAME: &'static str = $what;
        }

        impl<const N: usize> Element for $name<N> {
            fn encode(values: &[Self]) -> Cow<'_, [u8]> {
                Cow::Owned(values.iter().flat_map(|v| v.0).collect())
            }
            fn decode(bytes: &[u8]) -> Option<Self> {
                if bytes.len() != N {
                    return None;
                }
                // Null-padded: the string ends at the first NUL.
                let end = bytes.iter().position(|&c| c == 0).unwrap_or(N);
                let text = bytes.get(..end)?;
                if $utf8 && std::str::from_utf8(text).is_err() {
                    return None;
                }
                Self::from_bytes(text).ok()
            }
        }
    };
}

fixed!(
    /// A fixed-length ASCII string of `N` bytes (numpy `S<N>`).
    ///
    /// Each value takes exactly `N` bytes, null-padded; [`new`](Self::new)
    /// refuses longer strings, non-ASCII text and NUL bytes.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::FixedAscii;
    /// let file = h5sink::File::in_memory()?;
    /// let codes = [FixedAscii::<4>::new("AB")?, FixedAscii::<4>::new("WXYZ")?];
    /// file.new_dataset::<FixedAscii<4>>().shape(&[2]).create("codes")?.write_raw(&codes)?; // |S4
    /// assert_eq!(codes[0].as_bytes(), b"AB");
    /// assert!(FixedAscii::<4>::new("too long").is_err());
    /// assert!(FixedAscii::<4>::new("é").is_err());
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    FixedAscii, false, "fixed-length ASCII string",
    new:
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{Error, FixedAscii};
    /// assert_eq!(FixedAscii::<4>::new("AB")?.as_bytes(), b"AB");
    /// FixedAscii::<4>::new("ABCD")?; // exactly N bytes: no padding
    /// let long = FixedAscii::<4>::new("ABCDE");
    /// assert!(matches!(long, Err(Error::InvalidArgument { reason: "longer than the fixed length", .. })));
    /// let accent = FixedAscii::<4>::new("é");
    /// assert!(matches!(accent, Err(Error::InvalidArgument { reason: "is not ASCII", .. })));
    /// assert!(FixedAscii::<4>::new("a\0b").is_err()); // a NUL would end the value early
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    as_bytes:
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{Element, FixedAscii};
    /// let tag = FixedAscii::<8>::new("run1")?;
    /// assert_eq!(tag.as_bytes(), b"run1");
    /// assert_eq!(&*FixedAscii::encode(&[tag]), b"run1\0\0\0\0"); // stored with the padding
    /// # Ok::<(), h5sink::Error>(())
    /// ```
);
fixed!(
    /// A fixed-length UTF-8 string of `N` bytes (h5py `string_dtype('utf-8', N)`).
    ///
    /// `N` counts bytes, not characters.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::FixedUnicode;
    /// let file = h5sink::File::in_memory()?;
    /// let names = [FixedUnicode::<8>::new("Zürich")?, FixedUnicode::<8>::new("Oslo")?];
    /// file.new_dataset::<FixedUnicode<8>>().shape(&[2]).create("cities")?.write_raw(&names)?;
    /// assert_eq!(names[0].as_bytes(), "Zürich".as_bytes());
    /// assert!(FixedUnicode::<4>::new("Zürich").is_err()); // 7 bytes
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    FixedUnicode, true, "fixed-length UTF-8 string",
    new:
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{Error, FixedUnicode};
    /// assert_eq!(FixedUnicode::<7>::new("Zürich")?.as_bytes().len(), 7); // 6 characters, 7 bytes
    /// let long = FixedUnicode::<6>::new("Zürich");
    /// assert!(matches!(long, Err(Error::InvalidArgument { reason: "longer than the fixed length", .. })));
    /// assert!(FixedUnicode::<8>::new("a\0").is_err()); // a NUL would end the value early
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    as_bytes:
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::{Element, FixedUnicode};
    /// let s = FixedUnicode::<8>::new("é")?;
    /// assert_eq!(s.as_bytes(), [0xc3, 0xa9]); // UTF-8, without the 6 padding NULs
    /// assert_eq!(std::str::from_utf8(s.as_bytes()).ok(), Some("é"));
    /// assert_eq!(FixedUnicode::encode(&[s]).len(), 8);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_and_limits() {
        let a = FixedAscii::<5>::new("abc").unwrap();
        assert_eq!(a.as_bytes(), b"abc");
        assert_eq!(&*FixedAscii::encode(&[a]), b"abc\0\0");
        assert!(FixedAscii::<2>::new("abc").is_err());
        assert!(FixedAscii::<5>::new("é").is_err());
        assert!(FixedUnicode::<5>::new("é").is_ok());
        assert!(FixedUnicode::<5>::new("a\0").is_err());
    }
}
