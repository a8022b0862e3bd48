"""The same streaming workload as benches/stream.rs, through the h5py
tutorial's HDF5DatasetWriter (adds of 32 rows, bufSize 1000), for comparison.

Usage: python3 benches/h5py_tutorial.py [DIR] [RUNS]   (default /dev/shm, 3)
Prints GB/s per run and the best.
"""
import os
import sys
import time

import h5py
import numpy as np

ROWS, FEATURES, BATCH, BUF = 4000, 25088, 32, 1000


class HDF5DatasetWriter:
    """The tutorial's class, as published (float32 data here, as in the Rust bench)."""

    def __init__(self, dims, outputPath, dataKey="images", bufSize=1000):
        if os.path.exists(outputPath):
            raise ValueError("The supplied `outputPath` already exists", outputPath)
        self.db = h5py.File(outputPath, "w")
        self.data = self.db.create_dataset(dataKey, dims, dtype="float32")
        self.labels = self.db.create_dataset("labels", (dims[0],), dtype="int")
        self.bufSize = bufSize
        self.buffer = {"data": [], "labels": []}
        self.idx = 0

    def add(self, rows, labels):
        self.buffer["data"].extend(rows)
        self.buffer["labels"].extend(labels)
        if len(self.buffer["data"]) >= self.bufSize:
            self.flush()

    def flush(self):
        i = self.idx + len(self.buffer["data"])
        self.data[self.idx:i] = self.buffer["data"]
        self.labels[self.idx:i] = self.buffer["labels"]
        self.idx = i
        self.buffer = {"data": [], "labels": []}

    def close(self):
        if len(self.buffer["data"]) > 0:
            self.flush()
        self.db.close()


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "/dev/shm"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    i = np.arange(BATCH * FEATURES)
    rows = (np.maximum((i % 97).astype(np.float32) - 60, 0) * 0.125).reshape(BATCH, FEATURES)
    labels = np.arange(BATCH, dtype=np.int64)
    nbytes = ROWS * FEATURES * 4 + ROWS * 8
    best = 0
    for r in range(runs):
        path = os.path.join(d, f"h5py-bench-{os.getpid()}-{r}.h5")
        t = time.perf_counter()
        w = HDF5DatasetWriter((ROWS, FEATURES), path, dataKey="features", bufSize=BUF)
        for _ in range(ROWS // BATCH):
            w.add(rows, labels)
        w.close()
        secs = time.perf_counter() - t
        os.remove(path)
        best = max(best, nbytes / secs / 1e9)
        print(f"run {r}: h5py tutorial writer {nbytes / secs / 1e9:.2f} GB/s")
    print(f"best: h5py tutorial writer {best:.2f} GB/s (h5py {h5py.__version__}, libhdf5 {h5py.version.hdf5_version})")


if __name__ == "__main__":
    main()
