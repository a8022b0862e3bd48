//! A chunked dataset's bookkeeping, as plain data: its chunk shape, maximum
//! shape and filters, where each stored chunk is, and the chunks still being
//! filled. Spec notes: `spec-notes/chunked-layout.md`.

use std::collections::{BTreeMap, BTreeSet};

use crate::format::filter_pipeline::Filter;

/// Where a chunk is stored.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StoredChunk {
    pub address: u64,
    pub size: u32,
    pub mask: u32,
    /// A chunk loaded from a file that may still grow (it lies on the edge
    /// of an extendable dimension): the elements it held then. Such a chunk
    /// is read back and completed by the next write into it, and stored
    /// anew; `None` for a chunk that is complete, or that h5sink stored and
    /// keeps open in memory.
    pub partial: Option<u64>,
}

/// A chunk being filled.
#[derive(Clone, Debug)]
pub(crate) struct OpenChunk {
    pub data: Vec<u8>,
    /// Elements written (a complete chunk has them all).
    pub written: u64,
    /// Changed since last stored.
    pub dirty: bool,
}

/// The chunked layout of a dataset.
#[derive(Clone, Debug)]
pub(crate) struct Chunked {
    pub chunk: Vec<u64>,
    /// Maximum dimensions (`None` = unlimited).
    pub max: Vec<Option<u64>>,
    pub filters: Vec<Filter>,
    /// Stored chunks by chunk coordinates (sorted as the index needs).
    pub stored: BTreeMap<Vec<u64>, StoredChunk>,
    /// Chunks being filled, by chunk coordinates.
    pub open: BTreeMap<Vec<u64>, OpenChunk>,
    /// Complete chunks handed to the filter threads, not yet stored: sealed
    /// like stored ones.
    pub in_flight: BTreeSet<Vec<u64>>,
}

impl Chunked {
    pub fn new(chunk: Vec<u64>, max: Vec<Option<u64>>, filters: Vec<Filter>) -> Self {
        Chunked {
            chunk,
            max,
            filters,
            stored: BTreeMap::new(),
            open: BTreeMap::new(),
            in_flight: BTreeSet::new(),
        }
    }

    /// Elements of chunk `coords` inside `shape` (edge chunks hold fewer).
    pub fn inside(&self, coords: &[u64], shape: &[u64]) -> u64 {
        coords
            .iter()
            .zip(&self.chunk)
            .zip(shape)
            .map(|((&c, &k), &d)| d.saturating_sub(c * k).min(k))
            .product()
    }

    /// Whether chunk `coords` may still grow: it lies on the edge of a
    /// dimension that can be extended.
    pub fn growable(&self, coords: &[u64], shape: &[u64]) -> bool {
        coords
            .iter()
            .zip(&self.chunk)
            .zip(shape)
            .zip(&self.max)
            .any(|(((&c, &k), &d), &m)| (c + 1) * k > d && m.map_or(true, |m| m > d))
    }

    /// The first chunk band (chunk row) of rows `start..start + n` that holds
    /// a chunk already compressed and written, which h5sink never rewrites
    /// (a loaded chunk that may still grow is read back and completed
    /// instead: it does not seal its band).
    pub fn sealed_band(&self, start: u64, n: u64) -> Option<u64> {
        if n == 0 {
            return None;
        }
        let k0 = self.chunk.first().copied().unwrap_or(1).max(1);
        (start / k0..=(start + n - 1) / k0).find(|&b| {
            self.stored
                .range(vec![b]..vec![b + 1])
                .any(|(k, s)| s.partial.is_none() && !self.open.contains_key(k))
                || self.in_flight.range(vec![b]..vec![b + 1]).next().is_some()
        })
    }
}

/// Bytes of a whole chunk of `elem`-byte elements.
pub(crate) fn chunk_len(chunk: &[u64], elem: u64) -> u64 {
    chunk.iter().product::<u64>() * elem
}
