//! What a dataset is, in hdf5-metno's vocabulary: its element type, its
//! storage layout (chunk shape, maximum shape, filters) and its
//! attributes. The same for datasets created by h5sink and datasets of a
//! file opened with [`File::open`](crate::File::open).
//!
//! The layout accessors return plain values, as `shape` does: each is one
//! look at the engine's model under its lock, which holds them also after
//! the file closed. Attribute lookups are view transactions: they need an
//! open file.

use super::layout::{Filter, Layout};
use super::Dataset;
use crate::attribute::Attribute;
use crate::error::Result;
use crate::format::datatype::Datatype;

impl Dataset {
    /// The element type (hdf5-metno's `dtype`), fixed at creation; `None`
    /// for a type read from a file that h5sink describes but has no
    /// [`Datatype`] for (a compound, enum, array or big-endian number read
    /// from an h5py file: see
    /// [`dtype_description`](Self::dtype_description); `read_raw::<T>`
    /// takes any `T` whose layout matches it).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::format::datatype::Datatype;
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<u16>().shape(&[3]).create("x")?;
    /// assert_eq!(ds.dtype(), Some(Datatype::Int { size: 2, signed: false }));
    /// # Ok(()) }
    /// ```
    pub fn dtype(&self) -> Option<Datatype> {
        self.dtype.known().copied()
    }

    /// A short name of the element type: `"f32"`, `"i64"`, `"u8"`,
    /// `"bool"`, `"variable-length UTF-8 string"`,
    /// `"fixed-length ASCII string of 10 bytes"`, `"[f32; 4]"` (the text of
    /// [`Datatype::describe`], which error messages use too).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{FixedAscii, VarLenUnicode};
    /// let file = h5sink::File::in_memory()?;
    /// let name = |ds: h5sink::Dataset| ds.dtype_description();
    /// assert_eq!(name(file.new_dataset::<f32>().create("a")?), "f32");
    /// assert_eq!(name(file.new_dataset::<bool>().create("b")?), "bool");
    /// assert_eq!(name(file.new_dataset::<VarLenUnicode>().create("c")?), "variable-length UTF-8 string");
    /// assert_eq!(name(file.new_dataset::<FixedAscii<10>>().create("d")?), "fixed-length ASCII string of 10 bytes");
    /// # Ok(()) }
    /// ```
    pub fn dtype_description(&self) -> String {
        self.dtype.describe()
    }

    /// How the data is stored: [`Layout::Compact`], [`Layout::Contiguous`],
    /// [`Layout::Chunked`] or [`Layout::Virtual`].
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[8]).deflate(1).create("z")?;
    /// assert_eq!(ds.layout(), h5sink::Layout::Chunked); // filters need chunks
    /// assert_eq!(file.new_dataset::<f32>().shape(&[8]).create("c")?.layout(), h5sink::Layout::Contiguous);
    /// # Ok(()) }
    /// ```
    pub fn layout(&self) -> Layout {
        let info = self.engine().storage_info(self.id());
        if info.virtual_max.is_some() {
            Layout::Virtual
        } else if info.chunked.is_some() {
            Layout::Chunked
        } else if info.compact {
            Layout::Compact
        } else {
            Layout::Contiguous
        }
    }

    /// Whether the data is stored in chunks.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert!(file.new_dataset::<u8>().shape(&[64]).chunk(&[16]).create("a")?.is_chunked());
    /// assert!(!file.new_dataset::<u8>().shape(&[64]).create("b")?.is_chunked());
    /// # Ok(()) }
    /// ```
    pub fn is_chunked(&self) -> bool {
        self.engine().storage_info(self.id()).chunked.is_some()
    }

    /// The chunk shape of a chunked dataset (`None` otherwise).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[0, 128]).resizable().chunk(&[64, 128]).create("x")?;
    /// assert_eq!(ds.chunk(), Some(vec![64, 128]));
    /// assert_eq!(file.new_dataset::<f32>().shape(&[4]).create("y")?.chunk(), None);
    /// # Ok(()) }
    /// ```
    pub fn chunk(&self) -> Option<Vec<u64>> {
        self.engine()
            .storage_info(self.id())
            .chunked
            .map(|c| c.chunk)
    }

    /// The maximum shape, one entry per dimension: `None` for an unlimited
    /// dimension (h5py's `maxshape` with `None`). A dataset that cannot grow
    /// has its shape as maximum; a scalar has no dimensions.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[0, 3]).resizable().create("rows")?;
    /// assert_eq!(ds.max_shape(), [None, Some(3)]);
    /// let fixed = file.new_dataset::<f32>().shape(&[2, 3]).create("fixed")?;
    /// assert_eq!(fixed.max_shape(), [Some(2), Some(3)]);
    /// # Ok(()) }
    /// ```
    pub fn max_shape(&self) -> Vec<Option<u64>> {
        let info = self.engine().storage_info(self.id());
        match (info.chunked, info.virtual_max) {
            (Some(c), _) => c.max,
            (None, Some(max)) => max,
            (None, None) => info.shape.into_iter().map(Some).collect(),
        }
    }

    /// Whether the dataset can grow: some dimension's maximum is above its
    /// size, or unlimited (hdf5-metno's `is_resizable`).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// assert!(file.new_dataset::<u8>().shape(&[0]).resizable().create("a")?.is_resizable());
    /// let b = file.new_dataset::<u8>().shape(&[2]).max_shape(&[Some(10)]).create("b")?;
    /// assert!(b.is_resizable());
    /// b.resize(&[10])?;
    /// assert!(!b.is_resizable()); // at its maximum now
    /// assert!(!file.new_dataset::<u8>().shape(&[2]).chunk(&[1]).create("c")?.is_resizable());
    /// # Ok(()) }
    /// ```
    pub fn is_resizable(&self) -> bool {
        let info = self.engine().storage_info(self.id());
        info.chunked.is_some_and(|c| {
            c.max
                .iter()
                .zip(&info.shape)
                .any(|(m, &d)| m.map_or(true, |m| m > d))
        })
    }

    /// The filters of a chunked dataset, in the order they are applied on
    /// write (empty for none, and for other layouts).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::Filter;
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<i32>().shape(&[1000]).shuffle().deflate(6).create("x")?;
    /// assert_eq!(ds.filters(), [Filter::Shuffle, Filter::Deflate(6)]);
    /// assert!(file.new_dataset::<i32>().shape(&[4]).create("y")?.filters().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn filters(&self) -> Vec<Filter> {
        self.engine()
            .storage_info(self.id())
            .chunked
            .map(|c| c.filters.iter().map(Filter::of).collect())
            .unwrap_or_default()
    }

    /// Names of the dataset's attributes, sorted by their bytes (as h5py's
    /// `attrs.keys()` lists them).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[4]).create("x")?;
    /// assert!(ds.attr_names()?.is_empty());
    /// ds.new_attr_builder().with_str("m").create("units")?;
    /// ds.new_attr_builder().with_data(&[0.0f64, 1.0]).create("range")?;
    /// assert_eq!(ds.attr_names()?, ["range", "units"]);
    /// # Ok(()) }
    /// ```
    pub fn attr_names(&self) -> Result<Vec<String>> {
        self.engine().attr_names(self.id())
    }

    /// The attribute `name`, to read (or, on a writable file, rewrite).
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`](crate::Error::NotFound) naming the attribute and
    /// the dataset when it has none of that name; `Error::Closed` after
    /// the file closed.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let ds = file.new_dataset::<f32>().shape(&[4]).create("x")?;
    /// ds.new_attr_builder().with_data(&[0.5f64, 2.5]).create("range")?;
    /// let range = ds.attr("range")?;
    /// assert_eq!((range.shape(), range.read_raw::<f64>()?), (&[2u64][..], vec![0.5, 2.5]));
    /// assert!(matches!(ds.attr("nope"), Err(h5sink::Error::NotFound { kind: "attribute", .. })));
    /// # Ok(()) }
    /// ```
    pub fn attr(&self, name: &str) -> Result<Attribute> {
        Attribute::open(
            self.engine().clone(),
            self.id(),
            self.name().to_owned(),
            name,
        )
    }
}
