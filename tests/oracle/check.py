#!/usr/bin/env python3
"""Oracle checker for files written by h5sink.

Usage: python3 tests/oracle/check.py DIR [--only NAME]

DIR holds scenario manifests (*.json, see README.md beside this script), each
describing one HDF5 file. Every scenario is checked by four independent oracles:

  h5py    libhdf5 (through h5py) sees exactly the manifest's objects,
          attributes, datatypes, shapes, fill values, storage (chunk shape,
          maxshape, filters in h5py's order) and values.
  pyfive  the same, through pyfive, a pure-Python reader that shares no code
          with libhdf5; also every group iterates to the expected member names.
          Where pyfive's own code says it cannot read a feature, the cell is
          "pyfive n/a" with the cited reason (never a failure, never a pass
          of anything pyfive did read).
  h5dump  `h5dump -p FILE` (the system libhdf5, another version than h5py's)
          reads the whole file: exit status 0 and nothing on stderr.
  twin    h5py writes the same content the way a user would into DIR/twins/;
          the normalised `h5dump -p` text of both files must be identical
          (see normalise_dump: file addresses, and the stored size of
          deflated datasets; files over TEXT_LIMIT elements use h5dump's
          binary mode instead, see Dump.start), and so must what h5dump does
          not print of chunked datasets (twin_storage_problems: allocated
          chunks, filter masks and parameters).

A fifth column, "js", appears once tests/oracle/js_readers.py exists (see
check_js, the hook for the JavaScript readers).

One line per scenario, then "N passed, M failed" (n/a cells do not fail).
Exit status: 0 all passed, 1 some failed, 2 usage error, 3 an oracle (numpy,
h5py, pyfive, h5dump) is missing -- the caller must treat that as a failure,
never as a skip.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from typing import Any, Optional

import links_check  # tests/oracle/links_check.py

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_MISSING = 0, 1, 2, 3

# A missing oracle module must not be a traceback: remember the error, and
# main() reports it with exit status 3.
_IMPORT_ERRORS: dict[str, str] = {}
try:
    import numpy as np
except Exception as e:  # pragma: no cover - depends on the machine
    np = None  # type: ignore[assignment]
    _IMPORT_ERRORS["numpy"] = repr(e)
try:
    import h5py
except Exception as e:  # pragma: no cover
    h5py = None  # type: ignore[assignment]
    _IMPORT_ERRORS["h5py"] = repr(e)
try:
    import pyfive
except Exception as e:  # pragma: no cover
    pyfive = None  # type: ignore[assignment]
    _IMPORT_ERRORS["pyfive"] = repr(e)

# Manifest dtype name -> numpy dtype string (all little-endian).
NUMERIC_DTYPES = {
    "u8": "u1", "i8": "i1",
    "u16": "<u2", "i16": "<i2",
    "u32": "<u4", "i32": "<i4",
    "u64": "<u8", "i64": "<i8",
    "f16": "<f2", "f32": "<f4", "f64": "<f8",
}
INT_DTYPES = [n for n in NUMERIC_DTYPES if n[0] in "ui"]
# Manifest dtype name -> name of the standard HDF5 type in h5py.h5t that the
# file's datatype must equal (H5Tequal: size, order, precision, offset, pad,
# sign / exponent and mantissa layout, bias).
HDF5_TYPES = {
    "u8": "STD_U8LE", "i8": "STD_I8LE",
    "u16": "STD_U16LE", "i16": "STD_I16LE",
    "u32": "STD_U32LE", "i32": "STD_I32LE",
    "u64": "STD_U64LE", "i64": "STD_I64LE",
    "f16": "IEEE_F16LE", "f32": "IEEE_F32LE", "f64": "IEEE_F64LE",
}
VLEN_STR = "vlen_str"
BOOL = "bool"
# dtypes spelled as a string; the others are objects with one of OBJECT_DTYPES.
NAMED_DTYPES = set(NUMERIC_DTYPES) | {BOOL, VLEN_STR}
OBJECT_DTYPES = ("fixed_ascii", "fixed_utf8", "enum", "compound", "array")

# Ramp generator constants; must match tests/common/ramp.rs bit for bit.
RAMP_MUL = 2654435761
RAMP_FLOAT_MOD = 1000003
RAMP_F16_MOD = 2001

# Above this many elements in one file (summed over its datasets), the h5dump
# and twin checks switch from one `h5dump -p` text dump to "binary mode" (see
# Dump.start): h5dump formats well under a million values per second, so the
# text dump of a ~100 MB dataset takes ~20 s per file. Binary mode compares
# the same things (headers, properties, attributes, all data) in ~1 s.
# Override with H5SINK_ORACLE_TEXT_LIMIT (0 forces binary mode).
TEXT_LIMIT = int(os.environ.get("H5SINK_ORACLE_TEXT_LIMIT", "1000000"))
# Seconds before one in-process check (h5py or pyfive) or one h5dump run is
# abandoned as hung; a malformed file can send a reader into a loop.
TIMEOUT = int(os.environ.get("H5SINK_ORACLE_TIMEOUT", "300"))
# Reasons printed per check before "... and N more".
MAX_REASONS = 12
# Unified-diff lines printed for a twin mismatch (the full diff goes to a file).
MAX_DIFF_PRINT = 80


class ManifestError(Exception):
    """The manifest itself is malformed."""


class CheckTimeout(Exception):
    """An in-process check ran longer than TIMEOUT."""


class NA(str):
    """A "not applicable" note in a check's problem list: the reader cannot
    read `what`, and `reason` cites where its own code or documentation says
    so. A check whose list holds only NA notes is reported as `n/a` and does
    not fail the scenario; any plain string in the list is a failure. Notes
    with the same reason are printed on one line."""

    what: str
    reason: Optional[str]

    def __new__(cls, what: str, reason: Optional[str] = None) -> "NA":
        obj = super().__new__(cls, f"{what}: {reason}" if reason else what)
        obj.what, obj.reason = what, reason
        return obj


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


# ---------------------------------------------------------------- manifests


@dataclass
class Attr:
    name: str
    dtype: DType
    shape: tuple[int, ...]
    data: dict
    values: Optional[list]  # converted "strings" / "values" elements

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass
class Obj:
    path: str  # relative to the root group, no leading '/'
    kind: str  # "group" | "dataset"
    dtype: Optional[DType] = None
    shape: tuple[int, ...] = ()
    data: Optional[dict] = None  # None: never written
    values: Optional[list] = None  # converted "strings" / "values" elements
    fill: Any = None  # converted user fill value; None: no "fill"
    layout: str = "contiguous"  # "contiguous" | "compact" | "chunked" (from "chunks")
    attrs: list[Attr] = field(default_factory=list)
    chunks: Optional[tuple[int, ...]] = None  # the chunk shape; None: not chunked
    maxshape: tuple = ()  # per dimension an int or None (unlimited); = shape by default
    # The filters in pipeline order (FILTER_ORDER): "shuffle" -> True,
    # "deflate" -> level, "fletcher32" -> True; {} without filters.
    filters: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass
class Scenario:
    name: str
    manifest: str  # path of the manifest
    file: str  # absolute path of the HDF5 file
    rel_file: str  # as given in the manifest
    twin: bool
    objects: list[Obj]
    root_attrs: list[Attr] = field(default_factory=list)
    links: list = field(default_factory=list)  # links_check.Link

    def datasets(self) -> list[Obj]:
        return [o for o in self.objects if o.kind == "dataset"]

    def groups(self) -> list[str]:
        """All group paths including the root ('')."""
        return [""] + [o.path for o in self.objects if o.kind == "group"]

    def members(self) -> dict[str, list[str]]:
        """Group path -> expected member names."""
        out: dict[str, list[str]] = {g: [] for g in self.groups()}
        for o in [*self.objects, *self.links]:
            parent, _, name = o.path.rpartition("/")
            out[parent].append(name)
        return out

    def attr_owners(self) -> list[tuple[str, list[Attr]]]:
        """(object path, its attributes) for the root ('') and every object."""
        return [("", self.root_attrs)] + [(o.path, o.attrs) for o in self.objects]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _keys(d: dict, allowed: set, where: str) -> None:
    extra = set(d) - allowed
    if extra:
        raise ManifestError(f"{where}: unknown keys {sorted(extra)}")


def load_manifest(path: str) -> Scenario:
    """Parses and validates one manifest; raises ManifestError."""
    try:
        with open(path, encoding="utf-8") as fh:
            m = json.load(fh)
    except (OSError, ValueError) as e:
        raise ManifestError(f"cannot read manifest: {e}") from None
    if not isinstance(m, dict):
        raise ManifestError("manifest is not a JSON object")
    _keys(m, {"name", "file", "twin", "objects", "root_attrs", "links"}, "manifest")
    name, rel = m.get("name"), m.get("file")
    if not isinstance(name, str) or not name:
        raise ManifestError("'name' must be a non-empty string")
    if not isinstance(rel, str) or not rel or os.path.isabs(rel):
        raise ManifestError("'file' must be a non-empty relative path")
    twin = m.get("twin", True)
    if not isinstance(twin, bool):
        raise ManifestError("'twin' must be true or false")
    raw = m.get("objects")
    if not isinstance(raw, list):
        raise ManifestError("'objects' must be a list")
    root_attrs = _load_attrs(m.get("root_attrs", []), "root_attrs")
    objects: list[Obj] = []
    kinds: dict[str, str] = {"": "group"}
    for k, o in enumerate(raw):
        where = f"objects[{k}]"
        if not isinstance(o, dict):
            raise ManifestError(f"{where}: not an object")
        p, kind = o.get("path"), o.get("kind")
        if not isinstance(p, str):
            raise ManifestError(f"{where}: 'path' must be a string")
        where = f"object {p!r}"
        parts = p.split("/")
        if not p or any(c in ("", ".", "..") for c in parts):
            raise ManifestError(f"{where}: path must be 'a/b/c' without leading, "
                                "trailing or doubled '/' and without '.'/'..'")
        if p in kinds:
            raise ManifestError(f"{where}: listed twice")
        parent = p.rpartition("/")[0]
        if kinds.get(parent) != "group":
            raise ManifestError(f"{where}: parent {parent!r} is not a group listed before it")
        if kind == "group":
            _keys(o, {"path", "kind", "attrs"}, where)
            objects.append(Obj(p, "group", attrs=_load_attrs(o.get("attrs", []), f"{where} attrs")))
        elif kind == "dataset":
            _keys(o, {"path", "kind", "dtype", "shape", "data", "attrs", "fill", "layout",
                      "chunks", "maxshape", "filters"}, where)
            objects.append(_load_dataset(o, p, where))
        else:
            raise ManifestError(f"{where}: kind must be 'group' or 'dataset'")
        kinds[p] = kind
    links = links_check.load(m.get("links", []), kinds, ManifestError)
    base = os.path.dirname(os.path.abspath(path))
    return Scenario(name, path, os.path.join(base, rel), rel, twin, objects, root_attrs, links)


def _load_shape(shape: Any, where: str) -> tuple[int, ...]:
    if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
        raise ManifestError(f"{where}: shape must be a list of non-negative integers")
    return tuple(shape)


def _load_dataset(o: dict, p: str, where: str) -> Obj:
    dt = parse_dtype(o.get("dtype"), where)
    shape = _load_shape(o.get("shape"), where)
    if "data" not in o:
        raise ManifestError(f"{where}: 'data' is required (null if never written)")
    data, values = _load_data(o["data"], dt, shape, where, is_attr=False)
    obj = Obj(p, "dataset", dt, shape, data, values,
              attrs=_load_attrs(o.get("attrs", []), f"{where} attrs"))
    if "fill" in o:
        if dt.kind == "vlen_str":
            raise ManifestError(f"{where}: 'fill' is not supported for vlen_str")
        obj.fill = json_element(dt, o["fill"], f"{where} fill")
    _load_storage(o, obj, where)
    return obj


# Filters a manifest may list, in the order h5py puts them into the pipeline
# (h5py/_hl/filters.py fill_dcpl: set_shuffle, set_deflate, ..., set_fletcher32),
# with their HDF5 filter ids (H5Z_FILTER_*).
FILTER_ORDER = ("shuffle", "deflate", "fletcher32")
H5Z_IDS = {"shuffle": 2, "deflate": 1, "fletcher32": 3}
H5Z_NAMES = {v: k for k, v in H5Z_IDS.items()}


def _load_storage(o: dict, obj: Obj, where: str) -> None:
    """"layout", "chunks", "maxshape", "filters": validated as libhdf5 would
    accept them when h5py creates the twin."""
    shape, rank = obj.shape, len(obj.shape)
    layout = o.get("layout", "contiguous")
    if layout not in ("contiguous", "compact"):
        raise ManifestError(f"{where}: layout must be 'contiguous' or 'compact' (a chunked "
                            "dataset gives 'chunks' instead)")
    obj.layout = layout
    maxshape = shape
    if "maxshape" in o:
        ms = o["maxshape"]
        if (not isinstance(ms, list) or len(ms) != rank
                or not all(d is None or (_is_int(d) and d >= 0) for d in ms)):
            raise ManifestError(f"{where}: maxshape must be a list of {rank} entries, each "
                                "null (unlimited) or a non-negative integer")
        low = [i for i, (d, m) in enumerate(zip(shape, ms)) if m is not None and m < d]
        if low:
            raise ManifestError(f"{where}: maxshape {ms} is below shape {list(shape)} in "
                                f"dimension {low[0]}")
        maxshape = tuple(ms)
    obj.maxshape = maxshape
    if "chunks" in o:
        chunks = o["chunks"]
        if "layout" in o:
            raise ManifestError(f"{where}: 'chunks' means chunked layout; drop 'layout'")
        if rank == 0:
            raise ManifestError(f"{where}: a scalar dataset cannot be chunked")
        if (not isinstance(chunks, list) or len(chunks) != rank
                or not all(_is_int(c) and c >= 1 for c in chunks)):
            raise ManifestError(f"{where}: chunks must be a list of {rank} positive integers "
                                "(the chunk shape)")
        big = [i for i, (c, m) in enumerate(zip(chunks, maxshape)) if m is not None and c > m]
        if big:
            i = big[0]
            raise ManifestError(f"{where}: chunk dimension {i} ({chunks[i]}) exceeds the fixed "
                                f"maximum {maxshape[i]} (libhdf5 refuses it; make the dimension "
                                "unlimited or the chunk smaller)")
        if math.prod(chunks) >= 2**32:
            raise ManifestError(f"{where}: a chunk must hold fewer than 2^32 elements "
                                "(libhdf5 H5Pset_chunk)")
        obj.chunks, obj.layout = tuple(chunks), "chunked"
    elif maxshape != shape:
        raise ManifestError(f"{where}: maxshape other than the shape needs 'chunks' (libhdf5 "
                            "extends chunked datasets only)")
    filters = o.get("filters", {})
    if not isinstance(filters, dict):
        raise ManifestError(f"{where}: filters must be an object like "
                            '{"shuffle": true, "deflate": 4, "fletcher32": true}')
    _keys(filters, set(FILTER_ORDER), f"{where} filters")
    if filters and obj.chunks is None:
        raise ManifestError(f"{where}: filters need 'chunks' (libhdf5 filters chunked "
                            "datasets only)")
    for k in ("shuffle", "fletcher32"):
        if k in filters and filters[k] is not True:
            raise ManifestError(f"{where}: filters.{k} must be true (leave it out otherwise)")
    if "deflate" in filters and not (_is_int(filters["deflate"]) and 0 <= filters["deflate"] <= 9):
        raise ManifestError(f"{where}: filters.deflate must be a gzip level 0..9")
    obj.filters = {k: filters[k] for k in FILTER_ORDER if k in filters}


def _load_attrs(raw: Any, where: str) -> list[Attr]:
    if not isinstance(raw, list):
        raise ManifestError(f"{where}: must be a list of attributes")
    out: list[Attr] = []
    for k, a in enumerate(raw):
        w = f"{where}[{k}]"
        if not isinstance(a, dict):
            raise ManifestError(f"{w}: not an object")
        _keys(a, {"name", "dtype", "shape", "data"}, w)
        name = a.get("name")
        if not isinstance(name, str) or not name:
            raise ManifestError(f"{w}: 'name' must be a non-empty string")
        w = f"{where} {name!r}"
        if any(x.name == name for x in out):
            raise ManifestError(f"{w}: attribute listed twice")
        missing = {"dtype", "shape", "data"} - set(a)
        if missing:
            raise ManifestError(f"{w}: missing keys {sorted(missing)}")
        dt = parse_dtype(a["dtype"], w)
        shape = _load_shape(a["shape"], w)
        data, values = _load_data(a["data"], dt, shape, w, is_attr=True)
        out.append(Attr(name, dt, shape, data, values))
    return out


def _load_data(data: Any, dt: DType, shape: tuple, where: str,
               is_attr: bool) -> tuple[Optional[dict], Optional[list]]:
    """Validates a data description; returns it and the converted elements of
    "strings" / "values" (None for ramp and null)."""
    if data is None:
        if is_attr:
            raise ManifestError(f"{where}: attribute data cannot be null (an attribute "
                                "always holds a value)")
        return None, None
    if not isinstance(data, dict):
        raise ManifestError(f"{where}: data must be null or an object")
    allowed = {"gen", "seed", "strings", "values"} | (set() if is_attr else {"rows_written"})
    _keys(data, allowed, f"{where} data")
    forms = [k for k in ("gen", "strings", "values") if k in data]
    if len(forms) != 1:
        raise ManifestError(f"{where}: data needs exactly one of 'gen', 'strings', 'values'")
    count = math.prod(shape)
    if "rows_written" in data:
        n = data["rows_written"]
        if not shape:
            raise ManifestError(f"{where}: rows_written needs rank >= 1")
        if not _is_int(n) or not 0 <= n <= shape[0]:
            raise ManifestError(f"{where}: rows_written must be in [0, {shape[0]}]")
        count = n * math.prod(shape[1:])
    form = forms[0]
    if form == "gen":
        if data["gen"] != "ramp":
            raise ManifestError(f"{where}: data.gen must be 'ramp'")
        seed = data.get("seed")
        if not _is_int(seed) or not 0 <= seed < 2**64:
            raise ManifestError(f"{where}: data.seed must be an integer in [0, 2^64)")
        if not rampable(dt):
            raise ManifestError(f"{where}: dtype {dt.text} has no ramp (strings need "
                                "'strings' or 'values')")
        return data, None
    if "seed" in data:
        raise ManifestError(f"{where}: data.seed only goes with gen")
    items = data[form]
    if form == "strings":
        if dt.kind not in ("vlen_str", "fixed"):
            raise ManifestError(f"{where}: 'strings' data for a non-string dtype {dt.text}")
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise ManifestError(f"{where}: data.strings must be a list of strings")
    elif not isinstance(items, list):
        raise ManifestError(f"{where}: data.values must be a list")
    if len(items) != count:
        raise ManifestError(f"{where}: {len(items)} {form} for {count} "
                            + ("written " if "rows_written" in data else "") + "elements")
    return data, [json_element(dt, x, f"{where} {form}[{i}]") for i, x in enumerate(items)]


def json_element(dt: DType, v: Any, where: str) -> Any:
    """Validates one element given in JSON (a "values" entry or a "fill") and
    converts it to what numpy takes for the dtype: int / float / bool, the
    enum's integer value (a member name or the integer), str (vlen_str),
    UTF-8 bytes (fixed strings), a tuple (compound) or nested lists (array)."""
    k = dt.kind
    if k == "num":
        if dt.name[0] == "f":
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ManifestError(f"{where}: {v!r} is not a number")
            try:
                return float(v)
            except OverflowError:
                raise ManifestError(f"{where}: {v!r} overflows a float") from None
        lo, hi = _int_range(dt.name)
        if not _is_int(v) or not lo <= v <= hi:
            raise ManifestError(f"{where}: {v!r} is not an integer in [{lo}, {hi}] ({dt.name})")
        return v
    if k == "bool":
        if not isinstance(v, bool):
            raise ManifestError(f"{where}: {v!r} is not true or false")
        return v
    if k == "enum":
        if isinstance(v, str):
            names = dict(dt.members)
            if v not in names:
                raise ManifestError(f"{where}: {v!r} is not a member of {dt.text}")
            return names[v]
        lo, hi = _int_range(dt.name)
        if not _is_int(v) or not lo <= v <= hi:
            raise ManifestError(f"{where}: {v!r} is neither a member name nor an integer "
                                f"that fits {dt.name}")
        return v
    if k in ("vlen_str", "fixed"):
        if not isinstance(v, str):
            raise ManifestError(f"{where}: {v!r} is not a string")
        if k == "vlen_str":
            return v
        try:
            b = v.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ManifestError(f"{where}: not encodable as UTF-8: {e}") from None
        if len(b) > dt.length:
            raise ManifestError(f"{where}: {len(b)} UTF-8 bytes do not fit {dt.text}")
        return b
    if k == "compound":
        if not isinstance(v, list) or len(v) != len(dt.members):
            raise ManifestError(f"{where}: a {dt.text} record must be a list of "
                                f"{len(dt.members)} member values")
        return tuple(json_element(m, x, f"{where}.{n}") for (n, m), x in zip(dt.members, v))
    if k == "array":
        return _nested(dt.base, dt.dims, v, where)
    raise AssertionError(k)


def _nested(base: DType, dims: tuple, v: Any, where: str) -> list:
    if not isinstance(v, list) or len(v) != dims[0]:
        raise ManifestError(f"{where}: expected a list of {dims[0]} (array dims {list(dims)})")
    if len(dims) == 1:
        return [json_element(base, x, f"{where}[{i}]") for i, x in enumerate(v)]
    return [_nested(base, dims[1:], x, f"{where}[{i}]") for i, x in enumerate(v)]


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


# ------------------------------------------------------------- comparisons


def _short(v: Any, n: int = 60) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 3] + "..."


def _item(a: "np.ndarray", i: int) -> Any:
    v = a.reshape(-1)[i]
    return v.item() if hasattr(v, "item") else v


def compare_bytes(actual: Any, expected: "np.ndarray") -> Optional[str]:
    """Bit-exact comparison of the raw element bytes (the caller has checked
    the dtype); returns a description of the first problem."""
    a = np.ascontiguousarray(np.asarray(actual))
    e = np.ascontiguousarray(expected)
    if a.shape != e.shape:
        return f"read back shape {a.shape}, expected {e.shape}"
    size = e.dtype.itemsize
    if a.dtype.itemsize != size:
        return (f"read back {a.dtype.itemsize}-byte elements ({a.dtype}), "
                f"expected {size} ({e.dtype})")
    if a.size == 0:
        return None
    # Compare bit patterns, so that -0.0 vs 0.0 or NaN payloads also count.
    if size in (1, 2, 4, 8):
        av, ev = a.reshape(-1).view(f"u{size}"), e.reshape(-1).view(f"u{size}")
        bad = np.flatnonzero(av != ev)
    else:
        av = a.reshape(-1).view(np.uint8).reshape(a.size, size)
        ev = e.reshape(-1).view(np.uint8).reshape(e.size, size)
        bad = np.flatnonzero((av != ev).any(axis=1))
    if bad.size == 0:
        return None
    i = int(bad[0])
    idx = np.unravel_index(i, e.shape) if e.shape else ()
    return (f"{bad.size} of {a.size} values differ; first at index "
            f"{tuple(int(x) for x in idx)}: read {_short(_item(a, i))}, "
            f"expected {_short(_item(e, i))}")


def compare_numeric(actual: Any, expected: "np.ndarray") -> Optional[str]:
    """Dtype (numpy equality) and bit-exact values."""
    a = np.asarray(actual)
    if a.shape == expected.shape and a.dtype != expected.dtype:
        return f"read back dtype {a.dtype}, expected {expected.dtype}"
    return compare_bytes(a, expected)


def compare_strings(actual: list, expected: list[str]) -> Optional[str]:
    if len(actual) != len(expected):
        return f"read {len(actual)} strings, expected {len(expected)}"
    bad = [i for i, (a, e) in enumerate(zip(actual, expected)) if a != e]
    if not bad:
        return None
    i = bad[0]
    return (f"{len(bad)} of {len(expected)} strings differ; first at flat index {i}: "
            f"read {_short(actual[i])}, expected {_short(expected[i])}")


def as_array(val: Any, dt: DType) -> "np.ndarray":
    """A read value as an array. Readers return a scalar fixed-length string
    as numpy bytes with the trailing NULs stripped: pad it back."""
    if dt.kind == "fixed" and isinstance(val, bytes) and not isinstance(val, np.ndarray):
        return np.array(val, dtype=f"S{dt.length}")
    return np.asarray(val)


def compare_attr_value(val: Any, a: Attr, expected: Any, reader: str,
                       type_problem) -> Optional[str]:
    """Compares an attribute value as the reader returned it. h5py returns a
    scalar as a numpy scalar (Python str for a vlen string), an array as an
    ndarray (of str objects for vlen strings); pyfive the same except that
    vlen strings are UTF-8 bytes. type_problem(np.dtype) checks the dtype."""
    if a.dtype.kind == "vlen_str":
        if a.shape == ():
            items = [val]
        elif not isinstance(val, np.ndarray) or val.shape != a.shape:
            return (f"read {type(val).__name__} of shape {getattr(val, 'shape', None)}, "
                    f"expected an array of shape {a.shape}")
        else:
            items = list(val.reshape(-1))
        got = []
        for i, v in enumerate(items):
            if isinstance(v, bytes) and reader == "pyfive":
                try:
                    v = v.decode("utf-8")
                except UnicodeDecodeError as e:
                    return f"element {i} is not valid UTF-8: {e}"
            if not isinstance(v, str):
                return (f"element {i} reads as {_short(v)} ({type(v).__name__}), "
                        "expected " + ("a str" if reader == "h5py" else "a string"))
            got.append(v)
        return compare_strings(got, expected)
    if a.shape == ():
        if isinstance(val, np.ndarray) or not isinstance(val, np.generic):
            return f"read {_short(val)} ({type(val).__name__}), expected a numpy scalar"
    elif not isinstance(val, np.ndarray):
        return f"read {_short(val)} ({type(val).__name__}), expected an array of shape {a.shape}"
    arr = as_array(val, a.dtype)
    problem = type_problem(arr.dtype)
    return problem or compare_bytes(arr, expected)


def compare_tree(sc: Scenario, found: dict[str, str], members: dict[str, list[str]],
                 problems: list[str], reader: str = "h5py") -> None:
    """Compares a walked tree (path -> kind, group -> member names as iterated)
    with the manifest (links as `reader` sees them: links_check.expected)."""
    want, want_members = links_check.expected(sc, reader)
    for p in want:
        if p not in found:
            problems.append(f"missing {want[p]} {p!r}")
        elif found[p] != want[p]:
            problems.append(f"{p!r} is a {found[p]}, expected a {want[p]}")
    for p in found:
        if p not in want:
            problems.append(f"unexpected {found[p]} {p!r}")
    for g, names in want_members.items():
        if g not in members:
            continue  # missing or not a group: reported above
        got = members[g]
        dupes = sorted({n for n in got if got.count(n) > 1}) if len(set(got)) != len(got) else []
        if dupes:
            problems.append(f"group {g or '/'!r} lists members more than once: {dupes[:5]}")
        if sorted(set(got)) != sorted(names):
            problems.append(f"group {g or '/'!r} iterates to {len(set(got))} names, "
                            f"expected {len(names)}: missing {sorted(set(names) - set(got))[:5]}, "
                            f"extra {sorted(set(got) - set(names))[:5]}")


def compare_attr_names(where: str, got: list[str], attrs: list[Attr], problems: list[str]) -> None:
    want = [a.name for a in attrs]
    missing = [n for n in want if n not in got]
    extra = sorted(set(got) - set(want))
    if missing:
        problems.append(f"{where}: missing attributes {missing[:8]}")
    if extra:
        problems.append(f"{where}: unexpected attributes {extra[:8]}")


def owner_where(path: str) -> str:
    return f"object {path!r}" if path else "root group"


# -------------------------------------------------------------- h5py check


def walk_h5py(f, max_depth: int):
    found: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    handles: dict[str, Any] = {"": f}
    stack = [("", f)]
    while stack:
        gpath, g = stack.pop()
        names = list(g)
        members[gpath] = names
        for name in names:
            path = f"{gpath}/{name}" if gpath else name
            link = g.get(name, getlink=True)
            if not isinstance(link, h5py.HardLink):
                found[path] = type(link).__name__  # SoftLink / ExternalLink
                continue
            obj = handles[path] = g[name]
            if isinstance(obj, h5py.Group):
                found[path] = "group"
                # Depth guard against hard-link cycles (a group linked into
                # its own subtree); deeper than the manifest is wrong anyway.
                if path.count("/") < max_depth:
                    stack.append((path, obj))
            elif isinstance(obj, h5py.Dataset):
                found[path] = "dataset"
            else:
                found[path] = type(obj).__name__  # e.g. committed Datatype
    return found, members, handles


def h5py_type_problem(got: "np.dtype", tid, dt: DType) -> Optional[str]:
    """Exact dtype equality as h5py sees it: numpy dtype equality, h5py's
    string and enum metadata, and H5Tequal with the expected HDF5 type."""
    if dt.kind == "vlen_str":
        info = h5py.check_string_dtype(got)
        if info is None or info.encoding != "utf-8" or info.length is not None:
            return f"dtype {got} ({info}), expected variable-length UTF-8 string"
    else:
        want = np_dtype(dt)
        if got != want:
            return f"dtype {got!r}, expected {want!r} ({dt.text})"
        info = h5py.check_string_dtype(got)
        got_s = (info.encoding, info.length) if info else None
        want_s = (dt.encoding, dt.length) if dt.kind == "fixed" else None
        if got_s != want_s:
            return f"string type (encoding, length) {got_s}, expected {want_s} ({dt.text})"
        enum = h5py.check_enum_dtype(got)
        got_e = {k: int(v) for k, v in enum.items()} if enum is not None else None
        want_e = dict(dt.members) if dt.kind == "enum" else None
        if got_e != want_e:
            return f"enum mapping {got_e}, expected {want_e} ({dt.text})"
        if dt.kind in ("num", "bool") and got.metadata:
            return f"dtype {got!r} carries h5py metadata {dict(got.metadata)}, expected {dt.text}"
    if not tid.equal(h5t_of(dt)):
        detail = ""
        if dt.kind in ("fixed", "vlen_str") and tid.get_class() == h5py.h5t.STRING:
            pad = {0: "NULLTERM", 1: "NULLPAD", 2: "SPACEPAD"}.get(tid.get_strpad(), "?")
            cset = {0: "ASCII", 1: "UTF-8"}.get(tid.get_cset(), "?")
            detail = f" (it is {pad} {cset}; h5py writes NULLPAD fixed, NULLTERM vlen strings)"
        return f"HDF5 datatype is not exactly {h5t_name(dt)}{detail}"
    return None


_FILL_NAMES = {0: "undefined", 1: "the library default", 2: "user-defined"}


def h5py_fill_problem(ds, obj: Obj) -> Optional[str]:
    dcpl = ds.id.get_create_plist()
    defined = dcpl.fill_value_defined()
    name = _FILL_NAMES.get(defined, str(defined))
    if obj.fill is None:
        if defined != h5py.h5d.FILL_VALUE_DEFAULT:
            return f"fill value is {name}, expected the library default (no 'fill' in the manifest)"
        return None
    if defined != h5py.h5d.FILL_VALUE_USER_DEFINED:
        return f"fill value is {name}, expected user-defined {obj.fill!r}"
    got = np.zeros((), dtype=np_dtype(obj.dtype))
    dcpl.get_fill_value(got)
    err = compare_bytes(got, expected_fill(obj.dtype, obj.fill))
    return f"fill value: {err}" if err else None


def expected_storage(obj: Obj) -> dict[str, Any]:
    """The storage properties h5py's Dataset reports (pyfive's Dataset has
    the same names): chunks None unless chunked, maxshape with None for
    unlimited, compression 'gzip' + the level for deflate."""
    f = obj.filters
    return {"chunks": obj.chunks, "maxshape": obj.maxshape,
            "compression": "gzip" if "deflate" in f else None,
            "compression_opts": f.get("deflate"),
            "shuffle": "shuffle" in f, "fletcher32": "fletcher32" in f}


def storage_problems(got: dict[str, Any], obj: Obj) -> list[str]:
    """Compares a reader's storage properties with expected_storage."""
    out = []
    for k, want in expected_storage(obj).items():
        g = got[k]
        if isinstance(g, (list, tuple)):
            g = tuple(None if x is None else int(x) for x in g)
        elif isinstance(g, np.generic):
            g = g.item()
        if g != want or type(g) is not type(want):
            out.append(f"{k} {got[k]!r}, expected {want!r}")
    return out


def _filter_names(ids: list[int]) -> list[str]:
    return [H5Z_NAMES.get(i, f"filter {i}") for i in ids]


def h5py_storage_problems(ds, obj: Obj) -> list[str]:
    """Chunk shape, maxshape and filters as h5py reports them, and the
    pipeline's filter order (shuffle before deflate before fletcher32, as
    h5py builds it)."""
    out = storage_problems({k: getattr(ds, k) for k in expected_storage(obj)}, obj)
    dcpl = ds.id.get_create_plist()
    ids = [dcpl.get_filter(i)[0] for i in range(dcpl.get_nfilters())]
    want = [H5Z_IDS[k] for k in obj.filters]
    if ids != want:
        out.append(f"filter pipeline {_filter_names(ids)}, expected {_filter_names(want)}")
    return out


def check_h5py(sc: Scenario, exp: Expected) -> list[str]:
    problems: list[str] = []
    max_depth = max([o.path.count("/") for o in sc.objects], default=0) + 2
    with h5py.File(sc.file, "r") as f:
        found, members, handles = walk_h5py(f, max_depth)
        compare_tree(sc, found, members, problems)
        problems += links_check.h5py_problems(sc, f, h5py)
        for obj in sc.datasets():
            if found.get(obj.path) != "dataset":
                continue
            ds = handles[obj.path]
            where = f"dataset {obj.path!r}"
            if ds.shape != obj.shape:
                problems.append(f"{where}: shape {ds.shape}, expected {obj.shape}")
                continue
            err = h5py_type_problem(ds.dtype, ds.id.get_type(), obj.dtype)
            if err:
                problems.append(f"{where}: {err}")
                continue
            err = h5py_fill_problem(ds, obj)
            if err:
                problems.append(f"{where}: {err}")
            problems += [f"{where}: {p}" for p in h5py_storage_problems(ds, obj)]
            if obj.dtype.kind == "vlen_str":
                val = ds.asstr()[()]
                got = [val] if obj.shape == () else list(np.asarray(val, dtype=object).reshape(-1))
                err = compare_strings(got, exp.get(obj))
            else:
                err = compare_numeric(as_array(ds[()], obj.dtype), exp.get(obj))
            if err:
                problems.append(f"{where}: {err}")
        for path, attrs in sc.attr_owners():
            if path and found.get(path) not in ("group", "dataset"):
                continue  # reported by compare_tree
            check_attrs_h5py(handles[path], owner_where(path), path, attrs, exp, problems)
    return problems


def check_attrs_h5py(h5obj, where: str, owner: str, attrs: list[Attr], exp: Expected,
                     problems: list[str]) -> None:
    names = list(h5obj.attrs)
    compare_attr_names(where, names, attrs, problems)
    for a in attrs:
        if a.name not in names:
            continue
        w = f"{where} attribute {a.name!r}"
        aid = h5obj.attrs.get_id(a.name)
        if aid.shape != a.shape:
            problems.append(f"{w}: shape {aid.shape}, expected {a.shape}")
            continue
        err = h5py_type_problem(aid.dtype, aid.get_type(), a.dtype)
        if err:
            problems.append(f"{w}: {err}")
            continue
        want = np_dtype(a.dtype)
        err = compare_attr_value(
            h5obj.attrs[a.name], a, exp.attr(owner, a), "h5py",
            lambda got: None if got == want else f"read back dtype {got!r}, expected {want!r}")
        if err:
            problems.append(f"{w}: {err}")


# ------------------------------------------------------------ pyfive check

# What pyfive 1.3.0 cannot read, as its own code says. A cell is n/a only when
# the manifest has the feature AND pyfive fails in the way cited.
PYFIVE_NA_ARRAY = (
    "pyfive cannot decode HDF5 array datatypes (class 10): pyfive/datatype_msg.py "
    "DatatypeMessage.determine_dtype raises NotImplementedError(\"Array datatype class "
    "not supported.\"), and _determine_dtype_compound parses compound messages of "
    "version 1 and 3 only, while libhdf5 writes version 2 when a member is an array")
PYFIVE_NA_ENUM_MEMBER = (
    "pyfive misreads a compound in which an enum (h5py's bool is an enum) is followed "
    "by another member: pyfive/datatype_msg.py DatatypeMessage._determine_dtype_enum "
    "computes nbytes = value_size * num_members but never adds it to self.offset, so "
    "the next member's datatype is parsed from the enum's member values")
PYFIVE_NA_COMPACT_VLEN = (
    "pyfive cannot read variable-length data in compact layout: pyfive/h5d.py "
    "DatasetID._read_compact_data is np.frombuffer(self._data, dtype=self.dtype) with "
    "no variable-length branch (unlike _get_contiguous_data), which raises ValueError "
    "for the object dtype")


PYFIVE_NA_MISSING_CHUNK = (
    "pyfive cannot read a chunked dataset in which some chunks were never written: "
    "pyfive/h5d.py DatasetID._get_required_chunks looks every chunk of the selection up "
    "with `storeinfo = self._index[chunk_coords]` (KeyError for a chunk that is not in "
    "the B-tree); get_data applies the fill value only when no chunk at all is allocated")
PYFIVE_NA_CHUNKED_VLEN = (
    "pyfive cannot read chunked variable-length strings that are filtered, partly "
    "written or in partial edge chunks: pyfive/misc_low_level.py "
    "get_vlen_string_data_from_chunk reads the chunk's raw bytes (`buf = fh.read(16 * "
    "count)`, no filter pipeline) and dereferences every heap ID of the chunk, NULL ones "
    "too (`GlobalHeap(fh, gheap_address)` for address 0 fails its GCOL assertion; "
    "get_vlen_string_data_contiguous skips address 0 and object index 0), and "
    "pyfive/h5d.py DatasetID._get_selection_via_chunks indexes `index[chunk_coords]` "
    "(KeyError for a chunk never written)")


def has_unwritten_chunk(obj: Obj) -> bool:
    """Whether some of a chunked dataset's elements were written while some
    chunk holds none of them (so a writer that allocates chunks as data
    arrives, like libhdf5, leaves it unallocated): written elements are rows
    [0, rows_written) of the first dimension."""
    if obj.chunks is None or obj.data is None or obj.size == 0:
        return False
    rows = obj.data.get("rows_written", obj.shape[0])
    return 0 < rows and -(-rows // obj.chunks[0]) < -(-obj.shape[0] // obj.chunks[0])


def pyfive_vlen_chunk_trouble(obj: Obj) -> bool:
    """A chunked vlen_str dataset pyfive cannot read (PYFIVE_NA_CHUNKED_VLEN):
    filtered, partial edge chunks, or written in part."""
    if obj.chunks is None or obj.dtype.kind != "vlen_str" or obj.size == 0 or obj.data is None:
        return False
    return (bool(obj.filters) or any(d % c for d, c in zip(obj.shape, obj.chunks))
            or written_count(obj.shape, obj.data) < obj.size)


def pyfive_value_na(obj: Obj, exc: Optional[BaseException]) -> Optional[str]:
    """The cited reason when pyfive's failure to read this chunked dataset's
    values (exc: what it raised; None: it returned wrong values) is a
    documented limitation."""
    if pyfive_vlen_chunk_trouble(obj):
        return PYFIVE_NA_CHUNKED_VLEN
    if isinstance(exc, KeyError) and has_unwritten_chunk(obj):
        return PYFIVE_NA_MISSING_CHUNK
    return None


def _enum_then_more(dt: DType) -> bool:
    """Whether, parsing dt depth-first, an enum or bool is followed by more."""
    def leaves(t: DType):
        if t.kind == "compound":
            for _, m in t.members:
                yield from leaves(m)
        elif t.kind == "array":
            yield from leaves(t.base)
        else:
            yield t
    kinds = [t.kind for t in leaves(dt)]
    return dt.kind == "compound" and any(k in ("enum", "bool") for k in kinds[:-1])


def pyfive_type_limited(dt: DType) -> Optional[str]:
    """The cited reason why pyfive cannot decode this datatype, if it can't."""
    if contains(dt, "array"):
        return PYFIVE_NA_ARRAY
    if _enum_then_more(dt):
        return PYFIVE_NA_ENUM_MEMBER
    return None


def pyfive_na_reason(obj_or_attr: Any, exc: Optional[BaseException]) -> Optional[str]:
    """The cited reason when pyfive's failure on this object is a documented
    limitation; None when it is a real problem. exc None: pyfive returned no
    value or a wrong datatype."""
    dt = obj_or_attr.dtype
    reason = pyfive_type_limited(dt)
    if reason and (exc is None or isinstance(exc, NotImplementedError)):
        return reason
    if (getattr(obj_or_attr, "layout", None) == "compact" and dt.kind == "vlen_str"
            and isinstance(exc, ValueError)):
        return PYFIVE_NA_COMPACT_VLEN
    return None


def walk_pyfive(f, max_depth: int):
    found: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    handles: dict[str, Any] = {"": f}
    stack = [("", f)]
    while stack:
        gpath, g = stack.pop()
        names = list(g)
        members[gpath] = names
        for name in names:
            path = f"{gpath}/{name}" if gpath else name
            try:
                obj = handles[path] = g[name]
            except Exception as e:  # judged by check_pyfive
                found[path], handles[path] = "unreadable object", e
                continue
            if isinstance(obj, pyfive.Group):
                found[path] = "group"
                if path.count("/") < max_depth:
                    stack.append((path, obj))
            elif isinstance(obj, pyfive.Dataset):
                found[path] = "dataset"
            else:
                found[path] = type(obj).__name__
    return found, members, handles


def pyfive_strings(val: Any, obj: Obj) -> tuple[list[str], Optional[str]]:
    """pyfive returns vlen strings as UTF-8 *bytes* (a bare bytes object for a
    scalar, else an object array of bytes). An element never written (NULL
    heap reference) comes back as the int 0: accepted as '' only where the
    manifest says the element was never written."""
    items = [val] if obj.shape == () else list(np.asarray(val, dtype=object).reshape(-1))
    written = written_count(obj.shape, obj.data)
    out: list[str] = []
    for i, v in enumerate(items):
        if isinstance(v, bytes):
            try:
                out.append(v.decode("utf-8"))
            except UnicodeDecodeError as e:
                return out, f"element {i} is not valid UTF-8: {e}"
        elif isinstance(v, str):
            out.append(v)
        elif i >= written and isinstance(v, (int, np.integer)) and v == 0:
            out.append("")
        else:
            return out, f"element {i} reads as {_short(v)} ({type(v).__name__}), expected a string"
    return out, None


def pyfive_type_problem(dt: DType, got: "np.dtype", check_meta: bool = True) -> Optional[str]:
    """The dtype pyfive must report. pyfive maps bool to its HDF5 form, an
    enum over int8 (FALSE=0, TRUE=1); it reads no string character set
    (DatatypeMessage._determine_dtype_string: fixed strings are S<N> 'ascii'
    whatever the file says), so fixed_utf8 is checked for its length only.
    check_meta=False for numpy scalars, which carry no enum metadata."""
    k = dt.kind
    if k == "vlen_str":
        meta = got.metadata or {}
        if got.kind != "O" or meta.get("vlen") is not str or meta.get("h5py_encoding") != "utf-8":
            return f"dtype {got!r} metadata {meta}, expected variable-length UTF-8 string"
    elif k == "num":
        want = np_dtype(dt)
        if got != want or got.metadata:
            return f"dtype {got!r}, expected {want!r}"
    elif k in ("bool", "enum"):
        base = np.dtype("i1") if k == "bool" else np.dtype(NUMERIC_DTYPES[dt.name])
        want_map = {"FALSE": 0, "TRUE": 1} if k == "bool" else dict(dt.members)
        if got != base:
            return f"dtype {got!r}, expected {base!r} (an enum {want_map})"
        if check_meta:
            meta = (got.metadata or {}).get("enum")
            got_map = {n: int(v) for n, v in meta.items()} if meta is not None else None
            if got_map != want_map:
                return f"enum mapping {got_map}, expected {want_map}"
    elif k == "fixed":
        if got.kind != "S" or got.itemsize != dt.length:
            return f"dtype {got!r}, expected S{dt.length}"
    elif k == "compound":
        names = [n for n, _ in dt.members]
        if got.names is None or list(got.names) != names:
            return f"compound members {got.names}, expected {names}"
        off = 0
        for n, m in dt.members:
            fdt, foff = got.fields[n][:2]
            if foff != off:
                return f"member {n!r} at offset {foff}, expected {off}"
            err = pyfive_type_problem(m, fdt, check_meta)
            if err:
                return f"member {n!r}: {err}"
            off += np_dtype(m).itemsize
        if got.itemsize != off:
            return f"compound of {got.itemsize} bytes, expected {off}"
    elif k == "array":
        if got.subdtype is None or got.subdtype[1] != dt.dims:
            return f"dtype {got!r}, expected an array {list(dt.dims)}"
        return pyfive_type_problem(dt.base, got.subdtype[0], check_meta)
    return None


def pyfive_fill_problem(ds, obj: Obj) -> Optional[str]:
    """pyfive exposes the fill value (0 when none is defined), not whether it
    is user-defined or the library default."""
    fv = ds.fillvalue
    if type(fv) is int and fv == 0:  # DataObjects.fillvalue: none defined
        return None if obj.fill is None else f"no fill value defined, expected {obj.fill!r}"
    got = as_array(fv, obj.dtype)
    err = compare_bytes(got, expected_fill(obj.dtype, obj.fill))
    return f"fill value: {err}" if err else None


def check_pyfive(sc: Scenario, exp: Expected) -> list[str]:
    problems: list[str] = []
    na = links_check.not_applicable(sc, "pyfive")
    if na:
        return [NA("the file's links", na)]
    max_depth = max([o.path.count("/") for o in sc.objects], default=0) + 2
    with warnings.catch_warnings():
        # pyfive warns "Attribute X type not implemented, set to None." for
        # types it cannot read; the None is judged below.
        warnings.simplefilter("ignore")
        with pyfive.File(sc.file) as f:
            found, members, handles = walk_pyfive(f, max_depth)
            skip: set[str] = set()
            for obj in sc.objects:
                h = handles.get(obj.path)
                if not isinstance(h, Exception):
                    continue
                reason = pyfive_na_reason(obj, h) if obj.kind == "dataset" else None
                if reason:
                    found[obj.path] = obj.kind
                    problems.append(NA(f"dataset {obj.path!r} and its attributes (raised "
                                       f"{type(h).__name__}: {h})", reason))
                else:
                    problems.append(f"cannot open {obj.path!r}: {type(h).__name__}: {h}")
                skip.add(obj.path)
            compare_tree(sc, found, members, problems, "pyfive")
            for obj in sc.datasets():
                if found.get(obj.path) != "dataset" or obj.path in skip:
                    continue
                check_dataset_pyfive(handles[obj.path], obj, exp, problems)
            for path, attrs in sc.attr_owners():
                if path and (found.get(path) not in ("group", "dataset") or path in skip):
                    continue
                check_attrs_pyfive(handles[path], owner_where(path), path, attrs, exp, problems)
    return problems


def check_dataset_pyfive(ds, obj: Obj, exp: Expected, problems: list[str]) -> None:
    where = f"dataset {obj.path!r}"
    try:
        if tuple(ds.shape) != obj.shape:
            problems.append(f"{where}: shape {tuple(ds.shape)}, expected {obj.shape}")
            return
        err = pyfive_type_problem(obj.dtype, ds.dtype)
        if err:
            reason = pyfive_na_reason(obj, None)
            problems.append(NA(f"{where} (pyfive reports: {err})", reason) if reason
                            else f"{where}: {err}")
            return
        if obj.dtype.kind != "vlen_str":
            err = pyfive_fill_problem(ds, obj)
            if err:
                problems.append(f"{where}: {err}")
        problems += [f"{where}: {p}" for p in storage_problems(
            {k: getattr(ds, k) for k in expected_storage(obj)}, obj)]
    except Exception as e:
        reason = pyfive_na_reason(obj, e)
        if not reason:
            raise
        problems.append(NA(f"{where} (raised {type(e).__name__}: {e})", reason))
        return
    try:
        val = ds[()]
    except Exception as e:
        reason = pyfive_na_reason(obj, e) or pyfive_value_na(obj, e)
        if not reason:
            raise
        problems.append(NA(f"{where} (raised {type(e).__name__}: {e})", reason))
        return
    if obj.dtype.kind == "vlen_str":
        got, err = pyfive_strings(val, obj)
        err = err or compare_strings(got, exp.get(obj))
    else:
        got = as_array(val, obj.dtype)
        if obj.dtype.kind == "fixed" and obj.fill is None:
            got = pyfive_unwritten_fixed(got, obj)
        err = compare_bytes(got, exp.get(obj))
    if err and pyfive_value_na(obj, None):
        problems.append(NA(f"{where} (pyfive reads: {err})", pyfive_value_na(obj, None)))
    elif err:
        problems.append(f"{where}: {err}")


def pyfive_unwritten_fixed(got: "np.ndarray", obj: Obj) -> "np.ndarray":
    """pyfive reads a fixed-string dataset without storage as b'0' per element:
    h5d.DatasetID.get_data returns np.full(shape, fillvalue, dtype=S<N>) and
    DataObjects.fillvalue is the int 0 when no fill value is defined, which
    numpy turns into the string '0'. Accepted as b'' at the elements the
    manifest says were never written (h5py checks the file's real bytes)."""
    written = written_count(obj.shape, obj.data)
    flat = got.reshape(-1).copy()
    tail = flat[written:]
    tail[tail == b"0"] = b""
    flat[written:] = tail
    return flat.reshape(got.shape)


def check_attrs_pyfive(h, where: str, owner: str, attrs: list[Attr], exp: Expected,
                       problems: list[str]) -> None:
    got_attrs = h.attrs
    names = list(got_attrs)
    compare_attr_names(where, names, attrs, problems)
    for a in attrs:
        if a.name not in names:
            continue
        w = f"{where} attribute {a.name!r}"
        val = got_attrs[a.name]
        if val is None:  # pyfive: "Attribute X type not implemented, set to None."
            reason = pyfive_na_reason(a, None)
            problems.append(NA(f"{w} (read as None)", reason) if reason else
                            f"{w}: pyfive cannot read its datatype (returns None)")
            continue
        scalar = a.shape == ()
        type_err: list[str] = []

        def type_problem(got, a=a, scalar=scalar):
            err = pyfive_type_problem(a.dtype, got, check_meta=not scalar)
            if err:
                type_err.append(err)
            return err
        err = compare_attr_value(val, a, exp.attr(owner, a), "pyfive", type_problem)
        if err and type_err and pyfive_na_reason(a, None):
            problems.append(NA(f"{w} (pyfive reports: {err})", pyfive_na_reason(a, None)))
        elif err:
            problems.append(f"{w}: {err}")


# ------------------------------------------------------------ JS readers
#
# HOOK for the JavaScript readers (jsfive, h5wasm), which another engineer is
# adding in tests/oracle/js/ with the Python adapter module
# tests/oracle/js_readers.py. check_scenario() calls check_js() for every
# scenario. It is a no-op -- no "js" column, nothing fails -- while that
# module is absent or does not yet define the entry point
#
#     js_readers.check_scenario(sc: Scenario, exp: Expected) -> list[str]
#
# Once it does, check_js() runs it inside run_guarded (timeout; an exception
# is a failure), missing_oracles() adds js_readers.missing() (if defined) to
# the missing oracles (exit status 3), and the result is printed as the "js"
# column after pyfive:
# [] = "js ok", problems = "js FAIL", only check.NA(...) notes = "js n/a",
# None = "js off". Expected values: exp.get(obj) / exp.attr(owner, attr);
# the parsed manifest: sc (Scenario, Obj, Attr, DType above).

JS_ENTRY = "check_scenario"
NO_JS = object()
_UNLOADED = object()
_JS: Any = _UNLOADED


def js_module():
    """The js_readers module if it defines JS_ENTRY; None if it is absent,
    does not (yet), or H5SINK_ORACLE_NO_JS=1 (selftest.py sets it: it judges
    only the four checks above); the exception if importing it failed."""
    global _JS
    if _JS is _UNLOADED:
        if os.environ.get("H5SINK_ORACLE_NO_JS") == "1":
            _JS = None
            return _JS
        try:
            import js_readers  # tests/oracle/js_readers.py
            _JS = js_readers if callable(getattr(js_readers, JS_ENTRY, None)) else None
        except ModuleNotFoundError as e:
            _JS = None if e.name == "js_readers" else e
        except Exception as e:
            _JS = e
    return _JS


def check_js(sc: Scenario, exp: Expected):
    """The per-scenario JS readers check, or NO_JS (no column)."""
    mod = js_module()
    if mod is None:
        return NO_JS
    if isinstance(mod, Exception):
        return [f"cannot import js_readers: {type(mod).__name__}: {mod}"]
    return run_guarded(getattr(mod, JS_ENTRY), sc, exp)


# ----------------------------------------------------------- h5dump, twins


# h5dump -p prints, per contiguous dataset,
#     STORAGE_LAYOUT {
#        CONTIGUOUS
#        SIZE 48
#        OFFSET 2432
#     }
# and OFFSET is the file address of the raw data (H5Dget_offset), or
# 18446744073709551615 (HADDR_UNDEF) when no storage was allocated. That is
# the only file address that `h5dump -p` (with or without -H) prints for the
# object kinds h5sink writes: groups, datasets, datatypes, fill values, filters
# and data values carry no addresses (object references would, but h5sink
# writes none). A chunked dataset prints no address:
#     STORAGE_LAYOUT {
#        CHUNKED ( 3, 2 )
#        SIZE 216                            <- no filters: the bytes stored
#     }
#     FILTERS {
#        NONE
#     }
# and with any filter SIZE carries the ratio of the dataspace's logical size
# to the bytes stored, `SIZE 210 (1.333:1 COMPRESSION)` (printed for shuffle
# and fletcher32 alone too; `SIZE 0 (0.000:1 COMPRESSION)` when no chunk is
# allocated), followed by the pipeline in order:
#     FILTERS {
#        PREPROCESSING SHUFFLE
#        COMPRESSION DEFLATE { LEVEL 4 }
#        CHECKSUM FLETCHER32
#     }
# These SIZE lines are the only text that depends on compressed bytes: h5sink
# deflates with miniz_oxide, libhdf5 with zlib, and both are valid streams of
# different lengths. Shuffle and fletcher32 are deterministic, so their sizes
# are the same bytes in both files. So the normalisation is exactly:
#   1. drop the first line, `HDF5 "<path>" {`, which names the file;
#   2. inside a STORAGE_LAYOUT block, replace the number after OFFSET by
#      <address>. Whether storage is allocated stays visible through SIZE;
#   3. for a dataset whose FILTERS block lists COMPRESSION DEFLATE, its
#      STORAGE_LAYOUT line `SIZE <n> (<r>:1 COMPRESSION)` with n > 0 becomes
#      `SIZE <stored> (<ratio>:1 COMPRESSION)`: the words stay, n = 0 stays
#      exact (allocated or not is still compared), and so does SIZE of every
#      dataset without deflate. What the masked number no longer shows --
#      which chunks are allocated, their filter masks -- twin_storage_problems
#      compares chunk by chunk instead, with the readers' decompressed values
#      checking the streams themselves.
# Everything else -- datatypes, dataspaces (maxshape included), chunk shape,
# filters and their parameters, fill value properties, allocation time, data
# -- must match h5py's file exactly.
_OFFSET_RE = re.compile(r"^(\s*OFFSET )\d+$")
_RATIO_SIZE_RE = re.compile(r"^(\s*SIZE )(\d+)( \()([^\s:]+)(:1 COMPRESSION\))$")


def normalise_dump(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[0].startswith('HDF5 "'):
        lines = lines[1:]
    out: list[str] = []
    block = None  # "layout" | "filters" while inside such a block
    size_at = None  # index in out of this dataset's non-zero SIZE line with a ratio
    for line in lines:
        s = line.strip()
        if s == "STORAGE_LAYOUT {":
            block, size_at = "layout", None
        elif s == "FILTERS {":
            block = "filters"
        elif block and s == "}":
            if block == "filters":
                size_at = None
            block = None
        elif block == "layout":
            line = _OFFSET_RE.sub(r"\1<address>", line)
            m = _RATIO_SIZE_RE.match(line)
            if m and m.group(2) != "0":
                size_at = len(out)
        elif block == "filters" and s.startswith("COMPRESSION DEFLATE") and size_at is not None:
            out[size_at] = _RATIO_SIZE_RE.sub(r"\1<stored>\3<ratio>\5", out[size_at])
            size_at = None
        out.append(line)
    return out


@dataclass
class Dump:
    """The h5dump runs over one file (one in text mode, up to three in binary
    mode), started in the background, output captured in workdir."""

    file: str
    binary: bool
    workdir: str
    tag: str  # distinguishes this dump's files in workdir
    procs: list = field(default_factory=list)  # (label, Popen, out_path, err_path)
    outputs: dict = field(default_factory=dict)  # label -> stdout text

    def start(self, string_paths: list[str], data_paths: list[str]) -> "Dump":
        """string_paths: the vlen_str datasets; data_paths: all others."""
        tag = self.tag
        if self.binary:
            # Big files. -p -A: all headers and properties plus attribute
            # values, but no dataset data. -b FILE: the data of the listed
            # datasets as raw bytes in the file's own element format,
            # concatenated (its stdout, headers without attributes, is not
            # compared). FILE, not LE: h5dump 1.10.8's `-b LE` silently writes
            # nothing for f16, bool, enum, compound and fixed-string data.
            # h5dump's binary mode cannot do variable-length strings (`-b FILE`
            # even segfaults on them): dump those datasets as text.
            self._spawn("header", ["-p", "-A"], tag + "h")
            if data_paths:
                sel = [a for p in data_paths for a in ("-d", "/" + p)]
                self._spawn("data", ["-b", "FILE", *sel, "-o", self.bin_path(tag)], tag + "b")
            if string_paths:
                sel = [a for p in string_paths for a in ("-d", "/" + p)]
                self._spawn("strings", ["-p", *sel], tag + "s")
        else:
            self._spawn("text", ["-p"], tag + "t")
        return self

    def bin_path(self, tag: str) -> str:
        return os.path.join(self.workdir, f"{tag}.bin")

    def _spawn(self, label: str, args: list[str], tag: str) -> None:
        out = os.path.join(self.workdir, f"{tag}.out")
        err = os.path.join(self.workdir, f"{tag}.err")
        with open(out, "wb") as fo, open(err, "wb") as fe:
            p = subprocess.Popen(["h5dump", *args, self.file], stdout=fo, stderr=fe,
                                 stdin=subprocess.DEVNULL)
        self.procs.append((label, p, out, err))

    def finish(self) -> list[str]:
        """Waits; returns problems (non-zero exit, stderr output, timeout)."""
        problems = []
        for label, p, out, err in self.procs:
            try:
                rc = p.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                problems.append(f"h5dump ({label}) timed out after {TIMEOUT}s")
                continue
            with open(err, "rb") as fh:
                stderr = fh.read().decode("utf-8", "replace").strip()
            if rc != 0 or stderr:
                problems.append(f"h5dump ({label}) exit status {rc}"
                                + (f", stderr: {_short(stderr, 400)}" if stderr else ""))
            with open(out, "rb") as fh:
                self.outputs[label] = fh.read().decode("utf-8", "surrogateescape")
        return problems

    def binary_data(self) -> bytes:
        try:
            with open(self.bin_path(self.tag), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            return b""


def twin_attr(h5obj, a: Attr, val: Any) -> None:
    """Writes one attribute as a user would: `attrs[name] = value` where h5py
    infers the exact type from the value (a Python str or list of str for
    vlen strings, a numpy array of the exact dtype -- 0-d for a scalar --
    otherwise), `attrs.create(name, data, shape=, dtype=)` where the type
    needs h5py metadata (enum, fixed UTF-8) or cannot be inferred (empty
    arrays, vlen strings of rank > 1)."""
    dt = a.dtype
    if dt.kind == "vlen_str":
        if a.shape == ():
            h5obj.attrs[a.name] = val[0]
        elif len(a.shape) == 1 and a.size:
            h5obj.attrs[a.name] = list(val)
        else:
            h5obj.attrs.create(a.name, np.array(val, dtype=object).reshape(a.shape),
                               shape=a.shape, dtype=h5py.string_dtype("utf-8"))
    elif dt.kind == "enum" or (dt.kind == "fixed" and dt.encoding == "utf-8") or a.size == 0:
        h5obj.attrs.create(a.name, val, shape=a.shape, dtype=np_dtype(dt))
    else:
        h5obj.attrs[a.name] = val


def build_twin(sc: Scenario, twin_path: str, exp: Expected) -> None:
    """Writes the manifest's content with h5py as a user would, objects in
    manifest order, each object's attributes right after it (root attributes
    first): create_dataset with the shape and dtype, `fillvalue=` for a
    "fill", a dataset creation property list with set_layout(COMPACT) passed
    as `dcpl=` for "layout": "compact", for "chunks" `chunks=`, `maxshape=`
    and the filters (`shuffle=True`, `compression='gzip',
    compression_opts=level`, `fletcher32=True`), otherwise h5py's defaults
    (contiguous, no chunking, compression or fill value). A dataset that was
    grown (resize / append) is created at its final shape: the same file
    content."""
    os.makedirs(os.path.dirname(twin_path), exist_ok=True)
    with h5py.File(twin_path, "w") as f:
        for a in sc.root_attrs:
            twin_attr(f, a, exp.attr("", a))
        for obj in sc.objects:
            if obj.kind == "group":
                g = f.create_group(obj.path)
                for a in obj.attrs:
                    twin_attr(g, a, exp.attr(obj.path, a))
                continue
            is_str = obj.dtype.kind == "vlen_str"
            kw: dict[str, Any] = {}
            if obj.fill is not None:
                kw["fillvalue"] = expected_fill(obj.dtype, obj.fill)
            if obj.layout == "compact":
                # A fresh list per dataset: h5py sets the fill value on the
                # list it is given, in place.
                dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
                dcpl.set_layout(h5py.h5d.COMPACT)
                kw["dcpl"] = dcpl
            if obj.chunks is not None:
                # maxshape= only with chunks: h5py chooses a chunk shape
                # itself when it gets maxshape (or a filter) without one.
                kw["chunks"], kw["maxshape"] = obj.chunks, obj.maxshape
                if "shuffle" in obj.filters:
                    kw["shuffle"] = True
                if "deflate" in obj.filters:
                    kw["compression"], kw["compression_opts"] = "gzip", obj.filters["deflate"]
                if "fletcher32" in obj.filters:
                    kw["fletcher32"] = True
            ds = f.create_dataset(obj.path, shape=obj.shape, dtype=np_dtype(obj.dtype), **kw)
            if obj.data is not None and obj.size > 0:
                val = exp.get(obj)
                if is_str:
                    val = np.array(val, dtype=object).reshape(obj.shape)
                if obj.shape == ():
                    # A 0-d array keeps the dtype's h5py metadata (fixed
                    # UTF-8: h5py cannot convert ASCII S<N> into it).
                    ds[()] = val[()] if is_str else val
                elif "rows_written" in obj.data:
                    n = obj.data["rows_written"]
                    ds[:n] = val[:n]
                else:
                    ds[...] = val
            for a in obj.attrs:
                twin_attr(ds, a, exp.attr(obj.path, a))
        links_check.twin(sc, f, h5py)


_HUNK_RE = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@$")


def unified_diff(a: list[str], b: list[str], la: str, lb: str) -> list[str]:
    """Unified diff that stays fast on dumps of millions of lines: the common
    prefix and suffix are trimmed (keeping 3 lines of context) and each side of
    the remaining middle is capped before difflib sees it. Hunk line numbers
    count lines of the normalised dump (whose first line was dropped)."""
    cap = 4000
    lo = 0
    while lo < min(len(a), len(b)) and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < min(len(a), len(b)) - lo and a[-1 - hi] == b[-1 - hi]:
        hi += 1
    start = max(0, lo - 3)
    ma, mb = a[start:len(a) - max(0, hi - 3)], b[start:len(b) - max(0, hi - 3)]
    note = []
    if len(ma) > cap or len(mb) > cap:
        ma, mb = ma[:cap], mb[:cap]
        note = [f"(diff truncated after {cap} lines of the differing region)"]
    out = []
    for line in difflib.unified_diff(ma, mb, la, lb, lineterm="", n=3):
        m = _HUNK_RE.match(line)
        if m:  # difflib numbers lines within the slices; shift to the dumps
            line = (f"@@ -{int(m.group(1)) + start}{m.group(2) or ''} "
                    f"+{int(m.group(3)) + start}{m.group(4) or ''} @@")
        out.append(line)
    return out + note


def pipeline(dcpl) -> list[tuple]:
    """A dataset's filter pipeline: (filter id, flags, client data) each."""
    out = []
    for i in range(dcpl.get_nfilters()):
        code, flags, values = dcpl.get_filter(i)[:3]
        out.append((int(code), int(flags), tuple(int(v) for v in values)))
    return out


def chunk_map(dsid) -> dict[tuple, tuple[int, int]]:
    """The allocated chunks: logical offset -> (filter mask, stored bytes)."""
    out: dict[tuple, tuple[int, int]] = {}
    if dsid.get_storage_size() == 0:
        return out
    if hasattr(dsid, "chunk_iter"):  # one pass over the chunk index
        dsid.chunk_iter(lambda c: out.__setitem__(tuple(c.chunk_offset), (c.filter_mask, c.size)))
    else:
        for i in range(dsid.get_num_chunks()):
            c = dsid.get_chunk_info(i)
            out[tuple(c.chunk_offset)] = (c.filter_mask, c.size)
    return out


def twin_storage_problems(sc: Scenario, twin_path: str) -> list[str]:
    """What `h5dump -p` does not print about the manifest's chunked
    datasets, compared with the twin through h5py: each filter's flags
    (optional or mandatory) and client data (shuffle's element size, the
    deflate level), the set of allocated chunks, each chunk's filter mask and
    -- unless the pipeline deflates, see normalise_dump -- its stored size.
    (A layout other than the manifest's shows in the dumps.)"""
    problems: list[str] = []
    chunked = [o for o in sc.datasets() if o.chunks is not None]
    if not chunked:
        return problems
    with h5py.File(sc.file, "r") as fa, h5py.File(twin_path, "r") as fb:
        for obj in chunked:
            a = fa.get(obj.path) if obj.path in fa else None
            b = fb.get(obj.path) if obj.path in fb else None
            if not (isinstance(a, h5py.Dataset) and isinstance(b, h5py.Dataset)):
                continue  # the h5py check reports it
            pa, pb = a.id.get_create_plist(), b.id.get_create_plist()
            if pa.get_layout() != h5py.h5d.CHUNKED or pb.get_layout() != h5py.h5d.CHUNKED:
                continue  # the dumps differ, or neither is chunked
            where = f"dataset {obj.path!r}"
            fa_, fb_ = pipeline(pa), pipeline(pb)
            if fa_ != fb_:
                problems.append(f"{where}: filter pipeline (id, flags, client data) {fa_}, "
                                f"twin {fb_}")
            deflate = any(f[0] == H5Z_IDS["deflate"] for f in fa_ + fb_)
            ma, mb = chunk_map(a.id), chunk_map(b.id)
            if set(ma) != set(mb):
                only_a, only_b = sorted(set(ma) - set(mb)), sorted(set(mb) - set(ma))
                problems.append(f"{where}: {len(ma)} chunks allocated, the twin {len(mb)}; "
                                f"only in the file: {only_a[:5]}{' ...' if len(only_a) > 5 else ''}, "
                                f"only in the twin: {only_b[:5]}{' ...' if len(only_b) > 5 else ''}")
            what = "filter mask" if deflate else "(filter mask, stored bytes)"
            pick = (lambda v: v[0]) if deflate else (lambda v: v)
            bad = [k for k in sorted(set(ma) & set(mb)) if pick(ma[k]) != pick(mb[k])]
            if bad:
                k = bad[0]
                problems.append(f"{where}: {len(bad)} chunks differ in {what}; first at "
                                f"{k}: {pick(ma[k])}, twin {pick(mb[k])}")
    return problems


def check_h5dump_and_twin(sc: Scenario, file_dump: Dump, twin_dump: Optional[Dump], twin_err: Optional[str],
                          twin_dir: str, twin_path: str = ""):
    """Collects both h5dump runs; returns (h5dump problems, twin problems)."""
    dump_problems = file_dump.finish()
    if twin_dump is None:
        if twin_err:
            return dump_problems, [twin_err]
        return dump_problems, None
    twin_problems = [f"twin: {p}" for p in twin_dump.finish()]
    if dump_problems:
        twin_problems.append("cannot compare: h5dump failed on the file")
    if twin_problems:
        return dump_problems, twin_problems
    la, lb = f"h5sink/{sc.rel_file}", f"h5py-twin/{sc.rel_file}"
    diff: list[str] = []
    for label in file_dump.outputs:
        if label == "data":
            continue  # compared as binary below
        a = normalise_dump(file_dump.outputs[label])
        b = normalise_dump(twin_dump.outputs.get(label, ""))
        if a != b:
            diff += unified_diff(a, b, f"{la} ({label})", f"{lb} ({label})")
    if file_dump.binary:
        da, db = file_dump.binary_data(), twin_dump.binary_data()
        if da != db:
            n = min(len(da), len(db))
            first = next((i for i in range(0, n, 1 << 20) if da[i:i + (1 << 20)] != db[i:i + (1 << 20)]), n)
            while first < n and da[first] == db[first]:
                first += 1
            twin_problems.append(f"h5dump -b data differ: {len(da)} vs {len(db)} bytes, "
                                 f"first difference at byte {first}")
    twin_problems += run_guarded(twin_storage_problems, sc, twin_path)
    if diff:
        diff_path = os.path.join(twin_dir, sc.rel_file + ".diff")
        with open(diff_path, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write("\n".join(diff) + "\n")
        twin_problems.append(f"normalised h5dump -p output differs from the h5py twin "
                             f"(full diff: {diff_path}):")
        shown = diff[:MAX_DIFF_PRINT]
        twin_problems += ["  " + line for line in shown]
        if len(diff) > len(shown):
            twin_problems.append(f"  ... {len(diff) - len(shown)} more diff lines")
    return dump_problems, twin_problems


# ------------------------------------------------------------------ driver


def _on_alarm(signum, frame):
    raise CheckTimeout()


def run_guarded(fn, *args) -> list[str]:
    """Runs one in-process check; any exception becomes a failure reason."""
    signal.alarm(TIMEOUT)
    try:
        return fn(*args)
    except CheckTimeout:
        return [f"timed out after {TIMEOUT}s"]
    except Exception as e:
        return [f"{type(e).__name__}: {e}"]
    finally:
        signal.alarm(0)


def check_scenario(sc: Scenario, dirpath: str) -> dict[str, Optional[list[str]]]:
    """Returns check name -> problems ([] = ok, None = not run; NA items
    are not-applicable notes)."""
    if not os.path.isfile(sc.file):
        reason = [f"file not found: {sc.file}"]
        res = {"h5py": reason, "pyfive": reason}
        if js_module() is not None:
            res["js"] = reason
        return {**res, "h5dump": reason, "twin": reason if sc.twin else None}
    exp = Expected()
    twin_dir = os.path.join(dirpath, "twins")
    binary = sum(o.size for o in sc.datasets()) > TEXT_LIMIT
    string_paths = [o.path for o in sc.datasets() if o.dtype.kind == "vlen_str"]
    data_paths = [o.path for o in sc.datasets() if o.dtype.kind != "vlen_str"]
    with tempfile.TemporaryDirectory(prefix="h5sink-oracle-") as work:
        # h5dump runs in the background while the in-process checks run.
        file_dump = Dump(sc.file, binary, work, "file").start(string_paths, data_paths)
        twin_dump, twin_err = None, None
        if sc.twin:
            twin_path = os.path.join(twin_dir, sc.rel_file)
            try:
                build_twin(sc, twin_path, exp)
                twin_dump = Dump(twin_path, binary, work, "twin").start(string_paths, data_paths)
            except Exception as e:
                twin_err = f"h5py could not write the twin: {type(e).__name__}: {e}"
        res: dict[str, Optional[list[str]]] = {}
        res["h5py"] = run_guarded(check_h5py, sc, exp)
        res["pyfive"] = run_guarded(check_pyfive, sc, exp)
        # HOOK: the JavaScript readers' per-scenario check (no-op until
        # tests/oracle/js_readers.py exists; see check_js).
        js = check_js(sc, exp)
        if js is not NO_JS:
            res["js"] = js
        res["h5dump"], res["twin"] = check_h5dump_and_twin(
            sc, file_dump, twin_dump, twin_err, twin_dir,
            os.path.join(twin_dir, sc.rel_file))
    return res


def na_lines(check: str, notes: list) -> list[str]:
    """One line per distinct reason: `CHECK n/a (REASON): what; what; ...`."""
    by_reason: dict[Optional[str], list[str]] = {}
    for n in notes:
        reason = getattr(n, "reason", None)
        by_reason.setdefault(reason, []).append(getattr(n, "what", n) if reason else n)
    out = []
    for reason, whats in by_reason.items():
        shown = "; ".join(whats[:MAX_REASONS])
        more = f"; ... and {len(whats) - MAX_REASONS} more" if len(whats) > MAX_REASONS else ""
        if reason:
            out.append(f"    {check} n/a ({reason}): {shown}{more}")
        else:
            out += [f"    {check} n/a: {w}" for w in whats[:MAX_REASONS]]
    return out


def missing_oracles() -> list[str]:
    missing = [f"{m} (python3 cannot import it: {err})" for m, err in _IMPORT_ERRORS.items()]
    if shutil.which("h5dump") is None:
        missing.append("h5dump (not on PATH; Debian package hdf5-tools)")
    # HOOK (JS readers): what js_readers.missing() reports (node, npm packages).
    js = js_module()
    if js is not None and not isinstance(js, Exception) and callable(getattr(js, "missing", None)):
        missing += js.missing()
    return missing


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", help="directory holding the scenario manifests (*.json)")
    ap.add_argument("--only", action="append", metavar="NAME",
                    help="check only the named scenario (repeatable)")
    args = ap.parse_args(argv)
    sys.stdout.reconfigure(errors="backslashreplace")

    missing = missing_oracles()
    if missing:
        for m in missing:
            print(f"missing oracle: {m}")
        print("install them with scripts/test.sh (pip: h5py numpy pyfive; apt: hdf5-tools)")
        return EXIT_MISSING
    if not os.path.isdir(args.dir):
        print(f"not a directory: {args.dir}")
        return EXIT_USAGE
    signal.signal(signal.SIGALRM, _on_alarm)

    manifests = sorted(os.path.join(args.dir, n) for n in os.listdir(args.dir)
                       if n.endswith(".json"))
    loaded: list[tuple[str, Any]] = []  # (name, Scenario | ManifestError)
    for path in manifests:
        try:
            sc = load_manifest(path)
            loaded.append((sc.name, sc))
        except ManifestError as e:
            loaded.append((os.path.basename(path)[:-5], e))
    if args.only:
        unknown = set(args.only) - {n for n, _ in loaded}
        if unknown:
            print(f"no such scenario: {', '.join(sorted(unknown))}")
            return EXIT_FAIL
        loaded = [(n, s) for n, s in loaded if n in args.only]

    width = min(40, max([len(n) for n, _ in loaded], default=0))
    passed = failed = 0
    seen: set[str] = set()
    for name, sc in loaded:
        if isinstance(sc, Scenario) and name in seen:
            sc = ManifestError(f"duplicate scenario name (again in {sc.manifest})")
        seen.add(name)
        if isinstance(sc, ManifestError):
            print(f"{name:<{width}}  manifest FAIL")
            print(f"    manifest: {sc}")
            failed += 1
            continue
        res = check_scenario(sc, args.dir)
        cols, reasons, any_fail = [], [], False
        for check, problems in res.items():
            if problems is None:
                cols.append(f"{check} off")
                continue
            fails = [p for p in problems if not isinstance(p, NA)]
            notes = [p for p in problems if isinstance(p, NA)]
            if fails:
                any_fail = True
                cols.append(f"{check} FAIL")
                shown = fails if check == "twin" else fails[:MAX_REASONS]
                reasons += [f"    {check}: {p}" for p in shown]
                if len(fails) > len(shown):
                    reasons.append(f"    {check}: ... and {len(fails) - len(shown)} more")
            else:
                cols.append(f"{check} n/a" if notes else f"{check} ok")
            reasons += na_lines(check, notes)
        print(f"{name:<{width}}  " + "  ".join(cols))
        for r in reasons:
            print(r)
        if any_fail:
            failed += 1
        else:
            passed += 1
        sys.stdout.flush()
    if not loaded:
        print(f"no scenario manifests (*.json) in {args.dir}")
    print(f"{passed} passed, {failed} failed")
    return EXIT_OK if failed == 0 and loaded else EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())
