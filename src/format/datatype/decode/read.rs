//! Reading one datatype (recursively, at most `MAX_DEPTH` levels) from
//! untrusted bytes. Spec notes: `spec-notes/datatype.md` ("What we read").

use super::composite::{array, compound, enumeration, malformed, unsupported};
use super::{ByteOrder, Charset, FloatDesc, IntDesc, RefKind, StringPad, TypeDesc};
use crate::error::Result;
use crate::format::datatype::MAX_DEPTH;
use crate::format::reader::Reader;

/// The highest datatype version h5sink reads (HDF5 2.0 writes 5 under
/// `libver='latest'`; versions 3 to 5 share the compound, enum and array
/// encodings).
const MAX_VERSION: u8 = 5;

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
        6 => compound(r, (at, version, size, bits), depth, read),
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
        8 => enumeration(r, (at, version, size, bits), depth, read),
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
        10 => array(r, (at, version, size, bits), depth, read),
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
