//! Decoding the Filter Pipeline message (type 0x000B), versions 1 and 2,
//! from untrusted bytes. Spec notes: `spec-notes/filter-pipeline.md`
//! ("What we read").
//!
//! # Examples
//!
//! ```
//! use h5sink::format::filter_pipeline::{decode::{decode, FilterDesc}, encode_v1, Filter};
//!
//! let filters = [Filter::Shuffle { element_size: 4 }, Filter::Deflate { level: 4 }];
//! let got = decode(&encode_v1(&filters)?, 0)?;
//! assert_eq!(got, filters.map(FilterDesc::Known));
//! # Ok::<(), h5sink::Error>(())
//! ```

use super::{Filter, MAX_DEFLATE_LEVEL, MAX_FILTERS};
use crate::error::{Error, Result};
use crate::format::reader::Reader;

const STRUCTURE: &str = "filter pipeline message";

/// One decoded filter: one h5sink knows, or any other, kept as found so
/// the caller decides whether it can read chunks through it.
///
/// # Examples
///
/// An older revision of h5py's LZF filter (id 32000) in a version 2
/// message (h5sink knows revision 4 only):
///
/// ```
/// use h5sink::format::filter_pipeline::decode::{decode, FilterDesc};
///
/// let body = [2, 1, 0x00, 0x7d, 4, 0, 1, 0, 3, 0, b'l', b'z', b'f', 0,
///             3, 0, 0, 0, 5, 1, 0, 0, 16, 0, 0, 0];
/// let got = decode(&body, 0)?;
/// let FilterDesc::Other { id, name, optional, client_data } = &got[0] else { panic!() };
/// assert_eq!((*id, name.as_deref(), *optional), (32000, Some("lzf"), true));
/// assert_eq!(client_data, &[3, 261, 16]);
/// assert_eq!(got[0].id(), 32000);
/// # Ok::<(), h5sink::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterDesc {
    /// Deflate, shuffle (also the skipped form), Fletcher-32 or a plugin
    /// filter, with the client data h5sink writes for them.
    Known(Filter),
    /// Any other filter, or a known id with other client data.
    Other {
        /// Filter identification number.
        id: u16,
        /// Its name, if the message has one (version 2 omits names below
        /// id 256).
        name: Option<String>,
        /// Flags bit 0: the filter is optional.
        optional: bool,
        /// Client data values.
        client_data: Vec<u32>,
    },
}

impl FilterDesc {
    /// The filter identification number.
    ///
    /// ```
    /// use h5sink::format::filter_pipeline::{decode::FilterDesc, Filter};
    ///
    /// assert_eq!(FilterDesc::Known(Filter::Fletcher32).id(), 3);
    /// ```
    pub fn id(&self) -> u16 {
        match self {
            FilterDesc::Known(f) => f.id(),
            FilterDesc::Other { id, .. } => *id,
        }
    }
}

/// The known filter for these fields, if any.
fn known(id: u16, values: &[u32]) -> Option<Filter> {
    match (id, values) {
        (1, &[level]) if level <= MAX_DEFLATE_LEVEL => Some(Filter::Deflate { level }),
        (2, &[element_size]) if element_size > 0 => Some(Filter::Shuffle { element_size }),
        (2, &[]) => Some(Filter::ShuffleSkipped),
        (3, &[]) => Some(Filter::Fletcher32),
        _ => super::plugin::known(id, values),
    }
}

/// Decode a Filter Pipeline message body read at file offset `base`, in
/// pipeline order. Trailing bytes are ignored.
///
/// # Errors
///
/// [`Error::Malformed`] for truncation, a version other than 1 or 2, more
/// than 32 filters, filter id 0, or client data that cannot fit the body
/// (checked before allocating).
///
/// # Examples
///
/// HDF5 2.0 (`libver='latest'`): shuffle and deflate in version 2, no
/// names:
///
/// ```
/// use h5sink::format::filter_pipeline::{decode::{decode, FilterDesc}, Filter};
///
/// let body = [2, 2, 2, 0, 1, 0, 1, 0, 4, 0, 0, 0, 1, 0, 1, 0, 1, 0, 4, 0, 0, 0];
/// let want = [Filter::Shuffle { element_size: 4 }, Filter::Deflate { level: 4 }];
/// assert_eq!(decode(&body, 0)?, want.map(FilterDesc::Known));
/// assert!(decode(&body[..21], 0).is_err());
/// # Ok::<(), h5sink::Error>(())
/// ```
pub fn decode(body: &[u8], base: u64) -> Result<Vec<FilterDesc>> {
    let mut r = Reader::new(body, base, STRUCTURE);
    let version = r.u8()?;
    if !(1..=2).contains(&version) {
        return Err(Error::Malformed {
            structure: STRUCTURE,
            offset: base,
            reason: format!("version {version}, expected 1 or 2"),
        });
    }
    let count = usize::from(r.u8()?);
    if count > MAX_FILTERS {
        return Err(r.error(format!("{count} filters, at most {MAX_FILTERS}")));
    }
    if version == 1 {
        r.skip(6)?;
    }
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let at = r.offset();
        let id = r.u16()?;
        if id == 0 {
            return Err(r.error("filter id 0 (reserved)"));
        }
        let name_len = if version == 1 || id >= 256 {
            usize::from(r.u16()?)
        } else {
            0
        };
        let flags = r.u16()?;
        let nvalues = usize::from(r.u16()?);
        let name_bytes = r.bytes(name_len)?;
        let name = (name_len > 0).then(|| {
            let nul = name_bytes.split(|&b| b == 0).next().unwrap_or_default();
            String::from_utf8_lossy(nul).into_owned()
        });
        if nvalues.saturating_mul(4) > r.remaining() {
            return Err(Error::Malformed {
                structure: STRUCTURE,
                offset: at,
                reason: format!(
                    "filter {id} has {nvalues} client values, {} bytes left",
                    r.remaining()
                ),
            });
        }
        let mut client_data = Vec::with_capacity(nvalues);
        for _ in 0..nvalues {
            client_data.push(r.u32()?);
        }
        if version == 1 && nvalues % 2 == 1 {
            r.skip(4)?;
        }
        out.push(match known(id, &client_data) {
            Some(f) => FilterDesc::Known(f),
            None => FilterDesc::Other {
                id,
                name,
                optional: flags & 1 != 0,
                client_data,
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
