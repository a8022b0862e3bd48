//! Appending variable-length strings to a resizable, chunked dataset: the
//! strings fill one open global heap collection between commits (dense
//! files for small appends), and the file stays valid at every write.

use crate::common;

use crate::common::{Data, Manifest, StopAfter};
use h5sink::{File, MemStorage, VarLenUnicode};

/// String i of the streams: mostly short paths, some empty, non-ASCII or
/// larger than a heap collection.
fn string(i: usize) -> String {
    match i % 41 {
        5 => String::new(),
        17 => format!("ünïcødé ✓ {i}"),
        40 => format!("{i}:").repeat(1500),
        _ => format!("images/train/{i:06}.jpg"),
    }
}

/// 2000 appends of one string each, committed every 100: the heap holds
/// about as many bytes as the strings need, not a 4 KiB collection per call.
#[test]
fn one_string_appends_share_heap_collections() {
    let mem = MemStorage::new();
    let f = File::with_storage(mem.clone()).unwrap();
    let ds = f
        .new_dataset::<VarLenUnicode>()
        .shape(&[0])
        .resizable()
        .chunk(&[512])
        .create("paths")
        .unwrap();
    let all: Vec<String> = (0..2000).map(string).collect();
    for (i, s) in all.iter().enumerate() {
        assert_eq!(ds.append_strings(&[s]).unwrap(), i as u64);
        if i % 100 == 99 {
            f.flush().unwrap();
        }
    }
    f.close().unwrap();
    // Heap objects: 16-byte header + data padded to 8; references 16 bytes.
    let heap: usize = all.iter().map(|s| 16 + s.len().div_ceil(8) * 8).sum();
    let refs = 16 * all.len();
    let size = mem.to_vec().len();
    // 20 commits may each leave one partly filled 4 KiB collection, plus
    // metadata and the chunk index: well under 100 KiB over the payload
    // (one 4 KiB collection per call would be 8 MiB; h5py writes 441,608
    // bytes for this stream, h5sink 469,360).
    assert!(
        size < heap + refs + 20 * 4096 + 64 * 1024,
        "{size} bytes for {heap} bytes of heap objects and {refs} of references"
    );

    let dir = common::out_dir("string_append");
    let mut m = Manifest::new("one_string_appends");
    std::fs::write(m.h5_path(&dir), mem.to_vec()).unwrap();
    m.dataset("paths", common::VLEN_STR, &[2000], Data::Strings(all))
        .chunks(&[512])
        .maxshape(&[None]);
    m.write(&dir);
    common::run_oracles(&dir);
}

/// Appends of 1 to 4 strings, a commit every few: returns the strings of
/// the last completed commit (None before the first).
fn stream(s: &StopAfter) -> Option<usize> {
    let mut done = None;
    let _ = (|| -> h5sink::Result<()> {
        let f = File::with_storage(s.clone())?;
        let ds = f
            .new_dataset::<VarLenUnicode>()
            .shape(&[0])
            .resizable()
            .chunk(&[16])
            .deflate(4)
            .create("paths")?;
        f.flush()?;
        done = Some(0);
        let mut n = 0;
        for call in 0..40 {
            let k = 1 + call % 4;
            let batch: Vec<String> = (n..n + k).map(string).collect();
            ds.append_strings(&batch)?;
            n += k;
            if call % 3 == 2 {
                f.flush()?;
                done = Some(n);
            }
        }
        f.close()?;
        done = Some(n);
        Ok(())
    })();
    done
}

/// Stop the storage after k writes, for every k of the stream: every file
/// left holds exactly the strings of the last completed commit, in all five
/// readers and against an h5py twin.
#[test]
fn stop_after_every_write_of_a_string_append_stream() {
    let dir = common::out_dir("string_append_faults");
    let probe = StopAfter::new(u64::MAX);
    let total_strings = stream(&probe).unwrap();
    let total = probe.writes();
    let mut checked = 0;
    for k in 1..total {
        let s = StopAfter::new(k);
        let Some(n) = stream(&s) else { continue };
        let mut m = Manifest::new(&format!("stop{k:03}"));
        std::fs::write(m.h5_path(&dir), s.to_vec()).unwrap();
        let strings: Vec<String> = (0..n).map(string).collect();
        m.dataset(
            "paths",
            common::VLEN_STR,
            &[n as u64],
            Data::Strings(strings),
        )
        .chunks(&[16])
        .maxshape(&[None])
        .deflate(4);
        m.write(&dir);
        checked += 1;
    }
    assert!(
        checked > 30,
        "only {checked} stop points of {total} writes ({total_strings} strings)"
    );
    common::run_oracles(&dir);
}
