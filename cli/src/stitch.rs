//! `h5sink stitch OUT.h5 SHARD.h5...`: one file whose datasets are the
//! row-wise concatenation of the same-named datasets of the shards (e.g.
//! `features` and `labels` of each worker's `DatasetWriter` file), as
//! virtual datasets: no row is read or copied. `label_names` is copied once
//! and must be equal in every shard. The format is in `STITCH_NOTES`
//! (args.rs) and the README.

use std::path::{Component, Path, PathBuf};

use h5sink::format::datatype::Datatype;
use h5sink::{
    Dataset, File, Group, Hyperslab, VarLenUnicode, VirtualLayout, VirtualSource, LABEL_NAMES_KEY,
    ROWS_WRITTEN_ATTR,
};

use crate::Fail;

/// The root attribute of OUT listing the shards as its mappings name them.
pub const STITCHED_FROM: &str = "h5sink_stitched_from";

/// One dataset of one shard, as its metadata says.
struct Part {
    dtype: Option<Datatype>,
    shape: Vec<u64>,
    /// Rows that hold data: the first dimension, or fewer when the
    /// shard's stream was interrupted (its `h5sink_rows_written`).
    rows: u64,
}

/// Each dataset path with its parts in every shard (`None`: copied once).
type Plan = Vec<(String, Option<Vec<Part>>)>;

/// Stitch `shards` into `out`; nothing is left at `out` on an error.
pub fn stitch(out: &Path, shards: &[PathBuf]) -> Result<(), Fail> {
    if out.exists() {
        return crate::err(format!(
            "{} already exists; stitch never overwrites a file",
            out.display()
        ));
    }
    let dir = out_dir(out)?;
    let mut names = Vec::with_capacity(shards.len());
    let mut files = Vec::with_capacity(shards.len());
    for s in shards {
        let f = File::open(s)
            .map_err(|e| Fail::Error(format!("cannot open shard {}: {e}", s.display())))?;
        names.push(source_name(&dir, s)?);
        files.push(f);
    }
    let plan = plan(shards, &files)?;
    write(out, &names, &files, &plan).map_err(|e| {
        let _ = std::fs::remove_file(out);
        Fail::Error(format!("writing {}: {e}", out.display()))
    })?;
    println!(
        "{}: {} datasets from {} shards ({} rows)",
        out.display(),
        plan.len(),
        shards.len(),
        plan.iter()
            .find(|(_, parts)| parts.is_some())
            .and_then(|(_, p)| p.as_ref())
            .map_or(0, |p| p.iter().map(|x| x.rows).sum::<u64>())
    );
    Ok(())
}

/// Each dataset path of the first shard, with its parts in every shard
/// (`None`: `label_names`, copied once). Checks that every shard has the
/// same datasets, types and row shapes.
fn plan(shards: &[PathBuf], files: &[File]) -> Result<Plan, Fail> {
    let h5 = |s: &Path, e: h5sink::Error| Fail::Error(format!("shard {}: {e}", s.display()));
    let mut lists = Vec::with_capacity(files.len());
    for (s, f) in shards.iter().zip(files) {
        let mut paths = Vec::new();
        datasets(f, &mut paths).map_err(|e| h5(s, e))?;
        lists.push(paths);
    }
    let first = &lists[0];
    for (s, l) in shards.iter().zip(&lists).skip(1) {
        if let Some(p) = first.iter().find(|p| !l.contains(p)) {
            return crate::err(format!(
                "shard {} has no dataset {p} (shard {} has)",
                s.display(),
                shards[0].display()
            ));
        }
        if let Some(p) = l.iter().find(|p| !first.contains(p)) {
            return crate::err(format!(
                "shard {} has a dataset {p} that shard {} lacks",
                s.display(),
                shards[0].display()
            ));
        }
    }
    if first.is_empty() {
        return crate::err(format!("shard {} holds no dataset", shards[0].display()));
    }
    // An interrupted DatasetWriter stream marks its data dataset with the
    // rows written; its labels (same declared rows) hold as many.
    let mut cuts = Vec::with_capacity(files.len());
    for ((s, f), l) in shards.iter().zip(files).zip(&lists) {
        let mut cut = None;
        for p in l {
            let d = f.dataset(p).map_err(|e| h5(s, e))?;
            if let (Some(&declared), Some(w)) = (d.shape().first(), written(s, p, &d)?) {
                cut = Some((declared, w));
            }
        }
        cuts.push(cut);
    }
    let mut plan = Vec::with_capacity(first.len());
    for path in first {
        let sets: Vec<Dataset> = shards
            .iter()
            .zip(files)
            .map(|(s, f)| f.dataset(path).map_err(|e| h5(s, e)))
            .collect::<Result<_, _>>()?;
        if path.rsplit('/').next() == Some(LABEL_NAMES_KEY) {
            let want = sets[0].read_strings().map_err(|e| h5(&shards[0], e))?;
            for (s, d) in shards.iter().zip(&sets).skip(1) {
                if d.read_strings().map_err(|e| h5(s, e))? != want {
                    return crate::err(format!(
                        "shard {}: dataset {path} differs from shard {}'s ({want:?})",
                        s.display(),
                        shards[0].display()
                    ));
                }
            }
            plan.push((path.clone(), None));
            continue;
        }
        let mut parts = Vec::with_capacity(sets.len());
        for ((s, d), cut) in shards.iter().zip(&sets).zip(&cuts) {
            parts.push(part(s, path, d, *cut)?);
        }
        let p0 = &parts[0];
        for ((s, p), d) in shards.iter().zip(&parts).zip(&sets).skip(1) {
            if p.dtype != p0.dtype {
                return crate::err(format!(
                    "shard {}: dataset {path} holds {}, shard {} holds {}",
                    s.display(),
                    d.dtype_description(),
                    shards[0].display(),
                    sets[0].dtype_description()
                ));
            }
            if p.shape[1..] != p0.shape[1..] {
                return crate::err(format!(
                    "shard {}: dataset {path} has rows of shape {:?}, shard {} rows of shape {:?}",
                    s.display(),
                    &p.shape[1..],
                    shards[0].display(),
                    &p0.shape[1..]
                ));
            }
        }
        if parts.iter().all(|p| p.rows == 0) {
            return crate::err(format!("dataset {path} has no rows in any shard"));
        }
        plan.push((path.clone(), Some(parts)));
    }
    Ok(plan)
}

/// The rows written that dataset `d` records, if it is an interrupted
/// stream's.
fn written(shard: &Path, path: &str, d: &Dataset) -> Result<Option<u64>, Fail> {
    match d.attr(ROWS_WRITTEN_ATTR) {
        Ok(a) => match a.read_raw::<u64>().ok().as_deref() {
            Some(&[n]) => Ok(Some(n)),
            _ => crate::err(format!(
                "shard {}: dataset {path}: its {ROWS_WRITTEN_ATTR} attribute is not one u64",
                shard.display()
            )),
        },
        Err(_) => Ok(None),
    }
}

/// One shard's dataset, checked: a known element type other than
/// variable-length strings, at least one dimension. `cut`: the shard's
/// (declared rows, rows written) if its stream was interrupted.
fn part(shard: &Path, path: &str, d: &Dataset, cut: Option<(u64, u64)>) -> Result<Part, Fail> {
    let bad =
        |why: String| Fail::Error(format!("shard {}: dataset {path}: {why}", shard.display()));
    let dtype = d.dtype();
    match dtype {
        None => {
            return Err(bad(format!(
                "its type ({}) cannot be mapped by h5sink",
                d.dtype_description()
            )))
        }
        Some(Datatype::VlenUtf8) => {
            return Err(bad(format!(
                "variable-length strings are stitched only as {LABEL_NAMES_KEY} (copied once)"
            )))
        }
        Some(_) => {}
    }
    let shape = d.shape();
    let Some(&declared) = shape.first() else {
        return Err(bad("a scalar has no rows to concatenate".into()));
    };
    let rows = match (written(shard, path, d)?, cut) {
        (Some(n), _) => n,
        (None, Some((rows, n))) if rows == declared => n,
        _ => declared,
    };
    Ok(Part {
        dtype,
        shape,
        rows: rows.min(declared),
    })
}

/// Every dataset below `g`, as paths without the leading `/`.
fn datasets(g: &Group, out: &mut Vec<String>) -> h5sink::Result<()> {
    for name in g.member_names()? {
        match g.group(&name) {
            Ok(sub) => datasets(&sub, out)?,
            Err(_) => {
                let d = g.dataset(&name)?;
                out.push(d.name().trim_start_matches('/').to_owned());
            }
        }
    }
    Ok(())
}

/// Create `out` with one virtual dataset per planned path (and
/// `label_names` copied from the first shard).
fn write(out: &Path, names: &[String], files: &[File], plan: &Plan) -> h5sink::Result<()> {
    let f = File::create(out)?;
    for (path, parts) in plan {
        let Some(parts) = parts else {
            let strings = files[0].dataset(path)?.read_strings()?;
            f.new_dataset::<VarLenUnicode>()
                .shape(&[strings.len() as u64])
                .create(path)?
                .write_strings(&strings)?;
            continue;
        };
        let total: u64 = parts.iter().map(|p| p.rows).sum();
        let row = &parts[0].shape[1..];
        let mut shape = vec![total];
        shape.extend_from_slice(row);
        let dtype = parts[0].dtype.unwrap_or(Datatype::Bool);
        let mut layout = VirtualLayout::with_dtype(dtype, &shape);
        let mut at = 0;
        for (name, p) in names.iter().zip(parts) {
            if p.rows == 0 {
                continue;
            }
            let mut start = vec![0; shape.len()];
            let mut block = shape.clone();
            block[0] = p.rows;
            let mut src = VirtualSource::new(name.clone(), format!("/{path}"), &p.shape);
            if p.shape.first() != Some(&p.rows) {
                src = src.slab(Hyperslab::new(&start, &block)); // the rows written
            }
            start[0] = at;
            layout = layout.map(src, Hyperslab::new(&start, &block));
            at += p.rows;
        }
        f.create_virtual(path, &layout)?;
    }
    f.new_attr_builder()
        .with_strings(names)
        .create(STITCHED_FROM)?;
    f.close()
}

/// The directory OUT will be in, absolute.
fn out_dir(out: &Path) -> Result<PathBuf, Fail> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parent.canonicalize().map_err(|e| {
        Fail::Error(format!(
            "cannot use the directory of {}: {e}",
            out.display()
        ))
    })
}

/// The name a mapping stores for `shard`: relative to OUT's directory
/// `dir` (as libhdf5 looks relative names up from the virtual file's
/// directory), or absolute when no relative path exists.
fn source_name(dir: &Path, shard: &Path) -> Result<String, Fail> {
    let abs = shard
        .canonicalize()
        .map_err(|e| Fail::Error(format!("cannot open shard {}: {e}", shard.display())))?;
    let (a, b): (Vec<Component>, Vec<Component>) =
        (dir.components().collect(), abs.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let name = if common == 0 {
        abs
    } else {
        let mut rel = PathBuf::new();
        for _ in common..a.len() {
            rel.push("..");
        }
        for c in &b[common..] {
            rel.push(c);
        }
        rel
    };
    name.to_str()
        .map(str::to_owned)
        .ok_or_else(|| Fail::Error(format!("shard path {} is not UTF-8", shard.display())))
}
