//! `h5sink pack` itself: check every input, write OUT.h5.partial, rename it.

use std::fs;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use h5sink::VarLenUnicode;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::args::Opts;
use crate::npy::{self, Kind};
use crate::stream::{stream_csv, stream_npy, Target};
use crate::{csv, err, Fail};

pub enum Source {
    Npy(npy::Header, fs::File),
    Csv(csv::Scan),
}

pub struct Input {
    pub name: String,
    pub path: PathBuf,
    pub source: Source,
    pub shape: Vec<u64>,
    /// Input bytes to stream (for progress and the summary).
    pub bytes: u64,
}

impl Input {
    pub fn what(&self) -> String {
        format!("{}={}", self.name, self.path.display())
    }
}

fn open_input(name: &str, path: &Path, header: bool) -> Result<Input, Fail> {
    let named = |reason: String| Fail::Error(format!("{name}={}: {reason}", path.display()));
    let mut magic = [0u8; 6];
    let is_npy = {
        let mut f = fs::File::open(path).map_err(|e| named(format!("cannot open: {e}")))?;
        let mut n = 0;
        while n < 6 {
            match f.read(&mut magic[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) => return Err(named(format!("cannot read: {e}"))),
            }
        }
        &magic[..n] == npy::MAGIC
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if is_npy || ext.as_deref() == Some("npy") {
        let (h, f) = npy::read_header(path).map_err(named)?;
        Ok(Input {
            name: name.into(),
            path: path.into(),
            shape: h.shape.clone(),
            bytes: h.data_bytes,
            source: Source::Npy(h, f),
        })
    } else {
        let s = csv::scan(path, header).map_err(named)?;
        let shape = if s.cols == 1 {
            vec![s.rows]
        } else {
            vec![s.rows, s.cols as u64]
        };
        Ok(Input {
            name: name.into(),
            path: path.into(),
            shape,
            bytes: s.file_bytes,
            source: Source::Csv(s),
        })
    }
}

fn partial_path(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".partial");
    PathBuf::from(s)
}

/// Every input opened and checked (same row counts), and the class names:
/// what both pack and pack --append do before writing anything. Returns
/// the inputs, their row count and the class names.
pub fn check_inputs(o: &Opts) -> Result<Checked, Fail> {
    let mut inputs = Vec::new();
    for (name, path) in &o.inputs {
        inputs.push(open_input(name, path, o.header)?);
    }
    let with_rows: Vec<&Input> = inputs.iter().filter(|i| !i.shape.is_empty()).collect();
    let rows = with_rows.first().map_or(0, |i| i.shape[0]);
    if let Some(first) = with_rows.first() {
        if let Some(bad) = with_rows.iter().find(|i| i.shape[0] != first.shape[0]) {
            return err(format!(
                "row counts differ: {} has {} rows, {} has {} rows",
                first.what(),
                first.shape[0],
                bad.what(),
                bad.shape[0]
            ));
        }
    }
    let class_names = match &o.class_names {
        None => None,
        Some(p) => {
            let text = fs::read(p)
                .map_err(|e| Fail::Error(format!("{}: cannot read: {e}", p.display())))?;
            let text = String::from_utf8(text)
                .map_err(|e| Fail::Error(format!("{}: not UTF-8 text: {e}", p.display())))?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            Some(text.lines().map(str::to_string).collect::<Vec<_>>())
        }
    };
    Ok(Checked {
        inputs,
        rows,
        class_names,
    })
}

/// What [`check_inputs`] found.
pub struct Checked {
    pub inputs: Vec<Input>,
    /// The row count of every input with rows.
    pub rows: u64,
    /// The lines of `--class-names`.
    pub class_names: Option<Vec<String>>,
}

pub fn pack(o: Opts) -> Result<(), Fail> {
    if o.append {
        return crate::append::append(&o);
    }
    let start = Instant::now();
    if !o.force && fs::symlink_metadata(&o.out).is_ok() {
        return err(format!(
            "{} exists; use --force to replace it (or --append to add to it)",
            o.out.display()
        ));
    }
    // Check every input before writing anything.
    let Checked {
        mut inputs,
        rows,
        class_names,
    } = check_inputs(&o)?;

    let partial = partial_path(&o.out);
    if o.force {
        let _ = fs::remove_file(&partial);
    } else if fs::symlink_metadata(&partial).is_ok() {
        return err(format!(
            "{} exists (left by an earlier run?); delete it or use --force",
            partial.display()
        ));
    }
    let total: u64 = inputs.iter().map(|i| i.bytes).sum();
    let progress = progress_bar(total);
    let result = write_file(&partial, &o, &mut inputs, class_names.as_deref(), &progress);
    progress.finish_and_clear();
    let result = result.and_then(|()| finalize(&partial, &o.out, o.force));
    if let Err(Fail::Error(m)) = result {
        if o.keep_partial && partial.exists() {
            return err(format!(
                "{m}\n(kept the partial output {})",
                partial.display()
            ));
        }
        let _ = fs::remove_file(&partial);
        return err(m);
    }
    result?;

    let secs = start.elapsed().as_secs_f64();
    let written = fs::metadata(&o.out).map(|m| m.len()).unwrap_or(0);
    let datasets = inputs.len() + usize::from(class_names.is_some());
    println!(
        "h5sink: {} rows, {} datasets -> {}: {} bytes read, {} bytes written, {:.3} s, {:.1} MB/s{}",
        rows,
        datasets,
        o.out.display(),
        total,
        written,
        secs,
        total as f64 / 1e6 / secs.max(1e-9),
        header_note(&inputs)
    );
    Ok(())
}

/// Move the finished `partial` to `out`; without `force`, never replace an
/// existing `out` (a hard link fails atomically if it exists).
fn finalize(partial: &Path, out: &Path, force: bool) -> Result<(), Fail> {
    let fail = |e: std::io::Error| {
        Fail::Error(format!(
            "cannot rename {} to {}: {e}",
            partial.display(),
            out.display()
        ))
    };
    if force {
        return fs::rename(partial, out).map_err(fail);
    }
    match fs::hard_link(partial, out) {
        Ok(()) => {
            let _ = fs::remove_file(partial);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => err(format!(
            "{} appeared while writing; use --force to replace it",
            out.display()
        )),
        Err(_) if fs::symlink_metadata(out).is_ok() => err(format!(
            "{} exists; use --force to replace it",
            out.display()
        )),
        Err(_) => fs::rename(partial, out).map_err(fail),
    }
}

pub fn h5err(what: &str) -> impl Fn(h5sink::Error) -> Fail + '_ {
    move |e| Fail::Error(format!("{what}: {e}"))
}

fn write_file(
    partial: &Path,
    o: &Opts,
    inputs: &mut [Input],
    class_names: Option<&[String]>,
    progress: &ProgressBar,
) -> Result<(), Fail> {
    let pd = partial.display().to_string();
    let file = h5sink::File::create(partial).map_err(h5err(&pd))?;
    for input in inputs.iter_mut() {
        progress.set_message(label(&input.name));
        let name = input.name.clone();
        write_input(input, Target::New(&file, &name), o, progress)?;
    }
    if let Some(names) = class_names {
        write_class_names(&file, names)?;
    }
    for (k, v) in &o.attrs {
        write_attr(&file, k, v)?;
    }
    file.close().map_err(h5err(&pd))
}

/// Stream one input into `target`; an error names the input.
pub fn write_input(
    input: &mut Input,
    target: Target<'_>,
    o: &Opts,
    progress: &ProgressBar,
) -> Result<(), Fail> {
    let what = input.what();
    let shape = &input.shape;
    let r = match &mut input.source {
        Source::Npy(h, f) => {
            let big = h.big_endian;
            match h.kind {
                Kind::Bool => stream_npy::<bool>(target, shape, f, big, o, progress),
                Kind::U8 => stream_npy::<u8>(target, shape, f, big, o, progress),
                Kind::I8 => stream_npy::<i8>(target, shape, f, big, o, progress),
                Kind::U16 => stream_npy::<u16>(target, shape, f, big, o, progress),
                Kind::I16 => stream_npy::<i16>(target, shape, f, big, o, progress),
                Kind::U32 => stream_npy::<u32>(target, shape, f, big, o, progress),
                Kind::I32 => stream_npy::<i32>(target, shape, f, big, o, progress),
                Kind::U64 => stream_npy::<u64>(target, shape, f, big, o, progress),
                Kind::I64 => stream_npy::<i64>(target, shape, f, big, o, progress),
                Kind::F16 => stream_npy::<half::f16>(target, shape, f, big, o, progress),
                Kind::F32 => stream_npy::<f32>(target, shape, f, big, o, progress),
                Kind::F64 => stream_npy::<f64>(target, shape, f, big, o, progress),
            }
        }
        // An all-integer CSV appended to a float64 dataset (checked exact
        // before) is read as float64.
        Source::Csv(s) if s.integers && !appends_f64(&target) => {
            stream_csv::<i64>(target, &input.path, s, o, progress)
        }
        Source::Csv(s) => stream_csv::<f64>(target, &input.path, s, o, progress),
    };
    r.map_err(|e| match e {
        Fail::Error(m) => Fail::Error(format!("{what}: {m}")),
        u => u,
    })
}

fn appends_f64(target: &Target<'_>) -> bool {
    matches!(target, Target::Append(ds) if ds.dtype() == Some(<f64 as h5sink::H5Type>::DATATYPE))
}

/// The dataset label_names of `--class-names`.
pub fn write_class_names(file: &h5sink::File, names: &[String]) -> Result<(), Fail> {
    file.new_dataset::<VarLenUnicode>()
        .shape(&[names.len()])
        .create("label_names")
        .and_then(|ds| ds.write_strings(names))
        .map(|_| ())
        .map_err(h5err("--class-names"))
}

/// The root attribute of `--attr k=v`.
pub fn write_attr(file: &h5sink::File, k: &str, v: &str) -> Result<(), Fail> {
    let b = file.new_attr_builder();
    let b = match AttrValue::parse(v) {
        AttrValue::Int(i) => b.with_scalar(&i),
        AttrValue::Float(x) => b.with_scalar(&x),
        AttrValue::Str(s) => b.with_str(s),
    };
    b.create(k)
        .map(|_| ())
        .map_err(h5err(&format!("--attr {k}")))
}

/// The value of `--attr NAME=VALUE`: int64 or float64 if it parses as
/// one, else a string.
pub enum AttrValue<'a> {
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl AttrValue<'_> {
    pub fn parse(v: &str) -> AttrValue<'_> {
        if let Ok(i) = v.parse::<i64>() {
            AttrValue::Int(i)
        } else if let Some(x) = v
            .parse::<f64>()
            .ok()
            .filter(|_| v.bytes().any(|c| c.is_ascii_digit()))
        {
            AttrValue::Float(x)
        } else {
            AttrValue::Str(v)
        }
    }
}

/// The summary's note on CSV header lines that were detected (not asked for
/// with --header), or "".
pub fn header_note(inputs: &[Input]) -> String {
    let detected: Vec<String> = inputs
        .iter()
        .filter(|i| matches!(&i.source, Source::Csv(s) if s.header.as_ref().is_some_and(|h| h.detected)))
        .map(Input::what)
        .collect();
    if detected.is_empty() {
        return String::new();
    }
    format!(
        "; header line detected and skipped (kept as attribute column_names) in {}",
        detected.join(", ")
    )
}

/// A progress bar on stderr, only if stderr is a terminal.
pub fn progress_bar(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let mb = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:>9.1}", s.pos() as f64 / 1e6);
    };
    let rate = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
        let secs = s.elapsed().as_secs_f64().max(1e-9);
        let _ = write!(w, "{:>8.1}", s.pos() as f64 / 1e6 / secs);
    };
    let percent = |s: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:5.1}", f64::from(s.fraction()) * 100.0);
    };
    let style = ProgressStyle::with_template("[{bar:30}] {pct}% {mb} MB {rate} MB/s  {msg}")
        .map(|st| {
            st.progress_chars("## ")
                .with_key("mb", mb)
                .with_key("rate", rate)
                .with_key("pct", percent)
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style)
}

/// A dataset name for the bar, at most 24 characters.
pub fn label(name: &str) -> String {
    if name.chars().count() > 24 {
        name.chars().take(23).collect::<String>() + "…"
    } else {
        name.to_string()
    }
}
