//! The loader: fills the model from an existing file, so that `File::open`
//! sees what the file holds as if the API had made it. Everything read is
//! untrusted: every read is bounded by the file's end-of-file address, every
//! walk by a visited set and a node budget, and everything the model cannot
//! represent is `Error::Unsupported` naming the structure and its offset,
//! before anything is written. Spec notes: `spec-notes/open-rw.md`,
//! `spec-notes/superblock.md`,
//! `spec-notes/object-header.md`, `spec-notes/group-btree.md`.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::io::Io;
use crate::engine::model::{Msg, NodeId, NodeKind, Tree};
use crate::engine::state::State;
use crate::error::{Error, Result};
use crate::format::link::Target;
use crate::format::object_header::{self as oh, kind, RawMessage};
use crate::format::superblock::{self as sb, Decoded};

mod dataset;
mod group;
mod types;
mod vds;

pub(crate) use types::check_changeable;

/// At most this many bytes of metadata are read in one piece (an object
/// header block, a heap's data segment, a B-tree node).
pub(crate) const MAX_BLOCK: u64 = 64 << 20;
/// At most this many continuation blocks per object header.
const MAX_CONTINUATIONS: usize = 4096;
/// Groups nest at most this deep: loading recurses once per level, and a
/// small hostile file must not exhaust the stack (a thread's 2 MiB holds
/// about 300 levels in a debug build).
pub(crate) const MAX_DEPTH: usize = 256;

/// What a load needs while it walks the file.
pub(crate) struct Loader<'a> {
    io: &'a Io,
    /// The file's end-of-file address: nothing is read at or past it.
    eof: u64,
    sb: Decoded,
    /// Object headers whose messages were read: each is read once.
    seen: BTreeSet<u64>,
    /// The node loaded from each object header: a second name of one (a
    /// hard link, perhaps a cycle) becomes a second entry for that node.
    ids: BTreeMap<u64, NodeId>,
    /// Node reads left: a budget that bounds every walk.
    budget: u64,
    /// Groups between the root and the member being loaded.
    depth: usize,
}

/// Fill a new state from the file behind `io`. New file space (for a file
/// opened to change it) starts at the end of the file or at the end-of-file
/// address, whichever is later: nothing of the file as it was is ever
/// overwritten, and fresh space reads as zeros until written.
pub(crate) fn load(io: &Io) -> Result<State> {
    let len = io.read_len()?;
    let head = read_at_most(io, 0, 100, len)?;
    if !head.starts_with(&sb::SIGNATURE) {
        user_block(io, len)?;
    }
    let decoded = sb::decode(&head, len)?;
    let eof = decoded.superblock.eof;
    let mut l = Loader {
        io,
        eof,
        seen: BTreeSet::new(),
        ids: BTreeMap::new(),
        // Every structure takes at least 16 bytes of the file.
        budget: eof / 16 + 16,
        sb: decoded,
        depth: 0,
    };
    let mut tree = Tree::new();
    let root = l.sb.superblock.root_object_header;
    l.load_group(&mut tree, 0, root)?;
    let mut st = State::new(eof.max(len));
    st.tree = tree;
    st.loaded();
    Ok(st)
}

/// The messages of a loaded object header that its node keeps: all but
/// attributes (the model holds those), NIL padding and continuations (a
/// commit lays the header out anew).
pub(crate) fn kept(messages: Vec<RawMessage>) -> Vec<Msg> {
    messages
        .into_iter()
        .filter(|m| !matches!(m.kind, kind::ATTRIBUTE | kind::NIL | kind::CONTINUATION))
        .map(|m| Msg::new(m.kind, m.flags, m.body))
        .collect()
}

/// A file whose signature is not at offset 0 but where libhdf5 also looks
/// (512, 1024, 2048, ...) has a user block: `Unsupported`, naming its size
/// (the superblock's decoder says what is wrong with any other file).
fn user_block(io: &Io, len: u64) -> Result<()> {
    for at in sb::signature_offsets(len).skip(1) {
        if read_at_most(io, at, 8, len)? == sb::SIGNATURE {
            return Err(Error::Unsupported {
                structure: "superblock",
                offset: at,
                detail: format!(
                    "a user block of {at} bytes precedes the superblock: h5sink opens files without a user block (h5py's default)"
                ),
            });
        }
    }
    Ok(())
}

/// `n` bytes at `offset`, or fewer if the file ends first.
fn read_at_most(io: &Io, offset: u64, n: u64, len: u64) -> Result<Vec<u8>> {
    let n = n.min(len.saturating_sub(offset));
    let mut buf = vec![0; n as usize];
    io.read_at(offset, &mut buf)?;
    Ok(buf)
}

impl Loader<'_> {
    /// `n` bytes at `offset`, which must end at or before the end of file.
    pub(crate) fn read(&mut self, structure: &'static str, offset: u64, n: u64) -> Result<Vec<u8>> {
        if self.budget == 0 {
            return Err(Error::Malformed {
                structure,
                offset,
                reason: "the file has more structures than its size allows (a loop?)".into(),
            });
        }
        self.budget -= 1;
        let end = offset.checked_add(n).filter(|&e| e <= self.eof);
        if end.is_none() || n > MAX_BLOCK {
            return Err(Error::Malformed {
                structure,
                offset,
                reason: format!(
                    "{n} bytes at offset {offset} pass the end of the file ({} bytes) or the {MAX_BLOCK}-byte limit",
                    self.eof
                ),
            });
        }
        let mut buf = vec![0; n as usize];
        self.io.read_at(offset, &mut buf)?;
        Ok(buf)
    }

    /// The messages of the object header at `addr`, continuation blocks
    /// followed (each once).
    pub(crate) fn messages(&mut self, addr: u64) -> Result<Vec<RawMessage>> {
        if !self.seen.insert(addr) {
            return Err(Error::Unsupported {
                structure: "object header",
                offset: addr,
                detail: "read twice: a second name of an object that failed to load".into(),
            });
        }
        let prefix_bytes = self.read("object header", addr, 16)?;
        let prefix = oh::decode_prefix(&prefix_bytes, addr, self.eof)?;
        let bytes = self.read("object header", addr, 16 + u64::from(prefix.data_size))?;
        let header = oh::decode(&bytes, addr, self.eof)?;
        let mut messages = header.block.messages;
        let mut found = header.block.found;
        let mut pending = header.block.continuations;
        let mut blocks = BTreeSet::new();
        while let Some(c) = pending.pop() {
            if !blocks.insert(c.address) || blocks.len() > MAX_CONTINUATIONS {
                return Err(Error::Malformed {
                    structure: "object header",
                    offset: addr,
                    reason: format!(
                        "continuation block at {} is reached twice or there are too many",
                        c.address
                    ),
                });
            }
            let bytes = self.read("object header continuation", c.address, c.length)?;
            let block = oh::decode_messages(&bytes, c.address, self.eof)?;
            found += block.found;
            messages.extend(block.messages);
            pending.extend(block.continuations);
        }
        oh::check_count(prefix.message_count, found, addr)?;
        Ok(messages)
    }

    /// Load the member `name` of group `parent`: a soft or external link,
    /// a second name of an object already loaded, or the object at `addr`.
    /// Recursion happens here (once per group level), so everything but
    /// the descent is in helpers with frames of their own.
    fn load_member(
        &mut self,
        tree: &mut Tree,
        parent: NodeId,
        name: &str,
        target: Target,
    ) -> Result<()> {
        let Some(addr) = self.link_member(tree, parent, name, target)? else {
            return Ok(());
        };
        let messages = self.messages(addr)?;
        if !messages.iter().any(|m| group::is_group_message(m.kind)) {
            return self.load_dataset(tree, parent, name, addr, messages);
        }
        if self.depth >= MAX_DEPTH {
            return Err(Error::Unsupported {
                structure: "object header",
                offset: addr,
                detail: format!(
                    "group {name:?} is nested {} deep: h5sink opens groups nested at most {MAX_DEPTH} deep",
                    self.depth + 1
                ),
            });
        }
        let id = tree.add(parent, name, NodeKind::Group(BTreeMap::new()))?;
        self.ids.insert(addr, id);
        self.depth += 1;
        let r = self.fill_group(tree, id, addr, messages);
        self.depth -= 1;
        r
    }

    /// A member that is a link (added to the tree here), or the address of
    /// the object header to load.
    #[inline(never)]
    fn link_member(
        &mut self,
        tree: &mut Tree,
        parent: NodeId,
        name: &str,
        target: Target,
    ) -> Result<Option<u64>> {
        let kind = match target {
            Target::Soft(path) => NodeKind::SoftLink(path),
            Target::External { file, path } => NodeKind::ExternalLink { file, path },
            Target::Hard(addr) => match self.ids.get(&addr) {
                // A second name of an object already loaded.
                Some(&id) => return tree.link(parent, name, id).map(|()| None),
                None => return Ok(Some(addr)),
            },
        };
        tree.add(parent, name, kind).map(|_| None)
    }

    /// Load the dataset at `addr` (whose `messages` are read) as `name`.
    #[inline(never)]
    fn load_dataset(
        &mut self,
        tree: &mut Tree,
        parent: NodeId,
        name: &str,
        addr: u64,
        messages: Vec<RawMessage>,
    ) -> Result<()> {
        if !messages.iter().any(|m| m.kind == dataset::LAYOUT) {
            return Err(Error::Unsupported {
                structure: "object header",
                offset: addr,
                detail: format!(
                    "{name:?} is neither a group nor a dataset (a named datatype?): h5sink opens groups and datasets"
                ),
            });
        }
        let (meta, attrs) = self.dataset(addr, &messages)?;
        let id = tree.add(parent, name, NodeKind::Dataset(meta))?;
        self.ids.insert(addr, id);
        if let Some(node) = tree.nodes.get_mut(id) {
            node.attrs = attrs;
            node.header = Some(kept(messages));
        }
        Ok(())
    }
}
