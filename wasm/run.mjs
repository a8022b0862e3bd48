#!/usr/bin/env node
// Instantiates the wasm32-unknown-unknown build of h5sink-wasm (no imports,
// no JS glue), has it build its demo HDF5 file in memory, copies the bytes
// out of linear memory and writes them to OUT.
// Usage: node wasm/run.mjs MODULE.wasm OUT.h5
import { readFile, writeFile } from 'node:fs/promises';
import process from 'node:process';

const [wasmPath, outPath] = process.argv.slice(2);
if (!wasmPath || !outPath) {
  console.error('usage: node run.mjs MODULE.wasm OUT.h5');
  process.exit(2);
}

const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {});
const { memory, h5_build, h5_len, h5_ptr, h5_byte, h5_free } = instance.exports;

const len = h5_build() >>> 0;
// Copy out at once; the view must be taken after h5_build (memory may grow).
const bytes = new Uint8Array(memory.buffer, h5_ptr() >>> 0, h5_len() >>> 0).slice();
if (len === 0xffffffff) {
  console.error(`run.mjs: h5_build failed: ${new TextDecoder().decode(bytes)}`);
  process.exit(1);
}
if (bytes.length !== len) throw new Error(`h5_len ${bytes.length} != h5_build ${len}`);
// The byte-at-a-time export agrees with linear memory (spot checks).
for (const i of [0, 1, 7, len >> 1, len - 1]) {
  if (h5_byte(i) !== bytes[i]) throw new Error(`h5_byte(${i}) disagrees`);
}
if (h5_byte(len) !== 256) throw new Error('h5_byte past the end should be 256');
h5_free();
await writeFile(outPath, bytes);
console.log(`run.mjs: ${outPath}: ${len} bytes (module ${(await readFile(wasmPath)).length} bytes)`);
