"""Comparisons shared by check.py's readers: bytes, numbers, strings,
attribute values, the link tree and attribute names.
"""

from __future__ import annotations

from typing import Any, Optional

import links_check
from check_base import np
from check_dtypes import DType
from check_manifest import Attr, Scenario


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
