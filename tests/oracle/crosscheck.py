#!/usr/bin/env python3
"""Cross-checks the Rust test helpers (tests/common/) against check.py.

Usage: python3 tests/oracle/crosscheck.py DIR

For every manifest DIR/<name>.json, the Rust side (tests/conformance/oracle_selftest.rs,
and common::generators_match_python through Manifest::write_expect) also
wrote what Rust believes each dataset and attribute contains, in
DIR/<name>.expect/:
  <k>.bin         the k-th object of the manifest, when it is a dataset
                  (required);
  <k>.attr<j>.bin its j-th attribute; root.attr<j>.bin the root group's
                  (required whenever the manifest lists attributes).
Contents: the raw element bytes as stored in the file (little-endian,
compounds packed, row-major, unwritten elements as the fill value or zeros);
vlen strings as one (u32 little-endian byte length, UTF-8 bytes) record per
string. This script parses the manifest with check.py's loader -- which also
validates the Rust JSON writer, escaping included -- computes the expected
contents with check.py's generators and compares byte for byte. Exit 0 if all
equal, 1 if not, 3 if numpy or h5py is missing.
"""

from __future__ import annotations

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check  # noqa: E402


def python_bytes(dt: check.DType, shape, data, values, fill=None) -> bytes:
    exp = check.expected_values(dt, shape, data, values, fill)
    if dt.kind == "vlen_str":
        out = bytearray()
        for s in exp:
            b = s.encode("utf-8")
            out += struct.pack("<I", len(b)) + b
        return bytes(out)
    return exp.tobytes()  # dtypes are little-endian, compounds packed


def compare(label: str, path: str, py: bytes) -> bool:
    try:
        with open(path, "rb") as fh:
            rust = fh.read()
    except OSError as e:
        print(f"{label}: Rust wrote no expectation: {e}")
        return False
    if rust == py:
        return True
    n = min(len(rust), len(py))
    first = next((i for i in range(n) if rust[i] != py[i]), n)
    print(f"{label}: Rust wrote {len(rust)} bytes, Python expects {len(py)}; first "
          f"difference at byte {first} (Rust {rust[first:first + 8].hex()}, "
          f"Python {py[first:first + 8].hex()})")
    return False


def main() -> int:
    if check.np is None or check.h5py is None:
        print("missing oracle: numpy / h5py; run scripts/test.sh")
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
        edir = os.path.join(d, m[:-5] + ".expect")
        items = [(f"{sc.name}: root attribute {a.name!r}", f"root.attr{j}.bin",
                  python_bytes(a.dtype, a.shape, a.data, a.values))
                 for j, a in enumerate(sc.root_attrs)]
        for k, obj in enumerate(sc.objects):
            if obj.kind == "dataset":
                label = f"{sc.name}: {obj.path!r} ({obj.dtype.text}, {check._short(obj.data, 100)})"
                items.append((label, f"{k}.bin", python_bytes(obj.dtype, obj.shape, obj.data,
                                                              obj.values, obj.fill)))
            items += [(f"{sc.name}: {obj.path!r} attribute {a.name!r}", f"{k}.attr{j}.bin",
                       python_bytes(a.dtype, a.shape, a.data, a.values))
                      for j, a in enumerate(obj.attrs)]
        for label, name, py in items:
            compared += 1
            if not compare(label, os.path.join(edir, name), py):
                failures += 1
    print(f"crosscheck: {compared} datasets and attributes compared, {failures} mismatches")
    return 0 if failures == 0 and compared > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
