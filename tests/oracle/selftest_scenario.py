"""selftest.py's scenario writer: Scn (an h5py-written file plus its
manifest and expected verdicts) and the shorthands and dtypes the
scenarios use.
"""

from __future__ import annotations

import json
import os

from selftest_reference import h5py, np, NUMERIC, ref_array, ref_json, ref_np, ref_written


# ------------------------------------------------------ scenario writing


def write_attr(h5obj, a: dict) -> None:
    """Writes one manifest attribute with attrs.create (the twin uses
    `attrs[name] = value` where it can: both must give the same file)."""
    t, shape = a["dtype"], tuple(a["shape"])
    vals = ref_written(t, shape, a["data"])
    if t == "vlen_str":
        arr = np.array(vals, dtype=object).reshape(shape)
    else:
        arr = np.array(vals, dtype=ref_np(t)).reshape(shape)
    h5obj.attrs.create(a["name"], arr, shape=shape, dtype=ref_np(t))


class Scn:
    """A scenario: builds the manifest and writes the HDF5 file with h5py."""

    def __init__(self, name: str, twin: bool = True, pyfive: str = "ok"):
        self.name, self.twin, self.objects = name, twin, []
        self.pyfive = pyfive  # expected pyfive cell of a good scenario
        self.root_attrs: list[dict] = []
        self.hooks = []  # functions (h5py.File) -> None, run after creation

    def group(self, path, attrs=None):
        o = {"path": path, "kind": "group"}
        if attrs is not None:
            o["attrs"] = attrs
        self.objects.append(o)
        return self

    def ds(self, path, dtype, shape, data=None, attrs=None, fill=None, layout=None,
           chunks=None, maxshape=None, filters=None, grow_from=None, write=True, **create_kw):
        """chunks / maxshape / filters: the manifest keys, passed to h5py as
        chunks=, maxshape=, shuffle= / compression= / fletcher32=;
        grow_from: create the dataset at this shape, then resize it to
        `shape` before writing; write=False: leave the data to a hook."""
        o = {"path": path, "kind": "dataset", "dtype": dtype, "shape": list(shape),
             "data": data, "_kw": create_kw, "_grow": grow_from, "_write": write}
        if attrs is not None:
            o["attrs"] = attrs
        if fill is not None:
            o["fill"] = fill
        if layout is not None:
            o["layout"] = layout
        if chunks is not None:
            o["chunks"] = list(chunks)
        if maxshape is not None:
            o["maxshape"] = list(maxshape)
        if filters is not None:
            o["filters"] = filters
        self.objects.append(o)
        return self

    def root_attr(self, name, dtype, shape, data):
        self.root_attrs.append(attr(name, dtype, shape, data))
        return self

    def manifest(self) -> dict:
        objs = [{k: v for k, v in o.items() if not k.startswith("_")} for o in self.objects]
        m = {"name": self.name, "file": self.name + ".h5", "objects": objs}
        if self.root_attrs:
            m["root_attrs"] = self.root_attrs
        if not self.twin:
            m["twin"] = False
        return m

    def write(self, d: str, manifest_edit=None):
        with h5py.File(os.path.join(d, self.name + ".h5"), "w") as f:
            for a in self.root_attrs:
                write_attr(f, a)
            for o in self.objects:
                if o["kind"] == "group":
                    g = f.create_group(o["path"])
                    for a in o.get("attrs", []):
                        write_attr(g, a)
                    continue
                t, shape, data = o["dtype"], tuple(o["shape"]), o["data"]
                kw = dict(o["_kw"])
                if "fill" in o:
                    kw["fillvalue"] = np.array(ref_json(t, o["fill"]), dtype=ref_np(t))
                if o.get("layout") == "compact":
                    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
                    dcpl.set_layout(h5py.h5d.COMPACT)
                    kw["dcpl"] = dcpl
                if "chunks" in o:
                    kw["chunks"] = tuple(o["chunks"])
                    kw["maxshape"] = tuple(o.get("maxshape", shape))
                fl = o.get("filters", {})
                if fl.get("shuffle"):
                    kw["shuffle"] = True
                if "deflate" in fl:
                    kw["compression"], kw["compression_opts"] = "gzip", fl["deflate"]
                if fl.get("fletcher32"):
                    kw["fletcher32"] = True
                grow = o["_grow"]
                ds = f.create_dataset(o["path"], shape=shape if grow is None else tuple(grow),
                                      dtype=ref_np(t), **kw)
                if grow is not None:
                    ds.resize(shape)
                if data is not None and 0 not in shape and o["_write"]:
                    self._write_data(ds, t, shape, data)
                for a in o.get("attrs", []):
                    write_attr(ds, a)
            for hook in self.hooks:
                hook(f)
        m = self.manifest()
        if manifest_edit:
            manifest_edit(m)
        with open(os.path.join(d, self.name + ".json"), "w", encoding="utf-8") as fh:
            json.dump(m, fh, ensure_ascii=False, indent=1)

    @staticmethod
    def _write_data(ds, t, shape, data):
        if t in NUMERIC and "gen" in data:
            val = ref_array(t, shape, data)
        else:
            vals = ref_written(t, shape, data)
            rows = (data["rows_written"],) if "rows_written" in data else shape[:1]
            val = np.array(vals, dtype=object if t == "vlen_str" else ref_np(t))
            val = val.reshape(rows + tuple(shape[1:]))
        if shape == ():
            ds[()] = val[()] if t == "vlen_str" else val
        elif "rows_written" in data:
            ds[: data["rows_written"]] = val[: data["rows_written"]]
        else:
            ds[...] = val


def ramp(seed, **kw):
    return {"gen": "ramp", "seed": seed, **kw}


def values(vs, **kw):
    return {"values": vs, **kw}


def strings(ss, **kw):
    return {"strings": ss, **kw}


def attr(name, dtype, shape, data):
    return {"name": name, "dtype": dtype, "shape": list(shape), "data": data}


def enum(base, *names, start=0, step=1):
    return {"enum": {"base": base, "members": [[n, start + k * step] for k, n in enumerate(names)]}}


TRICKY = ["a", "ü", "", 'quote " and backslash \\', "tab\tnew\nline\r",
          "emoji \U0001F600 and CJK 漢字", "\u2028\u2029\x7f\x01", "x" * 100_000]

COLOR = enum("i8", "RED", "GREEN", "BLUE")
POINT = {"compound": [["x", "f32"], ["y", "f32"]]}
# The example record: an array member and a nested compound.
RECORD = {"compound": [["x", "f32"], ["y", "f32"], ["label", "i64"],
                       ["hist", {"array": ["f32", [4]]}],
                       ["inner", {"compound": [["a", "u8"], ["b", "i16"]]}]]}
# Every leaf type inside a compound. pyfive cannot read it: an enum or bool
# member followed by more members (check.PYFIVE_NA_ENUM_MEMBER).
FLAT = {"compound": [["i", "i8"], ["u", "u64"], ["h", "f16"], ["d", "f64"], ["ok", "bool"],
                     ["c", COLOR], ["tag", {"fixed_ascii": 3}], ["utag", {"fixed_utf8": 5}],
                     ["in", {"compound": [["a", "u16"], ["b", enum("u8", "X", "Y")]]}]]}
FLAT_RAMPABLE = {"compound": [m for m in FLAT["compound"] if m[0] not in ("tag", "utag")]}
# What pyfive can read: no array member, at most one enum, as the last leaf.
PYF = {"compound": [["i", "i8"], ["u", "u64"], ["h", "f16"], ["d", "f64"],
                    ["tag", {"fixed_ascii": 3}], ["utag", {"fixed_utf8": 5}],
                    ["in", {"compound": [["a", "u16"], ["b", "i32"]]}], ["c", COLOR]]}
PYF_RAMPABLE = {"compound": [m for m in PYF["compound"] if m[0] not in ("tag", "utag")]}
PYF_BOOL = {"compound": [["x", "f32"], ["in", {"compound": [["n", "u8"], ["ok", "bool"]]}]]}
MATRIX = {"compound": [["id", "u32"], ["m", {"array": ["i16", [2, 3]]}],
                       ["pts", {"array": [POINT, [2]]}], ["flags", {"array": ["bool", [3]]}]]}
