//! [`Manifest`]: describes one HDF5 file for the oracles, object by object.

mod data;
mod layout;
mod links;
mod read_back;
mod write;

pub use data::{Attr, Data};
pub use layout::Storage;

use std::path::{Path, PathBuf};

use super::{values_bytes, Dtype, Json, Ramp};

#[derive(Clone, Debug)]
/// One object of the file, as the manifest lists it.
enum Object {
    Group {
        path: String,
        attrs: Vec<Attr>,
    },
    Dataset {
        path: String,
        dtype: Dtype,
        shape: Vec<u64>,
        data: Data,
        fill: Option<Json>,
        compact: bool,
        storage: Storage,
        attrs: Vec<Attr>,
    },
}

impl Object {
    fn path(&self) -> &str {
        match self {
            Object::Group { path, .. } | Object::Dataset { path, .. } => path,
        }
    }
    fn attrs_mut(&mut self) -> &mut Vec<Attr> {
        match self {
            Object::Group { attrs, .. } | Object::Dataset { attrs, .. } => attrs,
        }
    }
}

fn check_attr(attrs: &[Attr], a: &Attr, owner: &str) {
    assert!(!a.name.is_empty(), "attribute without a name on {owner:?}");
    assert!(
        attrs.iter().all(|b| b.name != a.name),
        "attribute {:?} twice on {owner:?}",
        a.name
    );
    assert!(
        !matches!(
            a.data,
            Data::Null | Data::RampRows { .. } | Data::ValuesRows { .. }
        ),
        "attribute {:?}: an attribute always holds a full value",
        a.name
    );
    a.dtype.validate(false);
    a.data.validate(&a.dtype, &a.shape, &a.name);
}

/// Describes one HDF5 file for `tests/oracle/check.py` (schema: see
/// `tests/oracle/README.md`). Paths are relative to the root group, without
/// a leading '/', and every group (root excluded) must be listed before its
/// members -- list everything in the file, in creation order.
#[derive(Clone, Debug)]
pub struct Manifest {
    name: String,
    file: String,
    twin: bool,
    /// `write` reads the file back with h5sink (off for the harness's
    /// self-test, whose files differ from their manifests on purpose).
    read_back: bool,
    root_attrs: Vec<Attr>,
    objects: Vec<Object>,
    links: Vec<links::Link>,
}

impl Manifest {
    /// A scenario called `name` (unique within its directory), whose file is
    /// `<name>.h5` beside the manifest.
    pub fn new(name: &str) -> Self {
        Manifest {
            name: name.to_string(),
            file: format!("{name}.h5"),
            twin: true,
            read_back: true,
            root_attrs: Vec::new(),
            objects: Vec::new(),
            links: Vec::new(),
        }
    }

    /// A manifest whose file `write` does not read back with h5sink (the
    /// oracle harness's self-test: files that differ on purpose).
    pub fn unchecked(name: &str) -> Self {
        Manifest {
            read_back: false,
            ..Manifest::new(name)
        }
    }

    /// Scenario name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the HDF5 file of this scenario must be written.
    pub fn h5_path(&self, dir: &Path) -> PathBuf {
        dir.join(&self.file)
    }

    /// Adds a group.
    pub fn group(&mut self, path: &str) -> &mut Self {
        self.objects.push(Object::Group {
            path: path.to_string(),
            attrs: Vec::new(),
        });
        self
    }

    /// Adds a dataset; `dtype` is a [`Dtype`] or one of the names in
    /// [`DTYPES`]; `shape` `[]` is a scalar (its final shape, for a dataset
    /// that was resized or appended to). Options for the dataset just added:
    /// [`Manifest::fill`], [`Manifest::compact`], [`Manifest::chunks`] and
    /// the other chunked-layout options.
    pub fn dataset(
        &mut self,
        path: &str,
        dtype: impl Into<Dtype>,
        shape: &[u64],
        data: Data,
    ) -> &mut Self {
        let dtype = dtype.into();
        dtype.validate(false);
        data.validate(&dtype, shape, path);
        self.objects.push(Object::Dataset {
            path: path.to_string(),
            dtype,
            shape: shape.to_vec(),
            data,
            fill: None,
            compact: false,
            storage: Storage::default(),
            attrs: Vec::new(),
        });
        self
    }

    /// [`Manifest::dataset`] with the dtype taken from the element type.
    pub fn dataset_of<T: Ramp>(&mut self, path: &str, shape: &[u64], data: Data) -> &mut Self {
        self.dataset(path, T::DTYPE, shape, data)
    }

    fn last_dataset(&mut self) -> (&Dtype, &mut Option<Json>, &mut bool) {
        match self.objects.last_mut() {
            Some(Object::Dataset {
                dtype,
                fill,
                compact,
                ..
            }) => (dtype, fill, compact),
            _ => panic!("fill() / compact() apply to the dataset added last"),
        }
    }

    fn last_storage(&mut self, what: &str) -> (&[u64], &mut Storage) {
        match self.objects.last_mut() {
            Some(Object::Dataset { shape, storage, .. }) => (shape, storage),
            _ => panic!("{what}() applies to the dataset added last"),
        }
    }

    /// Gives the dataset added last the chunked layout with this chunk shape
    /// (one entry per dimension, each at least 1; a chunk may reach past the
    /// shape, not past a fixed maximum). The twin passes `chunks=`.
    pub fn chunks(&mut self, chunks: &[u64]) -> &mut Self {
        let (shape, storage) = self.last_storage("chunks");
        assert_eq!(
            chunks.len(),
            shape.len(),
            "chunks {chunks:?} for shape {shape:?}"
        );
        assert!(
            chunks.iter().all(|&c| c >= 1),
            "chunks {chunks:?}: every dimension >= 1"
        );
        storage.chunks = Some(chunks.to_vec());
        self
    }

    /// The maximum shape of the dataset added last (`None` = unlimited);
    /// needs [`Manifest::chunks`] unless it equals the shape. A dataset that
    /// was grown (resize / append) is described by its final shape and this.
    pub fn maxshape(&mut self, maxshape: &[Option<u64>]) -> &mut Self {
        let (shape, storage) = self.last_storage("maxshape");
        assert_eq!(
            maxshape.len(),
            shape.len(),
            "maxshape {maxshape:?} for shape {shape:?}"
        );
        storage.maxshape = Some(maxshape.to_vec());
        self
    }

    /// Gzip (deflate) at `level` (0..=9) in the filter pipeline of the
    /// (chunked) dataset added last.
    pub fn deflate(&mut self, level: u32) -> &mut Self {
        assert!(level <= 9, "deflate level {level} (0..=9)");
        self.last_storage("deflate").1.deflate = Some(level);
        self
    }

    /// The shuffle filter in the pipeline of the (chunked) dataset added
    /// last (before deflate, as h5py orders them).
    pub fn shuffle(&mut self) -> &mut Self {
        self.last_storage("shuffle").1.shuffle = true;
        self
    }

    /// The Fletcher-32 checksum filter in the pipeline of the (chunked)
    /// dataset added last (last in the pipeline, as h5py orders it).
    pub fn fletcher32(&mut self) -> &mut Self {
        self.last_storage("fletcher32").1.fletcher32 = true;
        self
    }

    /// Gives the dataset added last a user fill value (numbers, bool as 0 /
    /// 1, an enum's integer value); its unwritten elements read as it. Other
    /// dtypes: [`Manifest::fill_value`].
    pub fn fill(&mut self, value: f64) -> &mut Self {
        let (dtype, _, _) = self.last_dataset();
        let v = match dtype {
            Dtype::Named("f16" | "f32" | "f64") => Json::Num(value),
            Dtype::Named("bool") => {
                assert!(value == 0.0 || value == 1.0, "bool fill {value}");
                Json::Bool(value == 1.0)
            }
            Dtype::Named(n) if n.starts_with(['u', 'i']) => {
                assert!(value.fract() == 0.0, "integer fill {value}");
                Json::Int(value as i128)
            }
            Dtype::Enum { .. } => {
                assert!(value.fract() == 0.0, "enum fill {value}");
                Json::Int(value as i128)
            }
            other => panic!("fill({value}) for {other:?}; use fill_value"),
        };
        self.fill_value(v)
    }

    /// Gives the dataset added last a user fill value, as one JSON element
    /// (any dtype but vlen_str).
    pub fn fill_value(&mut self, value: Json) -> &mut Self {
        let (dtype, fill, _) = self.last_dataset();
        assert!(!dtype.is_vlen(), "no fill value for vlen_str");
        values_bytes(dtype, std::slice::from_ref(&value)); // panics if invalid
        *fill = Some(value);
        self
    }

    /// Gives the dataset added last the compact layout (data in the object
    /// header).
    pub fn compact(&mut self) -> &mut Self {
        *self.last_dataset().2 = true;
        self
    }

    /// Adds an attribute to the root group.
    pub fn root_attr(
        &mut self,
        name: &str,
        dtype: impl Into<Dtype>,
        shape: &[u64],
        data: Data,
    ) -> &mut Self {
        self.attr("", name, dtype, shape, data)
    }

    /// Adds an attribute to the group or dataset `obj_path` (listed before;
    /// `""` is the root group).
    pub fn attr(
        &mut self,
        obj_path: &str,
        name: &str,
        dtype: impl Into<Dtype>,
        shape: &[u64],
        data: Data,
    ) -> &mut Self {
        let a = Attr {
            name: name.to_string(),
            dtype: dtype.into(),
            shape: shape.to_vec(),
            data,
        };
        let attrs = if obj_path.is_empty() {
            &mut self.root_attrs
        } else {
            self.objects
                .iter_mut()
                .find(|o| o.path() == obj_path)
                .unwrap_or_else(|| panic!("attribute {name:?} of {obj_path:?}: no such object yet"))
                .attrs_mut()
        };
        check_attr(attrs, &a, obj_path);
        attrs.push(a);
        self
    }

    /// Skips the h5py-twin comparison for this scenario (the other oracles
    /// still run). Use when h5sink deliberately lays the file out differently
    /// from h5py's defaults.
    pub fn no_twin(&mut self) -> &mut Self {
        self.twin = false;
        self
    }
}
