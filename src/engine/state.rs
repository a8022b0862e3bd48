//! The engine's mutable state, behind its one lock: the model, the file
//! space, the metadata arenas and what changed since the last commit.
//! The dirty flag and the rule for releasing space live here and nowhere
//! else.

use crate::engine::arenas::Arenas;
use crate::engine::lead::Lead;
use crate::engine::model::{NodeId, OpenCollection, Tree};
use crate::engine::pool::Pool;
use crate::engine::space::{Extent, Space};
use crate::format::superblock::Superblock;

/// Mutable bookkeeping of one file, behind the engine's lock.
#[derive(Debug)]
pub(crate) struct State {
    pub tree: Tree,
    pub space: Space,
    /// Metadata changed since the last commit.
    dirty: bool,
    /// Nodes with ids below this are part of the committed state.
    pub committed_nodes: usize,
    /// The committed metadata's arena, and those of superseded commits.
    pub arenas: Arenas,
    /// How far the file's length is kept ahead of its end.
    pub lead: Lead,
    /// The superblock of the last commit this engine made.
    pub published: Option<Superblock>,
    /// Bytes held in datasets' `staged` images.
    pub staged_bytes: u64,
    /// The global heap collection string appends are filling (uncommitted).
    pub open_heap: Option<OpenCollection>,
    /// The threads filtering complete chunks in the background.
    pub pool: Pool,
}

impl State {
    /// A new, empty file: the root group, and space after the superblock.
    pub fn new(superblock_size: u64) -> Self {
        State {
            tree: Tree::new(),
            space: Space::new(superblock_size),
            dirty: true,
            committed_nodes: 0,
            arenas: Arenas::default(),
            lead: Lead::default(),
            published: None,
            staged_bytes: 0,
            open_heap: None,
            pool: Pool::default(),
        }
    }

    /// The state was just loaded from a file: everything is committed and
    /// nothing is owed to the file.
    pub fn loaded(&mut self) {
        self.committed_nodes = self.tree.nodes.len();
        self.dirty = false;
    }

    /// Record that the next commit has something to write.
    pub fn touch(&mut self) {
        self.dirty = true;
    }

    /// Put back the dirty flag `was` read before a change that failed and
    /// was undone (a failed append): with nothing else changed since, the
    /// next commit owes the file nothing for it.
    pub fn restore_dirty(&mut self, was: bool) {
        self.dirty = was;
    }

    /// Whether anything changed since the last commit.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Whether node `id` is part of the committed state.
    pub fn is_committed(&self, id: NodeId) -> bool {
        id < self.committed_nodes
    }

    /// Release `e`, owned by node `id`, at the right moment: now if no
    /// committed state can reference it, after the next commit otherwise.
    pub fn release(&mut self, id: NodeId, e: Extent) {
        if self.is_committed(id) {
            self.space.release_after_commit(e);
        } else {
            self.space.release_now(e);
        }
    }

    /// Release `e`, which the committed state may reference, after the next
    /// commit.
    pub fn retire(&mut self, e: Extent) {
        self.space.release_after_commit(e);
    }

    /// The commit into `arena` went through: everything is committed, what
    /// it replaced cools for the reader grace period (then is free), and the
    /// open heap collection is sealed (the committed state may refer to it).
    pub fn committed(&mut self, arena: Extent) {
        let stamp = self.space.stamp();
        self.arenas.committed(arena, stamp);
        self.space.committed(stamp);
        self.open_heap = None;
        self.committed_nodes = self.tree.nodes.len();
        self.dirty = false;
    }
}
