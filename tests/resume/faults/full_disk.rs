//! A real full disk (a 4 MiB tmpfs): `Error::Io` naming the path and
//! ENOSPC, flushed rows intact.

use super::stream::{labels, oracle, out_dir, rows, run_py};
use h5sink::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

// ------------------------------------------------------- a real full disk

struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn mount_tmpfs(dir: &Path, size: &str) -> Option<Mount> {
    let _ = Command::new("umount")
        .arg(dir)
        .stderr(Stdio::null())
        .status();
    std::fs::create_dir_all(dir).unwrap();
    let st = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::inherit())
        .status();
    match st {
        Ok(s) if s.success() => Some(Mount(dir.to_path_buf())),
        _ => None,
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Stream into a DatasetWriter on a 4 MiB tmpfs until it is full. Returns
/// the case line for crash_check.py.
fn fill_disk(dir: &Path, unlimited: bool) -> String {
    const LEN: usize = 256;
    const TOTAL: usize = 8192; // 8 MiB of f32 rows: twice the disk
    let path = dir.join("full.h5");
    let b = h5sink::DatasetWriter::<f32>::builder(&path, &[TOTAL, LEN]);
    let b = if unlimited {
        h5sink::DatasetWriter::<f32>::builder(&path, &[LEN]).unlimited()
    } else {
        b
    };
    let mut w = b.buf_size(64).create().unwrap();
    w.store_class_labels(&["cat", "dög", "horse"]).unwrap();
    let mut flushed = 0;
    let mut r = 0;
    let err = loop {
        assert!(r < 4 * TOTAL, "4x the disk's size written without an error");
        let res = w
            .add(&rows(r, r + 8, LEN), &labels(r, r + 8))
            .and_then(|_| if (r + 8) % 64 == 0 { w.flush() } else { Ok(()) });
        match res {
            Ok(()) => {
                r += 8;
                if r % 64 == 0 {
                    flushed = r;
                }
            }
            Err(e) => break e,
        }
        if !unlimited && r == TOTAL {
            panic!("the whole dataset fit on a 4 MiB disk");
        }
    };
    println!(
        "full disk ({}): {err}; {flushed} rows flushed",
        if unlimited { "unlimited" } else { "fixed" }
    );
    let msg = err.to_string();
    match &err {
        Error::Io {
            path: p, source, ..
        } => {
            assert_eq!(p, &path);
            assert_eq!(source.raw_os_error(), Some(28), "not ENOSPC: {source}");
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
    assert!(
        msg.contains(&path.display().to_string()) && msg.contains("No space left"),
        "{msg}"
    );
    assert!(flushed >= 64, "nothing flushed before the disk filled");
    match w.add(&rows(r, r + 8, LEN), &labels(r, r + 8)) {
        Err(Error::Poisoned { first, kind }) => {
            assert!(first.contains("No space left"), "{first}");
            assert_eq!(
                format!("{kind:?}"),
                "StorageFull",
                "the first failure's kind is kept"
            );
        }
        other => panic!("add after ENOSPC: {other:?}"),
    }
    assert!(matches!(w.flush(), Err(Error::Poisoned { .. })));
    assert!(matches!(w.close(), Err(Error::Poisoned { .. })));
    let total = if unlimited {
        "null".into()
    } else {
        TOTAL.to_string()
    };
    format!(
        r#"{{"file": "{}", "rows": {flushed}, "total_rows": {total}, "row_len": {LEN}, "key": "images", "class_names": ["cat", "dög", "horse"]}}"#,
        path.display()
    )
}

/// A real ENOSPC: `Error::Io` naming the path and the cause; every row
/// flushed before it intact in h5py. Also shows that `set_len` reserves
/// nothing: a 64 MiB `set_len` succeeds on the 4 MiB disk.
#[test]
fn full_disk_is_an_io_error_and_keeps_flushed_rows() {
    if !is_root() {
        println!("SKIP full_disk: not root, cannot mount a tmpfs (CI runs as root)");
        return;
    }
    let base = out_dir("faults_full_disk");
    let (a, b) = (base.join("fixed"), base.join("unlimited"));
    let Some(ma) = mount_tmpfs(&a, "4m") else {
        println!("SKIP full_disk: `mount -t tmpfs` failed (no CAP_SYS_ADMIN in this container?)");
        return;
    };
    let Some(mb) = mount_tmpfs(&b, "4m") else {
        println!("SKIP full_disk: `mount -t tmpfs` failed");
        return;
    };
    // set_len reserves no blocks: a sparse 64 MiB file fits on a 4 MiB disk.
    let sparse = a.join("sparse");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(64 << 20)
        .expect("set_len of 64 MiB on a 4 MiB tmpfs");
    std::fs::remove_file(&sparse).unwrap();
    let cases = [fill_disk(&a, false), fill_disk(&b, true)];
    let manifest = base.join("cases.json");
    std::fs::write(&manifest, format!("[{}]", cases.join(",\n"))).unwrap();
    let (ok, _) = run_py(&oracle("crash_check.py"), &[manifest.as_os_str()]);
    drop((ma, mb));
    assert!(ok, "flushed rows lost on a full disk");
}
