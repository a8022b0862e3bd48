//! Checking a [`VirtualLayout`] before anything is written: ranks, slabs
//! inside their extents, equal element counts per mapping, unlimited
//! slabs only along unlimited dimensions, names, the fill value's type.
//! Spec notes: `spec-notes/virtual-dataset.md` ("Checks").

use super::{VirtualLayout, VirtualSource};
use crate::engine::VirtualSpec;
use crate::error::{clip, Error, Result};
use crate::format::dataspace::MAX_RANK;
use crate::format::selection::{Hyperslab, Selection};
use crate::format::vds::Mapping;

/// The validated spec of `layout`, to be created as `name`.
pub(super) fn spec(name: &str, layout: &VirtualLayout) -> Result<VirtualSpec> {
    let bad = |reason: String| Error::BadShape {
        dataset: clip(name),
        reason,
    };
    let shape = &layout.shape;
    if shape.is_empty() || shape.len() > MAX_RANK {
        return Err(bad(format!(
            "a virtual dataset needs 1 to {MAX_RANK} dimensions, the layout has {}",
            shape.len()
        )));
    }
    crate::types::shape_bytes_of(shape, layout.dtype.element_size())?;
    let max = extent_max(shape, layout.max.as_deref())
        .map_err(|why| bad(format!("maximum shape {:?}: {why}", layout.max)))?;
    if layout.maps.is_empty() {
        return Err(bad(
            "the layout maps no source: add one with VirtualLayout::map".into(),
        ));
    }
    let fill = match &layout.fill {
        None => None,
        Some((t, bytes)) if *t == layout.dtype => Some(bytes.clone()),
        Some((t, _)) => {
            return Err(Error::TypeMismatch {
                dataset: clip(name),
                expected: layout.dtype.describe(),
                got: format!("a fill value of type {}", t.describe()),
            })
        }
    };
    let mut mappings = Vec::with_capacity(layout.maps.len());
    for (i, (src, target)) in layout.maps.iter().enumerate() {
        let m = mapping(src, target, shape, &max).map_err(|why| {
            bad(format!(
                "mapping {i} (source {:?} in {:?}): {why}",
                clip(&src.dataset),
                clip(&src.file)
            ))
        })?;
        mappings.push(m);
    }
    Ok(VirtualSpec {
        dtype: layout.dtype,
        shape: shape.clone(),
        max,
        fill,
        mappings,
    })
}

/// The maximum shape: given, or the shape; each at least its dimension.
fn extent_max(
    shape: &[u64],
    max: Option<&[Option<u64>]>,
) -> std::result::Result<Vec<Option<u64>>, String> {
    let Some(max) = max else {
        return Ok(shape.iter().map(|&d| Some(d)).collect());
    };
    if max.len() != shape.len() {
        return Err(format!(
            "{} dimensions for a shape of {}",
            max.len(),
            shape.len()
        ));
    }
    for (d, (&n, m)) in shape.iter().zip(max).enumerate() {
        if m.is_some_and(|m| m < n) {
            return Err(format!("dimension {d} is {n}, above its maximum {m:?}"));
        }
    }
    Ok(max.to_vec())
}

/// One mapping, checked: the reason it is refused otherwise.
fn mapping(
    src: &VirtualSource,
    target: &Hyperslab,
    shape: &[u64],
    max: &[Option<u64>],
) -> std::result::Result<Mapping, String> {
    for (what, name) in [
        ("source file name", &src.file),
        ("source dataset name", &src.dataset),
    ] {
        if name.is_empty() || name.contains('\0') {
            return Err(format!(
                "the {what} {:?} is empty or holds a NUL byte",
                clip(name)
            ));
        }
    }
    if src.shape.is_empty() || src.shape.len() > MAX_RANK {
        return Err(format!(
            "a source shape needs 1 to {MAX_RANK} dimensions, got {:?}",
            src.shape
        ));
    }
    let src_max = extent_max(&src.shape, src.max.as_deref())
        .map_err(|why| format!("source maximum shape: {why}"))?;
    inside("virtual", target, shape, max)?;
    let (target_n, target_step) = (target.elements(), target.elements_per_step());
    let (src_n, src_step) = match &src.selection {
        Selection::Slab(h) => {
            inside("source", h, &src.shape, &src_max)?;
            (h.elements(), h.elements_per_step())
        }
        _ => (src.elements(), src.elements()),
    };
    match (src_n, target_n) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!("the source selects {a} elements, the virtual slab {b}"))
        }
        (Some(_), Some(_)) => {}
        (None, None) if src_step == target_step => {}
        (None, None) => {
            return Err(format!(
                "both slabs are unlimited but select {src_step:?} (source) and {target_step:?} (virtual) elements per step"
            ))
        }
        (None, Some(_)) | (Some(_), None) => {
            return Err("an unlimited slab must map onto an unlimited slab (h5sink does not write libhdf5's printf-style source names)".into())
        }
    }
    Ok(Mapping {
        file: src.file.clone(),
        dataset: src.dataset.clone(),
        source: match &src.selection {
            Selection::Slab(h) => Selection::Slab(h.clone().normalized()),
            other => other.clone(),
        },
        target: Selection::Slab(target.clone().normalized()),
    })
}

/// `h` fits an extent of `dims` with maximum `max`: same rank, at least one
/// element per block, blocks that do not overlap, bounded dimensions
/// ending within the maximum (or the extent when it cannot grow), an
/// unlimited count only along a dimension of unlimited maximum.
fn inside(
    what: &str,
    h: &Hyperslab,
    dims: &[u64],
    max: &[Option<u64>],
) -> std::result::Result<(), String> {
    if h.rank() != dims.len()
        || h.stride.len() != h.rank()
        || h.count.len() != h.rank()
        || h.block.len() != h.rank()
    {
        return Err(format!(
            "the {what} slab has rank {}, its extent {}",
            h.rank(),
            dims.len()
        ));
    }
    if h.count.iter().filter(|&&c| c == crate::UNLIMITED).count() > 1 {
        return Err(format!(
            "the {what} slab is unlimited in more than one dimension"
        ));
    }
    for (d, &limit) in max.iter().enumerate() {
        let (c, s, b) = (h.count[d], h.stride[d], h.block[d]);
        if c == 0 || b == 0 {
            return Err(format!(
                "the {what} slab selects nothing in dimension {d} (count {c}, block {b})"
            ));
        }
        if c > 1 && s < b {
            return Err(format!(
                "the {what} slab's blocks overlap in dimension {d} (stride {s} below block {b})"
            ));
        }
        if c == crate::UNLIMITED {
            if let Some(limit) = limit {
                return Err(format!("the {what} slab is unlimited in dimension {d}, whose maximum is {limit}, not unlimited"));
            }
            continue;
        }
        let end = h
            .end(d)
            .ok_or_else(|| format!("the {what} slab's end overflows in dimension {d}"))?;
        if let Some(limit) = limit {
            if end > limit {
                return Err(format!(
                    "the {what} slab ends at {end} in dimension {d}, past the extent's {limit} (slab start {:?}, stride {:?}, count {:?}, block {:?})",
                    h.start, h.stride, h.count, h.block
                ));
            }
        }
    }
    Ok(())
}
