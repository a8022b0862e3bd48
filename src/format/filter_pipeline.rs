//! Filter Pipeline message (type 0x000B), version 1, for the three filters
//! h5sink applies: deflate, shuffle and Fletcher-32. Spec notes:
//! `spec-notes/filter-pipeline.md`.

use super::field::len64;
use crate::error::{Error, Result};

/// Object header message type of the Filter Pipeline message.
pub const MESSAGE_TYPE: u16 = 0x000B;
/// libhdf5 (and so h5py) marks the Filter Pipeline message constant
/// (message flag bit 0) in dataset headers.
pub const MESSAGE_FLAGS: u8 = 0x01;
/// The most filters one pipeline holds (libhdf5's `H5Z_MAX_NFILTERS`).
pub const MAX_FILTERS: usize = 32;
/// The highest deflate level zlib (and so libhdf5) accepts.
pub const MAX_DEFLATE_LEVEL: u32 = 9;

/// Filter flag bit 0: the filter is optional (a chunk may skip it).
const FLAG_OPTIONAL: u16 = 0x0001;

/// One filter of a dataset's pipeline, applied in list order on write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Filter {
    /// zlib-wrapped deflate (filter 1, "deflate"), `level` 0..=9.
    Deflate {
        /// Compression level, 0 (store) to 9 (smallest).
        level: u32,
    },
    /// Byte shuffle (filter 2, "shuffle") over elements of `element_size`
    /// bytes: all first bytes, then all second bytes, and so on.
    Shuffle {
        /// Bytes per element (the datatype size), at least 1.
        element_size: u32,
    },
    /// Fletcher-32 checksum appended to each chunk (filter 3, "fletcher32").
    Fletcher32,
}

impl Filter {
    /// The filter identification number (HDF5's `H5Z_FILTER_*`).
    pub fn id(&self) -> u16 {
        match self {
            Filter::Deflate { .. } => 1,
            Filter::Shuffle { .. } => 2,
            Filter::Fletcher32 => 3,
        }
    }

    /// The filter name libhdf5 writes into the message (NUL not included).
    pub fn name(&self) -> &'static str {
        match self {
            Filter::Deflate { .. } => "deflate",
            Filter::Shuffle { .. } => "shuffle",
            Filter::Fletcher32 => "fletcher32",
        }
    }

    /// Whether libhdf5 marks the filter optional: deflate and shuffle are
    /// (`H5Pset_deflate`, `H5Pset_shuffle`), Fletcher-32 is mandatory.
    pub fn is_optional(&self) -> bool {
        !matches!(self, Filter::Fletcher32)
    }

    /// The client data values stored with the filter.
    pub fn client_data(&self) -> Vec<u32> {
        match *self {
            Filter::Deflate { level } => vec![level],
            Filter::Shuffle { element_size } => vec![element_size],
            Filter::Fletcher32 => Vec::new(),
        }
    }

    /// Check the parameters as libhdf5 does before it applies the filter.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a deflate level above 9 or a shuffle
    /// element size of 0.
    pub fn validate(&self) -> Result<()> {
        match *self {
            Filter::Deflate { level } if level > MAX_DEFLATE_LEVEL => Err(Error::InvalidArgument {
                what: "deflate level",
                value: level.to_string(),
                reason: "zlib levels run from 0 to 9",
            }),
            Filter::Shuffle { element_size: 0 } => Err(Error::InvalidArgument {
                what: "shuffle element size",
                value: "0".to_string(),
                reason: "the element size must be at least 1 byte",
            }),
            _ => Ok(()),
        }
    }
}

/// Check a whole pipeline: at most [`MAX_FILTERS`] filters, each valid.
///
/// # Errors
///
/// [`Error::FieldOverflow`] for more than 32 filters, else the first
/// [`Filter::validate`] error.
pub fn validate(filters: &[Filter]) -> Result<()> {
    if filters.len() > MAX_FILTERS {
        return Err(Error::FieldOverflow {
            field: "filter pipeline filter count",
            value: len64(filters.len()),
            max: len64(MAX_FILTERS),
        });
    }
    filters.iter().try_for_each(Filter::validate)
}

/// Body of a version 1 Filter Pipeline message, as libhdf5 writes it for
/// h5py: `version 1, number of filters, 6 reserved bytes`, then for each
/// filter `id u16, name length u16, flags u16, number of values u16`, the
/// name NUL-terminated and padded to 8 (the length field holds the padded
/// size), the values as u32, and 4 zero bytes when their count is odd.
///
/// The body is a multiple of 8 bytes. Write it with [`MESSAGE_FLAGS`].
///
/// # Errors
///
/// As [`validate`].
pub fn encode_v1(filters: &[Filter]) -> Result<Vec<u8>> {
    validate(filters)?;
    let mut out = Vec::with_capacity(8 + 32 * filters.len());
    // Validated: at most 32 filters.
    out.extend_from_slice(&[1, filters.len() as u8, 0, 0, 0, 0, 0, 0]);
    for filter in filters {
        let name = filter.name().as_bytes();
        // Name plus NUL, padded to 8: at most 16 bytes for these names.
        let name_len = (name.len() + 1).div_ceil(8) * 8;
        let values = filter.client_data();
        let flags = if filter.is_optional() {
            FLAG_OPTIONAL
        } else {
            0
        };
        out.extend_from_slice(&filter.id().to_le_bytes());
        out.extend_from_slice(&(name_len as u16).to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&(values.len() as u16).to_le_bytes());
        out.extend_from_slice(name);
        out.resize(out.len() + name_len - name.len(), 0);
        for v in &values {
            out.extend_from_slice(&v.to_le_bytes());
        }
        if values.len() % 2 == 1 {
            out.extend_from_slice(&[0; 4]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::hex;

    const DEFLATE4: &str = "0100 0800 0100 0100 6465666c61746500 04000000 00000000";
    const SHUFFLE4: &str = "0200 0800 0100 0100 73687566666c6500 04000000 00000000";
    const FLETCHER: &str = "0300 1000 0000 0000 666c6574636865723332000000000000";

    fn one(filter: Filter) -> Vec<u8> {
        encode_v1(&[filter]).unwrap()
    }

    /// h5py 3.16 `compression='gzip', compression_opts=4` (and 9).
    #[test]
    fn h5py_deflate() {
        let want = hex(&format!("01 01 000000000000 {DEFLATE4}"));
        assert_eq!(one(Filter::Deflate { level: 4 }), want);
        let nine = one(Filter::Deflate { level: 9 });
        assert_eq!(&nine[24..28], &[9, 0, 0, 0]);
    }

    /// h5py 3.16 `shuffle=True` on int32, float64 and uint8.
    #[test]
    fn h5py_shuffle() {
        let want = hex(&format!("01 01 000000000000 {SHUFFLE4}"));
        assert_eq!(one(Filter::Shuffle { element_size: 4 }), want);
        assert_eq!(
            &one(Filter::Shuffle { element_size: 8 })[24..28],
            &[8, 0, 0, 0]
        );
        assert_eq!(
            &one(Filter::Shuffle { element_size: 1 })[24..28],
            &[1, 0, 0, 0]
        );
    }

    /// h5py 3.16 `fletcher32=True`: mandatory, no client data, 16-byte name.
    #[test]
    fn h5py_fletcher32() {
        let want = hex(&format!("01 01 000000000000 {FLETCHER}"));
        assert_eq!(one(Filter::Fletcher32), want);
    }

    /// h5py 3.16 gzip 4 + shuffle + fletcher32 on int32: h5py orders them
    /// shuffle, deflate, fletcher32.
    #[test]
    fn h5py_combination() {
        let filters = [
            Filter::Shuffle { element_size: 4 },
            Filter::Deflate { level: 4 },
            Filter::Fletcher32,
        ];
        let want = hex(&format!(
            "01 03 000000000000 {SHUFFLE4} {DEFLATE4} {FLETCHER}"
        ));
        let got = encode_v1(&filters).unwrap();
        assert_eq!(got.len(), 80);
        assert_eq!(got, want);
    }

    #[test]
    fn empty_and_limits() {
        assert_eq!(encode_v1(&[]).unwrap(), hex("01 00 000000000000"));
        let many = vec![Filter::Fletcher32; MAX_FILTERS];
        assert_eq!(encode_v1(&many).unwrap().len(), 8 + 32 * 24);
        let too_many = vec![Filter::Fletcher32; MAX_FILTERS + 1];
        assert!(matches!(
            encode_v1(&too_many),
            Err(Error::FieldOverflow { .. })
        ));
        assert!(encode_v1(&[Filter::Deflate { level: 10 }]).is_err());
        assert!(encode_v1(&[Filter::Shuffle { element_size: 0 }]).is_err());
        for f in [
            Filter::Deflate { level: 0 },
            Filter::Shuffle { element_size: 1 },
        ] {
            assert!(f.validate().is_ok() && f.is_optional());
        }
        assert!(!Filter::Fletcher32.is_optional());
    }
}
