//! Reading compound, enum and array datatypes (the classes that nest);
//! the nested types are read by the function passed in (`read::read`).
//! Spec notes: `spec-notes/datatype.md` ("What we read").

use super::{EnumValue, MemberDesc, TypeDesc, STRUCTURE};
use crate::error::{Error, Result};
use crate::format::reader::Reader;

/// Highest array rank (`H5S_MAX_RANK`).
const MAX_ARRAY_RANK: usize = 32;
/// Fewest bytes a nested datatype takes (its 8-byte header).
const MIN_TYPE: usize = 8;

/// Reads one datatype nested `depth` levels deep.
pub(super) type ReadFn = fn(&mut Reader<'_>, usize) -> Result<TypeDesc>;
/// The header fields: offset, version, size and class bit field.
pub(super) type Head = (u64, u8, u32, [u8; 3]);

pub(super) fn unsupported(at: u64, detail: String) -> Error {
    Error::Unsupported {
        structure: STRUCTURE,
        offset: at,
        detail,
    }
}

pub(super) fn malformed(at: u64, reason: String) -> Error {
    Error::Malformed {
        structure: STRUCTURE,
        offset: at,
        reason,
    }
}

/// A NUL-terminated name, then (versions 1 and 2) zeros up to a multiple
/// of 8 counted from the name's start.
fn name(r: &mut Reader<'_>, padded: bool) -> Result<String> {
    let at = r.offset();
    let mut bytes = Vec::new();
    loop {
        // Bounded: each pass consumes a byte, and `u8` fails at the end.
        match r.u8()? {
            0 => break,
            b => bytes.push(b),
        }
    }
    if padded {
        let len = bytes.len() + 1;
        r.skip(len.div_ceil(8) * 8 - len)?;
    }
    String::from_utf8(bytes).map_err(|e| {
        unsupported(
            at,
            format!(
                "member name {:02x?} is not UTF-8; h5sink reads UTF-8 names",
                e.as_bytes()
            ),
        )
    })
}

/// Bytes of a version 3+ compound member offset: the fewest that hold `size`.
fn offset_width(size: u32) -> usize {
    let mut n = 1;
    while n < 4 && size >> (8 * n) != 0 {
        n += 1;
    }
    n
}

/// At most `count` items of at least `min` bytes each fit the rest of `r`.
fn check_count(r: &Reader<'_>, at: u64, count: usize, min: usize, what: &str) -> Result<()> {
    if count.saturating_mul(min) > r.remaining() {
        return Err(malformed(
            at,
            format!(
                "{count} {what} of at least {min} bytes each do not fit {} bytes",
                r.remaining()
            ),
        ));
    }
    Ok(())
}

pub(super) fn compound(
    r: &mut Reader<'_>,
    (at, version, size, bits): Head,
    depth: usize,
    read: ReadFn,
) -> Result<TypeDesc> {
    let count = usize::from(u16::from_le_bytes([bits[0], bits[1]]));
    if count == 0 {
        return Err(malformed(at, "a compound with no members".into()));
    }
    let width = offset_width(size);
    let min = match version {
        1 => 8 + 4 + 28 + MIN_TYPE,
        2 => 8 + 4 + MIN_TYPE,
        _ => 1 + width + MIN_TYPE,
    };
    check_count(r, at, count, min, "compound members")?;
    let mut members: Vec<MemberDesc> = Vec::with_capacity(count);
    for _ in 0..count {
        let m_at = r.offset();
        let name = name(r, version < 3)?;
        let offset = if version < 3 {
            r.u32()?
        } else {
            r.uint(width)? as u32 // width <= 4
        };
        let mut dims = Vec::new();
        if version == 1 {
            let ndims = usize::from(r.u8()?);
            r.skip(3 + 4 + 4)?; // reserved, permutation, reserved
            if ndims > 4 {
                return Err(malformed(
                    m_at,
                    format!("member {name:?} has {ndims} dimensions, at most 4"),
                ));
            }
            for i in 0..4 {
                let d = r.u32()?;
                if i < ndims {
                    dims.push(d);
                }
            }
        }
        let mut dtype = read(r, depth + 1)?;
        if !dims.is_empty() {
            let total = array_size(&dims, dtype.element_size()).ok_or_else(|| {
                malformed(m_at, format!("member {name:?} has dimensions {dims:?}"))
            })?;
            dtype = TypeDesc::Array {
                size: total,
                dims,
                base: Box::new(dtype),
            };
        }
        let end = u64::from(offset) + u64::from(dtype.element_size());
        if end > u64::from(size) {
            return Err(malformed(
                m_at,
                format!("member {name:?} ends at byte {end}, past the compound's {size} bytes"),
            ));
        }
        if members.iter().any(|m| m.name == name) {
            return Err(malformed(m_at, format!("member name {name:?} repeats")));
        }
        members.push(MemberDesc {
            name,
            offset,
            dtype,
        });
    }
    Ok(TypeDesc::Compound { size, members })
}

pub(super) fn enumeration(
    r: &mut Reader<'_>,
    (at, version, size, bits): Head,
    depth: usize,
    read: ReadFn,
) -> Result<TypeDesc> {
    let count = usize::from(u16::from_le_bytes([bits[0], bits[1]]));
    let base = read(r, depth + 1)?;
    let TypeDesc::Int(int) = base else {
        return Err(malformed(
            at,
            format!("an enum over {}, not an integer", base.describe()),
        ));
    };
    if int.size != size {
        return Err(malformed(
            at,
            format!("enum size {size} differs from its base's {}", int.size),
        ));
    }
    let value_size = usize::try_from(size).unwrap_or(usize::MAX);
    let min_name: usize = if version < 3 { 8 } else { 1 };
    check_count(
        r,
        at,
        count,
        min_name.saturating_add(value_size),
        "enum members",
    )?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        names.push(name(r, version < 3)?);
    }
    let mut members = Vec::with_capacity(count);
    for name in names {
        let value = r.bytes(value_size)?.to_vec();
        members.push(EnumValue { name, value });
    }
    Ok(TypeDesc::Enum {
        base: Box::new(base),
        members,
    })
}

/// `base` times the dimensions, if every dimension is non-zero and the
/// product fits a u32.
fn array_size(dims: &[u32], base: u32) -> Option<u32> {
    dims.iter().try_fold(
        base,
        |acc, &d| if d == 0 { None } else { acc.checked_mul(d) },
    )
}

pub(super) fn array(
    r: &mut Reader<'_>,
    (at, version, size, _): Head,
    depth: usize,
    read: ReadFn,
) -> Result<TypeDesc> {
    if version < 2 {
        return Err(malformed(
            at,
            "an array datatype of version 1 (arrays start at 2)".into(),
        ));
    }
    let rank = usize::from(r.u8()?);
    if !(1..=MAX_ARRAY_RANK).contains(&rank) {
        return Err(malformed(
            at,
            format!("array rank {rank}, expected 1 to {MAX_ARRAY_RANK}"),
        ));
    }
    if version == 2 {
        r.skip(3)?;
    }
    let mut dims = Vec::with_capacity(rank);
    for _ in 0..rank {
        dims.push(r.u32()?);
    }
    if version == 2 {
        r.skip(4 * rank)?; // permutation indices (libhdf5 ignores them)
    }
    let base = read(r, depth + 1)?;
    match array_size(&dims, base.element_size()) {
        Some(total) if total == size => Ok(TypeDesc::Array {
            size,
            dims,
            base: Box::new(base),
        }),
        _ => Err(malformed(
            at,
            format!(
                "array size {size} is not {dims:?} elements of {} bytes",
                base.element_size()
            ),
        )),
    }
}
