//! Replays the fuzz inputs kept in git through the fuzz targets' own
//! interpreters, without libFuzzer or nightly: `fuzz/fuzz_targets/common.rs`
//! decodes inputs with a hand-written reader (no `arbitrary` crate), so it
//! is included here as a module and a saved input runs the same operations
//! under `cargo test` as under `cargo +nightly fuzz run`.
//!
//! - `fuzz/regressions/<target>/*`: fixed findings; must not panic.
//! - `fuzz/seeds/<target>/*`: a small seed corpus; must not panic.
//! - `fuzz/regressions/open/<target>/*`: reported, not yet fixed findings,
//!   replayed by the ignored test `open_findings` (run it with
//!   `cargo test --test fuzz_smoke -- --ignored`; it passes once they are fixed,
//!   and then the files move to `fuzz/regressions/<target>/`).
// Each interpreter includes what it shares (`open_read_run.rs`, the fault
// storages of `tests/common/faults/`) itself, as its fuzz target's crate
// needs: here those files are loaded more than once, as separate modules.
#![allow(clippy::duplicate_mod)]

#[path = "../fuzz/fuzz_targets/common.rs"]
mod common;
#[path = "../fuzz/fuzz_targets/decoders_run.rs"]
mod decoders_run;
#[path = "../fuzz/fuzz_targets/open_modify_run.rs"]
mod open_modify_run;
#[path = "../fuzz/fuzz_targets/open_read_run.rs"]
mod open_read_run;

use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn replay(sub: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(sub);
    let mut n = 0;
    for (target, run) in [
        ("api_ops", common::run_api_ops as fn(&[u8])),
        ("encoders", common::run_encoders as fn(&[u8])),
        ("decoders", decoders_run::run_decoders as fn(&[u8])),
        ("open_read", open_read_run::run_open_read as fn(&[u8])),
        ("open_modify", open_modify_run::run_open_modify as fn(&[u8])),
    ] {
        for path in inputs(&root.join(target)) {
            let data = std::fs::read(&path).unwrap();
            eprintln!("replaying {}", path.display());
            run(&data);
            n += 1;
        }
    }
    n
}

#[test]
fn regressions_and_seeds() {
    let n = replay("regressions") + replay("seeds");
    eprintln!("{n} inputs replayed");
}

/// The `open_read` seeds are valid files: each opens and reads whole
/// without an error (so the fuzzer starts from files that go deep).
#[test]
fn open_read_seeds_are_valid_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/open_read");
    let seeds = inputs(&root);
    assert!(seeds.len() >= 6, "{} seeds", seeds.len());
    for path in seeds {
        let w = open_read_run::open_and_walk(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(w.errors, 0, "{}", path.display());
    }
}

/// Deterministic pseudo-random inputs through the three interpreters: a little
/// fuzzing on stable, in every `cargo test`.
#[test]
fn pseudo_random_inputs() {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..400 {
        let len = 16 + (i * 37) % 600;
        let data: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        common::run_api_ops(&data);
        common::run_encoders(&data);
        decoders_run::run_decoders(&data);
    }
}

/// The `decoders` interpreter on pseudo-random inputs that cycle through
/// every decoder, and on each seed with one byte flipped at a time.
#[test]
fn pseudo_random_decoder_inputs() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for i in 0..2000usize {
        let len = 1 + (i * 53) % 700;
        let mut data: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        data[0] = (i % usize::from(decoders_run::DECODERS)) as u8;
        decoders_run::run_decoders(&data);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/decoders");
    for path in inputs(&root) {
        let seed = std::fs::read(&path).unwrap();
        for i in 1..seed.len().min(512) {
            let mut data = seed.clone();
            data[i] ^= 1 << (i % 8);
            decoders_run::run_decoders(&data);
        }
    }
}

/// Writes `fuzz/seeds/decoders/`: one or a few inputs per decoder, cut from
/// a file h5sink writes (groups, a chunked filtered dataset with a fill
/// value, compact and contiguous datasets, vlen strings, attributes).
/// `cargo test --test fuzz_smoke -- --ignored write_decoder_seeds`.
#[test]
#[ignore = "regenerates fuzz/seeds/decoders"]
fn write_decoder_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/decoders");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, data) in decoder_seeds::all() {
        decoders_run::run_decoders(&data);
        std::fs::write(dir.join(name), data).unwrap();
    }
}

#[path = "fuzz_smoke/decoder_seeds.rs"]
mod decoder_seeds;

#[test]
#[ignore = "reported h5sink bugs not fixed yet; see fuzz/README.md"]
fn open_findings() {
    std::env::set_var("H5SINK_FUZZ_KNOWN", "1");
    let n = replay("regressions/open");
    eprintln!("{n} open findings replayed without a panic");
}

/// Operation tails of the `open_modify` seeds: nothing, one of each
/// operation with fitting parameters, and a few mixed sequences.
fn open_modify_tails() -> Vec<(&'static str, u8, Vec<u8>)> {
    let mut x = 0x6a09_e667_f3bc_c908u64;
    let mut rnd = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    };
    vec![
        ("none", 0, vec![]),
        (
            "append",
            0,
            [vec![0, 0, 2, 1], rnd(64), vec![0, 1, 1, 1], rnd(64)].concat(),
        ),
        (
            "strings",
            0,
            vec![2, 0, 2, 3, 0, 1, 2, 2, 4, 5, 2, 1, 1, 3, 0],
        ),
        ("resize-flush", 0, vec![3, 0, 0, 3, 10, 3, 1, 0, 2]),
        ("write-rows", 0, [vec![4, 0, 0, 1, 1], rnd(32)].concat()),
        (
            "create",
            0,
            vec![
                5, 0, 5, 6, 0, 3, 2, 2, 3, 1, 1, 2, 1, 6, 0, 0, 1, 3, 0, 2, 4,
            ],
        ),
        (
            "attrs",
            0,
            vec![
                7, 1, 0, 3, 0, 2, 1, 2, 7, 0, 0, 12, 2, 8, 1, 0, 0, 1, 9, 9, 9,
            ],
        ),
        ("mixed", 0, rnd(200)),
        ("mixed-fault", 0x83, rnd(200)),
        ("mixed-torn", 0xa2, rnd(200)),
        ("mixed-kth", 0xe1, rnd(200)),
    ]
}

/// Writes `fuzz/seeds/open_modify/`: every `open_read` seed with each tail.
/// `cargo test --test fuzz_smoke -- --ignored write_open_modify_seeds`.
#[test]
#[ignore = "regenerates fuzz/seeds/open_modify"]
fn write_open_modify_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let dir = root.join("open_modify");
    std::fs::create_dir_all(&dir).unwrap();
    for path in inputs(&root.join("open_read")) {
        let image = std::fs::read(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        for (name, fault, tail) in open_modify_tails() {
            let data = open_modify_run::join(fault, &image, &tail);
            open_modify_run::run_open_modify(&data);
            std::fs::write(dir.join(format!("{stem}-{name}")), data).unwrap();
        }
    }
}

/// The `open_modify` interpreter on every `open_read` seed with
/// pseudo-random operation tails and faults.
#[test]
fn pseudo_random_open_modify_inputs() {
    let mut x = 0xbb67_ae85_84ca_a73bu64;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/open_read");
    for path in inputs(&root) {
        let image = std::fs::read(&path).unwrap();
        for i in 0..60usize {
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            };
            let fault = if i % 2 == 0 { 0 } else { next() | 0x80 };
            let tail: Vec<u8> = (0..8 + (i * 29) % 300).map(|_| next()).collect();
            open_modify_run::run_open_modify(&open_modify_run::join(fault, &image, &tail));
        }
    }
}

/// Replays one `open_modify` input (`H5SINK_REPLAY=FILE`), printing each
/// operation and error with `H5SINK_FUZZ_VERBOSE=1`:
/// `cargo test --test fuzz_smoke -- --ignored replay_open_modify --nocapture`.
#[test]
#[ignore = "replays the input H5SINK_REPLAY names"]
fn replay_open_modify() {
    let Some(p) = std::env::var_os("H5SINK_REPLAY") else {
        eprintln!("set H5SINK_REPLAY=FILE to replay an open_modify input");
        return;
    };
    open_modify_run::run_open_modify(&std::fs::read(p).unwrap());
}
