"""Open every .h5 file in DIR with h5py and read every dataset whole.

Usage: python3 read_all.py DIR. For files whose content is random (property
tests): no manifest, only "opens and reads without error". Exit 1 on any
failure, 3 if h5py (or hdf5plugin, which reads the LZ4, bitshuffle, zstd and
Blosc chunks h5sink writes) is missing.
"""
import glob
import os
import sys

try:
    import h5py
    import hdf5plugin  # noqa: F401 (registers the plugin filters with h5py)
except ImportError as e:
    print(f"oracle missing: {e}; run scripts/test.sh")
    sys.exit(3)


def read_all(path):
    count = 0
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            nonlocal count
            count += 1
            if isinstance(obj, h5py.Dataset):
                # A declared-but-huge dataset (the file is sparse) is read at
                # its first and last element only: reading it whole would
                # need the memory its shape declares.
                whole = obj.size * obj.dtype.itemsize <= (256 << 20)
                if not whole and obj.shape and obj.size:
                    corners = [tuple(0 for _ in obj.shape), tuple(d - 1 for d in obj.shape)]
                    for c in corners:
                        obj[c]
                elif h5py.check_string_dtype(obj.dtype):
                    obj.asstr()[()]
                else:
                    obj[()]
        f.visititems(visit)
    return count


failed = 0
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.h5")))
for path in files:
    try:
        n = read_all(path)
    except Exception as e:
        failed += 1
        print(f"{os.path.basename(path)}: FAIL {type(e).__name__}: {e}")
    else:
        print(f"{os.path.basename(path)}: ok ({n} objects)")
print(f"read-all: {len(files) - failed} passed, {failed} failed")
sys.exit(1 if failed or not files else 0)
