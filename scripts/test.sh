#!/usr/bin/env bash
# Sets up, builds with -Werror and runs the test suite (the CUDA kernels too
# when nvcc is installed); then builds once more under ASan+UBSan and runs the
# tests again (all but those labelled slow); then builds the libFuzzer targets
# with clang and runs each for a bounded time. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ -z "${CUDACXX:-}" ] && ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
  export CUDACXX=/usr/local/cuda/bin/nvcc
fi
jobs=$(nproc)

echo "== release build (-Werror) and tests"
cmake --preset ci -G Ninja >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"
bash scripts/test-embed.sh

echo "== ASan+UBSan build and tests"
cmake --preset sanitize -G Ninja >/dev/null
cmake --build --preset sanitize -j "$jobs"
ctest --preset sanitize -j "$jobs"

echo "== libFuzzer targets (clang), ${ZKPOT_FUZZ_SECONDS:-10} s each"
bash scripts/fuzz.sh "${ZKPOT_FUZZ_SECONDS:-10}"
