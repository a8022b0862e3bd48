//! `h5sink pack --compress`: every codec value packs files that h5py with
//! hdf5plugin reads exactly, with the filter ids and client data of a twin
//! written by h5py + hdf5plugin with the same settings; `h5sink ls` prints
//! the same filters for both; appending completes compressed chunks; bad
//! values and conflicting flags are usage errors that create nothing.
//! h5py and hdf5plugin are required (never skipped).

use crate::common::*;
use std::path::Path;

/// (`--compress` value, with `--shuffle`, the h5py keywords of the twin,
/// the FILTERS column `ls` prints).
const CASES: &[(&str, bool, &str, &str)] = &[
    ("lz4", false, "**hdf5plugin.LZ4()", "lz4"),
    (
        "lz4",
        true,
        "shuffle=True, **hdf5plugin.LZ4()",
        "shuffle, lz4",
    ),
    (
        "bslz4",
        false,
        "**hdf5plugin.Bitshuffle(cname='lz4')",
        "bitshuffle(lz4)",
    ),
    (
        "bszstd:5",
        false,
        "**hdf5plugin.Bitshuffle(cname='zstd', clevel=5)",
        "bitshuffle(zstd(5))",
    ),
    ("zstd", false, "**hdf5plugin.Zstd()", "zstd(3)"),
    (
        "zstd:22",
        true,
        "shuffle=True, **hdf5plugin.Zstd(clevel=22)",
        "shuffle, zstd(22)",
    ),
    (
        "blosc-lz4",
        false,
        "**hdf5plugin.Blosc()",
        "blosc(lz4, 5, shuffle)",
    ),
    (
        "blosc-zstd:2",
        false,
        "**hdf5plugin.Blosc(cname='zstd', clevel=2, shuffle=hdf5plugin.Blosc.SHUFFLE)",
        "blosc(zstd, 2, shuffle)",
    ),
    ("lzf", false, "compression='lzf'", "lzf"),
    (
        "lzf",
        true,
        "compression='lzf', shuffle=True",
        "shuffle, lzf",
    ),
    (
        "gzip",
        false,
        "compression='gzip', compression_opts=4",
        "deflate(4)",
    ),
    (
        "gzip:9",
        true,
        "compression='gzip', compression_opts=9, shuffle=True",
        "shuffle, deflate(9)",
    ),
];

/// `feat.npy` (f32, 100 x 37, about half zeros) and `labels.csv` (100 int64).
fn inputs(d: &Path) {
    let vals = (0..100u32 * 37).map(|i| (((i * 7919) % 200) as f32 - 100.0).max(0.0) / 4.0);
    write_npy(
        &d.join("feat.npy"),
        1,
        "<f4",
        false,
        &[100, 37],
        &f32_data(vals, false),
    );
    let labels: String = (0..100).map(|i| format!("{}\n", (i * 13) % 10)).collect();
    std::fs::write(d.join("labels.csv"), labels).unwrap();
}

/// The dataset line of `ls` for `name`, from its FILTERS column on.
fn ls_filters(d: &Path, file: &str, name: &str) -> String {
    let out = ok(d, &["ls", file]);
    let line = out
        .lines()
        .find(|l| l.starts_with(&format!("/{name} ")))
        .unwrap_or_else(|| panic!("no /{name} in ls {file}:\n{out}"))
        .to_string();
    let rest = line.split_once('}').unwrap().1; // after the dims
    rest.split_once('}').unwrap().1.trim().to_string() // after the chunk shape
}

#[test]
fn every_codec_reads_in_h5py_as_hdf5plugin_writes_it() {
    let d = tmp("compress-each");
    inputs(&d);
    let mut checks = String::from(
        "import hdf5plugin\n\
         feat = np.load('feat.npy'); labels = np.loadtxt('labels.csv', dtype='<i8')\n\
         def pipe(ds):\n    \
             p = ds.id.get_create_plist()\n    \
             return [p.get_filter(i)[:3] for i in range(p.get_nfilters())]\n",
    );
    for (i, (value, shuffle, twin, _)) in CASES.iter().enumerate() {
        let out = format!("c{i}.h5");
        let mut args = vec![
            "pack",
            &out,
            "features=feat.npy",
            "labels=labels.csv",
            "--chunk",
            "16,8",
            "--compress",
            value,
        ];
        if *shuffle {
            args.push("--shuffle");
        }
        ok(&d, &args);
        checks.push_str(&format!(
            "f = h5py.File('{out}')\n\
             t = h5py.File('t{i}.h5', 'w')\n\
             for name, data in (('features', feat), ('labels', labels)):\n    \
                 ds = f[name]\n    \
                 assert ds.dtype == data.dtype and ds.shape == data.shape, ('{value}', name)\n    \
                 assert (ds[()] == data).all(), ('{value}', name)\n    \
                 tw = t.create_dataset(name, data=data, chunks=ds.chunks, {twin})\n    \
                 assert pipe(ds) == pipe(tw), ('{value}', name, pipe(ds), pipe(tw))\n    \
                 assert len(pipe(ds)) == {n}, pipe(ds)\n\
             t.close()\n",
            n = 1 + usize::from(*shuffle),
        ));
    }
    py(&d, &checks);
    for (i, (value, _, _, want)) in CASES.iter().enumerate() {
        for name in ["features", "labels"] {
            let ours = ls_filters(&d, &format!("c{i}.h5"), name);
            let twin = ls_filters(&d, &format!("t{i}.h5"), name);
            assert_eq!(ours, *want, "--compress {value}: {name}");
            assert_eq!(twin, *want, "--compress {value}: h5py twin {name}");
        }
    }
}

#[test]
fn append_completes_compressed_chunks() {
    let d = tmp("compress-append");
    inputs(&d);
    ok(
        &d,
        &[
            "pack",
            "grow.h5",
            "features=feat.npy",
            "--resizable",
            "--chunk",
            "24,37",
            "--compress",
            "bslz4",
        ],
    );
    // The last chunk (rows 96..120) is partly filled, then completed.
    ok(
        &d,
        &[
            "pack",
            "--append",
            "grow.h5",
            "features=feat.npy",
            "labels=labels.csv",
            "--compress",
            "blosc-zstd:3",
        ],
    );
    py(
        &d,
        "import hdf5plugin\n\
         feat = np.load('feat.npy')\n\
         f = h5py.File('grow.h5')\n\
         assert (f['features'][()] == np.concatenate([feat, feat])).all()\n\
         assert 32008 in [f['features'].id.get_create_plist().get_filter(0)[0]]\n\
         assert f['labels'].id.get_create_plist().get_filter(0)[0] == 32001\n\
         assert (f['labels'][()] == np.loadtxt('labels.csv', dtype='<i8')).all()\n",
    );
    assert_eq!(ls_filters(&d, "grow.h5", "features"), "bitshuffle(lz4)");
}

/// Exit 2 with one line naming every `want`, and nothing created.
fn refused(d: &Path, args: &[&str], want: &[&str]) {
    let o = run(d, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    let first = err.lines().next().unwrap_or("");
    for w in want {
        assert!(first.contains(w), "{args:?}: {first:?} lacks {w:?}");
    }
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(!d.join("out.h5").exists() && !d.join("out.h5.partial").exists());
}

#[test]
fn bad_values_and_conflicts_are_usage_errors() {
    let d = tmp("compress-bad");
    inputs(&d);
    let pack = |extra: &[&'static str]| {
        let mut a = vec!["pack", "out.h5", "features=feat.npy"];
        a.extend_from_slice(extra);
        a
    };
    for (value, why) in [
        ("zstd:0", "zstd level \"0\" is not an integer in 1-22"),
        ("zstd:23", "zstd level \"23\" is not an integer in 1-22"),
        ("bszstd:30", "bszstd level \"30\""),
        ("gzip:10", "gzip level \"10\" is not an integer in 0-9"),
        (
            "blosc-lz4:10",
            "blosc-lz4 level \"10\" is not an integer in 0-9",
        ),
        ("zstd:x", "zstd level \"x\""),
        ("lz4:1", "lz4 takes no level"),
        ("foo", "unknown codec \"foo\" (expected lz4, bslz4,"),
    ] {
        refused(
            &d,
            &pack(&["--compress", value]),
            &[&format!("'{value}'"), "--compress", why],
        );
    }
    refused(
        &d,
        &pack(&["--compress", "lz4", "--deflate", "4"]),
        &["--compress", "--deflate", "cannot be used with"],
    );
    for (value, why) in [
        ("bslz4", "bitshuffle already transposes"),
        ("bszstd:3", "bitshuffle already transposes"),
        ("blosc-lz4:1", "Blosc already byte-shuffles"),
        ("blosc-zstd", "Blosc already byte-shuffles"),
    ] {
        refused(
            &d,
            &pack(&["--compress", value, "--shuffle"]),
            &["--shuffle cannot go with --compress", why],
        );
    }
}
