//! [`TypeDesc::matches`] and [`TypeDesc::describe`]. Spec notes:
//! `spec-notes/datatype.md` ("What we read").

use super::{ByteOrder, Charset, IntDesc, RefKind, StringPad, TypeDesc};
use crate::format::datatype::{Datatype, BOOL_MEMBERS, MAX_DEPTH};

impl TypeDesc {
    /// Whether this is exactly the file type `dt` encodes: same class,
    /// sizes, byte order (little-endian), bit layout, string padding and
    /// character set, enum names and values, compound member names, offsets
    /// and types (in any order: h5sink may list members by offset), and
    /// array dimensions (nested arrays flattened, as the encoder writes
    /// them). `Datatype::Bool` and the equal `Datatype::Enum` both match
    /// h5py's bool.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::datatype::{decode::TypeDesc, Datatype};
    ///
    /// // h5py's `S10` and bool, and a big-endian i4 that is not `Int`.
    /// let s10 = TypeDesc::decode(&[0x13, 0x01, 0, 0, 10, 0, 0, 0], 0)?;
    /// assert!(s10.matches(&Datatype::FixedString { size: 10, utf8: false }));
    /// assert!(!s10.matches(&Datatype::FixedString { size: 10, utf8: true }));
    /// assert!(TypeDesc::decode(&Datatype::Bool.encode(), 0)?.matches(&Datatype::Bool));
    /// let be = TypeDesc::decode(&[0x10, 0x09, 0, 0, 4, 0, 0, 0, 0, 0, 32, 0], 0)?;
    /// assert!(!be.matches(&Datatype::Int { size: 4, signed: true }));
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn matches(&self, dt: &Datatype) -> bool {
        matches_at(self, dt, 0)
    }

    /// A short human name for messages, in the words of
    /// [`Datatype::describe`] for the types h5sink writes: `"f32"`,
    /// `"bool"`, `"big-endian i16"`, `"fixed-length ASCII string of 5 bytes,
    /// space-padded"`, `"[f32; 4]"`, `"compound {x: f32}"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use h5sink::format::datatype::{decode::TypeDesc, Datatype};
    ///
    /// let dt = Datatype::Array { base: &Datatype::Float { size: 4 }, dims: &[2, 3] };
    /// let desc = TypeDesc::decode(&dt.encode(), 0)?;
    /// assert_eq!(desc.describe(), dt.describe());
    /// let opaque = TypeDesc::decode(&[0x15, 8, 0, 0, 4, 0, 0, 0, b'm', b'y', b't', b'a', b'g', 0, 0, 0], 0)?;
    /// assert_eq!(opaque.describe(), "opaque of 4 bytes tagged \"mytag\"");
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn describe(&self) -> String {
        let mut out = String::new();
        describe_into(self, &mut out, 0);
        out
    }
}

/// Whether `i` is a plain little-endian integer of `size` bytes.
fn plain_int(i: &IntDesc, size: u8, signed: bool) -> bool {
    i.size == u32::from(size)
        && i.signed == signed
        && i.order == ByteOrder::Little
        && i.padding == 0
        && i.bit_offset == 0
        && u32::from(i.precision) == u32::from(size) * 8
}

/// `value` as `size` little-endian two's-complement bytes (as the encoder
/// writes enum values).
fn value_bytes(value: i64, size: u8) -> Vec<u8> {
    let fill = if value < 0 { 0xFF } else { 0 };
    let bytes = value.to_le_bytes();
    (0..usize::from(size))
        .map(|i| bytes.get(i).copied().unwrap_or(fill))
        .collect()
}

/// Dimensions and base of an array with nested array levels flattened.
fn flat_dt(dt: &Datatype) -> (Vec<u32>, &Datatype) {
    let mut dims = Vec::new();
    let mut cur = dt;
    for _ in 0..=MAX_DEPTH {
        match cur {
            Datatype::Array { base, dims: d } => {
                dims.extend_from_slice(d);
                cur = base;
            }
            _ => break,
        }
    }
    (dims, cur)
}

fn flat_desc(t: &TypeDesc) -> (Vec<u32>, &TypeDesc) {
    let mut dims = Vec::new();
    let mut cur = t;
    for _ in 0..=MAX_DEPTH {
        match cur {
            TypeDesc::Array { base, dims: d, .. } => {
                dims.extend_from_slice(d);
                cur = base;
            }
            _ => break,
        }
    }
    (dims, cur)
}

fn matches_at(t: &TypeDesc, dt: &Datatype, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match (t, *dt) {
        (TypeDesc::Int(i), Datatype::Int { size, signed }) => plain_int(i, size, signed),
        (TypeDesc::Float(f), Datatype::Float { size }) => {
            f.size == u32::from(size) && f.order == ByteOrder::Little && f.is_ieee()
        }
        (
            TypeDesc::VlenString {
                size,
                pad,
                charset,
                base,
            },
            Datatype::VlenUtf8,
        ) => {
            *size == 16
                && *pad == StringPad::NullTerm
                && *charset == Charset::Utf8
                && matches!(&**base, TypeDesc::Int(i) if plain_int(i, 1, false))
        }
        (TypeDesc::String { size, pad, charset }, Datatype::FixedString { size: s, utf8 }) => {
            *size == s && *pad == StringPad::NullPad && (*charset == Charset::Utf8) == utf8
        }
        (TypeDesc::Enum { .. }, Datatype::Bool) => matches_at(
            t,
            &Datatype::Enum {
                size: 1,
                signed: true,
                members: BOOL_MEMBERS,
            },
            depth,
        ),
        (
            TypeDesc::Enum { base, members },
            Datatype::Enum {
                size,
                signed,
                members: want,
            },
        ) => {
            matches!(&**base, TypeDesc::Int(i) if plain_int(i, size, signed))
                && members.len() == want.len()
                && want.iter().all(|w| {
                    members
                        .iter()
                        .any(|m| m.name == w.name && m.value == value_bytes(w.value, size))
                })
        }
        (
            TypeDesc::Compound { size, members },
            Datatype::Compound {
                size: s,
                members: want,
            },
        ) => {
            *size == s
                && members.len() == want.len()
                && want.iter().all(|w| {
                    members.iter().any(|m| {
                        m.name == w.name
                            && m.offset == w.offset
                            && matches_at(&m.dtype, &w.dtype, depth + 1)
                    })
                })
        }
        (TypeDesc::Array { .. }, Datatype::Array { .. }) => {
            let (dims, base) = flat_desc(t);
            let (want, want_base) = flat_dt(dt);
            dims == want && matches_at(base, want_base, depth + 1)
        }
        _ => false,
    }
}

fn int_name(size: u32, signed: bool) -> String {
    match (size, signed) {
        (1 | 2 | 4 | 8, true) => format!("i{}", size * 8),
        (1 | 2 | 4 | 8, false) => format!("u{}", size * 8),
        (_, true) => format!("{size}-byte signed integer"),
        (_, false) => format!("{size}-byte unsigned integer"),
    }
}

fn big(order: ByteOrder) -> &'static str {
    match order {
        ByteOrder::Little => "",
        ByteOrder::Big => "big-endian ",
    }
}

fn bits_note(i: &IntDesc) -> String {
    if i.bit_offset == 0 && u64::from(i.precision) == u64::from(i.size) * 8 {
        String::new()
    } else {
        format!(" ({} bits at bit {})", i.precision, i.bit_offset)
    }
}

fn string_words(size: u32, pad: StringPad, charset: Charset) -> String {
    let cset = match charset {
        Charset::Ascii => "ASCII",
        Charset::Utf8 => "UTF-8",
    };
    let unit = if size == 1 { "byte" } else { "bytes" };
    let pad = match pad {
        StringPad::NullPad => "",
        StringPad::NullTerm => ", NUL-terminated",
        StringPad::SpacePad => ", space-padded",
    };
    format!("fixed-length {cset} string of {size} {unit}{pad}")
}

fn describe_into(t: &TypeDesc, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        out.push('…');
        return;
    }
    match t {
        TypeDesc::Int(i) => {
            let name = int_name(i.size, i.signed);
            out.push_str(&format!("{}{name}{}", big(i.order), bits_note(i)));
        }
        TypeDesc::Float(f) if f.is_ieee() => {
            out.push_str(&format!("{}f{}", big(f.order), f.size * 8));
        }
        TypeDesc::Float(f) => {
            out.push_str(&format!("{}{}-byte non-IEEE float", big(f.order), f.size))
        }
        TypeDesc::Time { size, order, .. } => {
            out.push_str(&format!("{}{size}-byte time", big(*order)))
        }
        TypeDesc::String { size, pad, charset } => {
            out.push_str(&string_words(*size, *pad, *charset))
        }
        TypeDesc::Bitfield(i) => out.push_str(&format!(
            "{}{}-bit bitfield{}",
            big(i.order),
            u64::from(i.size) * 8,
            bits_note(i)
        )),
        TypeDesc::Opaque { size, tag } => {
            out.push_str(&format!("opaque of {size} bytes tagged {tag:?}"))
        }
        TypeDesc::Reference { kind, .. } => out.push_str(match kind {
            RefKind::Object => "object reference",
            RefKind::Region => "dataset region reference",
        }),
        TypeDesc::Enum { base, .. } => {
            if matches_at(t, &Datatype::Bool, depth) {
                out.push_str("bool");
            } else {
                out.push_str("enum over ");
                describe_into(base, out, depth + 1);
            }
        }
        TypeDesc::VlenString { charset, pad, .. } => {
            out.push_str(match charset {
                Charset::Ascii => "variable-length ASCII string",
                Charset::Utf8 => "variable-length UTF-8 string",
            });
            if *pad == StringPad::SpacePad {
                out.push_str(", space-padded");
            }
        }
        TypeDesc::VlenSequence { base, .. } => {
            out.push_str("variable-length sequence of ");
            describe_into(base, out, depth + 1);
        }
        TypeDesc::Compound { members, .. } => {
            out.push_str("compound {");
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&m.name);
                out.push_str(": ");
                describe_into(&m.dtype, out, depth + 1);
            }
            out.push('}');
        }
        TypeDesc::Array { dims, base, .. } => {
            out.push_str(&"[".repeat(dims.len()));
            describe_into(base, out, depth + 1);
            for d in dims.iter().rev() {
                out.push_str(&format!("; {d}]"));
            }
        }
    }
}
