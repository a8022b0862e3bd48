"""Expected values for check.py: the ramp generator, rows written, fill
values, and Expected (every dataset's and attribute's expected array).
"""

from __future__ import annotations

import math
from typing import Any, Optional

from check_base import np, NUMERIC_DTYPES, RAMP_F16_MOD, RAMP_FLOAT_MOD, RAMP_MUL
from check_dtypes import DType, leaf_count, np_dtype
from check_manifest import Attr, Obj


# ---------------------------------------------------------- expected values


def ramp_u64(start: int, n: int, seed: int) -> "np.ndarray":
    """x_i = (i * 2654435761 + seed) mod 2^64 for i in [start, start+n)."""
    i = np.arange(start, start + n, dtype=np.uint64)
    # numpy uint64 array arithmetic wraps modulo 2^64, as required.
    return i * np.uint64(RAMP_MUL) + np.uint64(seed)


def ramp_cast(x: "np.ndarray", dtype: str) -> "np.ndarray":
    """Maps raw u64 ramp values to a numeric manifest dtype."""
    dt = np.dtype(NUMERIC_DTYPES[dtype])
    if dt.kind in "ui":
        # Truncate to the width (integer casts wrap), then reinterpret the
        # bits (two's complement for the signed types).
        return x.astype(np.dtype(f"<u{dt.itemsize}")).view(dt)
    if dtype == "f16":  # multiples of 1/2 in [-500, 500]: exact in f16
        f = (x % np.uint64(RAMP_F16_MOD)).astype(np.float64) * 0.5 - 500.0
        return f.astype(dt)
    f = (x % np.uint64(RAMP_FLOAT_MOD)).astype(np.float64) * 0.25 - 1000.0
    return f.astype(dt)  # exact for f32: multiples of 1/4 below 2^18


def leaf_ramp(x: "np.ndarray", dt: DType) -> "np.ndarray":
    """Raw ramp values -> one leaf type (num, bool, enum)."""
    if dt.kind == "bool":
        return (x & np.uint64(1)) == np.uint64(1)
    if dt.kind == "enum":
        vals = np.array([v for _, v in dt.members], dtype=NUMERIC_DTYPES[dt.name])
        return vals[(x % np.uint64(len(vals))).astype(np.intp)]
    return ramp_cast(x, dt.name)


def ramp_values(dt: DType, k: int, seed: int) -> "np.ndarray":
    """Elements 0..k of a ramp: leaf j of element i gets ramp(i * L + j)."""
    nleaf = leaf_count(dt)
    x = ramp_u64(0, k * nleaf, seed).reshape(k, nleaf)
    out = np.zeros(k, dtype=np_dtype(dt))
    _assign_ramp(out, dt, x)
    return out


def _assign_ramp(target: "np.ndarray", dt: DType, x: "np.ndarray") -> None:
    """target: array (or structured field view) of dt with shape S; x: raw
    values of shape S + (leaf_count(dt),)."""
    if dt.kind == "compound":
        j = 0
        for name, m in dt.members:
            c = leaf_count(m)
            _assign_ramp(target[name], m, x[..., j:j + c])
            j += c
    elif dt.kind == "array":  # target has shape S + dims (numpy expands subarrays)
        c = leaf_count(dt.base)
        _assign_ramp(target, dt.base, x.reshape(x.shape[:-1] + dt.dims + (c,)))
    else:
        target[...] = leaf_ramp(x[..., 0], dt)


def written_count(shape: tuple, data: Optional[dict]) -> int:
    if data is None:
        return 0
    if "rows_written" in data:
        return data["rows_written"] * math.prod(shape[1:])
    return math.prod(shape)


def expected_values(dt: DType, shape: tuple, data: Optional[dict], values: Optional[list],
                    fill: Any = None):
    """Full expected contents: a list of str (row-major) for vlen_str, else a
    numpy array of np_dtype(dt) and the shape. Elements not written read as
    the fill value, or zeros / empty strings without one."""
    n = math.prod(shape)
    k = written_count(shape, data)
    if dt.kind == "vlen_str":
        out = [""] * n
        if k:
            out[:k] = values
        return out
    npdt = np_dtype(dt)
    flat = np.zeros(n, dtype=npdt)
    if fill is not None and n:
        flat[...] = expected_fill(dt, fill)
    if k:
        if "gen" in data:
            flat[:k] = ramp_values(dt, k, data["seed"])
        else:
            with np.errstate(over="ignore"):  # e.g. 1e300 as f16: inf, as numpy casts
                flat[:k] = np.array(values, dtype=npdt)
    return flat.reshape(shape)


def expected_fill(dt: DType, fill: Any) -> "np.ndarray":
    """The fill value as a 0-d array (zeros for the library default)."""
    if fill is None:
        return np.zeros((), np_dtype(dt))
    with np.errstate(over="ignore"):
        return np.array(fill, dtype=np_dtype(dt))


class Expected:
    """Per-scenario cache of expected values (shared by h5py, pyfive, the
    twin and the JS readers)."""

    def __init__(self) -> None:
        self._cache: dict[Any, Any] = {}

    def get(self, obj: Obj):
        key = ("obj", obj.path)
        if key not in self._cache:
            self._cache[key] = expected_values(obj.dtype, obj.shape, obj.data, obj.values, obj.fill)
        return self._cache[key]

    def attr(self, owner: str, a: Attr):
        key = ("attr", owner, a.name)
        if key not in self._cache:
            self._cache[key] = expected_values(a.dtype, a.shape, a.data, a.values)
        return self._cache[key]
