#!/usr/bin/env node
// Runs a wasm32-wasip1 program (e.g. a `cargo test` binary) under Node's
// built-in WASI preview1 implementation. Used as cargo's target runner:
//   CARGO_TARGET_WASM32_WASIP1_RUNNER="node /abs/path/scripts/wasi-runner.mjs"
//   cargo test --lib --target wasm32-wasip1
// Usage: node wasi-runner.mjs prog.wasm [args...]
// The guest sees a host temporary directory as /tmp (TMPDIR=/tmp) and the
// environment variables listed in WASI_ENV_PASS plus RUST_*; its exit status is ours.
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

// node:wasi prints an ExperimentalWarning on first use; keep test output clean.
const emit = process.emitWarning;
process.emitWarning = (w, ...rest) =>
  (String(w).includes('WASI') ? undefined : emit.call(process, w, ...rest));

// Imported after the filter above (static imports are hoisted).
const { WASI } = await import('node:wasi');

const [wasmPath, ...args] = process.argv.slice(2);
if (!wasmPath) {
  console.error('usage: node wasi-runner.mjs prog.wasm [args...]');
  process.exit(2);
}

// The guest's /tmp: the host directory H5SINK_WASI_TMP (kept), or else a
// private temporary directory, removed afterwards.
const keepTmp = Boolean(process.env.H5SINK_WASI_TMP);
const hostTmp = keepTmp
  ? path.resolve(process.env.H5SINK_WASI_TMP)
  : mkdtempSync(path.join(os.tmpdir(), 'h5sink-wasi-'));
const env = { TMPDIR: '/tmp' };
const pass = (process.env.WASI_ENV_PASS || '').split(',').filter(Boolean);
for (const [k, v] of Object.entries(process.env)) {
  if (k.startsWith('RUST_') || pass.includes(k)) env[k] = v;
}

const wasi = new WASI({
  version: 'preview1',
  args: [path.basename(wasmPath), ...args],
  env,
  preopens: { '/tmp': hostTmp },
  returnOnExit: true,
});

let code;
try {
  const module = await WebAssembly.compile(await readFile(wasmPath));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  code = wasi.start(instance);
} catch (e) {
  // A trap lands here: wasm32-wasip1 panics abort (panic=abort), so one
  // panicking test stops the whole test binary (rerun with --nocapture to see
  // its message, which libtest's capture swallows).
  console.error(`wasi-runner: ${wasmPath}: ${e && e.stack ? e.stack : e}`);
  code = 101;
} finally {
  if (!keepTmp) rmSync(hostTmp, { recursive: true, force: true });
}
process.exit(code ?? 0);
