//! Durable commits (`File::sync`, `File::set_durable`,
//! `DatasetWriterBuilder::durable`): the order of writes and `fsync` calls
//! that makes a commit survive power loss, seen through a storage that logs
//! every call. Spec notes: `spec-notes/commit.md`.

use std::io;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use h5sink::{File, MemStorage, Storage};

#[derive(Clone, Debug, PartialEq)]
enum Op {
    Write { offset: u64, len: usize },
    SetLen(u64),
    Sync,
}

/// Memory storage that logs each call, and can fail its n-th sync.
#[derive(Clone, Default)]
struct Logged {
    mem: MemStorage,
    log: Arc<Mutex<Vec<Op>>>,
    fail_sync: Arc<Mutex<Option<usize>>>,
}

impl Logged {
    fn ops(&self) -> Vec<Op> {
        self.log.lock().unwrap().clone()
    }
    fn clear(&self) {
        self.log.lock().unwrap().clear();
    }
}

impl Storage for Logged {
    fn write_at(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.log.lock().unwrap().push(Op::Write {
            offset,
            len: data.len(),
        });
        self.mem.write_at(offset, data)
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        self.log.lock().unwrap().push(Op::SetLen(len));
        self.mem.set_len(len)
    }
    fn len(&self) -> io::Result<u64> {
        self.mem.len()
    }
    fn sync(&self) -> io::Result<()> {
        let syncs = self
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|o| **o == Op::Sync)
            .count();
        if *self.fail_sync.lock().unwrap() == Some(syncs) {
            return Err(io::Error::other("disk gone"));
        }
        self.log.lock().unwrap().push(Op::Sync);
        Ok(())
    }
    fn describe(&self) -> PathBuf {
        PathBuf::from("<logged>")
    }
}

const SUPERBLOCK: Op = Op::Write { offset: 0, len: 96 };

fn superblock_writes(ops: &[Op]) -> Vec<usize> {
    ops.iter()
        .enumerate()
        .filter(|(_, o)| **o == SUPERBLOCK)
        .map(|(i, _)| i)
        .collect()
}

/// Every superblock write is the only write between two syncs.
fn assert_barriers(ops: &[Op]) {
    let sbs = superblock_writes(ops);
    assert!(!sbs.is_empty(), "no superblock write in {ops:?}");
    for i in sbs {
        assert!(
            i > 0 && ops[i - 1] == Op::Sync,
            "no sync before the superblock at {i}: {ops:?}"
        );
        assert_eq!(
            ops.get(i + 1),
            Some(&Op::Sync),
            "no sync after the superblock at {i}: {ops:?}"
        );
    }
    assert_eq!(
        ops.last(),
        Some(&Op::Sync),
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
    let s = Logged::default();
    let file = File::with_storage(s.clone()).unwrap();
    some_work(&file, "a").unwrap();
    file.flush().unwrap();
    file.close().unwrap();
    let ops = s.ops();
    assert_eq!(superblock_writes(&ops).len(), 2, "{ops:?}");
    assert!(!ops.contains(&Op::Sync), "{ops:?}");
}

#[test]
fn durable_commits_put_the_superblock_between_two_syncs() {
    let s = Logged::default();
    let file = File::with_storage(s.clone()).unwrap();
    file.set_durable(true);
    s.clear(); // creation's commit was not durable
    for name in ["a", "b", "c"] {
        some_work(&file, name).unwrap();
        file.flush().unwrap();
    }
    file.close().unwrap();
    let ops = s.ops();
    // Three flushes; close had nothing left to commit.
    assert_eq!(superblock_writes(&ops).len(), 3, "{ops:?}");
    assert_barriers(&ops);
}

#[test]
fn sync_commits_durably_once_and_then_only_syncs() {
    let s = Logged::default();
    let file = File::with_storage(s.clone()).unwrap();
    some_work(&file, "a").unwrap();
    file.flush().unwrap();
    assert!(!s.ops().contains(&Op::Sync));
    s.clear();

    some_work(&file, "b").unwrap();
    file.sync().unwrap();
    let ops = s.ops();
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
        s.ops(),
        [
            Op::Write {
                offset: s.ops()[0].offset(),
                len: 80
            },
            Op::Sync
        ]
    );

    // set_durable(false) is the default again; sync() stays durable.
    s.clear();
    some_work(&file, "c").unwrap();
    file.flush().unwrap();
    assert!(!s.ops().contains(&Op::Sync));
    file.close().unwrap();
}

impl Op {
    fn offset(&self) -> u64 {
        match self {
            Op::Write { offset, .. } => *offset,
            _ => u64::MAX,
        }
    }
}

#[test]
fn a_failed_sync_before_the_switch_keeps_the_old_superblock() {
    let s = Logged::default();
    let file = File::with_storage(s.clone()).unwrap();
    some_work(&file, "a").unwrap();
    file.flush().unwrap();
    let before = s.mem.to_vec()[..96].to_vec();
    file.set_durable(true);
    *s.fail_sync.lock().unwrap() = Some(0); // the first sync fails
    s.clear();
    some_work(&file, "b").unwrap();
    let err = file.flush().unwrap_err();
    match &err {
        h5sink::Error::Io {
            path,
            action,
            source,
        } => {
            assert_eq!(path, &PathBuf::from("<logged>"));
            assert!(action.contains("before the superblock switch"), "{action}");
            assert_eq!(source.to_string(), "disk gone");
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
    assert!(!s.ops().contains(&SUPERBLOCK), "{:?}", s.ops());
    assert_eq!(s.mem.to_vec()[..96], before[..], "the superblock changed");
    assert!(matches!(file.flush(), Err(h5sink::Error::Poisoned { .. })));
}

#[test]
fn a_failed_sync_after_the_switch_poisons_the_file() {
    let s = Logged::default();
    let file = File::with_storage(s.clone()).unwrap();
    file.set_durable(true);
    *s.fail_sync.lock().unwrap() = Some(1); // creation's second sync
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
            .buf_size(100);
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
/// `buf_size` rows, and each of those commits is durable (chunks written
/// between commits are not referenced yet). A plain writer never syncs.
#[test]
fn durable_writers_sync_every_flush() {
    for unlimited in [false, true] {
        for durable in [false, true] {
            let s = Logged::default();
            let dims: &[u64] = if unlimited { &[16] } else { &[1000, 16] };
            let mut b = h5sink::DatasetWriter::<f32>::with_storage(s.clone(), dims).buf_size(100);
            if unlimited {
                b = b.unlimited().chunk(&[50, 16]);
            }
            if durable {
                b = b.durable();
            }
            let mut w = b.create().unwrap();
            let created = s.ops().len();
            let mut flushes = 0;
            for batch in 0..9 {
                let before = s.ops().len();
                w.add(&vec![batch as f32; 70 * 16], &[batch as i64; 70])
                    .unwrap();
                let ops = s.ops();
                let wrote = ops[before..].iter().any(|o| matches!(o, Op::Write { .. }));
                let committed = ops[before..].contains(&SUPERBLOCK);
                if (unlimited && committed) || (!unlimited && wrote) {
                    flushes += 1;
                    if durable {
                        assert_eq!(
                            ops.last(),
                            Some(&Op::Sync),
                            "unlimited = {unlimited}: {:?}",
                            &ops[before..]
                        );
                    }
                }
            }
            assert!(flushes >= 4, "unlimited = {unlimited}: {flushes} flushes");
            w.close().unwrap();
            let ops = s.ops();
            if durable {
                // Contiguous: nothing to commit after creation, only syncs.
                if unlimited {
                    assert_barriers(&ops[created..]);
                }
                assert_eq!(ops.last(), Some(&Op::Sync), "unlimited = {unlimited}");
            } else {
                assert!(!ops.contains(&Op::Sync), "unlimited = {unlimited}");
            }
        }
    }
}
