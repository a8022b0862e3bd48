"""libzstd (hdf5plugin's bundled copy, via ctypes) on the chunks written by
benches/zstd_levels.rs: per-core GB/s and ratio per level, plain and
4-byte shuffled, each chunk compressed on its own."""
import ctypes, glob, os, sys, time
import hdf5plugin
import numpy as np

lib = ctypes.CDLL(os.path.join(os.path.dirname(hdf5plugin.__file__), "plugins", "libh5zstd.so"))
lib.ZSTD_compress.restype = ctypes.c_size_t
lib.ZSTD_compress.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
lib.ZSTD_versionString.restype = ctypes.c_char_p
chunks = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.raw")))]
raw = sum(map(len, chunks))
cap = 2 * max(map(len, chunks)) + 1024
out = ctypes.create_string_buffer(cap)
print("libzstd", lib.ZSTD_versionString().decode(), "best of 5, CPU time")
for shuffled in (False, True):
    data = [np.frombuffer(c, "u1").reshape(-1, 4).T.tobytes() if shuffled else c for c in chunks]
    # (ours includes the shuffle in its time; libzstd's times exclude it)
    for level in [int(l) for l in os.environ.get("ZSTD_LEVELS", "1 3 5 9 19").split()]:
        best, size = 1e9, 0
        for _ in range(5):
            t = time.thread_time()
            size = sum(lib.ZSTD_compress(out, cap, c, len(c), level) for c in data)
            best = min(best, time.thread_time() - t)
        name = "shuffle+zstd" if shuffled else "zstd"
        print(f"{name:>12} {level:>2}: {raw / best / 1e9:.3f} GB/s ratio {raw / size:.3f} ({size} bytes)")
