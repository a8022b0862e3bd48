// read.mjs's JSON values: numbers, lists and errors in JSON-safe form, and
// the rows of a dataset that fit in --cap values.

import { cap } from "./read_setup.mjs";

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


export { encScalar, encList, errText, prod, capRows };
