// read.mjs's h5wasm reader: every object through libhdf5 (WebAssembly), its
// type metadata, attributes, shape, chunks and value.

import path from "node:path";

import { cap, h5wasm } from "./read_setup.mjs";
import { capRows, encScalar, errText } from "./read_values.mjs";

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


export { readH5wasm };
