"""check.py's shared ground: exit statuses, the oracle modules (numpy,
h5py, pyfive; a missing one is remembered for exit status 3), the manifest's
dtype tables, ramp constants, limits, the ManifestError / CheckTimeout / NA
classes, the manifest key helpers (_is_int, _keys) and run_guarded (one
in-process check under the timeout).
"""

from __future__ import annotations

import os
import signal
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
    "f16": "<f2", "f32": "<f4", "f64": "<f8",
}
INT_DTYPES = [n for n in NUMERIC_DTYPES if n[0] in "ui"]
# Manifest dtype name -> name of the standard HDF5 type in h5py.h5t that the
# file's datatype must equal (H5Tequal: size, order, precision, offset, pad,
# sign / exponent and mantissa layout, bias).
HDF5_TYPES = {
    "u8": "STD_U8LE", "i8": "STD_I8LE",
    "u16": "STD_U16LE", "i16": "STD_I16LE",
    "u32": "STD_U32LE", "i32": "STD_I32LE",
    "u64": "STD_U64LE", "i64": "STD_I64LE",
    "f16": "IEEE_F16LE", "f32": "IEEE_F32LE", "f64": "IEEE_F64LE",
}
VLEN_STR = "vlen_str"
BOOL = "bool"
# dtypes spelled as a string; the others are objects with one of OBJECT_DTYPES.
NAMED_DTYPES = set(NUMERIC_DTYPES) | {BOOL, VLEN_STR}
OBJECT_DTYPES = ("fixed_ascii", "fixed_utf8", "enum", "compound", "array")

# Ramp generator constants; must match tests/common/ramp.rs bit for bit.
RAMP_MUL = 2654435761
RAMP_FLOAT_MOD = 1000003
RAMP_F16_MOD = 2001

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


class NA(str):
    """A "not applicable" note in a check's problem list: the reader cannot
    read `what`, and `reason` cites where its own code or documentation says
    so. A check whose list holds only NA notes is reported as `n/a` and does
    not fail the scenario; any plain string in the list is a failure. Notes
    with the same reason are printed on one line."""

    what: str
    reason: Optional[str]

    def __new__(cls, what: str, reason: Optional[str] = None) -> "NA":
        obj = super().__new__(cls, f"{what}: {reason}" if reason else what)
        obj.what, obj.reason = what, reason
        return obj


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _keys(d: dict, allowed: set, where: str) -> None:
    extra = set(d) - allowed
    if extra:
        raise ManifestError(f"{where}: unknown keys {sorted(extra)}")


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
