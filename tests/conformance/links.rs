//! Links: soft, hard and external links made with `Group::link_soft`,
//! `link_hard` and `link_external`, checked by every oracle (h5py sees the
//! link values and one object behind two names, with reference count 2;
//! h5dump prints the same text as an h5py twin; pyfive, jsfive and h5wasm
//! where their code reads links, see tests/oracle/links_check.py), and
//! files with links opened and changed (`File::open`, `File::open_rw`),
//! h5py's and h5sink's own.

use crate::common;

use crate::common::{python, scenario, Data, Manifest};
use h5sink::{Error, File, Group};
use std::path::Path;

/// A ramp dataset of `n` i32 at `path` (relative to the root).
fn ramp(g: &Group, m: &mut Manifest, path: &str, n: u64, seed: u64) {
    let ds = g.new_dataset::<i32>().shape(&[n]).create(path).unwrap();
    ds.write_raw(&common::ramp::<i32>(0, n as usize, seed))
        .unwrap();
    m.dataset_of::<i32>(path, &[n], Data::Ramp { seed });
}

fn soft_and_hard(dir: &Path) {
    scenario(dir, "links_soft_hard", |f, m| {
        ramp(f, m, "d", 5, 1);
        f.create_group("g").unwrap();
        m.group("g");
        ramp(f, m, "g/x", 3, 2);
        f.create_group("links").unwrap();
        m.group("links");
        f.link_soft("/d", "s").unwrap();
        m.soft_link("s", "/d");
        f.group("g").unwrap().link_soft("x", "rel").unwrap(); // relative
        m.soft_link("g/rel", "x");
        f.link_soft("/nowhere", "dangling").unwrap();
        m.soft_link("dangling", "/nowhere");
        f.link_soft("/g", "links/sg").unwrap(); // a soft link to a group
        m.soft_link("links/sg", "/g");
        f.link_hard("d", "h").unwrap();
        m.hard_link("h", "d");
        f.link_hard("/d", "g/hd").unwrap(); // d has three names
        m.hard_link("g/hd", "d");
        f.link_hard("g", "hg").unwrap(); // a group with two names
        m.hard_link("hg", "g");
    });
}

fn external(dir: &Path) {
    // libhdf5 stores the members of a group holding an external link as
    // Link messages; h5sink does the same (the root here, and /g).
    scenario(dir, "links_external", |f, m| {
        ramp(f, m, "d", 4, 3);
        f.link_external("missing.h5", "/x", "e").unwrap();
        m.external_link("e", "missing.h5", "/x");
        f.create_group("g").unwrap();
        m.group("g");
        ramp(f, m, "g/y", 2, 4);
        f.link_external("other.h5", "/a/b", "g/e2").unwrap();
        m.external_link("g/e2", "other.h5", "/a/b");
        f.link_soft("y", "g/s").unwrap();
        m.soft_link("g/s", "y");
        f.link_hard("/d", "g/hd").unwrap();
        m.hard_link("g/hd", "d");
        // A symbol-table group beside them stays one.
        f.create_group("plain").unwrap();
        m.group("plain");
        f.link_soft("/d", "plain/s").unwrap();
        m.soft_link("plain/s", "/d");
    });
}

#[test]
fn links_read_by_every_oracle() {
    let dir = common::out_dir("links");
    soft_and_hard(&dir);
    external(&dir);
    common::run_oracles(&dir);
}

#[test]
fn links_are_followed_and_refused_as_h5py_does() {
    let f = File::in_memory().unwrap();
    let x = f.new_dataset::<u8>().shape(&[2]).create("a/x").unwrap();
    x.write_raw(&[7u8, 8]).unwrap();
    f.link_soft("/a", "s").unwrap();
    f.link_hard("a/x", "b/x").unwrap();
    f.link_external("o.h5", "/p", "e").unwrap();
    f.link_soft("s/x", "chain").unwrap();
    assert_eq!(f.dataset("s/x").unwrap().read_raw::<u8>().unwrap(), [7, 8]);
    assert_eq!(f.dataset("chain").unwrap().name(), "/chain");
    assert_eq!(f.dataset("b/x").unwrap().read_raw::<u8>().unwrap(), [7, 8]);
    assert_eq!(f.group("s").unwrap().member_names().unwrap(), ["x"]);
    assert_eq!(f.member_names().unwrap(), ["a", "b", "chain", "e", "s"]);
    // New members through a soft link land in its target.
    f.create_group("s/new").unwrap();
    assert!(f.group("a/new").is_ok());
    let e = f.dataset("e").unwrap_err();
    assert!(matches!(e, Error::InvalidPath { .. }), "{e}");
    assert!(e.to_string().contains("\"o.h5\""), "{e}");
    assert!(matches!(f.group("e/x"), Err(Error::NotFound { .. })));
    f.link_soft("/gone", "dangling").unwrap();
    assert!(matches!(f.dataset("dangling"), Err(Error::NotFound { .. })));
    f.link_soft("/loop", "loop").unwrap();
    assert!(matches!(f.group("loop"), Err(Error::NotFound { .. })));
    assert!(matches!(
        f.link_hard("dangling", "h"),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        f.link_soft("/a", "s"),
        Err(Error::DuplicateName { .. })
    ));
    assert!(matches!(
        f.link_soft("", "z"),
        Err(Error::InvalidPath { .. })
    ));
    assert!(matches!(
        f.link_external("", "/p", "z"),
        Err(Error::InvalidPath { .. })
    ));
    assert!(matches!(
        f.link_soft("/a", "a/x/y"),
        Err(Error::InvalidPath { .. })
    ));
    f.close().unwrap();
}

/// A file with soft, hard (to a dataset and to a group, one of them a
/// cycle) and external links, written by h5py.
const H5PY_LINKS: &str = r#"
import h5py, numpy as np
with h5py.File("h5py_links.h5", "w") as f:
    f["d"] = np.arange(6, dtype="i4")
    g = f.create_group("g")
    g["x"] = np.arange(3, dtype="f8")
    f["s"] = h5py.SoftLink("/d")
    f["dangling"] = h5py.SoftLink("/nowhere")
    f["h"] = f["d"]
    f["g/up"] = f["g"]          # a cycle: g contains itself
    g["e"] = h5py.ExternalLink("other.h5", "/p")
    f["far"] = h5py.ExternalLink("far.h5", "/q")  # the root gets Link messages
"#;

/// What h5py should read back from h5py_links.h5 after h5sink changed it.
const H5PY_CHECK: &str = r#"
import h5py, numpy as np
with h5py.File("h5py_links.h5", "r") as f:
    assert list(f) == ["d", "dangling", "far", "g", "h", "new", "s", "t"], list(f)
    assert f.get("far", getlink=True).filename == "far.h5"
    assert list(f["g"]) == ["e", "up", "x"], list(f["g"])
    assert f.get("s", getlink=True).path == "/d"
    assert f.get("dangling", getlink=True).path == "/nowhere"
    assert f.get("t", getlink=True).path == "g/x"
    e = f["g"].get("e", getlink=True)
    assert (e.filename, e.path) == ("other.h5", "/p"), e
    assert f["h"] == f["d"] and f["g/up"] == f["g"] and f["new/d"] == f["d"]
    assert h5py.h5o.get_info(f["d"].id).rc == 3
    assert h5py.h5o.get_info(f["g"].id).rc == 2
    assert (f["s"][()] == np.arange(6)).all()
    assert (f["g/up/up/x"][()] == np.arange(3)).all()
    assert (f["new/y"][()] == [1, 2]).all()
print("ok")
"#;

#[test]
fn h5py_files_with_links_open_change_and_read_back() {
    let dir = common::out_dir("links_open");
    python(H5PY_LINKS, &dir);
    let path = dir.join("h5py_links.h5");
    let f = File::open(&path).unwrap();
    assert_eq!(
        f.member_names().unwrap(),
        ["d", "dangling", "far", "g", "h", "s"]
    );
    assert_eq!(
        f.dataset("s").unwrap().read_raw::<i32>().unwrap(),
        [0, 1, 2, 3, 4, 5]
    );
    assert_eq!(
        f.dataset("h").unwrap().read_raw::<i32>().unwrap(),
        [0, 1, 2, 3, 4, 5]
    );
    assert_eq!(
        f.dataset("g/up/up/x").unwrap().read_raw::<f64>().unwrap(),
        [0.0, 1.0, 2.0]
    );
    assert!(matches!(f.dataset("dangling"), Err(Error::NotFound { .. })));
    assert!(matches!(f.dataset("g/e"), Err(Error::InvalidPath { .. })));
    drop(f);

    let untouched = || h5dump(&path, &["-g", "/g", "-d", "/d"]);
    let before = untouched();
    let f = File::open_rw(&path).unwrap();
    f.new_dataset::<i32>()
        .shape(&[2])
        .create("new/y")
        .unwrap()
        .write_raw(&[1, 2])
        .unwrap();
    f.link_hard("/d", "new/d").unwrap();
    f.link_soft("g/x", "t").unwrap();
    f.close().unwrap();
    assert_eq!(python(H5PY_CHECK, &dir).trim(), "ok");
    // What the session did not touch dumps as before; the whole file
    // dumps, cycle included.
    assert_eq!(untouched(), before);
    let text = h5dump(&path, &[]);
    for want in [
        "HARDLINK \"/g\"",
        "SOFTLINK \"dangling\"",
        "EXTERNAL_LINK \"e\"",
        "TARGETFILE \"other.h5\"",
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
}

/// `h5dump -p` of `path` with `args`, which must succeed.
fn h5dump(path: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("h5dump")
        .arg("-p")
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn h5sink_files_with_links_reopen_unchanged() {
    let dir = common::out_dir("links_reopen");
    let path = dir.join("own.h5");
    let f = File::create(&path).unwrap();
    f.new_dataset::<u16>()
        .shape(&[3])
        .create("a/x")
        .unwrap()
        .write_raw(&[1u16, 2, 3])
        .unwrap();
    f.link_hard("a", "a/b/up").unwrap(); // a cycle through a new group
    f.link_soft("../x", "a/b/s").unwrap();
    f.link_external("far.h5", "/y", "a/e").unwrap(); // /a gets Link messages
    f.close().unwrap();
    let before = std::fs::read(&path).unwrap();
    // Opened for writing and closed unchanged: not a byte written.
    File::open_rw(&path).unwrap().close().unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let f = File::open_rw(&path).unwrap();
    assert_eq!(
        f.group("a").unwrap().member_names().unwrap(),
        ["b", "e", "x"]
    );
    assert_eq!(
        f.dataset("a/b/up/b/up/x")
            .unwrap()
            .read_raw::<u16>()
            .unwrap(),
        [1, 2, 3]
    );
    f.link_soft("/a/x", "top").unwrap();
    f.close().unwrap();
    let out = python(
        r#"
import h5py
with h5py.File("own.h5", "r") as f:
    assert f["a/b/up"] == f["a"] and h5py.h5o.get_info(f["a"].id).rc == 2
    assert f["a"].get("e", getlink=True).filename == "far.h5"
    assert f.get("top", getlink=True).path == "/a/x"
    print([int(v) for v in f["top"][()]])
"#,
        &dir,
    );
    assert_eq!(out.trim(), "[1, 2, 3]");
}
