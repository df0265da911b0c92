#!/usr/bin/env bash
# The whole test suite from a fresh checkout: installs what is missing, builds, runs every test.
# The runtime is built and tested with g++-12 first, then everything with clang++-19.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

echo "== runtime with g++ (preset gcc)"
cmake --preset gcc >/dev/null
cmake --build --preset gcc
ctest --preset gcc -j2

echo "== everything with clang++-19 (preset default)"
cmake --preset default >/dev/null
cmake --build --preset default
ctest --preset default -j2
