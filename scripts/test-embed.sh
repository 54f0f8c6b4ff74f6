#!/usr/bin/env bash
# Installs libzkpot_verify into a temporary prefix, builds examples/embed
# against it twice (CMake find_package, then pkg-config), and runs both on
# the known-answer proof files of tests/vectors/, comparing each verdict with
# the expected status. Usage: scripts/test-embed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

echo "== install libzkpot_verify into $prefix"
cmake -S . -B build/embed -G Ninja -DCMAKE_BUILD_TYPE=Release -DZKPOT_TESTS=OFF -DZKPOT_BENCH=OFF \
  -DZKPOT_CUDA=OFF -DZKPOT_WERROR=ON -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build build/embed --target zkpot_verify zkpot-verify -j "$(nproc)"
cmake --install build/embed >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'libzkpot_verify.so' | head -1)")

echo "== examples/embed through find_package(zkpot)"
cmake -S examples/embed -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake-build"
by_cmake="$work/cmake-build/verify_proof"

echo "== examples/embed through pkg-config"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror examples/embed/verify_proof.c -o "$work/verify_proof_pc" \
  $(pkg-config --cflags --libs zkpot-verify) -Wl,-rpath,"$libdir"
by_pc="$work/verify_proof_pc"

echo "== run both on tests/vectors/"
failures=0
while read -r file expected _; do
  [ -z "$file" ] || [ "${file:0:1}" = "#" ] && continue
  for bin in "$by_cmake" "$by_pc"; do
    out=$(LD_LIBRARY_PATH="$libdir" "$bin" "tests/vectors/$file" || true)
    got=${out%% *}
    if [ "$got" != "$expected" ]; then
      echo "FAIL $(basename "$bin") $file: expected $expected, got: $out" >&2
      failures=$((failures + 1))
    fi
  done
done < tests/vectors/EXPECTED
[ "$failures" -eq 0 ] || exit 1
echo "embed example: all vectors give their expected status"
