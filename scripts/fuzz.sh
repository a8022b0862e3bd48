#!/usr/bin/env bash
# Short fuzzing pass over h5sink (needs the nightly toolchain):
#   scripts/fuzz.sh [SECONDS]      default 20 seconds per target
# 1. installs cargo-fuzz if missing;
# 2. builds every target at once; replays fuzz/regressions and fuzz/seeds
#    (the corpus starts from them);
# 3. runs the targets api_ops, encoders, decoders, open_read and open_modify for SECONDS
#    each, api_ops writing every file it closed successfully to a temporary
#    directory (decoders, open_read and open_modify write no files);
# 4. opens each of those files with h5py and reads every dataset
#    (tests/oracle/read_all.py).
# Exit status: non-zero on a crash, a timeout, an OOM, or a file h5py refuses.
# Crash inputs land in fuzz/artifacts/<target>/ (git-ignored).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SECS="${1:-20}"
PYTHON="${H5SINK_PYTHON:-python3}"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz.sh: the nightly toolchain is missing (rustup toolchain install nightly)" >&2
    exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

cd fuzz
# Every target in one cargo invocation (the same build `cargo fuzz run` makes
# and then finds up to date): the five binaries compile and link in parallel
# instead of one at a time before each run.
echo "fuzz.sh: building the targets"
if ! cargo +nightly fuzz build >"$OUT/build.log" 2>&1; then
    echo "fuzz.sh: cargo fuzz build FAILED; the end of its log:" >&2
    tail -n 60 "$OUT/build.log" >&2
    exit 1
fi
status=0
for target in api_ops encoders decoders open_read open_modify; do
    mkdir -p "corpus/$target"
    seeds=()
    for d in "seeds/$target" "regressions/$target"; do
        [ -d "$d" ] && seeds+=("$d")
    done
    echo "fuzz.sh: $target for ${SECS}s"
    log="$OUT/$target.log"
    if ! H5SINK_FUZZ_OUT="$OUT/files" H5SINK_FUZZ_OUT_MAX=500 \
        cargo +nightly fuzz run "$target" "corpus/$target" "${seeds[@]}" -- \
        -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        >"$log" 2>&1; then
        status=1
        echo "fuzz.sh: $target FAILED; the end of its log:" >&2
        tail -n 60 "$log" >&2
    fi
    grep -E '^stat::number_of_executed_units|^Done|cov: ' "$log" | tail -n 2 || true
done
cd ..

n=$(find "$OUT/files" -name '*.h5' 2>/dev/null | wc -l)
echo "fuzz.sh: reading the $n files api_ops closed with h5py"
if [ "$n" -gt 0 ]; then
    "$PYTHON" tests/oracle/read_all.py "$OUT/files" | grep -E "FAIL|^read-all:" || status=1
fi
exit "$status"
