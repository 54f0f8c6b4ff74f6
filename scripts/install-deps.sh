#!/usr/bin/env bash
# Installs everything zkpot needs from Debian bookworm's packages. Run as root
# (or with sudo available). Safe to run again.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  ca-certificates g++ cmake ninja-build pkg-config make git \
  libsodium-dev libcbor-dev libgmp-dev libcli11-dev libgtest-dev libbenchmark-dev \
  clang libclang-rt-14-dev dataset-fashion-mnist >/dev/null
