//! Numeric CSV files: one row per line, comma-separated, an optional header
//! line. Read twice, in constant memory: a scan (row count, column count,
//! integer or float, every value checked) and then the stream of rows.
//!
//! A field may be in double quotes: it may then hold commas and doubled
//! quotes (`""`), and a quoted number counts as the number (`"1.5"` is 1.5,
//! as Python's `csv` module followed by `float` reads it). A quoted field
//! cannot span lines. A UTF-8 BOM at the start of the file is dropped.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// What the scan found.
#[derive(Debug)]
pub struct Scan {
    pub header: Option<Header>,
    pub rows: u64,
    pub cols: usize,
    /// Every value parses as an i64 (stored as int64); otherwise float64.
    pub integers: bool,
    /// The largest magnitude of an integer value (while `integers` holds):
    /// up to 2^53 every value is exact as a float64.
    pub max_abs_int: u64,
    pub file_bytes: u64,
}

/// A header line: its names, and whether it was detected (no `--header`).
#[derive(Debug)]
pub struct Header {
    pub line: u64,
    pub names: Vec<String>,
    pub detected: bool,
}

/// One field of a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field<'a> {
    /// The text: trimmed of white space if unquoted, else what is inside
    /// the quotes (with any doubled quotes still doubled).
    pub text: &'a str,
    pub quoted: bool,
}

impl<'a> Field<'a> {
    /// The text a number is parsed from.
    pub fn value(&self) -> &'a str {
        self.text.trim()
    }

    /// The text as a column name (doubled quotes undone).
    pub fn name(&self) -> String {
        if self.quoted {
            self.text.replace("\"\"", "\"")
        } else {
            self.text.to_string()
        }
    }
}

/// The fields of one line (without its line break), left to right.
pub struct Fields<'a> {
    line: &'a str,
    /// Where the next field starts; `None` after the last one.
    at: Option<usize>,
    col: usize,
}

pub fn fields(line: &str) -> Fields<'_> {
    Fields {
        line,
        at: Some(0),
        col: 0,
    }
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<Field<'a>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.at?;
        self.col += 1;
        let (line, b) = (self.line, self.line.as_bytes());
        let i = skip_blanks(b, start);
        if b.get(i) != Some(&b'"') {
            let end = b[start..]
                .iter()
                .position(|&c| c == b',')
                .map_or(b.len(), |p| start + p);
            self.at = (end < b.len()).then_some(end + 1);
            return Some(Ok(Field {
                text: line[start..end].trim(),
                quoted: false,
            }));
        }
        // A quoted field: up to the quote that is not doubled.
        let open = i + 1;
        let mut j = open;
        let close = loop {
            match b[j..].iter().position(|&c| c == b'"') {
                None => {
                    self.at = None;
                    return Some(Err(format!(
                        "column {}: no closing quote in {:?} (a quoted field cannot span lines)",
                        self.col,
                        &line[i..]
                    )));
                }
                Some(p) if b.get(j + p + 1) == Some(&b'"') => j += p + 2,
                Some(p) => break j + p,
            }
        };
        let after = skip_blanks(b, close + 1);
        match b.get(after) {
            None => self.at = None,
            Some(b',') => self.at = Some(after + 1),
            Some(_) => {
                self.at = None;
                let end = b[after..]
                    .iter()
                    .position(|&c| c == b',')
                    .map_or(b.len(), |p| after + p);
                return Some(Err(format!(
                    "column {}: text after the closing quote in {:?}",
                    self.col,
                    line[i..end].trim_end()
                )));
            }
        }
        Some(Ok(Field {
            text: &line[open..close],
            quoted: true,
        }))
    }
}

/// The line without its line break, and without a BOM if it is line 1.
fn strip(line: &str, lineno: u64) -> &str {
    let l = line.trim_end_matches(['\n', '\r']);
    if lineno == 1 {
        l.strip_prefix('\u{feff}').unwrap_or(l)
    } else {
        l
    }
}

fn is_number(s: &str) -> bool {
    // Rust's f64 parser also takes "inf"/"nan": accepted as numbers too.
    !s.is_empty() && s.parse::<f64>().is_ok()
}

/// Scan `path`. The first non-blank line is a header if `header` is set or
/// if none of its fields is a number; every other non-blank line must have
/// the same number of fields, all numbers.
pub fn scan(path: &Path, header: bool) -> Result<Scan, String> {
    let f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let file_bytes = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut r = BufReader::with_capacity(1 << 16, f);
    let mut line = String::new();
    let mut lineno = 0u64;
    let mut head = None;
    let mut cols: Option<(usize, u64)> = None; // count, and the line that set it
    let mut rows = 0u64;
    let mut integers = true;
    let mut max_abs_int = 0u64;
    loop {
        line.clear();
        let n = r
            .read_line(&mut line)
            .map_err(|e| format!("line {}: cannot read: {e}", lineno + 1))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        let l = strip(&line, lineno);
        if l.trim().is_empty() {
            continue;
        }
        let at_line = |e: String| format!("line {lineno}, {e}");
        let first = cols.is_none();
        if first {
            let fs: Vec<Field> = fields(l).collect::<Result<_, _>>().map_err(at_line)?;
            if header || !fs.iter().any(|f| is_number(f.value())) {
                head = Some(Header {
                    line: lineno,
                    names: fs.iter().map(Field::name).collect(),
                    detected: !header,
                });
                cols = Some((fs.len(), lineno));
                continue;
            }
        }
        let count = fields(l).count();
        match cols {
            None => cols = Some((count, lineno)),
            Some((c, at)) if c != count => {
                return Err(format!(
                    "ragged CSV: line {lineno} has {count} fields, line {at} has {c}"
                ))
            }
            _ => {}
        }
        for (i, f) in fields(l).enumerate() {
            let v = f.map_err(at_line)?.value();
            if integers {
                match v.parse::<i64>() {
                    Ok(i) => max_abs_int = max_abs_int.max(i.unsigned_abs()),
                    Err(_) => integers = false,
                }
            }
            if !is_number(v) {
                let hint = if first {
                    " (the first line holds numbers, so it is data; give --header if it is a header)"
                } else {
                    ""
                };
                return Err(format!(
                    "line {lineno}, column {}: {v:?} is not a number{hint}",
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
        header: head,
        rows,
        cols,
        integers: integers && rows > 0,
        max_abs_int,
        file_bytes,
    })
}

/// Streams the rows of a scanned CSV file as values of `T`, in blocks.
pub struct Rows {
    r: BufReader<File>,
    line: String,
    lineno: u64,
    header_line: Option<u64>,
    cols: usize,
}

impl Rows {
    pub fn open(path: &Path, scan: &Scan) -> Result<Rows, String> {
        let f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
        Ok(Rows {
            r: BufReader::with_capacity(1 << 16, f),
            line: String::new(),
            lineno: 0,
            header_line: scan.header.as_ref().map(|h| h.line),
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
            let lineno = self.lineno;
            let l = strip(&self.line, lineno);
            if Some(lineno) == self.header_line || l.trim().is_empty() {
                continue;
            }
            let before = out.len();
            for f in fields(l) {
                let v = f.map_err(|e| format!("line {lineno}, {e}"))?.value();
                let x = parse(v).ok_or_else(|| {
                    format!("line {lineno}: {v:?} changed while reading (not a number now)")
                })?;
                out.push(x);
            }
            if out.len() - before != self.cols {
                return Err(format!(
                    "line {lineno}: the file changed while reading (now {} fields, expected {})",
                    out.len() - before,
                    self.cols
                ));
            }
            got += 1;
        }
        Ok((got, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Result<Vec<(String, bool)>, String> {
        fields(line)
            .map(|f| f.map(|f| (f.name(), f.quoted)))
            .collect()
    }

    #[test]
    fn splitting() {
        let s = |t: &str, q| (t.to_string(), q);
        assert_eq!(
            split(" 1 , 2.5,x").unwrap(),
            [s("1", false), s("2.5", false), s("x", false)]
        );
        assert_eq!(split("1,").unwrap(), [s("1", false), s("", false)]);
        assert_eq!(
            split(r#""1", "a,b" ,"say ""hi""""#).unwrap(),
            [s("1", true), s("a,b", true), s(r#"say "hi""#, true)]
        );
        assert_eq!(split(r#""""#).unwrap(), [s("", true)]);
        assert_eq!(
            split(r#"a"b,c"#).unwrap(),
            [s("a\"b", false), s("c", false)]
        );
        let e = split(r#"1,"open"#).unwrap_err();
        assert!(e.contains("column 2: no closing quote"), "{e}");
        let e = split(r#"1,"2"x,3"#).unwrap_err();
        assert!(
            e.contains("column 2: text after the closing quote in \"\\\"2\\\"x\""),
            "{e}"
        );
    }
}
