//! Loading a virtual dataset's layout: the mapping list read from its
//! global heap collection and decoded. Spec notes:
//! `spec-notes/virtual-dataset.md` ("What we read").

use super::Loader;
use crate::engine::model::VirtualMeta;
use crate::engine::space::Extent;
use crate::error::{Error, Result};
use crate::format::field::UNDEF_ADDR;
use crate::format::global_heap::{collection_size, decode_collection};
use crate::format::vds;

impl Loader<'_> {
    /// The virtual layout whose mapping list is object `index` of the
    /// collection at `collection` (`None`: no mappings), and the extent of
    /// that collection.
    pub(super) fn virtual_layout(
        &mut self,
        collection: Option<u64>,
        index: u32,
        max: Vec<Option<u64>>,
    ) -> Result<(VirtualMeta, Extent)> {
        let Some(at) = collection else {
            let meta = VirtualMeta {
                max,
                mappings: Vec::new(),
                collection: UNDEF_ADDR,
                index,
            };
            return Ok((meta, Extent { start: 0, len: 0 }));
        };
        let header = self.read("global heap collection", at, 16)?;
        let size = collection_size(&header, at, self.eof)?;
        let bytes = self.read("global heap collection", at, size)?;
        let heap = decode_collection(&bytes, at, self.eof)?;
        let object = u16::try_from(index)
            .ok()
            .and_then(|i| heap.objects.get(&i))
            .ok_or_else(|| Error::Malformed {
                structure: "data layout message",
                offset: at,
                reason: format!(
                    "a virtual layout naming object {index} of the global heap collection at {at}, which has no such object"
                ),
            })?;
        let mappings = vds::decode(object, at)?;
        let meta = VirtualMeta {
            max,
            mappings,
            collection: at,
            index,
        };
        Ok((
            meta,
            Extent {
                start: at,
                len: size,
            },
        ))
    }
}
