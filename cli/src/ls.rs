//! `h5sink ls FILE`: every group and dataset of an HDF5 file, one line
//! each, depth first with members in byte order, as `h5ls -r` lists them
//! (with the type, layout, filters and attributes that `h5ls -v` spreads
//! over several lines). The format is in `LS_NOTES` (args.rs) and the
//! README.

use std::io::Write;
use std::path::Path;

use h5sink::{Dataset, File, Group, Layout};

use crate::Fail;

/// List `path` on stdout.
pub fn ls(path: &Path) -> Result<(), Fail> {
    let fail = |e: h5sink::Error| Fail::Error(format!("cannot list {}: {e}", path.display()));
    let file = File::open(path).map_err(fail)?;
    let mut rows = Vec::new();
    walk(&file, &mut rows).map_err(fail)?;
    let text = render(&rows);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        // A reader that stopped early (`| head`) is no error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Fail::Error(format!("writing the listing: {e}")))
        }
        _ => Ok(()),
    }
}

/// The lines as (path, description): `g` and everything below it.
fn walk(g: &Group, rows: &mut Vec<(String, String)>) -> h5sink::Result<()> {
    rows.push((g.name().to_owned(), group_line(g)?));
    for name in g.member_names()? {
        match g.group(&name) {
            Ok(sub) => walk(&sub, rows)?,
            Err(_) => {
                let d = g.dataset(&name)?;
                rows.push((d.name().to_owned(), dataset_line(&d)?));
            }
        }
    }
    Ok(())
}

/// The path column padded to the longest path, two spaces, the description.
fn render(rows: &[(String, String)]) -> String {
    let width = rows
        .iter()
        .map(|(p, _)| p.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for (path, what) in rows {
        let pad = width - path.chars().count();
        text.push_str(&format!("{path}{:pad$}  {what}\n", ""));
    }
    text
}

fn group_line(g: &Group) -> h5sink::Result<String> {
    let mut line = String::from("Group");
    attrs(&mut line, g.attr_names()?);
    Ok(line)
}

fn dataset_line(d: &Dataset) -> h5sink::Result<String> {
    let mut line = format!(
        "Dataset {}  {}  {}",
        dims(&d.shape(), &d.max_shape()),
        d.dtype_description(),
        layout(d)
    );
    let filters: Vec<String> = d.filters().iter().map(ToString::to_string).collect();
    if !filters.is_empty() {
        line.push_str("  ");
        line.push_str(&filters.join(", "));
    }
    attrs(&mut line, d.attr_names()?);
    Ok(line)
}

/// `{SCALAR}`, or h5ls's `{4000/Inf, 25088}`: each dimension, with
/// `/MAX` (`/Inf` for unlimited) where the maximum differs.
fn dims(shape: &[u64], max: &[Option<u64>]) -> String {
    if shape.is_empty() {
        return "{SCALAR}".into();
    }
    let each: Vec<String> = shape
        .iter()
        .enumerate()
        .map(|(i, &d)| match max.get(i).copied().unwrap_or(Some(d)) {
            None => format!("{d}/Inf"),
            Some(m) if m != d => format!("{d}/{m}"),
            Some(_) => d.to_string(),
        })
        .collect();
    format!("{{{}}}", each.join(", "))
}

/// `contiguous`, `compact`, or `chunked {63, 392}`.
fn layout(d: &Dataset) -> String {
    match (d.layout(), d.chunk()) {
        (Layout::Chunked, Some(c)) => {
            let c: Vec<String> = c.iter().map(u64::to_string).collect();
            format!("chunked {{{}}}", c.join(", "))
        }
        (l, _) => l.to_string(),
    }
}

/// `  1 attr: units` or `  2 attrs: range, units`; nothing for none.
fn attrs(line: &mut String, names: Vec<String>) {
    if names.is_empty() {
        return;
    }
    let noun = if names.len() == 1 { "attr" } else { "attrs" };
    line.push_str(&format!("  {} {noun}: {}", names.len(), names.join(", ")));
}

#[cfg(test)]
mod tests {
    use super::*;
    use h5sink::{BloscCodec, BloscShuffle, Filter};

    #[test]
    fn dims_as_h5ls_prints_them() {
        assert_eq!(dims(&[], &[]), "{SCALAR}");
        assert_eq!(
            dims(&[4000, 25088], &[None, Some(25088)]),
            "{4000/Inf, 25088}"
        );
        assert_eq!(dims(&[2, 5], &[Some(8), Some(5)]), "{2/8, 5}");
        assert_eq!(dims(&[3], &[Some(3)]), "{3}");
    }

    #[test]
    fn plugin_filters_by_name() {
        let text: Vec<String> = [
            Filter::Lzf,
            Filter::Lz4,
            Filter::Bitshuffle,
            Filter::BitshuffleLz4,
            Filter::BitshuffleZstd(7),
            Filter::Zstd(3),
            Filter::Blosc(BloscCodec::Lz4, 5, BloscShuffle::Byte),
            Filter::Blosc(BloscCodec::Zstd, 0, BloscShuffle::Bit),
            Filter::Blosc(BloscCodec::Lz4, 9, BloscShuffle::None),
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            text,
            [
                "lzf",
                "lz4",
                "bitshuffle",
                "bitshuffle(lz4)",
                "bitshuffle(zstd(7))",
                "zstd(3)",
                "blosc(lz4, 5, shuffle)",
                "blosc(zstd, 0, bitshuffle)",
                "blosc(lz4, 9, noshuffle)",
            ]
        );
    }

    #[test]
    fn rows_pad_to_the_longest_path() {
        let rows = [
            ("/".to_string(), "Group".to_string()),
            (
                "/abc".to_string(),
                "Dataset {3}  u8  contiguous".to_string(),
            ),
        ];
        assert_eq!(
            render(&rows),
            "/     Group\n/abc  Dataset {3}  u8  contiguous\n"
        );
    }
}
