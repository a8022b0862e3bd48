#!/usr/bin/env python3
"""Side-by-side benchmark of this tree against an older commit, in one run.

    python3 scripts/bench_against.py REV BENCH [ROUNDS]

Builds `cargo bench --bench BENCH` here and at REV (in a temporary git
worktree), then runs the two binaries alternately, ROUNDS times each (default
5), each invocation with RUNS=1, and prints every figure h5sink reports for
both sides with the per-round ratios and their median. Alternating on the
same machine in the same minutes is what makes the ratio meaningful on a
shared, noisy machine; absolute numbers are not.

Figures read (the benches' own output lines):
  metadata: "best of 1: h5sink X ms"                       (lower is better)
  compress: "best: deflate 4 + shuffle: h5sink X GB/s",
            "best: uncompressed chunked h5sink X GB/s"     (higher is better)
  stream:   "h5sink ... X GB/s" lines are not parsed here; use its own floors.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

PATTERNS = {
    "metadata": [("h5sink ms", r"best of 1: h5sink ([0-9.]+) ms", "lower")],
    "compress": [
        ("deflate+shuffle GB/s", r"best: deflate 4 \+ shuffle: h5sink ([0-9.]+) GB/s", "higher"),
        ("uncompressed chunked GB/s", r"best: uncompressed chunked h5sink ([0-9.]+) GB/s", "higher"),
    ],
}


def build(tree, bench, target):
    """Build the bench binary of `tree`; return its path."""
    out = subprocess.run(
        ["cargo", "bench", "--bench", bench, "--no-run", "--message-format=json"],
        cwd=tree, env=dict(os.environ, CARGO_TARGET_DIR=target),
        check=True, capture_output=True, text=True,
    ).stdout
    exe = None
    for line in out.splitlines():
        m = re.search(r'"executable":"([^"]+)"', line)
        if m and f'"name":"{bench}"' in line:
            exe = m.group(1)
    if exe is None:
        sys.exit(f"bench_against: no executable for bench {bench} in {tree}")
    return exe


def run(exe, bench):
    out = subprocess.run([exe, "--bench"], env=dict(os.environ, RUNS="1"),
                         check=True, capture_output=True, text=True).stdout
    figures = {}
    for name, pat, _ in PATTERNS[bench]:
        m = re.search(pat, out)
        if not m:
            sys.exit(f"bench_against: {exe} printed no {name!r}:\n{out}")
        figures[name] = float(m.group(1))
    return figures


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in PATTERNS:
        sys.exit(__doc__)
    rev, bench = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory(prefix="h5sink-bench-") as tmp:
        old_tree = os.path.join(tmp, "old")
        subprocess.run(["git", "worktree", "add", "--detach", old_tree, rev],
                       cwd=here, check=True, capture_output=True)
        try:
            new_exe = build(here, bench, os.path.join(here, "target"))
            old_exe = build(old_tree, bench, os.path.join(tmp, "target"))
            rows = []
            for r in range(rounds):
                # Alternate which side goes first.
                order = [("new", new_exe), ("old", old_exe)]
                if r % 2:
                    order.reverse()
                got = {side: run(exe, bench) for side, exe in order}
                rows.append(got)
                print(f"round {r}: " + "; ".join(
                    f"{name}: new {got['new'][name]:g}, old {got['old'][name]:g}"
                    for name, _, _ in PATTERNS[bench]), flush=True)
            for name, _, better in PATTERNS[bench]:
                ratios = [row["new"][name] / row["old"][name] for row in rows]
                # Express as "new speed relative to old": > 1 means faster.
                speed = [1 / x for x in ratios] if better == "lower" else ratios
                print(f"{bench} {name}: new/old speed per round "
                      f"{', '.join(f'{s:.2f}' for s in speed)}; median {statistics.median(speed):.2f}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", old_tree],
                           cwd=here, capture_output=True)


if __name__ == "__main__":
    main()
