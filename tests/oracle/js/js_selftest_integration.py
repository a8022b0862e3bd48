"""js/selftest.py's integration case: check.py's own manifest loader,
Expected and twin writer make a file that js_readers.check_scenario must pass.
"""

from __future__ import annotations

import json
import os
from typing import Optional


# check.py manifests for the integration cases: the extended schema (attrs,
# fill, layout, bool / fixed / enum / compound dtypes) when check.py knows
# it, else the original one. (manifest, reader -> verdict)
NEW_MANIFEST = ({"name": "integration", "file": "integration.h5", "root_attrs": [
    {"name": "origin", "dtype": "vlen_str", "shape": [], "data": {"strings": ["h5sink ü"]}}],
    "objects": [
    {"path": "meta", "kind": "group", "attrs": [
        {"name": "n", "dtype": "i64", "shape": [2], "data": {"values": [-(2**63), 2**62 + 1]}}]},
    {"path": "meta/x", "kind": "dataset", "dtype": "i32", "shape": [3, 4], "data": {"gen": "ramp", "seed": 7}},
    {"path": "part", "kind": "dataset", "dtype": "u64", "shape": [10, 2],
     "data": {"gen": "ramp", "seed": 1, "rows_written": 4}},
    {"path": "names", "kind": "dataset", "dtype": "vlen_str", "shape": [2], "data": {"strings": ["a", "ü"]}},
    {"path": "blank", "kind": "dataset", "dtype": "f32", "shape": [4], "data": None},
    {"path": "flags", "kind": "dataset", "dtype": "bool", "shape": [3], "data": {"values": [True, False, True]}},
    {"path": "code", "kind": "dataset", "dtype": {"fixed_ascii": 4}, "shape": [2], "data": {"strings": ["ab", "wxyz"]}},
    {"path": "color", "kind": "dataset", "dtype": {"enum": {"base": "u8", "members": [["R", 0], ["G", 7]]}},
     "shape": [2], "data": {"values": ["G", "R"]}},
    {"path": "filled", "kind": "dataset", "dtype": "i16", "shape": [3], "data": None, "fill": -5},
    {"path": "small", "kind": "dataset", "dtype": "u16", "shape": [4], "data": {"gen": "ramp", "seed": 2},
     "layout": "compact"},
    {"path": "rec", "kind": "dataset", "dtype": {"compound": [["id", "u32"], ["pos", {"array": ["f32", [3]]}],
                                                             ["ok", "bool"]]},
     "shape": [2], "data": {"gen": "ramp", "seed": 3}}]},
    {"jsfive": "n/a", "h5wasm": "ok"})
OLD_MANIFEST = ({"name": "integration", "file": "integration.h5", "objects": [
    {"path": "meta", "kind": "group"},
    {"path": "meta/x", "kind": "dataset", "dtype": "i32", "shape": [3, 4], "data": {"gen": "ramp", "seed": 7}},
    {"path": "part", "kind": "dataset", "dtype": "u64", "shape": [10, 2],
     "data": {"gen": "ramp", "seed": 1, "rows_written": 4}},
    {"path": "names", "kind": "dataset", "dtype": "vlen_str", "shape": [2], "data": {"strings": ["a", "ü"]}},
    {"path": "blank", "kind": "dataset", "dtype": "f32", "shape": [4], "data": None}]},
    {"jsfive": "ok", "h5wasm": "ok"})


def integration_case(d: str) -> Optional[tuple]:
    """check.py's own manifest loader, Expected and h5py twin writer make a
    file; js_readers.check_scenario (check.py's hook) must pass it."""
    try:
        import check  # noqa: E402  (tests/oracle/check.py)
    except Exception as e:  # pragma: no cover
        print(f"(check.py not importable, integration case skipped: {e})")
        return None
    mpath = os.path.join(d, "integration.json")
    for man, want in (NEW_MANIFEST, OLD_MANIFEST):
        with open(mpath, "w") as fh:
            json.dump(man, fh)
        try:
            sc = check.load_manifest(mpath)
        except check.ManifestError:
            continue  # an older check.py: try the original schema
        exp = check.Expected()
        check.build_twin(sc, sc.file, exp)
        return sc, exp, want, "extended" if man is NEW_MANIFEST[0] else "original"
    return None
