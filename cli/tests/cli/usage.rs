//! The command line (parsed by clap): help on request, and each usage error
//! as one line naming the offending value plus a pointer to `--help`.

use crate::common::*;
use std::path::Path;

/// `--help` in every spelling prints help on stdout and exits 0.
#[test]
fn help_exits_zero() {
    let d = tmp("help");
    for args in [
        &["pack", "--help"][..],
        &["pack", "-h"],
        &["pack", "out.h5", "a=x.npy", "--help"],
        &["help", "pack"],
    ] {
        let o = run(&d, args);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {out}");
        assert!(o.stderr.is_empty(), "{args:?}");
        for want in [
            "h5sink pack OUT.h5 NAME=FILE...",
            "--class-names",
            "--chunk",
            "--deflate",
            "--compress <CODEC[:LEVEL]>",
            "blosc-zstd[:L]",
            "--shuffle",
            "--attr",
            "--header",
            "--force",
            "--keep-partial",
            "column_names",
            "(\"1.5\" is",
            "BOM",
            "Fortran-ordered",
            "Exit status",
        ] {
            assert!(out.contains(want), "{args:?}: help lacks {want:?}:\n{out}");
        }
        assert!(!d.join("out.h5").exists());
    }
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let o = run(&d, args);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            out.contains("pack") && out.contains("h5sink pack --help"),
            "{out}"
        );
    }
    let o = run(&d, &["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("h5sink {}", env!("CARGO_PKG_VERSION"))
    );
}

/// Exit 2; stderr is exactly the error line (holding every `want`) and the
/// pointer to `help`; nothing written.
fn usage_error(d: &Path, args: &[&str], want: &[&str], help: &str) {
    let o = run(d, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "{args:?}: not one line and a pointer: {err}"
    );
    assert!(lines[0].starts_with("h5sink: "), "{err}");
    for w in want {
        assert!(lines[0].contains(w), "{args:?}: {:?} lacks {w:?}", lines[0]);
    }
    assert_eq!(lines[1], format!("run '{help}' for usage"), "{args:?}");
    assert!(
        !err.contains("Usage:") && !err.contains("usage: h5sink"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    let names: Vec<_> = std::fs::read_dir(d).unwrap().collect();
    assert_eq!(names.len(), 1, "{args:?} wrote something");
}

#[test]
fn usage_errors_are_one_line() {
    let d = tmp("usage-err");
    std::fs::write(d.join("a.csv"), "1\n2\n").unwrap();
    let pack = "h5sink pack --help";
    usage_error(&d, &["pack"], &["<OUT.h5>", "<NAME=FILE>"], pack);
    usage_error(&d, &["pack", "out.h5"], &["<NAME=FILE>"], pack);
    usage_error(
        &d,
        &["pack", "out.h5", "nodataset"],
        &["'nodataset'", "NAME=FILE"],
        pack,
    );
    usage_error(
        &d,
        &["pack", "out.h5", "=a.csv"],
        &["'=a.csv'", "NAME=FILE"],
        pack,
    );
    usage_error(
        &d,
        &["pack", "out.h5", "a=a.csv", "--chunk", "0,3"],
        &["'0,3'", "--chunk", "positive integers"],
        pack,
    );
    usage_error(
        &d,
        &["pack", "out.h5", "a=a.csv", "--chunk"],
        &["--chunk", "value"],
        pack,
    );
    usage_error(
        &d,
        &["pack", "out.h5", "a=a.csv", "--deflate=10"],
        &["'10'", "--deflate", "0..=9"],
        pack,
    );
    usage_error(
        &d,
        &["pack", "out.h5", "a=a.csv", "--bogus"],
        &["'--bogus'"],
        pack,
    );
    usage_error(
        &d,
        &["pack", "out.h5", "a=a.csv", "--force=yes"],
        &["'yes'", "--force"],
        pack,
    );
    usage_error(
        &d,
        &["pack", "out.h5", "a=a.csv", "--attr", "noequals"],
        &["'noequals'", "NAME=VALUE"],
        pack,
    );
    usage_error(
        &d,
        &["pack", "out.h5", "x=a.csv", "x=b.csv"],
        &["dataset \"x\" given twice", "x=a.csv", "x=b.csv"],
        pack,
    );
    usage_error(
        &d,
        &[
            "pack",
            "out.h5",
            "label_names=a.csv",
            "--class-names",
            "n.txt",
        ],
        &["label_names", "--class-names"],
        pack,
    );
    usage_error(&d, &["frobnicate"], &["'frobnicate'"], "h5sink --help");
    usage_error(&d, &["--bogus"], &["'--bogus'"], "h5sink --help");
    usage_error(&d, &[], &["no command given"], "h5sink --help");
}

/// A repeated `--attr` key is a usage error naming the key, not a library
/// error about a group member.
#[test]
fn duplicate_attr_key() {
    let d = tmp("dup-attr");
    std::fs::write(d.join("a.csv"), "1\n2\n").unwrap();
    let pack = "h5sink pack --help";
    let args = [
        "pack", "out.h5", "a=a.csv", "--attr", "a=1", "--attr", "a=2",
    ];
    usage_error(
        &d,
        &args,
        &["attribute \"a\" given twice", "--attr a=1", "--attr a=2"],
        pack,
    );
    let o = run(&d, &args);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("member"));
    usage_error(
        &d,
        &[
            "pack",
            "out.h5",
            "a=a.csv",
            "--attr=k=x",
            "--attr",
            "j=1",
            "--attr",
            "k=x",
        ],
        &["attribute \"k\" given twice"],
        pack,
    );
    // Distinct keys, and a key equal to a dataset name, are fine.
    let d = tmp("attrs-ok");
    std::fs::write(d.join("a.csv"), "1\n2\n").unwrap();
    ok(
        &d,
        &[
            "pack", "out.h5", "a=a.csv", "--attr", "a=1", "--attr", "b=x=y",
        ],
    );
    py(
        &d,
        "a = h5py.File('out.h5').attrs\nassert a['a'] == 1 and a['b'] == 'x=y', dict(a)",
    );
}

/// The README's CLI paragraphs name every option that `h5sink pack --help`
/// lists, and the input rules.
#[test]
fn readme_documents_every_option() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let start = readme
        .find("The `h5sink` command-line tool (`cli/`)")
        .expect("README has the CLI paragraph");
    let end = start + readme[start..].find("WebAssembly").unwrap();
    let section = &readme[start..end];
    let o = run(&tmp("readme"), &["pack", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    let opts: Vec<&str> = help
        .split_whitespace()
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(|w| w.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|&w| w != "--help")
        .collect();
    assert!(opts.len() >= 9, "{opts:?}");
    for opt in opts {
        assert!(section.contains(opt), "README's CLI section lacks {opt}");
    }
    for want in [
        "--force",
        "--keep-partial",
        "Fortran-ordered",
        "--header",
        "column_names",
        "`\"1.5\"` is 1.5",
        "BOM",
        "unstripped",
    ] {
        assert!(
            section.contains(want),
            "README's CLI section lacks {want:?}"
        );
    }
}
