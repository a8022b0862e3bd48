//! Transactions on attributes: creating one with its value in one step,
//! and rewriting a value.

use crate::engine::heap_io;
use crate::engine::messages;
use crate::engine::model::{Attr, NodeId};
use crate::engine::ops::strings::check_nul;
use crate::engine::txn::Engine;
use crate::error::{Error, Result};
use crate::format::attribute::MAX_MESSAGE_SIZE;
use crate::format::dataspace::MAX_RANK;
use crate::format::datatype::Datatype;
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
                name: crate::error::clip(name),
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
            dtype,
            shape: shape.clone(),
            data: Vec::new(),
            block: None,
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
                    group: format!("attributes of {object}"),
                    name: crate::error::clip(name),
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
            what: format!("attribute {name:?} of node {id} is missing"),
        })
}

/// Refuse an attribute whose header message would pass the limit.
fn check_size(object: &str, attr: &Attr, data_len: u64) -> Result<()> {
    let empty = messages::attribute_message(&Attr {
        data: Vec::new(),
        ..attr.clone()
    });
    // A message that cannot even be encoded empty (a name too long for its
    // 16-bit size field) is too large as well.
    let size = match empty {
        Ok(m) => (m.body.len() as u64).saturating_add(data_len),
        Err(_) => (attr.name.len() as u64)
            .saturating_add(data_len)
            .max(MAX_MESSAGE_SIZE + 1),
    };
    if size > MAX_MESSAGE_SIZE {
        return Err(Error::AttributeTooLarge {
            object: object.into(),
            name: crate::error::clip(&attr.name),
            size,
            max: MAX_MESSAGE_SIZE,
        });
    }
    Ok(())
}
