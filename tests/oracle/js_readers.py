"""jsfive and h5wasm, two more independent HDF5 readers, for check.py.

    check_scenario(sc, exp) -> list[str]
        check.py's hook (its check_js): both readers on one scenario; [] ok,
        else problems prefixed "jsfive: " / "h5wasm: ", with check.NA notes
        for what a reader cannot read (UNSUPPORTED). All scenarios of a run
        share one Node process (shared_server).
    run_js(files) -> {file: {"jsfive": R, "h5wasm": R}}
        One Node process (tests/oracle/js/read.mjs --serve) reads every file
        with both libraries. R: see read.mjs.
    check_js(reader, scenario_objects, expected, result) -> (status, messages)
        Compares what one reader saw in one file with the manifest. status is
        "ok", "FAIL", or "n/a" (everything the reader could read matched, and
        something was skipped because the reader's own source says it cannot
        read it: see UNSUPPORTED; the messages say what and why).
    missing() -> list[str]
        What is missing (node, npm packages) for check.py's exit status 3;
        run_js / check_scenario raise JsReadersMissing in that case.

jsfive (pure JavaScript, a port of pyfive) and h5wasm (libhdf5 2.0.0 built
to WebAssembly) are pinned in js/package.json (installed by scripts/test.sh:
npm ci). `python3 js_readers.py FILE...` prints what they see;
js/selftest.py proves the comparisons (see js/README.md).

How the readers represent each type (read.mjs prints their values JSON-safe:
64-bit integers beyond 2^53 as decimal strings, NaN/Infinity/-0 as strings):

  type           jsfive                          h5wasm
  ints  u8..i64  "<u1".."<i8"; 64-bit values     metadata {type 0, size, signed};
                 become JS Numbers (rounded      64-bit as BigInt (exact)
                 beyond 2^53)
  floats         "<f2" "<f4" "<f8" (f16 decoded) {type 1, size}; f16 unreadable
  vlen UTF-8     ["VLEN_STRING", pad, 1]; str    {type 3, vlen, cset 1}; str cut
                                                 at its first NUL (UTF8ToString)
  fixed string   "S<n>"; all n bytes decoded as  {type 3, size n, cset, strpad};
                 UTF-8, NUL padding included     cut at the first NUL, decoded
                                                 per cset (TextDecoder 'ascii')
  bool (h5py)    "<i1"; 0 / 1 (enum base type)   {type 8, enum FALSE/TRUE}; true/false
  enum           base type ("<i2"); the ints     {type 8, enum_type members}; ints
  compound       cannot (UNSUPPORTED)            {type 6, members}; records as
                                                 arrays, array members nested
  scalar         shape []; one value             shape []; one value
  zero-length    shape [.., 0]; []               shape [.., 0]; []
  never written  contiguous: `undefined` per     the fill value (libhdf5)
                 element ("holes"); chunked: [];
                 chunks never allocated in a
                 partly written dataset: holes
  chunked        DataObjects.chunks; deflate     metadata.chunks; every filter
                 (pako), shuffle, fletcher32     libhdf5 has (zlib built in)
  compact        cannot (UNSUPPORTED)            read as any other layout
  attributes     value via get_attributes;       dtype, shape, value per Attribute
                 dtype/shape from jsfive's own
                 parse of the message
"""

from __future__ import annotations

import atexit
import json
import math
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Optional

try:
    import numpy as np
except Exception:  # pragma: no cover - check.py reports numpy missing itself
    np = None  # type: ignore[assignment]

HERE = os.path.dirname(os.path.abspath(__file__))
JS_DIR = os.path.join(HERE, "js")
READ_MJS = os.path.join(JS_DIR, "read.mjs")
READERS = ("jsfive", "h5wasm")
NPM_CI = "npm ci --prefix tests/oracle/js --no-audit --no-fund"
# Seconds one file may take (both readers, and Node's start for the first).
TIMEOUT = int(os.environ.get("H5SINK_ORACLE_TIMEOUT", "300"))
# Values printed per dataset; the rest is reported as truncated (read.mjs --cap).
VALUE_CAP = int(os.environ.get("H5SINK_JS_VALUE_CAP", "2000000"))


class JsReadersMissing(Exception):
    """node, or the npm packages in tests/oracle/js/node_modules, are missing."""


# ------------------------------------------------------------ capabilities

# (reader, feature) -> why the reader cannot do it, quoting its own source in
# tests/oracle/js/node_modules (versions pinned in js/package.json; the line
# numbers are those of jsfive 0.4.2's esm/ sources, the same code as the
# dist/esm/index.mjs bundle that runs, and of h5wasm 0.10.3's src/). "error"
# is a regex the reader's error must match for the n/a to be granted: if it
# fails in any other way, or reads the object but gets it wrong, that is a FAIL.
# Dimensions beyond the reader's number range (the dataset holds no data:
# another dimension is 0, or it could not exist on disk).
DIM_LIMITS = {
    "jsfive": "jsfive n/a: dimensions of 2^32 or more: esm/dataobjects.js "
              "determine_data_shape (line 829) unpacks each 64-bit dimension as two "
              "'<I' words and keeps the low one",
    "h5wasm": "h5wasm: dimensions above 2^53 are JS numbers (doubles): compared "
              "after rounding",
}

UNSUPPORTED: dict[tuple[str, str], dict[str, str]] = {
    ("jsfive", "compact layout"): {
        "cite": "jsfive esm/dataobjects.js DataObjects.get_data (line 636): "
                "`if (layout_class == 0) { // compact storage` -> "
                "`throw \"Compact storage of DataObject not implemented\"`",
        "error": r"Compact storage of DataObject not implemented",
    },
    ("jsfive", "compound datatype"): {
        "cite": "jsfive esm/datatype-msg.js DatatypeMessage._determine_dtype_compound "
                "(line 139): `throw \"Compound type not yet implemented!\"`; README "
                "'Limitations': not all datatypes are supported",
        "error": r"Compound type not yet implemented",
    },
    ("jsfive", "array datatype"): {
        "cite": "jsfive esm/datatype-msg.js DatatypeMessage.determine_dtype (line 49): "
                "`else if (datatype_class == DATATYPE_ARRAY) { throw \"Array datatype "
                "class not supported.\" }`",
        "error": r"Array datatype class not supported",
    },
    ("jsfive", "fill value of unallocated storage"): {
        "cite": "jsfive esm/dataobjects.js DataObjects._get_contiguous_data (line 675): "
                "`if (data_offset == UNDEFINED_ADDRESS) { //# no storage is backing "
                "array, return empty array ... return new Array(size);` and "
                "_get_chunked_data (line 735) `return [];`, and for a chunked dataset "
                "written in part esm/btree.js BTreeV1RawDataChunks."
                "construct_data_from_chunks (line 239) `var data = new Array(data_size);` "
                "filled from the chunks in the B-tree only -- the Fill Value message "
                "is never applied, so elements without storage cannot be checked "
                "against a non-zero fill value",
        "error": "",  # shows as holes, not as an error
    },
    ("jsfive", "vlen strings in chunks never allocated"): {
        "cite": "jsfive esm/dataobjects.js DataObjects._get_chunked_data (line 746): "
                "`let [item_size, gheap_address, object_index] = data[i];` for every "
                "element, while construct_data_from_chunks leaves the elements of chunks "
                "never allocated undefined (a TypeError)",
        "error": r"undefined is not iterable",
    },
    ("h5wasm", "f16"): {
        "cite": "h5wasm src/hdf5_hl.ts getAccessor (line 144): floats other than 4 "
                "or 8 bytes -> `throw new Error(`Float${size * 8} not supported`)`; "
                "README: 'there is no Float16Array'",
        "error": r"Float16 not supported",
    },
}

# Documented lossy representations: not n/a, the comparison accounts for them.
REPRESENTATION = {
    ("jsfive", "64-bit integers"):
        "jsfive esm/core.js DataView64.getUint64 / getInt64 (lines 200-234) "
        "`return Number(combined)`: compared after rounding the expected value to "
        "the nearest double",
    ("jsfive", "enum"):
        "jsfive esm/datatype-msg.js determine_dtype (line 43): an ENUMERATED type "
        "returns its base type, so bools and enums read as integers",
    ("jsfive", "fixed string"):
        "jsfive esm/core.js DataView64.getString (line 237): all n bytes through "
        "TextDecoder('utf-8'), padding included",
    ("jsfive", "never written"):
        "jsfive esm/dataobjects.js _get_contiguous_data (line 675): unallocated "
        "storage reads as `new Array(size)` (holes); accepted for data: null "
        "when the expected value is the default fill (zeros / empty strings); "
        "likewise esm/btree.js construct_data_from_chunks (line 239) leaves the "
        "elements of chunks never allocated undefined: accepted at elements the "
        "manifest says were never written whose expected value is the default fill",
    ("h5wasm", "fixed string"):
        "h5wasm src/hdf5_hl.ts process_data (line 181-190): `truncate at first "
        "null`, TextDecoder(cset == 1 ? 'utf-8' : 'ascii'); 'ascii' is windows-1252 by "
        "WHATWG, Latin-1 in Node 20: either is accepted (_ascii_decodings)",
    ("h5wasm", "vlen string"):
        "h5wasm src/hdf5_hl.ts process_data (line 172): Module.UTF8ToString, which "
        "stops at the first NUL",
    ("h5wasm", "64-bit integers in array members"):
        "h5wasm src/hdf5_hl.ts process_data (line 231): `always convert ARRAY types "
        "to base JS types` (json_compatible: BigInt arrays `.map(Number)`, line 206): "
        "compared after rounding to the nearest double",
    ("h5wasm", "enum member values"):
        "h5wasm src/hdf5_util.cc get_dtype_metadata (lines 390-392): each member value "
        "goes through `H5Tconvert(base_dtype, H5T_NATIVE_INT, ...)` and `(int)`, so "
        "values outside the 32-bit range are reported clamped to INT_MIN / INT_MAX; "
        "the expected members are clamped the same way (the data values are exact)",
    ("h5wasm", "bool"):
        "h5wasm src/hdf5_hl.ts isH5PYBooleanEnum (line 308): an enum of exactly "
        "FALSE=0, TRUE=1 is h5py's bool; read.mjs prints it as true/false like "
        "h5wasm's json_value",
}


# ------------------------------------------------------------ running node


def js_versions() -> dict[str, str]:
    """node and the pinned package versions (no Node process needed)."""
    _require_js()
    out = {"node": subprocess.run(["node", "--version"], capture_output=True, text=True,
                                  timeout=60).stdout.strip()}
    for pkg in READERS + ("h5wasm-plugins",):
        with open(os.path.join(JS_DIR, "node_modules", pkg, "package.json"), encoding="utf-8") as fh:
            out[pkg] = json.load(fh)["version"]
    return out


def _require_js() -> None:
    if shutil.which("node") is None:
        raise JsReadersMissing("node is not on PATH (Debian packages nodejs npm; "
                               "scripts/test.sh installs them)")
    for pkg in READERS + ("h5wasm-plugins",):
        if not os.path.isfile(os.path.join(JS_DIR, "node_modules", pkg, "package.json")):
            raise JsReadersMissing(f"npm package {pkg} is not installed in "
                                   f"{os.path.join(JS_DIR, 'node_modules')}; run: {NPM_CI}")


def run_js(files: list[str], timeout: Optional[int] = None,
           readers: tuple[str, ...] = READERS) -> dict[str, dict[str, dict]]:
    """Reads every file with every reader in ONE Node process.

    Returns {file: {reader: result}} for every file given (keys exactly as
    given). A reader that hangs longer than `timeout` seconds (default
    H5SINK_ORACLE_TIMEOUT, 300) on one file, or crashes Node, gets
    {"error": ...} for that file; a fresh process then reads the rest.
    Raises JsReadersMissing if node or the packages are missing.
    """
    server = JsServer()
    try:
        return {f: server.read(f, readers, timeout) for f in dict.fromkeys(files)}
    finally:
        server.close()


class JsServer:
    """A `read.mjs --serve` process, started on first use and restarted
    after a reader hung or Node died."""

    def __init__(self) -> None:
        self.proc: Optional[subprocess.Popen] = None
        self.err = None  # stderr file
        self.parts: list[bytes] = []  # stdout bytes after the last full line

    def _start(self) -> None:
        _require_js()
        self.err = tempfile.TemporaryFile()
        self.parts = []
        self.proc = subprocess.Popen(
            ["node", READ_MJS, "--serve", "--cap", str(VALUE_CAP)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err)

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc.stdout.close()
        if self.err is not None:
            self.err.close()
        self.proc, self.err = None, None

    def _kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
        self.close()

    def read(self, file: str, readers: tuple[str, ...] = READERS,
             timeout: Optional[int] = None) -> dict[str, dict]:
        """{reader: result} for one file. A reader that hangs or kills Node
        gets {"error": ...}; the other readers are read again by a fresh
        process."""
        timeout = TIMEOUT if timeout is None else timeout
        entry: dict[str, dict] = {}
        todo = list(readers)
        while todo:
            got, stuck = self._request(file, todo, timeout)
            if stuck is None:
                entry.update(got)
                break
            reader, reason = stuck
            entry[reader] = {"error": reason}
            todo = [r for r in todo if r != reader]
        return {r: entry[r] for r in readers}

    def _request(self, file: str, readers: list[str], timeout: int):
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            self._start()
        err_pos = self.err.seek(0, os.SEEK_END)
        try:
            self.proc.stdin.write(json.dumps({"file": file, "readers": readers}).encode() + b"\n")
            self.proc.stdin.flush()
            line, timed_out = self._line(time.monotonic() + timeout)
        except BaseException:  # e.g. check.py's SIGALRM timeout: the process state is unknown
            self._kill()
            raise
        if line is not None:
            try:
                msg = json.loads(line)
            except ValueError as e:
                self._kill()
                raise RuntimeError(f"read.mjs answered with something that is not JSON ({e}): "
                                   f"{line[:200]!r}") from None
            if "request_error" in msg:
                raise RuntimeError(f"read.mjs refused the request: {msg['request_error']}")
            return msg["result"], None
        # Hung (timed out) or died (end of its output).
        if timed_out:
            self.proc.kill()
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # closed stdout yet lives on
            self.proc.kill()
            rc = self.proc.wait()
        self.err.seek(err_pos)
        stderr = self.err.read().decode("utf-8", "replace")
        self.close()
        if rc == 3:
            raise JsReadersMissing(f"read.mjs cannot load its packages: {stderr.strip()[-400:]}")
        markers = re.findall(r"^read\.mjs: start (\w+) ", stderr, re.M)
        reader = markers[-1] if markers else readers[0]
        tail = "\n".join(x for x in stderr.strip().splitlines()[-5:] if not x.startswith("read.mjs: start"))
        if timed_out:
            return None, (reader, f"{reader} did not finish within {timeout}s (killed)")
        return None, (reader, f"node exited with status {rc} while {reader} read this file"
                      + (f": {tail[-600:]}" if tail else ""))

    def _line(self, deadline: float) -> tuple[Optional[bytes], bool]:
        """(the next stdout line, False), or (None, True) on timeout, or
        (None, False) at the end of the output. A line can be ~50 MB: chunks
        are joined once, when its newline arrives."""
        fd = self.proc.stdout.fileno()
        while True:
            joined = b"".join(self.parts)
            if b"\n" in joined:
                line, _, rest = joined.partition(b"\n")
                self.parts = [rest] if rest else []
                return line, False
            self.parts = [joined] if joined else []
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None, True
                ready, _, _ = select.select([fd], [], [], min(left, 5.0))
                if not ready:
                    continue
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return None, False
                self.parts.append(chunk)
                if b"\n" in chunk:
                    break


_SHARED: Optional[JsServer] = None


def shared_server() -> JsServer:
    """The process check_scenario uses: one for a whole check.py run."""
    global _SHARED
    if _SHARED is None:
        _SHARED = JsServer()
        atexit.register(_SHARED.close)
    return _SHARED


def missing() -> list[str]:
    """What is missing to run these readers ([] = nothing), for check.py's
    missing_oracles (exit status 3)."""
    try:
        _require_js()
    except JsReadersMissing as e:
        return [f"jsfive / h5wasm: {e}"]
    return []


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


# ------------------------------------------------------------ reader side


def dtype_problem(reader: str, spec: dict, got: Any) -> Optional[str]:
    """None when the reader's dtype description matches spec."""
    want = _want_dtype(reader, spec)
    if reader == "jsfive":
        return None if got == want else f"dtype {json.dumps(got)}, expected {json.dumps(want)}"
    return _h5wasm_dtype_problem(spec, got)


def _want_dtype(reader: str, spec: dict) -> Any:
    k = spec["kind"]
    if reader == "jsfive":
        if k == "int" or k == "enum":
            return f"<{'i' if spec['signed'] else 'u'}{spec['size']}"
        if k == "bool":
            return "<i1"
        if k == "float":
            return f"<f{spec['size']}"
        if k == "vlen_str":
            return ["VLEN_STRING", 0, 1]
        if k == "fixed_str":
            return f"S{spec['size']}"
    return None


def _h5wasm_dtype_problem(spec: dict, got: Any, where: str = "") -> Optional[str]:
    if not isinstance(got, dict):
        return f"{where}dtype {json.dumps(got)}, expected an h5wasm metadata object"
    k = spec["kind"]
    checks: dict[str, Any] = {}
    if k == "int":
        checks = {"type": 0, "size": spec["size"], "signed": spec["signed"], "littleEndian": True}
    elif k == "float":
        checks = {"type": 1, "size": spec["size"], "littleEndian": True}
    elif k == "vlen_str":  # strpad 0: H5T_STR_NULLTERM, as h5py writes it
        checks = {"type": 3, "vlen": True, "cset": 1, "strpad": 0}
    elif k == "fixed_str":  # strpad 1: H5T_STR_NULLPAD (numpy S<n>, h5py)
        checks = {"type": 3, "vlen": False, "size": spec["size"], "strpad": 1}
        if spec.get("utf8") is not None:
            checks["cset"] = 1 if spec["utf8"] else 0
    elif k in ("bool", "enum"):
        members = ({"FALSE": 0, "TRUE": 1} if k == "bool" else
                   {n: min(max(v, -2**31), 2**31 - 1) for n, v in spec["members"].items()})
        size = 1 if k == "bool" else spec["size"]
        signed = True if k == "bool" else spec["signed"]
        checks = {"type": 8, "size": size, "signed": signed, "littleEndian": True}
        et = got.get("enum_type") or {}
        if et.get("type") != 0 or et.get("members") != members:
            return (f"{where}enum_type {json.dumps(et)}, expected integer base with "
                    f"members {json.dumps(members)}")
    elif k == "compound":
        checks = {"type": 6, "size": spec["size"]}
        ct = got.get("compound_type") or {}
        gm = ct.get("members") or []
        names = [m.get("name") for m in gm]
        want_names = [m["name"] for m in spec["members"]]
        if names != want_names:
            return f"{where}compound members {names}, expected {want_names}"
        for m, g in zip(spec["members"], gm):
            if m["offset"] is not None and g.get("offset") != m["offset"]:
                return f"{where}member {m['name']!r} at offset {g.get('offset')}, expected {m['offset']}"
            p = _h5wasm_dtype_problem(m["spec"], g, f"{where}member {m['name']!r}: ")
            if p:
                return p
    elif k == "array":
        checks = {"type": 10}
        at = got.get("array_type") or {}
        if at.get("shape") != spec["dims"]:
            return f"{where}array dims {at.get('shape')}, expected {spec['dims']}"
        p = _h5wasm_dtype_problem(spec["base"], at, f"{where}array base: ")
        if p:
            return p
    bad = {key: got.get(key) for key, v in checks.items() if got.get(key) != v}
    if bad:
        return (f"{where}dtype {json.dumps({key: got.get(key) for key in checks})}, "
                f"expected {json.dumps(checks)}")
    return None


def _to_float(x: Any) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float, str)):
        raise ValueError(f"{x!r} is not a number")
    return float(x)  # also "NaN", "Infinity", "-Infinity", "-0", big decimals


def _to_int(x: Any) -> int:
    if isinstance(x, bool):
        raise ValueError(f"{x!r} is not an integer")
    if isinstance(x, int):
        return x
    if isinstance(x, str) and re.fullmatch(r"-?\d+", x):
        return int(x)
    raise ValueError(f"{x!r} is not an integer")


def _round_double(i: int) -> int:
    """The integer a JS Number holds for i (round to nearest, ties to even)."""
    return int(float(i))


class AnyOf(tuple):
    """An expected element that may read as any of these values."""


def _ascii_decodings(b: bytes) -> Any:
    """What TextDecoder('ascii') gives: windows-1252 by the WHATWG Encoding
    standard (its 5 undefined bytes map to U+0081 etc.), but Node 20 decodes
    0x80-0x9F as Latin-1 (tried: 0x80 -> U+0080). Either is accepted; they
    differ only for bytes 0x80-0x9F in a string whose cset says ASCII."""
    latin1 = b.decode("latin-1")
    cp = "".join(_cp1252(c) for c in b)
    return latin1 if cp == latin1 else AnyOf((latin1, cp))


def _cp1252(c: int) -> str:
    try:
        return bytes([c]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(c)


def expect_elem(reader: str, spec: dict, v: Any, got_dtype: Any = None, in_array: bool = False) -> Any:
    """A canonical expected element as this reader represents it."""
    k = spec["kind"]
    if k in ("int", "enum"):
        if spec["size"] == 8 and (reader == "jsfive" or in_array):
            return _round_double(v)
        return v
    if k == "bool":
        return int(v) if reader == "jsfive" else bool(v)
    if k == "float":
        return v
    if k == "vlen_str":
        return v.split("\0")[0] if reader == "h5wasm" else v
    if k == "fixed_str":
        if reader == "jsfive":
            return v.decode("utf-8", "replace")
        cut = v.split(b"\0")[0]
        cset = got_dtype.get("cset") if isinstance(got_dtype, dict) else None
        return cut.decode("utf-8", "replace") if cset == 1 else _ascii_decodings(cut)
    if k == "compound":
        gm = (got_dtype or {}).get("compound_type", {}).get("members", []) if isinstance(got_dtype, dict) else []
        return [expect_elem(reader, m["spec"], x, gm[i] if i < len(gm) else None, in_array)
                for i, (m, x) in enumerate(zip(spec["members"], v))]
    if k == "array":
        at = got_dtype.get("array_type") if isinstance(got_dtype, dict) else None
        return [expect_elem(reader, spec["base"], x, at, True) for x in v]
    raise TypeError(k)


def got_elem(spec: dict, g: Any, in_array: bool = False) -> Any:
    """A reader's JSON element -> comparable Python value (raises ValueError)."""
    k = spec["kind"]
    if k in ("int", "enum"):
        return _to_int(g)
    if k == "bool":
        if isinstance(g, bool):
            return g
        return _to_int(g)
    if k == "float":
        return _to_float(g)
    if k in ("vlen_str", "fixed_str"):
        if not isinstance(g, str):
            raise ValueError(f"{g!r} is not a string")
        return g
    if k == "compound":
        if not isinstance(g, list) or len(g) != len(spec["members"]):
            raise ValueError(f"{_short(g)} is not a record of {len(spec['members'])} members")
        return [got_elem(m["spec"], x, in_array) for m, x in zip(spec["members"], g)]
    if k == "array":
        flat = _flatten(g, len(spec["dims"]))
        if len(flat) != math.prod(spec["dims"]):
            raise ValueError(f"{_short(g)} does not hold {math.prod(spec['dims'])} elements")
        return [got_elem(spec["base"], x, True) for x in flat]
    raise TypeError(k)


def _flatten(g: Any, depth: int) -> list:
    """An array member nested one list level per dimension (h5wasm's
    create_nested_array) -> its elements, row-major; elements that are
    lists themselves (compound records) stay whole."""
    if depth == 0:
        return [g]
    if not isinstance(g, list):
        raise ValueError(f"{_short(g)} is not a list")
    out: list = []
    for x in g:
        out.extend(_flatten(x, depth - 1))
    return out


def _same(a: Any, b: Any) -> bool:
    """Equality with floats compared bit for bit (any NaN equals any NaN);
    b may be AnyOf(alternatives)."""
    if isinstance(b, AnyOf):
        return any(_same(a, x) for x in b)
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _short(v: Any, n: int = 60) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 3] + "..."


def compare_values(reader: str, spec: dict, exp: list, got: list, got_dtype: Any) -> Optional[str]:
    """None when every element of got (a prefix of exp when truncated) matches."""
    n = len(got)
    k = spec["kind"]
    # Fast path for big numeric datasets: vectorised with numpy.
    if np is not None and k in ("int", "enum", "float") and n > 10000:
        try:
            if k == "float":
                g = np.fromiter((_to_float(x) for x in got), dtype=np.float64, count=n)
                e = np.asarray(exp[:n], dtype=np.float64)
                same = (g.view(np.uint64) == e.view(np.uint64)) | (np.isnan(g) & np.isnan(e))
            else:
                want = [expect_elem(reader, spec, v) for v in exp[:n]]
                gi = [_to_int(x) for x in got]
                dt = np.int64 if spec["signed"] else np.uint64
                if spec["size"] == 8 and (reader == "jsfive"):
                    dt = object
                same = np.asarray(gi, dtype=dt) == np.asarray(want, dtype=dt)
            bad = np.flatnonzero(~np.asarray(same, dtype=bool))
        except (ValueError, OverflowError) as e:
            return f"unexpected element: {e}"
        if bad.size == 0:
            return None
        i = int(bad[0])
        return (f"{bad.size} of {n} values differ; first at flat index {i}: "
                f"read {_short(got[i])}, expected {_short(expect_elem(reader, spec, exp[i], got_dtype))}")
    bad_idx = []
    for i in range(n):
        want = expect_elem(reader, spec, exp[i], got_dtype)
        try:
            g = got_elem(spec, got[i])
        except ValueError as e:
            return f"element {i}: {e}"
        if not _same(g, want):
            bad_idx.append(i)
    if not bad_idx:
        return None
    i = bad_idx[0]
    return (f"{len(bad_idx)} of {n} values differ; first at flat index {i}: "
            f"read {_short(got[i])}, expected {_short(expect_elem(reader, spec, exp[i], got_dtype))}")


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


# ------------------------------------------------------------ command line


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python3 js_readers.py FILE...   (prints what jsfive and h5wasm see)")
        return 2
    try:
        print(json.dumps(js_versions()))
        t0 = time.monotonic()
        res = run_js(argv)
    except JsReadersMissing as e:
        print(f"missing oracle: {e}")
        return 3
    print(json.dumps(res, indent=1)[:200000])
    print(f"{len(argv)} file(s) in {time.monotonic() - t0:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
