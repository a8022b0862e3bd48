//! File-space accounting: which byte ranges are in use, free, or waiting to
//! be freed once the next commit no longer references them.

use crate::error::Result;
use crate::format::field;

/// A half-open byte range `[start, start + len)` of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Extent {
    pub start: u64,
    pub len: u64,
}

impl Extent {
    pub fn end(&self) -> u64 {
        self.start + self.len
    }
}

/// The file's space. Everything below `end` is allocated or free; `end` is
/// the end-of-file address the next commit records.
#[derive(Debug)]
pub(crate) struct Space {
    end: u64,
    /// Free ranges, sorted by start, never adjacent.
    free: Vec<Extent>,
    /// Ranges the committed state still references; freed after the next commit.
    retiring: Vec<Extent>,
}

impl Space {
    pub fn new(start: u64) -> Self {
        Space {
            end: start,
            free: Vec::new(),
            retiring: Vec::new(),
        }
    }

    /// End of the allocated address space.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Bytes in free ranges below `end`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn free_bytes(&self) -> u64 {
        self.free.iter().map(|e| e.len).sum()
    }

    /// Reserve `len` bytes: the first free range that fits, else the end.
    pub fn alloc(&mut self, len: u64) -> Result<Extent> {
        if len > 0 {
            if let Some(i) = self.free.iter().position(|e| e.len >= len) {
                let e = &mut self.free[i];
                let got = Extent {
                    start: e.start,
                    len,
                };
                e.start += len;
                e.len -= len;
                if e.len == 0 {
                    self.free.remove(i);
                }
                return Ok(got);
            }
        }
        let start = self.end;
        self.end = field::add("end of file address", start, len)?;
        Ok(Extent { start, len })
    }

    /// Reserve `len` bytes at the end of the file, never reusing freed space:
    /// such bytes read as zeros until written (data blocks rely on that).
    pub fn alloc_fresh(&mut self, len: u64) -> Result<Extent> {
        let start = self.end;
        self.end = field::add("end of file address", start, len)?;
        Ok(Extent { start, len })
    }

    /// Return a range that no state on disk references (never committed).
    pub fn release_now(&mut self, e: Extent) {
        if e.len == 0 {
            return;
        }
        let i = self.free.partition_point(|f| f.start < e.start);
        self.free.insert(i, e);
        // Merge with neighbours.
        if i + 1 < self.free.len() && self.free[i].end() == self.free[i + 1].start {
            self.free[i].len += self.free[i + 1].len;
            self.free.remove(i + 1);
        }
        if i > 0 && self.free[i - 1].end() == self.free[i].start {
            self.free[i - 1].len += self.free[i].len;
            self.free.remove(i);
        }
    }

    /// Free `e` once the next commit has replaced the state that references it.
    pub fn release_after_commit(&mut self, e: Extent) {
        if e.len > 0 {
            self.retiring.push(e);
        }
    }

    /// The commit went through: what it superseded is free now.
    pub fn committed(&mut self) {
        for e in std::mem::take(&mut self.retiring) {
            self.release_now(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_fit_merge_and_retire() {
        let mut s = Space::new(96);
        let a = s.alloc(100).unwrap();
        let b = s.alloc(50).unwrap();
        let c = s.alloc(10).unwrap();
        assert_eq!((a.start, b.start, c.start, s.end()), (96, 196, 246, 256));
        s.release_after_commit(a);
        assert_eq!(
            s.alloc(10).unwrap().start,
            256,
            "retiring space is not reused before the commit"
        );
        s.committed();
        s.release_now(b);
        assert_eq!(
            s.free,
            vec![Extent {
                start: 96,
                len: 150
            }]
        );
        assert_eq!(s.alloc(120).unwrap().start, 96);
        assert_eq!(s.free_bytes(), 30);
    }
}
