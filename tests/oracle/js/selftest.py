#!/usr/bin/env python3
"""Self-test of the jsfive / h5wasm oracles (../js_readers.py, read.mjs).

Usage: python3 tests/oracle/js/selftest.py [--keep DIR]

Writes HDF5 files with h5py covering every kind of object and datatype that
h5sink writes or will write (all ints and floats incl. f16, 64-bit values
beyond 2^53, NaN/Inf/-0, vlen UTF-8 and fixed strings, h5py bool, enum,
compound with array members, scalars, zero-length dimensions, attributes,
compact layout, never-written contiguous / chunked data, fill values, nested
groups, a dataset above the value cap), reads them all in ONE run_js call,
and checks each reader's view with check_js against hand-made expectations.
Each case names the verdict it must get from each reader; the bad cases
(wrong value, dtype, shape, tree, attribute, string, data said written but
never written, a wrong value on an object the reader cannot read) must FAIL
-- or be n/a only where UNSUPPORTED says so. A case whose verdict differs is
a failure of this self-test. Also run: check.py's own manifest loader and
Expected generator on an h5py-written file (the integration path).

Prints one line per case and reader, timings, then "N passed, M failed".
Exit 0 all as expected, 1 otherwise, 3 node / npm packages missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from typing import Optional

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from js_selftest_cases import build, jr  # noqa: E402
from js_selftest_integration import integration_case  # noqa: E402


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", metavar="DIR", help="write the files here and keep them")
    args = ap.parse_args(argv)
    d = args.keep or tempfile.mkdtemp(prefix="h5sink-js-selftest-")
    os.makedirs(d, exist_ok=True)
    try:
        return run(d)
    finally:
        if not args.keep:
            shutil.rmtree(d, ignore_errors=True)


def run(d: str) -> int:
    try:
        versions = jr.js_versions()
    except jr.JsReadersMissing as e:
        print(f"missing oracle: {e}")
        return 3
    with np.errstate(over="ignore"):  # f16 / f32 casts of big values give inf on purpose
        cases = build(d)
    integ = integration_case(d)
    files = list(dict.fromkeys([c.file for c in cases]))

    t0 = time.monotonic()
    jr.run_js([cases[7].file])  # one small file: Node start + both readers
    t_one = time.monotonic() - t0
    t0 = time.monotonic()
    res = jr.run_js(files)
    t_all = time.monotonic() - t0
    small = [f for f in files if not f.endswith("big.h5")]
    t0 = time.monotonic()
    jr.run_js(small)
    t_small = time.monotonic() - t0

    passed = failed = 0
    for c in cases:
        for reader in jr.READERS:
            status, msgs = jr.check_js(reader, c.objects, lambda o, c=c: c.expected[o.path],
                                       res[c.file][reader], root_attrs=c.root_attrs)
            good = status == c.want[reader]
            passed += good
            failed += not good
            mark = "ok  " if good else "BAD "
            print(f"{mark}{c.name:<18} {reader:<7} {status:<5} (want {c.want[reader]})"
                  + (f"  -- {c.why}" if c.why and reader == "jsfive" else ""))
            for m in msgs[:6]:
                print(f"        {m[:300]}")
    if integ:
        sc, exp, want, schema = integ
        t0 = time.monotonic()
        problems = jr.check_scenario(sc, exp)  # check.py's hook, shared Node process
        t_hook = time.monotonic() - t0
        for reader in jr.READERS:
            mine = [p for p in problems if p.startswith(reader + ":")]
            status = ("FAIL" if any(type(p) is str for p in mine)
                      else "n/a" if mine else "ok")
            good = status == want[reader]
            passed += good
            failed += not good
            print(f"{'ok  ' if good else 'BAD '}{'check_scenario':<18} {reader:<7} {status:<5} "
                  f"(want {want[reader]})  -- check.py manifest, {schema} schema, {t_hook:.2f}s")
            for m in mine[:6]:
                print(f"        {type(m).__name__}: {m[:300]}")
    print(f"versions: {json.dumps(versions)}")
    per_file = (t_small - t_one) / max(1, len(small) - 1)
    print(f"timing: Node start + 1 small file {t_one:.2f}s; each further small file "
          f"{per_file * 1000:.0f} ms ({len(small)} in {t_small:.2f}s, one process); all "
          f"{len(files)} files incl. big.h5 (3,000,000 f64, capped at 2,000,000 compared) {t_all:.2f}s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
