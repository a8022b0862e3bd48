#!/usr/bin/env python3
"""Self-test of the oracle harness (check.py), needing h5py but not h5sink.

Writes scenarios with h5py itself into a temporary directory and runs
check.py on them:
  * good/   every manifest feature (attributes, every dtype, ramp / strings /
            values / null, rows_written, fill values, compact layout, chunked
            layout with filters, unlimited and grown dimensions, deflate
            streams of another encoder than the twin's); every check must
            pass, pyfive "n/a" exactly where the scenario says (features
            pyfive's code cannot read, with the cited reason);
  * bad/    deliberately wrong manifests or files; each must fail in exactly
            the expected checks (this proves that the oracles, and the h5dump
            normalisation of the twin comparison, do not hide differences);
  * js/     the chunked scenarios of both once more with the JS readers'
            column (JS_WANT), which the runs above leave out;
  * check.py without h5dump on PATH must exit 3 (missing oracle).
Expected values for the small scenarios come from a pure-Python ramp, which
cross-checks check.py's numpy implementation.

Usage: python3 tests/oracle/selftest.py [--keep DIR] [--no-big]
Exit status 0 when the harness behaves, 1 otherwise, 3 if an oracle is missing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from selftest_reference import CHECK, check, h5py  # noqa: E402
from selftest_good import good_scenarios, OTHER_ENCODER  # noqa: E402
from selftest_bad import bad_scenarios, JS_WANT  # noqa: E402


# ------------------------------------------------------------ running


LINE_RE = re.compile(r"^(\S+)\s+((?:\w+ (?:ok|FAIL|off|n/a)\s*)+)$")
# The columns this selftest judges; a "js" column (tests/oracle/js_readers.py,
# proved by its own selftest) is ignored here.
CORE = ("manifest", "h5py", "pyfive", "h5dump", "twin")


def run_check(d: str, *extra, env=None):
    t = time.time()
    p = subprocess.run([sys.executable, CHECK, d, *extra], capture_output=True,
                       text=True, env=env)
    return p, time.time() - t


def run_checks(jobs: list[tuple[str, dict, list]]) -> list[tuple[Any, float]]:
    """Runs check.py on several directories at once (each has its own
    twins/ directory), with extra arguments each; returns
    (CompletedProcess-like, seconds) per job."""
    t = time.time()
    out: list = [None] * len(jobs)

    def run(k: int) -> None:
        p = subprocess.run([sys.executable, CHECK, jobs[k][0], *jobs[k][2]], capture_output=True,
                           text=True, env=jobs[k][1])
        out[k] = (p, time.time() - t)
    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(jobs))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return out


def mirror(src: str, dst: str, names=None) -> None:
    """dst: symlinks to src's manifests and files (of the scenarios `names`
    only, if given), so that check.py can run on both at once (twins go to
    DIR/twins)."""
    os.makedirs(dst, exist_ok=True)
    for n in os.listdir(src):
        if n.endswith((".json", ".h5")) and (names is None or n.rsplit(".", 1)[0] in names):
            os.symlink(os.path.join(src, n), os.path.join(dst, n))


def parse(out: str, columns=CORE) -> dict[str, dict[str, str]]:
    res = {}
    for line in out.splitlines():
        m = LINE_RE.match(line)
        if m:
            cols = m.group(2).split()
            res[m.group(1)] = {k: v for k, v in zip(cols[::2], cols[1::2]) if k in columns}
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", metavar="DIR", help="write into DIR and keep it")
    ap.add_argument("--no-big", action="store_true", help="skip the 100 MiB scenario")
    args = ap.parse_args()
    missing = check.missing_oracles()
    if missing:
        print("missing oracle: " + "; ".join(missing) + "\nrun scripts/test.sh to install them")
        return 3
    root = args.keep or tempfile.mkdtemp(prefix="h5sink-selftest-")
    if args.keep:
        shutil.rmtree(root, ignore_errors=True)
    good, bad = os.path.join(root, "good"), os.path.join(root, "bad")
    os.makedirs(good)
    os.makedirs(bad)
    errors: list[str] = []
    try:
        scns = good_scenarios(big=not args.no_big)
        for s in scns:
            s.write(good)
        want_bad = bad_scenarios(bad)
        # Text mode is the default for small files; TEXT_LIMIT=0 forces the
        # binary h5dump mode (used for big files) on every scenario, which
        # must reach the same verdicts. The four runs go in parallel.
        mirror(good, good + "-binary")
        mirror(bad, bad + "-binary")
        # One directory (one Node process) for the JS run of both kinds.
        js_dir = os.path.join(root, "js")
        mirror(good, js_dir, JS_WANT["good"])
        mirror(bad, js_dir, JS_WANT["bad"])
        env_text = dict(os.environ)
        env_text.pop("H5SINK_ORACLE_TEXT_LIMIT", None)
        env_bin = {**env_text, "H5SINK_ORACLE_TEXT_LIMIT": "0"}
        env_js = {k: v for k, v in env_text.items() if k != "H5SINK_ORACLE_NO_JS"}
        only = [a for names in JS_WANT.values() for n in names for a in ("--only", n)]
        jobs = [("text", good, env_text, []), ("text", bad, env_text, []),
                ("binary", good + "-binary", env_bin, []), ("binary", bad + "-binary", env_bin, []),
                ("js", js_dir, env_js, only)]
        results = run_checks([(d, env, args) for _, d, env, args in jobs])
        for (mode, d, _, _), (p, secs) in zip(jobs, results):
            print(f"--- check.py {d}  [{mode} mode, {secs:.1f}s]\n{p.stdout}{p.stderr}", end="")
            if mode == "js":
                got_js = parse(p.stdout, ("js",))
                if p.returncode == 3:
                    errors.append("js: a JS oracle is missing (exit 3); run scripts/test.sh")
                for kind, names in JS_WANT.items():
                    for name, w in names.items():
                        if got_js.get(name, {}).get("js") != w:
                            errors.append(f"js: {kind} scenario {name}: js {got_js.get(name)}, "
                                          f"expected {w}")
                if not re.search(r"jsfive: dataset 'x': \d+ elements the manifest says were "
                                 r"written read as undefined", p.stdout):
                    errors.append("js: chunk_missing_written: no jsfive 'read as undefined' line")
                continue
            got = parse(p.stdout)
            if d.startswith(good):
                if p.returncode != 0:
                    errors.append(f"{mode}: good scenarios: exit status {p.returncode}, expected 0")
                for s in scns:
                    want = {"h5py": "ok", "pyfive": s.pyfive, "h5dump": "ok",
                            "twin": "ok" if s.twin else "off"}
                    if got.get(s.name) != want:
                        errors.append(f"{mode}: good scenario {s.name}: {got.get(s.name)}, "
                                      f"expected {want}")
                if p.stdout.splitlines()[-1:] != [f"{len(scns)} passed, 0 failed"]:
                    errors.append(f"{mode}: good scenarios: wrong final line")
                if not re.search(r"^    pyfive n/a \(.*pyfive/\w+\.py \w+", p.stdout, re.M):
                    errors.append(f"{mode}: good scenarios: no 'pyfive n/a (<cited reason>)' line")
            else:
                if p.returncode != 1:
                    errors.append(f"{mode}: bad scenarios: exit status {p.returncode}, expected 1")
                for name, w in want_bad.items():
                    if got.get(name) != w:
                        errors.append(f"{mode}: bad scenario {name}: {got.get(name)}, expected {w}")
                if p.stdout.splitlines()[-1:] != [f"0 passed, {len(want_bad)} failed"]:
                    errors.append(f"{mode}: bad scenarios: wrong final line")

        # The other-encoder scenario must really store other deflate sizes
        # than its twin, or it would prove nothing about the normalisation.
        for name, paths in OTHER_ENCODER.items():
            with h5py.File(os.path.join(good, name + ".h5"), "r") as fa, \
                    h5py.File(os.path.join(good, "twins", name + ".h5"), "r") as fb:
                for path in paths:
                    na, nb = fa[path].id.get_storage_size(), fb[path].id.get_storage_size()
                    if na == nb:
                        errors.append(f"{name}/{path}: {na} stored bytes, as many as the twin: "
                                      "the SIZE normalisation is not exercised")

        p, _ = run_check(good, "--only", "scalars")
        if p.returncode != 0 or list(parse(p.stdout)) != ["scalars"]:
            errors.append(f"--only scalars: exit {p.returncode}, lines {list(parse(p.stdout))}")
        p, _ = run_check(good, "--only", "no_such_scenario")
        if p.returncode != 1:
            errors.append(f"--only no_such_scenario: exit {p.returncode}, expected 1")

        # A missing oracle must be exit status 3, never a pass or a skip.
        empty = os.path.join(root, "empty-path")
        os.makedirs(empty)
        p, _ = run_check(good, env={**os.environ, "PATH": empty})
        print(f"--- check.py without h5dump on PATH: exit {p.returncode}\n{p.stdout}", end="")
        if p.returncode != 3 or "h5dump" not in p.stdout:
            errors.append(f"no h5dump on PATH: exit status {p.returncode}, expected 3")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    for e in errors:
        print(f"SELFTEST ERROR: {e}")
    print("selftest ok" if not errors else f"selftest FAILED ({len(errors)} errors)")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
