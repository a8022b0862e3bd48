"""Decode every <name>.zst in the directory given with libzstd (the copy
hdf5plugin bundles in libh5zstd.so, through ctypes) and compare it with
<name>.raw. Used by src/filters/zstd/round_trip.rs. Missing oracles exit 3.
"""
import ctypes
import glob
import os
import sys

try:
    import hdf5plugin
except ImportError as e:
    print("zstd_check: missing oracle:", e)
    sys.exit(3)

lib = ctypes.CDLL(os.path.join(os.path.dirname(hdf5plugin.__file__), "plugins", "libh5zstd.so"))
lib.ZSTD_getFrameContentSize.restype = ctypes.c_ulonglong
lib.ZSTD_getFrameContentSize.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
lib.ZSTD_decompress.restype = ctypes.c_size_t
lib.ZSTD_decompress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
lib.ZSTD_isError.argtypes = [ctypes.c_size_t]
lib.ZSTD_getErrorName.restype = ctypes.c_char_p
lib.ZSTD_getErrorName.argtypes = [ctypes.c_size_t]

bad = 0
names = sorted(glob.glob(os.path.join(sys.argv[1], "*.zst")))
for z in names:
    frame = open(z, "rb").read()
    raw = open(z[:-4] + ".raw", "rb").read()
    size = lib.ZSTD_getFrameContentSize(frame, len(frame))
    if size != len(raw):
        print(os.path.basename(z), "content size", size, "expected", len(raw))
        bad += 1
        continue
    out = ctypes.create_string_buffer(max(size, 1))
    n = lib.ZSTD_decompress(out, size, frame, len(frame))
    if lib.ZSTD_isError(n):
        print(os.path.basename(z), "libzstd:", lib.ZSTD_getErrorName(n).decode())
        bad += 1
    elif out.raw[:n] != raw or n != size:
        print(os.path.basename(z), "wrong bytes")
        bad += 1
print("zstd ok" if bad == 0 and names else "zstd failed", len(names), "frames,", bad, "bad")
sys.exit(1 if bad else 0)
