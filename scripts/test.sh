#!/usr/bin/env bash
# Sets up, builds with -Werror and runs the test suite; then builds once more
# under ASan+UBSan and runs the fast tests again. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)
cmake --preset ci -G Ninja >/dev/null
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"
cmake --preset sanitize -G Ninja >/dev/null
cmake --build --preset sanitize -j "$jobs"
ctest --preset sanitize -j "$jobs"
