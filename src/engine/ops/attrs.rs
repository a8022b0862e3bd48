//! Transactions on attributes: creating one with its value in one step,
//! and rewriting a value.

use crate::engine::heap_io;
use crate::engine::model::{Attr, NodeId};
use crate::engine::ops::strings::check_nul;
use crate::engine::txn::Engine;
use crate::error::{clip, Error, Result};
use crate::format::attribute::MAX_MESSAGE_SIZE;
use crate::format::dataspace::{self, MAX_RANK};
use crate::format::datatype::{Datatype, ElementType};
use crate::types::shape_bytes;

/// The value a new attribute starts with.
#[derive(Debug)]
pub(crate) enum AttrValue {
    /// All zero bytes (numbers 0, strings empty references).
    Zeros,
    /// The value in file format, of exactly the attribute's size.
    Bytes(Vec<u8>),
    /// Variable-length strings, one per element.
    Strings(Vec<String>),
}

impl Engine {
    /// Create attribute `name` of `dtype` and `shape` on node `id` (whose
    /// path, for messages, is `object`), holding `value`: checked whole,
    /// then added with its value in one transaction.
    pub fn create_attr(
        &self,
        id: NodeId,
        object: &str,
        name: &str,
        dtype: Datatype,
        shape: Vec<u64>,
        value: AttrValue,
    ) -> Result<()> {
        self.io().check()?;
        let reason = if name.is_empty() {
            "attribute names must not be empty"
        } else if name.contains('\0') {
            "attribute names must not contain NUL"
        } else {
            ""
        };
        if !reason.is_empty() {
            return Err(Error::InvalidName {
                name: clip(name),
                reason,
            });
        }
        if shape.len() > MAX_RANK {
            return Err(Error::RankTooHigh {
                rank: shape.len(),
                max: MAX_RANK,
            });
        }
        let size = shape_bytes(&shape, &dtype)?;
        let mut attr = Attr {
            name: name.into(),
            dtype: ElementType::Known(dtype),
            shape: shape.clone(),
            data: Vec::new(),
            block: None,
            raw: None,
        };
        // Refuse oversized values before allocating them. Small values of
        // short types fit for certain (the type and dataspace take well
        // under 1 KiB): skip encoding the message just to measure it.
        let short_type = !matches!(
            dtype,
            Datatype::Compound { .. } | Datatype::Enum { .. } | Datatype::Array { .. }
        );
        if !(short_type && size + name.len() as u64 <= 60_000) {
            check_size(object, &attr, size)?;
        }
        let len = usize::try_from(size).map_err(|_| Error::ShapeOverflow {
            shape: shape.clone(),
            element_size: u64::from(dtype.element_size()),
        })?;
        let strings = match value {
            AttrValue::Zeros => {
                attr.data = vec![0; len];
                None
            }
            AttrValue::Bytes(b) if b.len() == len => {
                attr.data = b;
                None
            }
            AttrValue::Bytes(b) => {
                return Err(Error::Bug {
                    what: format!(
                        "attribute value of {} bytes for a {len}-byte attribute",
                        b.len()
                    ),
                })
            }
            AttrValue::Strings(s) => {
                check_nul(&format!("{object}@{name}"), &s)?;
                Some(s)
            }
        };
        self.txn(|io, st| {
            let node = st.tree.nodes.get(id).ok_or_else(|| Error::Bug {
                what: format!("attribute on node {id}, which does not exist"),
            })?;
            if node.attrs.iter().any(|a| a.name == name) {
                return Err(Error::DuplicateName {
                    group: format!("attributes of {}", clip(object)),
                    name: clip(name),
                });
            }
            if let Some(strings) = strings {
                let stored = heap_io::store(io, st, &strings, false)?;
                attr.data = stored.refs;
                attr.block = Some(stored.block);
            }
            if let Some(node) = st.tree.nodes.get_mut(id) {
                node.attrs.push(attr);
            }
            st.touch();
            Ok(())
        })
    }

    /// Replace the value of attribute `name` of node `id` with `data`
    /// (file format, the attribute's size).
    pub fn write_attr(&self, id: NodeId, name: &str, data: Vec<u8>) -> Result<()> {
        self.txn(|_, st| {
            let a = attr_mut(st, id, name)?;
            a.data = data;
            a.raw = None;
            st.touch();
            Ok(())
        })
    }

    /// Replace the strings of string attribute `name` of node `id`.
    pub fn write_attr_strings<S: AsRef<str>>(
        &self,
        id: NodeId,
        object: &str,
        name: &str,
        strings: &[S],
    ) -> Result<()> {
        check_nul(&format!("{object}@{name}"), strings)?;
        self.txn(|io, st| {
            attr_mut(st, id, name)?;
            let stored = heap_io::store(io, st, strings, false)?;
            let a = attr_mut(st, id, name)?;
            a.data = stored.refs;
            a.raw = None;
            let old = a.block.replace(stored.block);
            if let Some(old) = old {
                // The committed state may still refer to the old strings.
                st.retire(old);
            }
            st.touch();
            Ok(())
        })
    }
}

fn attr_mut<'s>(
    st: &'s mut crate::engine::state::State,
    id: NodeId,
    name: &str,
) -> Result<&'s mut Attr> {
    st.tree
        .nodes
        .get_mut(id)
        .and_then(|n| n.attrs.iter_mut().find(|a| a.name == name))
        .ok_or_else(|| Error::Bug {
            what: format!("attribute {:?} of node {id} is missing", clip(name)),
        })
}

// The limit the message of a too-long name states.
const _: () = assert!(MAX_MESSAGE_SIZE == 65528);

/// Why an attribute name too long for its header message is refused.
const NAME_TOO_LONG: &str = "the name is too long: an attribute's name (in UTF-8 bytes), type and shape must fit in one header message of at most 65528 bytes";

/// Refuse an attribute whose header message (laid out as
/// `format::attribute::encode` lays it out) would pass the limit: when the
/// message is too large even without its value and the name is its largest
/// part, the name is invalid; otherwise the attribute is too large.
fn check_size(object: &str, attr: &Attr, data_len: u64) -> Result<()> {
    let pad8 = |n: u64| n.div_ceil(8).saturating_mul(8);
    let name = pad8((attr.name.len() as u64).saturating_add(1));
    let dtype = pad8(attr.dtype.encode().len() as u64);
    let space = pad8(dataspace::encode(&attr.shape)?.len() as u64);
    let header = name.saturating_add(dtype + space + 8);
    if header > MAX_MESSAGE_SIZE && name > dtype + space {
        return Err(Error::InvalidName {
            name: clip(&attr.name),
            reason: NAME_TOO_LONG,
        });
    }
    let size = header.saturating_add(data_len);
    if size > MAX_MESSAGE_SIZE {
        return Err(Error::AttributeTooLarge {
            object: clip(object),
            name: clip(&attr.name),
            size,
            max: MAX_MESSAGE_SIZE,
        });
    }
    Ok(())
}
