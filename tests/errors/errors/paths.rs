//! Paths refused by `File::create` and `DatasetWriter::create`: an existing
//! path, a dangling symlink, a missing directory.

use super::helpers::assert_absent;
use h5sink::{DatasetWriter, Error, File};
use std::io;
use std::path::Path;

// ------------------------------------------- cases checked by real readers

/// `File::create` and `DatasetWriter::create` never touch an existing path,
/// whatever is there.
pub(crate) fn case_existing_path(dir: &Path) {
    let p = dir.join("existing.bin");
    let known = b"not an HDF5 file, and it must stay exactly like this";
    std::fs::write(&p, known).unwrap();
    let path_str = p.display().to_string();
    let e = expect!(File::create(&p), Error::Exists { .. }, [path_str, "exists"]);
    assert!(matches!(&e, Error::Exists { path, .. } if path == &p));
    expect!(
        DatasetWriter::<f32>::create(&p, &[4, 2]),
        Error::Exists { .. },
        [path_str]
    );
    // Refused for its data key before the path is touched: the existing file stays.
    expect!(
        DatasetWriter::<u8>::builder(&p, &[4, 2])
            .data_key("labels")
            .create(),
        Error::InvalidArgument { .. },
        ["data_key"]
    );
    assert_eq!(std::fs::read(&p).unwrap(), known);

    // A directory is an existing path too.
    let d = dir.join("a-directory.h5");
    std::fs::create_dir(&d).unwrap();
    expect!(File::create(&d), Error::Exists { .. }, [d.display()]);
    assert!(d.is_dir());
}

/// A dangling symlink is refused, and not followed: its target is not created.
#[cfg(unix)]
pub(crate) fn case_dangling_symlink(dir: &Path) {
    let target = dir.join("symlink-target.h5");
    let link = dir.join("dangling.h5");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    expect!(File::create(&link), Error::Exists { .. }, [link.display()]);
    expect!(
        DatasetWriter::<f32>::create(&link, &[2, 2]),
        Error::Exists { .. },
        [link.display()]
    );
    assert_absent(&target);
    assert_eq!(std::fs::read_link(&link).unwrap(), target);
}

#[cfg(not(unix))]
pub(crate) fn case_dangling_symlink(_dir: &Path) {}

/// A directory that does not exist: an I/O error naming the path.
pub(crate) fn case_missing_directory(dir: &Path) {
    let p = dir.join("no-such-dir").join("x.h5");
    let e = expect!(
        File::create(&p),
        Error::Io { .. },
        [p.display(), "creating the file"]
    );
    assert!(matches!(&e, Error::Io { path, source, .. }
        if path == &p && source.kind() == io::ErrorKind::NotFound));
    expect!(
        DatasetWriter::<f32>::create(&p, &[2, 2]),
        Error::Io { .. },
        [p.display()]
    );
    assert_absent(&dir.join("no-such-dir"));
}
