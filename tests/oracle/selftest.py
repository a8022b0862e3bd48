#!/usr/bin/env python3
"""Self-test of the oracle harness (check.py), needing h5py but not h5sink.

Writes scenarios with h5py itself into a temporary directory and runs
check.py on them:
  * good/   every manifest feature (attributes, every dtype, ramp / strings /
            values / null, rows_written, fill values, compact layout, chunked
            layout with filters, unlimited and grown dimensions, deflate
            streams of another encoder than the twin's); every check must
            pass, pyfive "n/a" exactly where the scenario says (features
            pyfive's code cannot read, with the cited reason);
  * bad/    deliberately wrong manifests or files; each must fail in exactly
            the expected checks (this proves that the oracles, and the h5dump
            normalisation of the twin comparison, do not hide differences);
  * js/     the chunked scenarios of both once more with the JS readers'
            column (JS_WANT), which the runs above leave out;
  * check.py without h5dump on PATH must exit 3 (missing oracle).
Expected values for the small scenarios come from a pure-Python ramp, which
cross-checks check.py's numpy implementation.

Usage: python3 tests/oracle/selftest.py [--keep DIR] [--no-big]
Exit status 0 when the harness behaves, 1 otherwise, 3 if an oracle is missing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from typing import Any

# This selftest judges h5py, pyfive, h5dump and the twin; the JS readers'
# hook (check.check_js) has its own selftest (js/selftest.py), except for
# chunked layout, which one more run with the hook judges here (JS_WANT).
os.environ["H5SINK_ORACLE_NO_JS"] = "1"
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
      "i32": "<i4", "u64": "<u8", "i64": "<i8", "f16": "<f2", "f32": "<f4", "f64": "<f8"}
NUMERIC = [t for t in NP if t != "f16"]  # the original ten


# ------------------------------------------------------ reference values
#
# An independent, pure-Python statement of the manifest semantics (README):
# the ramp, its casts, compound leaf order, JSON elements. check.py's numpy
# implementation must agree with it on every good scenario.


def ref_leaf(x: int, t):
    """Raw ramp value x -> one leaf of manifest dtype t."""
    if t == "bool":
        return x & 1 == 1
    if t == "f16":  # struct's 'e' is IEEE half precision, independent of numpy
        return struct.unpack("<e", struct.pack("<e", float(x % 2001) * 0.5 - 500.0))[0]
    if isinstance(t, dict):
        members = t["enum"]["members"]
        return members[x % len(members)][1]
    if t[0] == "f":
        return float(x % 1000003) * 0.25 - 1000.0
    bits = int(t[1:])
    v = x % 2**bits
    if t[0] == "i" and v >= 2 ** (bits - 1):
        v -= 2**bits
    return v


def ref_value(i: int, seed: int, dtype: str):
    """The ramp definition, in plain Python integers."""
    return ref_leaf((i * 2654435761 + seed) % 2**64, dtype)


def ref_leaves(t) -> int:
    if isinstance(t, dict) and "compound" in t:
        return sum(ref_leaves(m) for _, m in t["compound"])
    if isinstance(t, dict) and "array" in t:
        return math.prod(t["array"][1]) * ref_leaves(t["array"][0])
    return 1


def ref_element(t, xs):
    """One element from an iterator of raw ramp values, depth-first."""
    if isinstance(t, dict) and "compound" in t:
        return tuple(ref_element(m, xs) for _, m in t["compound"])
    if isinstance(t, dict) and "array" in t:
        base, dims = t["array"]
        flat = [ref_element(base, xs) for _ in range(math.prod(dims))]
        return nest(flat, dims)
    return ref_leaf(next(xs), t)


def nest(flat: list, dims) -> list:
    if len(dims) == 1:
        return flat
    step = len(flat) // dims[0]
    return [nest(flat[i * step:(i + 1) * step], dims[1:]) for i in range(dims[0])]


def ref_ramp(t, k: int, seed: int) -> list:
    n = ref_leaves(t)
    return [ref_element(t, iter(((i * n + j) * 2654435761 + seed) % 2**64 for j in range(n)))
            for i in range(k)]


def ref_json(t, v):
    """A JSON element ("values" entry, "fill") -> what numpy takes."""
    if isinstance(t, dict):
        (key, arg), = t.items()
        if key == "enum":
            return dict(arg["members"])[v] if isinstance(v, str) else v
        if key.startswith("fixed_"):
            return v.encode("utf-8")
        if key == "compound":
            return tuple(ref_json(m, x) for (_, m), x in zip(arg, v))
        if key == "array":
            return nest([ref_json(arg[0], x) for x in flatten(v)], arg[1])
    return v


def flatten(v) -> list:
    return [y for x in v for y in flatten(x)] if isinstance(v, list) else [v]


def ref_np(t) -> "np.dtype":
    if isinstance(t, str):
        if t == "bool":
            return np.dtype(bool)
        if t == "vlen_str":
            return h5py.string_dtype("utf-8")
        return np.dtype(NP[t])
    (key, arg), = t.items()
    if key == "fixed_ascii":
        return np.dtype(f"S{arg}")
    if key == "fixed_utf8":
        return h5py.string_dtype("utf-8", arg)
    if key == "enum":
        return h5py.enum_dtype(dict(arg["members"]), basetype=NP[arg["base"]])
    if key == "compound":
        return np.dtype([(n, ref_np(m)) for n, m in arg])
    return np.dtype((ref_np(arg[0]), tuple(arg[1])))


def ref_written(t, shape, data) -> list:
    """The written elements (row-major) of a data description."""
    n = math.prod(shape)
    if "rows_written" in data:
        n = data["rows_written"] * math.prod(shape[1:])
    if "gen" in data:
        return ref_ramp(t, n, data["seed"])
    if "strings" in data:
        return [s if t == "vlen_str" else s.encode("utf-8") for s in data["strings"]]
    return [ref_json(t, v) for v in data["values"]]


def ref_array(dtype: str, shape, data):
    """Full contents of a numeric dataset (never-written rows read 0)."""
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


def write_attr(h5obj, a: dict) -> None:
    """Writes one manifest attribute with attrs.create (the twin uses
    `attrs[name] = value` where it can: both must give the same file)."""
    t, shape = a["dtype"], tuple(a["shape"])
    vals = ref_written(t, shape, a["data"])
    if t == "vlen_str":
        arr = np.array(vals, dtype=object).reshape(shape)
    else:
        arr = np.array(vals, dtype=ref_np(t)).reshape(shape)
    h5obj.attrs.create(a["name"], arr, shape=shape, dtype=ref_np(t))


class Scn:
    """A scenario: builds the manifest and writes the HDF5 file with h5py."""

    def __init__(self, name: str, twin: bool = True, pyfive: str = "ok"):
        self.name, self.twin, self.objects = name, twin, []
        self.pyfive = pyfive  # expected pyfive cell of a good scenario
        self.root_attrs: list[dict] = []
        self.hooks = []  # functions (h5py.File) -> None, run after creation

    def group(self, path, attrs=None):
        o = {"path": path, "kind": "group"}
        if attrs is not None:
            o["attrs"] = attrs
        self.objects.append(o)
        return self

    def ds(self, path, dtype, shape, data=None, attrs=None, fill=None, layout=None,
           chunks=None, maxshape=None, filters=None, grow_from=None, write=True, **create_kw):
        """chunks / maxshape / filters: the manifest keys, passed to h5py as
        chunks=, maxshape=, shuffle= / compression= / fletcher32=;
        grow_from: create the dataset at this shape, then resize it to
        `shape` before writing; write=False: leave the data to a hook."""
        o = {"path": path, "kind": "dataset", "dtype": dtype, "shape": list(shape),
             "data": data, "_kw": create_kw, "_grow": grow_from, "_write": write}
        if attrs is not None:
            o["attrs"] = attrs
        if fill is not None:
            o["fill"] = fill
        if layout is not None:
            o["layout"] = layout
        if chunks is not None:
            o["chunks"] = list(chunks)
        if maxshape is not None:
            o["maxshape"] = list(maxshape)
        if filters is not None:
            o["filters"] = filters
        self.objects.append(o)
        return self

    def root_attr(self, name, dtype, shape, data):
        self.root_attrs.append(attr(name, dtype, shape, data))
        return self

    def manifest(self) -> dict:
        objs = [{k: v for k, v in o.items() if not k.startswith("_")} for o in self.objects]
        m = {"name": self.name, "file": self.name + ".h5", "objects": objs}
        if self.root_attrs:
            m["root_attrs"] = self.root_attrs
        if not self.twin:
            m["twin"] = False
        return m

    def write(self, d: str, manifest_edit=None):
        with h5py.File(os.path.join(d, self.name + ".h5"), "w") as f:
            for a in self.root_attrs:
                write_attr(f, a)
            for o in self.objects:
                if o["kind"] == "group":
                    g = f.create_group(o["path"])
                    for a in o.get("attrs", []):
                        write_attr(g, a)
                    continue
                t, shape, data = o["dtype"], tuple(o["shape"]), o["data"]
                kw = dict(o["_kw"])
                if "fill" in o:
                    kw["fillvalue"] = np.array(ref_json(t, o["fill"]), dtype=ref_np(t))
                if o.get("layout") == "compact":
                    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
                    dcpl.set_layout(h5py.h5d.COMPACT)
                    kw["dcpl"] = dcpl
                if "chunks" in o:
                    kw["chunks"] = tuple(o["chunks"])
                    kw["maxshape"] = tuple(o.get("maxshape", shape))
                fl = o.get("filters", {})
                if fl.get("shuffle"):
                    kw["shuffle"] = True
                if "deflate" in fl:
                    kw["compression"], kw["compression_opts"] = "gzip", fl["deflate"]
                if fl.get("fletcher32"):
                    kw["fletcher32"] = True
                grow = o["_grow"]
                ds = f.create_dataset(o["path"], shape=shape if grow is None else tuple(grow),
                                      dtype=ref_np(t), **kw)
                if grow is not None:
                    ds.resize(shape)
                if data is not None and 0 not in shape and o["_write"]:
                    self._write_data(ds, t, shape, data)
                for a in o.get("attrs", []):
                    write_attr(ds, a)
            for hook in self.hooks:
                hook(f)
        m = self.manifest()
        if manifest_edit:
            manifest_edit(m)
        with open(os.path.join(d, self.name + ".json"), "w", encoding="utf-8") as fh:
            json.dump(m, fh, ensure_ascii=False, indent=1)

    @staticmethod
    def _write_data(ds, t, shape, data):
        if t in NUMERIC and "gen" in data:
            val = ref_array(t, shape, data)
        else:
            vals = ref_written(t, shape, data)
            rows = (data["rows_written"],) if "rows_written" in data else shape[:1]
            val = np.array(vals, dtype=object if t == "vlen_str" else ref_np(t))
            val = val.reshape(rows + tuple(shape[1:]))
        if shape == ():
            ds[()] = val[()] if t == "vlen_str" else val
        elif "rows_written" in data:
            ds[: data["rows_written"]] = val[: data["rows_written"]]
        else:
            ds[...] = val


def ramp(seed, **kw):
    return {"gen": "ramp", "seed": seed, **kw}


def values(vs, **kw):
    return {"values": vs, **kw}


def strings(ss, **kw):
    return {"strings": ss, **kw}


def attr(name, dtype, shape, data):
    return {"name": name, "dtype": dtype, "shape": list(shape), "data": data}


def enum(base, *names, start=0, step=1):
    return {"enum": {"base": base, "members": [[n, start + k * step] for k, n in enumerate(names)]}}


TRICKY = ["a", "ü", "", 'quote " and backslash \\', "tab\tnew\nline\r",
          "emoji \U0001F600 and CJK 漢字", "\u2028\u2029\x7f\x01", "x" * 100_000]

COLOR = enum("i8", "RED", "GREEN", "BLUE")
POINT = {"compound": [["x", "f32"], ["y", "f32"]]}
# The issue's example record: an array member and a nested compound.
RECORD = {"compound": [["x", "f32"], ["y", "f32"], ["label", "i64"],
                       ["hist", {"array": ["f32", [4]]}],
                       ["inner", {"compound": [["a", "u8"], ["b", "i16"]]}]]}
# Every leaf type inside a compound. pyfive cannot read it: an enum or bool
# member followed by more members (check.PYFIVE_NA_ENUM_MEMBER).
FLAT = {"compound": [["i", "i8"], ["u", "u64"], ["h", "f16"], ["d", "f64"], ["ok", "bool"],
                     ["c", COLOR], ["tag", {"fixed_ascii": 3}], ["utag", {"fixed_utf8": 5}],
                     ["in", {"compound": [["a", "u16"], ["b", enum("u8", "X", "Y")]]}]]}
FLAT_RAMPABLE = {"compound": [m for m in FLAT["compound"] if m[0] not in ("tag", "utag")]}
# What pyfive can read: no array member, at most one enum, as the last leaf.
PYF = {"compound": [["i", "i8"], ["u", "u64"], ["h", "f16"], ["d", "f64"],
                    ["tag", {"fixed_ascii": 3}], ["utag", {"fixed_utf8": 5}],
                    ["in", {"compound": [["a", "u16"], ["b", "i32"]]}], ["c", COLOR]]}
PYF_RAMPABLE = {"compound": [m for m in PYF["compound"] if m[0] not in ("tag", "utag")]}
PYF_BOOL = {"compound": [["x", "f32"], ["in", {"compound": [["n", "u8"], ["ok", "bool"]]}]]}
MATRIX = {"compound": [["id", "u32"], ["m", {"array": ["i16", [2, 3]]}],
                       ["pts", {"array": [POINT, [2]]}], ["flags", {"array": ["bool", [3]]}]]}


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
    out += new_good_scenarios()
    out += chunked_good_scenarios()
    if big:
        # 6553600 x 2 f64 = 100 MiB: exercises the binary h5dump path.
        out.append(Scn("big_dataset").ds("big", "f64", [6553600, 2], ramp(3))
                   .ds("label", "vlen_str", [1], {"strings": ["big"]}))
    return out


def new_good_scenarios() -> list[Scn]:
    """Attributes, the new dtypes, explicit values, fill values, compact."""
    out = []
    # Attributes of every kind on the root, groups and datasets.
    s = Scn("attrs", pyfive="n/a")  # "rec": a compound with an array member
    s.root_attr("units", "vlen_str", [], strings(["kelvin"]))
    s.root_attr("names", "vlen_str", [3], strings(["a", "bü", ""]))
    s.root_attr("grid_s", "vlen_str", [2, 2], strings(["r0c0", "r0c1", "漢字", ""]))
    s.root_attr("count", "i64", [], values([3]))
    s.root_attr("scale", "f64", [], values([2.5]))
    s.root_attr("empty_s", "vlen_str", [], strings([""]))
    s.root_attr("größe", "u8", [], values([255]))
    s.root_attr("none", "i32", [0], values([]))
    s.group("g", attrs=[attr("flags", "bool", [5], ramp(3)),
                        attr("half", "f16", [], ramp(7)),
                        attr("label", {"fixed_ascii": 8}, [], strings(["abc"])),
                        attr("labels", {"fixed_utf8": 6}, [2], strings(["ü€", "full!!"])),
                        attr("color", COLOR, [], values(["GREEN"])),
                        attr("colors", COLOR, [4], ramp(1)),
                        attr("point", POINT, [], values([[1.5, -2.0]])),
                        attr("flat", FLAT, [2], values([
                            [-1, 2**64 - 1, 0.5, -0.0, True, "BLUE", "ab", "ü", [7, "Y"]],
                            [127, 0, -65504.0, 1e300, False, 0, "", "€", [0, 0]]])),
                        attr("rec", RECORD, [], ramp(11)),
                        attr("pyf", PYF, [2], values([
                            [-1, 2**64 - 1, 0.5, -0.0, "ab", "ü", [7, -7], "BLUE"],
                            [127, 0, -65504.0, 1e300, "", "€", [0, 0], 0]])),
                        attr("pyf_bool", PYF_BOOL, [], ramp(12))])
    s.group("g/sub", attrs=[attr("grid", "i32", [2, 3], ramp(5))])
    s.ds("g/x", "f32", [3], ramp(1), attrs=[attr("units", "vlen_str", [], strings(["m/s"])),
                                            attr("valid_range", "f32", [2], values([-1.5, 1e30]))])
    s.ds("y", "u8", [2], None, attrs=[attr("note", "vlen_str", [], strings(["never written"]))])
    out.append(s)
    # The new dtypes as datasets, through ramp.
    s = Scn("new_dtypes")
    s.ds("bool", "bool", [17], ramp(2)).ds("bool2", "bool", [2, 3], ramp(2**64 - 2))
    s.ds("f16", "f16", [3000], ramp(0)).ds("f16_wrap", "f16", [40], ramp(2**64 - 9))
    s.ds("color", COLOR, [10], ramp(4))
    s.ds("e_u16", enum("u16", "A", "B", "C", "D", "E", start=65000, step=100), [12], ramp(9))
    s.ds("e_i64", enum("i64", "NEG", "ZERO", "BIG", start=-2**62, step=2**62), [3, 4], ramp(3))
    s.ds("s_ascii", {"fixed_ascii": 5}, [4], strings(["", "a", "abcde", "x y"]))
    s.ds("s_utf8", {"fixed_utf8": 8}, [2, 2], strings(["ü", "漢字", "", "€€"]))
    s.ds("s_one", {"fixed_ascii": 1}, [3], strings(["a", "", "z"]))
    s.ds("pyf", PYF_RAMPABLE, [6], ramp(5)).ds("pyf2", PYF_RAMPABLE, [2, 3], ramp(6))
    s.ds("pyf_bool", PYF_BOOL, [4], ramp(8)).ds("point", POINT, [], ramp(7))
    out.append(s)
    # Compounds with array members, or an enum before other members: pyfive
    # cannot read them.
    s = Scn("pyfive_na_types", pyfive="n/a")
    s.ds("rec", RECORD, [5], ramp(1)).ds("matrix", MATRIX, [3], ramp(2))
    s.ds("flat", FLAT_RAMPABLE, [6], ramp(5)).ds("flat2", FLAT_RAMPABLE, [2, 3], ramp(6))
    s.ds("flat_vals", FLAT, [2], values([
        [-1, 2**64 - 1, 0.5, -0.0, True, "BLUE", "ab", "ü", [7, "Y"]],
        [127, 0, -65504.0, 1e300, False, 0, "", "€", [0, 0]]]))
    s.ds("flat_fill", FLAT, [2], None, fill=[1, 2, 0.5, 3, True, "GREEN", "t", "ü", [1, "X"]])
    s.ds("flat_compact", FLAT_RAMPABLE, [3], ramp(3), layout="compact")
    s.ds("flat_scalar", FLAT_RAMPABLE, [], ramp(4))
    s.ds("rec_vals", RECORD, [1], values([[1.0, 2.0, -3, [0.5, 1.5, 2.5, 3.5], [9, -9]]]))
    s.ds("rec_part", RECORD, [4], ramp(3, rows_written=2), fill=[1, 2, 3, [4, 4, 4, 4], [5, 6]])
    s.ds("plain", "i32", [2], ramp(4))
    out.append(s)
    # Explicit values for every dtype.
    s = Scn("values")
    s.ds("u64", "u64", [3], values([0, 2**64 - 1, 2**63]))
    s.ds("i64", "i64", [3], values([-2**63, 2**63 - 1, -1]))
    s.ds("i8", "i8", [2], values([-128, 127]))
    s.ds("f64", "f64", [5], values([-0.0, 1e-310, 0.1, 1.7976931348623157e308, 3]))
    s.ds("f32", "f32", [3], values([0.1, 3.4e38, -1e-45]))
    s.ds("f16", "f16", [8],
         values([0.1, 65504.0, 65519.0, 1e-8, 6e-8, -0.0, 2.9802322387695312e-08, 1]))
    s.ds("nan", "f64", [1], values([float("nan")]))
    s.ds("bool", "bool", [3], values([True, False, True]))
    s.ds("color", COLOR, [4], values(["RED", "BLUE", 1, "GREEN"]))
    s.ds("s_ascii", {"fixed_ascii": 3}, [2], values(["ab", "abc"]))
    s.ds("vlen", "vlen_str", [2], values(["x", "ÿ"]))
    s.ds("pyf", PYF, [2], values([
        [-1, 2**64 - 1, 0.5, -0.0, "ab", "ü", [7, -7], "BLUE"],
        [127, 0, -65504.0, 1e300, "", "€", [0, 0], 0]]))
    s.ds("grid", "u16", [2, 2], values([1, 2, 3, 4]))
    s.ds("scalar", POINT, [], values([[0.25, -0.5]]))
    out.append(s)
    # User fill values: unwritten elements read as the fill.
    s = Scn("fill")
    s.ds("i32", "i32", [6, 2], ramp(1, rows_written=2), fill=-7)
    s.ds("f64_null", "f64", [4], None, fill=0.5)
    s.ds("f16", "f16", [5], ramp(2, rows_written=1), fill=-1.5)
    s.ds("bool", "bool", [4], None, fill=True)
    s.ds("color", COLOR, [3], values(["RED"], rows_written=1), fill="BLUE")
    s.ds("s_ascii", {"fixed_ascii": 4}, [3], strings(["ab"], rows_written=1), fill="zz")
    s.ds("pyf", PYF, [2], None, fill=[1, 2, 0.5, 3, "t", "ü", [1, 2], "GREEN"])
    s.ds("pyf_part", PYF_RAMPABLE, [3], ramp(1, rows_written=1),
         fill=[-1, 0, 0.25, 9, [5, 6], "RED"])
    s.ds("scalar", "u16", [], None, fill=65535)
    s.ds("all_written", "i8", [2], ramp(5), fill=3)
    s.ds("zero_fill", "u8", [2], None, fill=0)
    s.ds("vlen_part", "vlen_str", [3], strings(["a", "b"], rows_written=2))
    out.append(s)
    # Compact layout (vlen strings in it: pyfive cannot read them).
    s = Scn("compact", pyfive="n/a")
    s.ds("u16", "u16", [4], ramp(1), layout="compact")
    s.ds("null", "f32", [3], None, layout="compact")
    s.ds("null_fill", "i64", [3], None, fill=42, layout="compact")
    s.ds("part", "f64", [4, 2], ramp(2, rows_written=1), fill=-1.0, layout="compact")
    s.ds("pyf", PYF_RAMPABLE, [3], ramp(3), layout="compact")
    s.ds("strs", {"fixed_utf8": 4}, [2], strings(["ü", "ab"]), layout="compact")
    s.ds("scalar", "i8", [], ramp(4), layout="compact")
    s.ds("empty", "u8", [0], None, layout="compact")
    s.ds("vlen", "vlen_str", [2], strings(["x", "yz"]), layout="compact")
    out.append(s)
    # Scalars of the new types.
    s = Scn("new_scalars")
    s.ds("bool", "bool", [], ramp(1)).ds("f16", "f16", [], ramp(2)).ds("color", COLOR, [], ramp(3))
    s.ds("s_ascii", {"fixed_ascii": 6}, [], strings(["hi"]))
    s.ds("s_utf8", {"fixed_utf8": 6}, [], strings(["ü"]))
    s.ds("s_null", {"fixed_ascii": 2}, [], None).ds("pyf", PYF_RAMPABLE, [], ramp(4))
    s.ds("s_null_arr", {"fixed_utf8": 3}, [3], None)
    out.append(s)
    return out


def write_chunks(ds, arr, level=None, shuffle=False, mask=0, only=None):
    """Writes the chunks of h5py dataset `ds` holding `arr` (numeric) with
    write_direct_chunk, encoded here instead of by libhdf5: shuffled (numpy)
    if asked, then zlib at `level` (None: stored raw), with `filter_mask`
    mask. only: the chunk offsets to write (default all)."""
    chunks = ds.chunks
    grid = [-(-n // c) for n, c in zip(arr.shape, chunks)]
    for idx in np.ndindex(*grid):
        off = tuple(i * c for i, c in zip(idx, chunks))
        if only is not None and off not in only:
            continue
        block = np.zeros(chunks, dtype=arr.dtype)
        part = arr[tuple(slice(o, min(o + c, n)) for o, c, n in zip(off, chunks, arr.shape))]
        block[tuple(slice(0, x) for x in part.shape)] = part
        raw = block.tobytes()
        if shuffle:
            raw = np.frombuffer(raw, np.uint8).reshape(-1, arr.dtype.itemsize).T.tobytes()
        if level is not None:
            raw = zlib.compress(raw, level)
        ds.id.write_direct_chunk(off, raw, filter_mask=mask)


# Scenario -> datasets whose deflate streams this selftest makes with
# another encoder than the twin's (libhdf5's zlib at the dataset's level):
# their stored sizes must differ from the twin's, or the scenario would not
# prove that the SIZE normalisation lets them through.
OTHER_ENCODER = {"deflate_other_encoder": ["stored", "shuffled"]}


def chunked_good_scenarios() -> list[Scn]:
    """Chunked layout: edge chunks, filters, unlimited dimensions, resize,
    a chunk B-tree of more than one leaf, and pyfive's limits."""
    out = []
    gz_all = {"shuffle": True, "deflate": 4, "fletcher32": True}
    s = Scn("chunked")
    s.ds("edge2d", "i32", [7, 5], ramp(1), chunks=[3, 2])  # partial edge chunks in both dims
    s.ds("gz_all", "f64", [10, 3], ramp(2), chunks=[4, 2], filters=gz_all)
    s.ds("grown", "u16", [5, 3], ramp(3), chunks=[2, 3], maxshape=[None, 3], grow_from=[2, 3])
    # 65 chunks: more than one leaf of the chunk B-tree (64 entries per node).
    s.ds("chunks65", "u8", [130], ramp(4), chunks=[2])
    s.ds("fletcher_only", "i16", [6], ramp(5), chunks=[4], filters={"fletcher32": True})
    s.ds("shuffle_only", "f32", [3, 4], ramp(6), chunks=[2, 2], filters={"shuffle": True})
    s.ds("gz_never", "i64", [4, 4], None, chunks=[2, 2], filters={"deflate": 9})
    s.ds("empty_unlimited", "f32", [0, 5], ramp(0), chunks=[3, 2], maxshape=[None, 5],
         filters={"deflate": 1})
    s.ds("chunk_past_shape", "u32", [3], ramp(7), chunks=[10], maxshape=[None])
    s.ds("pyf", PYF_RAMPABLE, [5], ramp(8), chunks=[2], filters={"shuffle": True, "deflate": 2})
    s.ds("vlen_even", "vlen_str", [2, 2], strings(["a", "ü", "", "xyz"]), chunks=[1, 2])
    s.ds("fixed", {"fixed_ascii": 4}, [3], strings(["ab", "", "abcd"]), chunks=[2],
         filters={"deflate": 0})
    s.ds("bool", "bool", [9], ramp(9), chunks=[4], filters={"shuffle": True, "fletcher32": True})
    s.ds("color", COLOR, [2, 3], ramp(10), chunks=[1, 3], maxshape=[None, None])
    s.ds("fill_full", "i32", [4], ramp(11), chunks=[2], fill=-1)
    s.ds("rows_in_chunks", "f64", [4, 2], ramp(12, rows_written=3), chunks=[2, 2], fill=0.5)
    s.ds("attrs", "u8", [2], ramp(13), chunks=[1], attrs=[attr("units", "vlen_str", [],
                                                                strings(["m"]))])
    out.append(s)
    # What pyfive cannot read (PYFIVE_NA_MISSING_CHUNK, PYFIVE_NA_CHUNKED_VLEN).
    s = Scn("chunked_pyfive_na", pyfive="n/a")
    s.ds("rows_part", "f64", [6, 2], ramp(1, rows_written=3), chunks=[2, 2], fill=-1.5,
         filters={"deflate": 3})
    s.ds("vlen_edge", "vlen_str", [3], strings(["a", "bb", "c"]), chunks=[2])
    s.ds("vlen_gz", "vlen_str", [4], strings(["x", "yy", "", "ü"]), chunks=[2],
         filters={"shuffle": True, "deflate": 5})
    s.ds("vlen_part", "vlen_str", [4], strings(["q"], rows_written=1), chunks=[2])
    s.ds("fine", "i8", [4], ramp(2), chunks=[2])
    out.append(s)
    # Deflate streams of another encoder (zlib level 0 = stored blocks, and
    # level 1 after numpy's shuffle) than the twin's: only the normalised
    # SIZE lines differ.
    s = Scn("deflate_other_encoder")
    s.ds("stored", "f64", [8, 3], ramp(1), chunks=[3, 3], filters={"deflate": 4}, write=False)
    # Small values: compressible after shuffling, so libhdf5's level 6 stores
    # fewer bytes than zlib's level 0 (incompressible data would be stored
    # raw by both).
    s.ds("shuffled", "i32", [70], values(list(range(-35, 35))), chunks=[30],
         filters={"shuffle": True, "deflate": 6}, write=False)
    s.hooks.append(lambda f: (write_chunks(f["stored"], ref_array("f64", (8, 3), ramp(1)), level=0),
                              write_chunks(f["shuffled"], np.arange(-35, 35, dtype="<i4"),
                                           level=0, shuffle=True)))
    out.append(s)
    return out


def chunked_bad_scenarios(d: str, want: dict, exp) -> None:
    """Chunk shape, filters, maxshape, layout and chunk allocation done wrong."""
    def objs(m, k):
        return m["objects"][k]

    Scn("wrong_chunk_shape").ds("x", "f64", [6, 4], ramp(1), chunks=[2, 2]).write(
        d, lambda m: objs(m, 0).update(chunks=[3, 2]))
    want["wrong_chunk_shape"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("missing_filter").ds("x", "i32", [8], ramp(1), chunks=[4],
                             filters={"shuffle": True, "deflate": 4}).write(
        d, lambda m: objs(m, 0)["filters"].pop("shuffle"))
    want["missing_filter"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("unlisted_fletcher32").ds("x", "u16", [8], ramp(1), chunks=[4],
                                  filters={"fletcher32": True}).write(
        d, lambda m: objs(m, 0).pop("filters"))
    want["unlisted_fletcher32"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_deflate_level").ds("x", "u8", [8], ramp(1), chunks=[4],
                                  filters={"deflate": 4}).write(
        d, lambda m: objs(m, 0)["filters"].update(deflate=5))
    want["wrong_deflate_level"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_maxshape").ds("x", "i16", [4, 3], ramp(1), chunks=[2, 3],
                             maxshape=[None, 3]).write(
        d, lambda m: objs(m, 0).update(maxshape=[8, 3]))
    want["wrong_maxshape"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("fixed_not_unlimited").ds("x", "i16", [4], ramp(1), chunks=[2]).write(
        d, lambda m: objs(m, 0).update(maxshape=[None]))
    want["fixed_not_unlimited"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("contiguous_not_chunked").ds("x", "f32", [6], ramp(1)).write(
        d, lambda m: objs(m, 0).update(chunks=[3]))
    want["contiguous_not_chunked"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Filters in another order than h5py's (fletcher32, deflate, shuffle):
    # pyfive reports only which filters there are.
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((2,))
    dcpl.set_fletcher32()
    dcpl.set_deflate(4)
    dcpl.set_shuffle()
    Scn("filter_order").ds("x", "i32", [4], ramp(1), dcpl=dcpl).write(
        d, lambda m: objs(m, 0).update(chunks=[2], filters={"shuffle": True, "deflate": 4,
                                                             "fletcher32": True}))
    want["filter_order"] = exp("FAIL", "ok", "ok", "FAIL")
    # Deflated chunks where the twin has none: the normalised SIZE keeps 0
    # exact (a never-written dataset the file allocated anyway) ...
    s = Scn("deflate_allocated").ds("x", "f64", [4], None, chunks=[2], filters={"deflate": 4})
    s.hooks.append(lambda f: write_chunks(f["x"], np.zeros(4), level=4))
    s.write(d)
    want["deflate_allocated"] = exp("ok", "ok", "ok", "FAIL")
    # ... and one extra chunk beside the written ones, which the masked SIZE
    # cannot show, fails the chunk-by-chunk comparison (pyfive: a missing
    # chunk in between).
    s = Scn("deflate_extra_chunk").ds("x", "f64", [6], ramp(1, rows_written=2), chunks=[2],
                                      filters={"deflate": 4})
    s.hooks.append(lambda f: write_chunks(f["x"], np.zeros(6), level=4, only={(4,)}))
    s.write(d)
    want["deflate_extra_chunk"] = exp("ok", "n/a", "ok", "FAIL")
    # Chunks stored with the deflate filter skipped (filter mask bit 0): the
    # values read the same, the chunk index does not.
    s = Scn("filter_mask").ds("x", "u16", [4], ramp(1), chunks=[2], filters={"deflate": 4},
                              write=False)
    s.hooks.append(lambda f: write_chunks(f["x"], ref_array("u16", (4,), ramp(1)), mask=1))
    s.write(d)
    want["filter_mask"] = exp("ok", "ok", "ok", "FAIL")
    # Rows the manifest says were written lie in a chunk never allocated
    # (pyfive cannot read such a file at all: n/a; jsfive sees undefined).
    Scn("chunk_missing_written").ds("x", "f64", [6], ramp(1, rows_written=2), chunks=[2]).write(
        d, lambda m: objs(m, 0)["data"].update(rows_written=4))
    want["chunk_missing_written"] = exp("FAIL", "n/a", "ok", "FAIL")


# The "js" column (jsfive, h5wasm through check.check_js) of the chunked
# scenarios: good (n/a: compound, f16, jsfive's fill of unallocated chunks
# and vlen strings in them) and bad (a chunk shape or layout the readers
# report; written rows in an unallocated chunk, which jsfive reads as
# undefined). Chunk allocation and filter masks only the twin compares.
JS_WANT = {
    "good": {"chunked": "n/a", "chunked_pyfive_na": "n/a", "deflate_other_encoder": "ok"},
    "bad": {"chunked_layout": "FAIL", "wrong_chunk_shape": "FAIL",
            "contiguous_not_chunked": "FAIL", "deflate_extra_chunk": "ok",
            "chunk_missing_written": "FAIL", "filter_mask": "ok"},
}


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
    # Right values, other storage: chunked (h5py and pyfive report chunks,
    # the twin's dump the layout), compact (only the twin sees it).
    Scn("chunked_layout").ds("x", "f64", [6, 2], ramp(1), chunks=(2, 2)).write(
        d, lambda m: m["objects"][0].pop("chunks"))
    want["chunked_layout"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # A user-defined fill of 0 that the manifest does not mention: pyfive
    # cannot tell it from the library default (it exposes only the value).
    Scn("explicit_fill").ds("x", "i32", [4], ramp(1), fillvalue=0).write(d)
    want["explicit_fill"] = exp("FAIL", "ok", "ok", "FAIL")
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    Scn("compact_layout").ds("x", "u16", [4], ramp(1), dcpl=dcpl).write(d)
    want["compact_layout"] = exp("ok", "ok", "ok", "FAIL")
    s = Scn("extra_attribute").ds("x", "u8", [2], ramp(1))
    s.hooks.append(lambda f: f["x"].attrs.create("units", 1))
    s.write(d)
    want["extra_attribute"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Data written to only part of the rows although the manifest says all.
    Scn("short_write").ds("x", "f32", [4, 2], ramp(1, rows_written=2)).write(
        d, lambda m: m["objects"][0]["data"].pop("rows_written"))
    want["short_write"] = exp("FAIL", "FAIL", "ok", "FAIL")
    new_bad_scenarios(d, want, exp)
    chunked_bad_scenarios(d, want, exp)
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


def new_bad_scenarios(d: str, want: dict, exp) -> None:
    """Attributes, new dtypes, values, fill and layout done wrong."""
    def objs(m, k):
        return m["objects"][k]

    # Attributes: wrong value, missing, extra (root and group), wrong dtype
    # (h5py stores a Python int as i64), wrong shape.
    Scn("wrong_attr_value").root_attr("units", "vlen_str", [], strings(["kelvin"])).write(
        d, lambda m: m["root_attrs"][0]["data"].update(strings=["celsius"]))
    want["wrong_attr_value"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("missing_attr").ds("x", "u8", [2], ramp(1)).write(
        d, lambda m: objs(m, 0).update(attrs=[attr("scale", "f64", [], values([2.0]))]))
    want["missing_attr"] = exp("FAIL", "FAIL", "ok", "FAIL")
    s = Scn("extra_root_attr").group("g", attrs=[attr("a", "i8", [], values([1]))])
    s.hooks.append(lambda f: f.attrs.create("stray", "x"))
    s.write(d)
    want["extra_root_attr"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("extra_group_attr").group("g", attrs=[attr("a", "i8", [], values([1])),
                                              attr("b", "i8", [], values([2]))]).write(
        d, lambda m: objs(m, 0)["attrs"].pop())
    want["extra_group_attr"] = exp("FAIL", "FAIL", "ok", "FAIL")
    s = Scn("wrong_attr_dtype").ds("x", "u8", [2], ramp(1))
    s.hooks.append(lambda f: f["x"].attrs.__setitem__("n", 3))
    s.write(d, lambda m: objs(m, 0).update(attrs=[attr("n", "i32", [], values([3]))]))
    want["wrong_attr_dtype"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_attr_shape").root_attr("v", "f32", [], values([1.0])).write(
        d, lambda m: m["root_attrs"][0].update(shape=[1]))
    want["wrong_attr_shape"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_attr_string").group("g", attrs=[attr("s", {"fixed_ascii": 4}, [2],
                                                    strings(["ab", "cd"]))]).write(
        d, lambda m: objs(m, 0)["attrs"][0]["data"].update(strings=["ab", "ce"]))
    want["wrong_attr_string"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Enum: same raw bytes, members mapped the other way round.
    Scn("wrong_enum_mapping").ds("c", enum("i8", "GREEN", "RED"), [2], values([0, 1])).write(
        d, lambda m: objs(m, 0).update(dtype=enum("i8", "RED", "GREEN")))
    want["wrong_enum_mapping"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_enum_base").ds("c", enum("u8", "A", "B"), [2], ramp(1)).write(
        d, lambda m: objs(m, 0).update(dtype=enum("i8", "A", "B")))
    want["wrong_enum_base"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Compound: same bytes, members in the other order.
    Scn("wrong_compound_order").ds("p", {"compound": [["y", "f32"], ["x", "f32"]]}, [2],
                                   values([[1.0, 2.0], [3.0, 4.0]])).write(
        d, lambda m: objs(m, 0).update(dtype=POINT))
    want["wrong_compound_order"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_compound_ramp").ds("f", PYF_RAMPABLE, [3], ramp(1)).write(
        d, lambda m: objs(m, 0)["data"].update(seed=2))
    want["wrong_compound_ramp"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # A wrong value pyfive cannot see (array member) still fails h5py and twin.
    Scn("wrong_array_member").ds("r", RECORD, [2], ramp(1)).write(
        d, lambda m: objs(m, 0)["data"].update(seed=2))
    want["wrong_array_member"] = exp("FAIL", "n/a", "ok", "FAIL")
    # bool stored as plain int8, f16 as f32, ASCII vs UTF-8, other length,
    # NULLTERM instead of NULLPAD.
    s = Scn("bool_as_i8").ds("b", "i8", [3], values([0, 1, 1]))
    s.write(d, lambda m: objs(m, 0).update(dtype="bool", data=values([False, True, True])))
    want["bool_as_i8"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("f16_as_f32").ds("h", "f32", [3], values([0.5, 1.0, -2.0])).write(
        d, lambda m: objs(m, 0).update(dtype="f16"))
    want["f16_as_f32"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # pyfive reads no character set: only h5py and the twin can see this.
    Scn("ascii_not_utf8").ds("s", {"fixed_ascii": 4}, [2], strings(["ab", "cd"])).write(
        d, lambda m: objs(m, 0).update(dtype={"fixed_utf8": 4}))
    want["ascii_not_utf8"] = exp("FAIL", "ok", "ok", "FAIL")
    Scn("fixed_length").ds("s", {"fixed_ascii": 5}, [2], strings(["ab", "cd"])).write(
        d, lambda m: objs(m, 0).update(dtype={"fixed_ascii": 4}))
    want["fixed_length"] = exp("FAIL", "FAIL", "ok", "FAIL")

    def nullterm(f):
        tid = h5py.h5t.C_S1.copy()
        tid.set_size(4)
        tid.set_strpad(h5py.h5t.STR_NULLTERM)
        dsid = h5py.h5d.create(f.id, b"s", tid, h5py.h5s.create_simple((2,)))
        dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([b"ab", b"cd"], dtype="S4"))
    s = Scn("nullterm_string")
    s.hooks.append(nullterm)
    s.write(d, lambda m: m["objects"].append(
        {"path": "s", "kind": "dataset", "dtype": {"fixed_ascii": 4}, "shape": [2],
         "data": strings(["ab", "cd"])}))
    want["nullterm_string"] = exp("FAIL", "ok", "ok", "FAIL")
    Scn("wrong_values").ds("v", "u64", [2], values([1, 2**64 - 1])).write(
        d, lambda m: objs(m, 0)["data"].update(values=[1, 2**64 - 2]))
    want["wrong_values"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Fill values: other value, set but not in the manifest, in the manifest
    # but not set.
    Scn("wrong_fill_value").ds("x", "i32", [4], ramp(1, rows_written=2), fill=7).write(
        d, lambda m: objs(m, 0).update(fill=8))
    want["wrong_fill_value"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("unlisted_fill").ds("x", "f32", [2], ramp(1), fill=1.5).write(
        d, lambda m: objs(m, 0).pop("fill"))
    want["unlisted_fill"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("missing_fill").ds("x", "u8", [2], ramp(1)).write(d, lambda m: objs(m, 0).update(fill=3))
    want["missing_fill"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Layout: only the twin comparison sees it (compact_layout above is the
    # other direction).
    Scn("contiguous_not_compact").ds("x", "u16", [4], ramp(1)).write(
        d, lambda m: objs(m, 0).update(layout="compact"))
    want["contiguous_not_compact"] = exp("ok", "ok", "ok", "FAIL")
    # Malformed manifests: each must be "manifest FAIL".
    bad_manifests = {
        "array_top_level": {"dtype": {"array": ["f32", [2]]}, "data": None},
        "ramp_strings": {"dtype": {"fixed_ascii": 2}, "data": ramp(1)},
        "vlen_in_compound": {"dtype": {"compound": [["s", "vlen_str"]]}, "data": None},
        "enum_duplicate": {"dtype": {"enum": {"base": "u8", "members": [["A", 0], ["B", 0]]}},
                           "data": None},
        "enum_out_of_range": {"dtype": enum("u8", "A", start=256), "data": None},
        "value_out_of_range": {"dtype": "i8", "data": values([128])},
        "value_count": {"dtype": "i8", "data": values([1, 2, 3])},
        "string_too_long": {"dtype": {"fixed_utf8": 1}, "data": strings(["ü"])},
        "bad_layout": {"dtype": "u8", "data": None, "layout": "chunked"},
        "chunks_rank": {"dtype": "u8", "data": None, "chunks": [1, 1]},
        "chunks_zero": {"dtype": "u8", "data": None, "chunks": [0]},
        "chunks_and_layout": {"dtype": "u8", "data": None, "chunks": [1], "layout": "compact"},
        "chunks_past_fixed_max": {"dtype": "u8", "data": None, "chunks": [3]},
        "maxshape_below_shape": {"dtype": "u8", "data": None, "chunks": [1], "maxshape": [1]},
        "maxshape_without_chunks": {"dtype": "u8", "data": None, "maxshape": [None]},
        "maxshape_rank": {"dtype": "u8", "data": None, "chunks": [1], "maxshape": [2, 2]},
        "filters_without_chunks": {"dtype": "u8", "data": None, "filters": {"deflate": 4}},
        "filter_unknown": {"dtype": "u8", "data": None, "chunks": [1], "filters": {"lzf": True}},
        "deflate_level": {"dtype": "u8", "data": None, "chunks": [1], "filters": {"deflate": 10}},
        "shuffle_false": {"dtype": "u8", "data": None, "chunks": [1],
                          "filters": {"shuffle": False}},
        "chunks_scalar": {"dtype": "u8", "data": None, "shape": [], "chunks": []},
        "fill_type": {"dtype": "u8", "data": None, "fill": "x"},
        "attr_null": {"dtype": "u8", "data": None,
                      "attrs": [attr("a", "u8", [], None)]},
        "attr_twice": {"dtype": "u8", "data": None,
                       "attrs": [attr("a", "u8", [], values([1])),
                                 attr("a", "u8", [], values([1]))]},
    }
    for name, o in bad_manifests.items():
        name = "manifest_" + name
        with open(os.path.join(d, name + ".json"), "w") as fh:
            json.dump({"name": name, "file": "x.h5", "objects": [
                {"path": "x", "kind": "dataset", "shape": [2], **o}]}, fh)
        want[name] = {"manifest": "FAIL"}


# ------------------------------------------------------------ running


LINE_RE = re.compile(r"^(\S+)\s+((?:\w+ (?:ok|FAIL|off|n/a)\s*)+)$")
# The columns this selftest judges; a "js" column (tests/oracle/js_readers.py,
# proved by its own selftest) is ignored here.
CORE = ("manifest", "h5py", "pyfive", "h5dump", "twin")


def run_check(d: str, *extra, env=None):
    t = time.time()
    p = subprocess.run([sys.executable, CHECK, d, *extra], capture_output=True,
                       text=True, env=env)
    return p, time.time() - t


def run_checks(jobs: list[tuple[str, dict, list]]) -> list[tuple[Any, float]]:
    """Runs check.py on several directories at once (each has its own
    twins/ directory), with extra arguments each; returns
    (CompletedProcess-like, seconds) per job."""
    t = time.time()
    out: list = [None] * len(jobs)

    def run(k: int) -> None:
        p = subprocess.run([sys.executable, CHECK, jobs[k][0], *jobs[k][2]], capture_output=True,
                           text=True, env=jobs[k][1])
        out[k] = (p, time.time() - t)
    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(jobs))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out


def mirror(src: str, dst: str, names=None) -> None:
    """dst: symlinks to src's manifests and files (of the scenarios `names`
    only, if given), so that check.py can run on both at once (twins go to
    DIR/twins)."""
    os.makedirs(dst, exist_ok=True)
    for n in os.listdir(src):
        if n.endswith((".json", ".h5")) and (names is None or n.rsplit(".", 1)[0] in names):
            os.symlink(os.path.join(src, n), os.path.join(dst, n))


def parse(out: str, columns=CORE) -> dict[str, dict[str, str]]:
    res = {}
    for line in out.splitlines():
        m = LINE_RE.match(line)
        if m:
            cols = m.group(2).split()
            res[m.group(1)] = {k: v for k, v in zip(cols[::2], cols[1::2]) if k in columns}
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
        # must reach the same verdicts. The four runs go in parallel.
        mirror(good, good + "-binary")
        mirror(bad, bad + "-binary")
        # One directory (one Node process) for the JS run of both kinds.
        js_dir = os.path.join(root, "js")
        mirror(good, js_dir, JS_WANT["good"])
        mirror(bad, js_dir, JS_WANT["bad"])
        env_text = dict(os.environ)
        env_text.pop("H5SINK_ORACLE_TEXT_LIMIT", None)
        env_bin = {**env_text, "H5SINK_ORACLE_TEXT_LIMIT": "0"}
        env_js = {k: v for k, v in env_text.items() if k != "H5SINK_ORACLE_NO_JS"}
        only = [a for names in JS_WANT.values() for n in names for a in ("--only", n)]
        jobs = [("text", good, env_text, []), ("text", bad, env_text, []),
                ("binary", good + "-binary", env_bin, []), ("binary", bad + "-binary", env_bin, []),
                ("js", js_dir, env_js, only)]
        results = run_checks([(d, env, args) for _, d, env, args in jobs])
        for (mode, d, _, _), (p, secs) in zip(jobs, results):
            print(f"--- check.py {d}  [{mode} mode, {secs:.1f}s]\n{p.stdout}{p.stderr}", end="")
            if mode == "js":
                got_js = parse(p.stdout, ("js",))
                if p.returncode == 3:
                    errors.append("js: a JS oracle is missing (exit 3); run scripts/test.sh")
                for kind, names in JS_WANT.items():
                    for name, w in names.items():
                        if got_js.get(name, {}).get("js") != w:
                            errors.append(f"js: {kind} scenario {name}: js {got_js.get(name)}, "
                                          f"expected {w}")
                if not re.search(r"jsfive: dataset 'x': \d+ elements the manifest says were "
                                 r"written read as undefined", p.stdout):
                    errors.append("js: chunk_missing_written: no jsfive 'read as undefined' line")
                continue
            got = parse(p.stdout)
            if d.startswith(good):
                if p.returncode != 0:
                    errors.append(f"{mode}: good scenarios: exit status {p.returncode}, expected 0")
                for s in scns:
                    want = {"h5py": "ok", "pyfive": s.pyfive, "h5dump": "ok",
                            "twin": "ok" if s.twin else "off"}
                    if got.get(s.name) != want:
                        errors.append(f"{mode}: good scenario {s.name}: {got.get(s.name)}, "
                                      f"expected {want}")
                if p.stdout.splitlines()[-1:] != [f"{len(scns)} passed, 0 failed"]:
                    errors.append(f"{mode}: good scenarios: wrong final line")
                if not re.search(r"^    pyfive n/a \(.*pyfive/\w+\.py \w+", p.stdout, re.M):
                    errors.append(f"{mode}: good scenarios: no 'pyfive n/a (<cited reason>)' line")
            else:
                if p.returncode != 1:
                    errors.append(f"{mode}: bad scenarios: exit status {p.returncode}, expected 1")
                for name, w in want_bad.items():
                    if got.get(name) != w:
                        errors.append(f"{mode}: bad scenario {name}: {got.get(name)}, expected {w}")
                if p.stdout.splitlines()[-1:] != [f"0 passed, {len(want_bad)} failed"]:
                    errors.append(f"{mode}: bad scenarios: wrong final line")

        # The other-encoder scenario must really store other deflate sizes
        # than its twin, or it would prove nothing about the normalisation.
        for name, paths in OTHER_ENCODER.items():
            with h5py.File(os.path.join(good, name + ".h5"), "r") as fa, \
                    h5py.File(os.path.join(good, "twins", name + ".h5"), "r") as fb:
                for path in paths:
                    na, nb = fa[path].id.get_storage_size(), fb[path].id.get_storage_size()
                    if na == nb:
                        errors.append(f"{name}/{path}: {na} stored bytes, as many as the twin: "
                                      "the SIZE normalisation is not exercised")

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
