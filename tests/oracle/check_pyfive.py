"""check.py's pyfive oracle: the same checks through pyfive, with the n/a
reasons pyfive 1.3.0's own code gives.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

import links_check
from check_base import NA, np, NUMERIC_DTYPES, pyfive
from check_dtypes import contains, DType, np_dtype
from check_manifest import Attr, Obj, Scenario
from check_expected import Expected, expected_fill, written_count
from check_compare import (
    _short, as_array, compare_attr_names, compare_attr_value, compare_bytes, compare_strings,
    compare_tree, owner_where,
)
from check_h5py import expected_storage, storage_problems


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
