"""The h5py tutorial's HDF5DatasetWriter, as published, driven as a crash-test child.

Usage:
  python3 tutorial_writer.py child PATH ROWS ROW_LEN BATCH
      Stream ROWS rows of ROW_LEN float values (row r, column c =
      ((r * 31 + c) % 1000) * 0.5, label r * 3 - 7) in adds of BATCH rows
      through the class below (bufSize 100), storing the class names first.
      Prints "FLUSHED n" after create and after each flush of the buffer.
  python3 tutorial_writer.py check CASES.json
      CASES.json: [{"file": path, "rows": N, "total_rows": T, "row_len": L}].
      Prints one line per file and "tutorial survival: S of C" where a file
      survives if it opens in h5py and holds every reported row. Always exits
      0 (the survival rate is reported, not asserted), 3 if h5py is missing.
"""
import json
import os
import sys
import time

try:
    import h5py
    import numpy as np
except ImportError as e:
    print(f"oracle missing: {e}; run scripts/test.sh to install h5py and numpy")
    sys.exit(3)

CLASSES = ["cat", "dög", "horse"]


class HDF5DatasetWriter:
    # The tutorial's class (PyImageSearch, "Deep Learning for Computer
    # Vision with Python", io/hdf5datasetwriter.py), unchanged.
    def __init__(self, dims, outputPath, dataKey="images", bufSize=1000):
        # check to see if the output path exists, and if so, raise
        # an exception
        if os.path.exists(outputPath):
            raise ValueError("The supplied `outputPath` already "
                             "exists and cannot be overwritten. Manually delete "
                             "the file before continuing.", outputPath)

        # open the HDF5 database for writing and create two datasets:
        # one to store the images/features and another to store the
        # class labels
        self.db = h5py.File(outputPath, "w")
        self.data = self.db.create_dataset(dataKey, dims, dtype="float")
        self.labels = self.db.create_dataset("labels", (dims[0],), dtype="int")

        # store the buffer size, then initialize the buffer itself
        # along with the index into the datasets
        self.bufSize = bufSize
        self.buffer = {"data": [], "labels": []}
        self.idx = 0

    def add(self, rows, labels):
        # add the rows and labels to the buffer
        self.buffer["data"].extend(rows)
        self.buffer["labels"].extend(labels)

        # check to see if the buffer needs to be flushed to disk
        if len(self.buffer["data"]) >= self.bufSize:
            self.flush()

    def flush(self):
        # write the buffers to disk then reset the buffer
        i = self.idx + len(self.buffer["data"])
        self.data[self.idx:i] = self.buffer["data"]
        self.labels[self.idx:i] = self.buffer["labels"]
        self.idx = i
        self.buffer = {"data": [], "labels": []}

    def storeClassLabels(self, classLabels):
        # create a dataset to store the actual class label names,
        # then store the class labels
        dt = h5py.special_dtype(vlen=str)
        labelSet = self.db.create_dataset("label_names",
                                          (len(classLabels),), dtype=dt)
        labelSet[:] = classLabels

    def close(self):
        # check to see if there are any other entries in the buffer
        # that need to be flushed to disk
        if len(self.buffer["data"]) > 0:
            self.flush()

        # close the dataset
        self.db.close()


def expected(n, row_len):
    r = np.arange(n, dtype=np.int64)[:, None]
    c = np.arange(row_len, dtype=np.int64)[None, :]
    data = ((r * 31 + c) % 1000).astype(np.float64) * 0.5
    labels = np.arange(n, dtype=np.int64) * 3 - 7
    return data, labels


def child(path, rows, row_len, batch):
    data, labels = expected(rows, row_len)
    w = HDF5DatasetWriter((rows, row_len), path, dataKey="images", bufSize=100)
    w.storeClassLabels(CLASSES)
    print("FLUSHED 0", flush=True)
    r = 0
    while r < rows:
        before = w.idx
        w.add(data[r:r + batch], labels[r:r + batch])
        r += batch
        if w.idx != before:
            print(f"FLUSHED {w.idx}", flush=True)
        time.sleep(0.00015)
    w.close()
    print(f"FLUSHED {rows}", flush=True)


def check_one(case):
    n, total, row_len = case["rows"], case["total_rows"], case["row_len"]
    with h5py.File(case["file"], "r") as f:
        ds, lb = f["images"], f["labels"]
        if ds.shape != (total, row_len) or lb.shape != (total,):
            return f"shapes {ds.shape} {lb.shape}"
        data, labels = expected(n, row_len)
        if not np.array_equal(ds[:n], data):
            bad = int(np.argwhere(~np.all(ds[:n] == data, axis=1))[0][0])
            return f"row {bad} of the {n} reported rows differs"
        if not np.array_equal(lb[:n], labels):
            return "labels of the reported rows differ"
        if list(f["label_names"].asstr()[()]) != CLASSES:
            return "label_names differ"
    return None


def check(manifest):
    cases = json.load(open(manifest))
    ok = 0
    for case in cases:
        try:
            err = check_one(case)
        except Exception as e:
            err = f"{type(e).__name__}: {e}"
        ok += err is None
        print(f"{case['file']}: {case['rows']} reported rows: {'ok' if err is None else 'LOST: ' + err}")
    print(f"tutorial survival: {ok} of {len(cases)}")


if __name__ == "__main__":
    if sys.argv[1] == "child":
        child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        check(sys.argv[2])
