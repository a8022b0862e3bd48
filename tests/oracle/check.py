#!/usr/bin/env python3
"""Oracle checker for files written by h5sink.

Usage: python3 tests/oracle/check.py DIR [--only NAME]

DIR holds scenario manifests (*.json, see README.md beside this script), each
describing one HDF5 file. Every scenario is checked by four independent oracles:

  h5py    libhdf5 (through h5py) sees exactly the manifest's objects, dtypes,
          shapes and values.
  pyfive  the same, through pyfive, a pure-Python reader that shares no code
          with libhdf5; also every group iterates to the expected member names.
  h5dump  `h5dump -p FILE` (the system libhdf5, another version than h5py's)
          reads the whole file: exit status 0 and nothing on stderr.
  twin    h5py writes the same content with its defaults into DIR/twins/;
          the normalised `h5dump -p` text of both files must be identical
          (see normalise_dump; files over TEXT_LIMIT elements use h5dump's
          binary mode instead, see Dump.start).

One line per scenario, then "N passed, M failed". Exit status: 0 all passed,
1 some failed, 2 usage error, 3 an oracle (numpy, h5py, pyfive, h5dump) is
missing -- the caller must treat that as a failure, never as a skip.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any, Optional

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
    "f32": "<f4", "f64": "<f8",
}
# Manifest dtype name -> name of the standard HDF5 type in h5py.h5t that the
# file's datatype must equal (H5Tequal: size, order, precision, offset, pad,
# sign / exponent and mantissa layout, bias).
HDF5_TYPES = {
    "u8": "STD_U8LE", "i8": "STD_I8LE",
    "u16": "STD_U16LE", "i16": "STD_I16LE",
    "u32": "STD_U32LE", "i32": "STD_I32LE",
    "u64": "STD_U64LE", "i64": "STD_I64LE",
    "f32": "IEEE_F32LE", "f64": "IEEE_F64LE",
}
VLEN_STR = "vlen_str"
DTYPES = set(NUMERIC_DTYPES) | {VLEN_STR}

# Ramp generator constants; must match tests/common/mod.rs bit for bit.
RAMP_MUL = 2654435761
RAMP_FLOAT_MOD = 1000003

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


# ---------------------------------------------------------------- manifests


@dataclass
class Obj:
    path: str  # relative to the root group, no leading '/'
    kind: str  # "group" | "dataset"
    dtype: Optional[str] = None
    shape: tuple[int, ...] = ()
    data: Optional[dict] = None  # None: never written

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

    def datasets(self) -> list[Obj]:
        return [o for o in self.objects if o.kind == "dataset"]

    def groups(self) -> list[str]:
        """All group paths including the root ('')."""
        return [""] + [o.path for o in self.objects if o.kind == "group"]

    def members(self) -> dict[str, list[str]]:
        """Group path -> expected member names."""
        out: dict[str, list[str]] = {g: [] for g in self.groups()}
        for o in self.objects:
            parent, _, name = o.path.rpartition("/")
            out[parent].append(name)
        return out


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
    _keys(m, {"name", "file", "twin", "objects"}, "manifest")
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
            _keys(o, {"path", "kind"}, where)
            objects.append(Obj(p, "group"))
        elif kind == "dataset":
            _keys(o, {"path", "kind", "dtype", "shape", "data"}, where)
            objects.append(_load_dataset(o, p, where))
        else:
            raise ManifestError(f"{where}: kind must be 'group' or 'dataset'")
        kinds[p] = kind
    base = os.path.dirname(os.path.abspath(path))
    return Scenario(name, path, os.path.join(base, rel), rel, twin, objects)


def _load_dataset(o: dict, p: str, where: str) -> Obj:
    dtype, shape, data = o.get("dtype"), o.get("shape"), o.get("data", "missing")
    if dtype not in DTYPES:
        raise ManifestError(f"{where}: dtype {dtype!r} not one of {sorted(DTYPES)}")
    if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
        raise ManifestError(f"{where}: shape must be a list of non-negative integers")
    obj = Obj(p, "dataset", dtype, tuple(shape), None)
    if data == "missing":
        raise ManifestError(f"{where}: 'data' is required (null if never written)")
    if data is None:
        return obj
    if not isinstance(data, dict):
        raise ManifestError(f"{where}: data must be null or an object")
    if dtype == VLEN_STR:
        _keys(data, {"strings"}, f"{where} data")
        s = data.get("strings")
        if not isinstance(s, list) or not all(isinstance(x, str) for x in s):
            raise ManifestError(f"{where}: data.strings must be a list of strings")
        if len(s) != obj.size:
            raise ManifestError(f"{where}: {len(s)} strings for {obj.size} elements")
    else:
        _keys(data, {"gen", "seed", "rows_written"}, f"{where} data")
        if data.get("gen") != "ramp":
            raise ManifestError(f"{where}: data.gen must be 'ramp'")
        seed = data.get("seed")
        if not _is_int(seed) or not 0 <= seed < 2**64:
            raise ManifestError(f"{where}: data.seed must be an integer in [0, 2^64)")
        if "rows_written" in data:
            n = data["rows_written"]
            if not shape:
                raise ManifestError(f"{where}: rows_written needs rank >= 1")
            if not _is_int(n) or not 0 <= n <= shape[0]:
                raise ManifestError(f"{where}: rows_written must be in [0, {shape[0]}]")
    obj.data = data
    return obj


# ---------------------------------------------------------- expected values


def ramp_u64(start: int, n: int, seed: int) -> "np.ndarray":
    """x_i = (i * 2654435761 + seed) mod 2^64 for i in [start, start+n)."""
    i = np.arange(start, start + n, dtype=np.uint64)
    # numpy uint64 array arithmetic wraps modulo 2^64, as required.
    return i * np.uint64(RAMP_MUL) + np.uint64(seed)


def ramp_cast(x: "np.ndarray", dtype: str) -> "np.ndarray":
    """Maps raw u64 ramp values to a manifest dtype."""
    dt = np.dtype(NUMERIC_DTYPES[dtype])
    if dt.kind in "ui":
        # Truncate to the width (integer casts wrap), then reinterpret the
        # bits (two's complement for the signed types).
        return x.astype(np.dtype(f"<u{dt.itemsize}")).view(dt)
    f = (x % np.uint64(RAMP_FLOAT_MOD)).astype(np.float64) * 0.25 - 1000.0
    return f.astype(dt)  # exact for f32: multiples of 1/4 below 2^18


def expected_numeric(obj: Obj) -> "np.ndarray":
    dt = np.dtype(NUMERIC_DTYPES[obj.dtype])
    flat = np.zeros(obj.size, dtype=dt)
    if obj.data is not None:
        if "rows_written" in obj.data:
            n = obj.data["rows_written"] * math.prod(obj.shape[1:])
        else:
            n = obj.size
        flat[:n] = ramp_cast(ramp_u64(0, n, obj.data["seed"]), obj.dtype)
    return flat.reshape(obj.shape)


def expected_strings(obj: Obj) -> list[str]:
    """Row-major list; never-written strings read as ''."""
    if obj.data is None:
        return [""] * obj.size
    return list(obj.data["strings"])


class Expected:
    """Per-scenario cache of expected values (shared by h5py and pyfive)."""

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def get(self, obj: Obj):
        if obj.path not in self._cache:
            self._cache[obj.path] = (expected_strings(obj) if obj.dtype == VLEN_STR
                                     else expected_numeric(obj))
        return self._cache[obj.path]


# ------------------------------------------------------------- comparisons


def _short(v: Any, n: int = 60) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 3] + "..."


def compare_numeric(actual: Any, expected: "np.ndarray") -> Optional[str]:
    """Bit-exact comparison; returns a description of the first problem."""
    a = np.asarray(actual)
    if a.shape != expected.shape:
        return f"read back shape {a.shape}, expected {expected.shape}"
    if a.dtype != expected.dtype:
        return f"read back dtype {a.dtype}, expected {expected.dtype}"
    if a.size == 0:
        return None
    # Compare bit patterns, so that -0.0 vs 0.0 or NaN payloads also count.
    u = f"u{a.dtype.itemsize}"
    av = np.ascontiguousarray(a).reshape(-1).view(u)
    ev = np.ascontiguousarray(expected).reshape(-1).view(u)
    bad = np.flatnonzero(av != ev)
    if bad.size == 0:
        return None
    i = int(bad[0])
    idx = np.unravel_index(i, expected.shape) if expected.shape else ()
    return (f"{bad.size} of {a.size} values differ; first at index "
            f"{tuple(int(x) for x in idx)}: read {a.reshape(-1)[i].item()!r}, "
            f"expected {expected.reshape(-1)[i].item()!r}")


def compare_strings(actual: list, expected: list[str]) -> Optional[str]:
    if len(actual) != len(expected):
        return f"read {len(actual)} strings, expected {len(expected)}"
    bad = [i for i, (a, e) in enumerate(zip(actual, expected)) if a != e]
    if not bad:
        return None
    i = bad[0]
    return (f"{len(bad)} of {len(expected)} strings differ; first at flat index {i}: "
            f"read {_short(actual[i])}, expected {_short(expected[i])}")


def compare_tree(sc: Scenario, found: dict[str, str], members: dict[str, list[str]],
                 problems: list[str]) -> None:
    """Compares a walked tree (path -> kind, group -> member names as iterated)
    with the manifest."""
    want = {o.path: o.kind for o in sc.objects}
    for p in want:
        if p not in found:
            problems.append(f"missing {want[p]} {p!r}")
        elif found[p] != want[p]:
            problems.append(f"{p!r} is a {found[p]}, expected a {want[p]}")
    for p in found:
        if p not in want:
            problems.append(f"unexpected {found[p]} {p!r}")
    for g, names in sc.members().items():
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


# -------------------------------------------------------------- h5py check


def walk_h5py(f, max_depth: int):
    found: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    handles: dict[str, Any] = {}
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


def check_h5py(sc: Scenario, exp: Expected) -> list[str]:
    problems: list[str] = []
    max_depth = max([o.path.count("/") for o in sc.objects], default=0) + 2
    with h5py.File(sc.file, "r") as f:
        found, members, handles = walk_h5py(f, max_depth)
        compare_tree(sc, found, members, problems)
        for obj in sc.datasets():
            if found.get(obj.path) != "dataset":
                continue
            ds = handles[obj.path]
            where = f"dataset {obj.path!r}"
            if ds.shape != obj.shape:
                problems.append(f"{where}: shape {ds.shape}, expected {obj.shape}")
                continue
            if obj.dtype == VLEN_STR:
                info = h5py.check_string_dtype(ds.dtype)
                if info is None or info.encoding != "utf-8" or info.length is not None:
                    problems.append(f"{where}: dtype {ds.dtype} ({info}), "
                                    "expected variable-length UTF-8 string")
                    continue
                val = ds.asstr()[()]
                got = [val] if obj.shape == () else list(np.asarray(val, dtype=object).reshape(-1))
                err = compare_strings(got, exp.get(obj))
            else:
                want = np.dtype(NUMERIC_DTYPES[obj.dtype])
                std = getattr(h5py.h5t, HDF5_TYPES[obj.dtype])
                if ds.dtype != want or ds.dtype.metadata:
                    problems.append(f"{where}: dtype {ds.dtype!r}, expected {want!r}")
                    continue
                if not ds.id.get_type().equal(std):
                    problems.append(f"{where}: HDF5 datatype is not exactly {HDF5_TYPES[obj.dtype]}")
                    continue
                err = compare_numeric(ds[()], exp.get(obj))
            if err:
                problems.append(f"{where}: {err}")
    return problems


# ------------------------------------------------------------ pyfive check


def walk_pyfive(f, max_depth: int):
    found: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    handles: dict[str, Any] = {}
    stack = [("", f)]
    while stack:
        gpath, g = stack.pop()
        names = list(g)
        members[gpath] = names
        for name in names:
            path = f"{gpath}/{name}" if gpath else name
            obj = handles[path] = g[name]
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
    heap reference) comes back as the int 0: accepted as '' only when the
    manifest says the dataset was never written."""
    items = [val] if obj.shape == () else list(np.asarray(val, dtype=object).reshape(-1))
    out: list[str] = []
    for i, v in enumerate(items):
        if isinstance(v, bytes):
            try:
                out.append(v.decode("utf-8"))
            except UnicodeDecodeError as e:
                return out, f"element {i} is not valid UTF-8: {e}"
        elif isinstance(v, str):
            out.append(v)
        elif obj.data is None and isinstance(v, (int, np.integer)) and v == 0:
            out.append("")
        else:
            return out, f"element {i} reads as {_short(v)} ({type(v).__name__}), expected a string"
    return out, None


def check_pyfive(sc: Scenario, exp: Expected) -> list[str]:
    problems: list[str] = []
    max_depth = max([o.path.count("/") for o in sc.objects], default=0) + 2
    with pyfive.File(sc.file) as f:
        found, members, handles = walk_pyfive(f, max_depth)
        compare_tree(sc, found, members, problems)
        for obj in sc.datasets():
            if found.get(obj.path) != "dataset":
                continue
            ds = handles[obj.path]
            where = f"dataset {obj.path!r}"
            if tuple(ds.shape) != obj.shape:
                problems.append(f"{where}: shape {tuple(ds.shape)}, expected {obj.shape}")
                continue
            if obj.dtype == VLEN_STR:
                meta = ds.dtype.metadata or {}
                if (ds.dtype.kind != "O" or meta.get("vlen") is not str
                        or meta.get("h5py_encoding") != "utf-8"):
                    problems.append(f"{where}: dtype {ds.dtype!r} metadata {meta}, "
                                    "expected variable-length UTF-8 string")
                    continue
                got, err = pyfive_strings(ds[()], obj)
                err = err or compare_strings(got, exp.get(obj))
            else:
                want = np.dtype(NUMERIC_DTYPES[obj.dtype])
                if ds.dtype != want or ds.dtype.metadata:
                    problems.append(f"{where}: dtype {ds.dtype!r}, expected {want!r}")
                    continue
                err = compare_numeric(ds[()], exp.get(obj))
            if err:
                problems.append(f"{where}: {err}")
    return problems


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
# writes none). So the normalisation is exactly:
#   1. drop the first line, `HDF5 "<path>" {`, which names the file;
#   2. inside a STORAGE_LAYOUT block, replace the number after OFFSET by
#      <address>. Whether storage is allocated stays visible through SIZE.
# Everything else -- datatypes, dataspaces, SIZE, filters, fill value
# properties, allocation time, data -- must match h5py's file exactly.
_OFFSET_RE = re.compile(r"^(\s*OFFSET )\d+$")


def normalise_dump(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[0].startswith('HDF5 "'):
        lines = lines[1:]
    out = []
    in_layout = False
    for line in lines:
        s = line.strip()
        if s == "STORAGE_LAYOUT {":
            in_layout = True
        elif in_layout and s == "}":
            in_layout = False
        elif in_layout:
            line = _OFFSET_RE.sub(r"\1<address>", line)
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

    def start(self, string_paths: list[str]) -> "Dump":
        tag = self.tag
        if self.binary:
            # Big files. -p -A: all headers and properties plus attribute
            # values, but no dataset data. -b: all numeric dataset data as raw
            # bytes (its stdout, headers without attributes, is not compared).
            # h5dump's binary mode skips strings: dump those datasets as text.
            self._spawn("header", ["-p", "-A"], tag + "h")
            self._spawn("data", ["-b", "LE", "-o", self.bin_path(tag)], tag + "b")
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


def build_twin(sc: Scenario, twin_path: str, exp: Expected) -> None:
    """Writes the manifest's content with h5py defaults (contiguous layout,
    no chunking, compression or fill value), objects in manifest order."""
    os.makedirs(os.path.dirname(twin_path), exist_ok=True)
    with h5py.File(twin_path, "w") as f:
        for obj in sc.objects:
            if obj.kind == "group":
                f.create_group(obj.path)
                continue
            is_str = obj.dtype == VLEN_STR
            dt = h5py.string_dtype("utf-8") if is_str else np.dtype(NUMERIC_DTYPES[obj.dtype])
            ds = f.create_dataset(obj.path, shape=obj.shape, dtype=dt)
            if obj.data is None or obj.size == 0:
                continue
            val = exp.get(obj)
            if is_str:
                val = np.array(val, dtype=object).reshape(obj.shape)
            if obj.shape == ():
                ds[()] = val[()]
            elif "rows_written" in obj.data:
                n = obj.data["rows_written"]
                ds[:n] = val[:n]
            else:
                ds[...] = val


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


def check_h5dump_and_twin(sc: Scenario, file_dump: Dump, twin_dump: Optional[Dump], twin_err: Optional[str],
                          twin_dir: str):
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
    """Returns check name -> problems ([] = ok, None = not run)."""
    if not os.path.isfile(sc.file):
        reason = [f"file not found: {sc.file}"]
        return {"h5py": reason, "pyfive": reason, "h5dump": reason,
                "twin": reason if sc.twin else None}
    exp = Expected()
    twin_dir = os.path.join(dirpath, "twins")
    binary = sum(o.size for o in sc.datasets()) > TEXT_LIMIT
    string_paths = [o.path for o in sc.datasets() if o.dtype == VLEN_STR]
    with tempfile.TemporaryDirectory(prefix="h5sink-oracle-") as work:
        # h5dump runs in the background while the in-process checks run.
        file_dump = Dump(sc.file, binary, work, "file").start(string_paths)
        twin_dump, twin_err = None, None
        if sc.twin:
            twin_path = os.path.join(twin_dir, sc.rel_file)
            try:
                build_twin(sc, twin_path, exp)
                twin_dump = Dump(twin_path, binary, work, "twin").start(string_paths)
            except Exception as e:
                twin_err = f"h5py could not write the twin: {type(e).__name__}: {e}"
        res: dict[str, Optional[list[str]]] = {}
        res["h5py"] = run_guarded(check_h5py, sc, exp)
        res["pyfive"] = run_guarded(check_pyfive, sc, exp)
        res["h5dump"], res["twin"] = check_h5dump_and_twin(
            sc, file_dump, twin_dump, twin_err, twin_dir)
    return res


def missing_oracles() -> list[str]:
    missing = [f"{m} (python3 cannot import it: {err})" for m, err in _IMPORT_ERRORS.items()]
    if shutil.which("h5dump") is None:
        missing.append("h5dump (not on PATH; Debian package hdf5-tools)")
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
        cols, reasons = [], []
        for check, problems in res.items():
            if problems is None:
                cols.append(f"{check} off")
            elif problems:
                cols.append(f"{check} FAIL")
                shown = problems if check == "twin" else problems[:MAX_REASONS]
                reasons += [f"    {check}: {p}" for p in shown]
                if len(problems) > len(shown):
                    reasons.append(f"    {check}: ... and {len(problems) - len(shown)} more")
            else:
                cols.append(f"{check} ok")
        print(f"{name:<{width}}  " + "  ".join(cols))
        for r in reasons:
            print(r)
        if reasons:
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
