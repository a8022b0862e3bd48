"""js_readers.py's ground: paths and limits, and what jsfive and h5wasm cannot
read (UNSUPPORTED, quoting their sources), their dimension limits, and how
each represents every type (REPRESENTATION).
"""

from __future__ import annotations

import os


try:
    import numpy as np
except Exception:  # pragma: no cover - check.py reports numpy missing itself
    np = None  # type: ignore[assignment]

HERE = os.path.dirname(os.path.abspath(__file__))
JS_DIR = os.path.join(HERE, "js")
READ_MJS = os.path.join(JS_DIR, "read.mjs")
READERS = ("jsfive", "h5wasm")
NPM_CI = "npm ci --prefix tests/oracle/js --no-audit --no-fund"
# Seconds one file may take (both readers, and Node's start for the first).
TIMEOUT = int(os.environ.get("H5SINK_ORACLE_TIMEOUT", "300"))
# Values printed per dataset; the rest is reported as truncated (read.mjs --cap).
VALUE_CAP = int(os.environ.get("H5SINK_JS_VALUE_CAP", "2000000"))


class JsReadersMissing(Exception):
    """node, or the npm packages in tests/oracle/js/node_modules, are missing."""


# ------------------------------------------------------------ capabilities

# (reader, feature) -> why the reader cannot do it, quoting its own source in
# tests/oracle/js/node_modules (versions pinned in js/package.json; the line
# numbers are those of jsfive 0.4.2's esm/ sources, the same code as the
# dist/esm/index.mjs bundle that runs, and of h5wasm 0.10.3's src/). "error"
# is a regex the reader's error must match for the n/a to be granted: if it
# fails in any other way, or reads the object but gets it wrong, that is a FAIL.
# Dimensions beyond the reader's number range (the dataset holds no data:
# another dimension is 0, or it could not exist on disk).
DIM_LIMITS = {
    "jsfive": "jsfive n/a: dimensions of 2^32 or more: esm/dataobjects.js "
              "determine_data_shape (line 829) unpacks each 64-bit dimension as two "
              "'<I' words and keeps the low one",
    "h5wasm": "h5wasm: dimensions above 2^53 are JS numbers (doubles): compared "
              "after rounding",
}

UNSUPPORTED: dict[tuple[str, str], dict[str, str]] = {
    ("jsfive", "compact layout"): {
        "cite": "jsfive esm/dataobjects.js DataObjects.get_data (line 636): "
                "`if (layout_class == 0) { // compact storage` -> "
                "`throw \"Compact storage of DataObject not implemented\"`",
        "error": r"Compact storage of DataObject not implemented",
    },
    ("jsfive", "compound datatype"): {
        "cite": "jsfive esm/datatype-msg.js DatatypeMessage._determine_dtype_compound "
                "(line 139): `throw \"Compound type not yet implemented!\"`; README "
                "'Limitations': not all datatypes are supported",
        "error": r"Compound type not yet implemented",
    },
    ("jsfive", "array datatype"): {
        "cite": "jsfive esm/datatype-msg.js DatatypeMessage.determine_dtype (line 49): "
                "`else if (datatype_class == DATATYPE_ARRAY) { throw \"Array datatype "
                "class not supported.\" }`",
        "error": r"Array datatype class not supported",
    },
    ("jsfive", "fill value of unallocated storage"): {
        "cite": "jsfive esm/dataobjects.js DataObjects._get_contiguous_data (line 675): "
                "`if (data_offset == UNDEFINED_ADDRESS) { //# no storage is backing "
                "array, return empty array ... return new Array(size);` and "
                "_get_chunked_data (line 735) `return [];`, and for a chunked dataset "
                "written in part esm/btree.js BTreeV1RawDataChunks."
                "construct_data_from_chunks (line 239) `var data = new Array(data_size);` "
                "filled from the chunks in the B-tree only -- the Fill Value message "
                "is never applied, so elements without storage cannot be checked "
                "against a non-zero fill value",
        "error": "",  # shows as holes, not as an error
    },
    ("jsfive", "vlen strings in chunks never allocated"): {
        "cite": "jsfive esm/dataobjects.js DataObjects._get_chunked_data (line 746): "
                "`let [item_size, gheap_address, object_index] = data[i];` for every "
                "element, while construct_data_from_chunks leaves the elements of chunks "
                "never allocated undefined (a TypeError)",
        "error": r"undefined is not iterable",
    },
    ("h5wasm", "f16"): {
        "cite": "h5wasm src/hdf5_hl.ts getAccessor (line 144): floats other than 4 "
                "or 8 bytes -> `throw new Error(`Float${size * 8} not supported`)`; "
                "README: 'there is no Float16Array'",
        "error": r"Float16 not supported",
    },
}

# Documented lossy representations: not n/a, the comparison accounts for them.
REPRESENTATION = {
    ("jsfive", "64-bit integers"):
        "jsfive esm/core.js DataView64.getUint64 / getInt64 (lines 200-234) "
        "`return Number(combined)`: compared after rounding the expected value to "
        "the nearest double",
    ("jsfive", "enum"):
        "jsfive esm/datatype-msg.js determine_dtype (line 43): an ENUMERATED type "
        "returns its base type, so bools and enums read as integers",
    ("jsfive", "fixed string"):
        "jsfive esm/core.js DataView64.getString (line 237): all n bytes through "
        "TextDecoder('utf-8'), padding included",
    ("jsfive", "never written"):
        "jsfive esm/dataobjects.js _get_contiguous_data (line 675): unallocated "
        "storage reads as `new Array(size)` (holes); accepted for data: null "
        "when the expected value is the default fill (zeros / empty strings); "
        "likewise esm/btree.js construct_data_from_chunks (line 239) leaves the "
        "elements of chunks never allocated undefined: accepted at elements the "
        "manifest says were never written whose expected value is the default fill",
    ("h5wasm", "fixed string"):
        "h5wasm src/hdf5_hl.ts process_data (line 181-190): `truncate at first "
        "null`, TextDecoder(cset == 1 ? 'utf-8' : 'ascii'); 'ascii' is windows-1252 by "
        "WHATWG, Latin-1 in Node 20: either is accepted (_ascii_decodings)",
    ("h5wasm", "vlen string"):
        "h5wasm src/hdf5_hl.ts process_data (line 172): Module.UTF8ToString, which "
        "stops at the first NUL",
    ("h5wasm", "64-bit integers in array members"):
        "h5wasm src/hdf5_hl.ts process_data (line 231): `always convert ARRAY types "
        "to base JS types` (json_compatible: BigInt arrays `.map(Number)`, line 206): "
        "compared after rounding to the nearest double",
    ("h5wasm", "enum member values"):
        "h5wasm src/hdf5_util.cc get_dtype_metadata (lines 390-392): each member value "
        "goes through `H5Tconvert(base_dtype, H5T_NATIVE_INT, ...)` and `(int)`, so "
        "values outside the 32-bit range are reported clamped to INT_MIN / INT_MAX; "
        "the expected members are clamped the same way (the data values are exact)",
    ("h5wasm", "bool"):
        "h5wasm src/hdf5_hl.ts isH5PYBooleanEnum (line 308): an enum of exactly "
        "FALSE=0, TRUE=1 is h5py's bool; read.mjs prints it as true/false like "
        "h5wasm's json_value",
}
