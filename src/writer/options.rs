//! The writer's dataset options beyond chunking and compression (Fletcher32,
//! fill value, compact storage), its labels and its keys; and the check that
//! the keys name three different datasets.

use super::builder::DatasetWriterBuilder;
use crate::engine::model::Tree;
use crate::error::{Error, Result};
use crate::types::Element;

impl<T: Element> DatasetWriterBuilder<T> {
    /// Add a Fletcher32 checksum to every data chunk (the data is chunked).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wf32-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 8]).fletcher32().create()?;
    /// w.add(&[1.5f32; 10 * 8], &[0i64; 10])?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn fletcher32(mut self) -> Self {
        self.opts.fletcher32 = true;
        self
    }

    /// The file's [reader grace period](crate::File::set_reader_grace):
    /// space a commit replaces is not reused until this long after it, so
    /// another process that opens the file, reads and closes it within this
    /// time sees one whole commit. Default: [`File::DEFAULT_READER_GRACE`](crate::File::DEFAULT_READER_GRACE)
    /// for a writer on a path, none on a storage, the file's own setting
    /// with [`builder_in`](crate::DatasetWriter::builder_in).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wgrace-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// use std::time::Duration;
    /// let w = h5sink::DatasetWriter::<f32>::builder(&path, &[16])
    ///     .unlimited()
    ///     .reader_grace(Duration::from_secs(10)) // readers may take up to 10 s
    ///     .create()?;
    /// assert_eq!(w.file()?.reader_grace(), Duration::from_secs(10));
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn reader_grace(mut self, grace: std::time::Duration) -> Self {
        self.reader_grace = Some(grace);
        self
    }

    /// The data's fill value: rows never added read as `value` (default 0).
    /// The labels keep 0.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wfill-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[100, 8]).fill_value(f32::NAN).create()?;
    /// w.add(&[1.5f32; 10 * 8], &[0i64; 10])?;
    /// w.close()?; // rows 10..100 read as NaN
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn fill_value(mut self, value: T) -> Self {
        self.opts.fill = Some(T::encode(std::slice::from_ref(&value)).into_owned());
        self
    }

    /// Store the data in its object header (HDF5's compact layout): for
    /// small dumps only, the whole dataset must fit in about 64 KiB. Larger
    /// data, and compact with `chunk`, filters or `unlimited`, are refused
    /// by [`create`](Self::create) with
    /// [`Error::BadShape`](crate::Error::BadShape). Rows are kept with the
    /// header in memory and stored by a commit every `buf_size` rows and at
    /// each `flush`, as chunked rows are.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wcompact-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<u8>::builder(&path, &[16, 4]).compact().create()?;
    /// w.add(&[9u8; 16 * 4], &[1i64; 16])?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// let big = h5sink::DatasetWriter::<f64>::builder(&path, &[100_000, 4]).compact().create();
    /// assert!(matches!(big, Err(h5sink::Error::BadShape { .. })));
    /// assert!(!path.exists());
    /// # Ok(()) }
    /// ```
    pub fn compact(mut self) -> Self {
        self.opts.compact = true;
        self
    }

    /// Whether rows have labels (default `true`). With `false` no labels
    /// dataset is made, [`add`](super::DatasetWriter::add) is refused and
    /// rows are added with [`add_rows`](super::DatasetWriter::add_rows).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wnolabels-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<f32>::builder(&path, &[6, 2]).labels(false).create()?;
    /// w.add_rows(&[0.5f32; 6 * 2])?;
    /// w.close()?; // only "images"
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn labels(mut self, on: bool) -> Self {
        self.labels_key = on.then(|| {
            self.labels_key
                .take()
                .unwrap_or_else(|| super::LABELS_KEY.into())
        });
        self
    }

    /// Name of the labels dataset (default [`LABELS_KEY`](crate::LABELS_KEY),
    /// `labels`), or a `/`-path such as `train/labels` (missing groups are
    /// created). Turns labels on if [`labels(false)`](Self::labels) turned
    /// them off.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wlkey-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<u8>::builder(&path, &[4, 2])
    ///     .data_key("train/images")
    ///     .labels_key("train/labels")
    ///     .label_names_key("train/label_names")
    ///     .create()?;
    /// w.add(&[1u8; 8], &[0, 1, 0, 1])?;
    /// w.store_class_labels(&["no", "yes"])?;
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn labels_key(mut self, key: &str) -> Self {
        self.labels_key = Some(key.to_owned());
        self
    }

    /// Name of the class-names dataset written by
    /// [`store_class_labels`](super::DatasetWriter::store_class_labels)
    /// (default [`LABEL_NAMES_KEY`](crate::LABEL_NAMES_KEY), `label_names`),
    /// or a `/`-path.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-wlnkey-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let mut w = h5sink::DatasetWriter::<u8>::builder(&path, &[2, 2]).label_names_key("meta/classes").create()?;
    /// w.add(&[1u8; 4], &[0, 1])?;
    /// w.store_class_labels(&["cat", "dog"])?; // at /meta/classes
    /// w.close()?;
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn label_names_key(mut self, key: &str) -> Self {
        self.label_names_key = key.to_owned();
        self
    }
}

/// Check the keys as the engine will (names, `/`-paths), and that they name
/// different datasets, none of them a group on another's path: the error
/// names both keys.
pub(super) fn check_keys(data: &str, labels: Option<&str>, label_names: &str) -> Result<()> {
    let empty = Tree::new();
    let mut keys = vec![("data_key", data)];
    keys.extend(labels.map(|l| ("labels_key", l)));
    keys.push(("label_names_key", label_names));
    for (_, key) in &keys {
        empty.resolve(0, key)?;
    }
    let norm = |k: &str| k.trim_start_matches('/').to_owned();
    for (i, &(what_a, a)) in keys.iter().enumerate() {
        for &(what_b, b) in &keys[i + 1..] {
            let (na, nb) = (norm(a), norm(b));
            let clash = na == nb
                || nb
                    .strip_prefix(na.as_str())
                    .is_some_and(|r| r.starts_with('/'))
                || na
                    .strip_prefix(nb.as_str())
                    .is_some_and(|r| r.starts_with('/'));
            if clash {
                return Err(Error::InvalidArgument {
                    what: what_a,
                    value: format!("{a:?} (and {what_b} {b:?})"),
                    reason: "the writer's keys must name different datasets, none of them a group on another's path",
                });
            }
        }
    }
    Ok(())
}
