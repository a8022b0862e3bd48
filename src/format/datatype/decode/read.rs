//! Reading one datatype (recursively, at most `MAX_DEPTH` levels) from
//! untrusted bytes. Spec notes: `spec-notes/datatype.md` ("What we read").

use super::{
    ByteOrder, Charset, EnumValue, FloatDesc, IntDesc, MemberDesc, RefKind, StringPad, TypeDesc,
    STRUCTURE,
};
use crate::error::{Error, Result};
use crate::format::datatype::MAX_DEPTH;
use crate::format::reader::Reader;

/// Highest array rank (`H5S_MAX_RANK`).
const MAX_ARRAY_RANK: usize = 32;
/// The highest datatype version h5sink reads (HDF5 2.0 writes 5 under
/// `libver='latest'`; versions 3 to 5 share the compound, enum and array
/// encodings).
const MAX_VERSION: u8 = 5;
/// Fewest bytes a nested datatype takes (its 8-byte header).
const MIN_TYPE: usize = 8;

fn unsupported(at: u64, detail: String) -> Error {
    Error::Unsupported {
        structure: STRUCTURE,
        offset: at,
        detail,
    }
}

fn malformed(at: u64, reason: String) -> Error {
    Error::Malformed {
        structure: STRUCTURE,
        offset: at,
        reason,
    }
}

/// Read one datatype nested `depth` levels deep.
pub(super) fn read(r: &mut Reader<'_>, depth: usize) -> Result<TypeDesc> {
    let at = r.offset();
    if depth > MAX_DEPTH {
        return Err(unsupported(
            at,
            format!("a datatype nested more than {MAX_DEPTH} levels deep; h5sink reads up to {MAX_DEPTH}"),
        ));
    }
    let head = r.u8()?;
    let (class, version) = (head & 0x0F, head >> 4);
    let bits = [r.u8()?, r.u8()?, r.u8()?];
    let size = r.u32()?;
    if version == 0 {
        return Err(malformed(at, format!("class {class} with version 0")));
    }
    if version > MAX_VERSION {
        return Err(unsupported(
            at,
            format!("datatype version {version}; h5sink reads versions 1 to {MAX_VERSION}"),
        ));
    }
    if size == 0 {
        return Err(malformed(at, format!("class {class} with size 0")));
    }
    let order = |b: u8| {
        if b & 1 == 0 {
            ByteOrder::Little
        } else {
            ByteOrder::Big
        }
    };
    match class {
        0 | 4 => {
            let i = IntDesc {
                size,
                signed: class == 0 && bits[0] & 0x08 != 0,
                order: order(bits[0]),
                padding: (bits[0] >> 1) & 0x03,
                bit_offset: r.u16()?,
                precision: r.u16()?,
            };
            check_bits(at, size, i.bit_offset, i.precision)?;
            Ok(if class == 0 {
                TypeDesc::Int(i)
            } else {
                TypeDesc::Bitfield(i)
            })
        }
        1 => float(r, at, size, bits),
        2 => {
            let precision = r.u16()?;
            check_bits(at, size, 0, precision)?;
            Ok(TypeDesc::Time {
                size,
                order: order(bits[0]),
                precision,
            })
        }
        3 => Ok(TypeDesc::String {
            size,
            pad: string_pad(at, bits[0] & 0x0F)?,
            charset: charset(at, bits[0] >> 4)?,
        }),
        5 => {
            let tag_len = usize::from(bits[0]);
            let raw = r.bytes(tag_len)?;
            let tag = raw.split(|&b| b == 0).next().unwrap_or_default();
            let tag = std::str::from_utf8(tag)
                .map_err(|_| malformed(at, format!("opaque tag {tag:02x?} is not ASCII")))?;
            Ok(TypeDesc::Opaque {
                size,
                tag: tag.to_owned(),
            })
        }
        6 => compound(r, at, version, size, bits, depth),
        7 => {
            if version >= 4 {
                return Err(unsupported(
                    at,
                    format!("reference datatype version {version} (HDF5 1.12 references); h5sink reads versions 1 to 3"),
                ));
            }
            let kind = match bits[0] & 0x0F {
                0 => RefKind::Object,
                1 => RefKind::Region,
                k => {
                    return Err(malformed(
                        at,
                        format!("reference type {k}, expected 0 or 1"),
                    ))
                }
            };
            Ok(TypeDesc::Reference { size, kind })
        }
        8 => enumeration(r, at, version, size, bits, depth),
        9 => {
            let kind = bits[0] & 0x0F;
            let base = Box::new(read(r, depth + 1)?);
            match kind {
                0 => Ok(TypeDesc::VlenSequence { size, base }),
                1 => Ok(TypeDesc::VlenString {
                    size,
                    pad: string_pad(at, bits[0] >> 4)?,
                    charset: charset(at, bits[1] & 0x0F)?,
                    base,
                }),
                k => Err(malformed(
                    at,
                    format!("variable-length type {k}, expected 0 or 1"),
                )),
            }
        }
        10 => array(r, at, version, size, depth),
        11 => Err(unsupported(
            at,
            "a complex-number datatype (class 11, HDF5 2.0); h5sink reads classes 0 to 10".into(),
        )),
        c => Err(malformed(
            at,
            format!("datatype class {c}, expected 0 to 11"),
        )),
    }
}

/// The significant bits must lie inside the element.
fn check_bits(at: u64, size: u32, offset: u16, precision: u16) -> Result<()> {
    let end = u64::from(offset) + u64::from(precision);
    if precision == 0 || end > u64::from(size) * 8 {
        return Err(malformed(
            at,
            format!("{precision} bits at bit offset {offset} do not fit {size} bytes"),
        ));
    }
    Ok(())
}

fn string_pad(at: u64, code: u8) -> Result<StringPad> {
    match code {
        0 => Ok(StringPad::NullTerm),
        1 => Ok(StringPad::NullPad),
        2 => Ok(StringPad::SpacePad),
        c => Err(malformed(
            at,
            format!("string padding {c}, expected 0 to 2"),
        )),
    }
}

fn charset(at: u64, code: u8) -> Result<Charset> {
    match code {
        0 => Ok(Charset::Ascii),
        1 => Ok(Charset::Utf8),
        c => Err(malformed(at, format!("character set {c}, expected 0 or 1"))),
    }
}

fn float(r: &mut Reader<'_>, at: u64, size: u32, bits: [u8; 3]) -> Result<TypeDesc> {
    let order = match (bits[0] & 0x01, bits[0] & 0x40) {
        (0, 0) => ByteOrder::Little,
        (1, 0) => ByteOrder::Big,
        (1, _) => {
            return Err(unsupported(
                at,
                "a VAX-order float; h5sink reads little- and big-endian floats".into(),
            ))
        }
        _ => {
            return Err(malformed(
                at,
                format!("float byte order bits {:#04x}", bits[0]),
            ))
        }
    };
    let normalization = (bits[0] >> 4) & 0x03;
    if normalization == 3 {
        return Err(malformed(
            at,
            "mantissa normalization 3, expected 0 to 2".into(),
        ));
    }
    let f = FloatDesc {
        size,
        order,
        padding: (bits[0] >> 1) & 0x07,
        normalization,
        sign: bits[1],
        bit_offset: r.u16()?,
        precision: r.u16()?,
        exp_loc: r.u8()?,
        exp_size: r.u8()?,
        mant_loc: r.u8()?,
        mant_size: r.u8()?,
        bias: r.u32()?,
    };
    check_bits(at, size, f.bit_offset, f.precision)?;
    let p = u32::from(f.precision);
    if u32::from(f.sign) >= p
        || u32::from(f.exp_loc) + u32::from(f.exp_size) > p
        || u32::from(f.mant_loc) + u32::from(f.mant_size) > p
    {
        return Err(malformed(
            at,
            format!("float fields outside its {p} bits: {f:?}"),
        ));
    }
    Ok(TypeDesc::Float(f))
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

fn compound(
    r: &mut Reader<'_>,
    at: u64,
    version: u8,
    size: u32,
    bits: [u8; 3],
    depth: usize,
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

fn enumeration(
    r: &mut Reader<'_>,
    at: u64,
    version: u8,
    size: u32,
    bits: [u8; 3],
    depth: usize,
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

fn array(r: &mut Reader<'_>, at: u64, version: u8, size: u32, depth: usize) -> Result<TypeDesc> {
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
