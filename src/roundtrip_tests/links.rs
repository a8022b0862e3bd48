//! Soft, hard and external links in an h5sink file built in memory:
//! reopened with `File::open_storage` (each object once, under every name),
//! changed with `File::open_rw_storage`, and reopened byte-identical when
//! nothing changed. No Python, so it runs under `wasm32-wasip1` too.

use crate::{Error, File, MemStorage};

fn build(mem: &MemStorage) {
    let f = File::with_storage(mem.clone()).unwrap();
    let x = f.new_dataset::<i64>().shape(&[3]).create("a/x").unwrap();
    x.write_raw(&[1i64, 2, 3]).unwrap();
    f.link_soft("/a/x", "s").unwrap();
    f.link_soft("x", "a/rel").unwrap();
    f.link_soft("/none", "dangling").unwrap();
    f.link_hard("a/x", "b/x").unwrap();
    f.link_hard("a", "a/up").unwrap();
    f.link_external("e.h5", "/y", "c/e").unwrap();
    f.close().unwrap();
}

#[test]
fn links_reopen_under_every_name() {
    let mem = MemStorage::new();
    build(&mem);
    let before = mem.to_vec();
    let f = File::open_storage(mem.clone()).unwrap();
    assert_eq!(f.member_names().unwrap(), ["a", "b", "c", "dangling", "s"]);
    assert_eq!(
        f.group("a").unwrap().member_names().unwrap(),
        ["rel", "up", "x"]
    );
    for p in ["a/x", "s", "a/rel", "b/x", "a/up/up/x"] {
        assert_eq!(
            f.dataset(p).unwrap().read_raw::<i64>().unwrap(),
            [1, 2, 3],
            "{p}"
        );
    }
    assert_eq!(f.group("a/up").unwrap(), f.group("a").unwrap());
    assert!(matches!(f.dataset("dangling"), Err(Error::NotFound { .. })));
    assert!(matches!(f.dataset("c/e"), Err(Error::InvalidPath { .. })));
    drop(f);

    File::open_rw_storage(mem.clone()).unwrap().close().unwrap();
    assert_eq!(
        mem.to_vec(),
        before,
        "opened and closed: not a byte written"
    );

    let f = File::open_rw_storage(mem.clone()).unwrap();
    f.dataset("b/x").unwrap().write_raw(&[4i64, 5, 6]).unwrap();
    f.link_hard("s", "c/x").unwrap(); // through a soft link: the dataset
    f.link_soft("/a", "c/a").unwrap();
    f.close().unwrap();
    let f = File::open_storage(mem).unwrap();
    assert_eq!(
        f.dataset("c/x").unwrap().read_raw::<i64>().unwrap(),
        [4, 5, 6]
    );
    assert_eq!(
        f.dataset("c/a/x").unwrap().read_raw::<i64>().unwrap(),
        [4, 5, 6]
    );
    assert_eq!(
        f.group("c").unwrap().member_names().unwrap(),
        ["a", "e", "x"]
    );
}
