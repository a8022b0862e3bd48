//! `RegionWriter`: the worker's side of a region. It checks its token
//! against the file, then writes rows of exactly that region with
//! positional writes into the dataset's data block, and nothing else.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::Region;
use crate::error::{Error, RegionError, Result};
use crate::file::File;
use crate::format::datatype::ReadAs;
use crate::storage::{FileStorage, Storage};
use crate::types::Element;

/// Writes the rows of one [`Region`] of a file that another process
/// created and commits: positional writes into the dataset's data block,
/// no metadata. Open one per token with [`open`](Self::open), write rows
/// with [`write_rows`](Self::write_rows) (from any number of threads:
/// `&self`), end with [`finish`](Self::finish).
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// # let dir = std::env::temp_dir().join(format!("h5sink-doc-rw-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// # let path = dir.join("shared.h5");
/// # let _ = std::fs::remove_file(&path);
/// // The creating process:
/// let file = h5sink::File::create(&path)?;
/// let ds = file.new_dataset::<f32>().shape(&[6, 2]).create("x")?;
/// let token = ds.region(2, 3)?.to_string();
/// // A worker (usually another process), given the path and the token:
/// let w = h5sink::RegionWriter::<f32>::open(&path, &token)?;
/// w.write_rows(0, &[1.0, 1.0, 2.0, 2.0])?; // dataset rows 2 and 3
/// w.write_rows(2, &[3.0, 3.0])?;           // dataset row 4
/// assert!(w.write_rows(2, &[0.0; 4]).is_err()); // rows 2..4 of a 3-row region
/// w.finish(true)?; // fsync'd
/// // The creator closes; the rows are in the file.
/// file.close()?;
/// let back = h5sink::File::open(&path)?.dataset("x")?.read_raw::<f32>()?;
/// assert_eq!(back, [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 0.0, 0.0]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok(()) }
/// ```
pub struct RegionWriter<T> {
    storage: FileStorage,
    path: PathBuf,
    region: Region,
    /// Values per row.
    row_len: u64,
    /// The message and kind of the first failed write.
    failed: Mutex<Option<(String, std::io::ErrorKind)>>,
    _type: PhantomData<fn(&[T])>,
}

impl<T> std::fmt::Debug for RegionWriter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegionWriter")
            .field("path", &self.path)
            .field("region", &self.region)
            .finish()
    }
}

impl<T: Element> RegionWriter<T> {
    /// Open the file at `path` to write the region of `token` (the text of
    /// a [`Region`]). Checks, before anything is written: the token parses
    /// ([`RegionError::BadToken`]); `T` is the dataset's element type
    /// exactly ([`Error::TypeMismatch`]: region writers do not convert);
    /// the file is the one the token came from: same region id, the
    /// dataset at the same path, contiguous, at the same data address, with
    /// the same row size and at least the region's rows, and the file long
    /// enough to hold them ([`RegionError::FileMismatch`]). The file is
    /// read through the same open handle that later writes.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let dir = std::env::temp_dir().join(format!("h5sink-doc-rwo-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let (a, b) = (dir.join("a.h5"), dir.join("b.h5"));
    /// # let _ = (std::fs::remove_file(&a), std::fs::remove_file(&b));
    /// use h5sink::{Error, RegionError, RegionWriter};
    /// let fa = h5sink::File::create(&a)?;
    /// let token = fa.new_dataset::<i16>().shape(&[4]).create("x")?.region(0, 4)?.to_string();
    /// let fb = h5sink::File::create(&b)?; // the same structure, another file
    /// fb.new_dataset::<i16>().shape(&[4]).create("x")?.region(0, 4)?;
    /// let e = RegionWriter::<i16>::open(&b, &token).unwrap_err();
    /// assert!(matches!(e, Error::Region(RegionError::FileMismatch { what: "file id", .. })));
    /// assert!(matches!(RegionWriter::<u16>::open(&a, &token), Err(Error::TypeMismatch { .. })));
    /// assert!(RegionWriter::<i16>::open(&a, &token).is_ok());
    /// # drop((fa, fb));
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn open(path: impl AsRef<Path>, token: &str) -> Result<Self> {
        let region: Region = token.parse()?;
        let got = T::DATATYPE.describe();
        if got != region.dtype_description() {
            return Err(Error::TypeMismatch {
                dataset: region.dataset().to_owned(),
                expected: region.dtype_description().to_owned(),
                got,
            });
        }
        let path = path.as_ref().to_path_buf();
        let io = |action: &str| {
            let action = action.to_owned();
            let path = path.clone();
            move |source| Error::Io {
                path,
                action,
                source,
            }
        };
        let storage = FileStorage::open_rw(&path).map_err(io("opening to write a region"))?;
        let reader = storage
            .try_clone()
            .map_err(io("opening to write a region"))?;
        let row_len = check::<T>(&path, &region, File::open_storage(reader)?)?;
        let len = storage.len().map_err(io("reading the file length"))?;
        let end = region
            .rows
            .checked_add(region.start)
            .and_then(|rows| rows.checked_mul(region.row_bytes))
            .and_then(|bytes| bytes.checked_add(region.address));
        if end.map_or(true, |end| end > len) {
            return Err(mismatch(
                &path,
                "length",
                len.to_string(),
                format!("at least {}", end.map_or("2^64".into(), |e| e.to_string())),
            ));
        }
        Ok(RegionWriter {
            storage,
            path,
            region,
            row_len,
            failed: Mutex::new(None),
            _type: PhantomData,
        })
    }

    /// Write whole rows from row `first` of the region (row 0 is the
    /// region's first row, [`Region::start`] of the dataset). `rows` is
    /// row-major and holds a whole number of rows ([`Error::PartialRow`]);
    /// rows past the region's end are [`RegionError::OutsideRegion`].
    /// Nothing of a refused call is written. After a failed write, every
    /// later call is [`Error::Poisoned`].
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-rww-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let file = h5sink::File::create(&path)?;
    /// let token = file.new_dataset::<u8>().shape(&[10, 3]).create("x")?.region(5, 2)?.to_string();
    /// let w = h5sink::RegionWriter::<u8>::open(&path, &token)?;
    /// w.write_rows(1, &[7, 8, 9])?; // dataset row 6
    /// let e = w.write_rows(1, &[1, 2, 3, 4, 5, 6]).unwrap_err();
    /// assert_eq!(e.to_string(), "rows 1..3 are outside the region of 2 rows (rows 5.. of \"/x\")");
    /// assert!(matches!(w.write_rows(0, &[1, 2]), Err(h5sink::Error::PartialRow { .. })));
    /// w.finish(false)?;
    /// file.close()?;
    /// assert_eq!(h5sink::File::open(&path)?.dataset("x")?.read_rows::<u8>(5, 2)?, [0, 0, 0, 7, 8, 9]);
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn write_rows(&self, first: u64, rows: &[T]) -> Result<()> {
        let r = &self.region;
        let values = rows.len() as u64;
        if values % self.row_len != 0 {
            return Err(Error::PartialRow {
                dataset: r.dataset.clone(),
                values: rows.len(),
                row_len: self.row_len,
            });
        }
        let n = values / self.row_len;
        let end = first.saturating_add(n);
        if end > r.rows {
            return Err(Error::Region(RegionError::OutsideRegion {
                dataset: r.dataset.clone(),
                first,
                end,
                rows: r.rows,
                start: r.start,
            }));
        }
        self.check()?;
        if n == 0 {
            return Ok(());
        }
        // Within the block: open() checked address + (start + rows) * row_bytes.
        let at = r.address + (r.start + first) * r.row_bytes;
        let bytes = T::encode(rows);
        self.storage
            .write_at(at, &bytes)
            .map_err(|e| self.fail(e, format!("writing {} bytes at offset {at}", bytes.len())))
    }

    /// The region this writer writes.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-rwr-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let file = h5sink::File::create(&path)?;
    /// let token = file.new_dataset::<f64>().shape(&[9]).create("y")?.region(3, 3)?.to_string();
    /// let w = h5sink::RegionWriter::<f64>::open(&path, &token)?;
    /// assert_eq!((w.region().start(), w.region().rows()), (3, 3));
    /// # drop((w, file));
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn region(&self) -> &Region {
        &self.region
    }

    /// End the writer: with `sync`, `fsync` the file, so the rows survive a
    /// power loss (the creator's commits do not sync the workers' rows).
    /// Reports a failure of an earlier write ([`Error::Poisoned`]).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-rwf-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let file = h5sink::File::create(&path)?;
    /// let token = file.new_dataset::<i32>().shape(&[2]).create("z")?.region(0, 2)?.to_string();
    /// let w = h5sink::RegionWriter::<i32>::open(&path, &token)?;
    /// w.write_rows(0, &[5, 6])?;
    /// w.finish(true)?;
    /// assert_eq!(file.dataset("z")?.read_raw::<i32>()?, [5, 6]); // the creator reads them
    /// # drop(file);
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn finish(self, sync: bool) -> Result<()> {
        self.check()?;
        if sync {
            self.storage
                .sync()
                .map_err(|e| self.fail(e, "syncing the region's rows".into()))?;
        }
        Ok(())
    }

    /// Ok unless a write failed before.
    fn check(&self) -> Result<()> {
        let failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        match &*failed {
            Some((first, kind)) => Err(Error::Poisoned {
                first: first.clone(),
                kind: *kind,
            }),
            None => Ok(()),
        }
    }

    /// Record a failed write (the first one poisons the writer).
    fn fail(&self, source: std::io::Error, action: String) -> Error {
        let e = Error::Io {
            path: self.path.clone(),
            action,
            source,
        };
        let mut failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        if failed.is_none() {
            *failed = Some((e.to_string(), source_kind(&e)));
        }
        e
    }
}

fn source_kind(e: &Error) -> std::io::ErrorKind {
    match e {
        Error::Io { source, .. } => source.kind(),
        _ => std::io::ErrorKind::Other,
    }
}

/// Check `file` (opened through the writer's handle) against `region`;
/// values per row.
fn check<T: Element>(path: &Path, region: &Region, file: File) -> Result<u64> {
    let ds = match file.dataset(region.dataset()) {
        Ok(ds) => ds,
        Err(Error::NotFound { .. }) => {
            let token = format!("{:?}", region.dataset());
            return Err(mismatch(path, "dataset", "absent".into(), token));
        }
        Err(e) => return Err(e),
    };
    let f = ds.engine().region_facts(ds.id())?;
    let id = f.file_id.unwrap_or_else(|| "none".into());
    if id != region.file_id {
        return Err(mismatch(path, "file id", id, region.file_id.clone()));
    }
    if f.address != region.address {
        let (file, token) = (f.address.to_string(), region.address.to_string());
        return Err(mismatch(path, "data address", file, token));
    }
    if f.row_bytes != region.row_bytes {
        let (file, token) = (f.row_bytes.to_string(), region.row_bytes.to_string());
        return Err(mismatch(path, "row size in bytes", file, token));
    }
    if f.rows < region.start + region.rows {
        let token = format!("at least {}", region.start + region.rows);
        return Err(mismatch(path, "row count", f.rows.to_string(), token));
    }
    if ds.check_type::<T>()? != ReadAs::Same {
        return Err(Error::TypeMismatch {
            dataset: region.dataset().to_owned(),
            expected: f.dtype,
            got: T::DATATYPE.describe(),
        });
    }
    let elem = u64::from(T::DATATYPE.element_size()).max(1);
    Ok((region.row_bytes / elem).max(1))
}

fn mismatch(path: &Path, what: &'static str, file: String, token: String) -> Error {
    Error::Region(RegionError::FileMismatch {
        path: path.to_path_buf(),
        what,
        file,
        token,
    })
}
