"""The datatype files of the h5py corpus (corpus_files.py): numbers, big-endian,
booleans, strings, compounds, enums, arrays, scalars, ranks and zero-length
dimensions, and the shared random generator and compound / enum dtypes."""

import h5py
import numpy as np

RNG = np.random.default_rng(11)

POINT = np.dtype([("x", "<f4"), ("y", "<f4"), ("label", "<i8")])
INNER = np.dtype([("a", "i1"), ("b", "<f8")])
NESTED = np.dtype([("id", "<u2"), ("p", INNER), ("hist", "<f4", (4,))])
RGB = h5py.enum_dtype({"Red": 0, "Green": 1, "Blue": 42}, basetype="u1")
LEVEL = h5py.enum_dtype({"Low": -5, "Mid": 0, "High": 300}, basetype="<i2")


def ints(p):
    with h5py.File(p, "w") as f:
        for t in ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]:
            info = np.iinfo(t)
            f.create_dataset(t, data=np.array([info.min, -1 if info.min else 0, 0, 1, info.max], dtype="<" + t))


def floats(p):
    with h5py.File(p, "w") as f:
        v = [0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, np.nan, 1e-3]
        for t in ["f2", "f4", "f8"]:
            f.create_dataset(t, data=np.array(v, dtype="<" + t).reshape(2, 4))


def big_endian(p):
    with h5py.File(p, "w") as f:
        for t in [">i2", ">i4", ">u8", ">f4", ">f8", ">i8"]:
            f.create_dataset(t[1:] + "be", data=np.arange(-3, 9).astype(t).reshape(3, 4))
        f.create_dataset("chunked_be", data=np.arange(40, dtype=">f8"), chunks=(16,), maxshape=(None,),
                         compression="gzip")
        f.attrs["be_attr"] = np.array([1, 2, 3], dtype=">i4")


def booleans(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("b2", data=RNG.random((4, 5)) > 0.5)
        f.create_dataset("b0", data=np.bool_(True))
        f.create_dataset("bgrow", data=np.array([True, False]), maxshape=(None,), chunks=(4,))


def fixed_strings(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("s1", data=np.array([b"a", b"b", b""], dtype="S1"))
        f.create_dataset("s5", data=np.array([[b"hello", b"hi"], [b"", b"abcde"]], dtype="S5"))
        f.create_dataset("s16", data=np.array(b"sixteen bytes...", dtype="S16"))
        u = h5py.string_dtype("utf-8", 8)
        f.create_dataset("u8", data=np.array(["ß".encode(), "日本".encode(), b"x"], dtype=u))
        f.create_dataset("sgrow", data=np.array([b"ab", b"cd"], dtype="S4"), maxshape=(None,), chunks=(2,))


def vlen_strings(p):
    with h5py.File(p, "w") as f:
        s = h5py.string_dtype()
        f.create_dataset("v1", data=np.array(["alpha", "", "日本語", "x" * 300], dtype=s))
        f.create_dataset("v2", data=np.array([["a", "b", "c"], ["d", "e", "f"]], dtype=s))
        f.create_dataset("v0", data="scalar string", dtype=s)
        f.create_dataset("vgrow", data=np.array(["one", "two"], dtype=s), maxshape=(None,), chunks=(3,))
        f.create_dataset("vascii", data=np.array([b"abc", b"de"], dtype=h5py.string_dtype("ascii")))


def compound(p):
    with h5py.File(p, "w") as f:
        a = np.zeros(5, dtype=POINT)
        a["x"], a["y"], a["label"] = np.arange(5) * 1.5, -np.arange(5), np.arange(5) * 1000
        f.create_dataset("points", data=a)
        f.create_dataset("pgrow", data=a[:3], maxshape=(None,), chunks=(2,), compression="gzip")
        f.create_dataset("pscalar", data=a[1])
        f.attrs["origin"] = a[2]
    return {("/points", "-"): "point", ("/pgrow", "-"): "point", ("/pscalar", "-"): "point",
            ("/", "origin"): "point"}


def compound_nested(p):
    with h5py.File(p, "w") as f:
        a = np.zeros((2, 3), dtype=NESTED)
        a["id"] = np.arange(6).reshape(2, 3)
        a["p"]["a"] = -np.arange(6).reshape(2, 3)
        a["p"]["b"] = np.arange(6).reshape(2, 3) / 4
        a["hist"] = np.arange(24).reshape(2, 3, 4)
        f.create_dataset("nested", data=a)
        al = np.zeros(3, dtype=np.dtype([("a", "i1"), ("b", "<f8")], align=True))
        al["a"], al["b"] = [1, 2, 3], [0.5, 1.5, 2.5]
        f.create_dataset("aligned", data=al)  # padded: no h5compound! struct
    return {("/nested", "-"): "nested"}


def enums(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("rgb", data=np.array([0, 42, 1, 1], dtype=RGB))
        f.create_dataset("level", data=np.array([[-5, 0], [300, -5]], dtype=LEVEL))
        f.create_dataset("egrow", data=np.array([42, 0], dtype=RGB), maxshape=(None,), chunks=(4,))
        f.attrs.create("color", np.array(42, dtype=RGB), dtype=RGB)
    return {("/rgb", "-"): "rgb", ("/level", "-"): "level", ("/egrow", "-"): "rgb", ("/", "color"): "rgb"}


def _array_dataset(f, name, data, base, dims, **kw):
    dt = np.dtype((base, dims))
    ds = f.create_dataset(name, shape=data.shape[:-len(dims)], dtype=dt, **kw)
    ds.id.write(h5py.h5s.ALL, h5py.h5s.ALL, np.ascontiguousarray(data), mtype=h5py.h5t.py_create(dt))


def arrays(p):
    with h5py.File(p, "w") as f:
        _array_dataset(f, "a4", np.arange(12, dtype="<f4").reshape(3, 4), "<f4", (4,))
        _array_dataset(f, "a23", np.arange(24, dtype="<i2").reshape(4, 2, 3), "<i2", (2, 3))
        _array_dataset(f, "agrow", np.arange(8, dtype="<f4").reshape(2, 4), "<f4", (4,),
                       maxshape=(None,), chunks=(2,))
    return {("/a4", "-"): "f4x4", ("/agrow", "-"): "f4x4", ("/a23", "-"): "i2x2x3"}


def scalars(p):
    with h5py.File(p, "w") as f:
        for t in ["i1", "u2", "i4", "u8", "f2", "f4", "f8"]:
            f.create_dataset("s_" + t, data=np.array(7, dtype="<" + t))
        f.create_dataset("s_bool", data=np.bool_(False))
        f.create_dataset("s_bytes", data=np.bytes_(b"fixed"))


def ranks(p):
    with h5py.File(p, "w") as f:
        for r in range(6):
            shape = tuple(range(2, 2 + r))
            f.create_dataset("r%d" % r, data=np.arange(int(np.prod(shape)), dtype="<i4").reshape(shape))
            f.create_dataset("c%d" % r, data=np.arange(int(np.prod(shape)), dtype="<f8").reshape(shape),
                             chunks=tuple(max(1, d // 2) for d in shape) or None)


def zero_length(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("z1", shape=(0,), dtype="<f4")
        f.create_dataset("z2", shape=(3, 0), dtype="<i2")
        f.create_dataset("z3", shape=(0, 0, 2), dtype="<u1")
        f.create_dataset("zgrow", shape=(0, 4), dtype="<i8", maxshape=(None, 4), chunks=(2, 4))
        f.create_dataset("zcompound", shape=(0,), dtype=POINT, maxshape=(None,), chunks=(8,))
        f.attrs["empty"] = np.zeros(0, dtype="<f8")
    return {("/zcompound", "-"): "point"}
