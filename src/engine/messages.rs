//! The messages of each object header: what a group or dataset node of the
//! tree turns into, before addresses are known (plan.rs places them).

use crate::engine::model::{Attr, DatasetMeta};
use crate::error::Result;
use crate::format::datatype::Datatype;
use crate::format::field::UNDEF_ADDR;
use crate::format::fill_value::{self, AllocTime, FillTime};
use crate::format::layout::{self, chunked};
use crate::format::object_header::{kind, Message, FLAG_CONSTANT};
use crate::format::{attribute, dataspace, filter_pipeline, symbol_table};

/// An owned header message.
#[derive(Clone, Debug)]
pub(crate) struct Msg {
    pub kind: u16,
    pub flags: u8,
    pub body: Vec<u8>,
}

impl Msg {
    fn new(kind: u16, flags: u8, body: Vec<u8>) -> Self {
        Msg { kind, flags, body }
    }

    pub fn as_message(&self) -> Message<'_> {
        Message {
            kind: self.kind,
            flags: self.flags,
            body: &self.body,
        }
    }
}

/// Borrowed views of `msgs`, for the object header encoder.
pub(crate) fn borrow(msgs: &[Msg]) -> Vec<Message<'_>> {
    msgs.iter().map(Msg::as_message).collect()
}

/// One Attribute message per attribute, in creation order.
pub(crate) fn attributes(attrs: &[Attr]) -> Result<Vec<Msg>> {
    attrs.iter().map(attribute_message).collect()
}

/// The Attribute message of `a`.
pub(crate) fn attribute_message(a: &Attr) -> Result<Msg> {
    let body = attribute::encode(
        &a.name,
        &a.dtype.encode(),
        &dataspace::encode(&a.shape)?,
        &a.data,
    )?;
    Ok(Msg::new(kind::ATTRIBUTE, 0, body))
}

/// A group's header: its Symbol Table message, then its attributes.
pub(crate) fn group(btree: u64, heap: u64, attrs: &[Msg]) -> Vec<Msg> {
    let mut out = Vec::with_capacity(1 + attrs.len());
    out.push(Msg::new(
        kind::SYMBOL_TABLE,
        0,
        symbol_table::encode(btree, heap),
    ));
    out.extend_from_slice(attrs);
    out
}

/// A dataset's header: dataspace, datatype, fill value, layout, then its
/// attributes, with the values h5py writes for the same dataset.
pub(crate) fn dataset(d: &DatasetMeta, attrs: Vec<Msg>) -> Result<Vec<Msg>> {
    dataset_with_index(d, attrs, UNDEF_ADDR)
}

/// [`dataset`] with the address of a chunked dataset's index B-tree.
pub(crate) fn dataset_with_index(d: &DatasetMeta, attrs: Vec<Msg>, btree: u64) -> Result<Vec<Msg>> {
    // libhdf5 allocates compact storage early, chunks incrementally,
    // contiguous storage late. h5py gives string datasets fill time "on
    // allocation", numbers "if set".
    let alloc = if d.compact.is_some() {
        AllocTime::Early
    } else if d.chunked.is_some() {
        AllocTime::Incremental
    } else {
        AllocTime::Late
    };
    let fill_time = match d.dtype {
        Datatype::VlenUtf8 => FillTime::OnAlloc,
        _ => FillTime::IfSet,
    };
    let fill = match &d.fill {
        Some(v) => fill_value::encode_user(alloc, fill_time, v)?,
        None => fill_value::encode_default(alloc, fill_time),
    };
    let layout = match (&d.compact, &d.chunked) {
        (Some(data), _) => layout::compact(data)?,
        (None, Some(c)) => {
            let dims: Vec<u32> = c
                .chunk
                .iter()
                .map(|&k| u32::try_from(k).unwrap_or(u32::MAX))
                .collect();
            chunked::chunked_v3(btree, &dims, d.dtype.element_size())?
        }
        (None, None) => layout::contiguous(d.address, d.size),
    };
    let space = match &d.chunked {
        Some(c) => dataspace::encode_with_max(&d.shape, &c.max)?,
        None => dataspace::encode(&d.shape)?,
    };
    let mut out = vec![
        Msg::new(kind::DATASPACE, 0, space),
        Msg::new(kind::DATATYPE, FLAG_CONSTANT, d.dtype.encode()),
        Msg::new(kind::FILL_VALUE, FLAG_CONSTANT, fill),
    ];
    // libhdf5 adds the old-style fill message after a user-defined one.
    if let Some(v) = &d.fill {
        out.push(Msg::new(
            kind::FILL_VALUE_OLD,
            FLAG_CONSTANT,
            fill_value::encode_old(v),
        ));
    }
    if let Some(c) = d.chunked.as_ref().filter(|c| !c.filters.is_empty()) {
        out.push(Msg::new(
            filter_pipeline::MESSAGE_TYPE,
            filter_pipeline::MESSAGE_FLAGS,
            filter_pipeline::encode_v1(&c.filters)?,
        ));
    }
    out.push(Msg::new(kind::LAYOUT, 0, layout));
    out.extend(attrs);
    Ok(out)
}
