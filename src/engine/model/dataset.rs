//! A dataset's metadata: everything its object header says, and where its
//! data lives.

use crate::engine::space::Extent;
use crate::format::datatype::ElementType;

use super::chunks::Chunked;

/// A dataset's description: everything its object header says.
#[derive(Clone, Debug)]
pub(crate) struct DatasetMeta {
    pub dtype: ElementType,
    pub shape: Vec<u64>,
    /// Address of the contiguous data block (UNDEF when it holds no bytes).
    pub address: u64,
    /// Bytes of the data block.
    pub size: u64,
    /// All file space the dataset owns: its data block, plus the global heap
    /// collections of a string dataset.
    pub block: Extent,
    /// A user fill value (one element in file format), if set.
    pub fill: Option<Vec<u8>>,
    /// Compact storage: the data itself, kept in the object header.
    pub compact: Option<Vec<u8>>,
    /// Data of a small dataset not yet committed, held in memory and written
    /// with its neighbours at the next commit (one write instead of many).
    pub staged: Option<Vec<u8>>,
    /// Its staged data was written out early: later writes go straight to disk.
    pub spilled: bool,
    /// Chunked storage (then `address`/`block` are unused).
    pub chunked: Option<Box<Chunked>>,
    /// Virtual storage: the mappings (then `address` is unused and `block`
    /// is the global heap collection holding the mapping list).
    pub virt: Option<Box<VirtualMeta>>,
}

/// A virtual dataset's layout: its maximum shape and mapping list, stored
/// as object `index` of the global heap collection at `collection`.
#[derive(Clone, Debug)]
pub(crate) struct VirtualMeta {
    /// Maximum dimensions (`None` = unlimited).
    pub max: Vec<Option<u64>>,
    pub mappings: Vec<crate::format::vds::Mapping>,
    pub collection: u64,
    pub index: u32,
}

impl DatasetMeta {
    /// Values per row: the product of all dimensions but the first.
    pub fn row_len(&self) -> u64 {
        self.shape.iter().skip(1).product()
    }

    /// Bytes of one element in the file.
    pub fn elem(&self) -> u64 {
        u64::from(self.dtype.element_size())
    }
}
