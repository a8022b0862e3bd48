"""The files of the h5py corpus (tests/oracle/corpus.py): each function
writes one file and returns the Rust type names (tests/conformance/corpus/types.rs) of
its compound, enum and array values, keyed by (PATH, ATTR or "-")."""

import h5py
import numpy as np

from corpus_files_types import (  # the datatype files
    POINT, RGB, LEVEL, ints, floats, big_endian, booleans, fixed_strings, vlen_strings, compound,
    compound_nested, enums, arrays, scalars, ranks, zero_length,
)


def lowlevel(layout, earliest=True):
    """h5py's low-level API with default property lists but (`earliest`)
    a file access list asking for the earliest format, as h5py.File does:
    HDF5 2.0's default low bound is 1.8 (superblock version 2), which
    h5sink does not read."""
    def write(p):
        fapl = None
        if earliest:
            fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
            fapl.set_libver_bounds(h5py.h5f.LIBVER_EARLIEST, h5py.h5f.LIBVER_LATEST)
        fid = h5py.h5f.create(p.encode(), h5py.h5f.ACC_TRUNC, fapl=fapl)
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dims, maxdims = (6, 2), None
        if layout == "compact":
            dcpl.set_layout(h5py.h5d.COMPACT)
        elif layout == "chunked":
            dcpl.set_chunk((2, 2))
            maxdims = (h5py.h5s.UNLIMITED, 2)
        space = h5py.h5s.create_simple(dims, maxdims)
        did = h5py.h5d.create(fid, b"data", h5py.h5t.STD_I32LE, space,
                              dcpl=dcpl if layout != "default" else None)
        did.write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(12, dtype="<i4").reshape(dims))
        gid = h5py.h5g.create(fid, b"grp")
        aspace = h5py.h5s.create_simple((3,))
        aid = h5py.h5a.create(gid, b"weights", h5py.h5t.IEEE_F64LE, aspace)
        aid.write(np.array([0.25, 0.5, 0.75]))
        sid = h5py.h5s.create(h5py.h5s.SCALAR)
        bid = h5py.h5d.create(gid, b"be", h5py.h5t.STD_I16BE, sid)
        bid.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array(-2, dtype=">i2"))
        for o in (aid, bid, did, gid):
            o.close()
        fid.close()
    return write


def layouts(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("contiguous", data=np.arange(100, dtype="<u2"))
        f.create_dataset("late", shape=(10,), dtype="<f4")  # never written: no storage
        f.create_dataset("chunked", data=np.arange(100, dtype="<u2").reshape(10, 10), chunks=(3, 3))
        f.create_dataset("sparse", shape=(10, 10), dtype="<i4", chunks=(5, 5)).__setitem__((0, 0), 9)


def filters(p):
    with h5py.File(p, "w") as f:
        data = (np.arange(600, dtype="<i4").reshape(100, 6) % 17)
        opts = {
            "gzip": dict(compression="gzip"),
            "gzip9": dict(compression="gzip", compression_opts=9),
            "shuffle": dict(shuffle=True),
            "fletcher32": dict(fletcher32=True),
            "shuffle_gzip": dict(shuffle=True, compression="gzip"),
            "all3": dict(shuffle=True, compression="gzip", fletcher32=True),
            "gzip_f32": dict(fletcher32=True, compression="gzip"),
        }
        for name, kw in opts.items():
            f.create_dataset(name, data=data, chunks=(16, 6), maxshape=(None, 6), **kw)
        f.create_dataset("float_all3", data=np.linspace(0, 1, 300, dtype="<f8"), chunks=(64,),
                         shuffle=True, compression="gzip", fletcher32=True)


def fills(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("contig", shape=(5,), dtype="<i4", fillvalue=-7)
        c = f.create_dataset("chunked", shape=(10,), dtype="<f8", fillvalue=2.5, chunks=(4,))
        c[1] = 1.0
        g = f.create_dataset("fgrow", shape=(3, 2), dtype="<u2", fillvalue=9, chunks=(2, 2), maxshape=(None, 2))
        g[0] = [1, 2]
        f.create_dataset("cfill", shape=(3,), dtype=POINT, fillvalue=np.array((1.0, 2.0, 3), dtype=POINT),
                         chunks=(2,))
    return {("/cfill", "-"): "point"}


def resizable(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("i4", data=np.arange(9, dtype="<i4").reshape(3, 3), maxshape=(None, 3), chunks=(2, 3))
        f.create_dataset("f8", data=np.arange(5, dtype="<f8"), maxshape=(100,), chunks=(4,))
        f.create_dataset("u1_2d", data=np.ones((4, 4), dtype="u1"), maxshape=(None, None), chunks=(3, 3))
        f.create_dataset("full", data=np.arange(4, dtype="<i2"), maxshape=(4,), chunks=(2,))  # no room


def groups(p):
    with h5py.File(p, "w") as f:
        g = f
        for i in range(5):
            g = g.create_group("level%d" % i)
            g.attrs["depth"] = np.int32(i)
        g.create_dataset("deep", data=np.arange(3, dtype="<i8"))
        many = f.create_group("many")
        for i in range(150):
            many.create_group("g%03d" % i)
        for i in range(40):
            many.create_dataset("d%02d" % i, data=np.array([i], dtype="<u4"))
        f.create_group("empty")


def attributes(p):
    with h5py.File(p, "w") as f:
        g = f.create_group("g")
        d = f.create_dataset("d", data=np.arange(4, dtype="<f4"))
        for o in (f, g, d):
            o.attrs["i8"] = np.int64(-3)
            o.attrs["u2s"] = np.arange(5, dtype="<u2")
            o.attrs["f8_2d"] = np.arange(6, dtype="<f8").reshape(2, 3)
            o.attrs["f2"] = np.float16(0.5)
            o.attrs["str"] = "a vlen utf-8 string ✓"
            o.attrs["strs"] = np.array(["x", "yy", ""], dtype=h5py.string_dtype())
            o.attrs["bytes"] = np.bytes_(b"fixed12bytes")
            o.attrs["flag"] = np.bool_(True)
            o.attrs["flags"] = np.array([True, False])
            o.attrs["pt"] = np.zeros(2, dtype=POINT)
            o.attrs["be"] = np.array([1.5, -1.5], dtype=">f8")
            o.attrs["empty"] = np.zeros(0, dtype="<i4")
            o.attrs.create("level", np.array([300, -5], dtype=LEVEL), dtype=LEVEL)
            o.attrs.create("arr", np.arange(8, dtype="<f4").reshape(2, 4), dtype=np.dtype(("<f4", (4,))))
    out = {}
    for o in ("/", "/g", "/d"):
        out.update({(o, "pt"): "point", (o, "level"): "level", (o, "arr"): "f4x4"})
    return out


def others(p):
    """Types no Rust type names: they open, list and refuse reads."""
    with h5py.File(p, "w") as f:
        f.create_dataset("opaque", data=np.array([b"\x01\x02\x03", b"abc"], dtype="V3"))
        v = f.create_dataset("vlen_i4", shape=(3,), dtype=h5py.vlen_dtype("<i4"))
        v[0], v[1], v[2] = np.array([1, 2, 3]), np.array([], dtype="<i4"), np.array([7])
        tid = h5py.h5t.STD_B16LE.copy()
        bid = h5py.h5d.create(f.id, b"bits", tid, h5py.h5s.create_simple((4,)))
        bid.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([1, 2, 0xFFFF, 0], dtype="<u2"))
        bid.close()
        f.attrs["opaque_attr"] = np.void(b"\x00\xff")
        v.attrs["note"] = "a sequence dataset"
    return {("/bits", "-"): "none"}  # h5py reads a bit field as u2; it is no integer


def references(p):
    """References: read, but open_rw refuses the file."""
    with h5py.File(p, "w") as f:
        target = f.create_dataset("target", data=np.arange(3, dtype="<i4"))
        r = f.create_dataset("refs", shape=(2,), dtype=h5py.ref_dtype)
        r[0] = target.ref
        rr = f.create_dataset("regrefs", shape=(1,), dtype=h5py.regionref_dtype)
        rr[0] = target.regionref[0:2]
        f.create_group("g").attrs["points_at"] = target.ref


def mixed_big(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("big", data=np.arange(200_000, dtype="<f4").reshape(2000, 100),
                         chunks=(100, 100), compression="gzip", maxshape=(None, 100))
        f.create_dataset("strs", data=np.array(["s%d" % i for i in range(500)], dtype=h5py.string_dtype()),
                         chunks=(64,), maxshape=(None,), compression="gzip")


def f16_file(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("half", data=np.linspace(-2, 2, 9, dtype="<f2"))
        f.create_dataset("hgrow", data=np.array([1, 2], dtype="<f2"), maxshape=(None,), chunks=(8,))


def compact_mixed(p):
    with h5py.File(p, "w") as f:
        for name, data in [("c_i4", np.arange(6, dtype="<i4")), ("c_f8", np.arange(3, dtype="<f8")),
                           ("c_pt", np.zeros(2, dtype=POINT))]:
            space = h5py.h5s.create_simple(data.shape)
            dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
            dcpl.set_layout(h5py.h5d.COMPACT)
            did = h5py.h5d.create(f.id, name.encode(), h5py.h5t.py_create(data.dtype), space, dcpl=dcpl)
            did.write(h5py.h5s.ALL, h5py.h5s.ALL, data)
            did.close()
    return {("/c_pt", "-"): "point"}


def rank3_chunked(p):
    with h5py.File(p, "w") as f:
        f.create_dataset("cube", data=np.arange(5 * 7 * 3, dtype="<i2").reshape(5, 7, 3), chunks=(2, 3, 2),
                         maxshape=(None, 7, None), compression="gzip", shuffle=True)
        f.create_dataset("cube_f", data=np.arange(60, dtype="<f4").reshape(3, 4, 5), chunks=(3, 4, 5))


def many_attrs(p):
    with h5py.File(p, "w") as f:
        g = f.create_group("meta")
        for i in range(60):
            g.attrs["a%02d" % i] = [np.int8(i), np.float32(i / 2), "s%d" % i, np.uint64(i)][i % 4]


def typed_fills(p):
    with h5py.File(p, "w") as f:
        for t, v in [("i1", -1), ("u2", 65535), ("i8", -2**40), ("f4", np.nan), ("f8", -np.inf)]:
            d = f.create_dataset("fill_" + t, shape=(4, 3), dtype="<" + t, fillvalue=v, chunks=(2, 3),
                                 maxshape=(None, 3))
            d[0] = np.array([1, 2, 3], dtype="<" + t)
        f.create_dataset("fill_bool", shape=(3,), dtype=bool, fillvalue=True, chunks=(2,))
        f.create_dataset("fill_enum", shape=(3,), dtype=RGB, fillvalue=np.array(42, dtype=RGB), chunks=(2,),
                         maxshape=(None,))
    return {("/fill_enum", "-"): "rgb"}


def _tutorial(p, rows_written):
    # The h5py tutorial's HDF5DatasetWriter (tests/oracle/tutorial_writer.py,
    # unchanged), as a deep-learning pipeline writes its feature files: a
    # stream that completes, and one closed after fewer rows than declared.
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from tutorial_writer import HDF5DatasetWriter
    w = HDF5DatasetWriter((40, 12), p, dataKey="features", bufSize=16)
    w.storeClassLabels(["cat", "dög", "horse"])
    for r in range(0, rows_written, 5):
        rows = np.arange(r * 12, (r + 5) * 12, dtype="<f8").reshape(5, 12) * 0.5
        w.add(rows, [i % 3 for i in range(r, r + 5)])
    w.close()


def tutorial_full(p):
    _tutorial(p, 40)


def tutorial_partial(p):
    _tutorial(p, 25)


def make_variant(base, **kw):
    def write(p):
        with h5py.File(p, "w", **kw) as f:
            base(f)
    return write


def _small(f):
    f.create_dataset("x", data=np.arange(3, dtype="<i4"))


def _bzip2(f):
    # LZF (32000) reads since issue 13; bzip2 (32002, hdf5plugin) does not.
    import hdf5plugin
    f.create_dataset("x", data=np.arange(30, dtype="<i4"), **hdf5plugin.BZip2())


def _scaleoffset(f):
    f.create_dataset("x", data=np.arange(30, dtype="<i4"), scaleoffset=0)


FILES = [
    ("ints", ints), ("floats", floats), ("big_endian", big_endian), ("booleans", booleans),
    ("fixed_strings", fixed_strings), ("vlen_strings", vlen_strings), ("compound", compound),
    ("compound_nested", compound_nested), ("enums", enums), ("arrays", arrays),
    ("scalars", scalars), ("ranks", ranks), ("zero_length", zero_length),
    ("lowlevel_default", lowlevel("default")), ("lowlevel_compact", lowlevel("compact")),
    ("lowlevel_chunked", lowlevel("chunked")), ("layouts", layouts), ("filters", filters),
    ("fills", fills), ("resizable", resizable), ("groups", groups), ("attributes", attributes),
    ("others", others), ("mixed_big", mixed_big), ("f16", f16_file), ("compact_mixed", compact_mixed),
    ("earliest", make_variant(lambda f: (ints_into(f)), libver="earliest")),
    ("rank3_chunked", rank3_chunked), ("many_attrs", many_attrs), ("typed_fills", typed_fills),
    ("v110_bounds", make_variant(_small, libver=("earliest", "v110"))),
    ("small_meta", make_variant(_small, meta_block_size=512)),
    ("tutorial_full", tutorial_full), ("tutorial_partial", tutorial_partial),
]


def ints_into(f):
    f.create_dataset("a", data=np.arange(-4, 4, dtype="<i8"))
    f.create_group("g").create_dataset("b", data=np.arange(4, dtype="<u1"), chunks=(2,), maxshape=(None,))


# A file with a user block (h5py's userblock_size) is Unsupported, naming
# the block's size (tests/open/open_rw.rs checks it): the loader does not add a
# base address to addresses.

READ_ONLY = [("references", references)]

UNSUPPORTED = [
    ("u_latest", make_variant(_small, libver="latest")),
    ("u_lowlevel_all_defaults", lowlevel("default", earliest=False)),
    ("u_track_order", make_variant(_small, track_order=True)),
    ("u_bzip2", make_variant(_bzip2)),
    ("u_scaleoffset", make_variant(_scaleoffset)),
]
