//! A checked reader of untrusted bytes, shared by every decoder: one method
//! per field kind, each returning [`Error::Malformed`] (naming the
//! structure, the absolute file offset and the value) instead of panicking,
//! wrapping or reading past the end. Spec notes: `spec-notes/fields.md`.
//!
//! Decoders take a `Reader` over the bytes of one structure, read at file
//! offset `base`; the reader never allocates.
//!
//! ```
//! use h5sink::format::reader::Reader;
//! let bytes = [b'T', b'R', b'E', b'E', 1, 0x34, 0x12];
//! let mut r = Reader::new(&bytes, 4096, "B-tree node");
//! r.signature(b"TREE")?;
//! assert_eq!((r.u8()?, r.u16()?), (1, 0x1234));
//! let e = r.u32().unwrap_err();
//! assert_eq!(e.to_string(), "B-tree node at offset 4103 is malformed: 4 bytes needed, 0 left");
//! # Ok::<(), h5sink::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::format::field::UNDEF_ADDR;

/// Reads little-endian fields from one structure's bytes, checking each.
///
/// ```
/// use h5sink::format::reader::Reader;
/// let mut r = Reader::new(&[7, 0, 0, 0, 0, 0, 0, 0], 0, "heap");
/// assert_eq!(r.u64()?, 7);
/// assert!(r.is_empty());
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: u64,
    structure: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, the bytes of `structure` at file offset `base`.
    ///
    /// ```
    /// let r = h5sink::format::reader::Reader::new(b"abc", 100, "local heap");
    /// assert_eq!((r.offset(), r.remaining()), (100, 3));
    /// ```
    pub fn new(data: &'a [u8], base: u64, structure: &'static str) -> Self {
        Reader {
            data,
            pos: 0,
            base,
            structure,
        }
    }

    /// The error for this structure at the current position.
    ///
    /// ```
    /// let r = h5sink::format::reader::Reader::new(b"", 8, "superblock");
    /// assert_eq!(r.error("version 9").to_string(), "superblock at offset 8 is malformed: version 9");
    /// ```
    pub fn error(&self, reason: impl Into<String>) -> Error {
        Error::Malformed {
            structure: self.structure,
            offset: self.offset(),
            reason: reason.into(),
        }
    }

    /// The file offset of the next byte.
    ///
    /// ```
    /// let mut r = h5sink::format::reader::Reader::new(&[0; 4], 10, "x");
    /// r.skip(3)?;
    /// assert_eq!(r.offset(), 13);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn offset(&self) -> u64 {
        self.base.saturating_add(self.pos as u64)
    }

    /// Bytes read so far.
    ///
    /// ```
    /// let mut r = h5sink::format::reader::Reader::new(&[0; 4], 10, "x");
    /// r.u16()?;
    /// assert_eq!(r.position(), 2);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    ///
    /// ```
    /// let r = h5sink::format::reader::Reader::new(&[0; 4], 0, "x");
    /// assert_eq!(r.remaining(), 4);
    /// ```
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Whether every byte was read.
    ///
    /// ```
    /// assert!(h5sink::format::reader::Reader::new(&[], 0, "x").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next `n` bytes.
    ///
    /// ```
    /// let mut r = h5sink::format::reader::Reader::new(b"abcd", 0, "x");
    /// assert_eq!(r.bytes(3)?, b"abc");
    /// assert!(r.bytes(2).is_err()); // only 1 left: an error, nothing read
    /// assert_eq!(r.remaining(), 1);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.error(format!("{n} bytes needed, {} left", self.remaining())));
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Skip `n` bytes (reserved fields, padding).
    ///
    /// ```
    /// let mut r = h5sink::format::reader::Reader::new(&[0, 0, 9], 0, "x");
    /// r.skip(2)?;
    /// assert_eq!(r.u8()?, 9);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn skip(&mut self, n: usize) -> Result<()> {
        self.bytes(n).map(|_| ())
    }

    /// Move to byte `pos` of the structure (at most its length).
    ///
    /// ```
    /// let mut r = h5sink::format::reader::Reader::new(&[1, 2, 3], 0, "x");
    /// r.seek(2)?;
    /// assert_eq!(r.u8()?, 3);
    /// assert!(r.seek(4).is_err());
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn seek(&mut self, pos: usize) -> Result<()> {
        if pos > self.data.len() {
            return Err(self.error(format!(
                "position {pos} is past the end ({} bytes)",
                self.data.len()
            )));
        }
        self.pos = pos;
        Ok(())
    }

    /// The 4-byte signature `sig` (e.g. `b"TREE"`), or an error naming what
    /// was found.
    ///
    /// ```
    /// let mut r = h5sink::format::reader::Reader::new(b"SNOX", 0, "symbol table node");
    /// let e = r.signature(b"SNOD").unwrap_err();
    /// assert!(e.to_string().contains("signature \"SNOX\", expected \"SNOD\""));
    /// ```
    pub fn signature(&mut self, sig: &[u8; 4]) -> Result<()> {
        let at = self.pos;
        let got = self.bytes(4)?;
        if got != sig {
            self.pos = at;
            return Err(self.error(format!(
                "signature {:?}, expected {:?}",
                String::from_utf8_lossy(got),
                String::from_utf8_lossy(sig)
            )));
        }
        Ok(())
    }

    /// One byte.
    ///
    /// ```
    /// assert_eq!(h5sink::format::reader::Reader::new(&[200], 0, "x").u8()?, 200);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.bytes(1)?[0])
    }

    /// A little-endian u16.
    ///
    /// ```
    /// assert_eq!(h5sink::format::reader::Reader::new(&[1, 2], 0, "x").u16()?, 0x0201);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn u16(&mut self) -> Result<u16> {
        Ok(self.uint(2)? as u16)
    }

    /// A little-endian u32.
    ///
    /// ```
    /// assert_eq!(h5sink::format::reader::Reader::new(&[1, 0, 0, 0], 0, "x").u32()?, 1);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn u32(&mut self) -> Result<u32> {
        Ok(self.uint(4)? as u32)
    }

    /// A little-endian u64.
    ///
    /// ```
    /// assert_eq!(h5sink::format::reader::Reader::new(&[0, 1, 0, 0, 0, 0, 0, 0], 0, "x").u64()?, 256);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn u64(&mut self) -> Result<u64> {
        self.uint(8)
    }

    /// A little-endian unsigned integer of `size` bytes (1 to 8), as the
    /// format's variable-width fields (dimension sizes, lengths) are.
    ///
    /// ```
    /// let mut r = h5sink::format::reader::Reader::new(&[1, 2, 3], 0, "x");
    /// assert_eq!(r.uint(3)?, 0x030201);
    /// assert!(h5sink::format::reader::Reader::new(&[0; 9], 0, "x").uint(9).is_err());
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn uint(&mut self, size: usize) -> Result<u64> {
        if !(1..=8).contains(&size) {
            return Err(self.error(format!("field width {size} is not 1 to 8 bytes")));
        }
        let b = self.bytes(size)?;
        Ok(b.iter().rev().fold(0u64, |v, &x| (v << 8) | u64::from(x)))
    }

    /// A file address (8 bytes): [`UNDEF_ADDR`] as `None`; otherwise it
    /// must be below `eof`, the file's end-of-file address.
    ///
    /// ```
    /// use h5sink::format::reader::Reader;
    /// let mut r = Reader::new(&[0x10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 0, "x");
    /// assert_eq!(r.address(100)?, Some(0x10));
    /// assert_eq!(r.address(100)?, None); // undefined
    /// let e = Reader::new(&[200, 0, 0, 0, 0, 0, 0, 0], 0, "x").address(100).unwrap_err();
    /// assert!(e.to_string().contains("address 200 is past the end of the file (100 bytes)"));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn address(&mut self, eof: u64) -> Result<Option<u64>> {
        let at = self.pos;
        let a = self.u64()?;
        if a == UNDEF_ADDR {
            return Ok(None);
        }
        if a >= eof {
            self.pos = at;
            return Err(self.error(format!(
                "address {a} is past the end of the file ({eof} bytes)"
            )));
        }
        Ok(Some(a))
    }

    /// A length or count that must not exceed `max` (what the file or the
    /// structure can hold), so nothing is ever sized by an unchecked value.
    ///
    /// ```
    /// use h5sink::format::reader::Reader;
    /// let mut r = Reader::new(&[5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0, "heap");
    /// assert_eq!(r.length(8, 10, "data size")?, 5);
    /// let e = r.length(8, 10, "data size").unwrap_err();
    /// assert!(e.to_string().contains("data size 72057594037927936 is above 10"));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn length(&mut self, size: usize, max: u64, what: &str) -> Result<u64> {
        let at = self.pos;
        let v = self.uint(size)?;
        if v > max {
            self.pos = at;
            return Err(self.error(format!("{what} {v} is above {max}")));
        }
        Ok(v)
    }
}
