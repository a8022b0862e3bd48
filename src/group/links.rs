//! `Group::link_soft`, `link_hard` and `link_external`: more names for
//! objects, in this file or another. Spec note: `spec-notes/links.md`.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::Group;
use crate::error::Result;

/// Two handles are equal when they are the same group of the same open
/// file, whatever names they were opened by (h5py's `f["a"] == f["b"]`). A
/// walk over a file with hard links (a group with two names, or a cycle)
/// or soft links keeps a set of the groups it has visited.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// use std::collections::HashSet;
/// let file = h5sink::File::in_memory()?;
/// let a = file.create_group("a")?;
/// file.link_hard("a", "a/up")?; // a cycle: /a/up is /a
/// file.link_soft("/a", "s")?;
/// assert_eq!(file.group("a/up/up")?, a);
/// assert_eq!(file.group("s")?, a);
/// assert_ne!(file.group("/")?, a);
/// let seen: HashSet<h5sink::Group> = ["a", "s", "a/up"].iter().map(|p| file.group(p)).collect::<h5sink::Result<_>>()?;
/// assert_eq!(seen.len(), 1);
/// # Ok(()) }
/// ```
impl PartialEq for Group {
    fn eq(&self, other: &Group) -> bool {
        Arc::ptr_eq(&self.engine, &other.engine) && self.id == other.id
    }
}

impl Eq for Group {}

/// Hashes what [`PartialEq`] compares: the open file and the group.
///
/// ```
/// # fn main() -> h5sink::Result<()> {
/// let file = h5sink::File::in_memory()?;
/// file.create_group("g")?;
/// file.link_hard("g", "h")?;
/// let set: std::collections::HashSet<_> = [file.group("g")?, file.group("h")?].into();
/// assert_eq!(set.len(), 1);
/// # Ok(()) }
/// ```
impl Hash for Group {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (Arc::as_ptr(&self.engine) as *const () as usize).hash(state);
        self.id.hash(state);
    }
}

impl Group {
    /// Create a soft link `link_name` (a `/`-path; missing groups on the way
    /// are created, as [`create_group`](Group::create_group) does) whose
    /// value is the path `target`, absolute or relative to the group that
    /// holds the link. The target need not exist (a dangling link, as in
    /// h5py); [`group`](Group::group) and [`dataset`](Group::dataset)
    /// follow the link when it leads to an object of this file.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPath`](crate::Error::InvalidPath) for an empty
    /// target or one with NUL; the errors of `create_group` for `link_name`
    /// (e.g. [`Error::DuplicateName`](crate::Error::DuplicateName)).
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.new_dataset::<f32>().shape(&[3]).create("data/x")?;
    /// file.link_soft("/data/x", "latest/x")?; // creates /latest
    /// assert_eq!(file.dataset("latest/x")?.shape(), [3]);
    /// file.link_soft("nowhere", "dangling")?; // allowed
    /// assert!(matches!(file.dataset("dangling"), Err(h5sink::Error::NotFound { .. })));
    /// assert_eq!(file.member_names()?, ["dangling", "data", "latest"]);
    /// # Ok(()) }
    /// ```
    pub fn link_soft(&self, target: &str, link_name: &str) -> Result<()> {
        self.engine.link_soft(self.id, target, link_name).map(drop)
    }

    /// Create a hard link `link_name` (a `/`-path, missing groups created)
    /// to the existing group or dataset at `target`: a second name of the
    /// same object, whose header then counts both names. A hard link to a
    /// group that contains it (a cycle) is allowed, as in libhdf5.
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`](crate::Error::NotFound) when `target` names no
    /// object of this file (a dangling soft link or an external link
    /// included); the errors of `create_group` for `link_name`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// let x = file.new_dataset::<i32>().shape(&[2]).create("x")?;
    /// file.link_hard("x", "also/x")?;
    /// file.dataset("also/x")?.write_raw(&[1, 2])?; // the same dataset
    /// assert_eq!(x.read_raw::<i32>()?, [1, 2]);
    /// assert!(matches!(file.link_hard("y", "z"), Err(h5sink::Error::NotFound { .. })));
    /// # Ok(()) }
    /// ```
    pub fn link_hard(&self, target: &str, link_name: &str) -> Result<()> {
        self.engine.link_hard(self.id, target, link_name).map(drop)
    }

    /// Create an external link `link_name` (a `/`-path, missing groups
    /// created) to the object `target` of the file `target_file_name`
    /// (resolved by the reader, as h5py's `ExternalLink`). Neither needs to
    /// exist. h5sink does not follow it: [`group`](Group::group) and
    /// [`dataset`](Group::dataset) refuse it with
    /// [`Error::InvalidPath`](crate::Error::InvalidPath) naming both. The
    /// group holding it is written with Link messages, as libhdf5 does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPath`](crate::Error::InvalidPath) for an empty file
    /// name or target, or one with NUL; the errors of `create_group` for
    /// `link_name`.
    ///
    /// ```
    /// # fn main() -> h5sink::Result<()> {
    /// let file = h5sink::File::in_memory()?;
    /// file.link_external("shard-0.h5", "/features", "shards/0")?;
    /// assert_eq!(file.group("shards")?.member_names()?, ["0"]);
    /// let e = file.dataset("shards/0").unwrap_err();
    /// assert!(e.to_string().contains(r#"external link to "/features" in file "shard-0.h5""#));
    /// # Ok(()) }
    /// ```
    pub fn link_external(
        &self,
        target_file_name: &str,
        target: &str,
        link_name: &str,
    ) -> Result<()> {
        self.engine
            .link_external(self.id, target_file_name, target, link_name)
            .map(drop)
    }
}
