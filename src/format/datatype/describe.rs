//! The text of [`Datatype::describe`](super::Datatype::describe): short
//! human names for error messages. Spec notes: `spec-notes/datatype.md`.

use super::{ieee_layout, Datatype, MAX_DEPTH};

/// Append the name of `dt`, nested `depth` levels deep.
pub(super) fn describe_into(dt: &Datatype, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        out.push('…');
        return;
    }
    let int = |size: u8, signed: bool| match (size, signed) {
        (1 | 2 | 4 | 8, true) => format!("i{}", u16::from(size) * 8),
        (1 | 2 | 4 | 8, false) => format!("u{}", u16::from(size) * 8),
        (_, true) => format!("{size}-byte signed integer"),
        (_, false) => format!("{size}-byte unsigned integer"),
    };
    match *dt {
        Datatype::Int { size, signed } => out.push_str(&int(size, signed)),
        Datatype::Float { size } => match ieee_layout(size) {
            Some(_) => out.push_str(&format!("f{}", u16::from(size) * 8)),
            None => out.push_str(&format!("{size}-byte float")),
        },
        Datatype::VlenUtf8 => out.push_str("variable-length UTF-8 string"),
        Datatype::Bool => out.push_str("bool"),
        Datatype::FixedString { size, utf8 } => {
            let cset = if utf8 { "UTF-8" } else { "ASCII" };
            let unit = if size == 1 { "byte" } else { "bytes" };
            out.push_str(&format!("fixed-length {cset} string of {size} {unit}"));
        }
        Datatype::Enum { size, signed, .. } => {
            out.push_str(&format!("enum over {}", int(size, signed)))
        }
        Datatype::Compound { members, .. } => {
            out.push_str("compound {");
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(m.name);
                out.push_str(": ");
                describe_into(&m.dtype, out, depth + 1);
            }
            out.push('}');
        }
        Datatype::Array { base, dims } => {
            // Row-major dims (2, 3) read as Rust's [[T; 3]; 2].
            out.push_str(&"[".repeat(dims.len()));
            describe_into(base, out, depth + 1);
            for d in dims.iter().rev() {
                out.push_str(&format!("; {d}]"));
            }
        }
    }
}
