//! `h5sink pack` itself: check every input, write OUT.h5.partial, rename it.

use std::fs;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use h5sink::VarLenUnicode;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::args::Opts;
use crate::npy::{self, Kind};
use crate::stream::{stream_csv, stream_npy};
use crate::{csv, err, Fail};

enum Source {
    Npy(npy::Header, fs::File),
    Csv(csv::Scan),
}

struct Input {
    name: String,
    path: PathBuf,
    source: Source,
    shape: Vec<u64>,
    /// Input bytes to stream (for progress and the summary).
    bytes: u64,
}

impl Input {
    fn what(&self) -> String {
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

pub fn pack(o: Opts) -> Result<(), Fail> {
    let start = Instant::now();
    if !o.force && fs::symlink_metadata(&o.out).is_ok() {
        return err(format!(
            "{} exists; use --force to replace it",
            o.out.display()
        ));
    }
    // Check every input before writing anything.
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

fn h5err(what: &str) -> impl Fn(h5sink::Error) -> Fail + '_ {
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
        let what = input.what();
        let r = match &mut input.source {
            Source::Npy(h, f) => {
                let (big, shape) = (h.big_endian, &input.shape);
                match h.kind {
                    Kind::Bool => {
                        stream_npy::<bool>(&file, &input.name, shape, f, big, o, progress)
                    }
                    Kind::U8 => stream_npy::<u8>(&file, &input.name, shape, f, big, o, progress),
                    Kind::I8 => stream_npy::<i8>(&file, &input.name, shape, f, big, o, progress),
                    Kind::U16 => stream_npy::<u16>(&file, &input.name, shape, f, big, o, progress),
                    Kind::I16 => stream_npy::<i16>(&file, &input.name, shape, f, big, o, progress),
                    Kind::U32 => stream_npy::<u32>(&file, &input.name, shape, f, big, o, progress),
                    Kind::I32 => stream_npy::<i32>(&file, &input.name, shape, f, big, o, progress),
                    Kind::U64 => stream_npy::<u64>(&file, &input.name, shape, f, big, o, progress),
                    Kind::I64 => stream_npy::<i64>(&file, &input.name, shape, f, big, o, progress),
                    Kind::F16 => {
                        stream_npy::<half::f16>(&file, &input.name, shape, f, big, o, progress)
                    }
                    Kind::F32 => stream_npy::<f32>(&file, &input.name, shape, f, big, o, progress),
                    Kind::F64 => stream_npy::<f64>(&file, &input.name, shape, f, big, o, progress),
                }
            }
            Source::Csv(s) => {
                if s.integers {
                    stream_csv::<i64>(&file, input.name.as_str(), &input.path, s, o, progress)
                } else {
                    stream_csv::<f64>(&file, input.name.as_str(), &input.path, s, o, progress)
                }
            }
        };
        r.map_err(|e| match e {
            Fail::Error(m) => Fail::Error(format!("{what}: {m}")),
            u => u,
        })?;
    }
    if let Some(names) = class_names {
        file.new_dataset::<VarLenUnicode>()
            .shape(&[names.len()])
            .create("label_names")
            .and_then(|ds| ds.write_strings(names))
            .map_err(h5err("--class-names"))?;
    }
    for (k, v) in &o.attrs {
        let b = file.new_attr_builder();
        let b = if let Ok(i) = v.parse::<i64>() {
            b.with_scalar(&i)
        } else if let Some(x) = v
            .parse::<f64>()
            .ok()
            .filter(|_| v.bytes().any(|c| c.is_ascii_digit()))
        {
            b.with_scalar(&x)
        } else {
            b.with_str(v)
        };
        b.create(k).map_err(h5err(&format!("--attr {k}")))?;
    }
    file.close().map_err(h5err(&pd))
}

/// The summary's note on CSV header lines that were detected (not asked for
/// with --header), or "".
fn header_note(inputs: &[Input]) -> String {
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
fn progress_bar(total: u64) -> ProgressBar {
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
fn label(name: &str) -> String {
    if name.chars().count() > 24 {
        name.chars().take(23).collect::<String>() + "…"
    } else {
        name.to_string()
    }
}
