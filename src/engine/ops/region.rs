//! Transactions of regions (spec-notes/regions.md): handing out rows of a
//! contiguous dataset to writers in other processes, and the facts such a
//! writer checks its token against in the file it opened.

use crate::engine::commit;
use crate::engine::model::{Attr, NodeId};
use crate::engine::ops::data::path;
use crate::engine::ops::tree::dataset;
use crate::engine::rows;
use crate::engine::state::State;
use crate::engine::txn::Engine;
use crate::error::{Error, RegionError, Result};
use crate::format::datatype::{Datatype, ElementType};

/// The attribute holding a dataset's region id.
pub(crate) const REGION_ID_ATTR: &str = "h5sink_region_id";
/// Hex digits of a region id (128 bits).
pub(crate) const REGION_ID_LEN: usize = 32;
/// The region id's type: numpy `S32`.
const ID_TYPE: Datatype = Datatype::FixedString {
    size: REGION_ID_LEN as u32,
    utf8: false,
};

/// What a region token says about its dataset, as the model holds it.
#[derive(Clone, Debug)]
pub(crate) struct RegionFacts {
    /// The dataset's region id (32 lowercase hex digits), once it has one.
    pub file_id: Option<String>,
    /// Its full path.
    pub path: String,
    /// Address of its data block.
    pub address: u64,
    /// Its rows (the first dimension).
    pub rows: u64,
    /// Bytes of one row.
    pub row_bytes: u64,
    /// Its element type, as `describe` names it.
    pub dtype: String,
}

impl Engine {
    /// Hand out rows `start..start + rows` of dataset `id`: check that it
    /// can hand out regions and that the rows exist, then allocate its data
    /// block if a loaded file never did, give it the region id `fresh` if
    /// it has none, and commit if anything changed, so that a writer
    /// opening the file finds the dataset, its id and its block.
    pub fn region(&self, id: NodeId, start: u64, count: u64, fresh: &str) -> Result<RegionFacts> {
        self.txn(|io, st| {
            let f = facts(st, id)?;
            let end = start.saturating_add(count);
            if end > f.rows {
                return Err(Error::RowsOutOfRange {
                    dataset: path(st, id),
                    start,
                    end,
                    rows: f.rows,
                });
            }
            if let Some(d) = st.tree.dataset_mut(id) {
                if rows::allocate_late(io, &mut st.space, d)? {
                    st.touch();
                }
            }
            if f.file_id.is_none() {
                let attr = Attr {
                    name: REGION_ID_ATTR.into(),
                    dtype: ElementType::Known(ID_TYPE),
                    shape: Vec::new(),
                    data: fresh.as_bytes().to_vec(),
                    block: None,
                    raw: None,
                };
                if let Some(node) = st.tree.nodes.get_mut(id) {
                    node.attrs.push(attr);
                }
                st.touch();
            }
            if st.is_dirty() {
                commit::commit(io, st, false, io.is_durable())?;
            }
            facts(st, id)
        })
    }

    /// The region facts of dataset `id`, for a region writer checking its
    /// token against the file it opened.
    pub fn region_facts(&self, id: NodeId) -> Result<RegionFacts> {
        self.view(|_, st| facts(st, id))
    }
}

/// The facts of dataset `id`, or why it cannot hand out regions.
fn facts(st: &State, id: NodeId) -> Result<RegionFacts> {
    let d = dataset(st, id)?;
    let unfit = |reason: String| {
        Error::Region(RegionError::Unfit {
            dataset: path(st, id),
            reason,
        })
    };
    if d.chunked.is_some() {
        return Err(unfit("it is chunked; regions need contiguous storage (no chunk shape, filter or maximum shape)".into()));
    }
    if d.compact.is_some() {
        return Err(unfit(
            "it is compact (its data is in its header); regions need contiguous storage".into(),
        ));
    }
    if d.shape.is_empty() {
        return Err(unfit("it is a scalar; regions are ranges of rows".into()));
    }
    if d.dtype.holds_addresses() {
        return Err(unfit(format!(
            "its elements ({}) hold file addresses, which only the creating process writes",
            d.dtype.describe()
        )));
    }
    if d.size == 0 {
        return Err(unfit(format!("its shape {:?} holds no bytes", d.shape)));
    }
    let file_id = match st
        .tree
        .node(id)
        .and_then(|n| n.attrs.iter().find(|a| a.name == REGION_ID_ATTR))
    {
        None => None,
        Some(a) => Some(read_id(a).ok_or_else(|| {
            unfit(format!(
                "its attribute {REGION_ID_ATTR} is not a scalar of {REGION_ID_LEN} hex digits"
            ))
        })?),
    };
    Ok(RegionFacts {
        file_id,
        path: st.tree.path(id),
        address: d.address,
        rows: d.shape.first().copied().unwrap_or(0),
        row_bytes: d.row_len() * d.elem(),
        dtype: d.dtype.describe(),
    })
}

/// The id an attribute holds, if it is a well-formed region id.
fn read_id(a: &Attr) -> Option<String> {
    let ok = a.shape.is_empty()
        && a.dtype.accepts(&ID_TYPE)
        && a.data.len() == REGION_ID_LEN
        && a.data.iter().all(|b| b.is_ascii_hexdigit());
    ok.then(|| String::from_utf8_lossy(&a.data).into_owned())
}
