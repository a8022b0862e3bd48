//! Appending rows of unknown count: `DatasetWriter::unlimited`, chunked
//! datasets growing along the first dimension. Every flush commits; the
//! file stays valid at every write; commits reuse freed space.

use crate::common;

use crate::common::StopAfter;
use h5sink::{DatasetWriter, File};

/// Rows of the append stream: row r, column c = (r * 31 + c) % 1000 * 0.5.
fn row(r: u64, len: usize) -> Vec<f32> {
    (0..len as u64)
        .map(|c| ((r * 31 + c) % 1000) as f32 * 0.5)
        .collect()
}

/// 10,000 flushes of an append stream leave under 1 MiB of dead space
/// without a reader grace period (with the default 2 s one, every commit of
/// the last 2 s is kept: printed, not bounded here; see tests/conformance/readers.rs).
#[test]
fn ten_thousand_flushes_reuse_space() {
    let dir = common::out_dir("append_flushes");
    let build = |name: &str, buf: usize, flush_every: u64| {
        let path = dir.join(name);
        let grace = if name == "graced.h5" {
            File::DEFAULT_READER_GRACE
        } else {
            std::time::Duration::ZERO
        };
        let mut w = DatasetWriter::<f32>::builder(&path, &[8])
            .unlimited()
            .buf_size(buf)
            .reader_grace(grace)
            .create()
            .unwrap();
        for r in 0..10_000u64 {
            w.add(&row(r, 8), &[r as i64 * 3 - 7]).unwrap();
            if (r + 1) % flush_every == 0 {
                w.flush().unwrap();
            }
        }
        w.close().unwrap();
        std::fs::metadata(&path).unwrap().len()
    };
    let once = build("once.h5", 10_000, u64::MAX);
    let each = build("each.h5", 10_000, 1);
    let graced = build("graced.h5", 10_000, 1);
    println!(
        "10,000 rows: {once} bytes flushed once, {each} bytes after 10,000 flushes, \
         {graced} with a {:?} reader grace period",
        File::DEFAULT_READER_GRACE
    );
    assert!(
        each < once + (1 << 20),
        "{} bytes of dead space",
        each - once
    );
    let case = |f: &str| {
        format!(
            r#"{{"file": "{}", "rows": 10000, "exact_rows": true, "total_rows": null, "row_len": 8, "key": "images", "class_names": null}}"#,
            dir.join(f).display()
        )
    };
    let manifest = dir.join("cases.json");
    std::fs::write(
        &manifest,
        format!(
            "[{}, {}, {}]",
            case("once.h5"),
            case("each.h5"),
            case("graced.h5")
        ),
    )
    .unwrap();
    common::run_python_script("tests/oracle/crash_check.py", &[manifest.as_os_str()]);
}

/// The append stream: 6 flushes of 7 rows to a chunked, compressed,
/// resizable dataset and its labels. Returns the rows of the last completed
/// flush, with the error if the storage stopped.
fn stream(s: &StopAfter) -> Result<Option<u64>, (Option<u64>, h5sink::Error)> {
    let mut done = None;
    let r = (|| -> h5sink::Result<()> {
        let f = File::with_storage(s.clone())?;
        let d = f
            .new_dataset::<f32>()
            .shape(&[0, 6])
            .resizable()
            .chunk(&[4, 3])
            .deflate(4)
            .shuffle()
            .create("images")?;
        let l = f
            .new_dataset::<i64>()
            .shape(&[0])
            .resizable()
            .chunk(&[5])
            .create("labels")?;
        f.flush()?;
        done = Some(0);
        for batch in 0..6u64 {
            for r in batch * 7..batch * 7 + 7 {
                d.append_rows(&row(r, 6))?;
                l.append_rows(&[r as i64 * 3 - 7])?;
            }
            f.flush()?;
            done = Some(batch * 7 + 7);
        }
        f.close()
    })();
    r.map(|()| done).map_err(|e| (done, e))
}

/// Append in flushes of 7 rows to a chunked, compressed dataset; stop the
/// storage after k writes for every k up to the whole stream: the bytes left
/// must hold exactly the rows of the last completed flush.
#[test]
fn stop_after_every_write_of_an_append_stream() {
    let dir = common::out_dir("append_faults");
    // Count the writes of the whole stream, then stop after each of them.
    let probe = StopAfter::new(u64::MAX);
    stream(&probe).unwrap();
    let total = probe.writes();
    // Which flushes completed before each stop: rerun counting them.
    let mut cases = Vec::new();
    for k in 1..total {
        let s = StopAfter::new(k);
        let done = stream(&s).unwrap_or_else(|(done, _)| done);
        let Some(rows) = done else { continue }; // stopped before the first commit
        let path = dir.join(format!("stop{k:03}.h5"));
        std::fs::write(&path, s.to_vec()).unwrap();
        cases.push(format!(
            r#"{{"file": "{}", "rows": {rows}, "exact_rows": true, "total_rows": null, "row_len": 6, "key": "images", "class_names": null}}"#,
            path.display()
        ));
    }
    assert!(cases.len() > 20, "only {} stop points", cases.len());
    let manifest = dir.join("cases.json");
    std::fs::write(&manifest, format!("[{}]", cases.join(",\n"))).unwrap();
    common::run_python_script("tests/oracle/crash_check.py", &[manifest.as_os_str()]);
}
