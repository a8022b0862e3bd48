#!/usr/bin/env node
// Reads HDF5 files with two independent JavaScript readers and prints what
// each one sees, for tests/oracle/js_readers.py to compare with a manifest.
//
//   node read.mjs [--readers jsfive,h5wasm] [--cap N] FILE...
//   node read.mjs --serve [--cap N]
//   node read.mjs --versions
//
// jsfive  pure JavaScript (a port of pyfive), whole file in an ArrayBuffer.
// h5wasm  libhdf5 compiled to WebAssembly, host files through NODERAWFS,
//         with the compression plugins of h5wasm-plugins (LZF, LZ4, bshuf,
//         zstd, Blosc, ...) on its plugin search path.
//
// Output: ONE JSON document on stdout,
//   {"FILE": {"jsfive": R, "h5wasm": R}, ...}
// written one file per line ("{" first, "}" last) so that a caller that
// gives up on a hung reader can still use the lines already written. R is
//   {"error": "..."}                               (the file did not open)
//   {"objects": {"/path": OBJ, ...}}               ("/" is the root group)
// OBJ = {"kind": "group"|"dataset"|..., "attrs": {NAME: ATTR}, ...} and, for
// a dataset, "dtype" (the reader's own description), "shape", "value" (flat
// row-major list; null with "value_error" when unreadable),
// "value_truncated": true when only the first rows (<= --cap values, default
// 2,000,000) are given, and "holes": N when N elements came back as
// `undefined` (jsfive's answer for storage that was never allocated; they
// are printed as null); "chunks" (null unless chunked); jsfive adds
// "fillvalue" (its Dataset.fillvalue: the fill value, 0 when none is defined).
// ATTR = {"dtype", "shape", "value"} likewise.
// Any failure of one step (dtype, shape, value, one attribute) is reported as
// "<step>_error" next to it; the other steps still run.
//
// Values are JSON-safe: integers beyond 2^53 (BigInt or Number) as exact
// decimal strings, floats in shortest round-trip form, NaN / Infinity /
// -Infinity / -0 as the strings "NaN", "Infinity", "-Infinity", "-0",
// strings as strings, booleans as true/false, compound records as arrays
// (array members nested as the reader gives them), raw bytes (h5wasm's
// answer for a type it does not know) as {"bytes_hex": "..."}.
//
// --serve: no FILE arguments; reads requests from stdin, one JSON per line,
//   {"file": "FILE", "readers": ["jsfive", "h5wasm"]}   (readers optional)
// and answers each with one line {"file": "FILE", "result": {"jsfive": R, ...}},
// until stdin closes. One Node process (h5wasm's WebAssembly compiled once)
// then serves a whole test run.
//
// stderr: "read.mjs: start READER FILE" before each reader runs (the caller
// uses the last one to name a hung reader), plus the readers' own warnings.
// Exit status: 0 (per-file failures are in the JSON), 2 usage, 3 a reader
// package is missing (run `npm ci` here).

import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

// Libraries must not write to stdout, which carries the JSON: route
// console.log to stderr before they are loaded (Emscripten binds its `out`
// to console.log when the module is created).
const realStderrWrite = process.stderr.write.bind(process.stderr);
console.log = (...args) => console.error(...args);

const READERS = ["jsfive", "h5wasm"];

function usage(msg) {
  realStderrWrite(`read.mjs: ${msg}\nusage: node read.mjs [--readers jsfive,h5wasm] [--cap N] FILE...\n       node read.mjs --serve [--cap N]\n       node read.mjs --versions\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let readers = READERS.slice();
let cap = 2_000_000;
let versions = false;
let serve = false;
const files = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--readers") {
    readers = (args[++i] ?? "").split(",").filter(Boolean);
    if (!readers.length || readers.some((r) => !READERS.includes(r))) usage(`--readers takes a subset of ${READERS.join(",")}`);
  } else if (a === "--cap") {
    cap = Number(args[++i]);
    if (!Number.isInteger(cap) || cap < 1) usage("--cap takes a positive integer");
  } else if (a === "--versions") {
    versions = true;
  } else if (a === "--serve") {
    serve = true;
  } else if (a === "--") {
    files.push(...args.slice(i + 1));
    break;
  } else if (a.startsWith("--")) {
    usage(`unknown option ${a}`);
  } else {
    files.push(a);
  }
}
if (serve && files.length) usage("--serve takes no FILE arguments");
if (!versions && !serve && !files.length) usage("no files given");

let jsfive, h5wasm, H5;
try {
  jsfive = await import("jsfive");
  h5wasm = await import("h5wasm/node");
  H5 = await h5wasm.ready;
  // h5wasm-plugins' compression filters (LZF, LZ4, bitshuffle, zstd, Blosc,
  // ...): its own helper puts its plugins/ directory first on libhdf5's
  // plugin search path (host paths: NODERAWFS).
  const plugins = await import("h5wasm-plugins");
  plugins.install_local_plugins(H5);
} catch (e) {
  realStderrWrite(`read.mjs: cannot load jsfive / h5wasm / h5wasm-plugins (${e && e.message}); run: npm ci --prefix ${path.dirname(new URL(import.meta.url).pathname)}\n`);
  process.exit(3);
}
// h5wasm's documented switch (Module API, test/test_throwing_error_handler.mjs):
// every libhdf5 error becomes a JavaScript exception carrying the HDF5 error
// stack. Without it h5wasm ignores the status of H5Dread, H5Literate etc.:
// Dataset.value returns whatever the buffer held and Group.keys() returns []
// for a group whose B-tree is broken (tried), with the error stack going
// straight to fd 2 (NODERAWFS), out of this script's sight.
H5.activate_throwing_error_handler();

function pkgVersion(name) {
  const p = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(fs.readFileSync(p, "utf8")).version;
}

// The libhdf5 inside h5wasm names its version in every error stack
// ("HDF5-DIAG: Error detected in HDF5 (2.0.0)"); h5wasm exports no getter.
function h5wasmLibhdf5() {
  try {
    new h5wasm.File("/nonexistent/read.mjs-version-probe.h5", "r");
  } catch (e) {
    const m = /HDF5 \(([^)]+)\)/.exec(String(e && e.message));
    if (m) return m[1];
  }
  return "unknown";
}

if (versions) {
  process.stdout.write(JSON.stringify({
    node: process.version, jsfive: pkgVersion("jsfive"), h5wasm: pkgVersion("h5wasm"),
    h5wasm_plugins: pkgVersion("h5wasm-plugins"), h5wasm_libhdf5: h5wasmLibhdf5(),
  }) + "\n");
  process.exit(0);
}

// ------------------------------------------------------------ JSON values

const TWO53 = 2 ** 53;

function encScalar(v) {
  switch (typeof v) {
    case "number":
      if (Number.isNaN(v)) return "NaN";
      if (v === Infinity) return "Infinity";
      if (v === -Infinity) return "-Infinity";
      if (Object.is(v, -0)) return "-0";
      if (Number.isInteger(v) && Math.abs(v) > TWO53) return BigInt(v).toString();
      return v;
    case "bigint":
      return v.toString();
    case "string":
    case "boolean":
      return v;
    case "undefined":
      return null;
    default:
      if (v === null) return null;
      if (v instanceof Uint8Array) return { bytes_hex: Buffer.from(v).toString("hex") };
      if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v, encScalar);
      return { unrepresentable: String(v) };
  }
}

// Flat list of encoded elements; counts `undefined` elements (holes).
function encList(list, counter) {
  const n = list.length;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = list[i];
    if (v === undefined) counter.holes++;
    out[i] = encScalar(v);
  }
  return out;
}

function errText(e) {
  const text = String(e instanceof Error ? e.message : e).trim();
  // libhdf5's error stack (h5wasm): keep "function(): message" per frame.
  if (text.startsWith("HDF5-DIAG")) {
    const frames = [...text.matchAll(/ in (\w+)\(\): (.*)/g)].map((m) => `${m[1]}: ${m[2]}`);
    if (frames.length) return `libhdf5: ${frames.join(" <- ")}`;
  }
  return text;
}

const prod = (a) => a.reduce((x, y) => x * y, 1);

// Rows of the first dimension that fit in `cap` values (at least one).
function capRows(shape) {
  const row = prod(shape.slice(1));
  return row === 0 ? shape[0] : Math.max(1, Math.floor(cap / row));
}

// ------------------------------------------------------------------ jsfive

// jsfive exposes an attribute's value only (Group.attrs ->
// DataObjects.get_attributes -> unpack_attribute). Its dtype and shape are
// taken from jsfive's own parse of the same message by observing the two
// helpers unpack_attribute calls: determine_data_shape (the dataspace) and
// _attr_value (first call: the datatype jsfive decoded).
function jsfiveAttrs(dobj) {
  const out = {};
  const msgs = dobj.find_msg_type(0x000C); // ATTRIBUTE_MSG_TYPE
  for (const msg of msgs) {
    const seen = { dtype: undefined, shape: undefined };
    const self = Object.create(dobj);
    self.determine_data_shape = function (...a) {
      const s = Object.getPrototypeOf(self).determine_data_shape.apply(this, a);
      if (seen.shape === undefined) seen.shape = Array.from(s, Number);
      return s;
    };
    self._attr_value = function (dtype, ...rest) {
      if (seen.dtype === undefined) seen.dtype = dtype;
      return Object.getPrototypeOf(self)._attr_value.call(this, dtype, ...rest);
    };
    let name = `<attribute message at ${msg.get("offset_to_message")}>`;
    const a = {};
    try {
      const [n, value] = self.unpack_attribute(msg.get("offset_to_message"));
      name = n;
      a.dtype = seen.dtype ?? null;
      a.shape = seen.shape ?? null;
      if (seen.dtype === undefined) {
        // unpack_attribute catches a DatatypeMessage failure, warns and
        // returns null ("type not implemented, set to null").
        a.value = null;
        a.value_error = "jsfive: attribute type not implemented (unpack_attribute returned null)";
      } else {
        const counter = { holes: 0 };
        a.value = (seen.shape && seen.shape.length === 0) ? encList([value], counter) : encList(value, counter);
      }
    } catch (e) {
      a.error = errText(e);
    }
    out[name] = a;
  }
  return out;
}

function jsfiveObject(obj, kind) {
  const o = { kind };
  const dobj = obj._dataobjects;
  if (kind === "dataset") {
    try { o.dtype = obj.dtype; } catch (e) { o.dtype = null; o.dtype_error = errText(e); }
    let shape = null;
    try { shape = Array.from(obj.shape, Number); o.shape = shape; } catch (e) { o.shape = null; o.shape_error = errText(e); }
    try {
      let v = obj.value;
      if (!v || typeof v.length !== "number") throw new Error(`value is ${typeof v}: ${String(v).slice(0, 80)}`);
      if (shape && v.length > cap) {
        v = Array.prototype.slice.call(v, 0, capRows(shape) * prod(shape.slice(1)));
        o.value_truncated = true;
      }
      const counter = { holes: 0 };
      o.value = encList(v, counter);
      if (counter.holes) o.holes = counter.holes;
    } catch (e) {
      o.value = null;
      o.value_error = errText(e);
    }
  }
  if (kind === "dataset") {
    // Dataset.fillvalue: the Fill Value message's value, 0 when undefined.
    try { o.fillvalue = encScalar(obj.fillvalue); } catch (e) { o.fillvalue_error = errText(e); }
    // DataObjects.chunks: the chunk shape, null unless chunked.
    try { o.chunks = dobj.chunks == null ? null : Array.from(dobj.chunks, Number); } catch (e) { o.chunks_error = errText(e); }
  }
  try { o.attrs = jsfiveAttrs(dobj); } catch (e) { o.attrs = {}; o.attrs_error = errText(e); }
  return o;
}

function readJsfive(file) {
  let f;
  try {
    const buf = fs.readFileSync(file);
    // A small Buffer may be a view into a shared pool: copy out its bytes.
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    f = new jsfive.File(ab, path.basename(file));
  } catch (e) {
    return { error: errText(e) };
  }
  const objects = {};
  const stack = [["/", f]];
  while (stack.length) {
    const [gpath, g] = stack.pop();
    objects[gpath] = jsfiveObject(g, "group");
    let names;
    try { names = g.keys; } catch (e) { objects[gpath].keys_error = errText(e); continue; }
    objects[gpath].members = names;
    for (const name of names) {
      const p = gpath === "/" ? `/${name}` : `${gpath}/${name}`;
      let child;
      try {
        child = g.get(name);
      } catch (e) {
        objects[p] = { kind: "unreadable", error: errText(e) };
        continue;
      }
      if (child instanceof jsfive.Dataset) {
        objects[p] = jsfiveObject(child, "dataset");
      } else if (child instanceof jsfive.Group) {
        if (p.split("/").length > 64) { objects[p] = { kind: "group", error: "deeper than 64 levels (link cycle?)" }; continue; }
        stack.push([p, child]);
      } else {
        objects[p] = { kind: child === null ? "unresolved link" : String(child?.constructor?.name) };
      }
    }
  }
  return { objects };
}

// ------------------------------------------------------------------ h5wasm

// h5wasm's dtype description: its dtype string (metadata_to_dtype, "unknown"
// for enums) plus the type metadata it got from libhdf5 (class, size, sign,
// byte order, cset, strpad, enum / compound / array details), without the
// dataspace fields, which are reported as "shape".
function h5wasmDtype(meta) {
  const { shape, maxshape, total_size, chunks, virtual_sources, ...type } = meta;
  return type;
}

function isBoolEnum(meta) {
  // h5wasm's own rule (process_data, isH5PYBooleanEnum): an enum with exactly
  // FALSE = 0 and TRUE = 1 is h5py's bool; its json_value gives true/false.
  const m = meta.enum_type && meta.enum_type.members;
  return !!m && Object.keys(m).length === 2 && m.FALSE === 0 && m.TRUE === 1;
}

// One element as process_data returned it, per its metadata: enum bools to
// true/false (h5wasm's json convention), compound records as arrays.
function h5wasmElem(v, meta) {
  if (meta.type === 8 && isBoolEnum(meta)) return (typeof v === "number" || typeof v === "bigint") ? !!v : encScalar(v);
  if (meta.type === 6 && Array.isArray(v)) {
    const ms = meta.compound_type.members;
    return v.map((x, i) => (ms[i] ? h5wasmElem(x, ms[i]) : encScalar(x)));
  }
  return encScalar(v);
}

function h5wasmValue(raw, meta, scalar) {
  if (raw === null || raw === undefined) throw new Error(`value is ${raw}`);
  let list;
  if (scalar) list = [raw];
  else if (typeof raw === "string" || !(Array.isArray(raw) || ArrayBuffer.isView(raw))) throw new Error(`value is not a list: ${typeof raw}`);
  else list = raw;
  // known-type raw bytes (Uint8Array of an unknown class) stay one element
  if (meta.type !== 0 && meta.type !== 8 && list instanceof Uint8Array) return [encScalar(list)];
  const out = new Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = h5wasmElem(list[i], meta);
  return out;
}

function h5wasmAttrs(obj) {
  const out = {};
  const attrs = obj.attrs;
  for (const name of Object.keys(attrs)) {
    const a = {};
    try {
      const at = attrs[name];
      a.dtype = h5wasmDtype(at.metadata);
      a.dtype_str = at.dtype;
      a.shape = at.shape;
      try {
        const raw = at.value;
        a.value = h5wasmValue(raw, at.metadata, Array.isArray(at.shape) && at.shape.length === 0);
      } catch (e) {
        a.value = null;
        a.value_error = errText(e);
      }
    } catch (e) {
      a.error = errText(e);
    }
    out[name] = a;
  }
  return out;
}

function h5wasmObject(obj, kind) {
  const o = { kind };
  if (kind === "dataset") {
    let meta = null;
    try {
      meta = obj.metadata;
      o.dtype = h5wasmDtype(meta);
      o.dtype_str = obj.dtype;
      o.shape = meta.shape;
      o.chunks = meta.chunks;
    } catch (e) {
      o.dtype = null;
      o.shape = null;
      o.dtype_error = errText(e);
    }
    if (meta) {
      try {
        const shape = meta.shape;
        let raw;
        if (Array.isArray(shape) && shape.length >= 1 && meta.total_size > cap) {
          raw = obj.slice([[0, capRows(shape)]]);
          o.value_truncated = true;
        } else {
          raw = obj.value;
        }
        o.value = h5wasmValue(raw, meta, Array.isArray(shape) && shape.length === 0);
      } catch (e) {
        o.value = null;
        o.value_error = errText(e);
      }
    }
  }
  try { o.attrs = h5wasmAttrs(obj); } catch (e) { o.attrs = {}; o.attrs_error = errText(e); }
  return o;
}

function readH5wasm(file) {
  let f;
  try {
    f = new h5wasm.File(path.resolve(file), "r");
  } catch (e) {
    return { error: errText(e) };
  }
  const objects = {};
  try {
    const stack = [["/", f]];
    while (stack.length) {
      const [gpath, g] = stack.pop();
      objects[gpath] = h5wasmObject(g, "group");
      let names;
      try { names = g.keys(); } catch (e) { objects[gpath].keys_error = errText(e); continue; }
      objects[gpath].members = names;
      for (const name of names) {
        const p = gpath === "/" ? `/${name}` : `${gpath}/${name}`;
        let child;
        try {
          child = g.get(p);
        } catch (e) {
          objects[p] = { kind: "unreadable", error: errText(e) };
          continue;
        }
        if (child instanceof h5wasm.Dataset) {
          objects[p] = h5wasmObject(child, "dataset");
        } else if (child instanceof h5wasm.Group) {
          if (p.split("/").length > 64) { objects[p] = { kind: "group", error: "deeper than 64 levels (link cycle?)" }; continue; }
          stack.push([p, child]);
        } else {
          objects[p] = { kind: child === null ? "unresolved link" : String(child?.constructor?.name) };
        }
      }
    }
  } finally {
    try { f.close(); } catch (e) { /* reported through the reads above */ }
  }
  return { objects };
}

// ------------------------------------------------------------------ driver

const READ = { jsfive: readJsfive, h5wasm: readH5wasm };

function readFile(file, which) {
  const entry = {};
  for (const r of which) {
    realStderrWrite(`read.mjs: start ${r} ${file}\n`);
    try {
      entry[r] = READ[r](file);
    } catch (e) {
      entry[r] = { error: `read.mjs internal error: ${errText(e)}` };
    }
  }
  return entry;
}

if (serve) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let req;
    try {
      req = JSON.parse(line);
      if (typeof req.file !== "string") throw new Error("no \"file\" string");
      const which = req.readers ?? READERS;
      if (!Array.isArray(which) || which.some((r) => !READERS.includes(r))) throw new Error(`readers must be a subset of ${READERS}`);
      req.readers = which;
    } catch (e) {
      process.stdout.write(JSON.stringify({ request_error: `${errText(e)}: ${line.slice(0, 200)}` }) + "\n");
      continue;
    }
    process.stdout.write(JSON.stringify({ file: req.file, result: readFile(req.file, req.readers) }) + "\n");
  }
} else {
  process.stdout.write("{\n");
  files.forEach((file, k) => {
    const entry = readFile(file, readers);
    process.stdout.write(JSON.stringify(file) + ": " + JSON.stringify(entry) + (k + 1 < files.length ? ",\n" : "\n"));
  });
  process.stdout.write("}\n");
}
