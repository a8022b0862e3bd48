//! Datatype message (version 1). Spec notes: `spec-notes/datatype.md`.

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
    /// Little-endian IEEE float of 4 or 8 bytes.
    Float {
        /// Bytes per element.
        size: u8,
    },
    /// Variable-length UTF-8 string (h5py's `string_dtype()`).
    VlenUtf8,
}

impl Datatype {
    /// Bytes one element takes in a dataset (16 for a variable-length reference).
    pub fn element_size(&self) -> u32 {
        todo!()
    }

    /// Body of the Datatype message.
    pub fn encode(&self) -> Vec<u8> {
        todo!()
    }
}
