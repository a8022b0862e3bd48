"""Check codecs.h5 (tests/codecs/codecs.rs) in the current directory: h5py with
hdf5plugin reads every filtered dataset exactly (against the unfiltered
ref_<type> and the formula), h5py without hdf5plugin reads LZF, an h5py +
hdf5plugin twin (twin.h5, left for the Rust side to read) gives the same
`h5dump -p` text with the data (addresses and stored sizes aside), and
h5dump prints our data through hdf5plugin's plugins. Missing oracles exit 3.
"""
import os
import re
import subprocess
import sys

try:
    import h5py
    import numpy as np
except ImportError as e:
    print("codecs_check: missing oracle:", e)
    sys.exit(3)

ROWS, COLS = 45, 7
with h5py.File("codecs.h5", "r") as f:
    # i8 u16 i32 f32 f64 pair, and f16 when h5sink's `half` feature is on.
    TYPES = sorted(k[4:] for k in f if k.startswith("ref_") and k != "ref_noise")


def expected(t):
    k = np.arange(ROWS * COLS, dtype=np.int64)
    base = k * 37 % 200 - 100
    if t == "i8":
        v = base.astype("i1")
    elif t == "u16":
        v = (k * 37 % 200).astype("u2") * 300
    elif t == "i32":
        v = base.astype("i4") * 100000
    elif t == "f32":
        v = np.maximum(base, 0).astype("f4") * np.float32(0.25)
    elif t == "f64":
        v = base.astype("f8") / 3.0
    elif t == "f16":
        v = (base.astype("f4") * np.float32(0.5)).astype("f2")
    else:
        return None
    return v.reshape(ROWS, COLS)


# LZF first, before hdf5plugin is imported: h5py has it built in; and
# pyfive with python-neo-lzf. lzf_noise does not shrink: its chunks are
# stored raw with the filter's mask bit set, as h5py's filter does.
try:
    import pyfive
    import lzf  # noqa: F401 (pyfive's LZF codec)
except ImportError as e:
    print("codecs_check: missing oracle:", e)
    sys.exit(3)
with h5py.File("codecs.h5", "r") as f:
    for t in TYPES + ["noise"]:
        ref = f["ref_" + t][:].tobytes()
        assert f["lzf_" + t][:].tobytes() == ref, "h5py lzf_" + t
    masks = [f["lzf_noise"].id.read_direct_chunk((100 * i,))[0] for i in range(3)]
    assert masks == [1, 1, 1], masks
    masks = [f["lzf_f32"].id.read_direct_chunk((20 * i, 0))[0] for i in range(3)]
    assert masks == [0, 0, 0], masks

try:
    import hdf5plugin
except ImportError as e:
    print("codecs_check: missing oracle:", e)
    sys.exit(3)

CONFIGS = {
    "lzf": dict(compression="lzf"),
    "lz4": hdf5plugin.LZ4(),
    "bs": hdf5plugin.Bitshuffle(cname="none"),
    "bslz4": hdf5plugin.Bitshuffle(),
    "bszstd": hdf5plugin.Bitshuffle(cname="zstd", clevel=3),
    "zstd": hdf5plugin.Zstd(clevel=3),
    "zstd9": hdf5plugin.Zstd(clevel=9),
    "blosc_lz4_byte": hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.SHUFFLE),
    "blosc_zstd_bit": hdf5plugin.Blosc(cname="zstd", clevel=3, shuffle=hdf5plugin.Blosc.BITSHUFFLE),
    "blosc_lz4_none": hdf5plugin.Blosc(cname="lz4", clevel=5, shuffle=hdf5plugin.Blosc.NOSHUFFLE),
    "shuffle_lz4_f32": dict(shuffle=True, fletcher32=True, **hdf5plugin.LZ4()),
    "shuffle_zstd": dict(shuffle=True, **hdf5plugin.Zstd(clevel=1)),
}

n = 0
with h5py.File("codecs.h5", "r") as f, h5py.File("twin.h5", "w") as twin:
    for t in TYPES:
        ref = f["ref_" + t][:]
        want = expected(t)
        if want is not None:
            assert ref.dtype == want.dtype and np.array_equal(ref, want), "ref_" + t
        twin.create_dataset("ref_" + t, data=ref)
        for name, kw in CONFIGS.items():
            path = "%s_%s" % (name, t)
            d = f[path]
            got = d[:]
            assert d.chunks == (20, 4), (path, d.chunks)
            assert got.dtype == ref.dtype and got.shape == ref.shape, path
            assert got.tobytes() == ref.tobytes(), path + ": values differ"
            # Edge chunks: the last row and column are right on their own.
            assert d[44, 6].tobytes() == ref[44, 6].tobytes(), path
            twin.create_dataset(path, data=ref, chunks=(20, 4), **kw)
            n += 1

    ref = f["ref_noise"][:]
    twin.create_dataset("ref_noise", data=ref)
    twin.create_dataset("lzf_noise", data=ref, chunks=(100,), compression="lzf")
    assert [twin["lzf_noise"].id.read_direct_chunk((100 * i,))[0] for i in range(3)] == [1, 1, 1]



def pyfive_lzf(path):
    """The LZF datasets pyfive reads exactly; pyfive 1.3 takes the first two
    bytes of a stream as the output size, and fails when they are small,
    on h5py's streams as on ours."""
    out = set()
    with h5py.File(path, "r") as f:
        p5 = pyfive.File(path)
        for t in TYPES + ["noise"]:
            try:
                got = np.asarray(p5["lzf_" + t][:]).tobytes()
            except TypeError:
                continue
            assert got == f["ref_" + t][:].tobytes(), "pyfive %s lzf_%s" % (path, t)
            out.add(t)
    return out


p5_ours, p5_twin = pyfive_lzf("codecs.h5"), pyfive_lzf("twin.h5")
assert p5_ours >= p5_twin and {"i8", "u16", "i32", "pair", "noise"} <= p5_ours, (p5_ours, p5_twin)
print("codecs_check: pyfive reads LZF of %s (ours), %s (h5py's)" % (sorted(p5_ours), sorted(p5_twin)))

env = dict(os.environ, HDF5_PLUGIN_PATH=hdf5plugin.PLUGIN_PATH)


def dump(path, args):
    try:
        r = subprocess.run(["h5dump", "-p"] + args + [path], capture_output=True, text=True, env=env)
    except FileNotFoundError:
        print("codecs_check: missing oracle: h5dump")
        sys.exit(3)
    assert r.returncode == 0 and "h5dump error" not in r.stdout + r.stderr, r.stdout[-2000:] + r.stderr
    text = re.sub(r"(SIZE|OFFSET) .*", r"\1 ...", r.stdout)
    return text.replace('"%s"' % path, '"FILE"')


# hdf5plugin ships no LZF plugin for libhdf5's tools: h5dump prints the
# headers of LZF datasets (ours and the twin's alike), not their data.
data_sets = ["-d/%s_%s" % (c, t) for t in TYPES for c in CONFIGS if c != "lzf"]
for args in (["-H"], data_sets):
    ours, theirs = dump("codecs.h5", args), dump("twin.h5", args)
    if ours != theirs:
        import difflib
        diff = difflib.unified_diff(theirs.splitlines(), ours.splitlines(), "twin", "ours", lineterm="")
        print("\n".join(list(diff)[:80]))
        sys.exit(1)
    if args == ["-H"]:
        assert ours.count("USER_DEFINED_FILTER") == len(TYPES) * len(CONFIGS) + 1, ours.count("USER_DEFINED_FILTER")
    else:
        assert ours.count("DATA {") == len(TYPES) * (len(CONFIGS) - 1), ours.count("DATA {")
print("codecs_check: ok: %d filtered datasets read exactly by h5py + hdf5plugin %s; "
      "h5dump -p text identical to the twin's (headers of all, data of all but LZF)" % (n, hdf5plugin.version))
