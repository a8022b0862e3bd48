//! Hostile paths on disk: an existing path, symlinks, a missing or
//! unwritable directory, a directory as the path.

use super::helpers::{expect, tmp};
use h5sink::{DatasetWriter, Error, File};
use std::process::Command;

// ----------------------------------------------------------------- paths

#[test]
fn existing_path_is_not_touched() {
    let d = tmp("existing");
    let p = d.join("f.h5");
    std::fs::write(&p, b"precious").unwrap();
    expect(File::create(&p), |e| matches!(e, Error::Exists { .. }));
    expect(DatasetWriter::<f32>::create(&p, &[1, 1]), |e| {
        matches!(e, Error::Exists { .. })
    });
    assert_eq!(std::fs::read(&p).unwrap(), b"precious");
}

#[test]
fn dangling_symlink_at_the_path() {
    let d = tmp("dangling");
    let p = d.join("f.h5");
    let target = d.join("target.h5");
    std::os::unix::fs::symlink(&target, &p).unwrap();
    expect(File::create(&p), |e| matches!(e, Error::Exists { .. }));
    assert!(!target.exists(), "the symlink's target was created");
    assert!(std::fs::symlink_metadata(&p)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn symlink_to_an_existing_file() {
    let d = tmp("symlink");
    let p = d.join("f.h5");
    let target = d.join("target.h5");
    std::fs::write(&target, b"precious").unwrap();
    std::os::unix::fs::symlink(&target, &p).unwrap();
    expect(File::create(&p), |e| matches!(e, Error::Exists { .. }));
    assert_eq!(std::fs::read(&target).unwrap(), b"precious");
}

#[test]
fn directory_that_does_not_exist() {
    let d = tmp("missing_dir");
    let p = d.join("no/such/dir/f.h5");
    let msg = expect(File::create(&p), |e| {
        matches!(e, Error::Io { path, source, .. }
            if path == &p && source.kind() == std::io::ErrorKind::NotFound)
    });
    assert!(msg.contains("no/such/dir/f.h5"), "{msg}");
}

#[test]
fn path_is_a_directory() {
    let d = tmp("is_dir");
    expect(File::create(&d), |e| matches!(e, Error::Exists { .. }));
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[test]
fn directory_not_writable() {
    let d = tmp("readonly");
    let ro = d.join("ro");
    std::fs::create_dir_all(&ro).unwrap();
    let mounted = if is_root() {
        // Root bypasses permission bits: use a read-only mount instead.
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs"])
            .arg(&ro)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            println!(
                "SKIP directory_not_writable: root ignores chmod 0o500 and `mount -o ro` failed"
            );
            return;
        }
        true
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        false
    };
    let p = ro.join("f.h5");
    let r = File::create(&p);
    if mounted {
        let _ = Command::new("umount").arg(&ro).status();
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let msg = expect(r, |e| {
        matches!(e, Error::Io { path, source, .. }
            if path == &p && (source.raw_os_error() == Some(30) || source.kind() == std::io::ErrorKind::PermissionDenied))
    });
    assert!(msg.contains("creating the file"), "{msg}");
}
