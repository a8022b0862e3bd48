//! An attribute: a value stored as a message in its object's header.

use crate::engine::space::Extent;
use crate::format::datatype::ElementType;

/// An attribute, stored as a message in its object's header.
#[derive(Clone, Debug)]
pub(crate) struct Attr {
    pub name: String,
    pub dtype: ElementType,
    pub shape: Vec<u64>,
    /// The value in file format (16-byte heap references for strings).
    pub data: Vec<u8>,
    /// Global heap block of a string attribute.
    pub block: Option<Extent>,
    /// The Attribute message body as read from a file, written back as it
    /// is while the attribute is unchanged (`None` once written to, and for
    /// attributes made through the API).
    pub raw: Option<Vec<u8>>,
}
