"""Reader side of tests/conformance/readers.rs: reopen a file in a loop while h5sink
streams into it.

    readers_check.py PATH MODE ROW_LEN MIN_OPENS MARKERS_DIR PYFIVE_EVERY

Prints READY once h5py and pyfive are imported, then waits for PATH to
exist (polling: the loop starts before the file does). Each open reads the
committed row count (MODE "fixed": the h5sink_rows_written attribute while
present, else the shape; "unlimited": the shape, which the labels' shape
must equal), the last committed rows and labels, one earlier row, and the
class names if present, checks every value against the generator below
(tests/conformance/readers.rs has the same), checks that the row count and the number
of class names never decrease, and closes the file. Every PYFIVE_EVERY-th
open uses pyfive instead of h5py. After MIN_OPENS opens it creates
MARKERS_DIR/enough; the writer then closes the file and writes its final row
count to MARKERS_DIR/closed; one last open must see exactly that count.
Prints one JSON line of statistics; exit status 0 only with zero errors, 3
if an oracle is missing.
"""

import json
import os
import sys
import time

try:
    import h5py
    import numpy as np
    import pyfive
except ImportError as e:  # a missing oracle fails the test, never skips it
    print(f"readers_check.py: oracle missing: {e}", flush=True)
    sys.exit(3)

ROWS_ATTR = "h5sink_rows_written"


def row(r, row_len):
    """Row r of the stream (exact in f32)."""
    return ((r * 31 + np.arange(row_len)) % 1000).astype(np.float32) * np.float32(0.5)


def label(r):
    return r * 3 - 7


def class_name(i):
    return f"klasse-{i}-ü" if i % 3 == 0 else f"class {i}"


def as_str(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


class Check:
    def __init__(self, mode, row_len):
        self.mode = mode
        self.row_len = row_len
        self.last_n = 0
        self.last_names = 0
        self.seen_n = set()

    def open_and_check(self, path, use_pyfive):
        f = pyfive.File(path) if use_pyfive else h5py.File(path, "r")
        try:
            d = f["images"]
            shape = tuple(d.shape)
            if self.mode == "fixed" and ROWS_ATTR in d.attrs:
                n = int(np.asarray(d.attrs[ROWS_ATTR]).reshape(-1)[0])
            else:
                n = shape[0]
            labels = f["labels"]
            if self.mode == "unlimited" and tuple(labels.shape)[0] != n:
                raise AssertionError(f"labels {labels.shape} vs images {shape}")
            if shape[1:] != (self.row_len,):
                raise AssertionError(f"images shape {shape}")
            if n < self.last_n:
                raise AssertionError(f"row count went from {self.last_n} down to {n}")
            k = min(n, 8)
            got = np.asarray(d[n - k:n])
            want = np.stack([row(r, self.row_len) for r in range(n - k, n)]) if k else got
            if k and not np.array_equal(got, want):
                raise AssertionError(f"rows {n - k}..{n} differ: {got[:, :4]} vs {want[:, :4]}")
            got_l = np.asarray(labels[n - k:n])
            if k and list(got_l) != [label(r) for r in range(n - k, n)]:
                raise AssertionError(f"labels {n - k}..{n}: {list(got_l)}")
            if n:
                r = (n * 7919) % n
                if not np.array_equal(np.asarray(d[r:r + 1])[0], row(r, self.row_len)):
                    raise AssertionError(f"row {r} differs")
            names = 0
            if "label_names" in f:
                got_names = [as_str(v) for v in np.asarray(f["label_names"][:]).reshape(-1)]
                names = len(got_names)
                if got_names != [class_name(i) for i in range(names)]:
                    raise AssertionError(f"class names {got_names}")
            if names < self.last_names:
                raise AssertionError(f"class names went from {self.last_names} to {names}")
            self.last_n, self.last_names = n, names
            self.seen_n.add(n)
            return n
        finally:
            f.close()


def main():
    if os.environ.get("READERS_DEBUG"):
        h5py._errors.unsilence_errors()  # libhdf5's error stack on stderr
    path, mode, row_len, min_opens, markers, pyfive_every = sys.argv[1:7]
    row_len, min_opens, pyfive_every = int(row_len), int(min_opens), int(pyfive_every)
    check = Check(mode, row_len)
    print("READY", flush=True)
    t0 = time.monotonic()
    while not os.path.exists(path):
        if time.monotonic() - t0 > 60:
            print("readers_check.py: the file never appeared", flush=True)
            sys.exit(1)
        time.sleep(0.0002)
    opens = {"h5py": 0, "pyfive": 0}
    errors = []
    times = []
    enough = os.path.join(markers, "enough")
    closed = os.path.join(markers, "closed")
    final = None
    i = 0
    while True:
        done = os.path.exists(closed)
        if done:
            with open(closed) as fh:
                final = int(fh.read())
        use_pyfive = not done and pyfive_every > 0 and i % pyfive_every == pyfive_every - 1
        which = "pyfive" if use_pyfive else "h5py"
        t = time.monotonic()
        try:
            n = check.open_and_check(path, use_pyfive)
            if done and n != final:
                errors.append(f"after close: {n} rows, the writer wrote {final}")
        except Exception as e:  # every failure is recorded, the loop goes on
            errors.append(f"open {i} ({which}): {type(e).__name__}: {e}")
        times.append((time.monotonic() - t, which))
        opens[which] += 1
        i += 1
        if i == min_opens:
            open(enough, "w").close()
        if done:
            break
    ms = sorted(1000 * t for t, _ in times)
    stats = {
        "opens": i,
        "h5py_opens": opens["h5py"],
        "pyfive_opens": opens["pyfive"],
        "distinct_row_counts": len(check.seen_n),
        "final_rows": check.last_n,
        "class_names": check.last_names,
        "median_ms": round(ms[len(ms) // 2], 2),
        "p99_ms": round(ms[min(len(ms) - 1, len(ms) * 99 // 100)], 2),
        "max_ms": round(ms[-1], 2),
        "max_h5py_ms": round(max(1000 * t for t, w in times if w == "h5py"), 2),
        "errors": len(errors),
        "first_errors": errors[:5],
    }
    print("STATS " + json.dumps(stats), flush=True)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
