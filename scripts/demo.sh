#!/usr/bin/env bash
# The main job: set up, build, train a small network (784-32-10) on a slice of
# Fashion-MNIST with a proof of every SGD step, then verify the proof file.
# Usage: scripts/demo.sh [STEPS]   (default 6)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-6}
bash scripts/install-deps.sh
cmake --preset release -G Ninja >/dev/null
cmake --build --preset release -j "$(nproc)" --target zkpot-prove zkpot-verify
run=runs/demo
rm -rf "$run"
build/release/prover/zkpot-prove train --model 784-32-10 --batch 16 --rows 1024 --steps "$steps" \
  --segment-steps 1 --out "$run"
build/release/verifier/cli/zkpot-verify "$run/proof.zkp"
