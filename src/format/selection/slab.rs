//! Regular hyperslabs: start, stride, count and block per dimension, as
//! libhdf5 normalizes them, their blocks, and the way back from a block
//! list to the regular form. Spec notes: `spec-notes/virtual-dataset.md`.

use super::MAX_LISTED_BLOCKS;

/// A count that never ends (libhdf5's `H5S_UNLIMITED`): the pattern
/// repeats as far as the extent goes, e.g. the rows of a growing source.
///
/// ```
/// assert_eq!(h5sink::UNLIMITED, u64::MAX);
/// ```
pub const UNLIMITED: u64 = u64::MAX;

/// A regular hyperslab: in each dimension `count` blocks of `block`
/// elements, `stride` apart, from `start` (h5py's `slice`s).
///
/// Built as one block ([`Hyperslab::new`]) and refined with
/// [`stride`](Hyperslab::stride) / [`count`](Hyperslab::count). Files hold
/// it as libhdf5 stores it ([`normalized`](Hyperslab::normalized)): a
/// dimension whose blocks touch (stride equal to the block) is one block,
/// and a single block has stride 1.
///
/// ```
/// use h5sink::{Hyperslab, UNLIMITED};
///
/// // Rows 2..7 of a dataset of rows of 4: h5py's `[2:7, :]`.
/// let rows = Hyperslab::new(&[2, 0], &[5, 4]);
/// assert_eq!(rows.elements(), Some(20));
/// // Every other column: h5py's `[:, ::2]` of a 3 x 8 extent.
/// let even = Hyperslab::new(&[0, 0], &[3, 1]).stride(&[1, 2]).count(&[1, 4]);
/// assert_eq!(even.elements(), Some(12));
/// // Rows from 0 on, as many as there are: h5py's `[0:h5py.h5s.UNLIMITED, :]`.
/// let all_rows = Hyperslab::new(&[0, 0], &[1, 4]).count(&[UNLIMITED, 1]);
/// assert_eq!((all_rows.elements(), all_rows.unlimited_dim()), (None, Some(0)));
/// // Touching blocks are one block, as libhdf5 stores them.
/// assert_eq!(Hyperslab::new(&[0], &[1]).count(&[5]).normalized(), Hyperslab::new(&[0], &[5]));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Hyperslab {
    /// First coordinate of the first block, per dimension.
    pub start: Vec<u64>,
    /// Distance between block starts (at least the block when count > 1).
    pub stride: Vec<u64>,
    /// Blocks per dimension ([`UNLIMITED`]: as many as the extent holds).
    pub count: Vec<u64>,
    /// Elements of one block, per dimension.
    pub block: Vec<u64>,
}

impl Hyperslab {
    /// One block of `block` elements per dimension at `start` (count 1,
    /// stride 1). The rank is the length of `start` (missing `block`
    /// entries are 1).
    ///
    /// ```
    /// let h = h5sink::Hyperslab::new(&[1, 2], &[3, 4]);
    /// assert_eq!((h.start, h.count, h.block), (vec![1, 2], vec![1, 1], vec![3, 4]));
    /// ```
    pub fn new(start: &[u64], block: &[u64]) -> Hyperslab {
        let rank = start.len();
        Hyperslab {
            start: start.to_vec(),
            stride: vec![1; rank],
            count: vec![1; rank],
            block: (0..rank)
                .map(|d| block.get(d).copied().unwrap_or(1))
                .collect(),
        }
    }

    /// The same with these strides (missing entries unchanged).
    ///
    /// ```
    /// let h = h5sink::Hyperslab::new(&[0], &[1]).stride(&[3]).count(&[4]);
    /// assert_eq!((h.stride, h.count), (vec![3], vec![4]));
    /// ```
    pub fn stride(mut self, stride: &[u64]) -> Hyperslab {
        for (d, &s) in self.stride.iter_mut().zip(stride) {
            *d = s;
        }
        self
    }

    /// The same with these counts (missing entries unchanged).
    ///
    /// ```
    /// let h = h5sink::Hyperslab::new(&[0, 0], &[2, 2]).stride(&[4, 4]).count(&[3, 1]);
    /// assert_eq!(h.elements(), Some(12));
    /// ```
    pub fn count(mut self, count: &[u64]) -> Hyperslab {
        for (d, &c) in self.count.iter_mut().zip(count) {
            *d = c;
        }
        self
    }

    /// Rank (number of dimensions).
    ///
    /// ```
    /// assert_eq!(h5sink::Hyperslab::new(&[0, 0, 0], &[1, 1, 1]).rank(), 3);
    /// ```
    pub fn rank(&self) -> usize {
        self.start.len()
    }

    /// The dimension whose count is [`UNLIMITED`], if any.
    ///
    /// ```
    /// let h = h5sink::Hyperslab::new(&[0], &[2]).stride(&[2]).count(&[h5sink::UNLIMITED]);
    /// assert_eq!(h.unlimited_dim(), Some(0));
    /// ```
    pub fn unlimited_dim(&self) -> Option<usize> {
        self.count.iter().position(|&c| c == UNLIMITED)
    }

    /// Elements selected (`None` if a count is unlimited or on overflow).
    ///
    /// ```
    /// assert_eq!(h5sink::Hyperslab::new(&[5, 5], &[2, 3]).elements(), Some(6));
    /// ```
    pub fn elements(&self) -> Option<u64> {
        (0..self.rank()).try_fold(1u64, |a, d| {
            let c = self.count.get(d).copied().filter(|&c| c != UNLIMITED)?;
            a.checked_mul(c.checked_mul(*self.block.get(d)?)?)
        })
    }

    /// Elements selected per step of the unlimited dimension: the product
    /// over the other dimensions of count x block, times the unlimited
    /// dimension's block (`None` on overflow).
    ///
    /// ```
    /// let h = h5sink::Hyperslab::new(&[0, 0], &[1, 4]).count(&[h5sink::UNLIMITED, 1]);
    /// assert_eq!(h.elements_per_step(), Some(4));
    /// ```
    pub fn elements_per_step(&self) -> Option<u64> {
        (0..self.rank()).try_fold(1u64, |a, d| {
            let (c, b) = (*self.count.get(d)?, *self.block.get(d)?);
            let n = if c == UNLIMITED { b } else { c.checked_mul(b)? };
            a.checked_mul(n)
        })
    }

    /// One past the last coordinate selected in dimension `d` (`None` when
    /// unlimited there or on overflow).
    ///
    /// ```
    /// let h = h5sink::Hyperslab::new(&[1], &[2]).stride(&[5]).count(&[3]);
    /// assert_eq!(h.end(0), Some(1 + 2 * 5 + 2));
    /// ```
    pub fn end(&self, d: usize) -> Option<u64> {
        let c = self
            .count
            .get(d)
            .copied()
            .filter(|&c| c != UNLIMITED && c > 0)?;
        (c - 1)
            .checked_mul(*self.stride.get(d)?)?
            .checked_add(*self.start.get(d)?)?
            .checked_add(*self.block.get(d)?)
    }

    /// libhdf5's normal form, the one files hold: in each bounded
    /// dimension, blocks that touch (stride equal to the block) become one
    /// block, and a single block has stride 1. Selects the same elements.
    ///
    /// ```
    /// use h5sink::Hyperslab;
    /// let cols = Hyperslab::new(&[0, 2], &[4, 1]).stride(&[1, 1]).count(&[1, 3]);
    /// assert_eq!(cols.normalized(), Hyperslab::new(&[0, 2], &[4, 3]));
    /// let odd = Hyperslab::new(&[1], &[1]).stride(&[2]).count(&[3]);
    /// assert_eq!(odd.clone().normalized(), odd);
    /// ```
    pub fn normalized(mut self) -> Hyperslab {
        for d in 0..self.rank() {
            let (c, s, b) = (self.count[d], self.stride[d], self.block[d]);
            if c == UNLIMITED {
                continue;
            }
            if c > 1 && s == b {
                if let Some(n) = c.checked_mul(b) {
                    self.block[d] = n;
                    self.count[d] = 1;
                }
            }
            if self.count[d] == 1 {
                self.stride[d] = 1;
            }
        }
        self
    }

    /// The blocks (first and last coordinates) in row-major order, when
    /// they fit a version 1 list: bounded, coordinates below 2^32, at most
    /// [`MAX_LISTED_BLOCKS`] blocks.
    pub(crate) fn listed_blocks(&self) -> Option<Vec<(Vec<u64>, Vec<u64>)>> {
        let rank = self.rank();
        let mut total = 1u64;
        for d in 0..rank {
            if self.end(d)? > u64::from(u32::MAX) + 1 || self.block[d] == 0 {
                return None;
            }
            total = total.checked_mul(self.count[d])?;
        }
        if total > MAX_LISTED_BLOCKS || total == 0 {
            return None;
        }
        let mut out = Vec::with_capacity(total as usize);
        let mut idx = vec![0u64; rank];
        loop {
            let first: Vec<u64> = (0..rank)
                .map(|d| self.start[d] + idx[d] * self.stride[d])
                .collect();
            let last = first
                .iter()
                .zip(&self.block)
                .map(|(&f, &b)| f + b - 1)
                .collect();
            out.push((first, last));
            // Next index, last dimension fastest.
            let mut d = rank;
            loop {
                if d == 0 {
                    return Some(out);
                }
                d -= 1;
                idx[d] += 1;
                if idx[d] < self.count[d] {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /// The regular hyperslab whose blocks are exactly `blocks` (in
    /// row-major order), if there is one.
    pub(crate) fn from_blocks(blocks: &[(Vec<u64>, Vec<u64>)]) -> Option<Hyperslab> {
        let rank = blocks.first()?.0.len();
        let mut h = Hyperslab {
            start: vec![0; rank],
            stride: vec![1; rank],
            count: vec![1; rank],
            block: vec![1; rank],
        };
        for d in 0..rank {
            let mut firsts = blocks
                .iter()
                .map(|b| b.0.get(d).copied())
                .collect::<Option<Vec<u64>>>()?;
            firsts.sort_unstable();
            firsts.dedup();
            let (s, e) = (&blocks[0].0, &blocks[0].1);
            h.start[d] = *firsts.first()?;
            h.block[d] = e.get(d)?.checked_sub(*s.get(d)?)? + 1;
            h.count[d] = firsts.len() as u64;
            if firsts.len() > 1 {
                h.stride[d] = firsts[1] - firsts[0];
            }
        }
        (h.listed_blocks()?.as_slice() == blocks).then(|| h.normalized())
    }
}
