//! The error contract: every bad input or failure gets one specific
//! [`Error`] variant whose message names the offending values, no input
//! panics, and the file on disk stays valid at its last commit with nothing
//! already flushed lost.
//!
//! `error_contract_with_real_readers` runs every case that leaves a file
//! behind, one after the other, each writing `<name>.h5` plus the manifest of
//! the state that must survive the error; then h5py, pyfive and h5dump check
//! them all in one Python run. Cases that leave no file are small tests of
//! their own.

#[macro_use]
mod helpers;
mod names_shapes;
mod no_file;
mod paths;
mod rows;
mod storage_failures;
mod writer_closed;

use crate::common;
use names_shapes::{case_end_of_file, case_names, case_shapes};
use paths::{case_dangling_symlink, case_existing_path, case_missing_directory};
use rows::{case_row_writes, case_string_count, case_type_and_scalar};
use storage_failures::{case_len_and_sync_failures, case_out_of_memory, case_storage_failures};
use writer_closed::{case_closed, case_writer_add};

// -------------------------------------------------------------- the driver

#[test]
fn error_contract_with_real_readers() {
    let dir = common::out_dir("errors");
    let dir = dir.as_path();
    case_existing_path(dir);
    case_dangling_symlink(dir);
    case_missing_directory(dir);
    case_row_writes(dir);
    case_type_and_scalar(dir);
    case_string_count(dir);
    case_names(dir);
    case_shapes(dir);
    case_end_of_file(dir);
    case_writer_add(dir);
    case_closed(dir);
    case_storage_failures(dir, false);
    case_storage_failures(dir, true);
    case_len_and_sync_failures(dir);
    case_out_of_memory(dir);
    common::run_oracles(dir);
}
