//! Numeric CSV files: one row per line, comma-separated, an optional header
//! line. Read twice, in constant memory: a scan (row count, column count,
//! integer or float, every value checked) and then the stream of rows.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// What the scan found.
#[derive(Debug)]
pub struct Scan {
    pub header: bool,
    pub rows: u64,
    pub cols: usize,
    /// Every value parses as an i64 (stored as int64); otherwise float64.
    pub integers: bool,
    pub file_bytes: u64,
}

fn fields(line: &str) -> impl Iterator<Item = &str> {
    line.split(',').map(str::trim)
}

fn strip(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
        .trim_start_matches('\u{feff}')
}

fn is_number(s: &str) -> bool {
    // Rust's f64 parser also takes "inf"/"nan": accepted as numbers too.
    !s.is_empty() && s.parse::<f64>().is_ok()
}

/// Scan `path`: the first line is a header if any of its fields is not a
/// number; every other non-blank line must have the same number of fields,
/// all numbers.
pub fn scan(path: &Path) -> Result<Scan, String> {
    let f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let file_bytes = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut r = BufReader::with_capacity(1 << 16, f);
    let mut line = String::new();
    let mut lineno = 0u64;
    let mut header = false;
    let mut cols: Option<(usize, u64)> = None; // count, and the line that set it
    let mut rows = 0u64;
    let mut integers = true;
    loop {
        line.clear();
        let n = r
            .read_line(&mut line)
            .map_err(|e| format!("line {}: cannot read: {e}", lineno + 1))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        let l = strip(&line);
        if l.trim().is_empty() {
            continue;
        }
        let count = fields(l).count();
        if lineno == 1 && fields(l).any(|v| !is_number(v)) {
            header = true;
            cols = Some((count, 1));
            continue;
        }
        match cols {
            None => cols = Some((count, lineno)),
            Some((c, at)) if c != count => {
                return Err(format!(
                    "ragged CSV: line {lineno} has {count} fields, line {at} has {c}"
                ))
            }
            _ => {}
        }
        for (i, v) in fields(l).enumerate() {
            if integers && v.parse::<i64>().is_err() {
                integers = false;
            }
            if !is_number(v) {
                return Err(format!(
                    "line {lineno}, column {}: {v:?} is not a number",
                    i + 1
                ));
            }
        }
        rows += 1;
    }
    let Some((cols, _)) = cols else {
        return Err("empty CSV file: no header and no rows".into());
    };
    Ok(Scan {
        header,
        rows,
        cols,
        integers: integers && rows > 0,
        file_bytes,
    })
}

/// Streams the rows of a scanned CSV file as values of `T`, in blocks.
pub struct Rows {
    r: BufReader<File>,
    line: String,
    lineno: u64,
    scan_header: bool,
    cols: usize,
}

impl Rows {
    pub fn open(path: &Path, scan: &Scan) -> Result<Rows, String> {
        let f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        Ok(Rows {
            r: BufReader::with_capacity(1 << 16, f),
            line: String::new(),
            lineno: 0,
            scan_header: scan.header,
            cols: scan.cols,
        })
    }

    /// Append up to `max_rows` rows to `out`; returns (rows, bytes read).
    pub fn next_block<T>(
        &mut self,
        max_rows: usize,
        out: &mut Vec<T>,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<(usize, u64), String> {
        let mut got = 0;
        let mut bytes = 0u64;
        while got < max_rows {
            self.line.clear();
            let n = self
                .r
                .read_line(&mut self.line)
                .map_err(|e| format!("line {}: cannot read: {e}", self.lineno + 1))?;
            if n == 0 {
                break;
            }
            bytes += n as u64;
            self.lineno += 1;
            if self.lineno == 1 && self.scan_header {
                continue;
            }
            let l = strip(&self.line);
            if l.trim().is_empty() {
                continue;
            }
            let before = out.len();
            for v in fields(l) {
                let x = parse(v).ok_or_else(|| {
                    format!(
                        "line {}: {v:?} changed while reading (not a number now)",
                        self.lineno
                    )
                })?;
                out.push(x);
            }
            if out.len() - before != self.cols {
                return Err(format!(
                    "line {}: the file changed while reading (now {} fields, expected {})",
                    self.lineno,
                    out.len() - before,
                    self.cols
                ));
            }
            got += 1;
        }
        Ok((got, bytes))
    }
}
