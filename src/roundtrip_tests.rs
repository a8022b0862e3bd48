//! Round trips through the loader, as unit tests so that they run under
//! `wasm32-wasip1` too (`scripts/wasm.sh`; no Python, no files): h5sink's
//! own files, holding every element type and layout h5sink writes, groups,
//! strings and attributes of every kind, built in a `MemStorage`, opened
//! with `File::open_storage` and read back exactly with `read_raw`,
//! `read_rows`, `read_scalar`, `read_strings` and `Attribute::read_raw` /
//! `read_strings`; then opened with `File::open_rw_storage`, appended to and
//! added to, and read again after reopening.

mod links;
mod matrix;
mod others;
mod sample;
