//! The `decoders` interpreter, shared by the cargo-fuzz target
//! `decoders.rs` and by the stable replay test `tests/fuzz_smoke.rs` (both
//! include this file with `#[path]`; it needs nothing but `h5sink` and std).
//!
//! One input is one call of a pub decoder of `h5sink::format` or of
//! `h5sink::filters::unapply` on untrusted bytes: byte 0 picks the decoder
//! (modulo [`DECODERS`]), the next bytes its parameters (`base`, `eof`, K,
//! rank, ...; see [`Params`]), and the rest is the structure's bytes. The
//! decoder must not panic, loop or over-allocate; `Ok` and `Err` are fine.
//! Where an encoder exists, `decode(encode(value)) == value` (up to what
//! the encoder legitimately normalises) is asserted.
#![allow(dead_code)]

#[path = "decoders_filters.rs"]
mod decoders_filters;
use decoders_filters::filters;
use h5sink::format::btree::{self, chunk};
use h5sink::format::dataspace::{self, decode::Dataspace};
use h5sink::format::datatype::decode::TypeDesc;
use h5sink::format::fill_value::{self, decode::Fill, decode::FillValue};
use h5sink::format::filter_pipeline::{self, decode::FilterDesc, Filter};
use h5sink::format::layout::{self, decode::Layout};
use h5sink::format::object_header::{self, kind};
use h5sink::format::{attribute, field::UNDEF_ADDR, global_heap, local_heap, reader::Reader};
use h5sink::format::{snod, superblock, symbol_table};

/// Number of selectors; byte 0 of an input is taken modulo this.
pub const DECODERS: u8 = 26;

/// The largest chunk `unapply` is asked to rebuild (1 MiB).
pub const MAX_EXPECTED: usize = 1 << 20;

/// Reads the parameters; past the end every read is 0, so any input decodes.
pub struct Params<'a> {
    data: &'a [u8],
}

impl<'a> Params<'a> {
    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    pub fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | u64::from(self.u32()) << 32
    }
    /// A file address (`base`): mode byte 0 → 0, 1 → a u64, 2 → near u64::MAX,
    /// 3 → a u16.
    pub fn addr(&mut self) -> u64 {
        match self.u8() % 4 {
            0 => 0,
            1 => self.u64(),
            2 => u64::MAX - u64::from(self.u8()),
            _ => u64::from(self.u16()),
        }
    }
    /// An end of file: mode byte 0 → a u64, 1 → u64::MAX, 2 → a u16, 3 → 0.
    pub fn eof(&mut self) -> u64 {
        match self.u8() % 4 {
            0 => self.u64(),
            1 => u64::MAX,
            2 => u64::from(self.u16()),
            _ => 0,
        }
    }
    /// A B-tree K or leaf K: usually small, sometimes up to u16::MAX.
    pub fn k(&mut self) -> u16 {
        let b = self.u8();
        if b == 0xff {
            self.u16()
        } else {
            u16::from(b)
        }
    }
    pub fn rest(self) -> &'a [u8] {
        self.data
    }
}

/// Run one input.
pub fn run_decoders(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let mut p = Params { data: rest };
    match sel % DECODERS {
        0 => {
            let file_len = p.eof();
            if let Ok(d) = superblock::decode(p.rest(), file_len) {
                let again = superblock::decode(&d.superblock.encode(), d.superblock.eof);
                assert_eq!(again.map(|a| a.superblock).ok(), Some(d.superblock));
            }
        }
        1 | 3 | 4 | 5 | 14 | 16 => {
            let (base, eof) = (p.addr(), p.eof());
            let b = p.rest();
            let _ = match sel % DECODERS {
                1 => object_header::decode_prefix(b, base, eof).map(drop),
                3 => object_header::decode_messages(b, base, eof).map(drop),
                4 => object_header::decode_continuation(b, base, eof).map(drop),
                5 => symbol_table::decode(b, base, eof).map(drop),
                14 => global_heap::collection_size(b, base, eof).map(drop),
                _ => global_heap::decode_vlen_ref(b, base, eof).map(drop),
            };
        }
        2 => {
            let (base, eof) = (p.addr(), p.eof());
            if let Ok(h) = object_header::decode(p.rest(), base, eof) {
                for m in &h.block.messages {
                    message(m.kind, &m.body, m.offset, eof);
                }
            }
        }
        6 => {
            let (base, eof, offset) = (p.addr(), p.eof(), p.u64());
            let bytes = p.rest();
            if let Ok(h) = local_heap::decode(bytes, base, eof) {
                let data = bytes.get(32..).unwrap_or_default();
                let len = usize::try_from(h.data_size).unwrap_or(usize::MAX);
                let data = &data[..len.min(data.len())];
                for off in [0, 8, offset] {
                    if let Ok(name) = local_heap::name_at(data, h.data_address, off) {
                        assert!(name.len() < data.len(), "a name without its NUL");
                    }
                }
            }
        }
        7 => {
            let (addr, offset) = (p.addr(), p.u64());
            let _ = local_heap::name_at(p.rest(), addr, offset);
        }
        8 => {
            let (base, eof, leaf_k) = (p.addr(), p.eof(), p.k());
            if let Ok(e) = snod::decode_node(p.rest(), base, eof, leaf_k) {
                assert!(e.len() <= 2 * usize::from(leaf_k));
            }
        }
        9 => {
            let (base, eof) = (p.addr(), p.eof());
            let mut r = Reader::new(p.rest(), base, "symbol table entry");
            while !r.is_empty() && snod::decode_entry(&mut r, eof).is_ok() {}
        }
        10 => {
            let (base, eof) = (p.addr(), p.eof());
            let mut r = Reader::new(p.rest(), base, "B-tree node");
            let _ = btree::decode_node_header(&mut r, eof);
        }
        11 => {
            let (base, eof, k) = (p.addr(), p.eof(), p.k());
            if let Ok(n) = btree::group::decode_group_node(p.rest(), base, eof, k) {
                assert!(n.children.len() <= 2 * usize::from(k));
            }
        }
        12 => {
            let (base, eof, k, rank) = (p.addr(), p.eof(), p.k(), usize::from(p.u8() % 40));
            if let Ok(n) = chunk::decode_node(p.rest(), base, rank, k, eof) {
                assert!(n.children.len() <= 2 * usize::from(k));
            }
        }
        13 => walk(p),
        15 => {
            let (base, eof, index) = (p.addr(), p.eof(), p.u32());
            let bytes = p.rest();
            if let Ok(c) = global_heap::decode_collection(bytes, base, eof) {
                assert!(c.size <= bytes.len() as u64, "a collection past its bytes");
                for (&i, obj) in &c.objects {
                    let got =
                        global_heap::resolve_vlen_string(&c, obj.len() as u32, base, i.into());
                    assert_eq!(got.ok(), Some(&obj[..]));
                }
                let _ = global_heap::resolve_vlen_string(&c, index >> 8, base, index);
                heap_round_trip(&c);
            }
        }
        17..=23 => {
            let kinds = [1, 3, 5, 4, 8, 0x0b, 0x0c];
            let (base, eof) = (p.addr(), p.eof());
            message(kinds[usize::from(sel % DECODERS - 17)], p.rest(), base, eof);
        }
        24 => filters(p),
        _ => {
            // Every message of a header, then each continuation block found.
            let (base, eof) = (p.addr(), p.eof());
            let bytes = p.rest();
            if let Ok(h) = object_header::decode(bytes, base, eof) {
                for c in h.block.continuations.iter().take(4) {
                    let at = c.address.wrapping_sub(base);
                    let Some(block) = usize::try_from(at).ok().and_then(|a| bytes.get(a..)) else {
                        continue;
                    };
                    let len = usize::try_from(c.length).unwrap_or(usize::MAX);
                    let block = &block[..len.min(block.len())];
                    if let Ok(b) = object_header::decode_messages(block, c.address, eof) {
                        for m in &b.messages {
                            message(m.kind, &m.body, m.offset, eof);
                        }
                    }
                }
            }
        }
    }
}

/// Decode a message body by its type, with the round-trip oracles.
fn message(kind_id: u16, body: &[u8], base: u64, eof: u64) {
    match kind_id {
        kind::DATASPACE => {
            if let Ok(s) = Dataspace::decode(body, base) {
                let _ = (s.dims(), s.points());
                let enc = match &s {
                    Dataspace::Simple { dims, max: None } => dataspace::encode(dims),
                    Dataspace::Simple { dims, max: Some(m) } => dataspace::encode_with_max(dims, m),
                    Dataspace::Scalar => dataspace::encode(&[]),
                    Dataspace::Null => return,
                };
                // `encode` writes the dimensions as fixed maxima, and a fixed
                // maximum of u64::MAX is the unlimited one: compare with those.
                let norm = |s: Dataspace| match s {
                    Dataspace::Simple { dims, max } => {
                        let max = max.unwrap_or_else(|| dims.iter().map(|&d| Some(d)).collect());
                        let max = max.into_iter().map(|m| m.filter(|&m| m != u64::MAX));
                        Dataspace::Simple {
                            max: Some(max.collect()),
                            dims,
                        }
                    }
                    s => s,
                };
                if let Ok(enc) = enc {
                    let again = Dataspace::decode(&enc, 0).ok().map(norm);
                    assert_eq!(again, Some(norm(s)), "dataspace");
                }
            }
        }
        kind::DATATYPE => {
            if let Ok(t) = TypeDesc::decode(body, base) {
                let _ = (t.element_size(), t.describe());
            }
        }
        kind::FILL_VALUE_OLD => {
            if let Ok(v) = fill_value::decode::decode_old(body, base) {
                let again = fill_value::decode::decode_old(&fill_value::encode_old(&v), 0);
                assert_eq!(again.ok(), Some(v), "old fill value");
            }
        }
        kind::FILL_VALUE => {
            if let Ok(f) = FillValue::decode(body, base) {
                let enc = match &f.fill {
                    Fill::Default => Ok(fill_value::encode_default(f.alloc, f.time)),
                    Fill::Value(v) => fill_value::encode_user(f.alloc, f.time, v),
                    Fill::Undefined => return,
                };
                if let Ok(enc) = enc {
                    assert_eq!(FillValue::decode(&enc, 0).ok(), Some(f), "fill value");
                }
            }
        }
        kind::LAYOUT => {
            if let Ok(l) = Layout::decode(body, base, eof) {
                let enc = match &l {
                    Layout::Compact(d) => layout::compact(d),
                    Layout::Contiguous { address, size } => {
                        Ok(layout::contiguous(address.unwrap_or(UNDEF_ADDR), *size))
                    }
                    Layout::Chunked(c) => layout::chunked::chunked_v3(
                        c.btree.unwrap_or(UNDEF_ADDR),
                        &c.dims,
                        c.element_size,
                    ),
                    Layout::Virtual { .. } => return, // round trip: layout::decode's tests
                };
                // `contiguous` writes no address for 0 bytes: compare then only the size.
                if let (Ok(enc), false) = (enc, matches!(l, Layout::Contiguous { size: 0, .. })) {
                    assert_eq!(Layout::decode(&enc, 0, eof).ok(), Some(l), "layout");
                }
            }
        }
        0x0b => {
            if let Ok(descs) = filter_pipeline::decode::decode(body, base) {
                let known: Option<Vec<Filter>> = descs
                    .iter()
                    .map(|d| match d {
                        FilterDesc::Known(f) => Some(*f),
                        FilterDesc::Other { .. } => None,
                    })
                    .collect();
                if let Some(Ok(enc)) = known.map(|f| filter_pipeline::encode_v1(&f)) {
                    let again = filter_pipeline::decode::decode(&enc, 0);
                    assert_eq!(again.ok(), Some(descs), "filter pipeline");
                }
            }
        }
        kind::ATTRIBUTE => {
            if let Ok(a) = attribute::decode::AttrMsg::decode(body, base) {
                let _ = (
                    a.datatype.element_size(),
                    a.dataspace.points(),
                    a.name.len(),
                );
            }
        }
        kind::CONTINUATION => {
            let _ = object_header::decode_continuation(body, base, eof);
        }
        kind::SYMBOL_TABLE => {
            let _ = symbol_table::decode(body, base, eof);
        }
        _ => {}
    }
}

/// A collection whose objects are numbered 1..=n re-encodes to the same objects.
fn heap_round_trip(c: &global_heap::Collection) {
    if c.objects.keys().copied().ne(1..=c.objects.len() as u16) {
        return;
    }
    let lens: Vec<u64> = c.objects.values().map(|o| o.len() as u64).collect();
    let Ok(plans) = global_heap::pack(&lens) else {
        return;
    };
    let [plan] = &plans[..] else {
        return;
    };
    let objs: Vec<&[u8]> = c.objects.values().map(|o| &o[..]).collect();
    let mut out = Vec::new();
    if global_heap::encode(&mut out, plan, &objs).is_ok() {
        // Refused only if the address leaves no room for the new size.
        if let Ok(again) = global_heap::decode_collection(&out, c.address, u64::MAX) {
            assert_eq!(again.objects, c.objects, "global heap");
        }
    }
}

/// `chunk::walk` over the rest of the input, mapped at a file address.
fn walk(mut p: Params<'_>) {
    let (at, root, eof, k) = (p.addr(), p.u64(), p.eof(), p.k());
    let rank = usize::from(p.u8() % 34);
    let dims: Vec<u64> = (0..rank).map(|_| u64::from(p.u32())).collect();
    let max: Option<Vec<u64>> = match p.u8() % 3 {
        0 => None,
        1 => Some(dims.iter().skip(1).map(|_| p.u64()).collect()),
        _ => Some(vec![u64::from(p.u16()); usize::from(p.u8() % 34)]),
    };
    let limit = usize::from(p.u8() % 65);
    let file = p.rest();
    let node = chunk::node_size_k(rank.saturating_sub(1), k);
    let read = |addr: u64| {
        let i = addr.checked_sub(at).and_then(|i| usize::try_from(i).ok());
        match i.and_then(|i| file.get(i..)) {
            Some(b) => Ok(b[..usize::try_from(node).unwrap_or(usize::MAX).min(b.len())].to_vec()),
            None => Err(h5sink::Error::Malformed {
                structure: "fuzz file",
                offset: addr,
                reason: "outside the input".into(),
            }),
        }
    };
    if let Ok(entries) = chunk::walk(read, root, &dims, max.as_deref(), k, eof, limit) {
        assert!(entries.len() <= limit.saturating_mul(2 * usize::from(k)));
    }
}
