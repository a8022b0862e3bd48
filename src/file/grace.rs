//! The reader grace period: how long space a commit supersedes stays
//! untouched, so that a reader that opened the file just before the commit
//! can finish reading it. Spec notes: `spec-notes/readers.md`.

use std::time::Duration;

use super::File;

impl File {
    /// The reader grace period of files made or opened by path
    /// ([`File::create`], [`File::open_rw`], a
    /// [`DatasetWriter`](crate::DatasetWriter) on a path): 2 seconds.
    ///
    /// ```
    /// assert_eq!(h5sink::File::DEFAULT_READER_GRACE, std::time::Duration::from_secs(2));
    /// ```
    pub const DEFAULT_READER_GRACE: Duration = Duration::from_secs(2);

    /// Set the reader grace period: metadata, chunks and string heaps a
    /// commit replaces are not overwritten until this long after that
    /// commit. Another process that opens the file, reads and closes it
    /// within this time of opening therefore reads exactly the commit that
    /// was current when it opened, however many commits happen meanwhile
    /// (see "Reading while writing" in the README). The price is file
    /// space: what the commits made within one grace period replaced is
    /// kept (measured in the README), and while the file is written its
    /// length runs ahead of its content (sparse where the file system
    /// allows; cut at close) so that libhdf5, which takes the length before
    /// it reads the superblock, never finds the file shorter than a commit
    /// says. Files made or opened by path start
    /// with [`File::DEFAULT_READER_GRACE`]; files on a storage you supply
    /// ([`File::with_storage`], [`File::in_memory`]) start with none, since
    /// a [`MemStorage`](crate::MemStorage) is read whole, under its lock.
    /// Zero reuses replaced space right after the next commit (the smallest
    /// files). On wasm32-unknown-unknown, which has no clock, it is ignored.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::Storage;
    /// use std::time::Duration;
    /// // The file's length after 6 commits that each replace its metadata.
    /// let length = |grace: Duration| -> h5sink::Result<u64> {
    ///     let mem = h5sink::MemStorage::new();
    ///     let file = h5sink::File::with_storage(mem.clone())?;
    ///     assert_eq!(file.reader_grace(), Duration::ZERO);
    ///     file.set_reader_grace(grace);
    ///     assert_eq!(file.reader_grace(), grace);
    ///     for i in 0..6u32 {
    ///         file.new_attr_builder().with_scalar(&i).create(&format!("a{i}"))?;
    ///         file.flush()?;
    ///     }
    ///     if !grace.is_zero() {
    ///         // Kept well ahead of the content while it is written...
    ///         assert!(mem.len().unwrap() > 1 << 20);
    ///     }
    ///     file.close()?; // ...and cut to it at close
    ///     Ok(mem.len().unwrap())
    /// };
    /// let kept = length(Duration::from_secs(60))?; // every commit took new space
    /// let reused = length(Duration::ZERO)?; // the commit before last's space reused
    /// assert!(reused < kept && kept < 1 << 20, "{reused} {kept}");
    /// # Ok(()) }
    /// ```
    pub fn set_reader_grace(&self, grace: Duration) {
        self.engine().set_reader_grace(grace);
    }

    /// The reader grace period (see [`File::set_reader_grace`]).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let path = std::env::temp_dir().join(format!("h5sink-doc-grace-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let file = h5sink::File::create(&path)?;
    /// assert_eq!(file.reader_grace(), h5sink::File::DEFAULT_READER_GRACE);
    /// file.close()?;
    /// std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn reader_grace(&self) -> Duration {
        self.engine().reader_grace()
    }
}
