//! `h5sink pack`: stream NumPy `.npy` and numeric CSV files into one HDF5
//! file, in constant memory, with no libhdf5.

mod csv;
mod npy;
mod progress;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use h5sink::{Dataset, Element, H5Type, VarLenUnicode};
use npy::Kind;
use progress::Progress;

const USAGE: &str = "\
usage: h5sink pack OUT.h5 NAME=FILE... [options]

Streams NumPy .npy files (format 1.0/2.0/3.0; bool, (u)int8-64, float16/32/64,
either byte order) and numeric CSV files into datasets of a new HDF5 file.

  NAME=FILE           store FILE as dataset NAME (a/b/c creates groups a, a/b);
                      FILE is .npy (by its magic string) or CSV (one row per line,
                      comma-separated, optional header line; int64 if every value
                      is an integer, else float64; one column gives a 1-D dataset)
  --class-names FILE  one class name per line, stored as dataset label_names
                      (variable-length UTF-8 strings, as h5py stores a list of str)
  --chunk R[,C,...]   chunked layout; each dataset takes as many of these dims as
                      its rank (missing ones: the whole dimension; clamped to it)
  --deflate N         gzip filter, level 0-9 (chunked; h5py's chunk shape guess
                      unless --chunk is given)
  --shuffle           byte-shuffle filter (before deflate)
  --attr NAME=VALUE   root attribute: int64 or float64 if VALUE parses as one,
                      else a UTF-8 string (repeatable)
  --force             replace an existing OUT.h5
  --keep-partial      on failure keep the half-written OUT.h5.partial

The file is written as OUT.h5.partial and renamed to OUT.h5 only when complete.
Every input must have the same number of rows (first dimension).
Exit status: 0 done, 1 error (nothing left behind), 2 bad command line.";

/// Bytes of input data read per block (per dataset; at least one row).
const BLOCK_BYTES: usize = 4 << 20;

enum Fail {
    Usage(String),
    Error(String),
}

fn err<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail::Error(msg.into()))
}

struct Opts {
    out: PathBuf,
    inputs: Vec<(String, PathBuf)>,
    class_names: Option<PathBuf>,
    chunk: Option<Vec<u64>>,
    deflate: Option<u8>,
    shuffle: bool,
    attrs: Vec<(String, String)>,
    force: bool,
    keep_partial: bool,
}

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect::<Result<_, _>>()
    {
        Ok(a) => a,
        Err(a) => {
            eprintln!("h5sink: argument {a:?} is not valid UTF-8");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Usage(m)) => {
            eprintln!("h5sink: {m}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Fail::Error(m)) => {
            eprintln!("h5sink: error: {m}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &[String]) -> Result<(), Fail> {
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some("-V" | "--version") => {
            println!("h5sink {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Some("pack") => pack(parse_args(&args[1..])?),
        Some(other) => Err(Fail::Usage(format!("unknown command {other:?}"))),
        None => Err(Fail::Usage("no command given".into())),
    }
}

fn parse_args(args: &[String]) -> Result<Opts, Fail> {
    let usage = |m: String| Fail::Usage(m);
    let mut out = None;
    let mut o = Opts {
        out: PathBuf::new(),
        inputs: Vec::new(),
        class_names: None,
        chunk: None,
        deflate: None,
        shuffle: false,
        attrs: Vec::new(),
        force: false,
        keep_partial: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        // --opt=value and --opt value
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, Fail> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| usage(format!("{name} needs a value"))),
            }
        };
        match flag {
            "--class-names" => o.class_names = Some(PathBuf::from(value(flag)?)),
            "--chunk" => {
                let v = value(flag)?;
                let dims: Option<Vec<u64>> = v
                    .split(',')
                    .map(|d| d.trim().parse().ok().filter(|&n| n > 0))
                    .collect();
                o.chunk = Some(dims.filter(|d| !d.is_empty()).ok_or_else(|| {
                    usage(format!(
                        "--chunk {v:?}: expected positive integers like 64,512"
                    ))
                })?);
            }
            "--deflate" => {
                let v = value(flag)?;
                o.deflate = Some(
                    v.parse()
                        .ok()
                        .filter(|&n: &u8| n <= 9)
                        .ok_or_else(|| usage(format!("--deflate {v:?}: expected a level 0-9")))?,
                );
            }
            "--attr" => {
                let v = value(flag)?;
                let (k, val) = v
                    .split_once('=')
                    .filter(|(k, _)| !k.is_empty())
                    .ok_or_else(|| usage(format!("--attr {v:?}: expected NAME=VALUE")))?;
                o.attrs.push((k.to_string(), val.to_string()));
            }
            "--shuffle" | "--force" | "--keep-partial" if inline.is_some() => {
                return Err(usage(format!("{flag} takes no value")))
            }
            "--shuffle" => o.shuffle = true,
            "--force" => o.force = true,
            "--keep-partial" => o.keep_partial = true,
            f if f.starts_with('-') && f.len() > 1 => {
                return Err(usage(format!("unknown option {f:?}")))
            }
            _ if out.is_none() => out = Some(PathBuf::from(a)),
            _ => {
                let (name, path) = a
                    .split_once('=')
                    .filter(|(n, p)| !n.is_empty() && !p.is_empty())
                    .ok_or_else(|| usage(format!("{a:?}: expected NAME=FILE")))?;
                let name = name.trim_matches('/').to_string();
                if o.inputs.iter().any(|(n, _)| *n == name) {
                    return Err(usage(format!("dataset {name:?} given twice")));
                }
                o.inputs.push((name, PathBuf::from(path)));
            }
        }
    }
    o.out = out.ok_or_else(|| usage("no output file given".into()))?;
    if o.inputs.is_empty() {
        return Err(usage("no NAME=FILE inputs given".into()));
    }
    if o.class_names.is_some() && o.inputs.iter().any(|(n, _)| n == "label_names") {
        return Err(usage(
            "dataset label_names is also written by --class-names".into(),
        ));
    }
    Ok(o)
}

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

fn open_input(name: &str, path: &Path) -> Result<Input, Fail> {
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
        let s = csv::scan(path).map_err(named)?;
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

fn pack(o: Opts) -> Result<(), Fail> {
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
        inputs.push(open_input(name, path)?);
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
    let mut progress = Progress::new(total);
    let result = write_file(
        &partial,
        &o,
        &mut inputs,
        class_names.as_deref(),
        &mut progress,
    );
    progress.finish();
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
        "h5sink: {} rows, {} datasets -> {}: {} bytes read, {} bytes written, {:.3} s, {:.1} MB/s",
        rows,
        datasets,
        o.out.display(),
        total,
        written,
        secs,
        total as f64 / 1e6 / secs.max(1e-9)
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
    progress: &mut Progress,
) -> Result<(), Fail> {
    let pd = partial.display().to_string();
    let file = h5sink::File::create(partial).map_err(h5err(&pd))?;
    for input in inputs.iter_mut() {
        progress.set_label(&input.name);
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

fn create<T: H5Type>(
    file: &h5sink::File,
    name: &str,
    shape: &[u64],
    o: &Opts,
) -> Result<Dataset, Fail> {
    let mut b = file.new_dataset::<T>().shape(shape);
    let chunked = o.chunk.is_some() || o.deflate.is_some() || o.shuffle;
    if chunked && !shape.is_empty() && !shape.contains(&0) {
        if let Some(c) = &o.chunk {
            let dims: Vec<u64> = shape
                .iter()
                .enumerate()
                .map(|(i, &d)| c.get(i).copied().unwrap_or(d).clamp(1, d))
                .collect();
            b = b.chunk(&dims);
        }
        if o.shuffle {
            b = b.shuffle();
        }
        if let Some(level) = o.deflate {
            b = b.deflate(level);
        }
    }
    b.create(name).map_err(|e| Fail::Error(e.to_string()))
}

/// Elements as read from `.npy` bytes.
trait NpyElem: Element {
    const SIZE: usize;
    fn from_le(b: &[u8]) -> Self;
    fn from_be(b: &[u8]) -> Self;
}

macro_rules! npy_num {
    ($($t:ty),*) => {$(
        impl NpyElem for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn from_le(b: &[u8]) -> Self {
                <$t>::from_le_bytes(b.try_into().expect("chunks_exact"))
            }
            #[inline]
            fn from_be(b: &[u8]) -> Self {
                <$t>::from_be_bytes(b.try_into().expect("chunks_exact"))
            }
        }
    )*};
}
npy_num!(u8, i8, u16, i16, u32, i32, u64, i64, f32, f64);

impl NpyElem for bool {
    const SIZE: usize = 1;
    fn from_le(b: &[u8]) -> Self {
        b[0] != 0
    }
    fn from_be(b: &[u8]) -> Self {
        b[0] != 0
    }
}

impl NpyElem for half::f16 {
    const SIZE: usize = 2;
    fn from_le(b: &[u8]) -> Self {
        half::f16::from_bits(u16::from_le_bytes([b[0], b[1]]))
    }
    fn from_be(b: &[u8]) -> Self {
        half::f16::from_bits(u16::from_be_bytes([b[0], b[1]]))
    }
}

fn decode<T: NpyElem>(raw: &[u8], big: bool, out: &mut Vec<T>) {
    out.clear();
    if big {
        out.extend(raw.chunks_exact(T::SIZE).map(T::from_be));
    } else {
        out.extend(raw.chunks_exact(T::SIZE).map(T::from_le));
    }
}

fn stream_npy<T: NpyElem>(
    file: &h5sink::File,
    name: &str,
    shape: &[u64],
    f: &mut fs::File,
    big: bool,
    o: &Opts,
    progress: &mut Progress,
) -> Result<(), Fail> {
    let ds = create::<T>(file, name, shape, o)?;
    let mut vals: Vec<T> = Vec::new();
    let Some((&rows, rest)) = shape.split_first() else {
        let mut raw = vec![0u8; T::SIZE];
        f.read_exact(&mut raw)
            .or_else(|e| err(format!("truncated: {e}")))?;
        decode(&raw, big, &mut vals);
        progress.add(T::SIZE as u64);
        return ds
            .write_scalar(&vals[0])
            .map_err(|e| Fail::Error(e.to_string()));
    };
    let row_len: u64 = rest.iter().product();
    let row_bytes = usize::try_from(row_len * T::SIZE as u64)
        .or_else(|_| err(format!("one row ({row_len} values) does not fit in memory")))?;
    if row_bytes == 0 {
        return Ok(());
    }
    let block_rows = (BLOCK_BYTES / row_bytes).max(1) as u64;
    let mut raw = vec![0u8; block_rows.min(rows) as usize * row_bytes];
    let mut at = 0u64;
    while at < rows {
        let n = block_rows.min(rows - at);
        let buf = &mut raw[..n as usize * row_bytes];
        f.read_exact(buf)
            .or_else(|e| err(format!("truncated: reading rows {at}..{}: {e}", at + n)))?;
        decode(buf, big, &mut vals);
        ds.write_rows(at as usize, &vals)
            .map_err(|e| Fail::Error(e.to_string()))?;
        progress.add(buf.len() as u64);
        at += n;
    }
    Ok(())
}

trait CsvElem: Element {
    fn parse(s: &str) -> Option<Self>;
}
impl CsvElem for i64 {
    fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}
impl CsvElem for f64 {
    fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

fn stream_csv<T: CsvElem>(
    file: &h5sink::File,
    name: &str,
    path: &Path,
    s: &csv::Scan,
    o: &Opts,
    progress: &mut Progress,
) -> Result<(), Fail> {
    let shape = if s.cols == 1 {
        vec![s.rows]
    } else {
        vec![s.rows, s.cols as u64]
    };
    let ds = create::<T>(file, name, &shape, o)?;
    let mut rows = csv::Rows::open(path, s).map_err(Fail::Error)?;
    let block_rows = (BLOCK_BYTES / 8 / s.cols.max(1)).max(1);
    let mut vals: Vec<T> = Vec::with_capacity(block_rows * s.cols);
    let mut at = 0u64;
    loop {
        vals.clear();
        let (n, bytes) = rows
            .next_block(block_rows, &mut vals, T::parse)
            .map_err(Fail::Error)?;
        progress.add(bytes);
        if n == 0 {
            break;
        }
        if at + n as u64 > s.rows {
            return err("the file grew while reading");
        }
        ds.write_rows(at as usize, &vals)
            .map_err(|e| Fail::Error(e.to_string()))?;
        at += n as u64;
    }
    if at != s.rows {
        return err(format!(
            "the file shrank while reading ({at} of {} rows)",
            s.rows
        ));
    }
    Ok(())
}
