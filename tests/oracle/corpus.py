"""The h5py corpus of tests/conformance/corpus.rs (issue 11).

    corpus.py make DIR    write every corpus file and its manifest
    corpus.py check DIR   check the files h5sink changed (NAME.new.h5)

`make` writes DIR/NAME.h5 with h5py (a few with h5py's low-level API and
default property lists) and DIR/NAME.manifest, what h5py reads, one item a
line, tab-separated:

    obj    PATH  group|dataset  SHAPE          listing (h5py's visititems)
    attrs  PATH  N1,N2,...                     attribute names, sorted
    val    PATH  ATTR|-  RTYPE  SHAPE  DATA    a dataset's or attribute's value
    grow   PATH                                a chunked dataset with room to grow

RTYPE names the Rust type tests/conformance/corpus/types.rs reads it as (i4, f2, b1,
S4, U8, vstr, a compound or enum of that file...), or `none` when no Rust
type names it (the read must be refused). DATA is the value's bytes in
hex, little-endian (big-endian numbers are given swapped), or for vstr
the hex of each string's UTF-8, comma-separated. SHAPE is `[2, 3]`.
DIR/unsupported.txt lists files h5sink must refuse as Unsupported,
DIR/read_only.txt those File::open reads but File::open_rw refuses
(references).

`check` reads DIR/NAME.changes (written by tests/conformance/corpus.rs):

    attr    PATH             attribute h5sink_attr = 42 (i64) added to PATH
    append  PATH  K  MODE    K rows appended: copies of rows 0..K (copy), or zeros (zero)

plus dataset /h5sink_added = [[1, 2], [3, 4]] (i4) in every file, and checks
with h5py and pyfive that old and new values read correctly and with
`h5dump -p` that the text of untouched objects is unchanged.
"""

import os
import subprocess
import sys

import h5py
import numpy as np

from corpus_files import FILES, READ_ONLY, UNSUPPORTED


def rtype_of(dt):
    """The Rust type name of a plain numpy dtype, or `none`."""
    s = h5py.check_string_dtype(dt)
    if s is not None:
        if s.length is None:
            return "vstr" if s.encoding == "utf-8" else "none"
        return ("U%d" if s.encoding == "utf-8" else "S%d") % s.length
    if dt.kind == "b":
        return "b1"
    if h5py.check_enum_dtype(dt) is not None or dt.names is not None or dt.subdtype:
        return "none"
    if dt.kind in "iuf" and dt.itemsize in (1, 2, 4, 8) and not (dt.kind == "f" and dt.itemsize == 1):
        return "%s%d" % (dt.kind, dt.itemsize)
    return "none"


def data_hex(arr, rtype):
    arr = np.asarray(arr)
    if rtype == "vstr":
        out = []
        for x in arr.reshape(-1):
            x = x.decode() if isinstance(x, bytes) else x
            out.append(x.encode("utf-8").hex())
        return ",".join(out)
    if rtype == "none":
        return ""
    if arr.dtype.kind in "iuf" and arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return np.ascontiguousarray(arr).tobytes().hex()


def shape_text(shape):
    return "[" + ", ".join(str(d) for d in shape) + "]"


def manifest(path, rtypes):
    """The manifest lines of file `path`; `rtypes` maps (PATH, ATTR|-) to
    an explicit Rust type name (compounds, enums, arrays)."""
    lines = []
    with h5py.File(path, "r") as f:
        def attrs(name, obj):
            keys = sorted(obj.attrs.keys())
            lines.append("attrs\t%s\t%s" % (name, ",".join(keys)))
            for k in keys:
                v = obj.attrs[k]
                aid = obj.attrs.get_id(k)
                dt = aid.dtype
                shape = aid.shape
                rt = rtypes.get((name, k)) or rtype_of(dt)
                if rt == "vstr":
                    arr = np.asarray(v, dtype=object).reshape(shape)
                elif rt == "none":
                    arr = None
                else:  # the stored bytes (array types expand to more dimensions)
                    arr = np.empty(shape, dtype=dt)
                    aid.read(arr, mtype=aid.get_type())
                lines.append("val\t%s\t%s\t%s\t%s\t%s" % (name, k, rt, shape_text(shape), data_hex(arr, rt)))

        def visit(name, obj):
            p = "/" + name
            if isinstance(obj, h5py.Group):
                lines.append("obj\t%s\tgroup\t-" % p)
            else:
                lines.append("obj\t%s\tdataset\t%s" % (p, shape_text(obj.shape)))
                rt = rtypes.get((p, "-")) or rtype_of(obj.dtype)
                arr = obj[()] if rt != "vstr" else obj.asstr()[()]
                lines.append("val\t%s\t-\t%s\t%s\t%s" % (p, rt, shape_text(obj.shape), data_hex(arr, rt)))
                if obj.chunks is not None and obj.maxshape and obj.shape and (
                        obj.maxshape[0] is None or obj.maxshape[0] > obj.shape[0]):
                    lines.append("grow\t%s" % p)
            attrs(p, obj)

        attrs("/", f)
        f.visititems(visit)
    return lines


def make(d):
    with open(os.path.join(d, "read_only.txt"), "w") as out:
        out.write("".join(name + "\n" for name, _ in READ_ONLY))
    for name, fn in FILES + READ_ONLY:
        path = os.path.join(d, name + ".h5")
        rtypes = fn(path) or {}
        with open(os.path.join(d, name + ".manifest"), "w") as out:
            out.write("\n".join(manifest(path, rtypes)) + "\n")
    with open(os.path.join(d, "unsupported.txt"), "w") as out:
        for name, fn in UNSUPPORTED:
            fn(os.path.join(d, name + ".h5"))
            out.write(name + "\n")


if __name__ == "__main__":
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == "make":
        make(d)
    else:
        from corpus_check import check
        check(d)
