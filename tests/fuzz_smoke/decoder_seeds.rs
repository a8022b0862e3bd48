//! Seed inputs for the `decoders` fuzz target (see
//! `fuzz/fuzz_targets/decoders_run.rs` for their layout), cut from a file
//! h5sink writes, so every decoder starts from a valid structure.

use h5sink::filters::apply;
use h5sink::format::filter_pipeline::Filter;
use h5sink::format::{btree::chunk, global_heap, object_header, snod, superblock};
use h5sink::{File, VarLenUnicode};

/// `addr()` of a u64 and `eof()` of a u64.
fn addr(a: u64) -> Vec<u8> {
    let mut v = vec![1];
    v.extend_from_slice(&a.to_le_bytes());
    v
}
fn eof(e: u64) -> Vec<u8> {
    let mut v = vec![0];
    v.extend_from_slice(&e.to_le_bytes());
    v
}

fn input(sel: u8, params: &[Vec<u8>], bytes: &[u8]) -> Vec<u8> {
    let mut v = vec![sel];
    for p in params {
        v.extend_from_slice(p);
    }
    v.extend_from_slice(bytes);
    v
}

fn file() -> Vec<u8> {
    let f = File::in_memory().unwrap();
    let g = f.create_group("grp").unwrap();
    let ds = g
        .new_dataset::<i32>()
        .shape(&[20, 3])
        .chunk(&[8, 3])
        .shuffle()
        .deflate(4)
        .fletcher32()
        .fill_value(7)
        .create("chunked")
        .unwrap();
    let rows: Vec<i32> = (0..60).collect();
    ds.write_rows(0, &rows).unwrap();
    ds.new_attr_builder().with_str("unit").create("u").unwrap();
    let c = f
        .new_dataset::<u8>()
        .shape(&[4])
        .compact()
        .create("c")
        .unwrap();
    c.write_rows(0, &[1u8, 2, 3, 4]).unwrap();
    let d = f.new_dataset::<f64>().shape(&[3]).create("d").unwrap();
    d.write_rows(0, &[1.0f64, 2.0, 3.0]).unwrap();
    let s = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[2])
        .create("s")
        .unwrap();
    s.write_strings(&["ab", "cde"]).unwrap();
    f.new_attr::<u16>().shape(&[2]).create("a").unwrap();
    f.into_bytes().unwrap()
}

fn find(file: &[u8], sig: &[u8; 4]) -> Vec<usize> {
    (0..file.len().saturating_sub(4))
        .filter(|&i| &file[i..i + 4] == sig)
        .collect()
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// (file name, input) for every decoder.
pub fn all() -> Vec<(String, Vec<u8>)> {
    let file = file();
    let len = file.len() as u64;
    let e = eof(len);
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut push = |name: &str, data: Vec<u8>| out.push((name.to_string(), data));

    push(
        "superblock",
        input(0, std::slice::from_ref(&e), &file[..100]),
    );
    let sb = superblock::decode(&file, len).unwrap().superblock;

    // Object headers: the root's and those the symbol table nodes name.
    let mut headers = vec![sb.root_object_header];
    for &at in &find(&file, b"SNOD") {
        let entries = snod::decode_node(&file[at..], at as u64, len, 4).unwrap();
        headers.extend(entries.iter().map(|en| en.object_header));
        let n = entries.len();
        push(
            "snod-node",
            input(
                8,
                &[addr(at as u64), e.clone(), vec![4]],
                &file[at..at + 8 + 40 * n],
            ),
        );
        push(
            "snod-entries",
            input(
                9,
                &[addr(at as u64 + 8), e.clone()],
                &file[at + 8..at + 8 + 40 * n],
            ),
        );
    }
    let kinds = [1u16, 3, 5, 4, 8, 0x0b, 0x0c];
    for (i, &h) in headers.iter().enumerate() {
        let at = h as usize;
        let size = 16 + u32::from_le_bytes(file[at + 8..at + 12].try_into().unwrap()) as usize;
        let bytes = &file[at..at + size];
        let a = addr(h);
        push(
            &format!("ohdr-{i}"),
            input(2, &[a.clone(), e.clone()], bytes),
        );
        if i == 0 {
            push(
                "ohdr-prefix",
                input(1, &[a.clone(), e.clone()], &bytes[..16]),
            );
            push(
                "ohdr-messages",
                input(3, &[addr(h + 16), e.clone()], &bytes[16..]),
            );
            push("ohdr-all", input(25, &[a.clone(), e.clone()], bytes));
        }
        let header = object_header::decode(bytes, h, len).unwrap();
        for m in &header.block.messages {
            if m.kind == 0x11 {
                push(
                    "symbol-table",
                    input(5, &[addr(m.offset), e.clone()], &m.body),
                );
            }
            if let Some(k) = kinds.iter().position(|&k| k == m.kind) {
                let name = format!("msg-{:02x}-{i}", m.kind);
                push(
                    &name,
                    input(17 + k as u8, &[addr(m.offset), e.clone()], &m.body),
                );
            }
        }
    }
    let mut cont = 0x800u64.to_le_bytes().to_vec();
    cont.extend_from_slice(&0x100u64.to_le_bytes());
    push("continuation", input(4, &[addr(0x100), e.clone()], &cont));

    for &at in &find(&file, b"HEAP") {
        let data_size = u64_at(&file, at + 8) as usize;
        let bytes = &file[at..at + 32 + data_size];
        let off = 8u64.to_le_bytes().to_vec();
        push(
            "local-heap",
            input(6, &[addr(at as u64), e.clone(), off.clone()], bytes),
        );
        let data_at = u64_at(&file, at + 24);
        push(
            "heap-name",
            input(
                7,
                &[addr(data_at), off],
                &file[data_at as usize..][..data_size],
            ),
        );
    }
    for &at in &find(&file, b"TREE") {
        let a = addr(at as u64);
        push(
            &format!("btree-header-{}", file[at + 4]),
            input(10, &[a.clone(), e.clone()], &file[at..at + 24]),
        );
        if file[at + 4] == 0 {
            push(
                "group-node",
                input(11, &[a, e.clone(), vec![16]], &file[at..at + 24 + 8 * 65]),
            );
        } else {
            let node = chunk::node_size_k(2, 32) as usize;
            let bytes = &file[at..(at + node).min(file.len())];
            push(
                "chunk-node",
                input(12, &[a.clone(), e.clone(), vec![32], vec![2]], bytes),
            );
            let mut p = vec![
                a,
                (at as u64).to_le_bytes().to_vec(),
                e.clone(),
                vec![32],
                vec![3],
            ];
            p.extend([8u32, 3, 4].iter().map(|d| d.to_le_bytes().to_vec()));
            p.extend([vec![0], vec![64]]);
            push("chunk-walk", input(13, &p, bytes));
        }
    }
    for &at in &find(&file, b"GCOL") {
        let size = u64_at(&file, at + 8) as usize;
        let a = addr(at as u64);
        push(
            "gheap-size",
            input(14, &[a.clone(), e.clone()], &file[at..at + 16]),
        );
        push(
            "gheap",
            input(
                15,
                &[a, e.clone(), 2u32.to_le_bytes().to_vec()],
                &file[at..at + size],
            ),
        );
        let r = global_heap::vlen_ref(3, at as u64, 2);
        push("vlen-ref", input(16, &[addr(0x800), e.clone()], &r));
    }

    let pipeline = [
        Filter::Shuffle { element_size: 4 },
        Filter::Deflate { level: 4 },
        Filter::Fletcher32,
    ];
    let chunk: Vec<u8> = (0..24i32).flat_map(i32::to_le_bytes).collect();
    let (stored, mask) = apply(&pipeline, &chunk).unwrap();
    let p = [
        vec![3, 1, 4, 0, 4, 4],
        vec![1, mask as u8],
        (chunk.len() as u32).to_le_bytes().to_vec(),
        addr(0x1000),
    ];
    push("unapply", input(24, &p, &stored));
    out
}
