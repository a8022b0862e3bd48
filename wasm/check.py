"""Checks the demo file built by h5sink-wasm (wasm/src/lib.rs) with h5py.

Usage: python3 wasm/check.py FILE.h5 [FILE.h5 ...]
Optional: --big FILE.h5 checks the wasi-check program's big.h5, --codecs
FILE.h5 its codecs.h5 (with hdf5plugin: LZ4, bitshuffle, zstd, Blosc, LZF).
"""
import sys

import h5py
import numpy as np

ROWS, COLS = 6, 5
CHUNKED = (100, 40)
NAMES = ["cat", "dog", "ünïcødé ✓", ""]


def check_demo(path):
    with h5py.File(path, "r") as f:
        assert sorted(f.keys()) == ["chunked", "features", "meta"], list(f.keys())
        assert f.attrs["title"] == "h5sink wasm demo", f.attrs["title"]
        assert isinstance(f["meta"], h5py.Group)
        names = f["meta/names"]
        assert h5py.check_string_dtype(names.dtype).encoding == "utf-8"
        assert [s.decode() for s in names[()]] == NAMES, names[()]

        feat = f["features"]
        assert feat.dtype == np.dtype("<f4") and feat.shape == (ROWS, COLS)
        r, c = np.meshgrid(np.arange(ROWS), np.arange(COLS), indexing="ij")
        assert (feat[()] == (r * 10.0 + c * 0.5).astype(np.float32)).all(), feat[()]
        assert feat.attrs["units"] == "kelvin"
        assert (feat.attrs["scale"] == [1.0, 2.0, 3.0]).all()

        ch = f["chunked"]
        assert ch.dtype == np.dtype("<i4") and ch.shape == CHUNKED
        assert ch.chunks == (16, 16) and ch.compression == "gzip" and ch.shuffle
        assert ch.compression_opts == 6
        want = (np.arange(CHUNKED[0] * CHUNKED[1]) % 97 - 40).reshape(CHUNKED)
        assert (ch[()] == want).all()
    print(f"check.py: {path}: h5py {h5py.__version__} reads every object correctly")


def check_big(path):
    with h5py.File(path, "r") as f:
        ds = f["big"]
        assert ds.shape == (2000, 300) and ds.chunks == (40, 60) and ds.maxshape == (None, 300)
        assert ds.compression == "gzip" and ds.shuffle and ds.fletcher32
        want = np.sqrt((np.arange(2000 * 300) % 1013).astype(np.float32)).reshape(2000, 300)
        assert (ds[()] == want).all()
    print(f"check.py: {path}: 2000 x 300 deflated chunks read back exactly")


CODECS = {  # dataset name (wasi-check.rs CODECS): its filter id
    "lz4": 32004, "bslz4": 32008, "bszstd": 32008, "zstd": 32015,
    "blosc_lz4": 32001, "blosc_zstd": 32001, "lzf": 32000,
}


def check_codecs(path):
    import hdf5plugin  # noqa: F401 (registers the plugin filters)

    want = np.sqrt((np.arange(2000 * 300) % 1013).astype(np.float32)).reshape(2000, 300)
    with h5py.File(path, "r") as f:
        assert sorted(f.keys()) == sorted(CODECS), list(f.keys())
        for name, fid in CODECS.items():
            ds = f[name]
            p = ds.id.get_create_plist()
            assert [p.get_filter(i)[0] for i in range(p.get_nfilters())] == [fid], name
            assert ds.chunks == (40, 60) and (ds[()] == want).all(), name
    print(f"check.py: {path}: {len(CODECS)} plugin-codec datasets read back exactly (hdf5plugin)")


args = sys.argv[1:]
if not args:
    sys.exit(__doc__)
while args:
    a = args.pop(0)
    if a == "--big":
        check_big(args.pop(0))
    elif a == "--codecs":
        check_codecs(args.pop(0))
    else:
        check_demo(a)
