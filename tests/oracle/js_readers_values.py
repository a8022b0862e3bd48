"""js_readers.py's reader side: each reader's dtype and element forms, and
the comparison of expected with read values.
"""

from __future__ import annotations

import json
import math
import re
import struct
from typing import Any, Optional

from js_readers_capabilities import np


# ------------------------------------------------------------ reader side


def dtype_problem(reader: str, spec: dict, got: Any) -> Optional[str]:
    """None when the reader's dtype description matches spec."""
    want = _want_dtype(reader, spec)
    if reader == "jsfive":
        return None if got == want else f"dtype {json.dumps(got)}, expected {json.dumps(want)}"
    return _h5wasm_dtype_problem(spec, got)


def _want_dtype(reader: str, spec: dict) -> Any:
    k = spec["kind"]
    if reader == "jsfive":
        if k == "int" or k == "enum":
            return f"<{'i' if spec['signed'] else 'u'}{spec['size']}"
        if k == "bool":
            return "<i1"
        if k == "float":
            return f"<f{spec['size']}"
        if k == "vlen_str":
            return ["VLEN_STRING", 0, 1]
        if k == "fixed_str":
            return f"S{spec['size']}"
    return None


def _h5wasm_dtype_problem(spec: dict, got: Any, where: str = "") -> Optional[str]:
    if not isinstance(got, dict):
        return f"{where}dtype {json.dumps(got)}, expected an h5wasm metadata object"
    k = spec["kind"]
    checks: dict[str, Any] = {}
    if k == "int":
        checks = {"type": 0, "size": spec["size"], "signed": spec["signed"], "littleEndian": True}
    elif k == "float":
        checks = {"type": 1, "size": spec["size"], "littleEndian": True}
    elif k == "vlen_str":  # strpad 0: H5T_STR_NULLTERM, as h5py writes it
        checks = {"type": 3, "vlen": True, "cset": 1, "strpad": 0}
    elif k == "fixed_str":  # strpad 1: H5T_STR_NULLPAD (numpy S<n>, h5py)
        checks = {"type": 3, "vlen": False, "size": spec["size"], "strpad": 1}
        if spec.get("utf8") is not None:
            checks["cset"] = 1 if spec["utf8"] else 0
    elif k in ("bool", "enum"):
        members = ({"FALSE": 0, "TRUE": 1} if k == "bool" else
                   {n: min(max(v, -2**31), 2**31 - 1) for n, v in spec["members"].items()})
        size = 1 if k == "bool" else spec["size"]
        signed = True if k == "bool" else spec["signed"]
        checks = {"type": 8, "size": size, "signed": signed, "littleEndian": True}
        et = got.get("enum_type") or {}
        if et.get("type") != 0 or et.get("members") != members:
            return (f"{where}enum_type {json.dumps(et)}, expected integer base with "
                    f"members {json.dumps(members)}")
    elif k == "compound":
        checks = {"type": 6, "size": spec["size"]}
        ct = got.get("compound_type") or {}
        gm = ct.get("members") or []
        names = [m.get("name") for m in gm]
        want_names = [m["name"] for m in spec["members"]]
        if names != want_names:
            return f"{where}compound members {names}, expected {want_names}"
        for m, g in zip(spec["members"], gm):
            if m["offset"] is not None and g.get("offset") != m["offset"]:
                return f"{where}member {m['name']!r} at offset {g.get('offset')}, expected {m['offset']}"
            p = _h5wasm_dtype_problem(m["spec"], g, f"{where}member {m['name']!r}: ")
            if p:
                return p
    elif k == "array":
        checks = {"type": 10}
        at = got.get("array_type") or {}
        if at.get("shape") != spec["dims"]:
            return f"{where}array dims {at.get('shape')}, expected {spec['dims']}"
        p = _h5wasm_dtype_problem(spec["base"], at, f"{where}array base: ")
        if p:
            return p
    bad = {key: got.get(key) for key, v in checks.items() if got.get(key) != v}
    if bad:
        return (f"{where}dtype {json.dumps({key: got.get(key) for key in checks})}, "
                f"expected {json.dumps(checks)}")
    return None


def _to_float(x: Any) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float, str)):
        raise ValueError(f"{x!r} is not a number")
    return float(x)  # also "NaN", "Infinity", "-Infinity", "-0", big decimals


def _to_int(x: Any) -> int:
    if isinstance(x, bool):
        raise ValueError(f"{x!r} is not an integer")
    if isinstance(x, int):
        return x
    if isinstance(x, str) and re.fullmatch(r"-?\d+", x):
        return int(x)
    raise ValueError(f"{x!r} is not an integer")


def _round_double(i: int) -> int:
    """The integer a JS Number holds for i (round to nearest, ties to even)."""
    return int(float(i))


class AnyOf(tuple):
    """An expected element that may read as any of these values."""


def _ascii_decodings(b: bytes) -> Any:
    """What TextDecoder('ascii') gives: windows-1252 by the WHATWG Encoding
    standard (its 5 undefined bytes map to U+0081 etc.), but Node 20 decodes
    0x80-0x9F as Latin-1 (tried: 0x80 -> U+0080). Either is accepted; they
    differ only for bytes 0x80-0x9F in a string whose cset says ASCII."""
    latin1 = b.decode("latin-1")
    cp = "".join(_cp1252(c) for c in b)
    return latin1 if cp == latin1 else AnyOf((latin1, cp))


def _cp1252(c: int) -> str:
    try:
        return bytes([c]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(c)


def expect_elem(reader: str, spec: dict, v: Any, got_dtype: Any = None, in_array: bool = False) -> Any:
    """A canonical expected element as this reader represents it."""
    k = spec["kind"]
    if k in ("int", "enum"):
        if spec["size"] == 8 and (reader == "jsfive" or in_array):
            return _round_double(v)
        return v
    if k == "bool":
        return int(v) if reader == "jsfive" else bool(v)
    if k == "float":
        return v
    if k == "vlen_str":
        return v.split("\0")[0] if reader == "h5wasm" else v
    if k == "fixed_str":
        if reader == "jsfive":
            return v.decode("utf-8", "replace")
        cut = v.split(b"\0")[0]
        cset = got_dtype.get("cset") if isinstance(got_dtype, dict) else None
        return cut.decode("utf-8", "replace") if cset == 1 else _ascii_decodings(cut)
    if k == "compound":
        gm = (got_dtype or {}).get("compound_type", {}).get("members", []) if isinstance(got_dtype, dict) else []
        return [expect_elem(reader, m["spec"], x, gm[i] if i < len(gm) else None, in_array)
                for i, (m, x) in enumerate(zip(spec["members"], v))]
    if k == "array":
        at = got_dtype.get("array_type") if isinstance(got_dtype, dict) else None
        return [expect_elem(reader, spec["base"], x, at, True) for x in v]
    raise TypeError(k)


def got_elem(spec: dict, g: Any, in_array: bool = False) -> Any:
    """A reader's JSON element -> comparable Python value (raises ValueError)."""
    k = spec["kind"]
    if k in ("int", "enum"):
        return _to_int(g)
    if k == "bool":
        if isinstance(g, bool):
            return g
        return _to_int(g)
    if k == "float":
        return _to_float(g)
    if k in ("vlen_str", "fixed_str"):
        if not isinstance(g, str):
            raise ValueError(f"{g!r} is not a string")
        return g
    if k == "compound":
        if not isinstance(g, list) or len(g) != len(spec["members"]):
            raise ValueError(f"{_short(g)} is not a record of {len(spec['members'])} members")
        return [got_elem(m["spec"], x, in_array) for m, x in zip(spec["members"], g)]
    if k == "array":
        flat = _flatten(g, len(spec["dims"]))
        if len(flat) != math.prod(spec["dims"]):
            raise ValueError(f"{_short(g)} does not hold {math.prod(spec['dims'])} elements")
        return [got_elem(spec["base"], x, True) for x in flat]
    raise TypeError(k)


def _flatten(g: Any, depth: int) -> list:
    """An array member nested one list level per dimension (h5wasm's
    create_nested_array) -> its elements, row-major; elements that are
    lists themselves (compound records) stay whole."""
    if depth == 0:
        return [g]
    if not isinstance(g, list):
        raise ValueError(f"{_short(g)} is not a list")
    out: list = []
    for x in g:
        out.extend(_flatten(x, depth - 1))
    return out


def _same(a: Any, b: Any) -> bool:
    """Equality with floats compared bit for bit (any NaN equals any NaN);
    b may be AnyOf(alternatives)."""
    if isinstance(b, AnyOf):
        return any(_same(a, x) for x in b)
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _short(v: Any, n: int = 60) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 3] + "..."


def compare_values(reader: str, spec: dict, exp: list, got: list, got_dtype: Any) -> Optional[str]:
    """None when every element of got (a prefix of exp when truncated) matches."""
    n = len(got)
    k = spec["kind"]
    # Fast path for big numeric datasets: vectorised with numpy.
    if np is not None and k in ("int", "enum", "float") and n > 10000:
        try:
            if k == "float":
                g = np.fromiter((_to_float(x) for x in got), dtype=np.float64, count=n)
                e = np.asarray(exp[:n], dtype=np.float64)
                same = (g.view(np.uint64) == e.view(np.uint64)) | (np.isnan(g) & np.isnan(e))
            else:
                want = [expect_elem(reader, spec, v) for v in exp[:n]]
                gi = [_to_int(x) for x in got]
                dt = np.int64 if spec["signed"] else np.uint64
                if spec["size"] == 8 and (reader == "jsfive"):
                    dt = object
                same = np.asarray(gi, dtype=dt) == np.asarray(want, dtype=dt)
            bad = np.flatnonzero(~np.asarray(same, dtype=bool))
        except (ValueError, OverflowError) as e:
            return f"unexpected element: {e}"
        if bad.size == 0:
            return None
        i = int(bad[0])
        return (f"{bad.size} of {n} values differ; first at flat index {i}: "
                f"read {_short(got[i])}, expected {_short(expect_elem(reader, spec, exp[i], got_dtype))}")
    bad_idx = []
    for i in range(n):
        want = expect_elem(reader, spec, exp[i], got_dtype)
        try:
            g = got_elem(spec, got[i])
        except ValueError as e:
            return f"element {i}: {e}"
        if not _same(g, want):
            bad_idx.append(i)
    if not bad_idx:
        return None
    i = bad_idx[0]
    return (f"{len(bad_idx)} of {n} values differ; first at flat index {i}: "
            f"read {_short(got[i])}, expected {_short(expect_elem(reader, spec, exp[i], got_dtype))}")
