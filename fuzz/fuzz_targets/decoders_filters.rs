//! The `filters` decoder of `decoders_run.rs` (which includes this file
//! with `#[path]`): `filters::unapply` over a pipeline of built-in and
//! plugin filters (`codec_filters.rs`) with any settings, on untrusted or
//! encoded-then-damaged chunks.

use h5sink::filters::{apply, unapply};
use h5sink::format::filter_pipeline::Filter;

use super::{Params, MAX_EXPECTED};

#[path = "codec_filters.rs"]
mod codec_filters;

/// `filters::unapply` over filters, a mask and an expected length from the input.
pub fn filters(mut p: Params<'_>) {
    let n = usize::from(p.u8() % 10);
    let filters: Vec<Filter> = (0..n)
        .map(|_| match p.u8() % 8 {
            0 => Filter::Deflate {
                level: u32::from(p.u8() % 10),
            },
            1 => Filter::Shuffle {
                element_size: u32::from(p.u8()),
            },
            2 => Filter::Shuffle {
                element_size: p.u32(),
            },
            3 => Filter::ShuffleSkipped,
            4 => Filter::Fletcher32,
            _ => codec_filters::plugin_filter(p.u8(), p.u32(), p.u32(), p.u32(), p.u32() as usize),
        })
        .collect();
    let mask = match p.u8() % 3 {
        0 => 0,
        1 => u32::from(p.u8()),
        _ => p.u32(),
    };
    let mut expected = p.u32() as usize % (MAX_EXPECTED + 1);
    let address = p.addr();
    // A quarter of the inputs: the rest is a chunk the filters encode, then
    // damaged (one byte changed, maybe cut short), to be decoded back to its
    // length: hostile chunks that pass the codecs' header checks more often
    // than random bytes do.
    let damage = (p.u8() % 4 == 0).then(|| (p.u32() as usize, p.u8(), p.u32() as usize));
    let rest = p.rest();
    let mut stored = rest.to_vec();
    if let Some((at, xor, cut)) = damage {
        let chunk = &rest[..rest.len().min(MAX_EXPECTED)];
        if let Ok((enc, _)) = apply(&filters, chunk) {
            expected = chunk.len();
            stored = enc;
            if !stored.is_empty() {
                let i = at % stored.len();
                stored[i] ^= xor;
            }
            if cut & 1 == 1 {
                stored.truncate(cut / 2 % (stored.len() + 1));
            }
        }
    }
    if let Ok(out) = unapply(&filters, mask, &stored, expected, address) {
        assert_eq!(out.len(), expected, "unapply returned another length");
    }
}
