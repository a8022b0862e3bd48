"""A feature-extraction job on Dask, with h5sink writing the HDF5 file.

Each Dask task "extracts features" for a slice of the images (here a cheap,
exactly reproducible function of the row index stands in for a network's
forward pass) and writes them where its pattern says:

  --mode shards   every task packs its slice into its own shard file with the
                  static `h5sink pack` CLI; `h5sink stitch` then joins the
                  shards as virtual datasets (no rows copied).
  --mode regions  one process plans the whole file (`h5sink plan`: datasets
                  of their final size, one row-range token per task); every
                  task writes its rows into its range of that one file
                  (`h5sink write-region`, raw rows on stdin), positional
                  writes only.

Either way h5py then reads `features`, `labels` and `label_names` as one
file and every value is checked. A LocalCluster of worker processes is the
same API as a cluster of machines sharing a filesystem (docs/distributed.md).

    python3 examples/dask/feature_job.py --h5sink target/release/h5sink \
        --workdir /tmp/job --mode shards --rows 4000 --dim 25088 --tasks 16
"""

import argparse
import os
import subprocess
import sys
import time

import h5py
import numpy as np
from dask.distributed import Client, LocalCluster

CLASSES = ["airplane", "automobile", "bird", "cat", "deer"]


def features(start, stop, dim):
    """Rows start..stop of the feature matrix: ReLU-like, about half zeros."""
    r = np.arange(start, stop, dtype=np.int64)[:, None]
    c = np.arange(dim, dtype=np.int64)[None, :]
    v = ((r * 7919 + c * 104729) % 2003 - 1000).astype(np.float32) / np.float32(250.0)
    return np.maximum(v, np.float32(0.0))


def labels(start, stop):
    return (np.arange(start, stop, dtype=np.int64) * 7) % len(CLASSES)


def slices(rows, tasks):
    step = -(-rows // tasks)
    return [(s, min(rows, s + step)) for s in range(0, rows, step)]


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def shard_task(h5sink, workdir, part, start, stop, dim):
    """Extract rows start..stop and pack them into shard `part`."""
    scratch = os.path.join(workdir, f"scratch-{part:04}")
    os.makedirs(scratch)
    feats, labs, names = (os.path.join(scratch, n) for n in ("f.npy", "l.npy", "names.txt"))
    np.save(feats, features(start, stop, dim))
    np.save(labs, labels(start, stop))
    with open(names, "w") as f:
        f.write("\n".join(CLASSES) + "\n")
    out = os.path.join(workdir, f"shard-{part:04}.h5")
    run([h5sink, "pack", out, f"features={feats}", f"labels={labs}", "--class-names", names])
    for p in (feats, labs, names):
        os.remove(p)
    os.rmdir(scratch)
    return out, os.getpid()


def region_task(h5sink, path, start, stop, dim, tokens):
    """Extract rows start..stop and write them into their range of the planned file."""
    for name, rows in (("features", features(start, stop, dim)), ("labels", labels(start, stop))):
        done = subprocess.run([h5sink, "write-region", path, tokens[name]],
                              input=np.ascontiguousarray(rows).astype(rows.dtype.newbyteorder("<")).tobytes(),
                              capture_output=True)
        if done.returncode != 0:
            raise RuntimeError(f"write-region {name} {start}:{stop}: {done.stderr.decode().strip()}")
    return path, os.getpid()


def check(path, rows, dim):
    with h5py.File(path, "r") as f:
        x, y = f["features"], f["labels"]
        assert x.shape == (rows, dim), x.shape
        assert y.shape == (rows,), y.shape
        step = 512
        for s in range(0, rows, step):
            e = min(rows, s + step)
            np.testing.assert_array_equal(x[s:e], features(s, e, dim))
        np.testing.assert_array_equal(y[:], labels(0, rows))
        assert list(f["label_names"].asstr()[:]) == CLASSES
        return x.is_virtual


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--h5sink", required=True, help="path of the h5sink CLI binary")
    ap.add_argument("--workdir", required=True, help="a new directory for the output")
    ap.add_argument("--mode", choices=["shards", "regions"], default="shards")
    ap.add_argument("--rows", type=int, default=4000)
    ap.add_argument("--dim", type=int, default=25088)
    ap.add_argument("--tasks", type=int, default=16)
    ap.add_argument("--workers", type=int, default=4)
    a = ap.parse_args()
    h5sink = os.path.abspath(a.h5sink)
    os.makedirs(a.workdir)
    t0 = time.perf_counter()
    with LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        parts = slices(a.rows, a.tasks)
        if a.mode == "shards":
            futures = [client.submit(shard_task, h5sink, a.workdir, i, s, e, a.dim, pure=False)
                       for i, (s, e) in enumerate(parts)]
            done = client.gather(futures)
            out = os.path.join(a.workdir, "features.h5")
            run([h5sink, "stitch", out] + [p for p, _ in done])
        else:
            out = os.path.join(a.workdir, "features.h5")
            plan = run([h5sink, "plan", out, "--rows", str(a.rows), "--dim", str(a.dim),
                        "--class-names", ",".join(CLASSES)]
                       + [f"{s}:{e}" for s, e in parts])
            tokens = parse_plan(plan)
            futures = [client.submit(region_task, h5sink, out, s, e, a.dim,
                                     tokens[(s, e)], pure=False)
                       for s, e in parts]
            done = client.gather(futures)
    pids = sorted({pid for _, pid in done})
    seconds = time.perf_counter() - t0
    virtual = check(out, a.rows, a.dim)
    print(f"{a.mode}: {a.rows} x {a.dim} f32 by {len(parts)} tasks on {len(pids)} worker "
          f"processes in {seconds:.2f} s; h5py read every row exactly "
          f"({'virtual' if virtual else 'plain'} dataset)")
    return 0


def parse_plan(text):
    """`h5sink plan` prints one line per range: START:STOP DATASET TOKEN."""
    tokens = {}
    for line in text.splitlines():
        rng, name, token = line.split(" ", 2)
        s, e = (int(v) for v in rng.split(":"))
        tokens.setdefault((s, e), {})[name] = token
    return tokens


if __name__ == "__main__":
    sys.exit(main())
