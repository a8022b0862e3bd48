"""check.py's twin: h5py writes the manifest's content as a user would, and
the two files' h5dump output and chunk storage are compared.
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Any, Optional

import links_check
from check_base import h5py, MAX_DIFF_PRINT, np, run_guarded
from check_dtypes import np_dtype
from check_manifest import Attr, H5Z_IDS, Scenario
from check_expected import Expected, expected_fill
from check_dump import Dump, normalise_dump


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
