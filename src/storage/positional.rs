//! The platform-specific parts of [`FileStorage`](super::FileStorage):
//! positional reads and writes, and syncing the directory that holds a new
//! file.
//! Spec notes: `spec-notes/commit.md` (durable commits).

use std::fs::File;
use std::io;
use std::path::Path;

/// Write all of `data` at `offset` without moving a shared file cursor.
#[cfg(unix)]
pub fn write_all_at(f: &File, offset: u64, data: &[u8]) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.write_all_at(data, offset)
}

/// Write all of `data` at `offset` without moving a shared file cursor.
#[cfg(windows)]
pub fn write_all_at(f: &File, mut offset: u64, mut data: &[u8]) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !data.is_empty() {
        let n = f.seek_write(data, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        data = &data[n..];
        offset += n as u64;
    }
    Ok(())
}

/// Write all of `data` at `offset`.
#[cfg(not(any(unix, windows)))]
pub fn write_all_at(f: &File, offset: u64, data: &[u8]) -> io::Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    // No positional write on this platform: seek + write on a shared handle.
    // h5sink serialises metadata writes; concurrent row writes are not
    // supported here.
    let mut f = f;
    f.seek(SeekFrom::Start(offset))?;
    f.write_all(data)
}

/// `fsync` the directory holding `path`, so that a newly created file's name
/// is durable (POSIX leaves it to the directory, not the file). A file system
/// that cannot sync a directory (`EINVAL`) has nothing more to make durable.
#[cfg(unix)]
pub fn read_exact_at(f: &File, offset: u64, buf: &mut [u8]) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.read_exact_at(buf, offset)
}

#[cfg(windows)]
pub fn read_exact_at(f: &File, mut offset: u64, mut buf: &mut [u8]) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        let n = f.seek_read(buf, offset)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        offset += n as u64;
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
pub fn read_exact_at(f: &File, offset: u64, buf: &mut [u8]) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = f;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

#[cfg(unix)]
pub fn sync_parent_dir(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match File::open(dir)?.sync_all() {
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => Ok(()),
        r => r,
    }
}

/// Directories cannot be opened for syncing here; the file's own sync is
/// all the platform offers.
#[cfg(not(unix))]
pub fn sync_parent_dir(_path: &Path) -> io::Result<()> {
    Ok(())
}
