//! The command line: usage text and argument parsing.

use std::path::PathBuf;

use crate::Fail;

pub const USAGE: &str = "\
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

pub struct Opts {
    pub out: PathBuf,
    pub inputs: Vec<(String, PathBuf)>,
    pub class_names: Option<PathBuf>,
    pub chunk: Option<Vec<u64>>,
    pub deflate: Option<u8>,
    pub shuffle: bool,
    pub attrs: Vec<(String, String)>,
    pub force: bool,
    pub keep_partial: bool,
}

pub fn parse_args(args: &[String]) -> Result<Opts, Fail> {
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
