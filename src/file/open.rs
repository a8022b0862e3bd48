//! Opening existing files: [`File::open`] (read-only) and
//! [`File::open_rw`] (to change them), on a path or any [`Storage`].

use std::path::Path;
use std::sync::Arc;

use super::File;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::group::Group;
use crate::storage::{FileStorage, Storage};

impl File {
    /// Open the existing HDF5 file at `path`, read-only: its groups,
    /// datasets and attributes are found by [`Group::member_names`],
    /// [`Group::group`], [`Group::dataset`]; nothing is ever written.
    ///
    /// Files h5sink wrote, and files h5py / libhdf5 write with default
    /// settings (superblock 0 or 1, version 1 object headers, symbol-table
    /// groups, contiguous / compact / chunked layouts with a version 1
    /// B-tree; shuffle, deflate and Fletcher-32), open, with datasets and
    /// attributes of every datatype: numbers of either byte order, bool,
    /// fixed and variable-length strings, compound, enum, array, opaque,
    /// bit field, time, references, variable-length sequences. Values read
    /// as a Rust type `T` when the file's type is exactly `T`'s
    /// (`h5compound!` structs and `h5enum!` enums of the same names,
    /// offsets and member types, `[T; N]` arrays); big-endian numbers read
    /// as the native numbers of the same kind. Other types list and give
    /// [`Error::TypeMismatch`], naming the file's type, when read.
    ///
    /// Structures outside that set (e.g. `libver='latest'` files, soft
    /// links, LZF or scale-offset filters, user blocks) are
    /// [`Error::Unsupported`] naming the structure and its offset; bytes
    /// that are not valid HDF5 are [`Error::Malformed`]. Every size,
    /// address and count read is checked before it is used.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-open-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let f = h5sink::File::create(&path)?;
    /// f.new_dataset::<f32>().shape(&[3, 2]).create("runs/loss")?;
    /// f.close()?;
    /// let f = h5sink::File::open(&path)?;
    /// assert_eq!(f.member_names()?, ["runs"]);
    /// assert_eq!(f.dataset("runs/loss")?.shape(), [3, 2]);
    /// assert!(matches!(f.create_group("x"), Err(h5sink::Error::ReadOnly { .. })));
    /// # drop(f);
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<File> {
        let path = path.as_ref();
        let storage = FileStorage::open_read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            action: "opening the file for reading".into(),
            source,
        })?;
        File::open_storage(storage)
    }

    /// [`File::open`] on any [`Storage`] that can be read
    /// ([`Storage::read_at`]), e.g. a [`MemStorage`](crate::MemStorage) holding a file's bytes.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let mem = h5sink::MemStorage::new();
    /// let f = h5sink::File::with_storage(mem.clone())?;
    /// f.new_attr_builder().with_scalar(&7i64).create("seed")?;
    /// f.close()?;
    /// let f = h5sink::File::open_storage(mem)?;
    /// assert!(f.member_names()?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn open_storage(storage: impl Storage + 'static) -> Result<File> {
        let engine = Arc::new(Engine::open(Box::new(storage))?);
        Ok(File {
            root: Group::root(engine),
            memory: None,
        })
    }

    /// Open the existing HDF5 file at `path` to read and change it
    /// (hdf5-metno's name): create groups, datasets and attributes
    /// anywhere, write rows into existing datasets, append to resizable
    /// ones (a partly filled last chunk is read, completed and written to
    /// new space, never rewritten in place).
    ///
    /// The same files as [`File::open`] open, except files holding object
    /// or region references (in a dataset or an attribute): a commit
    /// writes object headers anew, which would leave references pointing
    /// at stale copies, so those are [`Error::Unsupported`] (read them with
    /// [`File::open`]). What h5sink cannot represent is
    /// [`Error::Unsupported`] before anything is written. Datasets of a
    /// type read from the file take values of the Rust type that matches
    /// it exactly (never converted); big-endian datasets refuse writes
    /// ([`Error::TypeMismatch`] naming the byte order), and chunked
    /// datasets of variable-length sequences cannot be resized. Changes go to
    /// new space after the file's end and take effect at each commit's
    /// superblock switch, as in a new file, so a crash leaves the file as
    /// it was or as last committed; the [reader grace period](File::set_reader_grace)
    /// is [`File::DEFAULT_READER_GRACE`]. Header messages h5sink does not
    /// interpret are written back byte for byte; a file opened and closed
    /// with no change is not written at all.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// # let path = std::env::temp_dir().join(format!("h5sink-doc-openrw-file-{}.h5", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let f = h5sink::File::create(&path)?;
    /// let loss = f.new_dataset::<f32>().shape(&[0]).chunk(&[4]).resizable().create("loss")?;
    /// loss.append_rows(&[0.9f32, 0.7, 0.6])?;
    /// f.close()?;
    ///
    /// let f = h5sink::File::open_rw(&path)?;
    /// f.dataset("loss")?.append_rows(&[0.5f32, 0.4])?; // completes the first chunk
    /// f.create_group("eval")?;
    /// f.close()?;
    ///
    /// let f = h5sink::File::open(&path)?;
    /// assert_eq!(f.dataset("loss")?.read_raw::<f32>()?, [0.9, 0.7, 0.6, 0.5, 0.4]);
    /// assert_eq!(f.member_names()?, ["eval", "loss"]);
    /// # drop(f);
    /// # std::fs::remove_file(&path).unwrap();
    /// # Ok(()) }
    /// ```
    pub fn open_rw(path: impl AsRef<Path>) -> Result<File> {
        let path = path.as_ref();
        let storage = FileStorage::open_rw(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            action: "opening the file for reading and writing".into(),
            source,
        })?;
        let file = File::open_rw_storage(storage)?;
        file.set_reader_grace(File::DEFAULT_READER_GRACE);
        Ok(file)
    }

    /// [`File::open_rw`] on any [`Storage`] that can be read and written,
    /// e.g. a [`MemStorage`](crate::MemStorage) holding a file's bytes.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let mem = h5sink::MemStorage::new();
    /// let f = h5sink::File::with_storage(mem.clone())?;
    /// f.new_dataset::<i32>().shape(&[2]).create("a")?.write_raw(&[1, 2])?;
    /// f.close()?;
    /// let before = mem.to_vec();
    /// h5sink::File::open_rw_storage(mem.clone())?.close()?; // no change: not written
    /// assert_eq!(mem.to_vec(), before);
    /// let f = h5sink::File::open_rw_storage(mem.clone())?;
    /// f.dataset("a")?.write_raw(&[3, 4])?;
    /// f.close()?;
    /// assert_eq!(h5sink::File::open_storage(mem)?.dataset("a")?.read_raw::<i32>()?, [3, 4]);
    /// # Ok(()) }
    /// ```
    pub fn open_rw_storage(storage: impl Storage + 'static) -> Result<File> {
        Self::open_rw_boxed(Box::new(storage))
    }

    /// [`File::open_rw_storage`] for a storage already boxed.
    pub(crate) fn open_rw_boxed(storage: Box<dyn Storage>) -> Result<File> {
        let engine = Arc::new(Engine::open_rw(storage)?);
        Ok(File {
            root: Group::root(engine),
            memory: None,
        })
    }
}
