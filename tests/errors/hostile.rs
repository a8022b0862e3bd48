//! Hostile input: one test per bad input (the table in docs/hostile-inputs.md).
//! Each gets a specific `Error` (never a panic), and where a file was open
//! it still closes into a complete HDF5 file afterwards. Also: nothing
//! allocates memory in proportion to a declared shape before data arrives.

mod chunks;
mod file_state;
mod helpers;
mod memory;
mod names;
mod paths;
mod rows;
mod shapes;
mod strings;
mod writer;
