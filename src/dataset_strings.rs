//! Writing variable-length strings: whole datasets (contiguous, compact or
//! chunked) and appends to resizable string datasets. Spec notes:
//! `spec-notes/global-heap.md`, `spec-notes/chunked-layout.md`.

use crate::dataset::Dataset;
use crate::error::{Error, Result};
use crate::types::VarLenUnicode;

impl Dataset {
    /// Write every element of a variable-length string dataset, row-major.
    ///
    /// The strings go into global heap collections in fresh file space.
    /// Contiguous storage gets a new data block referring to them (a later
    /// call replaces the strings); chunked storage gets its chunks written,
    /// once, as for numbers. The dataset switches to them at the next commit
    /// (`flush` or `close`).
    ///
    /// # Errors
    ///
    /// [`Error::StringCount`] unless there is one string per element;
    /// [`Error::TypeMismatch`] for a dataset of another type.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let names = file.new_dataset::<h5sink::VarLenUnicode>().shape(&[3]).create("names")?;
    /// names.write_strings(&["cat", "dog", "Straße"])?; // h5py reads them as str
    /// assert!(matches!(names.write_strings(&["one"]), Err(h5sink::Error::StringCount { .. })));
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn write_strings<S: AsRef<str>>(&self, strings: &[S]) -> Result<()> {
        self.shared().check()?;
        self.type_error::<VarLenUnicode>()?;
        let shape = self.shape();
        let count: u64 = shape.iter().product();
        if strings.len() as u64 != count {
            return Err(Error::StringCount {
                dataset: self.name().into(),
                expected: count,
                got: strings.len(),
            });
        }
        if strings.is_empty() {
            return Ok(());
        }
        if self.chunked {
            return self.write_string_rows(0, strings);
        }
        let shared = self.shared();
        let mut st = shared.lock();
        // Compact storage keeps the references in the header; contiguous
        // storage gets a new data block after the heap collections.
        let stored = crate::heap::store(shared, &mut st, strings, !self.compact)?;
        let old = match st.tree.dataset_mut(self.id()) {
            Some(d) => {
                match d.compact.as_mut() {
                    Some(data) => *data = stored.refs,
                    None => d.address = stored.refs_at,
                }
                std::mem::replace(&mut d.block, stored.block)
            }
            None => stored.block,
        };
        // The committed state may refer to the old strings (compact ones
        // live in the header, so their dataset id says nothing).
        if self.compact {
            st.space.release_after_commit(old);
        } else {
            st.release(self.id(), old);
        }
        st.dirty = true;
        Ok(())
    }

    /// Append rows of strings to a resizable variable-length string dataset
    /// (one string per element, row-major; whole rows), growing its first
    /// dimension; returns the index of the first new row. The strings go to
    /// the global heap at once, their references into the chunks.
    ///
    /// # Errors
    ///
    /// [`Error::PartialRow`] unless the strings make whole rows;
    /// [`Error::BadShape`] if the dataset cannot grow (not chunked with a
    /// maximum shape, or at its maximum); [`Error::TypeMismatch`] for a
    /// dataset of another type.
    ///
    /// # Examples
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let paths = file
    ///     .new_dataset::<h5sink::VarLenUnicode>()
    ///     .shape(&[0])
    ///     .resizable()
    ///     .chunk(&[1024])
    ///     .create("paths")?;
    /// assert_eq!(paths.append_strings(&["img/0001.png", "img/0002.png"])?, 0);
    /// assert_eq!(paths.append_strings(&["img/0003.png"])?, 2);
    /// file.flush()?; // h5py: f["paths"][:] -> 3 strings
    /// assert_eq!(paths.rows(), 3);
    /// file.close()?;
    /// # Ok(()) }
    /// ```
    pub fn append_strings<S: AsRef<str>>(&self, strings: &[S]) -> Result<u64> {
        self.shared().check()?;
        self.type_error::<VarLenUnicode>()?;
        let start = self.grow_by(strings.len())?;
        self.write_string_rows(start, strings)?;
        Ok(start)
    }

    /// Rows of strings from row `start` into a chunked dataset's chunks.
    fn write_string_rows<S: AsRef<str>>(&self, start: u64, strings: &[S]) -> Result<()> {
        let shared = self.shared();
        let mut st = shared.lock();
        let Some(d) = st.tree.dataset(self.id()) else {
            return Err(Error::Closed);
        };
        let shape = d.shape.clone();
        if self.row_span(&shape, start, strings.len())? == 0 {
            return Ok(());
        }
        let refs = crate::heap::store_refs(shared, &mut st, strings)?;
        crate::chunked::write_rows(shared, &mut st, self.id(), start, &refs)?;
        st.dirty = true;
        Ok(())
    }
}
