#!/usr/bin/env bash
# The main job from a fresh checkout: installs what is missing, builds, then shows both halves of
# the product: the quickstart makes real sync and async queries against an embedded SQLite file,
# and aorm-tidy lints the example project and prints each finding with its fix-it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default

echo
echo "== the runtime: examples/quickstart"
db="build/quickstart.db"
rm -f "$db" "$db-wal" "$db-shm"
./build/examples/quickstart/aorm-quickstart "$db"

echo
echo "== the checks: aorm-tidy over examples/lint-demo"
# aorm-tidy exits 0 here: the findings are warnings, as they are by default in CI.
examples/lint-demo/lint.sh build/tool/aorm-tidy/aorm-tidy build/lint-demo
