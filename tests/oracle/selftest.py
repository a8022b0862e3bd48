#!/usr/bin/env python3
"""Self-test of the oracle harness (check.py), needing h5py but not h5sink.

Writes scenarios with h5py itself into a temporary directory and runs
check.py on them:
  * good/   every manifest feature; every check must pass;
  * bad/    deliberately wrong manifests or files; each must fail in exactly
            the expected checks (this proves that the oracles, and the h5dump
            normalisation of the twin comparison, do not hide differences);
  * check.py without h5dump on PATH must exit 3 (missing oracle).
Expected values for the small scenarios come from a pure-Python ramp, which
cross-checks check.py's numpy implementation.

Usage: python3 tests/oracle/selftest.py [--keep DIR] [--no-big]
Exit status 0 when the harness behaves, 1 otherwise, 3 if an oracle is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check.py")
sys.path.insert(0, HERE)

import check  # noqa: E402  (the module under test; also gives the big ramp)

try:
    import h5py
    import numpy as np
except ImportError as e:
    print(f"selftest needs h5py and numpy: {e}; run scripts/test.sh to install them")
    sys.exit(3)

NP = {"u8": "u1", "i8": "i1", "u16": "<u2", "i16": "<i2", "u32": "<u4",
      "i32": "<i4", "u64": "<u8", "i64": "<i8", "f32": "<f4", "f64": "<f8"}
NUMERIC = list(NP)


# ------------------------------------------------------ reference values


def ref_value(i: int, seed: int, dtype: str):
    """The ramp definition, in plain Python integers."""
    x = (i * 2654435761 + seed) % 2**64
    if dtype[0] == "f":
        return float(x % 1000003) * 0.25 - 1000.0
    bits = int(dtype[1:])
    v = x % 2**bits
    if dtype[0] == "i" and v >= 2 ** (bits - 1):
        v -= 2**bits
    return v


def ref_array(dtype: str, shape, data):
    n = int(np.prod(shape, dtype=np.int64))
    vals = [0] * n
    if data is not None:
        k = n
        if "rows_written" in data:
            k = data["rows_written"] * int(np.prod(shape[1:], dtype=np.int64))
        if n > 200_000:  # too slow in pure Python: use check.py's numpy ramp
            flat = np.zeros(n, dtype=NP[dtype])
            flat[:k] = check.ramp_cast(check.ramp_u64(0, k, data["seed"]), dtype)
            return flat.reshape(shape)
        vals[:k] = [ref_value(i, data["seed"], dtype) for i in range(k)]
    return np.array(vals, dtype=NP[dtype]).reshape(shape)


# ------------------------------------------------------ scenario writing


class Scn:
    """A scenario: builds the manifest and writes the HDF5 file with h5py."""

    def __init__(self, name: str, twin: bool = True):
        self.name, self.twin, self.objects = name, twin, []
        self.hooks = []  # functions (h5py.File) -> None, run after creation

    def group(self, path):
        self.objects.append({"path": path, "kind": "group"})
        return self

    def ds(self, path, dtype, shape, data=None, **create_kw):
        self.objects.append({"path": path, "kind": "dataset", "dtype": dtype,
                             "shape": list(shape), "data": data, "_kw": create_kw})
        return self

    def manifest(self) -> dict:
        objs = [{k: v for k, v in o.items() if not k.startswith("_")} for o in self.objects]
        m = {"name": self.name, "file": self.name + ".h5", "objects": objs}
        if not self.twin:
            m["twin"] = False
        return m

    def write(self, d: str, manifest_edit=None):
        with h5py.File(os.path.join(d, self.name + ".h5"), "w") as f:
            for o in self.objects:
                if o["kind"] == "group":
                    f.create_group(o["path"])
                    continue
                shape, data = tuple(o["shape"]), o["data"]
                strs = o["dtype"] == "vlen_str"
                dt = h5py.string_dtype("utf-8") if strs else np.dtype(NP[o["dtype"]])
                ds = f.create_dataset(o["path"], shape=shape, dtype=dt, **o["_kw"])
                if data is None or 0 in shape:
                    continue
                if strs:
                    val = np.array(data["strings"], dtype=object).reshape(shape)
                else:
                    val = ref_array(o["dtype"], shape, data)
                if shape == ():
                    ds[()] = val[()]
                elif "rows_written" in data:
                    ds[: data["rows_written"]] = val[: data["rows_written"]]
                else:
                    ds[...] = val
            for hook in self.hooks:
                hook(f)
        m = self.manifest()
        if manifest_edit:
            manifest_edit(m)
        with open(os.path.join(d, self.name + ".json"), "w", encoding="utf-8") as fh:
            json.dump(m, fh, ensure_ascii=False, indent=1)


def ramp(seed, **kw):
    return {"gen": "ramp", "seed": seed, **kw}


TRICKY = ["a", "ü", "", 'quote " and backslash \\', "tab\tnew\nline\r",
          "emoji \U0001F600 and CJK 漢字", "\u2028\u2029\x7f\x01", "x" * 100_000]


def good_scenarios(big: bool) -> list[Scn]:
    out = []
    s = Scn("dtypes_rank1")
    for k, t in enumerate(NUMERIC):
        s.ds(f"{t}_vals", t, [17], ramp(k * 1000 + 3))
    s.ds("u64_wrap", "u64", [9], ramp(2**64 - 1)).ds("i8_wrap", "i8", [300], ramp(2**63 + 5))
    s.ds("f32_wrap", "f32", [50], ramp(2**64 - 7))
    out.append(s)
    s = Scn("dtypes_rank3")
    for k, t in enumerate(NUMERIC):
        s.ds(t, t, [2, 3, 4], ramp(k))
    out.append(s)
    s = Scn("scalars")
    for k, t in enumerate(NUMERIC):
        s.ds(t, t, [], ramp(k + 11))
    s.ds("str", "vlen_str", [], {"strings": ["héllo"]})
    s.ds("str_empty", "vlen_str", [], {"strings": [""]})
    out.append(s)
    s = Scn("groups_nested").group("meta").ds("meta/x", "i32", [3, 4], ramp(7))
    s.group("a").group("a/b").group("a/b/c").ds("a/b/c/deep", "f64", [5], ramp(2))
    s.group("empty").group("a/b/also_empty").ds("top", "u8", [3], ramp(1))
    out.append(s)
    s = Scn("partial_rows").ds("part", "f64", [10, 2], ramp(1, rows_written=4))
    s.ds("none", "i16", [5], ramp(3, rows_written=0))
    s.ds("all", "u32", [3, 3], ramp(4, rows_written=3))
    s.ds("rank3", "i64", [4, 2, 3], ramp(5, rows_written=1))
    out.append(s)
    s = Scn("zero_size").ds("empty", "u8", [0, 5], ramp(0)).ds("e1", "f32", [0], ramp(1))
    s.ds("e2", "i64", [3, 0], ramp(2)).ds("es", "vlen_str", [0], {"strings": []})
    s.ds("enull", "u16", [0], None)
    out.append(s)
    s = Scn("never_written").ds("blank", "f32", [4], None).ds("sblank", "vlen_str", [3], None)
    s.ds("scalar", "i32", [], None).ds("sscalar", "vlen_str", [], None)
    out.append(s)
    s = Scn("strings").ds("names", "vlen_str", [len(TRICKY)], {"strings": TRICKY})
    s.ds("grid", "vlen_str", [2, 2], {"strings": ["r0c0", "r0c1", "ü", ""]})
    s.ds("empties", "vlen_str", [2], {"strings": ["", ""]})
    out.append(s)
    s = Scn("big_group").group("g")
    for i in range(1000):
        s.ds(f"g/d{i:04d}", "u8", [2], ramp(i))
    out.append(s)
    s = Scn("odd_names").group("with space").ds("with space/naïve", "i8", [3], ramp(1))
    s.ds("with.dot", "u16", [2], ramp(2)).ds("-dash", "f32", [1], ramp(3))
    s.ds('quote"name', "u8", [1], ramp(4))
    out.append(s)
    out.append(Scn("no_twin", twin=False).ds("x", "f64", [3], ramp(9)))
    if big:
        # 6553600 x 2 f64 = 100 MiB: exercises the binary h5dump path.
        out.append(Scn("big_dataset").ds("big", "f64", [6553600, 2], ramp(3))
                   .ds("label", "vlen_str", [1], {"strings": ["big"]}))
    return out


def bad_scenarios(d: str) -> dict[str, dict[str, str]]:
    """Writes failing scenarios; returns name -> {check: 'ok'|'FAIL'|'off'}."""
    want = {}

    def exp(h5py_, pyfive_, h5dump_, twin_):
        return {"h5py": h5py_, "pyfive": pyfive_, "h5dump": h5dump_, "twin": twin_}

    # Manifest says another seed than the file holds.
    Scn("wrong_seed").ds("x", "i32", [4], ramp(1)).write(
        d, lambda m: m["objects"][0]["data"].update(seed=2))
    want["wrong_seed"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Manifest misses a dataset that the file has.
    Scn("extra_object").ds("x", "u8", [2], ramp(1)).ds("y", "u8", [2], ramp(2)).write(
        d, lambda m: m["objects"].pop())
    want["extra_object"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Manifest lists a group the file lacks.
    Scn("missing_group").ds("x", "u8", [2], ramp(1)).write(
        d, lambda m: m["objects"].append({"path": "g", "kind": "group"}))
    want["missing_group"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Same bits, other signedness.
    Scn("wrong_dtype").ds("x", "i32", [4], ramp(1)).write(
        d, lambda m: m["objects"][0].update(dtype="u32"))
    want["wrong_dtype"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Big-endian in the file, same values.
    s = Scn("big_endian").ds("x", "i32", [4], ramp(1))
    s.objects[0]["_kw"] = {}
    s.hooks.append(lambda f: f.create_dataset("y", data=np.arange(3, dtype=">i4")))
    s.write(d, lambda m: m["objects"].append(
        {"path": "y", "kind": "dataset", "dtype": "i32", "shape": [3], "data": None}))
    want["big_endian"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # One string differs.
    Scn("wrong_string").ds("s", "vlen_str", [2], {"strings": ["a", "b"]}).write(
        d, lambda m: m["objects"][0]["data"].update(strings=["a", "c"]))
    want["wrong_string"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Strings in a fixed-length type.
    s = Scn("fixed_string")
    s.hooks.append(lambda f: f.create_dataset("s", data=np.array([b"ab", b"cd"], dtype="S2")))
    s.write(d, lambda m: m["objects"].append(
        {"path": "s", "kind": "dataset", "dtype": "vlen_str", "shape": [2],
         "data": {"strings": ["ab", "cd"]}}))
    want["fixed_string"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Right values, other storage: only the twin comparison can see these.
    Scn("chunked_layout").ds("x", "f64", [6, 2], ramp(1), chunks=(2, 2)).write(d)
    want["chunked_layout"] = exp("ok", "ok", "ok", "FAIL")
    Scn("explicit_fill").ds("x", "i32", [4], ramp(1), fillvalue=0).write(d)
    want["explicit_fill"] = exp("ok", "ok", "ok", "FAIL")
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    Scn("compact_layout").ds("x", "u16", [4], ramp(1), dcpl=dcpl).write(d)
    want["compact_layout"] = exp("ok", "ok", "ok", "FAIL")
    s = Scn("extra_attribute").ds("x", "u8", [2], ramp(1))
    s.hooks.append(lambda f: f["x"].attrs.create("units", 1))
    s.write(d)
    want["extra_attribute"] = exp("ok", "ok", "ok", "FAIL")
    # Data written to only part of the rows although the manifest says all.
    Scn("short_write").ds("x", "f32", [4, 2], ramp(1, rows_written=2)).write(
        d, lambda m: m["objects"][0]["data"].pop("rows_written"))
    want["short_write"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # A file that is not HDF5 at all.
    Scn("garbage_file").ds("x", "u8", [2], ramp(1)).write(d)
    with open(os.path.join(d, "garbage_file.h5"), "wb") as fh:
        fh.write(b"\x89HDF\r\n\x1a\n" + b"\x00" * 200)
    want["garbage_file"] = exp("FAIL", "FAIL", "FAIL", "FAIL")
    # Manifest pointing nowhere.
    with open(os.path.join(d, "missing_file.json"), "w") as fh:
        json.dump({"name": "missing_file", "file": "nope.h5", "objects": []}, fh)
    want["missing_file"] = exp("FAIL", "FAIL", "FAIL", "FAIL")
    # Malformed manifest.
    with open(os.path.join(d, "bad_manifest.json"), "w") as fh:
        json.dump({"name": "bad_manifest", "file": "x.h5",
                   "objects": [{"path": "x", "kind": "dataset", "dtype": "i128",
                                "shape": [1], "data": None}]}, fh)
    want["bad_manifest"] = {"manifest": "FAIL"}
    return want


# ------------------------------------------------------------ running


LINE_RE = re.compile(r"^(\S+)\s+((?:\w+ (?:ok|FAIL|off)\s*)+)$")


def run_check(d: str, *extra, env=None):
    t = time.time()
    p = subprocess.run([sys.executable, CHECK, d, *extra], capture_output=True,
                       text=True, env=env)
    return p, time.time() - t


def parse(out: str) -> dict[str, dict[str, str]]:
    res = {}
    for line in out.splitlines():
        m = LINE_RE.match(line)
        if m:
            cols = m.group(2).split()
            res[m.group(1)] = dict(zip(cols[::2], cols[1::2]))
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", metavar="DIR", help="write into DIR and keep it")
    ap.add_argument("--no-big", action="store_true", help="skip the 100 MiB scenario")
    args = ap.parse_args()
    missing = check.missing_oracles()
    if missing:
        print("missing oracle: " + "; ".join(missing) + "\nrun scripts/test.sh to install them")
        return 3
    root = args.keep or tempfile.mkdtemp(prefix="h5sink-selftest-")
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
    good, bad = os.path.join(root, "good"), os.path.join(root, "bad")
    os.makedirs(good)
    os.makedirs(bad)
    errors: list[str] = []
    try:
        scns = good_scenarios(big=not args.no_big)
        for s in scns:
            s.write(good)
        want_bad = bad_scenarios(bad)
        # Text mode is the default for small files; TEXT_LIMIT=0 forces the
        # binary h5dump mode (used for big files) on every scenario, which
        # must reach the same verdicts.
        for mode, limit in (("text", None), ("binary", "0")):
            env = dict(os.environ)
            env.pop("H5SINK_ORACLE_TEXT_LIMIT", None)
            if limit is not None:
                env["H5SINK_ORACLE_TEXT_LIMIT"] = limit
            p, secs = run_check(good, env=env)
            print(f"--- check.py {good}  [{mode} mode, {secs:.1f}s]\n{p.stdout}{p.stderr}", end="")
            got = parse(p.stdout)
            if p.returncode != 0:
                errors.append(f"{mode}: good scenarios: exit status {p.returncode}, expected 0")
            for s in scns:
                want = {"h5py": "ok", "pyfive": "ok", "h5dump": "ok",
                        "twin": "ok" if s.twin else "off"}
                if got.get(s.name) != want:
                    errors.append(f"{mode}: good scenario {s.name}: {got.get(s.name)}, expected {want}")
            if p.stdout.splitlines()[-1:] != [f"{len(scns)} passed, 0 failed"]:
                errors.append(f"{mode}: good scenarios: wrong final line")

            p, secs = run_check(bad, env=env)
            print(f"--- check.py {bad}  [{mode} mode, {secs:.1f}s]\n{p.stdout}{p.stderr}", end="")
            got = parse(p.stdout)
            if p.returncode != 1:
                errors.append(f"{mode}: bad scenarios: exit status {p.returncode}, expected 1")
            for name, w in want_bad.items():
                if got.get(name) != w:
                    errors.append(f"{mode}: bad scenario {name}: {got.get(name)}, expected {w}")
            if p.stdout.splitlines()[-1:] != [f"0 passed, {len(want_bad)} failed"]:
                errors.append(f"{mode}: bad scenarios: wrong final line")

        p, _ = run_check(good, "--only", "scalars")
        if p.returncode != 0 or list(parse(p.stdout)) != ["scalars"]:
            errors.append(f"--only scalars: exit {p.returncode}, lines {list(parse(p.stdout))}")
        p, _ = run_check(good, "--only", "no_such_scenario")
        if p.returncode != 1:
            errors.append(f"--only no_such_scenario: exit {p.returncode}, expected 1")

        # A missing oracle must be exit status 3, never a pass or a skip.
        empty = os.path.join(root, "empty-path")
        os.makedirs(empty)
        p, _ = run_check(good, env={**os.environ, "PATH": empty})
        print(f"--- check.py without h5dump on PATH: exit {p.returncode}\n{p.stdout}", end="")
        if p.returncode != 3 or "h5dump" not in p.stdout:
            errors.append(f"no h5dump on PATH: exit status {p.returncode}, expected 3")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    for e in errors:
        print(f"SELFTEST ERROR: {e}")
    print("selftest ok" if not errors else f"selftest FAILED ({len(errors)} errors)")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
