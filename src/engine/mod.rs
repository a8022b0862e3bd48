//! The engine: everything between the public handles and the on-disk
//! encoders. Read it bottom-up; each module imports only those above it in
//! this list:
//!
//! 1. [`io`]: the storage, the file's status and poisoning.
//!    [`pool`]: the threads that filter complete chunks in the background.
//! 2. [`space`]: file space: allocation, release, retirement after commit
//!    and the reader grace period; [`arenas`]: where each commit's metadata
//!    goes.
//! 3. [`model`]: the tree of groups, datasets and attributes as plain data,
//!    with chunk and heap bookkeeping and path resolution; no I/O.
//! 4. [`state`]: the model, the space and the commit bookkeeping behind the
//!    engine's one lock; the dirty flag and the space-release rules.
//! 5. [`spec`]: a new dataset, validated.
//! 6. [`messages`]: the header messages of each node.
//! 7. [`plan`], [`emit`]: addresses of a commit's metadata, then its bytes.
//! 8. [`rows`], [`chunk_store`], [`chunk_pipeline`], [`chunk_io`],
//!    [`heap_io`]: the operations that move bytes (contiguous and compact
//!    rows, chunks stored, chunks filtered in the background, chunks filled,
//!    global heap strings); reading
//!    them back: [`chunk_read`], [`heap_read`], then [`row_read`].
//! 9. [`commit`]: the commit protocol (copy-on-write, one superblock switch),
//!    with [`lead`]: the file's length kept ahead of its end for readers.
//! 10. [`load`]: an existing file read into the model (untrusted input,
//!     every read bounded).
//! 11. [`txn`]: the [`Engine`], one file's I/O and state under one lock.
//! 12. [`ops`]: every public operation as one transaction on the engine.

pub(crate) mod arenas;
pub(crate) mod chunk_io;
pub(crate) mod chunk_pipeline;
pub(crate) mod chunk_read;
pub(crate) mod chunk_store;
pub(crate) mod commit;
pub(crate) mod emit;
pub(crate) mod heap_io;
pub(crate) mod heap_read;
pub(crate) mod io;
pub(crate) mod lead;
pub(crate) mod load;
pub(crate) mod messages;
pub(crate) mod model;
pub(crate) mod ops;
pub(crate) mod plan;
pub(crate) mod pool;
pub(crate) mod row_read;
pub(crate) mod rows;
pub(crate) mod space;
pub(crate) mod spec;
pub(crate) mod state;
pub(crate) mod txn;

pub(crate) use model::NodeId;
pub(crate) use ops::attrs::AttrValue;
pub(crate) use ops::tree::Want;
pub(crate) use ops::vds::VirtualSpec;
pub(crate) use txn::Engine;
