//! Virtual datasets, in the spirit of h5py's `VirtualLayout` /
//! `VirtualSource`: a dataset whose elements are those of other datasets
//! (in this file or others), read through it without a copy. Spec notes:
//! `spec-notes/virtual-dataset.md`.
//!
//! h5sink writes and describes virtual datasets (shape, type, layout,
//! mappings, for created and opened files); reading or writing their
//! values through h5sink is [`Error::Unsupported`](crate::Error) (h5py and
//! libhdf5 read them).

mod check;

use crate::dataset::Dataset;
use crate::engine::VirtualSpec;
use crate::error::Result;
use crate::format::datatype::Datatype;
use crate::format::selection::{Hyperslab, Selection};
use crate::group::Group;
use crate::types::{Element, H5Type};

pub use crate::format::vds::Mapping as VirtualMapping;

/// A source dataset of a virtual dataset (h5py's `VirtualSource`): a
/// dataset `dataset` of shape `shape` in file `file` (`"."`: the file
/// holding the virtual dataset; a relative name is found by readers
/// relative to that file's directory), all of it or a [`Hyperslab`].
///
/// ```
/// use h5sink::{Hyperslab, VirtualSource, UNLIMITED};
///
/// let whole = VirtualSource::new("shard-0.h5", "/features", &[100, 512]);
/// let rows = VirtualSource::new("shard-0.h5", "/features", &[100, 512])
///     .slab(Hyperslab::new(&[10, 0], &[20, 512]));
/// // A source that grows: every row there is, now and later.
/// let growing = VirtualSource::new("live.h5", "x", &[0, 4])
///     .max_shape(&[None, Some(4)])
///     .slab(Hyperslab::new(&[0, 0], &[1, 4]).count(&[UNLIMITED, 1]));
/// assert_eq!(whole.elements(), Some(51_200));
/// assert_eq!(rows.elements(), Some(20 * 512));
/// assert_eq!(growing.elements(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualSource {
    file: String,
    dataset: String,
    shape: Vec<u64>,
    max: Option<Vec<Option<u64>>>,
    selection: Selection,
}

impl VirtualSource {
    /// All of dataset `dataset` (of shape `shape`) in file `file`.
    ///
    /// ```
    /// let s = h5sink::VirtualSource::new(".", "/raw/a", &[6]);
    /// assert_eq!(s.elements(), Some(6));
    /// ```
    pub fn new(file: impl Into<String>, dataset: impl Into<String>, shape: &[u64]) -> Self {
        VirtualSource {
            file: file.into(),
            dataset: dataset.into(),
            shape: shape.to_vec(),
            max: None,
            selection: Selection::All,
        }
    }

    /// The source's maximum shape (`None`: unlimited); needed for an
    /// unlimited slab. Without it the maximum is the shape.
    ///
    /// ```
    /// let s = h5sink::VirtualSource::new("a.h5", "x", &[0]).max_shape(&[None]);
    /// assert_eq!(s.elements(), Some(0));
    /// ```
    pub fn max_shape(mut self, max: &[Option<u64>]) -> Self {
        self.max = Some(max.to_vec());
        self
    }

    /// Take only the elements of `slab` (h5py's `source[...]` slicing).
    ///
    /// ```
    /// let s = h5sink::VirtualSource::new("a.h5", "x", &[10]).slab(h5sink::Hyperslab::new(&[2], &[3]));
    /// assert_eq!(s.elements(), Some(3));
    /// ```
    pub fn slab(mut self, slab: Hyperslab) -> Self {
        self.selection = Selection::Slab(slab);
        self
    }

    /// Elements taken (`None` when unlimited).
    ///
    /// ```
    /// assert_eq!(h5sink::VirtualSource::new("a.h5", "x", &[3, 3]).elements(), Some(9));
    /// ```
    pub fn elements(&self) -> Option<u64> {
        self.selection.elements(&self.shape)
    }
}

/// The layout of a new virtual dataset (h5py's `VirtualLayout`): its
/// shape, maximum shape, element type, fill value (for elements no
/// mapping covers, and for sources that are missing) and mappings, made
/// with [`Group::create_virtual`].
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// use h5sink::{Hyperslab, Layout, VirtualLayout, VirtualSource};
///
/// let file = h5sink::File::in_memory()?;
/// let a = file.new_dataset::<i32>().shape(&[3, 4]).create("a")?;
/// a.write_raw(&(0..12).collect::<Vec<i32>>())?;
/// // Rows 0..3 of `v` are `a`, rows 3..6 read as -1.
/// let layout = VirtualLayout::new::<i32>(&[6, 4])
///     .fill_value(-1i32)
///     .map(VirtualSource::new(".", "/a", &[3, 4]), Hyperslab::new(&[0, 0], &[3, 4]));
/// let v = file.create_virtual("v", &layout)?;
/// assert_eq!((v.shape(), v.layout()), (vec![6, 4], Layout::Virtual));
/// assert_eq!(v.virtual_mappings()[0].file, ".");
/// assert!(v.read_raw::<i32>().is_err()); // values are read by h5py, not h5sink
/// file.close()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct VirtualLayout {
    dtype: Datatype,
    shape: Vec<u64>,
    max: Option<Vec<Option<u64>>>,
    fill: Option<(Datatype, Vec<u8>)>,
    maps: Vec<(VirtualSource, Hyperslab)>,
}

impl VirtualLayout {
    /// A layout of shape `shape` and element type `T`, mapping nothing yet.
    ///
    /// ```
    /// let l = h5sink::VirtualLayout::new::<f32>(&[10, 3]);
    /// assert_eq!(l.shape(), [10, 3]);
    /// ```
    pub fn new<T: H5Type>(shape: &[u64]) -> Self {
        VirtualLayout::with_dtype(T::DATATYPE, shape)
    }

    /// The same with an element type given as a value (e.g. the
    /// [`Dataset::dtype`] of a source).
    ///
    /// ```
    /// use h5sink::format::datatype::Datatype;
    /// let l = h5sink::VirtualLayout::with_dtype(Datatype::Float { size: 8 }, &[4]);
    /// assert_eq!(l.dtype(), Datatype::Float { size: 8 });
    /// ```
    pub fn with_dtype(dtype: Datatype, shape: &[u64]) -> Self {
        VirtualLayout {
            dtype,
            shape: shape.to_vec(),
            max: None,
            fill: None,
            maps: Vec::new(),
        }
    }

    /// Its shape.
    ///
    /// ```
    /// assert_eq!(h5sink::VirtualLayout::new::<u8>(&[2]).shape(), [2]);
    /// ```
    pub fn shape(&self) -> &[u64] {
        &self.shape
    }

    /// Its element type.
    ///
    /// ```
    /// use h5sink::format::datatype::Datatype;
    /// assert_eq!(h5sink::VirtualLayout::new::<i64>(&[2]).dtype(), Datatype::Int { size: 8, signed: true });
    /// ```
    pub fn dtype(&self) -> Datatype {
        self.dtype
    }

    /// Its maximum shape (`None`: unlimited, e.g. to follow growing
    /// sources mapped with an unlimited [`Hyperslab`]).
    ///
    /// ```
    /// let l = h5sink::VirtualLayout::new::<u8>(&[0, 4]).max_shape(&[None, Some(4)]);
    /// assert_eq!(l.shape(), [0, 4]);
    /// ```
    pub fn max_shape(mut self, max: &[Option<u64>]) -> Self {
        self.max = Some(max.to_vec());
        self
    }

    /// The value of elements no mapping covers (h5py's `fillvalue=`); its
    /// type must be the layout's.
    ///
    /// ```
    /// let l = h5sink::VirtualLayout::new::<f32>(&[4]).fill_value(f32::NAN);
    /// assert_eq!(l.shape(), [4]);
    /// ```
    pub fn fill_value<T: Element>(mut self, value: T) -> Self {
        let bytes = T::encode(std::slice::from_ref(&value)).into_owned();
        self.fill = Some((T::DATATYPE, bytes));
        self
    }

    /// Map `source` onto the elements `target` of the virtual dataset
    /// (h5py's `layout[target] = source`); both must select as many
    /// elements (or both be unlimited with as many per step).
    ///
    /// ```
    /// use h5sink::{Hyperslab, VirtualLayout, VirtualSource};
    /// let l = VirtualLayout::new::<u8>(&[2, 5])
    ///     .map(VirtualSource::new("a.h5", "x", &[5]), Hyperslab::new(&[0, 0], &[1, 5]))
    ///     .map(VirtualSource::new("b.h5", "x", &[5]), Hyperslab::new(&[1, 0], &[1, 5]));
    /// assert_eq!(l.mappings(), 2);
    /// ```
    pub fn map(mut self, source: VirtualSource, target: Hyperslab) -> Self {
        self.maps.push((source, target));
        self
    }

    /// Number of mappings so far.
    ///
    /// ```
    /// assert_eq!(h5sink::VirtualLayout::new::<u8>(&[2]).mappings(), 0);
    /// ```
    pub fn mappings(&self) -> usize {
        self.maps.len()
    }
}

impl Group {
    /// Create the virtual dataset `name` (a `/`-path, as for datasets) of
    /// `layout`, after checking every mapping (ranks, slabs inside their
    /// extents, equal element counts, the fill value's type): a refused
    /// layout creates nothing. The mapping list is written at once; the
    /// dataset appears in the file at the next commit.
    ///
    /// # Errors
    ///
    /// [`Error::BadShape`](crate::Error::BadShape) naming the mapping (its
    /// index, source dataset and file) and what is wrong (also an empty or
    /// NUL-holding name); [`Error::TypeMismatch`](crate::Error::TypeMismatch)
    /// for a fill value of another type; the path errors of datasets.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{Hyperslab, VirtualLayout, VirtualSource};
    /// let file = h5sink::File::in_memory()?;
    /// // 5 source elements cannot fill 6 virtual ones.
    /// let bad = VirtualLayout::new::<u8>(&[6])
    ///     .map(VirtualSource::new("a.h5", "x", &[5]), Hyperslab::new(&[0], &[6]));
    /// let e = file.create_virtual("v", &bad).unwrap_err();
    /// assert!(e.to_string().contains("mapping 0"), "{e}");
    /// assert!(file.member_names()?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn create_virtual(&self, name: &str, layout: &VirtualLayout) -> Result<Dataset> {
        self.engine().io().check()?;
        let spec: VirtualSpec = check::spec(name, layout)?;
        let dtype = spec.dtype;
        let (id, path) = self.engine().create_virtual(self.id(), name, spec)?;
        Ok(Dataset::new(self.engine().clone(), id, path, dtype))
    }
}

impl Dataset {
    /// The mappings of a virtual dataset, in file order (empty for other
    /// layouts): for each, the source file and dataset names as stored, the
    /// source selection and the virtual selection. Also for virtual
    /// datasets of files h5py wrote, opened with [`File::open`](crate::File::open).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// use h5sink::{Hyperslab, VirtualLayout, VirtualSource};
    /// use h5sink::format::selection::Selection;
    /// let file = h5sink::File::in_memory()?;
    /// let layout = VirtualLayout::new::<u8>(&[4])
    ///     .map(VirtualSource::new("a.h5", "x", &[4]), Hyperslab::new(&[0], &[4]));
    /// let v = file.create_virtual("v", &layout)?;
    /// let m = &v.virtual_mappings()[0];
    /// assert_eq!((m.file.as_str(), m.dataset.as_str(), &m.source), ("a.h5", "x", &Selection::All));
    /// assert!(file.new_dataset::<u8>().create("plain")?.virtual_mappings().is_empty());
    /// # Ok(()) }
    /// ```
    pub fn virtual_mappings(&self) -> Vec<VirtualMapping> {
        self.engine()
            .virtual_info(self.id())
            .map(|v| v.mappings)
            .unwrap_or_default()
    }
}
