//! Pure encoders, one module per on-disk structure: values in, bytes out, no I/O.
//!
//! Everything here writes the structures of h5py's default file layout
//! (superblock version 0, version 1 object headers, symbol-table groups).
//! Each module cites its page under `spec-notes/`.

pub mod btree;
pub mod dataspace;
pub mod datatype;
pub mod field;
pub mod fill_value;
pub mod global_heap;
pub mod layout;
pub mod local_heap;
pub mod object_header;
pub mod snod;
pub mod superblock;
pub mod symbol_table;
