"""Manifest loading for check.py: Attr, Obj, Scenario and load_manifest, which
validates every key, shape, storage option, attribute and data entry.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from typing import Any, Optional

import links_check
from check_base import _is_int, _keys, ManifestError, NA
from check_dtypes import _int_range, DType, parse_dtype, rampable


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
