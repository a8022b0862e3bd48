//! The messages of each object header: what a group or dataset node of the
//! tree turns into, before addresses are known (plan.rs places them).

pub(crate) use crate::engine::model::Msg;
use crate::engine::model::{Attr, DatasetMeta};
use crate::error::Result;
use crate::format::dataspace::decode::Dataspace;
use crate::format::datatype::Datatype;
use crate::format::field::UNDEF_ADDR;
use crate::format::fill_value::{self, AllocTime, FillTime};
use crate::format::layout::{self, chunked};
use crate::format::object_header::{kind, Message, FLAG_CONSTANT};
use crate::format::{attribute, dataspace, filter_pipeline, symbol_table};

/// Borrowed views of `msgs`, for the object header encoder.
pub(crate) fn borrow(msgs: &[Msg]) -> Vec<Message<'_>> {
    msgs.iter().map(Msg::as_message).collect()
}

/// One Attribute message per attribute, in creation order.
pub(crate) fn attributes(attrs: &[Attr]) -> Result<Vec<Msg>> {
    attrs.iter().map(attribute_message).collect()
}

/// The Attribute message of `a`: as read from its file while unchanged.
pub(crate) fn attribute_message(a: &Attr) -> Result<Msg> {
    if let Some(raw) = &a.raw {
        return Ok(Msg::new(kind::ATTRIBUTE, 0, raw.clone()));
    }
    let body = attribute::encode(
        &a.name,
        &a.dtype.encode(),
        &dataspace::encode(&a.shape)?,
        &a.data,
    )?;
    Ok(Msg::new(kind::ATTRIBUTE, 0, body))
}

/// A group's header: its Symbol Table message, then the messages a
/// loaded group kept (`extra`), then its attributes.
pub(crate) fn group(btree: u64, heap: u64, extra: &[Msg]) -> Vec<Msg> {
    let mut out = Vec::with_capacity(1 + extra.len());
    out.push(Msg::new(
        kind::SYMBOL_TABLE,
        0,
        symbol_table::encode(btree, heap),
    ));
    out.extend_from_slice(extra);
    out
}

/// The messages a loaded group keeps besides those that store its members
/// (Symbol Table, or Link Info, Group Info and Link messages): a commit
/// writes those anew.
pub(crate) fn group_kept(header: Option<&[Msg]>) -> Vec<Msg> {
    header
        .unwrap_or_default()
        .iter()
        .filter(|m| !crate::format::link::stores_members(m.kind))
        .cloned()
        .collect()
}

/// A dataset's header: dataspace, datatype, fill value, layout, then its
/// attributes, with the values h5py writes for the same dataset. A loaded
/// dataset (`header`) keeps its messages as read, in their order; only its
/// dataspace (when the shape changed) and its layout are encoded anew.
pub(crate) fn dataset(
    d: &DatasetMeta,
    header: Option<&[Msg]>,
    attrs: Vec<Msg>,
) -> Result<Vec<Msg>> {
    dataset_with_index(d, header, attrs, UNDEF_ADDR)
}

/// [`dataset`] with the address of a chunked dataset's index B-tree.
pub(crate) fn dataset_with_index(
    d: &DatasetMeta,
    header: Option<&[Msg]>,
    attrs: Vec<Msg>,
    btree: u64,
) -> Result<Vec<Msg>> {
    match header {
        Some(h) => loaded(d, h, attrs, btree),
        None => made(d, attrs, btree),
    }
}

/// The header of a dataset loaded from a file: its messages as read, with
/// the layout (chunk index address, data address) and, when the shape
/// changed, the dataspace encoded from the model.
fn loaded(d: &DatasetMeta, header: &[Msg], attrs: Vec<Msg>, btree: u64) -> Result<Vec<Msg>> {
    let mut out = Vec::with_capacity(header.len() + attrs.len());
    for m in header {
        let m = match m.kind {
            kind::LAYOUT => Msg::new(kind::LAYOUT, m.flags, layout_body(d, btree)?),
            kind::DATASPACE => {
                let same = match Dataspace::decode(&m.body, 0) {
                    Ok(Dataspace::Simple { dims, .. }) => dims == d.shape,
                    Ok(Dataspace::Scalar) => d.shape.is_empty(),
                    _ => false,
                };
                if same {
                    m.clone()
                } else {
                    Msg::new(kind::DATASPACE, m.flags, space_body(d)?)
                }
            }
            _ => m.clone(),
        };
        out.push(m);
    }
    out.extend(attrs);
    Ok(out)
}

/// The Data Layout message body of `d`, its chunk index at `btree`.
fn layout_body(d: &DatasetMeta, btree: u64) -> Result<Vec<u8>> {
    if let Some(v) = &d.virt {
        return Ok(crate::format::vds::layout_body(v.collection, v.index));
    }
    match (&d.compact, &d.chunked) {
        (Some(data), _) => layout::compact(data),
        (None, Some(c)) => {
            let dims: Vec<u32> = c
                .chunk
                .iter()
                .map(|&k| u32::try_from(k).unwrap_or(u32::MAX))
                .collect();
            chunked::chunked_v3(btree, &dims, d.dtype.element_size())
        }
        (None, None) => Ok(layout::contiguous(d.address, d.size)),
    }
}

/// The Dataspace message body of `d` (with maximum dimensions if chunked
/// or virtual: libhdf5 writes them for every virtual dataset).
fn space_body(d: &DatasetMeta) -> Result<Vec<u8>> {
    match (&d.chunked, &d.virt) {
        (Some(c), _) => dataspace::encode_with_max(&d.shape, &c.max),
        (None, Some(v)) => dataspace::encode_with_max(&d.shape, &v.max),
        (None, None) => dataspace::encode(&d.shape),
    }
}

/// The header of a dataset made through the API.
fn made(d: &DatasetMeta, attrs: Vec<Msg>, btree: u64) -> Result<Vec<Msg>> {
    // libhdf5 allocates compact storage early, chunks (and virtual
    // datasets) incrementally, contiguous storage late. h5py gives string
    // datasets fill time "on allocation", numbers "if set".
    let alloc = if d.compact.is_some() {
        AllocTime::Early
    } else if d.chunked.is_some() || d.virt.is_some() {
        AllocTime::Incremental
    } else {
        AllocTime::Late
    };
    let fill_time = match d.dtype.known() {
        Some(Datatype::VlenUtf8) => FillTime::OnAlloc,
        _ => FillTime::IfSet,
    };
    let fill = match &d.fill {
        Some(v) => fill_value::encode_user(alloc, fill_time, v)?,
        None => fill_value::encode_default(alloc, fill_time),
    };
    let layout = layout_body(d, btree)?;
    let space = space_body(d)?;
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
