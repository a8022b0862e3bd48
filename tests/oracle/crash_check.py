"""Check files left behind by killed or failed writers (used by tests/crash_*.rs).

Usage: python3 crash_check.py CASES.json

CASES.json is a list of objects:
  {"file": path, "rows": N, "total_rows": T, "row_len": L, "key": "images",
   "class_names": [...] or null}
Each file must open in h5py; `key` must be float32 of shape (T, L) and
`labels` int64 of shape (T,) -- with "total_rows": null (an append stream)
the shape is whatever was committed: at least N rows, or exactly N with
"exact_rows": true. Rows [0, N) must hold the stream's values:
row r, column c = float32((r * 31 + c) % 1000) * 0.5, label r = r * 3 - 7.
Rows past N may hold anything (they were written after the last reported
flush, or not at all). If class_names is given, label_names must equal it.
Prints one line per case and a closing `N passed, M failed` line; exits 1 on
any failure, 3 if h5py is missing.
"""
import json
import sys

try:
    import h5py
    import numpy as np
except ImportError as e:  # an oracle is missing: the calling test must fail
    print(f"oracle missing: {e}; run scripts/test.sh to install h5py and numpy")
    sys.exit(3)


def expected(n, row_len):
    r = np.arange(n, dtype=np.int64)[:, None]
    c = np.arange(row_len, dtype=np.int64)[None, :]
    data = (((r * 31 + c) % 1000).astype(np.float32)) * np.float32(0.5)
    labels = np.arange(n, dtype=np.int64) * 3 - 7
    return data, labels


def check(case):
    with h5py.File(case["file"], "r") as f:
        n, total, row_len = case["rows"], case["total_rows"], case["row_len"]
        ds, lb = f[case["key"]], f["labels"]
        if total is None:  # append stream: the committed row count
            total = ds.shape[0]
            if total < n or (case.get("exact_rows") and total != n):
                return f"{case['key']} has {total} rows, {n} were reported flushed"
        if ds.shape != (total, row_len) or ds.dtype != np.float32:
            return f"{case['key']} is {ds.shape} {ds.dtype}, expected ({total}, {row_len}) float32"
        if lb.shape != (total,) or lb.dtype != np.int64:
            return f"labels is {lb.shape} {lb.dtype}"
        data, labels = expected(n, row_len)
        got = ds[:n]
        if not np.array_equal(got, data):
            bad = int(np.argwhere(~np.all(got == data, axis=1))[0][0])
            return f"row {bad} of the {n} reported rows differs"
        if not np.array_equal(lb[:n], labels):
            return "labels of the reported rows differ"
        if case.get("class_names") is not None:
            names = list(f["label_names"].asstr()[()])
            if names != case["class_names"]:
                return f"label_names {names!r} != {case['class_names']!r}"
    return None


def main():
    cases = json.load(open(sys.argv[1]))
    failed = 0
    for case in cases:
        try:
            err = check(case)
        except Exception as e:  # h5py could not open or read it
            err = f"{type(e).__name__}: {e}"
        status = "ok" if err is None else f"FAIL: {err}"
        print(f"{case['file']}: {case['rows']} reported rows: {status}")
        failed += err is not None
    print(f"crash-check: {len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
