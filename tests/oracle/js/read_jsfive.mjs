// read.mjs's jsfive reader: every object, its attributes (dtype and shape from
// jsfive's own parse), dtype, shape, value and fill value.

import fs from "node:fs";
import path from "node:path";

import { cap, jsfive } from "./read_setup.mjs";
import { capRows, encList, encScalar, errText, prod } from "./read_values.mjs";

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


export { readJsfive };
