//! Injected storage failures: every mutating call of a scenario failed (and
//! torn) in turn, `len` and `sync` failures, and out of memory.

use super::helpers::{
    assert_injected_io, assert_poisoned, fails, faulty, never_failing, save, says, Faulty,
};
use crate::common::faults::Call;
use crate::common::{ramp, Data, Manifest, VLEN_STR};
use h5sink::{Dataset, Error, File, MemStorage, VarLenUnicode};
use std::io;
use std::path::Path;

// ---------------------------------------------- injected storage failures

/// A scenario of five steps over a [`Faulty`] storage; each ends with the
/// file in a new state on disk (see [`steps_state`]).
#[derive(Default)]
struct Steps {
    f: Option<File>,
    a: Option<Dataset>,
    s: Option<Dataset>,
}

const STEPS: usize = 5;

impl Steps {
    fn file(&self) -> &File {
        self.f.as_ref().expect("file open")
    }

    fn step(&mut self, st: &Faulty, i: usize) -> h5sink::Result<()> {
        st.tag(i);
        match i {
            // The file itself: its first commit.
            0 => self.f = Some(File::with_storage(st.clone())?),
            // New members, two rows of `a`, commit.
            1 => {
                let f = self.file();
                f.create_group("g")?;
                let a = f.new_dataset::<i32>().shape(&[4, 3]).create("a")?;
                self.a = Some(a.clone());
                a.write_rows(0, &ramp::<i32>(0, 6, 1))?;
                self.file().flush()?;
            }
            // The other rows of the committed `a`, straight to the file.
            2 => {
                let a = self.a.as_ref().expect("a");
                a.write_rows(2, &ramp::<i32>(6, 6, 1))?;
            }
            // Strings and a never-written dataset, commit.
            3 => {
                let g = self.file().create_group("g2")?;
                let s = g.new_dataset::<VarLenUnicode>().shape(&[2]).create("s")?;
                self.s = Some(s.clone());
                s.write_strings(&["x", "yy"])?;
                let f = self.file();
                f.new_dataset::<u16>().shape(&[5]).create("z")?;
                f.flush()?;
            }
            // Strings rewritten, one more dataset, close.
            _ => {
                let s = self.s.as_ref().expect("s");
                s.write_strings(&["new", "newer ü"])?;
                let b = self.file().new_dataset::<f64>().shape(&[3]).create("b")?;
                b.write_raw(&ramp::<f64>(0, 3, 2))?;
                self.f.take().expect("file open").close()?;
            }
        }
        Ok(())
    }
}

/// What the file holds once `done` steps completed.
fn steps_state(m: &mut Manifest, done: usize) {
    if done >= 2 {
        let a = if done == 2 {
            Data::RampRows {
                seed: 1,
                rows_written: 2,
            }
        } else {
            Data::Ramp { seed: 1 }
        };
        m.group("g").dataset_of::<i32>("a", &[4, 3], a);
    }
    if done >= 4 {
        let s: Vec<String> = if done == 4 {
            vec!["x".into(), "yy".into()]
        } else {
            vec!["new".into(), "newer ü".into()]
        };
        m.group("g2")
            .dataset("g2/s", VLEN_STR, &[2], Data::Strings(s))
            .dataset_of::<u16>("z", &[5], Data::Null)
            // h5sink reserves z's block at create; h5py allocates on first write.
            .no_twin();
    }
    if done >= 5 {
        m.dataset_of::<f64>("b", &[3], Data::Ramp { seed: 2 });
    }
}

/// Checks the message of the I/O error of op `op`: the action and its numbers.
fn says_action(e: &Error, op: Call) {
    match op {
        Call::Write { offset: 0, .. } => says(e, &["writing the superblock".into()]),
        Call::Write { offset, len } => says(
            e,
            &[
                format!("writing {len} bytes"),
                format!("at offset {offset}"),
            ],
        ),
        Call::SetLen(len) => says(e, &[format!("extending the file to {len} bytes")]),
        Call::Sync => panic!("the scenario does not sync"),
    }
}

/// Fails every mutating storage call of the scenario in turn. The failing
/// call's step returns `Error::Io` naming the storage, the action and its
/// numbers; every later call returns `Error::Poisoned` quoting it, and no
/// further call reaches the storage; the bytes left hold exactly the state
/// of the last completed step. `torn`: the failing write also scribbles over
/// its range first (skipped for the superblock and for rows written into a
/// committed dataset, whose bytes a torn write legitimately damages).
pub(crate) fn case_storage_failures(dir: &Path, torn: bool) {
    let probe = never_failing();
    let mut run = Steps::default();
    for i in 0..STEPS {
        run.step(&probe, i).unwrap();
    }
    let ops = probe.tagged();
    assert!(
        ops.iter().any(|(_, o)| matches!(o, Call::SetLen(_))),
        "the scenario must grow the file with set_len at least once: {ops:?}"
    );
    let mut checked = 0;
    for (k, &(step, op)) in ops.iter().enumerate() {
        let skip = torn && matches!(op, Call::SetLen(_) | Call::Write { offset: 0, .. });
        if skip || (torn && step == 2) {
            continue;
        }
        let name = format!("io_{}_{k}", if torn { "torn" } else { "fail" });
        let st = faulty(k, torn);
        let mut run = Steps::default();
        let (done, e) = (0..STEPS)
            .find_map(|i| run.step(&st, i).err().map(|e| (i, e)))
            .unwrap_or_else(|| panic!("{name}: no step failed"));
        assert_eq!(done, step, "{name}: failed in the step of op {k}");
        assert_injected_io(&e, &st);
        says_action(&e, op);

        // Poisoned from now on, through every handle; nothing reaches the storage.
        if let Some(a) = &run.a {
            assert_poisoned(fails(a.write_rows(0, &[0i32; 3]), "write_rows"), &e);
        }
        if let Some(s) = &run.s {
            assert_poisoned(fails(s.write_strings(&["p", "q"]), "write_strings"), &e);
        }
        if let Some(f) = run.f.take() {
            assert_poisoned(fails(f.create_group("late"), "create_group"), &e);
            assert_poisoned(fails(f.flush(), "flush"), &e);
            assert_poisoned(fails(f.sync(), "sync"), &e);
            assert_poisoned(fails(f.close(), "close"), &e);
        }
        drop(run);
        assert_eq!(
            st.calls().len(),
            k + 1,
            "{name}: storage used after the failure"
        );

        if done == 0 {
            continue; // no file was made: nothing valid to read
        }
        let mut m = Manifest::new(&name);
        steps_state(&mut m, done);
        save(dir, &m, &st.inner().to_vec());
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} failure points checked");
}

/// `len` failing during a commit, and `sync` failing at its first barrier
/// (before the superblock switch): both `Error::Io` with their action, both
/// poison the file, and the file holds its last commit, without the group
/// the failed call would have committed.
pub(crate) fn case_len_and_sync_failures(dir: &Path) {
    for (name, what) in [
        ("io_len", "reading the file length"),
        ("io_sync", "syncing"),
    ] {
        let st = never_failing();
        let mut run = Steps::default();
        for i in 0..3 {
            run.step(&st, i).unwrap();
        }
        let f = run.file();
        f.create_group("late").unwrap();
        let e = if name == "io_len" {
            st.inner().fail_len();
            expect!(f.flush(), Error::Io { .. }, [what])
        } else {
            st.inner().fail_syncs_after(0);
            expect!(f.sync(), Error::Io { .. }, [what])
        };
        assert_injected_io(&e, &st);
        assert_poisoned(fails(f.flush(), "flush"), &e);
        let mut m = Manifest::new(name);
        steps_state(&mut m, 3);
        drop(run);
        save(dir, &m, &st.inner().to_vec());
    }
}

/// A failure from a huge dataset that memory cannot hold: the file keeps
/// its last commit.
pub(crate) fn case_out_of_memory(dir: &Path) {
    let mut m = Manifest::new("io_out_of_memory");
    let mem = MemStorage::new();
    let f = File::with_storage(mem.clone()).unwrap();
    let x = f.new_dataset::<i64>().shape(&[3]).create("x").unwrap();
    x.write_raw(&ramp::<i64>(0, 3, 9)).unwrap();
    f.flush().unwrap();
    // 4 EiB of zeros cannot be held in memory: an I/O error, never an abort.
    f.new_dataset::<u8>()
        .shape(&[1u64 << 62])
        .create("huge")
        .unwrap();
    let e = expect!(f.flush(), Error::Io { .. }, ["<memory>", "bytes"]);
    assert!(matches!(&e, Error::Io { source, .. } if source.kind() == io::ErrorKind::OutOfMemory));
    assert_poisoned(fails(x.write_rows(0, &[1i64]), "write_rows"), &e);
    assert_poisoned(fails(f.close(), "close"), &e);
    m.dataset_of::<i64>("x", &[3], Data::Ramp { seed: 9 });
    save(dir, &m, &mem.to_vec());
}
