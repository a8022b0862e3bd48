//! Durable commits (`File::sync`, `File::set_durable`,
//! `DatasetWriterBuilder::durable`): the order of writes and `fsync` calls
//! that makes a commit survive power loss, seen through a storage that logs
//! every call. Spec notes: `spec-notes/commit.md`.

use crate::common::faults;

use faults::{Call, Logged, StopAfter, INJECTED};
use h5sink::{File, Storage};

/// Memory storage that logs each call, and can fail its syncs.
fn logged() -> Logged<StopAfter> {
    Logged::new(StopAfter::unlimited())
}

const SUPERBLOCK: Call = Call::Write { offset: 0, len: 96 };

fn superblock_writes(ops: &[Call]) -> Vec<usize> {
    ops.iter()
        .enumerate()
        .filter(|(_, o)| **o == SUPERBLOCK)
        .map(|(i, _)| i)
        .collect()
}

/// Every superblock write is the only write between two syncs.
fn assert_barriers(ops: &[Call]) {
    let sbs = superblock_writes(ops);
    assert!(!sbs.is_empty(), "no superblock write in {ops:?}");
    for i in sbs {
        assert!(
            i > 0 && ops[i - 1] == Call::Sync,
            "no sync before the superblock at {i}: {ops:?}"
        );
        assert_eq!(
            ops.get(i + 1),
            Some(&Call::Sync),
            "no sync after the superblock at {i}: {ops:?}"
        );
    }
    assert_eq!(
        ops.last(),
        Some(&Call::Sync),
        "a write after the last sync: {ops:?}"
    );
}

fn some_work(file: &File, name: &str) -> h5sink::Result<()> {
    let ds = file.new_dataset::<f64>().shape(&[100_000]).create(name)?;
    ds.write_raw(&vec![1.5f64; 100_000])?;
    file.create_group(&format!("{name}_group"))?;
    Ok(())
}

#[test]
fn commits_do_not_sync_by_default() {
    let s = logged();
    let file = File::with_storage(s.clone()).unwrap();
    some_work(&file, "a").unwrap();
    file.flush().unwrap();
    file.close().unwrap();
    let ops = s.calls();
    assert_eq!(superblock_writes(&ops).len(), 2, "{ops:?}");
    assert!(!ops.contains(&Call::Sync), "{ops:?}");
}

#[test]
fn durable_commits_put_the_superblock_between_two_syncs() {
    let s = logged();
    let file = File::with_storage(s.clone()).unwrap();
    file.set_durable(true);
    s.clear(); // creation's commit was not durable
    for name in ["a", "b", "c"] {
        some_work(&file, name).unwrap();
        file.flush().unwrap();
    }
    file.close().unwrap();
    let ops = s.calls();
    // Three flushes; close had nothing left to commit.
    assert_eq!(superblock_writes(&ops).len(), 3, "{ops:?}");
    assert_barriers(&ops);
}

#[test]
fn sync_commits_durably_once_and_then_only_syncs() {
    let s = logged();
    let file = File::with_storage(s.clone()).unwrap();
    some_work(&file, "a").unwrap();
    file.flush().unwrap();
    assert!(!s.calls().contains(&Call::Sync));
    s.clear();

    some_work(&file, "b").unwrap();
    file.sync().unwrap();
    let ops = s.calls();
    assert_eq!(superblock_writes(&ops).len(), 1, "{ops:?}");
    assert_barriers(&ops);

    // Nothing to commit: rows written in place are synced, nothing else.
    s.clear();
    file.dataset("a")
        .unwrap()
        .write_rows(0, &[2.5f64; 10])
        .unwrap();
    file.sync().unwrap();
    assert_eq!(
        s.calls(),
        [
            Call::Write {
                offset: s.calls()[0].offset(),
                len: 80
            },
            Call::Sync
        ]
    );

    // set_durable(false) is the default again; sync() stays durable.
    s.clear();
    some_work(&file, "c").unwrap();
    file.flush().unwrap();
    assert!(!s.calls().contains(&Call::Sync));
    file.close().unwrap();
}

impl Call {
    fn offset(&self) -> u64 {
        match self {
            Call::Write { offset, .. } => *offset,
            _ => u64::MAX,
        }
    }
}

#[test]
fn a_failed_sync_before_the_switch_keeps_the_old_superblock() {
    let s = logged();
    let file = File::with_storage(s.clone()).unwrap();
    some_work(&file, "a").unwrap();
    file.flush().unwrap();
    let before = s.inner().to_vec()[..96].to_vec();
    file.set_durable(true);
    s.inner().fail_syncs_after(0); // the first sync fails
    s.clear();
    some_work(&file, "b").unwrap();
    let err = file.flush().unwrap_err();
    match &err {
        h5sink::Error::Io {
            path,
            action,
            source,
        } => {
            assert_eq!(path, &s.describe());
            assert!(action.contains("before the superblock switch"), "{action}");
            assert_eq!(source.to_string(), INJECTED);
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
    assert!(!s.calls().contains(&SUPERBLOCK), "{:?}", s.calls());
    assert_eq!(
        s.inner().to_vec()[..96],
        before[..],
        "the superblock changed"
    );
    assert!(matches!(file.flush(), Err(h5sink::Error::Poisoned { .. })));
}

#[test]
fn a_failed_sync_after_the_switch_poisons_the_file() {
    let s = logged();
    let file = File::with_storage(s.clone()).unwrap();
    file.set_durable(true);
    s.inner().fail_syncs_after(1); // creation's second sync
    some_work(&file, "a").unwrap();
    let err = file.flush().unwrap_err();
    assert!(
        matches!(&err, h5sink::Error::Io { action, .. } if action == "syncing the superblock to disk"),
        "{err:?}"
    );
    assert!(matches!(file.close(), Err(h5sink::Error::Poisoned { .. })));
}

/// Durable commits change when bytes reach the disk, never which bytes:
/// a durable writer's file equals a plain one's, byte for byte.
#[test]
fn durable_writers_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for unlimited in [false, true] {
        let mut files = Vec::new();
        for durable in [false, true] {
            let path = dir.path().join(format!("w-{unlimited}-{durable}.h5"));
            let mut b = h5sink::DatasetWriter::<f32>::builder(
                &path,
                &[if unlimited { 64 } else { 1000 }, 64][usize::from(unlimited)..],
            )
            .buf_size(100)
            // Space reuse that does not depend on timing: the same bytes.
            .reader_grace(std::time::Duration::ZERO);
            if unlimited {
                b = b.unlimited().chunk(&[50, 64]).deflate(1);
            }
            if durable {
                b = b.durable();
            }
            let mut w = b.create().unwrap();
            for batch in 0..9 {
                let rows: Vec<f32> = (0..70 * 64).map(|i| (batch * 70 * 64 + i) as f32).collect();
                w.add(&rows, &[batch as i64; 70]).unwrap();
                if batch == 4 {
                    w.flush().unwrap();
                }
            }
            w.store_class_labels(&["cat", "dog"]).unwrap();
            w.close().unwrap();
            files.push(std::fs::read(&path).unwrap());
        }
        assert_eq!(files[0], files[1], "unlimited = {unlimited}");
    }
}

/// A durable writer: rows written in place (contiguous) are synced before
/// `add` returns; chunked rows become part of the file at a commit every
/// `buf_size` rows (at the end of the chunk row they end in), and each of
/// those commits is durable (chunks written
/// between commits are not referenced yet). A plain writer never syncs.
#[test]
fn durable_writers_sync_every_flush() {
    for unlimited in [false, true] {
        for durable in [false, true] {
            let s = logged();
            let dims: &[u64] = if unlimited { &[16] } else { &[1000, 16] };
            let mut b = h5sink::DatasetWriter::<f32>::with_storage(s.clone(), dims).buf_size(100);
            if unlimited {
                b = b.unlimited().chunk(&[50, 16]);
            }
            if durable {
                b = b.durable();
            }
            let mut w = b.create().unwrap();
            let created = s.calls().len();
            let mut flushes = 0;
            for batch in 0..9 {
                let before = s.calls().len();
                w.add(&vec![batch as f32; 70 * 16], &[batch as i64; 70])
                    .unwrap();
                let ops = s.calls();
                let wrote = ops[before..]
                    .iter()
                    .any(|o| matches!(o, Call::Write { .. }));
                let committed = ops[before..].contains(&SUPERBLOCK);
                if (unlimited && committed) || (!unlimited && wrote) {
                    flushes += 1;
                    if durable && unlimited {
                        // The commit may fall inside the add (at the end of
                        // a chunk row), chunks of later rows written after.
                        let add = &ops[before..];
                        for i in superblock_writes(add) {
                            assert!(
                                i > 0
                                    && add[i - 1] == Call::Sync
                                    && add.get(i + 1) == Some(&Call::Sync),
                                "batch {batch}: the commit at {i} is not between syncs: {add:?}"
                            );
                        }
                    } else if durable {
                        assert_eq!(
                            ops.last(),
                            Some(&Call::Sync),
                            "batch {batch}: {:?}",
                            &ops[before..]
                        );
                    }
                }
            }
            assert!(flushes >= 4, "unlimited = {unlimited}: {flushes} flushes");
            w.close().unwrap();
            let ops = s.calls();
            if durable {
                // Contiguous: nothing to commit after creation, only syncs.
                if unlimited {
                    assert_barriers(&ops[created..]);
                }
                assert_eq!(ops.last(), Some(&Call::Sync), "unlimited = {unlimited}");
            } else {
                assert!(!ops.contains(&Call::Sync), "unlimited = {unlimited}");
            }
        }
    }
}
