//! Transactions on virtual datasets: creating one (its mapping list written
//! into a global heap collection of new space), describing one, and the
//! refusal of row I/O on them. Spec notes: `spec-notes/virtual-dataset.md`.

use crate::engine::model::{DatasetMeta, NodeId, NodeKind, VirtualMeta};
use crate::engine::state::State;
use crate::engine::txn::Engine;
use crate::error::{Error, Result};
use crate::format::datatype::{Datatype, ElementType};
use crate::format::global_heap;
use crate::format::vds::{self, Mapping};

/// A validated virtual dataset: everything but the path is checked.
#[derive(Clone, Debug)]
pub(crate) struct VirtualSpec {
    pub dtype: Datatype,
    pub shape: Vec<u64>,
    pub max: Vec<Option<u64>>,
    /// A user fill value, one element in file format.
    pub fill: Option<Vec<u8>>,
    pub mappings: Vec<Mapping>,
}

/// What a virtual dataset maps, as the model holds it.
#[derive(Clone, Debug)]
pub(crate) struct VirtualInfo {
    pub mappings: Vec<Mapping>,
}

impl Engine {
    /// Create virtual dataset `spec` at `path` below group `base`: its id
    /// and full path. The mapping list goes at once into a global heap
    /// collection of new space (nothing committed points at it until the
    /// next commit).
    pub fn create_virtual(
        &self,
        base: NodeId,
        path: &str,
        spec: VirtualSpec,
    ) -> Result<(NodeId, String)> {
        self.txn(|io, st| {
            let resolved = st.tree.resolve(base, path)?;
            let object = vds::encode(&spec.mappings)?;
            let plans = global_heap::pack(&[object.len() as u64])?;
            let plan = plans.first().ok_or_else(|| Error::Bug {
                what: "no global heap collection planned for a mapping list".into(),
            })?;
            let mut buf = Vec::new();
            global_heap::encode(&mut buf, plan, &[&object])?;
            let size = crate::types::shape_bytes_of(&spec.shape, spec.dtype.element_size())?;
            let block = st.space.alloc(plan.size)?;
            let meta = DatasetMeta {
                dtype: ElementType::Known(spec.dtype),
                shape: spec.shape,
                address: crate::format::field::UNDEF_ADDR,
                size,
                block,
                fill: spec.fill,
                compact: None,
                staged: None,
                spilled: false,
                chunked: None,
                virt: Some(Box::new(VirtualMeta {
                    max: spec.max,
                    mappings: spec.mappings,
                    collection: block.start,
                    index: 1,
                })),
            };
            let id = st.tree.insert(resolved, NodeKind::Dataset(meta))?;
            st.touch();
            io.write_at(block.start, &buf)?;
            Ok((id, st.tree.path(id)))
        })
    }

    /// The mappings of dataset `id` if it is virtual (also after close).
    pub fn virtual_info(&self, id: NodeId) -> Option<VirtualInfo> {
        self.read(|st| {
            let v = st.tree.dataset(id)?.virt.as_ref()?;
            Some(VirtualInfo {
                mappings: v.mappings.clone(),
            })
        })
    }
}

/// Refuse `call` on dataset `d` (node `id`) when it is virtual: its
/// values live in its source datasets, which h5sink neither reads nor
/// writes through it.
pub(crate) fn refuse_virtual(st: &State, id: NodeId, d: &DatasetMeta, call: &str) -> Result<()> {
    match &d.virt {
        None => Ok(()),
        Some(v) => Err(Error::Unsupported {
            structure: "virtual dataset",
            offset: v.collection,
            detail: format!(
                "{call} on {:?}: its values live in the {} source dataset(s) it maps; h5sink writes and describes virtual datasets but does not read or write their values (h5py does)",
                crate::error::clip(&st.tree.path(id)),
                v.mappings.len()
            ),
        }),
    }
}
