//! Hostile whole files through `File::open_storage` and every read (issue
//! 11): small valid files (`open_hostile/files.rs`) cut at every length,
//! with every single bit flipped, and with targeted edits
//! (`open_hostile/targeted.rs`); each open and walk returns `Ok` or a
//! specific error, never panics, and allocates at most
//! max(64 MiB, 4 x file size) in one piece (`open_hostile/alloc.rs`).

#[path = "../fuzz/fuzz_targets/open_read_run.rs"]
mod open_read_run;
#[path = "open_hostile/alloc.rs"]
mod alloc;
#[path = "open_hostile/files.rs"]
mod files;
#[path = "open_hostile/layout.rs"]
mod layout;
#[path = "open_hostile/targeted.rs"]
mod targeted;

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
    let (r, largest) = alloc::largest_during(|| catch_unwind(AssertUnwindSafe(|| open_and_walk(bytes))));
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
        println!("{name}: {} bytes, {w:?}", bytes.len());
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

#[test]
fn every_bit_flip() {
    let t = Instant::now();
    let (mut opened, mut total) = (0, 0);
    for (name, bytes) in files::all() {
        let mut b = bytes.clone();
        for i in 0..bytes.len() {
            for bit in 0..8 {
                b[i] ^= 1 << bit;
                if check(&format!("{name} byte {i} bit {bit}"), &b).is_ok() {
                    opened += 1;
                }
                b[i] ^= 1 << bit;
                total += 1;
            }
        }
    }
    println!("{total} bit flips, {opened} opened: {:?}", t.elapsed());
}

#[test]
#[ignore = "debugging aid"]
fn dump_files() {
    for (name, bytes) in files::all() {
        std::fs::write(format!("/tmp/hostile-dbg/{name}"), bytes).unwrap();
    }
}
