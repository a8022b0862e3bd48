//! Every public operation, as one transaction on the [`Engine`](super::Engine):
//! check everything, then change the state under the lock.

pub(crate) mod attrs;
pub(crate) mod data;
pub(crate) mod info;
pub(crate) mod links;
pub(crate) mod pieces;
pub(crate) mod read;
pub(crate) mod region;
pub(crate) mod resume;
pub(crate) mod strings;
pub(crate) mod tree;
pub(crate) mod vds;
