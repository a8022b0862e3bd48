"""js_readers.py's check: one reader's view of a scenario against the
manifest (tree, datasets, fill values, attributes), with the n/a notes.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any, Callable, Optional

from js_readers_capabilities import DIM_LIMITS, np, READERS, UNSUPPORTED, VALUE_CAP
from js_readers_node import shared_server
from js_readers_specs import _get, _is_default, _written, canon, features, spec_of
from js_readers_values import _same, _short, compare_values, dtype_problem, expect_elem, got_elem


# ------------------------------------------------------------ the check


def check_js(reader: str, scenario_objects: list, expected: Callable[[Any], Any],
             result: dict, expected_attr: Optional[Callable[[str, Any], Any]] = None,
             root_attrs: Optional[list] = None) -> tuple[str, list[str]]:
    """Compares one reader's view of one file (run_js(...)[file][reader])
    with the manifest's objects (check.py's Obj list; dicts work too).

    expected(obj): a dataset's expected values (check.py's Expected.get: a
    numpy array, or a list of str for vlen strings). Attributes are compared
    for objects that have an `attrs` field (check.py's list of Attr, or a
    dict name -> spec), and for root_attrs when given: the exact set of
    names, then dtype, shape and value of each; expected_attr(owner path, or
    '' for the root, attr) gives the value (check.py's Expected.attr), else
    the spec's `value`.
    Returns (status, messages): "FAIL" with the problems (followed by any
    "n/a: ..." notes), else "n/a" with the skipped parts (UNSUPPORTED), else
    "ok" with no messages.
    """
    problems, skipped = compare(reader, scenario_objects, expected, result, expected_attr, root_attrs)
    if problems:
        return "FAIL", problems + [f"n/a: {x}" for x in skipped]
    if skipped:
        return "n/a", skipped
    return "ok", []


def compare(reader: str, scenario_objects: list, expected: Callable[[Any], Any], result: dict,
            expected_attr: Optional[Callable[[str, Any], Any]] = None,
            root_attrs: Optional[list] = None,
            want: Optional[dict] = None) -> tuple[list[str], list[str]]:
    """check_js's comparison: (problems, skipped-as-unsupported notes).
    want: root-relative path -> kind the walk should find (links included,
    links_check.expected); by default the objects' own."""
    if reader not in READERS:
        raise ValueError(f"unknown reader {reader!r}")
    problems: list[str] = []
    skipped: list[str] = []
    if not isinstance(result, dict):
        return [f"no result from {reader}"], []
    if "error" in result:
        return [f"cannot open the file: {result['error']}"], []
    found: dict = result.get("objects") or {}
    _compare_tree(scenario_objects, found, problems, want)
    if root_attrs is not None and "/" in found:
        _check_attrs(reader, "", root_attrs, found["/"], "root group", expected_attr, problems, skipped)
    for obj in scenario_objects:
        path = "/" + _get(obj, "path")
        got = found.get(path)
        if got is None or got.get("kind") != _get(obj, "kind"):
            continue  # reported by the tree comparison
        where = f"{_get(obj, 'kind')} {_get(obj, 'path')!r}"
        if _get(obj, "kind") == "dataset":
            _check_dataset(reader, obj, expected, got, where, problems, skipped)
        attrs = _get(obj, "attrs")
        if attrs is not None:
            _check_attrs(reader, _get(obj, "path"), attrs, got, where, expected_attr, problems, skipped)
    return problems, skipped


class _NA(str):
    """Stand-in for check.NA when check.py is not the caller."""


def check_scenario(sc: Any, exp: Any) -> list[str]:
    """check.py's hook (check_js): both readers on one scenario through the
    shared `read.mjs --serve` process (one Node process per check.py run).
    Returns [] when both agree with the manifest, else the problems, each
    prefixed with the reader's name; notes for what a reader cannot read
    (UNSUPPORTED) are check.NA instances, so a list of only those is "js n/a".
    Raises JsReadersMissing when node or the packages are missing."""
    na_cls = getattr(sys.modules.get(type(sc).__module__), "NA", None) or _NA
    entry = shared_server().read(sc.file)
    out: list[str] = []
    links = sys.modules.get("links_check")
    for reader in READERS:
        want = None
        if links is not None and getattr(sc, "links", None):
            na = links.not_applicable(sc, reader)
            if na:
                out.append(na_cls(f"{reader}: the file's links: {na}"))
                continue
            want = links.expected(sc, reader)[0]
        problems, skipped = compare(reader, sc.objects, exp.get, entry[reader],
                                    expected_attr=getattr(exp, "attr", None),
                                    root_attrs=getattr(sc, "root_attrs", None), want=want)
        out += [f"{reader}: {p}" for p in problems]
        out += [na_cls(f"{reader}: {x}") for x in skipped]
    return out


def _compare_tree(objs: list, found: dict, problems: list[str], kinds: Optional[dict] = None) -> None:
    if kinds is None:
        kinds = {_get(o, "path"): _get(o, "kind") for o in objs}
    want = {"/" + p: k for p, k in kinds.items()}
    want["/"] = "group"
    for p, kind in want.items():
        if p not in found:
            problems.append(f"missing {kind} {p[1:]!r}")
        elif found[p].get("kind") != kind:
            problems.append(f"{p[1:]!r} is a {found[p].get('kind')}, expected a {kind}")
    for p, o in found.items():
        if p not in want:
            problems.append(f"unexpected {o.get('kind')} {p[1:]!r}")
        if o.get("error"):
            problems.append(f"{p!r}: {o['error']}")
        if o.get("keys_error"):
            problems.append(f"group {p!r}: cannot list members: {o['keys_error']}")
        members = o.get("members")
        if isinstance(members, list) and len(set(members)) != len(members):
            dupes = sorted({m for m in members if members.count(m) > 1})
            problems.append(f"group {p!r} lists members more than once: {dupes[:5]}")


# Outermost first: a compound with array members fails on the compound.
FEATURE_ORDER = ["compact layout", "compound datatype", "array datatype", "f16",
                 "fill value of unallocated storage", "vlen strings in chunks never allocated"]


def _ordered(feats: set[str]) -> list[str]:
    return sorted(feats, key=lambda f: (FEATURE_ORDER.index(f) if f in FEATURE_ORDER else 99, f))


def _na(reader: str, feats: set[str], error: Optional[str]) -> Optional[str]:
    """The UNSUPPORTED entry that excuses this error, as a message."""
    for feat in _ordered(feats):
        entry = UNSUPPORTED.get((reader, feat))
        if entry and entry["error"] and error and re.search(entry["error"], error):
            said = "" if error.strip(" !.") in entry["cite"] else f"; its error: {error}"
            return f"{feat}: {reader} cannot ({entry['cite']}){said}"
    return None


def _check_dataset(reader: str, obj: Any, expected: Callable, got: dict, where: str,
                   problems: list[str], skipped: list[str]) -> None:
    shape = list(_get(obj, "shape"))
    try:
        exp_val = expected(obj)
        spec = spec_of(_get(obj, "dtype"), exp_val)
        exp = canon(spec, exp_val, VALUE_CAP)
    except Exception as e:
        problems.append(f"{where}: cannot derive the expected datatype/values: {type(e).__name__}: {e}")
        return
    feats = features(obj, spec, exp)
    if got.get("shape") != shape:
        # Dimensions past what the reader's numbers hold (REPRESENTATION /
        # DIM_LIMITS): compared as the reader must represent them.
        if reader == "jsfive" and any(d >= 2**32 for d in shape):
            skipped.append(f"{where}: {DIM_LIMITS['jsfive']}")
            return
        if (reader == "h5wasm" and any(d > 2**53 for d in shape)
                and [float(d) for d in got.get("shape") or []] == [float(d) for d in shape]):
            skipped.append(f"{where}: {DIM_LIMITS['h5wasm']}")
            return
        problems.append(f"{where}: shape {got.get('shape')}, expected {shape}"
                        + (f" ({got['shape_error']})" if got.get("shape_error") else ""))
        return
    if got.get("dtype_error") or got.get("dtype") is None:
        err = got.get("dtype_error") or "no dtype"
        na = _na(reader, feats, err)
        if na:
            skipped.append(f"{where}: {na}")
        else:
            problems.append(f"{where}: dtype unreadable: {err}")
        return
    p = dtype_problem(reader, spec, got["dtype"])
    if p:
        problems.append(f"{where}: {p}")
        return
    layout = _get(obj, "layout")
    want_chunks = _get(obj, "chunks", _NO_FIELD)
    if want_chunks is not _NO_FIELD:  # check.py's Obj: the chunk shape, None unless chunked
        want_chunks = None if want_chunks is None else [int(c) for c in want_chunks]
        if got.get("chunks_error"):
            problems.append(f"{where}: cannot read the chunk shape: {got['chunks_error']}")
        elif got.get("chunks") != want_chunks:
            problems.append(f"{where}: chunks {got.get('chunks')}, expected {want_chunks}")
    elif layout is not None and got.get("chunks") is not None:
        problems.append(f"{where}: chunked (chunks {got['chunks']}), expected layout {layout!r}")
    if reader == "jsfive" and "compact layout" in feats and got.get("value") is not None:
        problems.append(f"{where}: jsfive read the data, which it cannot for compact storage "
                        f"({UNSUPPORTED[('jsfive', 'compact layout')]['cite']}): not compact")
        return
    if reader == "jsfive":
        p = _jsfive_fill_problem(obj, spec, got)
        if p:
            problems.append(f"{where}: {p}")
    _check_value(reader, spec, exp, math.prod(shape), got, where, feats, _written(obj) == 0,
                 problems, skipped, written=_written(obj),
                 chunked=want_chunks is not _NO_FIELD and want_chunks is not None)


_NO_FILL_FIELD = object()
_NO_FIELD = object()


def _jsfive_fill_problem(obj: Any, spec: dict, got: dict) -> Optional[str]:
    """jsfive's Dataset.fillvalue (0 when the Fill Value message defines
    none) against the manifest's `fill` (numbers, bool, enum only; skipped
    for manifests without a fill field)."""
    fill = _get(obj, "fill", _NO_FILL_FIELD)
    if fill is _NO_FILL_FIELD or spec["kind"] not in ("int", "float", "bool", "enum"):
        return None
    if "fillvalue_error" in got:
        return None if fill is None else f"cannot read the fill value: {got['fillvalue_error']}"
    k = spec["kind"]
    npdt = ("?" if k == "bool" else f"<f{spec['size']}" if k == "float"
            else f"<{'i' if spec['signed'] else 'u'}{spec['size']}")
    want = expect_elem("jsfive", spec, canon(spec, np.array(0 if fill is None else fill, dtype=npdt))[0])
    try:
        g = got_elem(spec, got.get("fillvalue"))
    except ValueError as e:
        return f"fill value: {e}"
    if not _same(g, want):
        return (f"fill value {_short(got.get('fillvalue'))}, expected {_short(want)}"
                + ("" if fill is not None else " (no fill in the manifest: the default)"))
    return None


def _check_value(reader: str, spec: dict, exp: list, size: int, got: dict, where: str,
                 feats: set[str], never_written: bool, problems: list[str], skipped: list[str],
                 written: Optional[int] = None, chunked: bool = False) -> None:
    """exp: the first elements (VALUE_CAP at most) of the `size` expected.
    written: how many elements (row-major from the first) the manifest says
    were written; chunked: the manifest says chunked layout (jsfive leaves
    the elements of chunks never allocated undefined)."""
    val = got.get("value")
    if val is None:
        err = got.get("value_error") or "no value"
        na = _na(reader, feats, err)
        if na:
            skipped.append(f"{where}: {na}")
        else:
            problems.append(f"{where}: value unreadable: {err}")
        return
    holes = got.get("holes", 0)
    if reader == "jsfive" and size and ((val and holes == len(val)) or (val == [] and never_written)):
        # jsfive's answer for storage that was never allocated.
        if not never_written:
            problems.append(f"{where}: reads as unallocated storage ({len(val)} elements, "
                            f"{holes} undefined), but the manifest says it was written")
        elif "fill value of unallocated storage" in feats:
            skipped.append(f"{where}: fill value of unallocated storage: {reader} cannot "
                           f"({UNSUPPORTED[(reader, 'fill value of unallocated storage')]['cite']})")
        return
    chunk_holes = bool(holes) and reader == "jsfive" and chunked and written is not None
    if holes and not chunk_holes:
        problems.append(f"{where}: {holes} of {len(val)} elements read as undefined")
        return
    if got.get("value_truncated"):
        if not 0 < len(val) < size:
            problems.append(f"{where}: truncated value of {len(val)} elements for {size}")
            return
    elif len(val) != size:
        problems.append(f"{where}: read {len(val)} elements, expected {size}")
        return
    if len(val) > len(exp):
        problems.append(f"{where}: {len(val)} values printed, more than the cap {len(exp)}")
        return
    if chunk_holes:
        # Chunks never allocated (esm/btree.js construct_data_from_chunks):
        # only where nothing was written; their fill value goes unchecked
        # unless it is the default one.
        idx = [i for i, v in enumerate(val) if v is None]
        if idx[0] < written:
            early = [i for i in idx if i < written]
            problems.append(f"{where}: {len(early)} elements the manifest says were written read "
                            f"as undefined (no chunk); first at flat index {early[0]}")
            return
        if any(not _is_default(exp[i]) for i in idx):
            skipped.append(f"{where}: fill value of unallocated storage ({len(idx)} elements of "
                           f"chunks never allocated): {reader} cannot "
                           f"({UNSUPPORTED[(reader, 'fill value of unallocated storage')]['cite']})")
        # Not compared: each hole takes the expected value (as this reader
        # represents it), so that reported indices stay flat indices.
        val = list(val)
        for i in idx:
            val[i] = expect_elem(reader, spec, exp[i], got.get("dtype"))
    err = compare_values(reader, spec, exp, val, got.get("dtype"))
    if err:
        problems.append(f"{where}: {err}")


def _attr_list(attrs: Any) -> list[tuple[str, Any]]:
    if isinstance(attrs, dict):
        return list(attrs.items())
    return [(_get(a, "name"), a) for a in attrs]


def _check_attrs(reader: str, owner: str, attrs: Any, got: dict, where: str,
                 expected_attr: Optional[Callable], problems: list[str], skipped: list[str]) -> None:
    want = _attr_list(attrs)
    if got.get("attrs_error"):
        problems.append(f"{where}: cannot list attributes: {got['attrs_error']}")
        return
    have = got.get("attrs") or {}
    names = [n for n, _ in want]
    if sorted(have) != sorted(names):
        problems.append(f"{where}: attributes {sorted(have)}, expected {sorted(names)}")
    for name, spec_obj in want:
        a = have.get(name)
        if a is None:
            continue
        aw = f"{where} attribute {name!r}"
        if a.get("error"):
            problems.append(f"{aw}: {a['error']}")
            continue
        try:
            exp_val = (expected_attr(owner, spec_obj) if expected_attr is not None
                       else _get(spec_obj, "value"))
            if exp_val is None:
                raise ValueError("no expected value (pass expected_attr to check_js)")
            spec = spec_of(_get(spec_obj, "dtype"), exp_val)
            exp = canon(spec, exp_val, VALUE_CAP)
        except Exception as e:
            problems.append(f"{aw}: cannot derive the expected datatype/values: {type(e).__name__}: {e}")
            continue
        shape = list(_get(spec_obj, "shape", np.shape(exp_val) if np is not None else []))
        feats = features({"data": {}}, spec, None)
        if a.get("dtype") is None:
            err = a.get("value_error") or a.get("dtype_error") or "no dtype"
            na = _na(reader, feats, err)
            if na is None and reader == "jsfive" and "type not implemented" in err:
                # unpack_attribute swallows the DatatypeMessage error; the
                # feature decides whether that is excused.
                na = next((f"{f}: {reader} cannot ({UNSUPPORTED[(reader, f)]['cite']}); "
                           "unpack_attribute returned null" for f in _ordered(feats)
                           if (reader, f) in UNSUPPORTED and UNSUPPORTED[(reader, f)]["error"]), None)
            if na:
                skipped.append(f"{aw}: {na}")
            else:
                problems.append(f"{aw}: dtype unreadable: {err}")
            continue
        if a.get("shape") != shape:
            problems.append(f"{aw}: shape {a.get('shape')}, expected {shape}")
            continue
        p = dtype_problem(reader, spec, a["dtype"])
        if p:
            problems.append(f"{aw}: {p}")
            continue
        _check_value(reader, spec, exp, math.prod(shape), a, aw, feats, False, problems, skipped)
