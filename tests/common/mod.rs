//! Shared helpers for integration tests that check h5sink's files with real
//! HDF5 readers (the oracle harness in `tests/oracle/`).
//!
//! A test writes one or more HDF5 files with h5sink into [`out_dir`], describes
//! each with a [`Manifest`] (objects, dtypes, shapes and how the data was
//! generated), then calls [`run_oracles`] once for the directory: h5py, pyfive
//! and h5dump read every file back and compare it with the manifest and with
//! an h5py-written twin. Data is generated with [`ramp`] (numbers, `bool`,
//! [`F16`]) or [`ramp_bytes`] / [`values_bytes`] (any [`Dtype`]: enums,
//! fixed strings, compounds), which `tests/oracle/check.py` reproduces bit
//! for bit. Attributes: [`Manifest::root_attr`], [`Manifest::attr`]; dataset
//! options: [`Manifest::fill`], [`Manifest::compact`], and chunked layout:
//! [`Manifest::chunks`], [`Manifest::maxshape`], [`Manifest::shuffle`],
//! [`Manifest::deflate`], [`Manifest::fletcher32`].
//!
//! A test binary's `main.rs` (tests/<binary>/main.rs) declares it once with
//! `#[path = "../common/mod.rs"] mod common;`, and its modules (one per
//! former test file) `use crate::common;`; every item is re-exported here
//! (`common::ramp`, `common::Manifest`, ...). Not every test uses every helper.
//! The modules: [`ramp`](mod@ramp) and [`half`] (element values), [`dtype`],
//! [`json`], [`bytes`] (raw file bytes of any dtype), [`manifest`],
//! [`oracle`] (running the checkers), [`scenarios`] (the generators'
//! self-test), and [`faults`] (storages that fail on purpose, shared with the
//! fuzz targets).
#![allow(dead_code)]

mod bytes;
mod dtype;
pub mod faults;
mod half;
mod json;
pub mod kill;
mod manifest;
mod oracle;
mod ramp;
mod scenarios;

pub use bytes::*;
pub use dtype::*;
#[allow(unused_imports)] // for the tests that `use common::StopAfter`
pub use faults::StopAfter;
pub use half::*;
pub use json::*;
pub use manifest::*;
pub use oracle::*;
pub use ramp::*;
pub use scenarios::*;

/// The Rust generators and manifest writer agree with check.py for every
/// dtype, attributes, values, fill values, compact and chunked layout. Every test
/// crate includes this module; the test runs in `tests/conformance/` (with
/// `oracle_selftest.rs`) only (elsewhere it returns at once).
#[test]
fn generators_match_python() {
    if env!("CARGO_CRATE_NAME") != "conformance" {
        return;
    }
    // f16 conversion: known values (numpy), and every finite f16 round-trips.
    assert_eq!(f16_bits(0.1), 0x2e66);
    assert_eq!(f16_bits(65504.0), 0x7bff);
    assert_eq!(f16_bits(65519.0), 0x7bff);
    assert_eq!(f16_bits(65520.0), 0x7c00);
    assert_eq!(f16_bits(-0.0), 0x8000);
    assert_eq!(f16_bits(6e-8), 1);
    assert_eq!(f16_bits(2f64.powi(-25)), 0, "tie to even");
    assert_eq!(f16_bits(3.0 * 2f64.powi(-25)), 2, "tie to even");
    assert_eq!(f16_bits(f64::NAN), 0x7e00);
    assert_eq!(f16_bits(f64::NEG_INFINITY), 0xfc00);
    for h in 0..=u16::MAX {
        if h & 0x7c00 != 0x7c00 || h & 0x3ff == 0 {
            assert_eq!(
                f16_bits(f16_to_f64(h)),
                h,
                "f16 {h:#06x} does not round-trip"
            );
        }
    }
    assert_eq!(F16::ramp(0).to_f64(), -500.0);
    assert_eq!(F16::ramp(2000).to_f64(), 500.0);
    assert_eq!(ramp::<bool>(0, 3, 0), vec![false, true, false]);

    let dir = out_dir("generators_match_python");
    write_generator_scenarios(&dir);
    run_python_script("tests/oracle/crosscheck.py", &[dir.as_os_str()]);
}
