"""check.py's h5py oracle: walks the file and checks types, fill values,
storage, values and attributes through libhdf5.
"""

from __future__ import annotations

from typing import Any, Optional

import links_check
from check_base import h5py, np
from check_dtypes import DType, h5t_name, h5t_of, np_dtype
from check_manifest import Attr, H5Z_IDS, H5Z_NAMES, Obj, Scenario
from check_expected import Expected, expected_fill
from check_compare import (
    as_array, compare_attr_names, compare_attr_value, compare_bytes, compare_numeric,
    compare_strings, compare_tree, owner_where,
)


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
