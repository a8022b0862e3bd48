//! Corpus check: walk an h5py-written file with only the decoders
//! (superblock -> object headers -> symbol table messages -> local heaps
//! and group B-trees -> `SNOD`s) and compare every path with h5py's
//! `visit`. Needs python3 with h5py: the test fails without them.
//! Spec notes: `spec-notes/group-btree.md`.

use crate::error::Result;
use crate::format::btree::group::decode_group_node;
use crate::format::object_header::{self, kind};
use crate::format::snod::{self, Cache};
use crate::format::{local_heap, superblock, symbol_table};
use std::process::Command;

const SCRIPT: &str = r#"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    forty = f.create_group("forty")
    for i in range(40):
        forty.create_group("m%02d" % i) if i % 3 == 0 else forty.create_dataset("m%02d" % i, data=np.arange(i))
    big = f.create_group("big")
    for i in range(300):
        big.create_group("g%03d" % i)
    f.create_group("a/b/c").attrs["n"] = np.arange(30)
    f["a/b/c/d"] = np.arange(3)
    f["x"] = 1.5
    f["link"] = h5py.SoftLink("/x")
with h5py.File(sys.argv[1], "r") as f:
    names = []
    f.visit_links(names.append)
    print("\n".join(sorted(names)))
"#;

fn slice(file: &[u8], at: u64, len: u64) -> &[u8] {
    let start = usize::try_from(at).unwrap();
    let end = usize::try_from(at + len).unwrap().min(file.len());
    &file[start..end]
}

/// All messages of the header at `at`, continuation blocks included.
fn messages(file: &[u8], at: u64, eof: u64) -> Result<Vec<object_header::RawMessage>> {
    let prefix = object_header::decode_prefix(slice(file, at, 16), at, eof)?;
    let h = object_header::decode(slice(file, at, 16 + u64::from(prefix.data_size)), at, eof)?;
    let (mut all, mut found, mut todo) = (h.block.messages, h.block.found, h.block.continuations);
    let mut blocks = 0;
    while let Some(c) = todo.pop() {
        blocks += 1;
        assert!(blocks < 1000, "continuation loop");
        let b = object_header::decode_messages(slice(file, c.address, c.length), c.address, eof)?;
        found += b.found;
        all.extend(b.messages);
        todo.extend(b.continuations);
    }
    object_header::check_count(prefix.message_count, found, at)?;
    Ok(all)
}

struct Walk<'a> {
    file: &'a [u8],
    eof: u64,
    leaf_k: u16,
    internal_k: u16,
    paths: Vec<String>,
    /// The highest B-tree level met, and how many `SNOD`s were read.
    deepest: std::cell::Cell<(u8, usize)>,
}

impl Walk<'_> {
    fn group(&mut self, path: &str, header: u64, depth: usize) -> Result<()> {
        assert!(depth < 32, "group nesting too deep at {path}");
        let msgs = messages(self.file, header, self.eof)?;
        let st = msgs.iter().find(|m| m.kind == kind::SYMBOL_TABLE).unwrap();
        let (btree, heap_at) = symbol_table::decode(&st.body, st.offset, self.eof)?;
        let heap = local_heap::decode(slice(self.file, heap_at, 32), heap_at, self.eof)?;
        let data = slice(self.file, heap.data_address, heap.data_size);
        let mut entries = Vec::new();
        self.tree(btree, None, &mut entries)?;
        for e in entries {
            let name = local_heap::name_at(data, heap.data_address, e.name_offset)?;
            let child = format!("{path}{}", std::str::from_utf8(name).unwrap());
            self.paths.push(child.trim_start_matches('/').to_owned());
            if let Cache::Group { .. } = e.cache {
                self.group(&format!("{child}/"), e.object_header, depth + 1)?;
            } else if e.cache == Cache::None && is_group(self.file, e.object_header, self.eof)? {
                self.group(&format!("{child}/"), e.object_header, depth + 1)?;
            }
        }
        Ok(())
    }

    /// The `SNOD` entries under the B-tree node at `at`, in order.
    fn tree(&self, at: u64, level: Option<u8>, out: &mut Vec<snod::Entry>) -> Result<()> {
        let bytes = slice(self.file, at, super::group_node_size(self.internal_k));
        let node = decode_group_node(bytes, at, self.eof, self.internal_k)?;
        let (deepest, snods) = self.deepest.get();
        let snods = snods
            + if node.level == 0 {
                node.children.len()
            } else {
                0
            };
        self.deepest.set((deepest.max(node.level), snods));
        if let Some(parent) = level {
            assert_eq!(node.level + 1, parent, "B-tree levels at {at:#x}");
        }
        for &child in &node.children {
            if node.level == 0 {
                let size = snod::node_size(self.leaf_k);
                let e =
                    snod::decode_node(slice(self.file, child, size), child, self.eof, self.leaf_k)?;
                out.extend(e);
            } else {
                self.tree(child, Some(node.level), out)?;
            }
        }
        Ok(())
    }
}

fn is_group(file: &[u8], at: u64, eof: u64) -> Result<bool> {
    Ok(messages(file, at, eof)?
        .iter()
        .any(|m| m.kind == kind::SYMBOL_TABLE))
}

#[test]
fn walks_an_h5py_file_like_h5py_visit() {
    let dir = std::env::temp_dir().join(format!("h5sink-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("corpus.h5");
    let out = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(&path)
        .output()
        .expect("python3 is needed for this test");
    assert!(
        out.status.success(),
        "h5py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let file = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    let sb = superblock::decode(&file, file.len() as u64).unwrap();
    let mut walk = Walk {
        file: &file,
        eof: sb.superblock.eof,
        leaf_k: sb.group_leaf_k,
        internal_k: sb.group_internal_k,
        paths: Vec::new(),
        deepest: std::cell::Cell::new((0, 0)),
    };
    walk.group("/", sb.superblock.root_object_header, 0)
        .unwrap();
    let (deepest, snods) = walk.deepest.get();
    assert!(deepest >= 1 && snods > 40, "level {deepest}, {snods} SNODs");
    let mut got = walk.paths;
    got.sort();
    assert_eq!(got.len(), 1 + 40 + 1 + 300 + 4 + 2); // forty, big, a/b/c/d, x, link
    assert_eq!(got, want);
}
