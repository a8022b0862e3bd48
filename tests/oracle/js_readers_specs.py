"""js_readers.py's manifest side: the element spec of each manifest dtype, the
features an object uses, and its expected values in canonical form.
"""

from __future__ import annotations

import math
import struct
from typing import Any, Optional

from js_readers_capabilities import np


# ------------------------------------------------------------ manifest side

NUMERIC = {"u8": ("int", 1, False), "i8": ("int", 1, True), "u16": ("int", 2, False),
           "i16": ("int", 2, True), "u32": ("int", 4, False), "i32": ("int", 4, True),
           "u64": ("int", 8, False), "i64": ("int", 8, True),
           "f16": ("float", 2, None), "f32": ("float", 4, None), "f64": ("float", 8, None)}


def _get(x: Any, key: str, default: Any = None) -> Any:
    if isinstance(x, dict):
        return x.get(key, default)
    return getattr(x, key, default)


def spec_of(dtype_name: Any, value: Any) -> dict:
    """The datatype to expect: from the manifest's dtype name when it is one
    of the original ones, else from the expected value's numpy dtype (bool,
    h5py enum, S<n> / h5py fixed string, structured = compound, sub-arrays)."""
    if hasattr(dtype_name, "kind"):  # check.py's DType
        return _spec_dtype(dtype_name)
    if dtype_name in NUMERIC:
        kind, size, signed = NUMERIC[dtype_name]
        return {"kind": kind, "size": size, "signed": signed}
    if dtype_name == "vlen_str":
        return {"kind": "vlen_str"}
    if dtype_name == "bool":
        return {"kind": "bool"}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {"kind": "vlen_str"}
    if np is None or not isinstance(value, np.ndarray):
        raise TypeError(f"cannot tell the datatype of dtype {dtype_name!r} from a "
                        f"{type(value).__name__} expected value")
    return _spec_np(value.dtype)


def _spec_dtype(dt: Any) -> dict:
    """check.py's DType (kind num / bool / vlen_str / fixed / enum /
    compound / array; compounds packed) -> spec."""
    k = dt.kind
    if k == "num":
        kind, size, signed = NUMERIC[dt.name]
        return {"kind": kind, "size": size, "signed": signed}
    if k in ("bool", "vlen_str"):
        return {"kind": k}
    if k == "fixed":
        return {"kind": "fixed_str", "size": dt.length, "utf8": dt.encoding == "utf-8"}
    if k == "enum":
        _, size, signed = NUMERIC[dt.name]
        return {"kind": "enum", "size": size, "signed": signed,
                "members": {str(n): int(v) for n, v in dt.members}}
    if k == "array":
        return {"kind": "array", "base": _spec_dtype(dt.base), "dims": list(dt.dims)}
    if k == "compound":
        members, off = [], 0
        for name, m in dt.members:
            ms = _spec_dtype(m)
            members.append({"name": name, "offset": off, "spec": ms})
            off += _spec_size(ms)
        return {"kind": "compound", "size": off, "members": members}
    raise TypeError(f"unknown manifest dtype kind {k!r}")


def _spec_size(spec: dict) -> int:
    k = spec["kind"]
    if k in ("int", "float", "enum"):
        return spec["size"]
    if k == "bool":
        return 1
    if k == "fixed_str":
        return spec["size"]
    if k == "array":
        return math.prod(spec["dims"]) * _spec_size(spec["base"])
    if k == "compound":
        return spec["size"]
    raise TypeError(f"{k} has no fixed size")


def _spec_np(dt: "np.dtype") -> dict:
    if dt.subdtype is not None:
        base, dims = dt.subdtype
        return {"kind": "array", "base": _spec_np(base), "dims": list(dims)}
    if dt.names:
        members = []
        for name in dt.names:
            fdt, off = dt.fields[name][:2]
            members.append({"name": name, "offset": off, "spec": _spec_np(fdt)})
        return {"kind": "compound", "size": dt.itemsize, "members": members}
    meta = dt.metadata or {}
    if dt.kind == "b":
        return {"kind": "bool"}
    if "enum" in meta:
        return {"kind": "enum", "size": dt.itemsize, "signed": dt.kind == "i",
                "members": {str(k): int(v) for k, v in meta["enum"].items()}}
    if dt.kind in "iu":
        return {"kind": "int", "size": dt.itemsize, "signed": dt.kind == "i"}
    if dt.kind == "f":
        return {"kind": "float", "size": dt.itemsize, "signed": None}
    if dt.kind == "S":
        enc = meta.get("h5py_encoding")
        return {"kind": "fixed_str", "size": dt.itemsize,
                "utf8": None if enc is None else enc == "utf-8"}
    if dt.kind == "O" and meta.get("vlen") is str:
        return {"kind": "vlen_str"}
    raise TypeError(f"no datatype rule for numpy dtype {dt!r}")


def _walk_specs(spec: dict):
    yield spec
    if spec["kind"] == "compound":
        for m in spec["members"]:
            yield from _walk_specs(m["spec"])
    elif spec["kind"] == "array":
        yield from _walk_specs(spec["base"])


def _written(obj: Any) -> int:
    """Elements the manifest says were written (0 for data: null or
    rows_written: 0)."""
    data, shape = _get(obj, "data"), list(_get(obj, "shape", []))
    if data is None:
        return 0
    if isinstance(data, dict) and "rows_written" in data:
        return data["rows_written"] * math.prod(shape[1:])
    return math.prod(shape)


def features(obj: Any, spec: dict, exp_flat: Optional[list]) -> set[str]:
    """Manifest features of one dataset that some reader lacks (keys of
    UNSUPPORTED): datatypes from spec, `layout: "compact"`, and a never
    written dataset whose expected values are not all zero (a fill value)."""
    out: set[str] = set()
    kinds = [s["kind"] for s in _walk_specs(spec)]
    if "compound" in kinds:
        out.add("compound datatype")
    if "array" in kinds:
        out.add("array datatype")
    if any(s["kind"] == "float" and s["size"] == 2 for s in _walk_specs(spec)):
        out.add("f16")
    if _get(obj, "layout") == "compact":
        out.add("compact layout")
    if (exp_flat is not None and _written(obj) == 0
            and not all(_is_default(v) for v in exp_flat)):
        out.add("fill value of unallocated storage")
    if spec["kind"] == "vlen_str" and _unwritten_chunk(obj):
        out.add("vlen strings in chunks never allocated")
    return out


def _unwritten_chunk(obj: Any) -> bool:
    """Whether a chunked dataset (check.py's Obj: `chunks`) was written in
    part so that some chunk holds no written element: written elements are
    rows [0, rows_written) of the first dimension."""
    chunks, data, shape = _get(obj, "chunks"), _get(obj, "data"), list(_get(obj, "shape", []))
    if not chunks or not isinstance(data, dict) or not shape or 0 in shape:
        return False
    rows = data.get("rows_written", shape[0])
    return 0 < rows and -(-rows // chunks[0]) < -(-shape[0] // chunks[0])


def _is_default(v: Any) -> bool:
    """Whether a canonical expected element is the default fill (all zero bits)."""
    if isinstance(v, bool):
        return v is False
    if isinstance(v, int):
        return v == 0
    if isinstance(v, float):
        return struct.pack("<d", v) == bytes(8)
    if isinstance(v, (bytes, str)):
        return not v.strip("\0" if isinstance(v, str) else b"\0")
    if isinstance(v, (tuple, list)):
        return all(_is_default(x) for x in v)
    return False


def canon(spec: dict, value: Any, limit: Optional[int] = None) -> list:
    """Expected value -> flat row-major list of canonical Python elements
    (the first `limit` ones): int, float, bool, bytes (fixed strings, all n
    bytes), str (vlen), tuple (compound record), list (array member, flat)."""
    if isinstance(value, list):
        return list(value[:limit])
    a = np.asarray(value)
    k = spec["kind"]
    if k == "array":
        per = max(1, math.prod(spec["dims"]))
        n = a.size // per
        return _canon_array(spec, a.reshape(-1)[: (n if limit is None else min(n, limit)) * per],
                            n if limit is None else min(n, limit))
    flat = a.reshape(-1)[:limit]
    if k in ("int", "enum"):
        return [int(x) for x in flat.tolist()]
    if k == "float":
        return [float(x) for x in flat.astype(np.float64).tolist()]
    if k == "bool":
        return [bool(x) for x in flat.tolist()]
    if k == "fixed_str":
        raw = np.ascontiguousarray(flat).tobytes()
        n = spec["size"]
        return [raw[i * n:(i + 1) * n] for i in range(flat.size)]
    if k == "vlen_str":
        return [x.decode("utf-8") if isinstance(x, bytes) else str(x) for x in flat.tolist()]
    if k == "compound":
        names = [m["name"] for m in spec["members"]]
        cols = [canon(m["spec"], flat[name]) if m["spec"]["kind"] != "array"
                else _canon_array(m["spec"], flat[name], flat.size)
                for name, m in zip(names, spec["members"])]
        return [tuple(c[i] for c in cols) for i in range(flat.size)]
    raise TypeError(f"no canonical form for {k}")


def _canon_array(spec: dict, col: Any, n: int) -> list:
    per = math.prod(spec["dims"])
    items = canon(spec["base"], np.asarray(col).reshape(-1, *spec["dims"]) if per else np.asarray(col))
    return [items[i * per:(i + 1) * per] for i in range(n)]
