"""selftest.py's good scenarios: every manifest feature, written correctly by
h5py (chunked ones included, with deflate streams of another encoder).
"""

from __future__ import annotations

import zlib

from selftest_reference import np, NUMERIC, ref_array
from selftest_scenario import (
    attr, COLOR, enum, FLAT, FLAT_RAMPABLE, MATRIX, POINT, PYF, PYF_BOOL, PYF_RAMPABLE, ramp,
    RECORD, Scn, strings, TRICKY, values,
)


def good_scenarios(big: bool) -> list[Scn]:
    out = []
    s = Scn("dtypes_rank1")
    for k, t in enumerate(NUMERIC):
        s.ds(f"{t}_vals", t, [17], ramp(k * 1000 + 3))
    s.ds("u64_wrap", "u64", [9], ramp(2**64 - 1)).ds("i8_wrap", "i8", [300], ramp(2**63 + 5))
    s.ds("f32_wrap", "f32", [50], ramp(2**64 - 7))
    out.append(s)
    s = Scn("dtypes_rank3")
    for k, t in enumerate(NUMERIC):
        s.ds(t, t, [2, 3, 4], ramp(k))
    out.append(s)
    s = Scn("scalars")
    for k, t in enumerate(NUMERIC):
        s.ds(t, t, [], ramp(k + 11))
    s.ds("str", "vlen_str", [], {"strings": ["héllo"]})
    s.ds("str_empty", "vlen_str", [], {"strings": [""]})
    out.append(s)
    s = Scn("groups_nested").group("meta").ds("meta/x", "i32", [3, 4], ramp(7))
    s.group("a").group("a/b").group("a/b/c").ds("a/b/c/deep", "f64", [5], ramp(2))
    s.group("empty").group("a/b/also_empty").ds("top", "u8", [3], ramp(1))
    out.append(s)
    s = Scn("partial_rows").ds("part", "f64", [10, 2], ramp(1, rows_written=4))
    s.ds("none", "i16", [5], ramp(3, rows_written=0))
    s.ds("all", "u32", [3, 3], ramp(4, rows_written=3))
    s.ds("rank3", "i64", [4, 2, 3], ramp(5, rows_written=1))
    out.append(s)
    s = Scn("zero_size").ds("empty", "u8", [0, 5], ramp(0)).ds("e1", "f32", [0], ramp(1))
    s.ds("e2", "i64", [3, 0], ramp(2)).ds("es", "vlen_str", [0], {"strings": []})
    s.ds("enull", "u16", [0], None)
    out.append(s)
    s = Scn("never_written").ds("blank", "f32", [4], None).ds("sblank", "vlen_str", [3], None)
    s.ds("scalar", "i32", [], None).ds("sscalar", "vlen_str", [], None)
    out.append(s)
    s = Scn("strings").ds("names", "vlen_str", [len(TRICKY)], {"strings": TRICKY})
    s.ds("grid", "vlen_str", [2, 2], {"strings": ["r0c0", "r0c1", "ü", ""]})
    s.ds("empties", "vlen_str", [2], {"strings": ["", ""]})
    out.append(s)
    s = Scn("big_group").group("g")
    for i in range(1000):
        s.ds(f"g/d{i:04d}", "u8", [2], ramp(i))
    out.append(s)
    s = Scn("odd_names").group("with space").ds("with space/naïve", "i8", [3], ramp(1))
    s.ds("with.dot", "u16", [2], ramp(2)).ds("-dash", "f32", [1], ramp(3))
    s.ds('quote"name', "u8", [1], ramp(4))
    out.append(s)
    out.append(Scn("no_twin", twin=False).ds("x", "f64", [3], ramp(9)))
    out += new_good_scenarios()
    out += chunked_good_scenarios()
    if big:
        # 6553600 x 2 f64 = 100 MiB: exercises the binary h5dump path.
        out.append(Scn("big_dataset").ds("big", "f64", [6553600, 2], ramp(3))
                   .ds("label", "vlen_str", [1], {"strings": ["big"]}))
    return out


def new_good_scenarios() -> list[Scn]:
    """Attributes, the new dtypes, explicit values, fill values, compact."""
    out = []
    # Attributes of every kind on the root, groups and datasets.
    s = Scn("attrs", pyfive="n/a")  # "rec": a compound with an array member
    s.root_attr("units", "vlen_str", [], strings(["kelvin"]))
    s.root_attr("names", "vlen_str", [3], strings(["a", "bü", ""]))
    s.root_attr("grid_s", "vlen_str", [2, 2], strings(["r0c0", "r0c1", "漢字", ""]))
    s.root_attr("count", "i64", [], values([3]))
    s.root_attr("scale", "f64", [], values([2.5]))
    s.root_attr("empty_s", "vlen_str", [], strings([""]))
    s.root_attr("größe", "u8", [], values([255]))
    s.root_attr("none", "i32", [0], values([]))
    s.group("g", attrs=[attr("flags", "bool", [5], ramp(3)),
                        attr("half", "f16", [], ramp(7)),
                        attr("label", {"fixed_ascii": 8}, [], strings(["abc"])),
                        attr("labels", {"fixed_utf8": 6}, [2], strings(["ü€", "full!!"])),
                        attr("color", COLOR, [], values(["GREEN"])),
                        attr("colors", COLOR, [4], ramp(1)),
                        attr("point", POINT, [], values([[1.5, -2.0]])),
                        attr("flat", FLAT, [2], values([
                            [-1, 2**64 - 1, 0.5, -0.0, True, "BLUE", "ab", "ü", [7, "Y"]],
                            [127, 0, -65504.0, 1e300, False, 0, "", "€", [0, 0]]])),
                        attr("rec", RECORD, [], ramp(11)),
                        attr("pyf", PYF, [2], values([
                            [-1, 2**64 - 1, 0.5, -0.0, "ab", "ü", [7, -7], "BLUE"],
                            [127, 0, -65504.0, 1e300, "", "€", [0, 0], 0]])),
                        attr("pyf_bool", PYF_BOOL, [], ramp(12))])
    s.group("g/sub", attrs=[attr("grid", "i32", [2, 3], ramp(5))])
    s.ds("g/x", "f32", [3], ramp(1), attrs=[attr("units", "vlen_str", [], strings(["m/s"])),
                                            attr("valid_range", "f32", [2], values([-1.5, 1e30]))])
    s.ds("y", "u8", [2], None, attrs=[attr("note", "vlen_str", [], strings(["never written"]))])
    out.append(s)
    # The new dtypes as datasets, through ramp.
    s = Scn("new_dtypes")
    s.ds("bool", "bool", [17], ramp(2)).ds("bool2", "bool", [2, 3], ramp(2**64 - 2))
    s.ds("f16", "f16", [3000], ramp(0)).ds("f16_wrap", "f16", [40], ramp(2**64 - 9))
    s.ds("color", COLOR, [10], ramp(4))
    s.ds("e_u16", enum("u16", "A", "B", "C", "D", "E", start=65000, step=100), [12], ramp(9))
    s.ds("e_i64", enum("i64", "NEG", "ZERO", "BIG", start=-2**62, step=2**62), [3, 4], ramp(3))
    s.ds("s_ascii", {"fixed_ascii": 5}, [4], strings(["", "a", "abcde", "x y"]))
    s.ds("s_utf8", {"fixed_utf8": 8}, [2, 2], strings(["ü", "漢字", "", "€€"]))
    s.ds("s_one", {"fixed_ascii": 1}, [3], strings(["a", "", "z"]))
    s.ds("pyf", PYF_RAMPABLE, [6], ramp(5)).ds("pyf2", PYF_RAMPABLE, [2, 3], ramp(6))
    s.ds("pyf_bool", PYF_BOOL, [4], ramp(8)).ds("point", POINT, [], ramp(7))
    out.append(s)
    # Compounds with array members, or an enum before other members: pyfive
    # cannot read them.
    s = Scn("pyfive_na_types", pyfive="n/a")
    s.ds("rec", RECORD, [5], ramp(1)).ds("matrix", MATRIX, [3], ramp(2))
    s.ds("flat", FLAT_RAMPABLE, [6], ramp(5)).ds("flat2", FLAT_RAMPABLE, [2, 3], ramp(6))
    s.ds("flat_vals", FLAT, [2], values([
        [-1, 2**64 - 1, 0.5, -0.0, True, "BLUE", "ab", "ü", [7, "Y"]],
        [127, 0, -65504.0, 1e300, False, 0, "", "€", [0, 0]]]))
    s.ds("flat_fill", FLAT, [2], None, fill=[1, 2, 0.5, 3, True, "GREEN", "t", "ü", [1, "X"]])
    s.ds("flat_compact", FLAT_RAMPABLE, [3], ramp(3), layout="compact")
    s.ds("flat_scalar", FLAT_RAMPABLE, [], ramp(4))
    s.ds("rec_vals", RECORD, [1], values([[1.0, 2.0, -3, [0.5, 1.5, 2.5, 3.5], [9, -9]]]))
    s.ds("rec_part", RECORD, [4], ramp(3, rows_written=2), fill=[1, 2, 3, [4, 4, 4, 4], [5, 6]])
    s.ds("plain", "i32", [2], ramp(4))
    out.append(s)
    # Explicit values for every dtype.
    s = Scn("values")
    s.ds("u64", "u64", [3], values([0, 2**64 - 1, 2**63]))
    s.ds("i64", "i64", [3], values([-2**63, 2**63 - 1, -1]))
    s.ds("i8", "i8", [2], values([-128, 127]))
    s.ds("f64", "f64", [5], values([-0.0, 1e-310, 0.1, 1.7976931348623157e308, 3]))
    s.ds("f32", "f32", [3], values([0.1, 3.4e38, -1e-45]))
    s.ds("f16", "f16", [8],
         values([0.1, 65504.0, 65519.0, 1e-8, 6e-8, -0.0, 2.9802322387695312e-08, 1]))
    s.ds("nan", "f64", [1], values([float("nan")]))
    s.ds("bool", "bool", [3], values([True, False, True]))
    s.ds("color", COLOR, [4], values(["RED", "BLUE", 1, "GREEN"]))
    s.ds("s_ascii", {"fixed_ascii": 3}, [2], values(["ab", "abc"]))
    s.ds("vlen", "vlen_str", [2], values(["x", "ÿ"]))
    s.ds("pyf", PYF, [2], values([
        [-1, 2**64 - 1, 0.5, -0.0, "ab", "ü", [7, -7], "BLUE"],
        [127, 0, -65504.0, 1e300, "", "€", [0, 0], 0]]))
    s.ds("grid", "u16", [2, 2], values([1, 2, 3, 4]))
    s.ds("scalar", POINT, [], values([[0.25, -0.5]]))
    out.append(s)
    # User fill values: unwritten elements read as the fill.
    s = Scn("fill")
    s.ds("i32", "i32", [6, 2], ramp(1, rows_written=2), fill=-7)
    s.ds("f64_null", "f64", [4], None, fill=0.5)
    s.ds("f16", "f16", [5], ramp(2, rows_written=1), fill=-1.5)
    s.ds("bool", "bool", [4], None, fill=True)
    s.ds("color", COLOR, [3], values(["RED"], rows_written=1), fill="BLUE")
    s.ds("s_ascii", {"fixed_ascii": 4}, [3], strings(["ab"], rows_written=1), fill="zz")
    s.ds("pyf", PYF, [2], None, fill=[1, 2, 0.5, 3, "t", "ü", [1, 2], "GREEN"])
    s.ds("pyf_part", PYF_RAMPABLE, [3], ramp(1, rows_written=1),
         fill=[-1, 0, 0.25, 9, [5, 6], "RED"])
    s.ds("scalar", "u16", [], None, fill=65535)
    s.ds("all_written", "i8", [2], ramp(5), fill=3)
    s.ds("zero_fill", "u8", [2], None, fill=0)
    s.ds("vlen_part", "vlen_str", [3], strings(["a", "b"], rows_written=2))
    out.append(s)
    # Compact layout (vlen strings in it: pyfive cannot read them).
    s = Scn("compact", pyfive="n/a")
    s.ds("u16", "u16", [4], ramp(1), layout="compact")
    s.ds("null", "f32", [3], None, layout="compact")
    s.ds("null_fill", "i64", [3], None, fill=42, layout="compact")
    s.ds("part", "f64", [4, 2], ramp(2, rows_written=1), fill=-1.0, layout="compact")
    s.ds("pyf", PYF_RAMPABLE, [3], ramp(3), layout="compact")
    s.ds("strs", {"fixed_utf8": 4}, [2], strings(["ü", "ab"]), layout="compact")
    s.ds("scalar", "i8", [], ramp(4), layout="compact")
    s.ds("empty", "u8", [0], None, layout="compact")
    s.ds("vlen", "vlen_str", [2], strings(["x", "yz"]), layout="compact")
    out.append(s)
    # Scalars of the new types.
    s = Scn("new_scalars")
    s.ds("bool", "bool", [], ramp(1)).ds("f16", "f16", [], ramp(2)).ds("color", COLOR, [], ramp(3))
    s.ds("s_ascii", {"fixed_ascii": 6}, [], strings(["hi"]))
    s.ds("s_utf8", {"fixed_utf8": 6}, [], strings(["ü"]))
    s.ds("s_null", {"fixed_ascii": 2}, [], None).ds("pyf", PYF_RAMPABLE, [], ramp(4))
    s.ds("s_null_arr", {"fixed_utf8": 3}, [3], None)
    out.append(s)
    return out


def write_chunks(ds, arr, level=None, shuffle=False, mask=0, only=None):
    """Writes the chunks of h5py dataset `ds` holding `arr` (numeric) with
    write_direct_chunk, encoded here instead of by libhdf5: shuffled (numpy)
    if asked, then zlib at `level` (None: stored raw), with `filter_mask`
    mask. only: the chunk offsets to write (default all)."""
    chunks = ds.chunks
    grid = [-(-n // c) for n, c in zip(arr.shape, chunks)]
    for idx in np.ndindex(*grid):
        off = tuple(i * c for i, c in zip(idx, chunks))
        if only is not None and off not in only:
            continue
        block = np.zeros(chunks, dtype=arr.dtype)
        part = arr[tuple(slice(o, min(o + c, n)) for o, c, n in zip(off, chunks, arr.shape))]
        block[tuple(slice(0, x) for x in part.shape)] = part
        raw = block.tobytes()
        if shuffle:
            raw = np.frombuffer(raw, np.uint8).reshape(-1, arr.dtype.itemsize).T.tobytes()
        if level is not None:
            raw = zlib.compress(raw, level)
        ds.id.write_direct_chunk(off, raw, filter_mask=mask)


# Scenario -> datasets whose deflate streams this selftest makes with
# another encoder than the twin's (libhdf5's zlib at the dataset's level):
# their stored sizes must differ from the twin's, or the scenario would not
# prove that the SIZE normalisation lets them through.
OTHER_ENCODER = {"deflate_other_encoder": ["stored", "shuffled"]}


def chunked_good_scenarios() -> list[Scn]:
    """Chunked layout: edge chunks, filters, unlimited dimensions, resize,
    a chunk B-tree of more than one leaf, and pyfive's limits."""
    out = []
    gz_all = {"shuffle": True, "deflate": 4, "fletcher32": True}
    s = Scn("chunked")
    s.ds("edge2d", "i32", [7, 5], ramp(1), chunks=[3, 2])  # partial edge chunks in both dims
    s.ds("gz_all", "f64", [10, 3], ramp(2), chunks=[4, 2], filters=gz_all)
    s.ds("grown", "u16", [5, 3], ramp(3), chunks=[2, 3], maxshape=[None, 3], grow_from=[2, 3])
    # 65 chunks: more than one leaf of the chunk B-tree (64 entries per node).
    s.ds("chunks65", "u8", [130], ramp(4), chunks=[2])
    s.ds("fletcher_only", "i16", [6], ramp(5), chunks=[4], filters={"fletcher32": True})
    s.ds("shuffle_only", "f32", [3, 4], ramp(6), chunks=[2, 2], filters={"shuffle": True})
    s.ds("gz_never", "i64", [4, 4], None, chunks=[2, 2], filters={"deflate": 9})
    s.ds("empty_unlimited", "f32", [0, 5], ramp(0), chunks=[3, 2], maxshape=[None, 5],
         filters={"deflate": 1})
    s.ds("chunk_past_shape", "u32", [3], ramp(7), chunks=[10], maxshape=[None])
    s.ds("pyf", PYF_RAMPABLE, [5], ramp(8), chunks=[2], filters={"shuffle": True, "deflate": 2})
    s.ds("vlen_even", "vlen_str", [2, 2], strings(["a", "ü", "", "xyz"]), chunks=[1, 2])
    s.ds("fixed", {"fixed_ascii": 4}, [3], strings(["ab", "", "abcd"]), chunks=[2],
         filters={"deflate": 0})
    s.ds("bool", "bool", [9], ramp(9), chunks=[4], filters={"shuffle": True, "fletcher32": True})
    s.ds("color", COLOR, [2, 3], ramp(10), chunks=[1, 3], maxshape=[None, None])
    s.ds("fill_full", "i32", [4], ramp(11), chunks=[2], fill=-1)
    s.ds("rows_in_chunks", "f64", [4, 2], ramp(12, rows_written=3), chunks=[2, 2], fill=0.5)
    s.ds("attrs", "u8", [2], ramp(13), chunks=[1], attrs=[attr("units", "vlen_str", [],
                                                                strings(["m"]))])
    out.append(s)
    # What pyfive cannot read (PYFIVE_NA_MISSING_CHUNK, PYFIVE_NA_CHUNKED_VLEN).
    s = Scn("chunked_pyfive_na", pyfive="n/a")
    s.ds("rows_part", "f64", [6, 2], ramp(1, rows_written=3), chunks=[2, 2], fill=-1.5,
         filters={"deflate": 3})
    s.ds("vlen_edge", "vlen_str", [3], strings(["a", "bb", "c"]), chunks=[2])
    s.ds("vlen_gz", "vlen_str", [4], strings(["x", "yy", "", "ü"]), chunks=[2],
         filters={"shuffle": True, "deflate": 5})
    s.ds("vlen_part", "vlen_str", [4], strings(["q"], rows_written=1), chunks=[2])
    s.ds("fine", "i8", [4], ramp(2), chunks=[2])
    out.append(s)
    # Deflate streams of another encoder (zlib level 0 = stored blocks, and
    # level 1 after numpy's shuffle) than the twin's: only the normalised
    # SIZE lines differ.
    s = Scn("deflate_other_encoder")
    s.ds("stored", "f64", [8, 3], ramp(1), chunks=[3, 3], filters={"deflate": 4}, write=False)
    # Small values: compressible after shuffling, so libhdf5's level 6 stores
    # fewer bytes than zlib's level 0 (incompressible data would be stored
    # raw by both).
    s.ds("shuffled", "i32", [70], values(list(range(-35, 35))), chunks=[30],
         filters={"shuffle": True, "deflate": 6}, write=False)
    s.hooks.append(lambda f: (write_chunks(f["stored"], ref_array("f64", (8, 3), ramp(1)), level=0),
                              write_chunks(f["shuffled"], np.arange(-35, 35, dtype="<i4"),
                                           level=0, shuffle=True)))
    out.append(s)
    return out
