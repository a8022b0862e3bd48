//! Property test: random FILES, checked for their exact contents by real
//! readers.
//!
//! Every case is a random tree of groups, datasets and attributes written
//! with h5sink, described by a manifest of what it must hold
//! (`tests/common` `Manifest`), and all files of a run are checked by ONE
//! `check.py` run (h5py, pyfive, the JS readers, h5dump and the h5py twin).
//!
//! What a case may hold: every element type (u8..f64, bool, f16 with the
//! `half` feature, `FixedAscii<N>`, `FixedUnicode<N>`, vlen strings with
//! empty and non-ASCII values, enums and compounds declared once below, a
//! compound with an array member and a nested compound), ranks 0 to 4,
//! zero-length dimensions, contiguous, compact, chunked (random chunk shape,
//! shuffle / deflate / fletcher32) and resizable datasets grown with
//! `append_rows` and `resize`, user fill values, attributes of every type
//! and rank 0..2 on the root, groups and datasets. Rows are written in
//! slabs of random size: in shuffled order for contiguous and compact
//! datasets, some slabs never written; in increasing order for chunked
//! datasets (h5sink refuses writes into a chunk it already compressed and
//! wrote), the written rows then a prefix. Vlen string datasets take every
//! layout too: contiguous, compact and chunked ones are written whole with
//! `write_strings` (or never); resizable ones are written whole at their
//! creation size (or created empty), grown by `append_strings` slabs and
//! maybe finally `resize`d past the rows written, with the same random
//! filters, `resizable()` or an explicit `max_shape` (unlimited or bounded).
//! Writes to all datasets, attribute creation and `flush()` calls are
//! interleaved at random.
//!
//! Reproducing: every case derives from a u64 case seed, which derives from
//! the run seed and the case index. The run seed is fixed
//! (`DEFAULT_SEED`) unless `H5SINK_PROPTEST_SEED` is set (decimal or 0x
//! hex); the test prints it. Environment:
//!
//! - `H5SINK_PROPTEST_SEED=<u64>`: the run seed;
//! - `H5SINK_PROPTEST_CASES=<n>`: how many cases (default 320);
//! - `H5SINK_PROPTEST_CASE=<i>`: run only case `i` of that seed (its file
//!   is `target/oracle-out/proptest_files/case<i>.h5`, manifest beside it).
//!
//! A failing scenario in the check.py output is named `case<i>` (i = case
//! index); rerun it alone with
//! `H5SINK_PROPTEST_SEED=<seed> H5SINK_PROPTEST_CASE=<i> cargo test --release
//! --all-features --test proptest_files -- --nocapture`.

#[path = "../common/mod.rs"]
mod common;

mod attrs;
mod case;
mod create;
mod plans;
mod rng;
mod strings;
mod ty;
mod types;

use case::run_case;
use rng::case_seed;

const DEFAULT_SEED: u64 = 0x5EED_F11E_2026_1128;
const DEFAULT_CASES: u64 = 320;

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    let parsed = match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|e| panic!("{name}={v:?}: not a u64 ({e})")))
}

#[test]
fn random_files_read_back_exactly() {
    let start = std::time::Instant::now();
    let run_seed = env_u64("H5SINK_PROPTEST_SEED").unwrap_or(DEFAULT_SEED);
    let cases = env_u64("H5SINK_PROPTEST_CASES").unwrap_or(DEFAULT_CASES);
    let only = env_u64("H5SINK_PROPTEST_CASE");
    let dir = common::out_dir("proptest_files");
    let rerun = |i: u64| {
        format!(
            "H5SINK_PROPTEST_SEED={run_seed:#x} H5SINK_PROPTEST_CASE={i} cargo test --release \
             --all-features --test proptest_files -- --nocapture"
        )
    };
    println!(
        "proptest_files: run seed {run_seed:#x} (H5SINK_PROPTEST_SEED), {} case(s), files in {}",
        if only.is_some() { 1 } else { cases },
        dir.display()
    );
    let indices: Vec<u64> = match only {
        Some(i) => vec![i],
        None => (0..cases).collect(),
    };
    for &i in &indices {
        let seed = case_seed(run_seed, i);
        if only.is_some() {
            println!("case {i}: case seed {seed:#x}");
        }
        let r = std::panic::catch_unwind(|| run_case(&dir, i, seed, only.is_some()));
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!(
                "case {i} (run seed {run_seed:#x}, case seed {seed:#x}): h5sink refused a valid \
                 call: {e}\nrerun it alone: {}",
                rerun(i)
            ),
            Err(p) => {
                eprintln!(
                    "case {i} (run seed {run_seed:#x}, case seed {seed:#x}) panicked while \
                     writing\nrerun it alone: {}",
                    rerun(i)
                );
                std::panic::resume_unwind(p);
            }
        }
    }
    let written = start.elapsed();
    let r = std::panic::catch_unwind(|| common::run_oracles(&dir));
    println!(
        "proptest_files: {} case(s) written in {:.1?}, checked in {:.1?}",
        indices.len(),
        written,
        start.elapsed() - written
    );
    if let Err(p) = r {
        eprintln!(
            "proptest_files: the readers failed some case(s) above (scenario `case<i>` = case \
             index i) of run seed {run_seed:#x}. Rerun one alone: {}",
            rerun(0).replace("CASE=0", "CASE=<i>")
        );
        std::panic::resume_unwind(p);
    }
}
