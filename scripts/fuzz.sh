#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each one for
# the given number of seconds (default 10: eight targets, cbor_reader,
# envelope, merkle, pcs_proof, statement, training_commitment,
# training_segment and verify, 80 s) from a copy of its seed corpus.
# Exits non-zero if any target finds a crash. Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
cmake --preset fuzz -G Ninja >/dev/null
targets=$(for f in fuzz/*_fuzzer.cc; do basename "$f" .cc; done)
# shellcheck disable=SC2086
cmake --build --preset fuzz -j "$(nproc)" --target $targets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shopt -s nullglob
for bin in build/fuzz/fuzz/*_fuzzer; do
  name=$(basename "$bin" _fuzzer)
  mkdir -p "$work/$name"
  cp -r "fuzz/corpus/$name/." "$work/$name/" 2>/dev/null || true
  echo "-- $name: ${secs}s"
  "$bin" -max_total_time="$secs" -max_len=4194304 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/$name" 2>&1 | grep -E 'stat::number_of_executed_units|DONE.*cov:|ERROR|SUMMARY' || true
  found=("$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*)  # nullglob: empty when none
  if [ ${#found[@]} -gt 0 ]; then
    echo "fuzz target $name found a failing input" >&2
    exit 1
  fi
done
