"""selftest.py's ground: the environment it runs in (no JS column, check.py
imported, h5py and numpy required) and pure-Python reference values (the
ramp, JSON values, numpy dtypes) that cross-check check.py's numpy code.
"""

from __future__ import annotations

import math
import os
import struct
import sys


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
