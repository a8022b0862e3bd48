#!/usr/bin/env python3
"""Cross-checks the Rust test helpers (tests/common/mod.rs) against check.py.

Usage: python3 tests/oracle/crosscheck.py DIR

For every manifest DIR/<name>.json, the Rust side (tests/oracle_selftest.rs)
also wrote, for the k-th object of the manifest when it is a dataset,
DIR/<name>.expect/<k>.bin holding what Rust believes the dataset contains:
numeric datasets as raw little-endian values (row-major), string datasets as
one (u32 little-endian byte length, UTF-8 bytes) record per string. This
script parses the manifest with check.py's loader -- which also validates the
Rust JSON writer, escaping included -- computes the expected contents with
check.py's generator and compares byte for byte. Exit 0 if all equal, 1 if
not, 3 if numpy is missing.
"""

from __future__ import annotations

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402


def python_bytes(obj: check.Obj) -> bytes:
    if obj.dtype == check.VLEN_STR:
        out = bytearray()
        for s in check.expected_strings(obj):
            b = s.encode("utf-8")
            out += struct.pack("<I", len(b)) + b
        return bytes(out)
    return check.expected_numeric(obj).tobytes()  # dtypes are little-endian


def main() -> int:
    if check.np is None:
        print("missing oracle: numpy; run scripts/test.sh")
        return check.EXIT_MISSING
    d = sys.argv[1]
    manifests = sorted(n for n in os.listdir(d) if n.endswith(".json"))
    compared = failures = 0
    for m in manifests:
        try:
            sc = check.load_manifest(os.path.join(d, m))
        except check.ManifestError as e:
            print(f"{m}: manifest rejected: {e}")
            failures += 1
            continue
        for k, obj in enumerate(sc.objects):
            if obj.kind != "dataset":
                continue
            path = os.path.join(d, m[:-5] + ".expect", f"{k}.bin")
            with open(path, "rb") as fh:
                rust = fh.read()
            py = python_bytes(obj)
            compared += 1
            if rust != py:
                failures += 1
                n = min(len(rust), len(py))
                first = next((i for i in range(n) if rust[i] != py[i]), n)
                print(f"{sc.name}: {obj.path!r} ({obj.dtype}, {obj.data}): Rust wrote "
                      f"{len(rust)} bytes, Python expects {len(py)}; first difference "
                      f"at byte {first}")
    print(f"crosscheck: {compared} datasets compared, {failures} mismatches")
    return 0 if failures == 0 and compared > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
