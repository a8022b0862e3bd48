//! Faults: the storage fails at every write of a representative stream, a
//! real full disk (a 4 MiB tmpfs), and kill -9 of a streaming child, for
//! h5sink's `DatasetWriter` and for the h5py tutorial's `HDF5DatasetWriter`.
//!
//! Every file left behind is checked in h5py (one Python run per test) and
//! must hold every row flushed before the fault.

mod failing_write;
mod full_disk;
mod kill;
mod stream;
