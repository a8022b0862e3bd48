"""js_readers.py's Node side: runs tests/oracle/js/read.mjs (one file at a
time, or one --serve process shared by a whole run), and reports what is
missing (node, npm packages).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from typing import Optional

from js_readers_capabilities import (
    JS_DIR, JsReadersMissing, NPM_CI, READ_MJS, READERS, TIMEOUT, VALUE_CAP,
)


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
