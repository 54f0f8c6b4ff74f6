#!/usr/bin/env bash
# The main job: set up, build, train 784-128-10 on a slice of Fashion-MNIST
# (1024 training images, batch 64) with a proof of every SGD step, then verify
# the proof file. Segments of 2 steps (about 1.6 MB each, under the 2 MiB cap).
# The progress line shows the loss, the accuracy on 500 held-out test images
# and the prove time per step. Checkpoints go to runs/demo/private/: an
# interrupted demo continues with the same command plus --resume.
# Usage: scripts/demo.sh [STEPS]   (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-4}
bash scripts/install-deps.sh
cmake --preset release -G Ninja >/dev/null
cmake --build --preset release -j "$(nproc)" --target zkpot-prove zkpot-verify
run=runs/demo
rm -rf "$run"
build/release/prover/zkpot-prove train --model 784-128-10 --batch 64 --rows 1024 --steps "$steps" \
  --segment-steps 2 --eval-every 2 --eval-rows 500 --out "$run"
build/release/verifier/cli/zkpot-verify "$run/proof.zkp"
