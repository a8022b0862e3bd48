//! Loading datasets and attributes: header messages decoded into the
//! model's `DatasetMeta` and `Attr`, datatypes kept as `load/types.rs`
//! says. Spec notes: `spec-notes/dataspace.md`, `spec-notes/datatype.md`,
//! `spec-notes/layout.md`, `spec-notes/chunked-layout.md`,
//! `spec-notes/filter-pipeline.md`, `spec-notes/fill-value.md`,
//! `spec-notes/attribute.md`.

use super::types::{attribute_type, dataset_type};
use super::Loader;
use crate::engine::model::{Attr, Chunked, DatasetMeta, StoredChunk};
use crate::engine::space::Extent;
use crate::error::{Error, Result};
use crate::format::attribute::decode::AttrMsg;
use crate::format::btree::chunk::{decode::node_size_k, walk};
use crate::format::dataspace::decode::Dataspace;
use crate::format::datatype::decode::TypeDesc;
use crate::format::field::UNDEF_ADDR;
use crate::format::fill_value::decode::{Fill, FillValue};
use crate::format::filter_pipeline::decode::{self as pipeline, FilterDesc};
use crate::format::layout::decode::Layout;
use crate::format::object_header::RawMessage;

pub(super) const DATASPACE: u16 = 0x0001;
pub(super) const DATATYPE: u16 = 0x0003;
pub(super) const FILL_VALUE: u16 = 0x0005;
pub(super) const LAYOUT: u16 = 0x0008;
pub(super) const FILTERS: u16 = 0x000B;
pub(super) const ATTRIBUTE: u16 = 0x000C;

/// Maximum dimensions (`None` = unlimited), if the dataspace has them.
type MaxDims = Option<Vec<Option<u64>>>;

/// Dimensions and maximum dimensions of a dataspace.
fn dims(space: &Dataspace, structure: &'static str, offset: u64) -> Result<(Vec<u64>, MaxDims)> {
    match space {
        Dataspace::Scalar => Ok((Vec::new(), None)),
        Dataspace::Simple { dims, max } => Ok((dims.clone(), max.clone())),
        Dataspace::Null => Err(Error::Unsupported {
            structure,
            offset,
            detail: "a null dataspace (no elements at all): h5sink does not represent it".into(),
        }),
    }
}

impl Loader<'_> {
    /// An attribute message, as the model holds attributes.
    pub(super) fn attribute(&mut self, m: &RawMessage) -> Result<Attr> {
        let a = AttrMsg::decode(&m.body, m.offset)?;
        let dtype = attribute_type(a.datatype, &m.body, m.offset)?;
        let (shape, _) = dims(&a.dataspace, "attribute message", m.offset)?;
        Ok(Attr {
            name: a.name,
            dtype,
            shape,
            data: a.data,
            block: None,
            raw: Some(m.body.clone()),
        })
    }

    /// A message h5sink neither needs nor writes (modification times,
    /// comments, ...): read-only opening leaves it be.
    pub(super) fn other_message(&mut self, _m: &RawMessage, _object: &str) -> Result<()> {
        Ok(())
    }

    /// The dataset whose object header at `addr` holds `messages`.
    pub(super) fn dataset(
        &mut self,
        addr: u64,
        messages: &[RawMessage],
    ) -> Result<(DatasetMeta, Vec<Attr>)> {
        let missing = |what: &str| Error::Malformed {
            structure: "object header",
            offset: addr,
            reason: format!("a dataset without a {what} message"),
        };
        let one = |kind: u16| messages.iter().find(|m| m.kind == kind);
        let space_msg = one(DATASPACE).ok_or_else(|| missing("Dataspace"))?;
        let type_msg = one(DATATYPE).ok_or_else(|| missing("Datatype"))?;
        let layout_msg = one(LAYOUT).ok_or_else(|| missing("Data Layout"))?;
        let space = Dataspace::decode(&space_msg.body, space_msg.offset)?;
        let (shape, max) = dims(&space, "dataspace message", space_msg.offset)?;
        let t = TypeDesc::decode(&type_msg.body, type_msg.offset)?;
        let dtype = dataset_type(t, &type_msg.body, type_msg.offset);
        let fill = match one(FILL_VALUE) {
            Some(m) => match FillValue::decode(&m.body, m.offset)?.fill {
                Fill::Value(v) => Some(v),
                Fill::Default | Fill::Undefined => None,
            },
            None => None,
        };
        let filters = match one(FILTERS) {
            Some(m) => pipeline::decode(&m.body, m.offset)?
                .into_iter()
                .map(|f| match f {
                    FilterDesc::Known(f) => Ok(f),
                    other => Err(Error::Unsupported {
                        structure: "filter pipeline message",
                        offset: m.offset,
                        detail: format!(
                            "filter {}: h5sink decodes shuffle, deflate, Fletcher-32, LZF, LZ4, bitshuffle, zstd and Blosc in the forms hdf5plugin 7.1 writes",
                            other.id()
                        ),
                    }),
                })
                .collect::<Result<Vec<_>>>()?,
            None => Vec::new(),
        };
        let size = crate::types::shape_bytes_of(&shape, dtype.element_size()).map_err(|_| {
            Error::Malformed {
                structure: "dataspace message",
                offset: space_msg.offset,
                reason: format!(
                    "dimensions {shape:?} of {}-byte elements hold more than 2^63 bytes",
                    dtype.element_size()
                ),
            }
        })?;
        let mut meta = DatasetMeta {
            dtype,
            shape,
            address: UNDEF_ADDR,
            size,
            block: Extent { start: 0, len: 0 },
            fill,
            compact: None,
            staged: None,
            spilled: false,
            chunked: None,
            virt: None,
        };
        let layout = Layout::decode(&layout_msg.body, layout_msg.offset, self.eof)?;
        match layout {
            Layout::Compact(data) => {
                if data.len() as u64 != meta.size {
                    return Err(Error::Malformed {
                        structure: "data layout message",
                        offset: layout_msg.offset,
                        reason: format!(
                            "{} bytes of compact data for a dataset of {} bytes",
                            data.len(),
                            meta.size
                        ),
                    });
                }
                meta.compact = Some(data);
            }
            Layout::Contiguous { address, size } => {
                if address.is_some() && size != meta.size {
                    return Err(Error::Malformed {
                        structure: "data layout message",
                        offset: layout_msg.offset,
                        reason: format!(
                            "{size} bytes of data for a dataset of {} bytes",
                            meta.size
                        ),
                    });
                }
                meta.address = address.unwrap_or(UNDEF_ADDR);
            }
            Layout::Chunked(c) => {
                let chunk: Vec<u64> = c.dims.iter().map(|&d| u64::from(d)).collect();
                let max = max.unwrap_or_else(|| meta.shape.iter().map(|&d| Some(d)).collect());
                let mut k = Chunked::new(chunk.clone(), max.clone(), filters);
                if let Some(root) = c.btree {
                    let mut full = chunk;
                    full.push(u64::from(c.element_size));
                    let limits: Vec<u64> = max.iter().map(|m| m.unwrap_or(u64::MAX)).collect();
                    let node_len = node_size_k(meta.shape.len(), self.sb.chunk_internal_k);
                    let (eof, chunk_k) = (self.eof, self.sb.chunk_internal_k);
                    let budget = usize::try_from(self.budget).unwrap_or(usize::MAX);
                    let entries = walk(
                        |at| self.read("chunk B-tree node", at, node_len),
                        root,
                        &full,
                        Some(&limits),
                        chunk_k,
                        eof,
                        budget,
                    )?;
                    for e in entries {
                        let coords: Vec<u64> = e
                            .offset
                            .iter()
                            .zip(&k.chunk)
                            .map(|(&o, &d)| o / d)
                            .collect();
                        let partial = k
                            .growable(&coords, &meta.shape)
                            .then(|| k.inside(&coords, &meta.shape));
                        k.stored.insert(
                            coords,
                            StoredChunk {
                                address: e.address,
                                size: e.size,
                                mask: e.filter_mask,
                                partial,
                            },
                        );
                    }
                }
                meta.chunked = Some(Box::new(k));
            }
            Layout::Virtual { collection, index } => {
                let max = max.unwrap_or_else(|| meta.shape.iter().map(|&d| Some(d)).collect());
                let (v, block) = self.virtual_layout(collection, index, max)?;
                meta.block = block;
                meta.virt = Some(Box::new(v));
            }
        }
        let mut attrs = Vec::new();
        for m in messages.iter().filter(|m| m.kind == ATTRIBUTE) {
            attrs.push(self.attribute(m)?);
        }
        Ok((meta, attrs))
    }
}
