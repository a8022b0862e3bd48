"""Check a file of tests/codecs/codecs_js.rs with h5wasm + h5wasm-plugins under Node
(tests/oracle/js/read.mjs): every dataset <config>_<type> reads exactly as
the unfiltered ref_<type> of the same file, and h5wasm reads every one of
them (no read error, no value error). Missing node or npm packages exit 3.

    python3 tests/oracle/codecs_js_check.py FILE.h5
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import js_readers  # noqa: E402

if len(sys.argv) != 2:
    print("usage: codecs_js_check.py FILE.h5")
    sys.exit(2)
path = os.path.abspath(sys.argv[1])
try:
    result = js_readers.run_js([path], readers=("h5wasm",))[path]["h5wasm"]
except js_readers.JsReadersMissing as e:
    print("codecs_js_check: missing oracle:", e)
    sys.exit(3)
print("codecs_js_check: versions", js_readers.js_versions())
assert "error" not in result, result["error"]
objects = result["objects"]
refs = {k[len("/ref_"):]: v for k, v in objects.items() if k.startswith("/ref_")}
checked = []
for name, obj in sorted(objects.items()):
    if name == "/" or name.startswith("/ref_"):
        continue
    t = name.rsplit("_", 1)[1]
    ref = refs[t]
    assert obj.get("value") is not None, (name, obj.get("value_error"))
    assert not obj.get("value_truncated") and not obj.get("holes"), name
    assert obj["shape"] == ref["shape"] and obj["dtype"] == ref["dtype"], name
    assert obj["value"] == ref["value"], (name, obj["value"][:8], ref["value"][:8])
    checked.append(name)
assert refs and checked, objects.keys()
print(f"codecs_js_check: ok, {len(checked)} datasets read by h5wasm + h5wasm-plugins")
