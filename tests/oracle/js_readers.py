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

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# js_readers.py's parts (tests/oracle/js_readers_*.py); the names below are
# its interface to check.py, codecs_js_check.py and js/selftest.py.
from js_readers_capabilities import JsReadersMissing, READERS, UNSUPPORTED  # noqa: E402
from js_readers_node import js_versions, missing, run_js  # noqa: E402
from js_readers_check import _NO_FILL_FIELD, check_js, check_scenario  # noqa: E402


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
