#!/usr/bin/env python3
"""Every public item of h5sink has a doc comment with an example.

    python3 scripts/doc_audit.py [--list]

Builds the crate's rustdoc JSON with the nightly toolchain (the JSON output is
unstable), walks every item reachable from the crate root through public paths
(modules, re-exports, structs, enums, traits, functions, constants, statics,
type aliases, macros, public inherent methods and trait items) and requires a
code block (```) in each one's documentation. Struct fields, enum variants
and trait-impl methods are exempt: their parent's example covers them.

Exit status 1, with the list, if any item lacks an example; 2 if the JSON
cannot be built or has an unexpected shape (a newer nightly changed it): the
audit then fails instead of passing unchecked.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS_LEAF = ("function", "constant", "static", "type_alias", "macro", "proc_macro")
KINDS_TYPE = ("struct", "enum", "trait", "union")


def build() -> str:
    target = os.environ.get("H5SINK_AUDIT_TARGET", os.path.join(ROOT, "target", "doc-audit"))
    cmd = ["cargo", "+nightly", "rustdoc", "--lib", "--all-features", "--quiet",
           "--", "-Z", "unstable-options", "--output-format", "json"]
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    return os.path.join(target, "doc", "h5sink.json")


def audit(doc: dict) -> list:
    index = doc["index"]
    seen, items = set(), []

    def get(iid):
        return index.get(str(iid))

    def has_example(it):
        return "```" in (it.get("docs") or "")

    def record(kind, path, it):
        span = it.get("span") or {}
        items.append((kind, "::".join(path), has_example(it), span.get("filename", "?")))

    def walk(iid, path):
        if iid in seen:
            return
        seen.add(iid)
        it = get(iid)
        if it is None or it.get("crate_id", 0) != 0 or it.get("visibility") != "public":
            return
        (kind, inner), = it["inner"].items()
        name = it.get("name")
        here = path + ([name] if name else [])
        if kind == "use":
            if inner.get("id") is not None:
                walk(inner["id"], path)
        elif kind == "module":
            record(kind, here, it)
            for child in inner["items"]:
                walk(child, here)
        elif kind in KINDS_TYPE:
            record(kind, here, it)
            for impl_id in inner.get("impls", []):
                imp = get(impl_id)["inner"]["impl"]
                if imp.get("trait") is None and not imp.get("is_synthetic") and not imp.get("blanket_impl"):
                    for m in imp["items"]:
                        mi = get(m)
                        if mi.get("visibility") == "public":
                            record("method", here + [mi["name"]], mi)
            if kind == "trait":
                for m in inner["items"]:
                    mi = get(m)
                    record("trait item", here + [mi["name"]], mi)
        elif kind in KINDS_LEAF:
            record(kind, here, it)

    walk(doc["root"], [])
    return items


def main() -> int:
    try:
        path = build()
        with open(path) as f:
            doc = json.load(f)
        items = audit(doc)
    except (subprocess.CalledProcessError, OSError, KeyError, ValueError, AttributeError, TypeError) as e:
        print(f"doc_audit: FAIL: cannot audit the rustdoc JSON ({type(e).__name__}: {e})", file=sys.stderr)
        return 2
    if len(items) < 50:
        print(f"doc_audit: FAIL: only {len(items)} public items found; the JSON walk is broken", file=sys.stderr)
        return 2
    missing = [i for i in items if not i[2]]
    if "--list" in sys.argv or missing:
        for kind, name, _, file in missing:
            print(f"doc_audit: no example: {kind} {name} ({file})")
    print(f"doc_audit: {len(items) - len(missing)} of {len(items)} public items have an example")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
