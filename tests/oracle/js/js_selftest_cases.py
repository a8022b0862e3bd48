"""js/selftest.py's cases: h5py writes files of every kind of object and
datatype, each case with the verdict it must get from each JS reader.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Optional

import h5py
import numpy as np


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import js_readers as jr  # noqa: E402


@dataclass
class O:
    """A manifest object as check_js reads it (check.py's Obj plus the
    fields other engineers may add: attrs, layout)."""
    path: str
    kind: str = "dataset"
    dtype: Optional[str] = None
    shape: tuple = ()
    data: Optional[dict] = field(default_factory=dict)  # None: never written
    attrs: Any = None
    layout: Optional[str] = None  # None: not checked (manifests without the field)
    fill: Any = jr._NO_FILL_FIELD  # the manifest's fill; absent: not checked


@dataclass
class Case:
    name: str
    file: str
    objects: list
    expected: dict  # path -> expected value
    want: dict  # reader -> "ok" | "FAIL" | "n/a"
    why: str = ""
    root_attrs: Any = None


RAMP = 2654435761


def ramp(n: int, dt: str, seed: int = 0) -> np.ndarray:
    x = np.arange(n, dtype=np.uint64) * np.uint64(RAMP) + np.uint64(seed)
    d = np.dtype(dt)
    if d.kind in "iu":
        return x.astype(f"<u{d.itemsize}").view(d)
    return ((x % np.uint64(1000003)).astype(np.float64) * 0.25 - 1000.0).astype(d)


INT_FLOAT = {"u8": "u1", "i8": "i1", "u16": "<u2", "i16": "<i2", "u32": "<u4", "i32": "<i4",
             "u64": "<u8", "i64": "<i8", "f16": "<f2", "f32": "<f4", "f64": "<f8"}


def build(d: str) -> list[Case]:
    cases: list[Case] = []
    J = lambda name: os.path.join(d, name + ".h5")  # noqa: E731

    # 1. every integer and float type, rank 2, ramp values (the 64-bit ones
    #    go far beyond 2^53), plus NaN / Inf / -0, a scalar, zero-length dims
    objs, exp = [O("num", "group")], {}
    with h5py.File(J("numeric"), "w") as f:
        for k, (name, dt) in enumerate(INT_FLOAT.items()):
            v = ramp(12, dt, seed=k * 7 + 3).reshape(3, 4)
            if name == "u64":
                v.reshape(-1)[:3] = [2**64 - 1, 2**53 + 1, 2**63]
            if name == "i64":
                v.reshape(-1)[:3] = [-(2**63), 2**63 - 1, -(2**53) - 1]
            f[f"num/{name}"] = v
            objs.append(O(f"num/{name}", dtype=name, shape=(3, 4)))
            exp[f"num/{name}"] = v
        sp = np.array([np.nan, np.inf, -np.inf, -0.0, 0.1, 5e-324, 1.7976931348623157e308], "<f8")
        f["special"] = sp
        f["special32"] = sp.astype("<f4")
        f["special16"] = np.array([np.nan, np.inf, -0.0, 6e-8, 65504], "<f2")
        f["scalar"] = np.int64(-(2**62) - 5)
        f.create_dataset("empty", shape=(0,), dtype="<i4")
        f.create_dataset("empty2", shape=(3, 0), dtype="<f4")
        for p, dt, v in [("special", "f64", sp), ("special32", "f32", sp.astype("<f4")),
                         ("special16", "f16", np.array([np.nan, np.inf, -0.0, 6e-8, 65504], "<f2")),
                         ("scalar", "i64", np.array(-(2**62) - 5, "<i8")),
                         ("empty", "i32", np.zeros(0, "<i4")), ("empty2", "f32", np.zeros((3, 0), "<f4"))]:
            objs.append(O(p, dtype=dt, shape=v.shape))
            exp[p] = v
    cases.append(Case("numeric", J("numeric"), objs, exp, {"jsfive": "ok", "h5wasm": "n/a"},
                      "h5wasm cannot read f16 values (its dtype is still checked)"))

    # 2. strings: vlen UTF-8 (array, scalar), fixed ASCII with padding, fixed UTF-8
    with h5py.File(J("strings"), "w") as f:
        vs = ["a", "ü", "", "日本語", "🦀 emoji", "x" * 300]
        f.create_dataset("vlen", data=np.array(vs, dtype=object).reshape(2, 3), dtype=h5py.string_dtype())
        f.create_dataset("vlen_scalar", data="scalär", dtype=h5py.string_dtype())
        fs = np.array([b"ab", b"abcde", b"", b"\x01z"], dtype="S5")
        f["fixed"] = fs
        fu = f.create_dataset("fixed_utf8", shape=(2,), dtype=h5py.string_dtype("utf-8", 4))
        fu[0] = "ü".encode()
        fu[1] = b"xyzw"
        fu_exp = np.array(["ü".encode(), b"xyzw"], dtype=h5py.string_dtype("utf-8", 4))
    cases.append(Case("strings", J("strings"), [
        O("vlen", dtype="vlen_str", shape=(2, 3)), O("vlen_scalar", dtype="vlen_str", shape=()),
        O("fixed", dtype="fixed_str", shape=(4,)), O("fixed_utf8", dtype="fixed_str", shape=(2,))],
        {"vlen": vs, "vlen_scalar": ["scalär"], "fixed": fs, "fixed_utf8": fu_exp},
        {"jsfive": "ok", "h5wasm": "ok"}))

    # 3. h5py bool (enum over int8) and an enum over int16
    et = h5py.enum_dtype({"RED": 0, "GREEN": 1, "BLUE": 42, "NEG": -7}, basetype="<i2")
    ev = np.array([[0, 42], [1, -7]], dtype=et)
    bv = np.array([True, False, True, True])
    with h5py.File(J("bool_enum"), "w") as f:
        f["bool"] = bv
        f["bool_scalar"] = np.bool_(False)
        f.create_dataset("enum", data=ev, dtype=et)
    cases.append(Case("bool_enum", J("bool_enum"), [
        O("bool", dtype="bool", shape=(4,)), O("bool_scalar", dtype="bool", shape=()),
        O("enum", dtype="enum", shape=(2, 2))],
        {"bool": bv, "bool_scalar": np.array(False), "enum": ev},
        {"jsfive": "ok", "h5wasm": "ok"}))

    # 4. compound with array members (f32[4], i64[2]), an i64 and a bool field
    ct = np.dtype([("id", "<u4"), ("pos", "<f4", (4,)), ("big", "<i8"), ("pair", "<i8", (2,)),
                   ("flag", "?"), ("tag", "S3")])
    cv = np.zeros(3, ct)
    cv["id"] = [1, 2, 3]
    cv["pos"] = np.arange(12, dtype="<f4").reshape(3, 4) * 0.5
    cv["big"] = [2**62 + 1, -(2**63), 7]
    cv["pair"] = [[1, 2], [2**60 + 1, 3], [-4, 5]]  # 2^60+1 rounds in h5wasm's array path
    cv["flag"] = [True, False, True]
    cv["tag"] = [b"ab", b"xyz", b""]
    with h5py.File(J("compound"), "w") as f:
        f["rec"] = cv
        f["rec_scalar"] = cv[1]
    cases.append(Case("compound", J("compound"), [
        O("rec", dtype="compound", shape=(3,)), O("rec_scalar", dtype="compound", shape=())],
        {"rec": cv, "rec_scalar": np.array(cv[1], dtype=ct)},
        {"jsfive": "n/a", "h5wasm": "ok"}, "jsfive has no compound datatype"))

    # 5. attributes on the root, a group and a dataset
    attrs_g = {
        "title": {"dtype": "vlen_str", "shape": [], "value": ["scalar vlen ü"]},
        "names": {"dtype": "vlen_str", "shape": [2], "value": ["x", "yy"]},
        "matrix": {"dtype": "i64", "shape": [2, 3], "value": np.array([[0, 1, 2**60 + 1], [-1, 4, 5]], "<i8")},
        "scale": {"dtype": "f64", "shape": [], "value": np.array(1.25)},
        "huge": {"dtype": "u64", "shape": [], "value": np.array(2**64 - 1, "<u8")},
        "flag": {"dtype": "bool", "shape": [], "value": np.array(True)},
        "code": {"dtype": "fixed_str", "shape": [], "value": np.array(b"fixed", "S5")},
    }
    attrs_d = {"units": {"dtype": "vlen_str", "shape": [], "value": ["m/s"]},
               "rec": {"dtype": "compound", "shape": [], "value": np.array(cv[0], ct)}}
    root = {"version": {"dtype": "u16", "shape": [3], "value": np.array([1, 2, 65535], "<u2")}}
    with h5py.File(J("attrs"), "w") as f:
        f.attrs["version"] = root["version"]["value"]
        g = f.create_group("g")
        g.attrs["title"] = "scalar vlen ü"
        g.attrs.create("names", ["x", "yy"], dtype=h5py.string_dtype())
        for k in ("matrix", "scale", "huge", "flag", "code"):
            g.attrs[k] = attrs_g[k]["value"]
        ds = g.create_dataset("d", data=np.arange(3, dtype="<i2"))
        ds.attrs["units"] = "m/s"
        ds.attrs["rec"] = cv[0]
    cases.append(Case("attrs", J("attrs"), [
        O("g", "group", attrs=attrs_g), O("g/d", dtype="i16", shape=(3,), attrs=attrs_d)],
        {"g/d": np.arange(3, dtype="<i2")},
        {"jsfive": "n/a", "h5wasm": "ok"}, "jsfive cannot read the compound attribute", root))

    # 6. compact layout next to contiguous and chunked ones
    with h5py.File(J("compact"), "w") as f:
        _compact(f, "compact_i4", np.arange(6, dtype="<i4").reshape(2, 3))
        f["contig"] = np.arange(5, dtype="<u2")
        f.create_dataset("chunked", data=np.arange(10, dtype="<f8"), chunks=(4,))
    layout_objs = [O("compact_i4", dtype="i32", shape=(2, 3), layout="compact"),
                   O("contig", dtype="u16", shape=(5,), layout="contiguous"),
                   O("chunked", dtype="f64", shape=(10,))]
    layout_exp = {"compact_i4": np.arange(6, dtype="<i4").reshape(2, 3),
                  "contig": np.arange(5, dtype="<u2"), "chunked": np.arange(10, dtype="<f8")}
    cases.append(Case("compact", J("compact"), layout_objs, layout_exp,
                      {"jsfive": "n/a", "h5wasm": "ok"}, "jsfive has no compact layout"))

    # 7. never written: contiguous (no storage), vlen strings, chunked, and a
    #    non-zero fill value (h5py's defaults otherwise)
    with h5py.File(J("unwritten"), "w") as f:
        f.create_dataset("ints", shape=(2, 3), dtype="<i4")
        f.create_dataset("strs", shape=(3,), dtype=h5py.string_dtype())
        f.create_dataset("chunked", shape=(8,), dtype="<f4", chunks=(4,))
        f.create_dataset("filled", shape=(3,), dtype="<f8", fillvalue=1.5)
        f.create_dataset("zero_fill", shape=(2,), dtype="<i2", fillvalue=-7, data=[1, 2])
    unwritten_objs = [
        O("ints", dtype="i32", shape=(2, 3), data=None, fill=None),
        O("strs", dtype="vlen_str", shape=(3,), data=None),
        O("chunked", dtype="f32", shape=(8,), data=None, fill=None),
        O("filled", dtype="f64", shape=(3,), data=None, fill=1.5),
        O("zero_fill", dtype="i16", shape=(2,), fill=-7)]
    unwritten_exp = {"ints": np.zeros((2, 3), "<i4"), "strs": ["", "", ""], "chunked": np.zeros(8, "<f4"),
                     "filled": np.full(3, 1.5), "zero_fill": np.array([1, 2], "<i2")}
    cases.append(Case("unwritten", J("unwritten"), unwritten_objs, unwritten_exp,
        {"jsfive": "n/a", "h5wasm": "ok"}, "jsfive never applies a fill value"))

    # 8. nested and empty groups
    with h5py.File(J("groups"), "w") as f:
        f.create_group("a/b/c")
        f.create_group("empty")
        f["a/b/c/x"] = np.array([1.5], "<f8")
        f["a/y"] = np.array([7], "u1")
    cases.append(Case("groups", J("groups"), [
        O("a", "group"), O("a/b", "group"), O("a/b/c", "group"), O("empty", "group"),
        O("a/b/c/x", dtype="f64", shape=(1,)), O("a/y", dtype="u8", shape=(1,))],
        {"a/b/c/x": np.array([1.5]), "a/y": np.array([7], "u1")}, {"jsfive": "ok", "h5wasm": "ok"}))

    # 9. above the value cap: 3,000,000 values (2,000,000 compared)
    big = ramp(3_000_000, "<f8", seed=11).reshape(1_000_000, 3)
    with h5py.File(J("big"), "w") as f:
        f["big"] = big
    cases.append(Case("big", J("big"), [O("big", dtype="f64", shape=(1_000_000, 3))], {"big": big},
                      {"jsfive": "ok", "h5wasm": "ok"}))

    # ---- bad expectations: each must FAIL (or be n/a where the reader cannot read it)
    wrong = {k: v.copy() for k, v in exp.items() if isinstance(v, np.ndarray)}
    wrong["num/i32"].reshape(-1)[5] += 1
    cases.append(Case("bad_value", J("numeric"), objs, wrong, {"jsfive": "FAIL", "h5wasm": "FAIL"},
                      "one i32 value off by one"))
    wrong64 = dict(exp)
    wrong64["num/u64"] = exp["num/u64"].copy()
    wrong64["num/u64"].reshape(-1)[1] = 2**53 + 3  # rounds to another double: jsfive sees it too
    cases.append(Case("bad_u64", J("numeric"), objs, wrong64, {"jsfive": "FAIL", "h5wasm": "FAIL"},
                      "a u64 value beyond 2^53 off by two"))
    cases.append(Case("bad_dtype", J("groups"), [
        O("a", "group"), O("a/b", "group"), O("a/b/c", "group"), O("empty", "group"),
        O("a/b/c/x", dtype="f64", shape=(1,)), O("a/y", dtype="i8", shape=(1,))],
        {"a/b/c/x": np.array([1.5]), "a/y": np.array([7], "i1")}, {"jsfive": "FAIL", "h5wasm": "FAIL"},
        "u8 in the file, i8 in the manifest"))
    cases.append(Case("bad_tree", J("groups"), [
        O("a", "group"), O("a/b", "group"), O("a/b/c", "group"),
        O("a/b/c/x", dtype="f64", shape=(1,)), O("a/y", dtype="u8", shape=(1,))],
        {"a/b/c/x": np.array([1.5]), "a/y": np.array([7], "u1")}, {"jsfive": "FAIL", "h5wasm": "FAIL"},
        "group 'empty' not in the manifest"))
    cases.append(Case("bad_shape", J("compact"), [
        O("compact_i4", dtype="i32", shape=(3, 2), layout="compact"), layout_objs[1], layout_objs[2]],
        {**layout_exp, "compact_i4": layout_exp["compact_i4"].reshape(3, 2)},
        {"jsfive": "FAIL", "h5wasm": "FAIL"}, "shape (2, 3) read as (3, 2)"))
    cases.append(Case("bad_compact_value", J("compact"), layout_objs,
                      {**layout_exp, "compact_i4": layout_exp["compact_i4"] + 1},
                      {"jsfive": "n/a", "h5wasm": "FAIL"},
                      "n/a must not hide a wrong value from the reader that can read it"))
    cases.append(Case("bad_unwritten", J("unwritten"), [
        O("ints", dtype="i32", shape=(2, 3), data={"gen": "ramp", "seed": 0})],
        {"ints": ramp(6, "<i4").reshape(2, 3)}, {"jsfive": "FAIL", "h5wasm": "FAIL"},
        "manifest says written, the file has no storage (also: 3 objects missing)"))
    cases.append(Case("bad_string", J("strings"), cases[1].objects,
                      {**cases[1].expected, "vlen": ["a", "u", "", "日本語", "🦀 emoji", "x" * 300]},
                      {"jsfive": "FAIL", "h5wasm": "FAIL"}, "'ü' expected as 'u'"))
    bad_attrs = dict(attrs_g)
    bad_attrs["scale"] = {"dtype": "f64", "shape": [], "value": np.array(1.5)}
    cases.append(Case("bad_attr", J("attrs"), [
        O("g", "group", attrs=bad_attrs), O("g/d", dtype="i16", shape=(3,), attrs=attrs_d)],
        {"g/d": np.arange(3, dtype="<i2")}, {"jsfive": "FAIL", "h5wasm": "FAIL"},
        "attribute 1.25 expected as 1.5", root))
    cases.append(Case("bad_root_attr", J("attrs"), [
        O("g", "group", attrs=attrs_g), O("g/d", dtype="i16", shape=(3,), attrs=attrs_d)],
        {"g/d": np.arange(3, dtype="<i2")}, {"jsfive": "FAIL", "h5wasm": "FAIL"},
        "root attribute 'version' not in the manifest", {}))
    cases.append(Case("bad_chunked", J("compact"), layout_objs[:2] + [
        O("chunked", dtype="f64", shape=(10,), layout="contiguous")], layout_exp,
        {"jsfive": "FAIL", "h5wasm": "FAIL"}, "chunked in the file, contiguous in the manifest"))
    cases.append(Case("bad_not_compact", J("compact"), [layout_objs[0],
        O("contig", dtype="u16", shape=(5,), layout="compact"), layout_objs[2]], layout_exp,
        {"jsfive": "FAIL", "h5wasm": "ok"},
        "contiguous in the file, compact in the manifest: jsfive reads it, so it is not compact "
        "(h5wasm cannot tell)"))
    cases.append(Case("bad_fill", J("unwritten"), unwritten_objs[:3] + [
        O("filled", dtype="f64", shape=(3,), data=None, fill=2.5), unwritten_objs[4]],
        {**unwritten_exp, "filled": np.full(3, 2.5)}, {"jsfive": "FAIL", "h5wasm": "FAIL"},
        "fill value 1.5 expected as 2.5 (jsfive: Dataset.fillvalue; h5wasm: the values)"))
    cases.append(Case("bad_fill_written", J("unwritten"), unwritten_objs[:4] + [
        O("zero_fill", dtype="i16", shape=(2,), fill=None)], unwritten_exp,
        {"jsfive": "FAIL", "h5wasm": "ok"},
        "written dataset with fill -7, no fill in the manifest: only jsfive shows fill values"))
    with h5py.File(J("strpad"), "w") as f:
        tid = h5py.h5t.C_S1.copy()
        tid.set_size(4)
        tid.set_strpad(h5py.h5t.STR_NULLTERM)
        ds = h5py.h5d.create(f.id, b"s", tid, h5py.h5s.create_simple((2,)))
        ds.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([b"ab", b"cde"], "S4"), mtype=tid)
    cases.append(Case("bad_strpad", J("strpad"), [O("s", dtype="fixed_str", shape=(2,))],
                      {"s": np.array([b"ab", b"cde"], "S4")}, {"jsfive": "ok", "h5wasm": "FAIL"},
                      "NULLTERM fixed string where h5py writes NULLPAD (only h5wasm shows strpad)"))
    bad_cv = cv.copy()
    bad_cv["pos"][2, 3] = 99
    cases.append(Case("bad_compound", J("compound"), cases[3].objects,
                      {"rec": bad_cv, "rec_scalar": cases[3].expected["rec_scalar"]},
                      {"jsfive": "n/a", "h5wasm": "FAIL"}, "one array-member value wrong"))
    return cases


def _compact(f: h5py.File, name: str, data: np.ndarray) -> None:
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    tid = h5py.h5t.py_create(data.dtype)
    ds = h5py.h5d.create(f.id, name.encode(), tid, h5py.h5s.create_simple(data.shape), dcpl=dcpl)
    ds.write(h5py.h5s.ALL, h5py.h5s.ALL, np.ascontiguousarray(data))
