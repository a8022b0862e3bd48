#!/usr/bin/env bash
# Runs h5sink's whole test suite, first installing the HDF5 "oracles" that the
# integration tests read h5sink's files back with, when they are missing:
#   h5py, numpy, pyfive, hdf5plugin (the compression plugins h5py and
#   h5dump read LZ4, bitshuffle, zstd and Blosc with), python-neo-lzf (pyfive's
#   LZF)  (pip)                       -- python3 must import them
#   dask.distributed     (pip)        -- examples/dask/feature_job.py
#   h5dump               (apt: hdf5-tools)
# Extra arguments go to `cargo test`, e.g. scripts/test.sh oracle -- --nocapture
# The exit status is cargo's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Where CI time goes: the seconds of each stage, printed as it ends, with the
# machine's load average (other jobs on the cores slow every stage).
STAGE_START=$SECONDS
stage_done() {
    echo "test.sh: stage $1: $((SECONDS - STAGE_START)) s (load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'))"
    STAGE_START=$SECONDS
}

PYTHON="${H5SINK_PYTHON:-python3}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

# Pinned: the twin comparison depends on the libhdf5 bundled with h5py.
ORACLES=(h5py==3.16.0 numpy pyfive==1.3.0 hdf5plugin==7.1.0 python-neo-lzf==0.3.5 "dask[distributed]==2026.8.0")

have_py_oracles() {
    "$PYTHON" -c 'import h5py, numpy, pyfive, hdf5plugin, lzf, dask.distributed' >/dev/null 2>&1
}

if ! have_py_oracles; then
    echo "test.sh: installing ${ORACLES[*]} with pip"
    if ! "$PYTHON" -m pip install --quiet "${ORACLES[@]}"; then
        # Debian's own python3 refuses (PEP 668, externally managed).
        echo "test.sh: retrying with --break-system-packages"
        "$PYTHON" -m pip install --quiet --break-system-packages "${ORACLES[@]}"
    fi
    have_py_oracles || { echo "test.sh: $PYTHON still cannot import h5py, numpy, pyfive, hdf5plugin, lzf and dask.distributed" >&2; exit 1; }
fi

if ! command -v h5dump >/dev/null 2>&1; then
    echo "test.sh: installing h5dump (Debian package hdf5-tools)"
    SUDO=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    fi
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hdf5-tools >/dev/null
    command -v h5dump >/dev/null 2>&1 || { echo "test.sh: h5dump still not on PATH" >&2; exit 1; }
fi

"$PYTHON" -c 'import h5py, numpy, pyfive, hdf5plugin
print(f"test.sh: h5py {h5py.__version__} (libhdf5 {h5py.version.hdf5_version}), "
      f"numpy {numpy.__version__}, pyfive {pyfive.__version__}, hdf5plugin {hdf5plugin.version}")'
echo "test.sh: $(h5dump --version)"

# JavaScript oracles: jsfive and h5wasm (npm, pinned by
# tests/oracle/js/package-lock.json), run under Node by tests/oracle/js_readers.py.
JS_DIR=tests/oracle/js
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "test.sh: installing Node.js (Debian packages nodejs npm)"
    SUDO=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    fi
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    command -v node >/dev/null 2>&1 || { echo "test.sh: node still not on PATH" >&2; exit 1; }
fi
# Missing, or older than the lock file (the pins changed since the install).
if [ ! -f "$JS_DIR/node_modules/.package-lock.json" ] \
    || [ "$JS_DIR/package-lock.json" -nt "$JS_DIR/node_modules/.package-lock.json" ]; then
    echo "test.sh: installing jsfive and h5wasm with npm ci"
    npm ci --prefix "$JS_DIR" --no-audit --no-fund
fi
echo "test.sh: $(node "$JS_DIR/read.mjs" --versions)"

# WebAssembly: the library for wasm32-unknown-unknown and wasm32-wasip1, its
# unit tests under Node (WASI), and an in-memory module whose file h5py reads.
stage_done oracles
H5SINK_PYTHON="$PYTHON" scripts/wasm.sh
stage_done wasm

# A fully static h5sink binary (musl): ldd must find no dynamic dependency,
# and its output must open in h5py.
bash scripts/static.sh
stage_done static

# The nightly toolchain: cargo-fuzz needs it, and so does rustdoc's JSON
# output that the documentation audit reads. Installed here when missing.
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "test.sh: installing the nightly toolchain with rustup"
    rustup toolchain install nightly --profile minimal
fi
cargo +nightly --version >/dev/null 2>&1 || { echo "test.sh: FAIL: no nightly toolchain" >&2; exit 1; }

# Layering: no import cycle between files of src/ (each layer imports only
# those below it). The check must also catch a planted cycle.
"$PYTHON" scripts/cycles.py src
planted="$(mktemp -d)"
cp -r src "$planted/src"
echo 'use crate::engine::txn::Engine; fn _planted(_: &Engine) {}' >> "$planted/src/engine/space.rs"
if "$PYTHON" scripts/cycles.py "$planted/src" >/dev/null; then
    echo "test.sh: FAIL: scripts/cycles.py missed a planted cycle" >&2
    rm -rf "$planted"
    exit 1
fi
rm -rf "$planted"
echo "test.sh: cycles.py catches a planted cycle"

# Documentation: every public item has an example (doc tests run with the
# rest below).
"$PYTHON" scripts/doc_audit.py
stage_done "nightly, cycles, doc_audit"

# Fuzzing: each cargo-fuzz target for a short fixed time (cargo-fuzz is
# installed from crates.io if missing).
bash scripts/fuzz.sh 10
stage_done fuzz

# Release: the tests write and read back ~100 MB files. --no-fail-fast: a
# failing test binary must not hide the results of the others. Default
# targets (lib, tests, examples built, doc tests): benchmarks run with
# `cargo bench`, not here.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --release --workspace --all-features --no-fail-fast "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
stage_done "cargo test"
# cargo's last "test result:" line belongs to whichever target ran last (often
# one with 0 tests); close with the total over all targets instead.
awk '/^test result:/ { for (i = 2; i <= NF; i++) {
        if ($i ~ /^passed;?$/) p += $(i - 1); if ($i ~ /^failed;?$/) f += $(i - 1) } }
     END { printf "total: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
