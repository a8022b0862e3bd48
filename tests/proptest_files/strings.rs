//! The strings the string types draw from, and `Gen` for `FixedAscii<N>` and
//! `FixedUnicode<N>`.

use super::types::{Gen, Leaves};
use crate::common::{Dtype, Json};
use h5sink::{FixedAscii, FixedUnicode};

/// Strings the string types draw from: empty, ASCII, non-ASCII, control
/// characters, quotes, a long one (no NUL: h5py cannot write it).
const STRINGS: &[&str] = &[
    "",
    "a",
    "hello world",
    "ü",
    "Grüße, Welt",
    "日本語のテキスト",
    "🦀🦀",
    "tab\tand\nnewline",
    "quote\" back\\slash",
    "0123456789abcdefghijklmnopqrstuvwxyz",
    "ÿ",
    "x",
];

/// `s` cut to at most `n` bytes at a character boundary (ASCII only: the
/// non-ASCII characters dropped).
fn fit(s: &str, n: usize, ascii: bool) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if ascii && !c.is_ascii() {
            continue;
        }
        if out.len() + c.len_utf8() > n {
            break;
        }
        out.push(c);
    }
    out
}

fn pick_string(x: u64) -> &'static str {
    STRINGS[(x % STRINGS.len() as u64) as usize]
}

pub(crate) fn long_string(x: u64) -> String {
    // Now and then a long string, spanning heap objects well over 100 bytes.
    if x % 13 == 0 {
        "long ✓ ".repeat(40 + (x % 50) as usize)
    } else {
        pick_string(x / 13).to_string()
    }
}

impl<const N: usize> Gen for FixedAscii<N> {
    const RAMP: bool = false;
    fn dtype() -> Dtype {
        Dtype::FixedAscii(N as u32)
    }
    fn gen(l: &mut Leaves) -> Self {
        FixedAscii::new(&fit(pick_string(l.next()), N, true)).unwrap()
    }
    fn json(&self) -> Json {
        Json::Str(String::from_utf8(self.as_bytes().to_vec()).unwrap())
    }
    fn zero() -> Self {
        FixedAscii::new("").unwrap()
    }
}

impl<const N: usize> Gen for FixedUnicode<N> {
    const RAMP: bool = false;
    fn dtype() -> Dtype {
        Dtype::FixedUtf8(N as u32)
    }
    fn gen(l: &mut Leaves) -> Self {
        FixedUnicode::new(&fit(pick_string(l.next()), N, false)).unwrap()
    }
    fn json(&self) -> Json {
        Json::Str(String::from_utf8(self.as_bytes().to_vec()).unwrap())
    }
    fn zero() -> Self {
        FixedUnicode::new("").unwrap()
    }
}
