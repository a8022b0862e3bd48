//! Regions: rows of a contiguous dataset handed out to writers in other
//! processes (or machines sharing the file). The creating process calls
//! [`Dataset::region`] and sends the token's text; a worker opens a
//! [`RegionWriter`] with it and writes those rows with positional writes,
//! and nothing else: the metadata stays the creator's. The token format,
//! the file id and what is checked are in spec-notes/regions.md.

use std::fmt;
use std::str::FromStr;

use crate::dataset::Dataset;
use crate::engine::ops::region::{RegionFacts, REGION_ID_LEN};
use crate::error::{Error, RegionError, Result};

mod writer;

pub use writer::RegionWriter;

/// The token's first field: its kind and version.
const MAGIC: &str = "h5sink-region";
const VERSION: &str = "v1";

/// Rows `start..start + rows` of one contiguous dataset of one file, as
/// handed out by [`Dataset::region`]. It prints (`Display`) as a token of
/// one line of ASCII, `h5sink-region:v1:<file id>:<dataset path>:<data
/// address>:<start>:<rows>:<row bytes>:<element type>`, which parses back
/// (`FromStr`) in any process, and which
/// [`RegionWriter::open`](RegionWriter::open) takes.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// # let dir = std::env::temp_dir().join(format!("h5sink-doc-region-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// # let path = dir.join("shared.h5");
/// # let _ = std::fs::remove_file(&path);
/// let file = h5sink::File::create(&path)?;
/// let ds = file.new_dataset::<f32>().shape(&[100, 8]).create("features")?;
/// let token = ds.region(20, 30)?.to_string(); // rows 20..50, sent to a worker
/// assert!(token.starts_with("h5sink-region:v1:"));
/// let region: h5sink::Region = token.parse()?;
/// assert_eq!((region.dataset(), region.start(), region.rows()), ("/features", 20, 30));
/// # drop(file);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    file_id: String,
    dataset: String,
    address: u64,
    start: u64,
    rows: u64,
    row_bytes: u64,
    dtype: String,
}

impl Region {
    /// The dataset's path in its file, e.g. `/features`.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[4, 2]).create("runs/x")?;
    /// assert_eq!(ds.region(0, 4)?.dataset(), "/runs/x");
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn dataset(&self) -> &str {
        &self.dataset
    }

    /// The region's first row in the dataset.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[4, 2]).create("x")?;
    /// assert_eq!(ds.region(3, 1)?.start(), 3);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn start(&self) -> u64 {
        self.start
    }

    /// The region's number of rows.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[4, 2]).create("x")?;
    /// assert_eq!(ds.region(1, 2)?.rows(), 2);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The dataset's region id: 32 hex digits (128 random bits), stored in
    /// the file as the dataset's attribute `h5sink_region_id` at its first
    /// region; every region of the dataset carries the same id.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u8>().shape(&[4, 2]).create("x")?;
    /// let id = ds.region(0, 2)?.file_id().to_owned();
    /// assert_eq!(id.len(), 32);
    /// assert_eq!(ds.region(2, 2)?.file_id(), id);
    /// assert_eq!(ds.attr_names()?, ["h5sink_region_id"]);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn file_id(&self) -> &str {
        &self.file_id
    }

    /// The dataset's element type, as
    /// [`Dataset::dtype_description`](crate::Dataset::dtype_description)
    /// names it (`"f32"`, `"u8"`, ...): a worker picks its `RegionWriter<T>` by it.
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u16>().shape(&[4, 2]).create("x")?;
    /// assert_eq!(ds.region(0, 4)?.dtype_description(), "u16");
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn dtype_description(&self) -> &str {
        &self.dtype
    }

    /// Bytes of one row in the file (values per row times the element size).
    ///
    /// ```
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f64>().shape(&[4, 3, 2]).create("x")?;
    /// assert_eq!(ds.region(0, 4)?.row_bytes(), 48);
    /// # Ok::<(), h5sink::Error>(())
    /// ```
    pub fn row_bytes(&self) -> u64 {
        self.row_bytes
    }
}

impl Dataset {
    /// Hand out rows `start_row..start_row + rows` of this dataset to a
    /// writer in another process: the [`Region`] prints as a token to pass
    /// to [`RegionWriter::open`](crate::RegionWriter::open) there.
    ///
    /// The dataset must be contiguous (not chunked or compact; a scalar or
    /// a dataset of no bytes has no rows to give), of a type without file
    /// addresses (not variable-length strings), and the rows must exist:
    /// else [`RegionError::Unfit`] or [`Error::RowsOutOfRange`], and nothing
    /// changes. The first region of a dataset gives it a random 128-bit id
    /// (attribute `h5sink_region_id`, which `h5sink ls` lists); a loaded
    /// dataset whose data block was never allocated gets it, holding its
    /// fill value; then, if anything changed in the file, the call commits
    /// (as [`File::flush`](crate::File::flush)), so that a worker opening
    /// the file finds the dataset. The creating process keeps writing
    /// metadata (and may write rows of its own); no commit ever rewrites
    /// the data block, so rows written by workers stay as they wrote them.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[1000, 16]).create("x")?;
    /// let tokens: Vec<String> = (0..4).map(|i| ds.region(i * 250, 250).map(|r| r.to_string())).collect::<h5sink::Result<_>>()?;
    /// assert_eq!(tokens.len(), 4);
    /// assert!(matches!(ds.region(900, 200), Err(h5sink::Error::RowsOutOfRange { .. })));
    /// let chunked = file.new_dataset::<f32>().shape(&[10]).chunk(&[5]).create("c")?;
    /// let e = chunked.region(0, 5).unwrap_err();
    /// assert!(matches!(e, h5sink::Error::Region(h5sink::RegionError::Unfit { .. })));
    /// # Ok(()) }
    /// ```
    pub fn region(&self, start_row: u64, rows: u64) -> Result<Region> {
        self.check_open()?;
        let f = self
            .engine()
            .region(self.id(), start_row, rows, &fresh_id())?;
        let file_id = f.file_id.clone().ok_or_else(|| Error::Bug {
            what: format!("dataset {} has no region id after region()", f.path),
        })?;
        Ok(Region::from_facts(f, file_id, start_row, rows))
    }
}

impl Region {
    fn from_facts(f: RegionFacts, file_id: String, start: u64, rows: u64) -> Region {
        Region {
            file_id,
            dataset: f.path,
            address: f.address,
            start,
            rows,
            row_bytes: f.row_bytes,
            dtype: f.dtype,
        }
    }
}

/// A new region id: 128 bits from two of std's randomly keyed SipHash
/// hashers (keyed from the operating system's random source), hashing a
/// per-process counter, and the clock and the process id where the platform
/// has them (wasm32-unknown-unknown has neither: std would panic).
fn fresh_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut id = String::with_capacity(REGION_ID_LEN);
    for half in 0..2u8 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(half);
        h.write_u64(count);
        #[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
        {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            h.write_u128(now);
            h.write_u32(std::process::id());
        }
        id.push_str(&format!("{:016x}", h.finish()));
    }
    id
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{MAGIC}:{VERSION}:{}:{}:{}:{}:{}:{}:{}",
            self.file_id,
            escape(&self.dataset),
            self.address,
            self.start,
            self.rows,
            self.row_bytes,
            escape(&self.dtype)
        )
    }
}

impl FromStr for Region {
    type Err = Error;

    fn from_str(token: &str) -> Result<Region> {
        let bad = |reason: String| {
            Error::Region(RegionError::BadToken {
                token: crate::error::clip(token),
                reason,
            })
        };
        let fields: Vec<&str> = token.trim().split(':').collect();
        if fields.first() != Some(&MAGIC) {
            return Err(bad(format!("it does not start with {MAGIC}:")));
        }
        if fields.get(1) != Some(&VERSION) {
            return Err(bad(format!(
                "version {:?}; this h5sink reads {VERSION}",
                fields.get(1).copied().unwrap_or("")
            )));
        }
        let [_, _, id, dataset, address, start, rows, row_bytes, dtype] = fields[..] else {
            return Err(bad(format!("{} fields, not 9", fields.len())));
        };
        if id.len() != REGION_ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad(format!(
                "file id {id:?} is not {REGION_ID_LEN} hex digits"
            )));
        }
        let number = |what: &str, s: &str| {
            s.parse::<u64>()
                .map_err(|_| bad(format!("{what} {s:?} is not a number")))
        };
        let region = Region {
            file_id: id.to_ascii_lowercase(),
            dataset: unescape(dataset)
                .ok_or_else(|| bad("bad escape in the dataset path".into()))?,
            address: number("data address", address)?,
            start: number("start row", start)?,
            rows: number("row count", rows)?,
            row_bytes: number("row size", row_bytes)?,
            dtype: unescape(dtype).ok_or_else(|| bad("bad escape in the element type".into()))?,
        };
        if region.row_bytes == 0 || region.start.checked_add(region.rows).is_none() {
            return Err(bad("zero row size, or rows past 2^64".into()));
        }
        Ok(region)
    }
}

/// Whether byte `b` stands for itself in a token field.
fn plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-')
}

/// `s` with every byte but letters, digits and `/._-` as `%XX`.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if plain(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The text [`escape`] made, or `None` for anything it would not make.
fn unescape(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            let hex = std::str::from_utf8(&hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
        } else if plain(b) {
            out.push(b);
        } else {
            return None;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_with_escapes() {
        let r = Region {
            file_id: "0123456789abcdef0123456789abcdef".into(),
            dataset: "/a b/c:d/é%".into(),
            address: 4096,
            start: 7,
            rows: 3,
            row_bytes: 100,
            dtype: "fixed-length ASCII string of 10 bytes".into(),
        };
        let text = r.to_string();
        assert!(text.is_ascii() && !text.contains(' '), "{text}");
        assert_eq!(text.split(':').count(), 9);
        assert_eq!(text.parse::<Region>().unwrap(), r);
        for bad in [
            "",
            "h5sink-region:v2:x",
            &text.replace(":7:", ":seven:"),
            &text.replace("0123456789abcdef0123", "0123"),
            &text.replace("%20", "%G0"),
            &format!("{text}:extra"),
        ] {
            let e = bad.parse::<Region>().unwrap_err();
            assert!(
                matches!(e, Error::Region(RegionError::BadToken { .. })),
                "{bad}: {e}"
            );
        }
    }
}
