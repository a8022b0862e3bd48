//! `DatasetWriter` options, checked by real readers (h5py, pyfive, h5dump and
//! the others of `run_oracles`): large adds written straight to the file
//! mixed with buffered small ones, every dataset option (fletcher32, fill
//! value, compact), `/`-path keys, `labels(false)` with `add_rows`,
//! `add_array`; and the errors: bad options refused at `create` with no file
//! left behind, clashing keys, an unlimited writer given whole-dataset dims.

mod refusals;
mod with_readers;
