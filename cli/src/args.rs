//! The command line, parsed with clap: options, help text, and the checks
//! that span several arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::compress::Compress;

/// The notes after the options in `h5sink pack --help`.
const PACK_NOTES: &str = "\
Inputs (NAME=FILE):
  FILE is a NumPy .npy file (by its magic string or a .npy name; format
  1.0/2.0/3.0; bool, (u)int8-64, float16/32/64, either byte order) or else a
  numeric CSV file. A Fortran-ordered (column-major) .npy array is refused
  unless at most one of its dimensions is over 1 (then its bytes are the same
  as in C order). NAME may be a path: a/b/c creates the groups a and a/b.

CSV files:
  One row per line, comma-separated; blank lines are skipped and a UTF-8 BOM
  at the start is dropped. int64 if every value is an integer, else float64;
  one column gives a 1-D dataset. A value may be in double quotes (\"1.5\" is
  1.5); a quoted field may hold commas and doubled quotes (\"\") but not line
  breaks. The first line is a header only with --header, or when none of its
  fields is a number (the summary then says a header was detected); a
  header's names are kept as the dataset's string-array attribute
  column_names. Any other field that is not a number (nan and inf count as
  numbers) is an error naming the file, line, column and text.

Output (without --append):
  OUT.h5 is written as OUT.h5.partial and renamed to OUT.h5 only when
  complete; on an error nothing is left behind (unless --keep-partial). Every
  input must have the same number of rows (first dimension).

Appending (--append):
  OUT.h5 must exist; it is opened and changed in place. A NAME that is not
  in the file is created as without --append (with --chunk, --deflate,
  --compress, --shuffle, --resizable). A NAME that is a dataset gets the input's rows
  appended: it must be resizable (chunked, its maximum first dimension
  unlimited or large enough: made by 'pack --resizable' or h5py's
  maxshape=(None, ...)), with the input's element type and row shape. No
  type is converted, except that an all-integer CSV appends to a float64
  dataset when every value is exact in float64 (|v| <= 2^53). A CSV header
  must equal the dataset's column_names attribute if it has one.
  --class-names: label_names must not exist or hold exactly those names
  (it is never replaced). --attr: a root attribute that exists must hold
  that value already (attributes are never replaced).
  Every input is checked against the file before anything is written: a
  refused run leaves OUT.h5 byte for byte as it was. A failure while
  writing (a read error, an input changed meanwhile) cuts OUT.h5 back to
  its old length, with its old contents.

Exit status: 0 done, 1 error (nothing left behind), 2 bad command line.";

/// The notes after the options in `h5sink ls --help`: the line format.
const LS_NOTES: &str = "\
Output:
  One line per object, depth first, members in byte order (as h5ls -r):
  the path, padded to the longest path, two spaces, then
    Group[  N attrs: NAME, ...]
    Dataset {DIMS}  TYPE  LAYOUT[  FILTERS][  N attrs: NAME, ...]
  DIMS: {SCALAR}, or each dimension as h5ls prints it: 20 when it cannot
  grow, 20/Inf when unlimited, 20/64 when it can grow to 64.
  TYPE: f32, i64, u8, bool, variable-length UTF-8 string, fixed-length
  ASCII string of 10 bytes, ...
  LAYOUT: contiguous, compact, virtual, or chunked {63, 392} (the chunk shape).
  FILTERS: in pipeline order, e.g. shuffle, deflate(4), fletcher32; the
  plugin filters as lzf, lz4, zstd(3), bitshuffle, bitshuffle(lz4),
  bitshuffle(zstd(3)), blosc(lz4, 5, shuffle) (Blosc's compressor, level
  and noshuffle/shuffle/bitshuffle), also in files h5py + hdf5plugin wrote.
  Attributes: their count and names in byte order (1 attr: units).

Example:
  /             Group  1 attr: writer
  /features     Dataset {4000/Inf, 512}  f32  chunked {64, 512}  shuffle, deflate(4)
  /label_names  Dataset {10}  variable-length UTF-8 string  contiguous

Exit status: 0 listed, 1 error (missing file, not HDF5, a structure h5sink
cannot read yet), 2 bad command line.";

#[derive(Parser)]
#[command(
    name = "h5sink",
    version,
    about = "Stream NumPy .npy and numeric CSV files into a new HDF5 file (or append to one), list HDF5 files, and stitch shards into virtual datasets, with no libhdf5.",
    after_help = "Examples:\n  h5sink pack out.h5 features=feat.npy labels=labels.npy --class-names names.txt\n  \
                  h5sink ls out.h5\n  \
                  h5sink stitch all.h5 shard-0.h5 shard-1.h5\n\n\
                  Run 'h5sink pack --help' for every option of pack, 'h5sink ls --help' for the format of ls, 'h5sink stitch --help' for stitch."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Stream .npy and CSV files into datasets of a new HDF5 file (or, with --append, an existing one)
    #[command(
        override_usage = "h5sink pack OUT.h5 NAME=FILE... [OPTIONS]\n       h5sink pack --append OUT.h5 NAME=FILE... [OPTIONS]",
        after_help = PACK_NOTES,
        args_override_self = true,
        next_line_help = true
    )]
    Pack(PackArgs),
    /// List the groups and datasets of an HDF5 file, one line each (like h5ls -r)
    #[command(override_usage = "h5sink ls FILE", after_help = LS_NOTES)]
    Ls(LsArgs),
    /// Join the same-named datasets of shards row-wise, as virtual datasets of a new file
    #[command(override_usage = "h5sink stitch OUT.h5 SHARD.h5...", after_help = STITCH_NOTES)]
    Stitch(StitchArgs),
    /// Create a file of features, labels and label_names whose rows other processes write: one region token per range
    #[command(
        override_usage = "h5sink plan OUT.h5 --rows N --dim D [--class-names A,B,...] START:STOP..."
    )]
    Plan(PlanArgs),
    /// Write raw little-endian rows from stdin into the rows of a region token (from `h5sink plan`)
    #[command(override_usage = "h5sink write-region FILE.h5 TOKEN [--sync] < rows.bin")]
    WriteRegion(WriteRegionArgs),
}

#[derive(Args)]
pub struct PlanArgs {
    /// The file to create (refused if it exists)
    #[arg(value_name = "OUT.h5")]
    pub out: PathBuf,
    /// Rows of every dataset
    #[arg(long)]
    pub rows: u64,
    /// Values per row of `features` (f32)
    #[arg(long)]
    pub dim: u64,
    /// Class names, comma-separated, stored as label_names
    #[arg(long, value_name = "A,B,...")]
    pub class_names: Option<String>,
    /// Row ranges, one token line per range and dataset: START:STOP features TOKEN, START:STOP labels TOKEN
    #[arg(value_name = "START:STOP", required = true)]
    pub ranges: Vec<String>,
}

#[derive(Args)]
pub struct WriteRegionArgs {
    /// The file the token came from
    #[arg(value_name = "FILE.h5")]
    pub file: String,
    /// The region token
    #[arg(value_name = "TOKEN")]
    pub token: String,
    /// fsync the rows before exiting
    #[arg(long)]
    pub sync: bool,
}

/// The notes after the options in `h5sink stitch --help`.
const STITCH_NOTES: &str = "\
Every dataset of the shards becomes one virtual dataset of OUT.h5 whose rows
are the shards' rows in the order given (h5py, h5dump and libhdf5 readers
read it; no row is read or copied). The shards must hold the same datasets,
each with the same element type and row shape (all dimensions but the
first); label_names (variable-length strings) is copied once and must be
equal in every shard. A shard whose stream was interrupted contributes the
rows its h5sink_rows_written attribute counts. OUT.h5's root attribute
h5sink_stitched_from lists the shards; attributes of the shards are not
copied.

Source file names are stored relative to OUT.h5's directory (libhdf5 finds a
relative source relative to the virtual file's directory), so OUT.h5 and its
shards can move together; absolute when no relative path exists.

OUT.h5 must not exist (never overwritten). Any disagreement is one line
naming the shard and the dataset, exit 1, and no file is left.";

#[derive(Args)]
pub struct StitchArgs {
    /// The virtual HDF5 file to write (refused if it exists)
    #[arg(value_name = "OUT.h5")]
    pub out: PathBuf,
    /// The shards, in row order
    #[arg(value_name = "SHARD.h5", required = true)]
    pub shards: Vec<PathBuf>,
}

#[derive(Args)]
pub struct LsArgs {
    /// The HDF5 file to list (opened read-only)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Args)]
pub struct PackArgs {
    /// The HDF5 file to write (refused if it exists, unless --force or
    /// --append)
    #[arg(value_name = "OUT.h5")]
    out: PathBuf,

    /// Store FILE (.npy or CSV) as dataset NAME; a/b/c creates groups a, a/b
    #[arg(value_name = "NAME=FILE", required = true, value_parser = parse_input)]
    inputs: Vec<(String, PathBuf)>,

    /// One class name per line, stored as dataset label_names
    /// (variable-length UTF-8 strings, as h5py stores a list of str)
    #[arg(long, value_name = "FILE", verbatim_doc_comment)]
    class_names: Option<PathBuf>,

    /// Chunked layout; each dataset takes as many of these dims as its
    /// rank (missing ones: the whole dimension; clamped to it)
    #[arg(long, value_name = "R[,C,...]", value_parser = parse_chunk, verbatim_doc_comment)]
    chunk: Option<Chunk>,

    /// gzip filter, level 0-9 (chunked; h5py's chunk shape guess
    /// unless --chunk is given)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=9), verbatim_doc_comment)]
    deflate: Option<u8>,

    /// Byte-shuffle filter (before deflate)
    #[arg(long)]
    shuffle: bool,

    /// Compression filter (chunked, as --deflate): lz4, bslz4
    /// (bitshuffle+LZ4), bszstd[:L], zstd[:L] (L 1-22, default 3),
    /// blosc-lz4[:L], blosc-zstd[:L] (L 0-9, default 5, byte shuffle),
    /// lzf, gzip[:L] (= --deflate L, default 4). --shuffle goes with
    /// lz4, zstd, lzf and gzip
    #[arg(long, value_name = "CODEC[:LEVEL]", value_parser = crate::compress::parse,
          conflicts_with = "deflate", verbatim_doc_comment)]
    compress: Option<Compress>,

    /// Root attribute: int64 or float64 if VALUE parses as one, else a
    /// UTF-8 string (repeatable; each NAME once)
    #[arg(long = "attr", value_name = "NAME=VALUE", value_parser = parse_attr, verbatim_doc_comment)]
    attrs: Vec<(String, String)>,

    /// The first line of every CSV input is a header, even if it holds
    /// numbers (its names are kept as the attribute column_names)
    #[arg(long, verbatim_doc_comment)]
    header: bool,

    /// Make datasets with rows resizable (chunked; maximum first
    /// dimension unlimited, as h5py's maxshape=(None, ...)) so that
    /// --append can add rows later
    #[arg(long, verbatim_doc_comment)]
    resizable: bool,

    /// Add to the existing OUT.h5: new datasets, and rows appended to
    /// resizable datasets of the same name (see "Appending" below)
    #[arg(long, conflicts_with_all = ["force", "keep_partial"], verbatim_doc_comment)]
    append: bool,

    /// Replace an existing OUT.h5 (and remove a stale OUT.h5.partial)
    #[arg(long)]
    force: bool,

    /// On a failure while writing, keep the half-written OUT.h5.partial
    /// (by default it is deleted)
    #[arg(long, verbatim_doc_comment)]
    keep_partial: bool,
}

/// `--chunk` dims (a newtype: clap would take a bare `Vec` for a repeatable option).
#[derive(Clone)]
pub struct Chunk(Vec<u64>);

/// The checked options of `h5sink pack`.
pub struct Opts {
    pub out: PathBuf,
    pub inputs: Vec<(String, PathBuf)>,
    pub class_names: Option<PathBuf>,
    pub chunk: Option<Vec<u64>>,
    pub deflate: Option<u8>,
    pub compress: Option<Compress>,
    pub shuffle: bool,
    pub attrs: Vec<(String, String)>,
    pub header: bool,
    pub force: bool,
    pub keep_partial: bool,
    pub resizable: bool,
    pub append: bool,
}

fn parse_input(a: &str) -> Result<(String, PathBuf), String> {
    let (name, path) = a
        .split_once('=')
        .filter(|(n, p)| !n.trim_matches('/').is_empty() && !p.is_empty())
        .ok_or("expected NAME=FILE")?;
    Ok((name.trim_matches('/').to_string(), PathBuf::from(path)))
}

fn parse_chunk(v: &str) -> Result<Chunk, String> {
    let dims: Option<Vec<u64>> = v
        .split(',')
        .map(|d| d.trim().parse().ok().filter(|&n| n > 0))
        .collect();
    dims.filter(|d| !d.is_empty())
        .map(Chunk)
        .ok_or_else(|| "expected positive integers like 64,512".into())
}

fn parse_attr(v: &str) -> Result<(String, String), String> {
    v.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, val)| (k.to_string(), val.to_string()))
        .ok_or_else(|| "expected NAME=VALUE".into())
}

impl PackArgs {
    /// The checks clap cannot make; an error is a one-line usage message.
    pub fn check(self) -> Result<Opts, String> {
        let out = self.out;
        for (i, (name, path)) in self.inputs.iter().enumerate() {
            if let Some((_, first)) = self.inputs[..i].iter().find(|(n, _)| n == name) {
                return Err(format!(
                    "dataset {name:?} given twice ({name}={} and {name}={})",
                    first.display(),
                    path.display()
                ));
            }
        }
        if self.class_names.is_some() && self.inputs.iter().any(|(n, _)| n == "label_names") {
            return Err("dataset label_names is also written by --class-names".into());
        }
        for (i, (key, value)) in self.attrs.iter().enumerate() {
            if let Some((_, first)) = self.attrs[..i].iter().find(|(k, _)| k == key) {
                return Err(format!(
                    "attribute {key:?} given twice (--attr {key}={first} and --attr {key}={value}); \
                     give each attribute name once"
                ));
            }
        }
        if let Some(c) = self.compress.filter(|_| self.shuffle) {
            if let Some(why) = c.shuffle_conflict() {
                return Err(format!(
                    "--shuffle cannot go with --compress {c}: {why}; drop --shuffle"
                ));
            }
        }
        Ok(Opts {
            out,
            inputs: self.inputs,
            class_names: self.class_names,
            chunk: self.chunk.map(|c| c.0),
            deflate: self.deflate,
            compress: self.compress,
            shuffle: self.shuffle,
            attrs: self.attrs,
            header: self.header,
            force: self.force,
            keep_partial: self.keep_partial,
            resizable: self.resizable,
            append: self.append,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
