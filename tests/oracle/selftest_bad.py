"""selftest.py's bad scenarios: deliberately wrong manifests or files, each
with the checks it must fail (JS_WANT: the JS column's verdicts).
"""

from __future__ import annotations

import json
import os

from selftest_reference import h5py, np, ref_array
from selftest_scenario import attr, enum, POINT, PYF_RAMPABLE, ramp, RECORD, Scn, strings, values
from selftest_good import write_chunks


def chunked_bad_scenarios(d: str, want: dict, exp) -> None:
    """Chunk shape, filters, maxshape, layout and chunk allocation done wrong."""
    def objs(m, k):
        return m["objects"][k]

    Scn("wrong_chunk_shape").ds("x", "f64", [6, 4], ramp(1), chunks=[2, 2]).write(
        d, lambda m: objs(m, 0).update(chunks=[3, 2]))
    want["wrong_chunk_shape"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("missing_filter").ds("x", "i32", [8], ramp(1), chunks=[4],
                             filters={"shuffle": True, "deflate": 4}).write(
        d, lambda m: objs(m, 0)["filters"].pop("shuffle"))
    want["missing_filter"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("unlisted_fletcher32").ds("x", "u16", [8], ramp(1), chunks=[4],
                                  filters={"fletcher32": True}).write(
        d, lambda m: objs(m, 0).pop("filters"))
    want["unlisted_fletcher32"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_deflate_level").ds("x", "u8", [8], ramp(1), chunks=[4],
                                  filters={"deflate": 4}).write(
        d, lambda m: objs(m, 0)["filters"].update(deflate=5))
    want["wrong_deflate_level"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_maxshape").ds("x", "i16", [4, 3], ramp(1), chunks=[2, 3],
                             maxshape=[None, 3]).write(
        d, lambda m: objs(m, 0).update(maxshape=[8, 3]))
    want["wrong_maxshape"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("fixed_not_unlimited").ds("x", "i16", [4], ramp(1), chunks=[2]).write(
        d, lambda m: objs(m, 0).update(maxshape=[None]))
    want["fixed_not_unlimited"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("contiguous_not_chunked").ds("x", "f32", [6], ramp(1)).write(
        d, lambda m: objs(m, 0).update(chunks=[3]))
    want["contiguous_not_chunked"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Filters in another order than h5py's (fletcher32, deflate, shuffle):
    # pyfive reports only which filters there are.
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((2,))
    dcpl.set_fletcher32()
    dcpl.set_deflate(4)
    dcpl.set_shuffle()
    Scn("filter_order").ds("x", "i32", [4], ramp(1), dcpl=dcpl).write(
        d, lambda m: objs(m, 0).update(chunks=[2], filters={"shuffle": True, "deflate": 4,
                                                             "fletcher32": True}))
    want["filter_order"] = exp("FAIL", "ok", "ok", "FAIL")
    # Deflated chunks where the twin has none: the normalised SIZE keeps 0
    # exact (a never-written dataset the file allocated anyway) ...
    s = Scn("deflate_allocated").ds("x", "f64", [4], None, chunks=[2], filters={"deflate": 4})
    s.hooks.append(lambda f: write_chunks(f["x"], np.zeros(4), level=4))
    s.write(d)
    want["deflate_allocated"] = exp("ok", "ok", "ok", "FAIL")
    # ... and one extra chunk beside the written ones, which the masked SIZE
    # cannot show, fails the chunk-by-chunk comparison (pyfive: a missing
    # chunk in between).
    s = Scn("deflate_extra_chunk").ds("x", "f64", [6], ramp(1, rows_written=2), chunks=[2],
                                      filters={"deflate": 4})
    s.hooks.append(lambda f: write_chunks(f["x"], np.zeros(6), level=4, only={(4,)}))
    s.write(d)
    want["deflate_extra_chunk"] = exp("ok", "n/a", "ok", "FAIL")
    # Chunks stored with the deflate filter skipped (filter mask bit 0): the
    # values read the same, the chunk index does not.
    s = Scn("filter_mask").ds("x", "u16", [4], ramp(1), chunks=[2], filters={"deflate": 4},
                              write=False)
    s.hooks.append(lambda f: write_chunks(f["x"], ref_array("u16", (4,), ramp(1)), mask=1))
    s.write(d)
    want["filter_mask"] = exp("ok", "ok", "ok", "FAIL")
    # Rows the manifest says were written lie in a chunk never allocated
    # (pyfive cannot read such a file at all: n/a; jsfive sees undefined).
    Scn("chunk_missing_written").ds("x", "f64", [6], ramp(1, rows_written=2), chunks=[2]).write(
        d, lambda m: objs(m, 0)["data"].update(rows_written=4))
    want["chunk_missing_written"] = exp("FAIL", "n/a", "ok", "FAIL")


# The "js" column (jsfive, h5wasm through check.check_js) of the chunked
# scenarios: good (n/a: compound, f16, jsfive's fill of unallocated chunks
# and vlen strings in them) and bad (a chunk shape or layout the readers
# report; written rows in an unallocated chunk, which jsfive reads as
# undefined). Chunk allocation and filter masks only the twin compares.
JS_WANT = {
    "good": {"chunked": "n/a", "chunked_pyfive_na": "n/a", "deflate_other_encoder": "ok"},
    "bad": {"chunked_layout": "FAIL", "wrong_chunk_shape": "FAIL",
            "contiguous_not_chunked": "FAIL", "deflate_extra_chunk": "ok",
            "chunk_missing_written": "FAIL", "filter_mask": "ok"},
}


def bad_scenarios(d: str) -> dict[str, dict[str, str]]:
    """Writes failing scenarios; returns name -> {check: 'ok'|'FAIL'|'off'}."""
    want = {}

    def exp(h5py_, pyfive_, h5dump_, twin_):
        return {"h5py": h5py_, "pyfive": pyfive_, "h5dump": h5dump_, "twin": twin_}

    # Manifest says another seed than the file holds.
    Scn("wrong_seed").ds("x", "i32", [4], ramp(1)).write(
        d, lambda m: m["objects"][0]["data"].update(seed=2))
    want["wrong_seed"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Manifest misses a dataset that the file has.
    Scn("extra_object").ds("x", "u8", [2], ramp(1)).ds("y", "u8", [2], ramp(2)).write(
        d, lambda m: m["objects"].pop())
    want["extra_object"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Manifest lists a group the file lacks.
    Scn("missing_group").ds("x", "u8", [2], ramp(1)).write(
        d, lambda m: m["objects"].append({"path": "g", "kind": "group"}))
    want["missing_group"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Same bits, other signedness.
    Scn("wrong_dtype").ds("x", "i32", [4], ramp(1)).write(
        d, lambda m: m["objects"][0].update(dtype="u32"))
    want["wrong_dtype"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Big-endian in the file, same values.
    s = Scn("big_endian").ds("x", "i32", [4], ramp(1))
    s.objects[0]["_kw"] = {}
    s.hooks.append(lambda f: f.create_dataset("y", data=np.arange(3, dtype=">i4")))
    s.write(d, lambda m: m["objects"].append(
        {"path": "y", "kind": "dataset", "dtype": "i32", "shape": [3], "data": None}))
    want["big_endian"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # One string differs.
    Scn("wrong_string").ds("s", "vlen_str", [2], {"strings": ["a", "b"]}).write(
        d, lambda m: m["objects"][0]["data"].update(strings=["a", "c"]))
    want["wrong_string"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Strings in a fixed-length type.
    s = Scn("fixed_string")
    s.hooks.append(lambda f: f.create_dataset("s", data=np.array([b"ab", b"cd"], dtype="S2")))
    s.write(d, lambda m: m["objects"].append(
        {"path": "s", "kind": "dataset", "dtype": "vlen_str", "shape": [2],
         "data": {"strings": ["ab", "cd"]}}))
    want["fixed_string"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Right values, other storage: chunked (h5py and pyfive report chunks,
    # the twin's dump the layout), compact (only the twin sees it).
    Scn("chunked_layout").ds("x", "f64", [6, 2], ramp(1), chunks=(2, 2)).write(
        d, lambda m: m["objects"][0].pop("chunks"))
    want["chunked_layout"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # A user-defined fill of 0 that the manifest does not mention: pyfive
    # cannot tell it from the library default (it exposes only the value).
    Scn("explicit_fill").ds("x", "i32", [4], ramp(1), fillvalue=0).write(d)
    want["explicit_fill"] = exp("FAIL", "ok", "ok", "FAIL")
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    Scn("compact_layout").ds("x", "u16", [4], ramp(1), dcpl=dcpl).write(d)
    want["compact_layout"] = exp("ok", "ok", "ok", "FAIL")
    s = Scn("extra_attribute").ds("x", "u8", [2], ramp(1))
    s.hooks.append(lambda f: f["x"].attrs.create("units", 1))
    s.write(d)
    want["extra_attribute"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Data written to only part of the rows although the manifest says all.
    Scn("short_write").ds("x", "f32", [4, 2], ramp(1, rows_written=2)).write(
        d, lambda m: m["objects"][0]["data"].pop("rows_written"))
    want["short_write"] = exp("FAIL", "FAIL", "ok", "FAIL")
    new_bad_scenarios(d, want, exp)
    chunked_bad_scenarios(d, want, exp)
    # A file that is not HDF5 at all.
    Scn("garbage_file").ds("x", "u8", [2], ramp(1)).write(d)
    with open(os.path.join(d, "garbage_file.h5"), "wb") as fh:
        fh.write(b"\x89HDF\r\n\x1a\n" + b"\x00" * 200)
    want["garbage_file"] = exp("FAIL", "FAIL", "FAIL", "FAIL")
    # Manifest pointing nowhere.
    with open(os.path.join(d, "missing_file.json"), "w") as fh:
        json.dump({"name": "missing_file", "file": "nope.h5", "objects": []}, fh)
    want["missing_file"] = exp("FAIL", "FAIL", "FAIL", "FAIL")
    # Malformed manifest.
    with open(os.path.join(d, "bad_manifest.json"), "w") as fh:
        json.dump({"name": "bad_manifest", "file": "x.h5",
                   "objects": [{"path": "x", "kind": "dataset", "dtype": "i128",
                                "shape": [1], "data": None}]}, fh)
    want["bad_manifest"] = {"manifest": "FAIL"}
    return want


def new_bad_scenarios(d: str, want: dict, exp) -> None:
    """Attributes, new dtypes, values, fill and layout done wrong."""
    def objs(m, k):
        return m["objects"][k]

    # Attributes: wrong value, missing, extra (root and group), wrong dtype
    # (h5py stores a Python int as i64), wrong shape.
    Scn("wrong_attr_value").root_attr("units", "vlen_str", [], strings(["kelvin"])).write(
        d, lambda m: m["root_attrs"][0]["data"].update(strings=["celsius"]))
    want["wrong_attr_value"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("missing_attr").ds("x", "u8", [2], ramp(1)).write(
        d, lambda m: objs(m, 0).update(attrs=[attr("scale", "f64", [], values([2.0]))]))
    want["missing_attr"] = exp("FAIL", "FAIL", "ok", "FAIL")
    s = Scn("extra_root_attr").group("g", attrs=[attr("a", "i8", [], values([1]))])
    s.hooks.append(lambda f: f.attrs.create("stray", "x"))
    s.write(d)
    want["extra_root_attr"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("extra_group_attr").group("g", attrs=[attr("a", "i8", [], values([1])),
                                              attr("b", "i8", [], values([2]))]).write(
        d, lambda m: objs(m, 0)["attrs"].pop())
    want["extra_group_attr"] = exp("FAIL", "FAIL", "ok", "FAIL")
    s = Scn("wrong_attr_dtype").ds("x", "u8", [2], ramp(1))
    s.hooks.append(lambda f: f["x"].attrs.__setitem__("n", 3))
    s.write(d, lambda m: objs(m, 0).update(attrs=[attr("n", "i32", [], values([3]))]))
    want["wrong_attr_dtype"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_attr_shape").root_attr("v", "f32", [], values([1.0])).write(
        d, lambda m: m["root_attrs"][0].update(shape=[1]))
    want["wrong_attr_shape"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_attr_string").group("g", attrs=[attr("s", {"fixed_ascii": 4}, [2],
                                                    strings(["ab", "cd"]))]).write(
        d, lambda m: objs(m, 0)["attrs"][0]["data"].update(strings=["ab", "ce"]))
    want["wrong_attr_string"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Enum: same raw bytes, members mapped the other way round.
    Scn("wrong_enum_mapping").ds("c", enum("i8", "GREEN", "RED"), [2], values([0, 1])).write(
        d, lambda m: objs(m, 0).update(dtype=enum("i8", "RED", "GREEN")))
    want["wrong_enum_mapping"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_enum_base").ds("c", enum("u8", "A", "B"), [2], ramp(1)).write(
        d, lambda m: objs(m, 0).update(dtype=enum("i8", "A", "B")))
    want["wrong_enum_base"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Compound: same bytes, members in the other order.
    Scn("wrong_compound_order").ds("p", {"compound": [["y", "f32"], ["x", "f32"]]}, [2],
                                   values([[1.0, 2.0], [3.0, 4.0]])).write(
        d, lambda m: objs(m, 0).update(dtype=POINT))
    want["wrong_compound_order"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("wrong_compound_ramp").ds("f", PYF_RAMPABLE, [3], ramp(1)).write(
        d, lambda m: objs(m, 0)["data"].update(seed=2))
    want["wrong_compound_ramp"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # A wrong value pyfive cannot see (array member) still fails h5py and twin.
    Scn("wrong_array_member").ds("r", RECORD, [2], ramp(1)).write(
        d, lambda m: objs(m, 0)["data"].update(seed=2))
    want["wrong_array_member"] = exp("FAIL", "n/a", "ok", "FAIL")
    # bool stored as plain int8, f16 as f32, ASCII vs UTF-8, other length,
    # NULLTERM instead of NULLPAD.
    s = Scn("bool_as_i8").ds("b", "i8", [3], values([0, 1, 1]))
    s.write(d, lambda m: objs(m, 0).update(dtype="bool", data=values([False, True, True])))
    want["bool_as_i8"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("f16_as_f32").ds("h", "f32", [3], values([0.5, 1.0, -2.0])).write(
        d, lambda m: objs(m, 0).update(dtype="f16"))
    want["f16_as_f32"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # pyfive reads no character set: only h5py and the twin can see this.
    Scn("ascii_not_utf8").ds("s", {"fixed_ascii": 4}, [2], strings(["ab", "cd"])).write(
        d, lambda m: objs(m, 0).update(dtype={"fixed_utf8": 4}))
    want["ascii_not_utf8"] = exp("FAIL", "ok", "ok", "FAIL")
    Scn("fixed_length").ds("s", {"fixed_ascii": 5}, [2], strings(["ab", "cd"])).write(
        d, lambda m: objs(m, 0).update(dtype={"fixed_ascii": 4}))
    want["fixed_length"] = exp("FAIL", "FAIL", "ok", "FAIL")

    def nullterm(f):
        tid = h5py.h5t.C_S1.copy()
        tid.set_size(4)
        tid.set_strpad(h5py.h5t.STR_NULLTERM)
        dsid = h5py.h5d.create(f.id, b"s", tid, h5py.h5s.create_simple((2,)))
        dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([b"ab", b"cd"], dtype="S4"))
    s = Scn("nullterm_string")
    s.hooks.append(nullterm)
    s.write(d, lambda m: m["objects"].append(
        {"path": "s", "kind": "dataset", "dtype": {"fixed_ascii": 4}, "shape": [2],
         "data": strings(["ab", "cd"])}))
    want["nullterm_string"] = exp("FAIL", "ok", "ok", "FAIL")
    Scn("wrong_values").ds("v", "u64", [2], values([1, 2**64 - 1])).write(
        d, lambda m: objs(m, 0)["data"].update(values=[1, 2**64 - 2]))
    want["wrong_values"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Fill values: other value, set but not in the manifest, in the manifest
    # but not set.
    Scn("wrong_fill_value").ds("x", "i32", [4], ramp(1, rows_written=2), fill=7).write(
        d, lambda m: objs(m, 0).update(fill=8))
    want["wrong_fill_value"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("unlisted_fill").ds("x", "f32", [2], ramp(1), fill=1.5).write(
        d, lambda m: objs(m, 0).pop("fill"))
    want["unlisted_fill"] = exp("FAIL", "FAIL", "ok", "FAIL")
    Scn("missing_fill").ds("x", "u8", [2], ramp(1)).write(d, lambda m: objs(m, 0).update(fill=3))
    want["missing_fill"] = exp("FAIL", "FAIL", "ok", "FAIL")
    # Layout: only the twin comparison sees it (compact_layout above is the
    # other direction).
    Scn("contiguous_not_compact").ds("x", "u16", [4], ramp(1)).write(
        d, lambda m: objs(m, 0).update(layout="compact"))
    want["contiguous_not_compact"] = exp("ok", "ok", "ok", "FAIL")
    # Malformed manifests: each must be "manifest FAIL".
    bad_manifests = {
        "array_top_level": {"dtype": {"array": ["f32", [2]]}, "data": None},
        "ramp_strings": {"dtype": {"fixed_ascii": 2}, "data": ramp(1)},
        "vlen_in_compound": {"dtype": {"compound": [["s", "vlen_str"]]}, "data": None},
        "enum_duplicate": {"dtype": {"enum": {"base": "u8", "members": [["A", 0], ["B", 0]]}},
                           "data": None},
        "enum_out_of_range": {"dtype": enum("u8", "A", start=256), "data": None},
        "value_out_of_range": {"dtype": "i8", "data": values([128])},
        "value_count": {"dtype": "i8", "data": values([1, 2, 3])},
        "string_too_long": {"dtype": {"fixed_utf8": 1}, "data": strings(["ü"])},
        "bad_layout": {"dtype": "u8", "data": None, "layout": "chunked"},
        "chunks_rank": {"dtype": "u8", "data": None, "chunks": [1, 1]},
        "chunks_zero": {"dtype": "u8", "data": None, "chunks": [0]},
        "chunks_and_layout": {"dtype": "u8", "data": None, "chunks": [1], "layout": "compact"},
        "chunks_past_fixed_max": {"dtype": "u8", "data": None, "chunks": [3]},
        "maxshape_below_shape": {"dtype": "u8", "data": None, "chunks": [1], "maxshape": [1]},
        "maxshape_without_chunks": {"dtype": "u8", "data": None, "maxshape": [None]},
        "maxshape_rank": {"dtype": "u8", "data": None, "chunks": [1], "maxshape": [2, 2]},
        "filters_without_chunks": {"dtype": "u8", "data": None, "filters": {"deflate": 4}},
        "filter_unknown": {"dtype": "u8", "data": None, "chunks": [1], "filters": {"lzf": True}},
        "deflate_level": {"dtype": "u8", "data": None, "chunks": [1], "filters": {"deflate": 10}},
        "shuffle_false": {"dtype": "u8", "data": None, "chunks": [1],
                          "filters": {"shuffle": False}},
        "chunks_scalar": {"dtype": "u8", "data": None, "shape": [], "chunks": []},
        "fill_type": {"dtype": "u8", "data": None, "fill": "x"},
        "attr_null": {"dtype": "u8", "data": None,
                      "attrs": [attr("a", "u8", [], None)]},
        "attr_twice": {"dtype": "u8", "data": None,
                       "attrs": [attr("a", "u8", [], values([1])),
                                 attr("a", "u8", [], values([1]))]},
    }
    for name, o in bad_manifests.items():
        name = "manifest_" + name
        with open(os.path.join(d, name + ".json"), "w") as fh:
            json.dump({"name": name, "file": "x.h5", "objects": [
                {"path": "x", "kind": "dataset", "shape": [2], **o}]}, fh)
        want[name] = {"manifest": "FAIL"}
