"""check.py's h5dump side: normalise_dump (what may differ between two correct
files) and Dump (one file's `h5dump -p` text, or binary mode for big files).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field

from check_base import TIMEOUT
from check_compare import _short


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
# writes none). A chunked dataset prints no address:
#     STORAGE_LAYOUT {
#        CHUNKED ( 3, 2 )
#        SIZE 216                            <- no filters: the bytes stored
#     }
#     FILTERS {
#        NONE
#     }
# and with any filter SIZE carries the ratio of the dataspace's logical size
# to the bytes stored, `SIZE 210 (1.333:1 COMPRESSION)` (printed for shuffle
# and fletcher32 alone too; `SIZE 0 (0.000:1 COMPRESSION)` when no chunk is
# allocated), followed by the pipeline in order:
#     FILTERS {
#        PREPROCESSING SHUFFLE
#        COMPRESSION DEFLATE { LEVEL 4 }
#        CHECKSUM FLETCHER32
#     }
# These SIZE lines are the only text that depends on compressed bytes: h5sink
# deflates with miniz_oxide, libhdf5 with zlib, and both are valid streams of
# different lengths. Shuffle and fletcher32 are deterministic, so their sizes
# are the same bytes in both files. So the normalisation is exactly:
#   1. drop the first line, `HDF5 "<path>" {`, which names the file;
#   2. inside a STORAGE_LAYOUT block, replace the number after OFFSET by
#      <address>. Whether storage is allocated stays visible through SIZE;
#   3. for a dataset whose FILTERS block lists COMPRESSION DEFLATE, its
#      STORAGE_LAYOUT line `SIZE <n> (<r>:1 COMPRESSION)` with n > 0 becomes
#      `SIZE <stored> (<ratio>:1 COMPRESSION)`: the words stay, n = 0 stays
#      exact (allocated or not is still compared), and so does SIZE of every
#      dataset without deflate. What the masked number no longer shows --
#      which chunks are allocated, their filter masks -- twin_storage_problems
#      compares chunk by chunk instead, with the readers' decompressed values
#      checking the streams themselves.
# Everything else -- datatypes, dataspaces (maxshape included), chunk shape,
# filters and their parameters, fill value properties, allocation time, data
# -- must match h5py's file exactly.
_OFFSET_RE = re.compile(r"^(\s*OFFSET )\d+$")
_RATIO_SIZE_RE = re.compile(r"^(\s*SIZE )(\d+)( \()([^\s:]+)(:1 COMPRESSION\))$")


def normalise_dump(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[0].startswith('HDF5 "'):
        lines = lines[1:]
    out: list[str] = []
    block = None  # "layout" | "filters" while inside such a block
    size_at = None  # index in out of this dataset's non-zero SIZE line with a ratio
    for line in lines:
        s = line.strip()
        if s == "STORAGE_LAYOUT {":
            block, size_at = "layout", None
        elif s == "FILTERS {":
            block = "filters"
        elif block and s == "}":
            if block == "filters":
                size_at = None
            block = None
        elif block == "layout":
            line = _OFFSET_RE.sub(r"\1<address>", line)
            m = _RATIO_SIZE_RE.match(line)
            if m and m.group(2) != "0":
                size_at = len(out)
        elif block == "filters" and s.startswith("COMPRESSION DEFLATE") and size_at is not None:
            out[size_at] = _RATIO_SIZE_RE.sub(r"\1<stored>\3<ratio>\5", out[size_at])
            size_at = None
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

    def start(self, string_paths: list[str], data_paths: list[str]) -> "Dump":
        """string_paths: the vlen_str datasets; data_paths: all others."""
        tag = self.tag
        if self.binary:
            # Big files. -p -A: all headers and properties plus attribute
            # values, but no dataset data. -b FILE: the data of the listed
            # datasets as raw bytes in the file's own element format,
            # concatenated (its stdout, headers without attributes, is not
            # compared). FILE, not LE: h5dump 1.10.8's `-b LE` silently writes
            # nothing for f16, bool, enum, compound and fixed-string data.
            # h5dump's binary mode cannot do variable-length strings (`-b FILE`
            # even segfaults on them): dump those datasets as text.
            self._spawn("header", ["-p", "-A"], tag + "h")
            if data_paths:
                sel = [a for p in data_paths for a in ("-d", "/" + p)]
                self._spawn("data", ["-b", "FILE", *sel, "-o", self.bin_path(tag)], tag + "b")
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
