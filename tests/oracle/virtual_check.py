"""Virtual datasets written by h5sink (tests/conformance/virtual.rs), checked against
h5py twins and every reader.

    python3 tests/oracle/virtual_check.py DIR

DIR holds the sources (src_a.h5, grow.h5) and h5sink's files ours_NAME.h5,
one per scenario of SCENARIOS. For each scenario this script writes the h5py
twin twin_NAME.h5 in DIR (same relative source names) and requires:
- `h5dump -p` text of ours identical to the twin's (file name line aside);
- h5py reads ours exactly as the expected values computed here with numpy
  (fill for unmapped parts and for the missing source file), and as the twin;
- unlimited mappings grow: grow.h5's /g gets 2 more rows (h5py), and the
  unlimited scenarios read 5 rows (and 5 + 3 elements) afterwards.
Readers that cannot read virtual datasets (their own code):
- pyfive 1.3: h5d.py `DatasetID.__init__` and `get_data` match layout_class
  0, 1 and 2 only, so for class 3 `get_data` falls through and returns None:
  `Dataset[...]` is None. Checked below (must stay None, else update docs).
- jsfive: esm/dataobjects.js `get_data()` has branches for layout_class 0, 1
  and 2 only and returns undefined for class 3 (read.mjs reports "value is
  undefined"). Checked below through tests/oracle/js/read.mjs.
h5wasm (libhdf5 in WebAssembly, host files through NODERAWFS) reads every
value, sources resolved relative to DIR: checked below, after growth.
Exit status: 0 all good, 1 a check failed, 3 an oracle is missing.
"""
import os
import re
import subprocess
import sys

try:
    import h5py
    import numpy as np
    import pyfive
except ImportError as e:  # a missing oracle fails the test
    print(f"missing oracle: {e}")
    sys.exit(3)

U = h5py.h5s.UNLIMITED
VS = h5py.VirtualSource
A = np.arange(20, dtype="i4").reshape(5, 4)  # src_a.h5 /x
G = (100 + np.arange(12, dtype="i4")).reshape(3, 4)  # grow.h5 /g before growing


def rows(f):
    lay = h5py.VirtualLayout(shape=(10, 4), dtype="i4")
    lay[0:5] = VS("src_a.h5", "x", shape=(5, 4))
    lay[7:9] = VS("src_a.h5", "x", shape=(5, 4))[1:3]
    f.create_virtual_dataset("v", lay, fillvalue=-1)
    want = np.full((10, 4), -1, "i4")
    want[0:5] = A
    want[7:9] = A[1:3]
    return {"v": want}


def strided(f):
    f["a"] = np.arange(6, dtype="i2")
    lay = h5py.VirtualLayout(shape=(3, 12), dtype="i2")
    s = VS(".", "a", shape=(6,))
    lay[0, 0:12:2] = s
    lay[1, 1:12:2] = s
    lay[2, 3:9] = s
    f.create_virtual_dataset("g/v", lay)
    want = np.zeros((3, 12), "i2")
    want[0, 0:12:2] = np.arange(6)
    want[1, 1:12:2] = np.arange(6)
    want[2, 3:9] = np.arange(6)
    return {"g/v": want}


def missing(f):
    lay = h5py.VirtualLayout(shape=(4,), dtype="f4")
    lay[0:4] = VS("nosuch.h5", "/y", shape=(4,))
    f.create_virtual_dataset("m", lay, fillvalue=7.5)
    return {"m": np.full(4, 7.5, "f4")}


def cube(f):
    f["b"] = np.arange(6, dtype="u1") + 1
    lay = h5py.VirtualLayout(shape=(2, 3, 4), dtype="u1")
    lay[1, :, ::2] = VS(".", "b", shape=(6,))
    f.create_virtual_dataset("c", lay, fillvalue=9)
    want = np.full((2, 3, 4), 9, "u1")
    want[1, :, ::2] = (np.arange(6) + 1).reshape(3, 2)
    return {"c": want}


def unlimited(f):
    lay = h5py.VirtualLayout(shape=(3, 4), maxshape=(None, 4), dtype="i4")
    src = VS("grow.h5", "g", shape=(3, 4), maxshape=(None, 4))
    lay[0:U, :] = src[0:U, :]
    f.create_virtual_dataset("u", lay, fillvalue=0)
    lay = h5py.VirtualLayout(shape=(8,), maxshape=(None,), dtype="i4")
    lay[3:U] = src[0:U, 1]
    f.create_virtual_dataset("u1", lay, fillvalue=-5)
    # libhdf5 sizes an unlimited dimension by what its mappings reach:
    # 3 + 3 rows, not the 8 declared (h5py reads 6 from the twin too).
    want1 = np.full(6, -5, "i4")
    want1[3:6] = G[:, 1]
    return {"u": G, "u1": want1}


SCENARIOS = {"rows": rows, "strided": strided, "missing": missing, "cube": cube,
             "unlimited": unlimited}


def dump(path):
    try:
        out = subprocess.run(["h5dump", "-p", path], capture_output=True, text=True)
    except FileNotFoundError:
        print("missing oracle: h5dump")
        sys.exit(3)
    if out.returncode != 0:
        return f"h5dump failed: {out.stderr}"
    text = out.stdout.split("\n", 1)[1]
    return re.sub(r"OFFSET \d+", "OFFSET _", text)


def main(d):
    os.chdir(d)
    problems = []
    expected = {}
    for name, make in SCENARIOS.items():
        twin = f"twin_{name}.h5"
        if os.path.exists(twin):
            os.remove(twin)
        with h5py.File(twin, "w") as f:
            expected[name] = make(f)
        ours = f"ours_{name}.h5"
        a, b = dump(ours), dump(twin)
        if a != b:
            import difflib
            diff = "\n".join(difflib.unified_diff(b.splitlines(), a.splitlines(), "twin", "ours", lineterm=""))
            problems.append(f"{name}: h5dump -p differs from the h5py twin:\n{diff}")
        for path in (ours, twin):
            with h5py.File(path, "r") as f:
                for ds, want in expected[name].items():
                    got = f[ds][...]
                    if got.dtype != want.dtype or got.shape != want.shape or not np.array_equal(got, want):
                        problems.append(f"{path}:{ds}: h5py read {got.dtype} {got.shape} {got.tolist()}, want {want.tolist()}")
                    if not f[ds].is_virtual:
                        problems.append(f"{path}:{ds}: h5py says it is not virtual")
                    srcs = [(s.file_name, s.dset_name) for s in f[ds].virtual_sources()]
                    print(f"{path}:{ds}: {f[ds].shape} {f[ds].dtype} sources {srcs}")
        # pyfive: lists the dataset with its stored shape (the twin's), but
        # cannot read its values (see the docstring).
        with pyfive.File(ours) as f, pyfive.File(twin) as t:
            for ds in expected[name]:
                if (f[ds].shape, f[ds].dtype) != (t[ds].shape, t[ds].dtype):
                    problems.append(f"pyfive {ours}:{ds}: {f[ds].shape} {f[ds].dtype}, twin {t[ds].shape} {t[ds].dtype}")
                if f[ds][...] is not None or t[ds][...] is not None:
                    problems.append(f"pyfive {ours}:{ds}: now reads virtual datasets; update the docs")
    # Unlimited mappings follow the source as it grows.
    with h5py.File("grow.h5", "a") as f:
        g = f["g"]
        g.resize((5, 4))
        g[3:5] = 200 + np.arange(8).reshape(2, 4)
    grown = np.concatenate([G, 200 + np.arange(8, dtype="i4").reshape(2, 4)])
    for path in ("ours_unlimited.h5", "twin_unlimited.h5"):
        with h5py.File(path, "r") as f:
            u, u1 = f["u"][...], f["u1"][...]
            want1 = np.concatenate([np.full(3, -5, "i4"), grown[:, 1]])
            if not np.array_equal(u, grown):
                problems.append(f"{path}:u after growth: {u.tolist()}")
            if not np.array_equal(u1, want1):
                problems.append(f"{path}:u1 after growth: {u1.tolist()}")
            print(f"{path}: grown to {u.shape} and {u1.shape}")
    # jsfive and h5wasm (one Node run; h5wasm's NODERAWFS finds the sources
    # relative to the working directory, DIR).
    expected["unlimited"] = {"u": grown, "u1": np.concatenate([np.full(3, -5, "i4"), grown[:, 1]])}
    js = os.path.join(os.path.dirname(os.path.abspath(__file__)), "js", "read.mjs")
    files = [f"ours_{n}.h5" for n in SCENARIOS]
    try:
        out = subprocess.run(["node", js, "--readers", "jsfive,h5wasm", *files],
                             capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        print("missing oracle: node")
        sys.exit(3)
    if out.returncode == 3:
        print(f"missing oracle: a JavaScript reader ({out.stderr.strip()})")
        sys.exit(3)
    import json
    seen = json.loads(out.stdout)
    for n in SCENARIOS:
        r = seen[f"ours_{n}.h5"]
        for ds, want in expected[n].items():
            j = r["jsfive"]["objects"].get("/" + ds, {})
            if j.get("value") is not None or "value_error" not in j:
                problems.append(f"jsfive ours_{n}.h5:{ds}: now reads virtual datasets ({j}); update the docs")
            w = r["h5wasm"]["objects"].get("/" + ds, {})
            if w.get("value") != want.ravel().tolist() or w.get("shape") != list(want.shape):
                problems.append(f"h5wasm ours_{n}.h5:{ds}: {w.get('shape')} {w.get('value')}, want {want.tolist()}")
    print(f"jsfive: no values (as its code says); h5wasm: every value of {len(files)} files")
    for p in problems:
        print("PROBLEM:", p)
    print(f"virtual_check: {len(SCENARIOS)} scenarios, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main(sys.argv[1])
