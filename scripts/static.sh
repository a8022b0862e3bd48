#!/usr/bin/env bash
# Builds a fully static `h5sink` binary (package h5sink-cli) for
# x86_64-unknown-linux-musl, checks that it is static, packs a small .npy
# file with it and opens the result in h5py, and prints the binary's size.
# Falls back to glibc with +crt-static if the musl target cannot be added or
# linked. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${H5SINK_PYTHON:-python3}"
MUSL=x86_64-unknown-linux-musl
GNU=x86_64-unknown-linux-gnu
# Where cargo puts the binary: $CARGO_TARGET_DIR when set (relative to the
# repository root, as cargo reads it from here), else target/.
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

build_musl() {
    if ! rustup target list --installed 2>/dev/null | grep -qx "$MUSL"; then
        rustup target add "$MUSL" || return 1
    fi
    cargo build --release -p h5sink-cli --target "$MUSL" || return 1
    BIN="$TARGET_DIR/$MUSL/release/h5sink"
}

build_gnu_static() {
    echo "static.sh: musl build failed; falling back to glibc with +crt-static" >&2
    RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
        cargo build --release -p h5sink-cli --target "$GNU"
    BIN="$TARGET_DIR/$GNU/release/h5sink"
}

BIN=""
build_musl || build_gnu_static
[ -x "$BIN" ] || { echo "static.sh: no binary at $BIN" >&2; exit 1; }

# ldd prints "not a dynamic executable" (exit 1) or "statically linked".
ldd_out="$(ldd "$BIN" 2>&1 || true)"
echo "static.sh: ldd $BIN: $ldd_out"
if ! grep -qE "not a dynamic executable|statically linked" <<<"$ldd_out"; then
    echo "static.sh: $BIN is not static" >&2
    exit 1
fi
if command -v file >/dev/null 2>&1; then
    file "$BIN"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$PYTHON" - "$work" <<'PY'
import sys, numpy as np
d = sys.argv[1]
np.save(f"{d}/feat.npy", np.arange(120, dtype=">f4").reshape(40, 3))
np.save(f"{d}/labels.npy", np.arange(40) % 3)
open(f"{d}/names.txt", "w").write("a\nb\nc\n")
PY
"$BIN" pack "$work/out.h5" features="$work/feat.npy" labels="$work/labels.npy" \
    --class-names "$work/names.txt" --deflate 4 --attr source=static.sh
"$PYTHON" - "$work/out.h5" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert (f["features"][()] == np.arange(120, dtype="f4").reshape(40, 3)).all()
assert (f["labels"][()] == np.arange(40) % 3).all()
assert [s.decode() for s in f["label_names"][()]] == ["a", "b", "c"]
assert f.attrs["source"] == "static.sh"
print("static.sh: h5py reads the static binary's output: ok")
PY
size=$(stat -c %s "$BIN")
echo "static.sh: $BIN is static, $size bytes ($(( (size + 1023) / 1024 )) KiB)"
