//! Element types of loaded datasets and attributes: the model keeps every
//! type the decoder reads, as a `Datatype` when h5sink names it and
//! otherwise with its description and bytes (`ElementType::File`). Spec
//! notes: `spec-notes/datatype.md` ("What the loader keeps"),
//! `spec-notes/attribute.md`.

use crate::engine::model::{NodeKind, Tree};
use crate::error::{clip, Error, Result};
use crate::format::datatype::decode::TypeDesc;
use crate::format::datatype::ElementType;

/// The model's type of a dataset whose Datatype message body is `body`.
pub(super) fn dataset_type(desc: TypeDesc, body: &[u8], offset: u64) -> ElementType {
    ElementType::from_file(desc, body, offset)
}

/// The model's type of an attribute whose (decoded, so well-formed)
/// Attribute message body is `body`: the datatype bytes are the
/// `datatype size` bytes after the name (padded to 8 in version 1).
pub(super) fn attribute_type(desc: TypeDesc, body: &[u8], offset: u64) -> Result<ElementType> {
    let span = (|| {
        let version = *body.first()?;
        let field = |i: usize| {
            Some(usize::from(u16::from_le_bytes([
                *body.get(i)?,
                *body.get(i + 1)?,
            ])))
        };
        let (name, size) = (field(2)?, field(4)?);
        let start = match version {
            1 => 8 + name.div_ceil(8) * 8,
            2 => 8 + name,
            _ => 9 + name,
        };
        body.get(start..start.checked_add(size)?)
    })();
    match span {
        Some(raw) => Ok(ElementType::from_file(desc, raw, offset)),
        None => Err(Error::Bug {
            what: format!("attribute message at {offset} decoded, but its datatype bytes are not where its header says"),
        }),
    }
}

/// Refuse to change a file holding references: a commit writes object
/// headers anew at new addresses, so references (object header addresses)
/// would point at stale copies. `File::open` reads such files.
pub(crate) fn check_changeable(tree: &Tree) -> Result<()> {
    for node in &tree.nodes {
        let path = clip(&node.path);
        let own = match &node.kind {
            NodeKind::Dataset(d) => Some((format!("dataset {path:?}"), &d.dtype)),
            NodeKind::Group(_) | NodeKind::SoftLink(_) | NodeKind::ExternalLink { .. } => None,
        };
        let attrs = node.attrs.iter().map(|a| {
            let who = format!("attribute {:?} of {path:?}", clip(&a.name));
            (who, &a.dtype)
        });
        for (who, dtype) in own.into_iter().chain(attrs) {
            if let Some(at) = dtype.references_at() {
                return Err(Error::Unsupported {
                    structure: "datatype message",
                    offset: at,
                    detail: format!(
                        "{who} holds {}: h5sink writes object headers anew when it commits, which would leave the references pointing at stale copies; open the file read-only (File::open)",
                        dtype.describe()
                    ),
                });
            }
        }
    }
    Ok(())
}
