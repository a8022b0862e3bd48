//! Commits are atomic: stop the storage after the k-th write since the last
//! commit (staging writes such as string heaps, then the flush itself), for
//! every k, and the bytes left must open in h5py (and pyfive, h5dump) with
//! exactly the old state or exactly the new one. The superblock write is the
//! switch: bytes whose superblock is unchanged must hold the old state, the
//! others the new state.

use crate::common;

use std::path::Path;

use crate::common::faults::{StopAfter, INJECTED};
use crate::common::{Data, Manifest};
use h5sink::{File, MemStorage, VarLenUnicode};

const ROWS: u64 = 40;
const COLS: u64 = 6;

/// A state of the file: `s` holds `strings`; `grow` adds what the
/// staged changes add.
fn state(m: &mut Manifest, strings: [&str; 2], grow: bool) {
    let rows = |seed| Data::RampRows {
        seed,
        rows_written: 20,
    };
    m.dataset_of::<f32>("images", &[ROWS, COLS], rows(1))
        .dataset_of::<i64>("labels", &[ROWS], rows(2))
        .group("g")
        .dataset_of::<u8>("g/x", &[3], Data::Ramp { seed: 3 })
        .dataset(
            "s",
            common::VLEN_STR,
            &[2],
            Data::Strings(strings.map(String::from).into()),
        );
    if grow {
        m.group("meta")
            .dataset_of::<i32>("meta/extra", &[5], Data::Ramp { seed: 4 })
            .dataset(
                "label_names",
                common::VLEN_STR,
                &[3],
                Data::Strings(vec!["cat".into(), "dög".into(), "".into()]),
            );
    }
}

/// Build and commit the old state.
fn prepare(f: &File) -> h5sink::Dataset {
    let images = f
        .new_dataset::<f32>()
        .shape(&[ROWS, COLS])
        .create("images")
        .unwrap();
    let labels = f
        .new_dataset::<i64>()
        .shape(&[ROWS])
        .create("labels")
        .unwrap();
    images
        .write_rows(0, &common::ramp::<f32>(0, (10 * COLS) as usize, 1))
        .unwrap();
    labels
        .write_rows(0, &common::ramp::<i64>(0, 10, 2))
        .unwrap();
    f.flush().unwrap();
    let g = f.create_group("g").unwrap();
    g.new_dataset::<u8>()
        .shape(&[3])
        .create("x")
        .unwrap()
        .write_raw(&common::ramp::<u8>(0, 3, 3))
        .unwrap();
    let s = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[2])
        .create("s")
        .unwrap();
    s.write_strings(&["first-a", "first-b"]).unwrap();
    f.flush().unwrap();
    // Same-size commits, so later ones reuse the space earlier ones freed.
    for i in 0..3 {
        s.write_strings(&[format!("v{i}-a"), format!("v{i}-b")])
            .unwrap();
        f.flush().unwrap();
    }
    s.write_strings(&["old-a", "old-b"]).unwrap();
    images
        .write_rows(10, &common::ramp::<f32>(10 * COLS, (10 * COLS) as usize, 1))
        .unwrap();
    labels
        .write_rows(10, &common::ramp::<i64>(10, 10, 2))
        .unwrap();
    f.flush().unwrap();
    s
}

/// The changes under test, then their commit. Once the storage stops, every
/// call fails; the errors are checked by the caller through `flush`.
fn stage_and_flush(f: &File, s: &h5sink::Dataset, grow: bool) -> h5sink::Result<()> {
    // A rewrite of committed strings: new heap and data block, switched at commit.
    s.write_strings(&["new-a", "new-b"])?;
    if grow {
        let meta = f.create_group("meta")?;
        meta.new_dataset::<i32>()
            .shape(&[5])
            .create("extra")?
            .write_raw(&common::ramp::<i32>(0, 5, 4))?;
        let names = f
            .new_dataset::<VarLenUnicode>()
            .shape(&[3])
            .create("label_names")?;
        names.write_strings(&["cat", "dög", ""])?;
    }
    f.flush()
}

/// Stage and flush with `k` operations allowed; returns the bytes left, the
/// superblock before, whether all succeeded, and the operations used.
fn run(k: u64, grow: bool) -> (Vec<u8>, Vec<u8>, bool, u64) {
    let s = StopAfter::unlimited();
    let f = File::with_storage(s.clone()).unwrap();
    let strings = prepare(&f);
    let before = s.to_vec();
    s.arm(k);
    let start = s.writes();
    let r = stage_and_flush(&f, &strings, grow);
    let used = s.writes() - start;
    let bytes = s.to_vec();
    if let Err(e) = &r {
        assert!(matches!(e, h5sink::Error::Io { .. }), "{e}");
        // A failed writer refuses further work, naming the first failure.
        let again = f.create_group("late").unwrap_err();
        assert!(matches!(again, h5sink::Error::Poisoned { .. }), "{again}");
        assert!(again.to_string().contains(INJECTED), "{again}");
    }
    drop(f);
    assert_eq!(
        s.to_vec(),
        bytes,
        "nothing may be written after a failure, not even on drop"
    );
    (bytes, before[..96].to_vec(), r.is_ok(), used)
}

fn write_case(dir: &Path, name: &str, bytes: &[u8], old: bool, grow: bool) {
    let mut m = Manifest::new(name);
    if old {
        state(&mut m, ["old-a", "old-b"], false);
    } else {
        state(&mut m, ["new-a", "new-b"], grow);
    }
    std::fs::write(m.h5_path(dir), bytes).unwrap();
    m.write(dir);
}

#[test]
fn stop_after_every_write_of_a_flush() {
    let dir = common::out_dir("commit_faults");
    for grow in [true, false] {
        let tag = if grow { "grow" } else { "same" };
        // Learn how many operations the staging and the flush take.
        let (full, _, ok, ops) = run(u64::MAX / 2, grow);
        assert!(ok);
        assert!(ops >= 3, "strings, metadata, then the superblock");
        write_case(&dir, &format!("{tag}_complete"), &full, false, grow);
        let (mut saw_old, mut saw_new) = (0, 0);
        for k in 0..ops {
            let (bytes, sb_before, ok, _) = run(k, grow);
            assert!(
                !ok,
                "staging and flush cannot succeed with {k} of {ops} operations"
            );
            let old = bytes[..96] == sb_before[..];
            if old {
                saw_old += 1;
            } else {
                saw_new += 1;
            }
            write_case(&dir, &format!("{tag}_stop_after_{k}"), &bytes, old, grow);
        }
        assert!(
            saw_old >= 2,
            "stops before the switch must leave the old state"
        );
        println!("{tag}: {ops} operations from the last commit to the end of the flush; {saw_old} stops left the old state, {saw_new} the new one");
        if !grow {
            // Same-size metadata lands in space an earlier commit freed.
            let (before, _, _, _) = run(0, grow);
            assert_eq!(
                full.len(),
                before.len(),
                "the commit should reuse freed space, not grow the file"
            );
        }
    }
    common::run_oracles(&dir);
}

/// Commits reuse the space of earlier commits: a file flushed after every
/// new member stays within a small factor of the same file committed once
/// (metadata arenas double when outgrown, so the dead copies form a
/// geometric series: at most a few times the final metadata, however many
/// commits there were).
#[test]
fn repeated_commits_do_not_grow_the_file_without_bound() {
    let build = |flush_each: bool| {
        let mem = MemStorage::new();
        let f = File::with_storage(mem.clone()).unwrap();
        let names = f
            .new_dataset::<VarLenUnicode>()
            .shape(&[2])
            .create("names")
            .unwrap();
        for i in 0..600 {
            let g = f.create_group(&format!("group{i:04}")).unwrap();
            g.new_dataset::<u8>().shape(&[4]).create("x").unwrap();
            if flush_each {
                names.write_strings(&[format!("n{i}"), "x".into()]).unwrap();
                f.flush().unwrap();
            }
        }
        names.write_strings(&["final", "x"]).unwrap();
        f.close().unwrap();
        mem.to_vec().len()
    };
    let once = build(false);
    let each = build(true);
    println!("600 members: {once} bytes committed once, {each} bytes with 600 commits");
    assert!(
        each < once * 8,
        "600 commits made {each} bytes, one commit {once}"
    );
}
