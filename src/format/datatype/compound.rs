//! Enum (class 8), compound (class 6) and array (class 10) datatypes, with
//! the version and member order libhdf5 2.0 gives them under h5py's default
//! file format bounds. Spec notes: `spec-notes/datatype.md`.
//!
//! Versions: libhdf5 stamps every new type version 1, except an array,
//! which is `max(2, base version)`. Inserting a compound member whose
//! version is above the compound's raises the compound *and every member
//! inserted so far* (recursively: compound, array and enum parts only) to
//! that version (`H5T__insert` → `H5T__upgrade_version`). Members inserted
//! after that keep their own version. So with versions 1 and 2 only (no
//! `libver` upgrade), a compound is version 2 iff it contains an array
//! somewhere, and its members up to the first one that contains an array
//! get a "floor" of 2, which reaches nested enums (`0x28`), compounds and
//! array bases.

use super::{
    encode_into, fixed_point, size_at, supported_at, CompoundMember, Datatype, EnumMember,
};

/// Class number of compound types (low nibble of byte 0).
const CLASS_COMPOUND: u8 = 6;
/// Class number of enum types.
const CLASS_ENUM: u8 = 8;
/// Class number of array types.
const CLASS_ARRAY: u8 = 10;
/// The version libhdf5 gives every new array type (and its minimum).
const ARRAY_VERSION: u8 = 2;
/// Most members an enum or compound records (bits 0-15 of the bit field).
const MAX_MEMBERS: usize = 0xFFFF;
/// Highest array rank libhdf5 accepts (`H5S_MAX_RANK`).
const MAX_ARRAY_RANK: usize = 32;
/// Bytes of a version 1 compound member's obsolete dimension fields:
/// dimensionality u8, reserved 3, permutation u32, reserved u32, 4 × u32.
const V1_MEMBER_DIMS: usize = 28;

/// Byte 0 of a datatype message: class and version.
fn class_version(class: u8, version: u8) -> u8 {
    class | (version << 4)
}

/// Bits 0-15 of the bit field: a member count (truncated if over 65535,
/// which `is_supported` refuses).
fn count_bits(n: usize) -> [u8; 2] {
    let n = u16::try_from(n).unwrap_or(u16::MAX);
    n.to_le_bytes()
}

/// A member name NUL-terminated and zero-padded to a multiple of 8
/// (versions 1 and 2 of compound and enum messages).
fn push_padded_name(out: &mut Vec<u8>, name: &str) {
    out.extend_from_slice(name.as_bytes());
    let padded = (name.len() + 1).div_ceil(8) * 8;
    out.resize(out.len() + padded - name.len(), 0);
}

/// libhdf5 refuses empty member names; a NUL would cut the name short.
fn name_ok(name: &str) -> bool {
    !name.is_empty() && !name.contains('\0')
}

/// Whether all `names` are distinct.
fn unique<'a>(names: impl Iterator<Item = &'a str>) -> bool {
    let mut seen: Vec<&str> = names.collect();
    let n = seen.len();
    seen.sort_unstable();
    seen.dedup();
    seen.len() == n
}

/// Whether `value` lies in the range of a `size`-byte integer.
fn fits(value: i64, size: u8, signed: bool) -> bool {
    let bits = u32::from(size) * 8;
    match (signed, bits) {
        (_, 0) => false,
        (true, 64..) => true,
        (false, 64..) => value >= 0,
        (true, b) => {
            let half = 1i64 << (b - 1);
            (-half..half).contains(&value)
        }
        (false, b) => (0..1i64 << b).contains(&value),
    }
}

/// `value` in `size` bytes, little-endian two's complement (truncated if
/// it does not fit; sign-extended past 8 bytes).
fn push_value(out: &mut Vec<u8>, value: i64, size: u8) {
    let fill = if value < 0 { 0xFF } else { 0 };
    let bytes = value.to_le_bytes();
    for i in 0..usize::from(size) {
        out.push(bytes.get(i).copied().unwrap_or(fill));
    }
}

/// The version libhdf5 gives `dt` when it is built on its own.
fn natural_version(dt: &Datatype, depth: usize) -> u8 {
    if depth > super::MAX_DEPTH {
        return 1;
    }
    match *dt {
        Datatype::Array { base, .. } => natural_version(base, depth + 1).max(ARRAY_VERSION),
        Datatype::Compound { members, .. } => members
            .iter()
            .map(|m| natural_version(&m.dtype, depth + 1))
            .fold(1, u8::max),
        _ => 1,
    }
}

/// Whether `dt` holds a variable-length type anywhere (libhdf5's
/// `force_conv`, which makes it sort compound members by offset).
fn has_vlen(dt: &Datatype, depth: usize) -> bool {
    if depth > super::MAX_DEPTH {
        return false;
    }
    match *dt {
        Datatype::VlenUtf8 => true,
        Datatype::Array { base, .. } => has_vlen(base, depth + 1),
        Datatype::Compound { members, .. } => members.iter().any(|m| has_vlen(&m.dtype, depth + 1)),
        _ => false,
    }
}

pub(super) fn enum_ok(size: u8, signed: bool, members: &[EnumMember]) -> bool {
    let mut values: Vec<i64> = members.iter().map(|m| m.value).collect();
    values.sort_unstable();
    values.dedup();
    matches!(size, 1 | 2 | 4 | 8)
        && (1..=MAX_MEMBERS).contains(&members.len())
        && members
            .iter()
            .all(|m| name_ok(m.name) && fits(m.value, size, signed))
        && unique(members.iter().map(|m| m.name))
        && values.len() == members.len()
}

/// Enum message: header, base integer, names (sorted as h5py inserts
/// them), then the values in the base size.
pub(super) fn encode_enum(
    out: &mut Vec<u8>,
    size: u8,
    signed: bool,
    members: &[EnumMember],
    floor: u8,
) {
    let [lo, hi] = count_bits(members.len());
    out.extend_from_slice(&[class_version(CLASS_ENUM, floor.max(1)), lo, hi, 0]);
    out.extend_from_slice(&u32::from(size).to_le_bytes());
    fixed_point(out, size, if signed { super::SIGNED } else { 0 });
    let mut sorted: Vec<&EnumMember> = members.iter().collect();
    sorted.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    for m in &sorted {
        push_padded_name(out, m.name);
    }
    for m in &sorted {
        push_value(out, m.value, size);
    }
}

pub(super) fn compound_ok(size: u32, members: &[CompoundMember], depth: usize) -> bool {
    if size == 0
        || !(1..=MAX_MEMBERS).contains(&members.len())
        || !members.iter().all(|m| name_ok(m.name))
        || !unique(members.iter().map(|m| m.name))
    {
        return false;
    }
    let mut spans = Vec::with_capacity(members.len());
    for m in members {
        if !supported_at(&m.dtype, depth + 1) {
            return false;
        }
        match size_at(&m.dtype, depth + 1).and_then(|s| m.offset.checked_add(s)) {
            Some(end) if end <= size => spans.push((m.offset, end)),
            _ => return false,
        }
    }
    spans.sort_unstable();
    spans.windows(2).all(|w| w[0].1 <= w[1].0)
}

/// Compound message, version 1 (no array inside) or 2.
pub(super) fn encode_compound(
    out: &mut Vec<u8>,
    size: u32,
    members: &[CompoundMember],
    floor: u8,
    depth: usize,
) {
    let versions: Vec<u8> = members
        .iter()
        .map(|m| natural_version(&m.dtype, depth + 1))
        .collect();
    let own = versions.iter().copied().fold(1, u8::max);
    let version = own.max(floor);
    // The member whose insertion last raised the compound's version: it and
    // every member before it were upgraded to `own` along with the compound.
    let last_raise = versions.iter().position(|&v| v == own).filter(|_| own > 1);

    let mut order: Vec<usize> = (0..members.len()).collect();
    if members.iter().any(|m| has_vlen(&m.dtype, depth + 1)) {
        order.sort_by_key(|&i| members.get(i).map_or(0, |m| m.offset));
    }

    let [lo, hi] = count_bits(members.len());
    out.extend_from_slice(&[class_version(CLASS_COMPOUND, version), lo, hi, 0]);
    out.extend_from_slice(&size.to_le_bytes());
    for i in order {
        let Some(m) = members.get(i) else { continue };
        push_padded_name(out, m.name);
        out.extend_from_slice(&m.offset.to_le_bytes());
        if version == 1 {
            out.resize(out.len() + V1_MEMBER_DIMS, 0);
        }
        let raised = match last_raise {
            Some(last) if i <= last => own,
            _ => 1,
        };
        encode_into(&m.dtype, out, floor.max(raised), depth + 1);
    }
}

pub(super) fn array_ok(dt: &Datatype, base: &Datatype, dims: &[u32], depth: usize) -> bool {
    (1..=MAX_ARRAY_RANK).contains(&dims.len())
        && dims.iter().all(|&d| d > 0)
        && supported_at(base, depth + 1)
        && size_at(dt, depth).is_some()
}

/// Array message, version 2: rank, reserved, dims, permutation, base.
pub(super) fn encode_array(
    out: &mut Vec<u8>,
    dt: &Datatype,
    base: &Datatype,
    dims: &[u32],
    floor: u8,
    depth: usize,
) {
    let version = natural_version(dt, depth).max(floor);
    let size = size_at(dt, depth).unwrap_or(u32::MAX);
    // An array of arrays (Rust's `[[T; 3]; 2]`) is one array of dims (2, 3),
    // as numpy and h5py describe it.
    let mut all: Vec<u32> = dims.to_vec();
    let mut base = base;
    let mut levels = 0;
    while let Datatype::Array {
        base: inner,
        dims: more,
    } = base
    {
        if levels >= super::MAX_DEPTH {
            break;
        }
        all.extend_from_slice(more);
        base = inner;
        levels += 1;
    }
    let dims = &all[..];
    out.extend_from_slice(&[class_version(CLASS_ARRAY, version), 0, 0, 0]);
    out.extend_from_slice(&size.to_le_bytes());
    let rank = u8::try_from(dims.len()).unwrap_or(u8::MAX);
    out.extend_from_slice(&[rank, 0, 0, 0]);
    for d in dims.iter().take(usize::from(rank)) {
        out.extend_from_slice(&d.to_le_bytes());
    }
    // Permutation indices (always the identity; dropped in version 3).
    for p in 0..u32::from(rank) {
        out.extend_from_slice(&p.to_le_bytes());
    }
    // The array's own version does not reach its base; only a floor from
    // an enclosing compound does.
    encode_into(base, out, floor, depth + 1);
}
