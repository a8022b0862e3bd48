"""Manifest dtypes for check.py: DType, parse_dtype, and the numpy / HDF5
types and leaf counts derived from one.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import Any, Optional

from check_base import (
    _is_int, _keys, BOOL, h5py, HDF5_TYPES, INT_DTYPES, ManifestError, NAMED_DTYPES, np,
    NUMERIC_DTYPES, OBJECT_DTYPES, VLEN_STR,
)


# ------------------------------------------------------------------ dtypes


@dataclass(frozen=True, eq=False)
class DType:
    """A parsed manifest dtype. kind: "num" (name: u8 ... f64, f16), "bool",
    "vlen_str", "fixed" (length, encoding "ascii" | "utf-8"), "enum" (name:
    the base integer, members: ((name, value), ...)), "compound" (members:
    ((name, DType), ...), packed), "array" (base, dims; inside compounds)."""

    kind: str
    name: str = ""
    length: int = 0
    encoding: str = ""
    members: tuple = ()
    base: Optional["DType"] = None
    dims: tuple = ()
    text: str = ""  # the manifest's spelling, for messages


def _int_range(name: str) -> tuple[int, int]:
    bits = int(name[1:])
    return (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if name[0] == "i" else (0, 2**bits - 1)


def parse_dtype(raw: Any, where: str, inner: bool = False) -> DType:
    """Validates a manifest dtype (a name or a one-key object)."""
    text = json.dumps(raw, ensure_ascii=False)
    if isinstance(raw, str):
        if raw in NUMERIC_DTYPES:
            return DType("num", name=raw, text=text)
        if raw == BOOL:
            return DType("bool", text=text)
        if raw == VLEN_STR:
            if inner:
                raise ManifestError(f"{where}: vlen_str inside a compound or array is not "
                                    "supported by the harness")
            return DType("vlen_str", text=text)
        raise ManifestError(f"{where}: dtype {raw!r} not one of {sorted(NAMED_DTYPES)} "
                            f"or an object with one key of {list(OBJECT_DTYPES)}")
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ManifestError(f"{where}: dtype {text} must be a name or an object with "
                            f"one key of {list(OBJECT_DTYPES)}")
    ((key, arg),) = raw.items()
    if key in ("fixed_ascii", "fixed_utf8"):
        if not _is_int(arg) or arg < 1:
            raise ManifestError(f"{where}: {key} needs a length >= 1, got {arg!r}")
        return DType("fixed", length=arg, encoding="ascii" if key == "fixed_ascii" else "utf-8",
                     text=text)
    if key == "enum":
        if not isinstance(arg, dict):
            raise ManifestError(f"{where}: enum needs {{\"base\": ..., \"members\": [...]}}")
        _keys(arg, {"base", "members"}, f"{where} enum")
        base, members = arg.get("base"), arg.get("members")
        if base not in INT_DTYPES:
            raise ManifestError(f"{where}: enum base {base!r} not one of {INT_DTYPES}")
        if (not isinstance(members, list) or not members
                or not all(isinstance(m, list) and len(m) == 2 and isinstance(m[0], str)
                           and m[0] and _is_int(m[1]) for m in members)):
            raise ManifestError(f"{where}: enum members must be a non-empty list of "
                                "[name, integer] pairs")
        lo, hi = _int_range(base)
        names, values = [m[0] for m in members], [m[1] for m in members]
        if len(set(names)) != len(names) or len(set(values)) != len(values):
            raise ManifestError(f"{where}: enum member names and values must be unique")
        if not all(lo <= v <= hi for v in values):
            raise ManifestError(f"{where}: enum values must fit {base}")
        return DType("enum", name=base, members=tuple((n, v) for n, v in members), text=text)
    if key == "compound":
        if (not isinstance(arg, list) or not arg
                or not all(isinstance(m, list) and len(m) == 2 and isinstance(m[0], str) and m[0]
                           for m in arg)):
            raise ManifestError(f"{where}: compound needs a non-empty list of [name, dtype] pairs")
        names = [m[0] for m in arg]
        if len(set(names)) != len(names):
            raise ManifestError(f"{where}: compound member names must be unique")
        return DType("compound", members=tuple(
            (n, parse_dtype(d, f"{where} member {n!r}", inner=True)) for n, d in arg), text=text)
    if key == "array":
        if not inner:
            raise ManifestError(f"{where}: an array dtype is only allowed inside a compound")
        if not isinstance(arg, list) or len(arg) != 2:
            raise ManifestError(f"{where}: array needs [dtype, [dims]]")
        dims = arg[1]
        if (not isinstance(dims, list) or not dims
                or not all(_is_int(d) and d >= 1 for d in dims)):
            raise ManifestError(f"{where}: array dims must be a non-empty list of "
                                "positive integers")
        base = parse_dtype(arg[0], f"{where} array base", inner=True)
        if base.kind == "array":
            raise ManifestError(f"{where}: an array of arrays is not supported; use more dims")
        return DType("array", base=base, dims=tuple(dims), text=text)
    raise ManifestError(f"{where}: dtype {text}: unknown key {key!r}, not one of "
                        f"{list(OBJECT_DTYPES)}")


@functools.lru_cache(maxsize=None)
def np_dtype(dt: DType) -> "np.dtype":
    """The numpy dtype h5py reads (and the twin writes) for a manifest dtype."""
    k = dt.kind
    if k == "num":
        return np.dtype(NUMERIC_DTYPES[dt.name])
    if k == "bool":
        return np.dtype(np.bool_)
    if k == "vlen_str":
        return h5py.string_dtype("utf-8")
    if k == "fixed":
        if dt.encoding == "ascii":
            return np.dtype(f"S{dt.length}")
        return h5py.string_dtype("utf-8", dt.length)
    if k == "enum":
        return h5py.enum_dtype(dict(dt.members), basetype=np.dtype(NUMERIC_DTYPES[dt.name]))
    if k == "compound":  # a list of (name, dtype) is packed: offsets = running sum
        return np.dtype([(n, np_dtype(m)) for n, m in dt.members])
    if k == "array":
        return np.dtype((np_dtype(dt.base), dt.dims))
    raise AssertionError(k)


@functools.lru_cache(maxsize=None)
def h5t_of(dt: DType):
    """The HDF5 datatype the file's type must equal (H5Tequal)."""
    if dt.kind == "num":
        return getattr(h5py.h5t, HDF5_TYPES[dt.name])
    return h5py.h5t.py_create(np_dtype(dt), logical=True)


def h5t_name(dt: DType) -> str:
    return HDF5_TYPES[dt.name] if dt.kind == "num" else dt.text


@functools.lru_cache(maxsize=None)
def leaf_count(dt: DType) -> int:
    """Leaves of one element: compound members depth-first, array elements
    expanded row-major; every other type is one leaf."""
    if dt.kind == "compound":
        return sum(leaf_count(m) for _, m in dt.members)
    if dt.kind == "array":
        return math.prod(dt.dims) * leaf_count(dt.base)
    return 1


def rampable(dt: DType) -> bool:
    if dt.kind == "compound":
        return all(rampable(m) for _, m in dt.members)
    if dt.kind == "array":
        return rampable(dt.base)
    return dt.kind in ("num", "bool", "enum")


def contains(dt: DType, kind: str) -> bool:
    if dt.kind == kind:
        return True
    if dt.kind == "compound":
        return any(contains(m, kind) for _, m in dt.members)
    if dt.kind == "array":
        return contains(dt.base, kind)
    return False
