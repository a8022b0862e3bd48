//! NumPy `.npy` files: the header (format versions 1.0, 2.0 and 3.0) and the
//! element types h5sink can store.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The magic string every `.npy` file starts with.
pub const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// Element kinds read from `.npy` files (numpy's `descr` without byte order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F16,
    F32,
    F64,
}

impl Kind {
    pub fn size(self) -> usize {
        match self {
            Kind::Bool | Kind::U8 | Kind::I8 => 1,
            Kind::U16 | Kind::I16 | Kind::F16 => 2,
            Kind::U32 | Kind::I32 | Kind::F32 => 4,
            Kind::U64 | Kind::I64 | Kind::F64 => 8,
        }
    }
}

pub const SUPPORTED: &str =
    "|b1 |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8 <f2 <f4 <f8 (and their '>' big-endian forms)";

/// A parsed `.npy` header.
#[derive(Debug)]
pub struct Header {
    pub kind: Kind,
    pub big_endian: bool,
    pub shape: Vec<u64>,
    /// Bytes of data the header describes.
    pub data_bytes: u64,
}

/// Read and check the header of `path`: magic, version, dict, dtype, order,
/// and that the file holds exactly the data the header describes.
pub fn read_header(path: &Path) -> Result<(Header, File), String> {
    let mut f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let file_len = f
        .metadata()
        .map_err(|e| format!("cannot read metadata: {e}"))?
        .len();
    let mut pre = [0u8; 8];
    read_full(&mut f, &mut pre).map_err(|_| {
        format!(
            "not a .npy file: only {file_len} bytes, too short for the magic string and version"
        )
    })?;
    if &pre[..6] != MAGIC {
        return Err(format!(
            "not a .npy file: wrong magic {:?} (expected \"\\x93NUMPY\")",
            String::from_utf8_lossy(&pre[..6])
        ));
    }
    let version = (pre[6], pre[7]);
    let (len_bytes, utf8) = match version {
        (1, 0) => (2, false),
        (2, 0) => (4, false),
        (3, 0) => (4, true),
        (a, b) => {
            return Err(format!(
                "unsupported .npy format version {a}.{b} (known: 1.0, 2.0, 3.0)"
            ))
        }
    };
    let mut lb = [0u8; 4];
    read_full(&mut f, &mut lb[..len_bytes])
        .map_err(|_| "truncated .npy header: the header length is missing".to_string())?;
    let header_len = u32::from_le_bytes(lb) as u64;
    let data_offset = 6 + 2 + len_bytes as u64 + header_len;
    if data_offset > file_len {
        return Err(format!(
            "truncated .npy header: it says {header_len} bytes, the file ends at {file_len}"
        ));
    }
    let mut raw = vec![0u8; header_len as usize];
    read_full(&mut f, &mut raw).map_err(|e| format!("cannot read the .npy header: {e}"))?;
    let text: String = if utf8 {
        String::from_utf8(raw).map_err(|_| "bad .npy header: not UTF-8".to_string())?
    } else {
        raw.iter().map(|&b| b as char).collect() // latin-1
    };
    let dict =
        parse_dict(&text).map_err(|e| format!("bad .npy header {:?}: {e}", text.trim_end()))?;
    let (kind, big_endian) = parse_descr(&dict.descr)?;
    if dict.fortran_order && dict.shape.iter().filter(|&&d| d > 1).count() > 1 {
        return Err(format!(
            "Fortran-ordered (column-major) array of shape {:?} is not supported; \
             save it in C order (numpy.ascontiguousarray) first",
            dict.shape
        ));
    }
    let elems = dict
        .shape
        .iter()
        .try_fold(1u64, |a, &d| a.checked_mul(d))
        .ok_or_else(|| format!("shape {:?} overflows", dict.shape))?;
    let data_bytes = elems
        .checked_mul(kind.size() as u64)
        .ok_or_else(|| format!("shape {:?} overflows", dict.shape))?;
    let have = file_len - data_offset;
    if have < data_bytes {
        return Err(format!(
            "truncated: the header says shape {:?} of {} ({} bytes of data), the file holds {} bytes of data",
            dict.shape, dict.descr, data_bytes, have
        ));
    }
    if have > data_bytes {
        return Err(format!(
            "{} unexpected bytes after the data (shape {:?} of {} is {} bytes)",
            have - data_bytes,
            dict.shape,
            dict.descr,
            data_bytes
        ));
    }
    Ok((
        Header {
            kind,
            big_endian,
            shape: dict.shape,
            data_bytes,
        },
        f,
    ))
}

fn read_full(f: &mut File, buf: &mut [u8]) -> std::io::Result<()> {
    f.read_exact(buf)
}

/// `descr` to an element kind and byte order.
pub fn parse_descr(descr: &str) -> Result<(Kind, bool), String> {
    let unsupported = || format!("unsupported dtype {descr:?} (supported: {SUPPORTED})");
    let (order, rest) = match descr.chars().next() {
        Some(c @ ('<' | '>' | '|' | '=')) => (c, &descr[1..]),
        _ => ('=', descr),
    };
    let kind = match rest {
        "b1" | "?" => Kind::Bool,
        "u1" => Kind::U8,
        "i1" => Kind::I8,
        "u2" => Kind::U16,
        "i2" => Kind::I16,
        "u4" => Kind::U32,
        "i4" => Kind::I32,
        "u8" => Kind::U64,
        "i8" => Kind::I64,
        "f2" => Kind::F16,
        "f4" => Kind::F32,
        "f8" => Kind::F64,
        _ => return Err(unsupported()),
    };
    let big = order == '>' || (order == '=' && cfg!(target_endian = "big"));
    Ok((kind, big && kind.size() > 1))
}

struct Dict {
    descr: String,
    fortran_order: bool,
    shape: Vec<u64>,
}

/// Parse the Python dict literal of a `.npy` header.
fn parse_dict(text: &str) -> Result<Dict, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.ws();
    p.expect(b'{')?;
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    loop {
        p.ws();
        if p.eat(b'}') {
            break;
        }
        let key = p.string()?;
        p.ws();
        p.expect(b':')?;
        p.ws();
        match key.as_str() {
            "descr" => {
                if p.peek() == Some(b'[') {
                    return Err("structured dtypes (a descr list) are not supported".into());
                }
                descr = Some(p.string()?)
            }
            "fortran_order" => fortran = Some(p.boolean()?),
            "shape" => shape = Some(p.tuple()?),
            other => return Err(format!("unknown key {other:?}")),
        }
        p.ws();
        if !p.eat(b',') {
            p.ws();
            p.expect(b'}')?;
            break;
        }
    }
    Ok(Dict {
        descr: descr.ok_or("no 'descr' key")?,
        fortran_order: fortran.ok_or("no 'fortran_order' key")?,
        shape: shape.ok_or("no 'shape' key")?,
    })
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("expected '{}' at offset {}", c as char, self.i))
        }
    }
    fn string(&mut self) -> Result<String, String> {
        let q = match self.peek() {
            Some(q @ (b'\'' | b'"')) => q,
            _ => return Err(format!("expected a quoted string at offset {}", self.i)),
        };
        self.i += 1;
        let start = self.i;
        while self.peek().is_some_and(|c| c != q) {
            self.i += 1;
        }
        let s = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.expect(q)?;
        Ok(s)
    }
    fn boolean(&mut self) -> Result<bool, String> {
        let rest = &self.s[self.i..];
        if rest.starts_with(b"True") {
            self.i += 4;
            Ok(true)
        } else if rest.starts_with(b"False") {
            self.i += 5;
            Ok(false)
        } else {
            Err(format!("expected True or False at offset {}", self.i))
        }
    }
    fn tuple(&mut self) -> Result<Vec<u64>, String> {
        self.expect(b'(')?;
        let mut dims = Vec::new();
        loop {
            self.ws();
            if self.eat(b')') {
                return Ok(dims);
            }
            let start = self.i;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
            let n: u64 = std::str::from_utf8(&self.s[start..self.i])
                .ok()
                .and_then(|t| t.parse().ok())
                .ok_or_else(|| format!("expected a dimension at offset {start}"))?;
            self.eat(b'L');
            dims.push(n);
            self.ws();
            if !self.eat(b',') {
                self.ws();
                self.expect(b')')?;
                return Ok(dims);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dicts() {
        let d =
            parse_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }   \n").unwrap();
        assert_eq!(
            (d.descr.as_str(), d.fortran_order, d.shape),
            ("<f4", false, vec![3, 4])
        );
        let d = parse_dict("{'descr': '|b1', 'fortran_order': True, 'shape': (5,)}").unwrap();
        assert_eq!(d.shape, vec![5]);
        assert!(
            parse_dict("{'descr': '<f4', 'fortran_order': False, 'shape': ()}")
                .unwrap()
                .shape
                .is_empty()
        );
        assert!(
            parse_dict("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}").is_err()
        );
        assert!(parse_dict("{'descr': '<f4'}").is_err());
        assert_eq!(parse_descr(">i4").unwrap(), (Kind::I32, true));
        assert_eq!(parse_descr(">u1").unwrap(), (Kind::U8, false));
        assert!(parse_descr("<c8").is_err());
    }
}
