//! `h5sink pack`: stream NumPy `.npy` and numeric CSV files into one HDF5
//! file, in constant memory, with no libhdf5. `h5sink ls`: list an HDF5
//! file's groups and datasets, as `h5ls -r` does. `h5sink stitch`: join
//! shards row-wise as virtual datasets. `h5sink plan` / `write-region`: one
//! file, its row ranges written by other processes.
#![forbid(unsafe_code)]

mod append;
mod args;
mod compress;
mod csv;
mod ls;
mod npy;
mod pack;
mod plan;
mod stitch;
mod stream;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use args::{Cli, Command};

enum Fail {
    /// A bad command line: one line, then a pointer to `--help`; exit 2.
    Usage(String),
    /// Anything else: exit 1, no output left.
    Error(String),
}

fn err<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail::Error(msg.into()))
}

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os()
        .map(|a| a.into_string())
        .collect::<Result<_, _>>()
    {
        Ok(a) => a,
        Err(a) => {
            eprintln!("h5sink: argument {a:?} is not valid UTF-8");
            return ExitCode::from(2);
        }
    };
    let help = match args.get(1).map(String::as_str) {
        Some("pack") => "h5sink pack --help",
        Some("ls") => "h5sink ls --help",
        Some("stitch") => "h5sink stitch --help",
        Some("plan") => "h5sink plan --help",
        Some("write-region") => "h5sink write-region --help",
        _ => "h5sink --help",
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::Usage(m)) => {
            eprintln!("h5sink: {m}\nrun '{help}' for usage");
            ExitCode::from(2)
        }
        Err(Fail::Error(m)) => {
            eprintln!("h5sink: error: {m}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &[String]) -> Result<(), Fail> {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            // To stdout; fails only if stdout is gone, and then there is no one to tell.
            let _ = e.print();
            return Ok(());
        }
        Err(e) => return Err(Fail::Usage(first_line(&e))),
    };
    match cli.command {
        Some(Command::Pack(p)) => pack::pack(p.check().map_err(Fail::Usage)?),
        Some(Command::Ls(l)) => ls::ls(&l.file),
        Some(Command::Stitch(s)) => stitch::stitch(&s.out, &s.shards),
        Some(Command::Plan(p)) => plan::plan(&p),
        Some(Command::WriteRegion(w)) => plan::write_region(&w),
        None => Err(Fail::Usage(
            "no command given (the commands are pack, ls and stitch)".into(),
        )),
    }
}

/// What a clap error says is wrong, on one line: its first paragraph
/// (e.g. "the following required arguments were not provided:" and the
/// list of them), without clap's tips and usage (`--help` has those).
fn first_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let para: Vec<&str> = text
        .trim_start()
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let line = para.join(" ");
    line.strip_prefix("error: ").unwrap_or(&line).to_string()
}
