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

import readline from "node:readline";

// The parts of read.mjs, by concept: setup (command line, libraries), JSON values,
// and one reader each.
import { realStderrWrite, READERS, readers, serve, files } from "./read_setup.mjs";
import { errText } from "./read_values.mjs";
import { readJsfive } from "./read_jsfive.mjs";
import { readH5wasm } from "./read_h5wasm.mjs";

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

