//! Hostile whole files through `File::open_storage` and every read (issue
//! 11): small valid files (`open_hostile/files.rs`) cut at every length,
//! with every single bit flipped, and with targeted edits
//! (`open_hostile/targeted.rs`); each open and walk returns `Ok` or a
//! specific error, never panics, and allocates at most
//! max(64 MiB, 4 x file size) in one piece (`open_hostile/alloc.rs`).

#[path = "open_hostile/alloc.rs"]
mod alloc;
#[path = "open_hostile/files.rs"]
mod files;
#[path = "open_hostile/layout.rs"]
mod layout;
#[path = "../../fuzz/fuzz_targets/open_read_run.rs"]
mod open_read_run;
#[path = "open_hostile/targeted.rs"]
mod targeted;
#[path = "open_hostile/targeted_data.rs"]
mod targeted_data;
#[path = "open_hostile/tracking.rs"]
mod tracking;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use h5sink::Error;
use open_read_run::{open_and_walk, Walk};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// The bound on one allocation while opening and reading `len` bytes.
pub fn alloc_bound(len: usize) -> usize {
    (64usize << 20).max(4 * len)
}

/// Open and walk `bytes` (what `what` names), checking the allocation
/// bound and turning a panic into a failure that names the input.
pub fn check(what: &str, bytes: &[u8]) -> Result<Walk, Error> {
    if std::env::var_os("OPEN_HOSTILE_TRACE").is_some() {
        eprintln!("{what}");
    }
    let (r, largest) =
        alloc::largest_during(|| catch_unwind(AssertUnwindSafe(|| open_and_walk(bytes))));
    let r = r.unwrap_or_else(|_| panic!("{what}: open and walk panicked"));
    assert!(
        largest <= alloc_bound(bytes.len()),
        "{what}: one allocation of {largest} bytes for a file of {} bytes",
        bytes.len()
    );
    r
}

#[test]
fn valid_files_open_and_read_without_errors() {
    for (name, bytes) in files::all() {
        let w = check(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(w.errors, 0, "{name}");
        assert!(w.objects >= 2, "{name}: {w:?}");
        let read = tracking::bytes_read(&bytes, true).len();
        println!("{name}: {} bytes, {read} read, {w:?}", bytes.len());
    }
}

#[test]
fn every_truncation() {
    let t = Instant::now();
    for (name, bytes) in files::all() {
        for n in 0..bytes.len() {
            if let Ok(w) = check(&format!("{name} cut to {n}"), &bytes[..n]) {
                println!("{name} cut to {n} opens: {w:?}");
            }
            // The same cut with the superblock's end of file moved to it:
            // every structure past the cut is then past the end of file.
            if n >= layout::SB_EOF + 8 {
                let mut b = bytes[..n].to_vec();
                layout::put_u64(&mut b, layout::SB_EOF, n as u64);
                let _ = check(&format!("{name} cut to {n}, eof {n}"), &b);
            }
        }
    }
    println!("every truncation: {:?}", t.elapsed());
}

/// `mutate(byte, i)` applied to each byte in `at` of `bytes`, one at a
/// time: each result opened and walked. Returns (total, opened).
fn mutations(
    name: &str,
    bytes: &[u8],
    at: &[usize],
    mutate: &dyn Fn(u8, usize) -> Vec<u8>,
) -> (usize, usize) {
    let (mut total, mut opened) = (0, 0);
    let mut b = bytes.to_vec();
    for &i in at {
        for v in mutate(bytes[i], i) {
            b[i] = v;
            if check(&format!("{name}: byte {i} set to {v:#04x}"), &b).is_ok() {
                opened += 1;
            }
            total += 1;
        }
        b[i] = bytes[i];
    }
    (total, opened)
}

/// One of the nine mutations of a byte (eight single-bit flips, or all
/// bits inverted), chosen by `k`.
fn one_of_nine(v: u8, k: usize) -> Vec<u8> {
    vec![if k % 9 == 8 {
        v ^ 0xff
    } else {
        v ^ (1 << (k % 9))
    }]
}

/// Each byte the open of `files` reads (their metadata: superblock,
/// headers, B-trees, heaps) changed once, by a single-bit flip or an
/// inversion in turn; each byte only the reads touch (data, global heaps)
/// at every eighth offset, inverted. The exhaustive runs are the ignored
/// tests below.
fn every_metadata_byte_changed(files: Vec<(&str, Vec<u8>)>) {
    let t = Instant::now();
    for (name, bytes) in files {
        let meta = tracking::bytes_read(&bytes, false);
        let (total, opened) = mutations(name, &bytes, &meta, &one_of_nine);
        let data: Vec<usize> = tracking::bytes_read(&bytes, true)
            .into_iter()
            .filter(|i| i % 8 == 0 && meta.binary_search(i).is_err())
            .collect();
        let (t2, o2) = mutations(name, &bytes, &data, &|v, _| vec![v ^ 0xff]);
        println!("{name}: {total} metadata and {t2} data bytes changed, {opened} + {o2} opened");
    }
    println!("every metadata byte changed: {:?}", t.elapsed());
}

#[test]
fn every_metadata_byte_changed_h5sink() {
    every_metadata_byte_changed(files::h5sink_files());
}

#[test]
fn every_metadata_byte_changed_h5py() {
    every_metadata_byte_changed(files::h5py_files());
}

/// Every byte a walk of each valid file reads, inverted (a change of a
/// byte no walk reads changes nothing the reader sees). About a minute.
#[test]
#[ignore = "exhaustive (about a minute in debug builds); every_metadata_byte_changed_* sample it"]
fn every_byte_inverted() {
    let t = Instant::now();
    for (name, bytes) in files::all() {
        let read = tracking::bytes_read(&bytes, true);
        let (total, opened) = mutations(name, &bytes, &read, &|v, _| vec![v ^ 0xff]);
        println!(
            "{name}: {total} of {} bytes inverted, {opened} opened",
            bytes.len()
        );
    }
    println!("every byte inverted: {:?}", t.elapsed());
}

/// Every single-bit flip of every byte the open of each valid file reads.
#[test]
#[ignore = "exhaustive (about three minutes in debug builds); every_metadata_byte_changed_* sample it"]
fn every_bit_flip_of_the_metadata() {
    let t = Instant::now();
    for (name, bytes) in files::all() {
        let read = tracking::bytes_read(&bytes, false);
        let flips = |v: u8, _| (0..8).map(|bit| v ^ (1 << bit)).collect();
        let (total, opened) = mutations(name, &bytes, &read, &flips);
        println!(
            "{name}: {total} bit flips of {} bytes, {opened} opened",
            read.len()
        );
    }
    println!("every bit flip of the metadata: {:?}", t.elapsed());
}

/// Writes `fuzz/seeds/open_read/`: the valid files of these tests.
/// `cargo test --test open -- --ignored open_hostile::write_open_read_seeds`.
#[test]
#[ignore = "regenerates fuzz/seeds/open_read"]
fn write_open_read_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/open_read");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in files::all() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
#[ignore = "timing aid"]
fn time_one_walk() {
    for (name, bytes) in files::all() {
        let t = Instant::now();
        for _ in 0..200 {
            check(name, &bytes).unwrap();
        }
        let walk = t.elapsed() / 200;
        let t = Instant::now();
        for _ in 0..200 {
            let m = h5sink::MemStorage::new();
            h5sink::Storage::write_at(&m, 0, &bytes).unwrap();
            h5sink::File::open_storage(m).unwrap();
        }
        println!("{name}: open+walk {walk:?}, open {:?}", t.elapsed() / 200);
    }
}
