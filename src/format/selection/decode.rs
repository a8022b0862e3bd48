//! Decoding serialized selections from untrusted bytes: every count is
//! checked against the bytes left before anything is allocated. Spec
//! notes: `spec-notes/virtual-dataset.md` ("Selections").

use super::{Hyperslab, Selection, TYPE_ALL, TYPE_HYPERSLAB, TYPE_NONE, TYPE_POINTS, UNLIMITED};
use crate::error::{Error, Result};
use crate::format::dataspace::MAX_RANK;
use crate::format::reader::Reader;

fn unsupported(r: &Reader<'_>, detail: String) -> Error {
    Error::Unsupported {
        structure: "dataspace selection",
        offset: r.offset(),
        detail,
    }
}

/// One serialized selection.
pub(super) fn decode(r: &mut Reader<'_>) -> Result<Selection> {
    let kind = r.u32()?;
    let version = r.u32()?;
    match (kind, version) {
        (TYPE_NONE | TYPE_ALL, 1) => {
            r.skip(8)?; // reserved, length
            Ok(if kind == TYPE_ALL {
                Selection::All
            } else {
                Selection::None
            })
        }
        (TYPE_POINTS, 1) => {
            r.skip(8)?; // reserved, length
            let rank = rank(r)?;
            let n = r.u32()? as usize;
            if n.saturating_mul(rank).saturating_mul(4) > r.remaining() {
                return Err(r.error(format!("{n} points of rank {rank} past the end")));
            }
            let points = (0..n)
                .map(|_| (0..rank).map(|_| r.u32().map(u64::from)).collect())
                .collect::<Result<Vec<Vec<u64>>>>()?;
            Ok(Selection::Points(points))
        }
        (TYPE_HYPERSLAB, 1) => {
            r.skip(8)?; // reserved, length
            let rank = rank(r)?;
            let n = r.u32()? as usize;
            blocks(r, rank, n, 4)
        }
        (TYPE_HYPERSLAB, 2) => {
            let flags = r.u8()?;
            r.skip(4)?; // length
            let rank = rank(r)?;
            if flags & 1 == 0 {
                return Err(r.error("a version 2 hyperslab that is not regular"));
            }
            regular(r, rank, 8)
        }
        (TYPE_HYPERSLAB, 3) => {
            let flags = r.u8()?;
            let width = usize::from(r.u8()?);
            if ![2, 4, 8].contains(&width) {
                return Err(r.error(format!("hyperslab coordinates of {width} bytes")));
            }
            let rank = rank(r)?;
            if flags & 1 == 1 {
                regular(r, rank, width)
            } else {
                let n = usize::try_from(r.uint(width)?).unwrap_or(usize::MAX);
                blocks(r, rank, n, width)
            }
        }
        (TYPE_NONE..=TYPE_ALL, v) => Err(unsupported(
            r,
            format!(
                "selection type {kind} version {v}; h5sink reads the versions libhdf5 2.0 writes"
            ),
        )),
        (k, _) => Err(r.error(format!("selection type {k}"))),
    }
}

fn rank(r: &mut Reader<'_>) -> Result<usize> {
    let rank = r.u32()? as usize;
    if rank == 0 || rank > MAX_RANK {
        return Err(r.error(format!("selection rank {rank}")));
    }
    Ok(rank)
}

/// A regular hyperslab of `width`-byte values; all ones is unlimited.
fn regular(r: &mut Reader<'_>, rank: usize, width: usize) -> Result<Selection> {
    let all_ones = if width == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * width)) - 1
    };
    let mut h = Hyperslab::new(&vec![0; rank], &vec![1; rank]);
    for d in 0..rank {
        h.start[d] = r.uint(width)?;
        h.stride[d] = r.uint(width)?;
        let c = r.uint(width)?;
        h.count[d] = if c == all_ones { UNLIMITED } else { c };
        h.block[d] = r.uint(width)?;
    }
    Ok(Selection::Slab(h.normalized()))
}

/// `n` blocks of `width`-byte first and last coordinates: the regular
/// hyperslab they form, or the list itself.
fn blocks(r: &mut Reader<'_>, rank: usize, n: usize, width: usize) -> Result<Selection> {
    if n.saturating_mul(rank).saturating_mul(2 * width) > r.remaining() {
        return Err(r.error(format!("{n} blocks of rank {rank} past the end")));
    }
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        let first = (0..rank)
            .map(|_| r.uint(width))
            .collect::<Result<Vec<u64>>>()?;
        let last = (0..rank)
            .map(|_| r.uint(width))
            .collect::<Result<Vec<u64>>>()?;
        if first.iter().zip(&last).any(|(f, l)| l < f) {
            return Err(r.error(format!("a block from {first:?} to {last:?}")));
        }
        list.push((first, last));
    }
    Ok(match Hyperslab::from_blocks(&list) {
        Some(h) => Selection::Slab(h),
        None => Selection::Blocks(list),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(s: &Selection) -> Selection {
        let mut out = Vec::new();
        s.encode(&mut out).unwrap();
        decode(&mut Reader::new(&out, 0, "selection")).unwrap()
    }

    #[test]
    fn regular_slabs_survive_the_block_list() {
        let cases = [
            Hyperslab::new(&[0, 0], &[5, 4]),
            Hyperslab::new(&[1, 1], &[1, 1])
                .stride(&[1, 2])
                .count(&[1, 6]),
            Hyperslab::new(&[0, 0, 0], &[2, 1, 3])
                .stride(&[3, 2, 4])
                .count(&[3, 4, 2]),
            Hyperslab::new(&[7], &[1]),
        ];
        for h in cases {
            let h = h.normalized();
            assert_eq!(round(&Selection::Slab(h.clone())), Selection::Slab(h));
        }
    }

    #[test]
    fn unlimited_and_large_use_version_2() {
        let h = Hyperslab::new(&[3, 0], &[1, 4]).count(&[UNLIMITED, 1]);
        let mut out = Vec::new();
        Selection::Slab(h.clone()).encode(&mut out).unwrap();
        assert_eq!(out[4], 2);
        assert_eq!(round(&Selection::Slab(h.clone())), Selection::Slab(h));
        let big = Hyperslab::new(&[3], &[1 << 32]);
        let mut out = Vec::new();
        Selection::Slab(big.clone()).encode(&mut out).unwrap();
        assert_eq!(out[4], 2);
        assert_eq!(round(&Selection::Slab(big.clone())), Selection::Slab(big));
    }

    #[test]
    fn irregular_lists_and_points_stay_lists() {
        let b = Selection::Blocks(vec![(vec![0, 0], vec![0, 1]), (vec![2, 5], vec![3, 5])]);
        assert_eq!(round(&b), b);
        let p = Selection::Points(vec![vec![1, 2], vec![0, 0]]);
        assert_eq!(round(&p), p);
        assert_eq!(round(&Selection::None), Selection::None);
    }

    #[test]
    fn hostile_counts_are_errors() {
        // A version 1 hyperslab claiming 2^32-1 blocks in 8 bytes.
        let mut b = vec![2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0];
        b.extend_from_slice(&u32::MAX.to_le_bytes());
        b.extend_from_slice(&[0; 8]);
        assert!(matches!(
            decode(&mut Reader::new(&b, 0, "selection")),
            Err(Error::Malformed { .. })
        ));
        let bad = [9, 0, 0, 0, 1, 0, 0, 0];
        assert!(decode(&mut Reader::new(&bad, 0, "selection")).is_err());
    }
}
