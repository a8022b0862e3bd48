// read.mjs's setup: routes console.log to stderr, parses the command line
// (--readers, --cap, --serve, --versions, FILE...), loads jsfive, h5wasm and
// h5wasm-plugins (exit 3 if missing) and answers --versions.

import fs from "node:fs";
import path from "node:path";

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


export { realStderrWrite, READERS, readers, cap, serve, files, jsfive, h5wasm, H5 };
