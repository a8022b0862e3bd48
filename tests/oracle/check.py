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
import os
import shutil
import signal
import sys
import tempfile
from typing import Any, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# check.py's parts (tests/oracle/check_*.py); some names are imported only so
# that the scripts doing `import check` (selftest.py, crosscheck.py,
# js/selftest.py) find them here.
from check_base import (
    _IMPORT_ERRORS, _on_alarm, EXIT_FAIL, EXIT_MISSING, EXIT_OK, EXIT_USAGE, h5py,
    ManifestError, MAX_REASONS, NA, np, run_guarded, TEXT_LIMIT,
)  # noqa: E402
from check_dtypes import DType  # noqa: E402
from check_manifest import load_manifest, Scenario  # noqa: E402
from check_expected import Expected, expected_values, ramp_cast, ramp_u64  # noqa: E402
from check_compare import _short  # noqa: E402
from check_h5py import check_h5py  # noqa: E402
from check_pyfive import check_pyfive, PYFIVE_NA_ENUM_MEMBER  # noqa: E402
from check_dump import Dump  # noqa: E402
from check_twin import build_twin, check_h5dump_and_twin  # noqa: E402


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


# ------------------------------------------------------------------ driver


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
